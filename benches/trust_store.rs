//! Trust as the world publishes it (issue 23): loading the real
//! directories of tests/data/directories (time here; the peak heap of each
//! load is printed once, counted by this bench's allocator), and
//! verification through the whole store beside the same pass with only its
//! signer pinned and the bare signature check, in the same run: the size
//! of the store must not move the cost of a verification.
//!
//! The numbers to watch: `trust_store/verify/<pass>/store` ÷
//! `…/pinned` (about 1) and ÷ `…/bare`.
//!
//! `cargo bench --bench trust_store [--features aws-lc-rs]`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};

use base64ct::{Base64, Encoding as _};
use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::cose::CoseSign1;
use healthpass::crypto::default_backend;
use healthpass::trust::store::{LoadOptions, TrustStore};
use healthpass::{transport, TrustList, UnixTime, Verifier};
use x509_cert::der::{Decode as _, Encode as _};

/// Counts live heap bytes and their peak (the load figures).
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards to the system allocator and only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let size = isize::try_from(layout.size()).unwrap_or(isize::MAX);
            let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        let size = isize::try_from(layout.size()).unwrap_or(isize::MAX);
        LIVE.fetch_sub(size, Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The peak heap above what was live when `f` started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    (out, usize::try_from(peak).unwrap_or(0))
}

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("tests/data/{path}")).unwrap()
}

fn t(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap()
}

fn vci_options() -> LoadOptions {
    LoadOptions::new("vci")
        .signed_by(
            data("directories/vci/vci_snapshot.sig"),
            data("directories/vci/vci_snapshot.crt"),
        )
        .at(t("2026-12-01T00:00:00Z"))
}

fn bench(c: &mut Criterion) {
    let icao = data("directories/icao-health-cscas.pem");
    let registry = data("directories/pathcheck/registry.json");
    let vci = data("directories/vci/vci_snapshot.json");

    let mut g = c.benchmark_group("trust_store/load");
    g.sample_size(10);
    for (name, bytes, options) in [
        (
            "icao master list (255 CSCAs)",
            &icao,
            LoadOptions::new("icao"),
        ),
        (
            "pathcheck registry (2 140 entries)",
            &registry,
            LoadOptions::new("registry"),
        ),
        ("vci snapshot (961 keys, signed)", &vci, vci_options()),
    ] {
        let (report, peak) = peak_of(|| TrustStore::new().load(bytes, &options).unwrap());
        eprintln!(
            "{name}: {} bytes, {} accepted, peak heap {:.1} MB",
            bytes.len(),
            report.accepted,
            peak as f64 / 1e6
        );
        g.bench_function(name, |b| {
            b.iter(|| TrustStore::new().load(black_box(bytes), &options).unwrap())
        });
    }
    g.finish();

    // Everything in one store.
    let mut store = TrustStore::new();
    store.load(&icao, &LoadOptions::new("icao")).unwrap();
    store
        .load(&registry, &LoadOptions::new("registry"))
        .unwrap();
    store.load(&vci, &vci_options()).unwrap();
    let whole = Verifier::builder().trust_store(store).build().unwrap();

    // A real German pass: through the whole store, with its signer alone
    // (the registry's certificate for its kid), and the bare check.
    let de = String::from_utf8(data("gdhcn/samples/EUQR1Contents.txt")).unwrap();
    let de = de.trim();
    let at = t("2021-07-01T00:00:00Z");
    let cose = transport::decode_text(de).unwrap();
    let sign1 = CoseSign1::parse(&cose).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&registry).unwrap();
    let pem = doc["EUDCC"][Base64::encode_string(&sign1.kid())]["didDocument"]
        .as_str()
        .unwrap();
    let mut pinned = TrustList::new();
    pinned.add_pem(pem).unwrap();
    let pinned = Verifier::builder().trust_list(pinned).build().unwrap();
    let der = Base64::decode_vec(
        &pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap();
    let spki = x509_cert::Certificate::from_der(&der)
        .unwrap()
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = default_backend().parse_public_key(&spki).unwrap();
    let mut tbs = Vec::new();
    sign1.write_sig_structure(&mut tbs);
    let sig = sign1.signature().to_vec();
    assert!(whole.verify(de, at).is_ok() && pinned.verify(de, at).is_ok());
    let mut g = c.benchmark_group("trust_store/verify/de pass");
    g.bench_function("store", |b| {
        b.iter(|| whole.verify(black_box(de), at).unwrap())
    });
    g.bench_function("pinned", |b| {
        b.iter(|| pinned.verify(black_box(de), at).unwrap())
    });
    g.bench_function("bare", |b| {
        b.iter(|| key.verify(black_box(&tbs), black_box(&sig)).unwrap())
    });
    g.finish();

    // A real Washington State card: through the whole store (its key bound
    // to its issuer among 594) and with the snapshot alone.
    let wa = String::from_utf8(data("shc/SHCWAVaxContents.txt")).unwrap();
    let wa = wa.trim();
    let at = t("2026-12-01T00:00:00Z");
    let mut only = TrustStore::new();
    only.load(&vci, &vci_options()).unwrap();
    let only = Verifier::builder().trust_store(only).build().unwrap();
    assert!(whole.verify(wa, at).is_ok() && only.verify(wa, at).is_ok());
    let mut g = c.benchmark_group("trust_store/verify/wa card");
    g.bench_function("store", |b| {
        b.iter(|| whole.verify(black_box(wa), at).unwrap())
    });
    g.bench_function("snapshot only", |b| {
        b.iter(|| only.verify(black_box(wa), at).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
