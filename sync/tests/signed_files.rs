//! This crate's own signed trust and revocation lists, served as static
//! files (`URL`, `URL.seq`, `URL.delta-N`) by a loopback server that
//! behaves as a web server or CDN does (ETag, 304, 404).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
mod server;

use std::sync::{Arc, Mutex};

use healthpass::issue::Credential;
use healthpass::revocation::{CountrySource, HashType, RevocationHash, RevocationListDocument};
use healthpass::signed::Validity;
use healthpass::trust::signed_list::{TrustListDocument, TrustListEntry};
use healthpass::{ErrorKind, TrustList, Verifier};
use healthpass_sync::Source;
use server::StaticFiles;

use common::*;

fn list_signer() -> Credential {
    let (key, der) = new_signer("list signer");
    Credential::new(key, &der).unwrap()
}

fn anchors_of(signer: &Credential) -> Vec<u8> {
    healthpass::issue::certificate_pem(signer.certificate_der()).into_bytes()
}

fn validity() -> Validity {
    Validity::new(t("2026-11-01T00:00:00Z"), t("2027-01-01T00:00:00Z")).unwrap()
}

fn trust_list(signer: &Credential, seq: u64) -> Vec<u8> {
    TrustListDocument::builder("xx-signers")
        .sequence(seq)
        .adds(vec![TrustListEntry::new(&demo_der()).unwrap()])
        .build(validity())
        .unwrap()
        .sign(signer)
        .unwrap()
}

#[test]
fn a_signed_trust_list_from_a_static_file_with_etags_and_no_replay() {
    let signer = list_signer();
    let state = Arc::new(Mutex::new(StaticFiles::default()));
    state
        .lock()
        .unwrap()
        .put("/xx-signers.cbor", trust_list(&signer, 5));
    let server = StaticFiles::serve(state.clone());
    let (_dir, store) = store();
    let sources = [Source::TrustList {
        url: format!("{}/xx-signers.cbor", server.url),
        anchors: anchors_of(&signer),
    }];
    let r = one(store.sync(&sources, &http(), now()));
    assert!(r.ok, "{r:?}");
    assert_eq!(r.added, 1);
    // Unchanged: no `.seq` published, so a conditional request and a 304;
    // the data counts as checked now.
    let later = UnixTime::from_secs(now().as_secs() + 3600);
    let r = one(store.sync(&sources, &http(), later));
    assert!(r.ok && r.unchanged == 1, "{r:?}");
    let snapshot = store.snapshot(later).unwrap();
    assert_eq!(snapshot.as_of(), Some(later));
    assert!(snapshot
        .verifier_builder(72 * 3600)
        .build()
        .unwrap()
        .verdict(DEMO_PASS, later)
        .is_valid());
    // An older list replayed is refused; the held one stays.
    state
        .lock()
        .unwrap()
        .put("/xx-signers.cbor", trust_list(&signer, 4));
    let r = one(store.sync(&sources, &http(), later));
    assert!(!r.ok);
    assert!(r.error.unwrap().contains("sequence"), "replay");
    // The list's own expiry bounds the allowance too.
    let snapshot = store.snapshot(later).unwrap();
    let verdict = snapshot
        .verifier_builder(365 * 86_400)
        .build()
        .unwrap()
        .verdict(DEMO_PASS, t("2027-01-02T00:00:00Z"));
    assert_eq!(
        verdict.error_kind(),
        Some(ErrorKind::Untrusted),
        "{verdict:?}"
    );
}

use healthpass::UnixTime;

/// `n` distinct hashes, from `from` on.
fn hashes(from: u32, n: u32) -> Vec<RevocationHash> {
    (from..from + n)
        .map(|i| RevocationHash::of(&i.to_be_bytes()))
        .collect()
}

fn revocation(
    signer: &Credential,
    id: &str,
    seq: u64,
    base: Option<u64>,
    adds: &[RevocationHash],
    removes: &[RevocationHash],
) -> Vec<u8> {
    let mut b = RevocationListDocument::builder(HashType::Uci, id)
        .sequence(seq)
        .adds(adds.to_vec())
        .removes(removes.to_vec());
    if let Some(base) = base {
        b = b.delta_on(base);
    }
    b.build(validity()).unwrap().sign(signer).unwrap()
}

/// The demo pass's UCI hash.
fn demo_hash() -> RevocationHash {
    let mut trust = TrustList::new();
    trust.add_any(&demo_der()).unwrap();
    let verifier = Verifier::builder().trust_list(trust).build().unwrap();
    verifier
        .verify(DEMO_PASS, now())
        .unwrap()
        .as_hcert()
        .unwrap()
        .revocation_hash(HashType::Uci, CountrySource::default())
        .unwrap()
}

