//! A full sync from loopback servers that implement the APIs — 1 000 EU DCC
//! signers through the verifier API (one certificate per response, as the
//! reference service pages them) and the 194 real business rules with the
//! value sets through the rule service (every response signed, every
//! document hashed), and a signed revocation list of 1 000 000 hashes as a
//! static file — and opening the store (everything verified again).
//! Also printed once: the bytes on disk and the peak memory of one sync.

#[path = "../tests/server/mod.rs"]
#[allow(clippy::all)]
mod server;

use std::sync::{Arc, Mutex};

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::issue::{self_signed_certificate, CertificateParams, Credential, SigningKey};
use healthpass::revocation::{HashType, RevocationHash, RevocationListDocument};
use healthpass::signed::Validity;
use healthpass::UnixTime;
use healthpass_sync::{HttpTransport, Source, Store};

const SIGNERS: usize = 1000;
const REVOKED: u32 = 1_000_000;

fn t(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap()
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let m = e.metadata().unwrap();
        total += if m.is_dir() {
            dir_bytes(&e.path())
        } else {
            m.len()
        };
    }
    total
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn bench(c: &mut Criterion) {
    let now = t("2026-12-01T12:00:00Z");
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2040-01-01T00:00:00Z")).unwrap();
    let dgca = Arc::new(Mutex::new(server::Dgca::default()));
    for i in 0..SIGNERS {
        let key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
        let params = CertificateParams::new("XX", format!("signer {i}"), validity);
        dgca.lock()
            .unwrap()
            .add(&self_signed_certificate(&key, &params).unwrap());
    }
    let dgca_server = server::Dgca::serve(dgca);
    let key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let public = p256::pkcs8::EncodePublicKey::to_public_key_pem(
        key.verifying_key(),
        p256::pkcs8::LineEnding::LF,
    )
    .unwrap();
    let mut rules = server::RuleService::new(key);
    rules.rules = server::rule_files_all();
    rules.value_sets = server::value_sets();
    let n_rules = rules.rules.len();
    let rules_server = server::RuleService::serve(Arc::new(Mutex::new(rules)));
    // A revocation list of a million hashes, as `store export` would serve it.
    let list_key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
    let list_cert =
        self_signed_certificate(&list_key, &CertificateParams::new("XX", "lists", validity))
            .unwrap();
    let signer = Credential::new(list_key, &list_cert).unwrap();
    let hashes: Vec<RevocationHash> = (0..REVOKED)
        .map(|i| RevocationHash::of(&i.to_be_bytes()))
        .collect();
    let list = RevocationListDocument::builder(HashType::Uci, "xx-revoked")
        .adds(hashes)
        .build(Validity::new(t("2026-11-01T00:00:00Z"), t("2027-01-01T00:00:00Z")).unwrap())
        .unwrap()
        .sign(&signer)
        .unwrap();
    let list_len = list.len();
    let files = Arc::new(Mutex::new(server::StaticFiles::default()));
    files.lock().unwrap().put("/revoked.cbor", list);
    files.lock().unwrap().put("/revoked.cbor.seq", "1");
    let files_server = server::StaticFiles::serve(files);
    let sources = [
        Source::Revocation {
            url: format!("{}/revoked.cbor", files_server.url),
            anchors: healthpass::issue::certificate_pem(&list_cert).into_bytes(),
        },
        Source::EuDcc {
            url: dgca_server.url.clone(),
        },
        Source::EuRules {
            url: rules_server.url.clone(),
            key: public.into_bytes(),
        },
    ];
    let http = HttpTransport::default();
    let scratch = std::env::temp_dir().join(format!("hp-sync-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);

    // Once, for the figures: bytes on disk, peak memory of one sync (the
    // peak is reset first; Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = peak_rss_kib();
    let store = Store::new(scratch.join("figures"));
    let reports = store.sync(&sources, &http, now);
    assert!(reports.iter().all(|r| r.ok), "{reports:?}");
    let after = peak_rss_kib();
    eprintln!(
        "one full sync: {SIGNERS} signers, {n_rules} rules and {} other entries, {} revoked hashes (a list of {list_len} bytes); {} bytes on disk; peak RSS {:?} KiB (before it {:?} KiB)",
        reports[2].added - n_rules,
        reports[0].added,
        dir_bytes(store.dir()),
        after,
        before
    );

    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    let mut n = 0;
    group.bench_function(
        "full sync: 1M revoked + 1000 signers + 194 rules + value sets",
        |b| {
            b.iter(|| {
                n += 1;
                let store = Store::new(scratch.join(format!("run-{n}")));
                let reports = store.sync(&sources, &http, now);
                assert!(reports.iter().all(|r| r.ok));
                let _ = std::fs::remove_dir_all(store.dir());
            })
        },
    );
    group.bench_function("a sync with nothing new (resumed, by hash)", |b| {
        b.iter(|| {
            let reports = store.sync(&sources, &http, now);
            assert!(reports.iter().all(|r| r.ok && r.added == 0));
        })
    });
    group.bench_function("store open: everything verified again", |b| {
        b.iter(|| {
            let snapshot = store.snapshot(now).unwrap();
            assert_eq!(snapshot.trust_store().signers().len(), SIGNERS);
            assert_eq!(
                snapshot.revocation().unwrap().store().len(),
                REVOKED as usize
            );
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&scratch);
}

criterion_group!(benches, bench);
criterion_main!(benches);