struct Publisher {
    state: Arc<Mutex<StaticFiles>>,
    server: server::Server,
    signer: Credential,
}

impl Publisher {
    fn new() -> Self {
        let signer = list_signer();
        let state = Arc::new(Mutex::new(StaticFiles::default()));
        state
            .lock()
            .unwrap()
            .put("/signers.cbor", trust_list(&signer, 1));
        let server = StaticFiles::serve(state.clone());
        Publisher {
            state,
            server,
            signer,
        }
    }

    fn sources(&self) -> [Source; 2] {
        [
            Source::TrustList {
                url: format!("{}/signers.cbor", self.server.url),
                anchors: anchors_of(&self.signer),
            },
            Source::Revocation {
                url: format!("{}/revoked.cbor", self.server.url),
                anchors: anchors_of(&self.signer),
            },
        ]
    }

    fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.state.lock().unwrap().put(path, body);
    }

    /// The paths of the revocation list requested since the last call.
    fn requested(&self) -> Vec<String> {
        let mut s = self.state.lock().unwrap();
        let log = std::mem::take(&mut s.log);
        log.into_iter()
            .filter(|p| p.starts_with("/revoked"))
            .collect()
    }
}

#[test]
fn a_revocation_list_syncs_in_full_then_by_deltas_and_revokes() {
    let p = Publisher::new();
    let base = hashes(0, 1000);
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "xx-revoked", 1, None, &base, &[]),
    );
    let (_dir, store) = store();
    let reports = store.sync(&p.sources(), &http(), now());
    assert!(reports.iter().all(|r| r.ok), "{reports:?}");
    assert_eq!(reports[1].added, 1000);
    // Nothing held: the full list straight away.
    assert_eq!(p.requested(), ["/revoked.cbor"].map(String::from));
    let verifier = |at| {
        store
            .snapshot(at)
            .unwrap()
            .verifier_builder(72 * 3600)
            .build()
            .unwrap()
    };
    assert!(verifier(now()).verdict(DEMO_PASS, now()).is_valid());

    // A delta revokes the demo pass and lifts ten: `.seq` then the delta,
    // never the full list again.
    let demo = demo_hash();
    p.put(
        "/revoked.cbor.delta-1",
        revocation(&p.signer, "xx-revoked", 2, Some(1), &[demo], &base[..10]),
    );
    p.put("/revoked.cbor.seq", "2\n");
    let r = store.sync(&p.sources(), &http(), now()).remove(1);
    assert!(r.ok, "{r:?}");
    assert_eq!((r.added, r.removed, r.unchanged), (1, 10, 990));
    assert_eq!(
        p.requested(),
        ["/revoked.cbor.seq", "/revoked.cbor.delta-1"].map(String::from)
    );
    let snapshot = store.snapshot(now()).unwrap();
    let list = snapshot.revocation().unwrap();
    assert_eq!((list.sequence(), list.store().len()), (2, 991));
    let verdict = verifier(now()).verdict(DEMO_PASS, now());
    assert_eq!(
        verdict.error_kind(),
        Some(ErrorKind::Revoked),
        "{verdict:?}"
    );

    // Nothing new: one small request.
    let r = store.sync(&p.sources(), &http(), now()).remove(1);
    assert!(r.ok && r.unchanged == 991 && r.added == 0, "{r:?}");
    assert_eq!(p.requested(), ["/revoked.cbor.seq"].map(String::from));

    // Two more deltas are walked in one sync.
    p.put(
        "/revoked.cbor.delta-2",
        revocation(&p.signer, "xx-revoked", 3, Some(2), &hashes(5000, 5), &[]),
    );
    p.put(
        "/revoked.cbor.delta-3",
        revocation(&p.signer, "xx-revoked", 4, Some(3), &[], &[demo]),
    );
    p.put("/revoked.cbor.seq", "4");
    let r = store.sync(&p.sources(), &http(), now()).remove(1);
    assert_eq!((r.ok, r.added, r.removed), (true, 5, 1), "{r:?}");
    assert_eq!(p.requested().len(), 3);
    assert!(verifier(now()).verdict(DEMO_PASS, now()).is_valid());
    assert_eq!(
        store
            .snapshot(now())
            .unwrap()
            .revocation()
            .unwrap()
            .sequence(),
        4
    );

    // A new full list without a delta from 4: fetched whole, compared.
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "xx-revoked", 6, None, &hashes(0, 1200), &[]),
    );
    p.put("/revoked.cbor.seq", "6");
    let r = store.sync(&p.sources(), &http(), now()).remove(1);
    assert!(r.ok, "{r:?}");
    // Held: 10..1000 and 5000..5005 (995); now 0..1200.
    assert_eq!((r.added, r.removed, r.unchanged), (210, 5, 990), "{r:?}");
    assert_eq!(
        p.requested(),
        [
            "/revoked.cbor.seq",
            "/revoked.cbor.delta-4",
            "/revoked.cbor"
        ]
        .map(String::from)
    );
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.revocation().unwrap().store().len(), 1200);
}

#[test]
fn revocation_faults_keep_the_list_held() {
    let p = Publisher::new();
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "xx-revoked", 5, None, &hashes(0, 100), &[]),
    );
    p.put("/revoked.cbor.seq", "5");
    let (_dir, store) = store();
    assert!(store
        .sync(&p.sources(), &http(), now())
        .iter()
        .all(|r| r.ok));
    let held = || {
        let s = store.snapshot(now()).unwrap();
        let l = s.revocation().unwrap();
        (l.sequence(), l.store().len())
    };
    let fails = |expect: &str| {
        let r = store.sync(&p.sources(), &http(), now()).remove(1);
        assert!(!r.ok, "{r:?}");
        assert!(r.error.as_deref().unwrap().contains(expect), "{r:?}");
        assert_eq!(held(), (5, 100));
    };

    // A sequence hint older than what is held: a replay.
    p.put("/revoked.cbor.seq", "4");
    fails("older than the 5 held");
    // A hint that is not a number.
    p.put("/revoked.cbor.seq", "five");
    fails("not a sequence number");
    // A delta whose signature does not verify.
    let mut tampered = revocation(&p.signer, "xx-revoked", 6, Some(5), &hashes(900, 1), &[]);
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    p.put("/revoked.cbor.delta-5", tampered);
    p.put("/revoked.cbor.seq", "6");
    fails("signature");
    // A delta by another signer.
    let other = list_signer();
    p.put(
        "/revoked.cbor.delta-5",
        revocation(&other, "xx-revoked", 6, Some(5), &hashes(900, 1), &[]),
    );
    fails("revocation");
    // A delta on another base.
    p.put(
        "/revoked.cbor.delta-5",
        revocation(&p.signer, "xx-revoked", 6, Some(4), &hashes(900, 1), &[]),
    );
    fails("base");
    // Another list in the full list's place.
    p.state
        .lock()
        .unwrap()
        .files
        .remove("/revoked.cbor.delta-5");
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "yy-revoked", 7, None, &hashes(0, 100), &[]),
    );
    fails("is not the list held");
    // An older full list replayed.
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "xx-revoked", 3, None, &hashes(0, 100), &[]),
    );
    fails("older");

    // A delta that reaches only part of the way is dropped for the full
    // list; the deltas held are re-verified when the store opens.
    p.put(
        "/revoked.cbor.delta-5",
        revocation(&p.signer, "xx-revoked", 6, Some(5), &hashes(900, 1), &[]),
    );
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "xx-revoked", 8, None, &hashes(0, 50), &[]),
    );
    p.put("/revoked.cbor.seq", "8");
    let r = store.sync(&p.sources(), &http(), now()).remove(1);
    assert!(r.ok, "{r:?}");
    assert_eq!(held(), (8, 50));
}

// ---------------------------------------------------------------- store export

/// Serves the files of an export directory.
fn serve_dir(dir: &std::path::Path) -> (Arc<Mutex<StaticFiles>>, server::Server) {
    let state = Arc::new(Mutex::new(StaticFiles::default()));
    reload(&state, dir);
    let server = StaticFiles::serve(state.clone());
    (state, server)
}

fn reload(state: &Arc<Mutex<StaticFiles>>, dir: &std::path::Path) {
    let mut s = state.lock().unwrap();
    s.files.clear();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        s.put(&format!("/{name}"), std::fs::read(e.path()).unwrap());
    }
}

#[test]
fn a_backend_exports_what_it_trusts_and_a_fleet_syncs_it_by_deltas() {
    use healthpass_sync::ExportOptions;
    // The backend: the demo signer and two others from an EU DCC service,
    // and a revocation list.
    let dgca = Arc::new(Mutex::new(server::Dgca::default()));
    dgca.lock().unwrap().add(&demo_der());
    let other = dgca.lock().unwrap().add(&new_signer("b").1);
    dgca.lock().unwrap().add(&new_signer("c").1);
    let dgca_server = server::Dgca::serve(dgca.clone());
    let p = Publisher::new();
    p.put(
        "/revoked.cbor",
        revocation(&p.signer, "xx-revoked", 1, None, &hashes(0, 100), &[]),
    );
    let (_d1, backend) = store();
    let sources = [
        Source::EuDcc {
            url: dgca_server.url.clone(),
        },
        p.sources()[1].clone(),
    ];
    assert!(backend.sync(&sources, &http(), now()).iter().all(|r| r.ok));

    // Its export, signed by the fleet's list key.
    let fleet_key = list_signer();
    let out = tempdir::Dir::new();
    let report = backend
        .export(out.path(), &fleet_key, &ExportOptions::default(), now())
        .unwrap();
    assert_eq!(report.lists.len(), 2, "{report:?}");
    assert_eq!(
        (
            report.lists[0].entries,
            report.lists[0].sequence,
            report.lists[0].delta.clone()
        ),
        (3, 1, None)
    );
    assert_eq!((report.lists[1].entries, report.lists[1].added), (100, 100));
    assert!(report.left_out.is_empty(), "{report:?}");

    // A scanner syncs the bundle from a static server.
    let (files, cdn) = serve_dir(out.path());
    let (_d2, scanner) = store();
    let fleet = [
        Source::TrustList {
            url: format!("{}/trust-list.cbor", cdn.url),
            anchors: anchors_of(&fleet_key),
        },
        Source::Revocation {
            url: format!("{}/revocation.cbor", cdn.url),
            anchors: anchors_of(&fleet_key),
        },
    ];
    let reports = scanner.sync(&fleet, &http(), now());
    assert!(reports.iter().all(|r| r.ok), "{reports:?}");
    assert_eq!((reports[0].added, reports[1].added), (3, 100));
    let snapshot = scanner.snapshot(now()).unwrap();
    assert_eq!(snapshot.trust_store().signers().kids().count(), 3);
    let verifier = snapshot.verifier_builder(72 * 3600).build().unwrap();
    assert!(verifier.verdict(DEMO_PASS, now()).is_valid());

    // Upstream, a signer leaves and the demo pass is revoked; the backend
    // syncs and exports again: a delta beside the full list.
    dgca.lock().unwrap().remove(&other);
    p.put(
        "/revoked.cbor.delta-1",
        revocation(&p.signer, "xx-revoked", 2, Some(1), &[demo_hash()], &[]),
    );
    p.put("/revoked.cbor.seq", "2");
    assert!(backend.sync(&sources, &http(), now()).iter().all(|r| r.ok));
    let report = backend
        .export(out.path(), &fleet_key, &ExportOptions::default(), now())
        .unwrap();
    assert_eq!(
        (
            report.lists[0].sequence,
            report.lists[0].removed,
            report.lists[0].delta.as_deref()
        ),
        (2, 1, Some("trust-list.cbor.delta-1"))
    );
    assert_eq!((report.lists[1].added, report.lists[1].entries), (1, 101));
    reload(&files, out.path());
    files.lock().unwrap().log.clear();
    let reports = scanner.sync(&fleet, &http(), now());
    assert!(reports.iter().all(|r| r.ok), "{reports:?}");
    assert_eq!((reports[0].removed, reports[0].unchanged), (1, 2));
    assert_eq!(reports[1].added, 1);
    // Only the hints and the deltas travelled.
    let log = files.lock().unwrap().log.clone();
    assert_eq!(
        log,
        [
            "/trust-list.cbor.seq",
            "/trust-list.cbor.delta-1",
            "/revocation.cbor.seq",
            "/revocation.cbor.delta-1"
        ]
    );
    let verdict = scanner
        .snapshot(now())
        .unwrap()
        .verifier_builder(72 * 3600)
        .build()
        .unwrap()
        .verdict(DEMO_PASS, now());
    assert_eq!(
        verdict.error_kind(),
        Some(ErrorKind::Revoked),
        "{verdict:?}"
    );

    // An export never overwrites a list another key signed.
    let intruder = list_signer();
    let before = std::fs::read(out.path().join("trust-list.cbor")).unwrap();
    let e = backend
        .export(out.path(), &intruder, &ExportOptions::default(), now())
        .unwrap_err();
    assert!(
        e.to_string().contains("not an export by this certificate"),
        "{e}"
    );
    assert_eq!(
        std::fs::read(out.path().join("trust-list.cbor")).unwrap(),
        before
    );
    // Nor one of another id.
    let e = backend
        .export(
            out.path(),
            &fleet_key,
            &ExportOptions::default().list_id("other"),
            now(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("is not other"), "{e}");
}
