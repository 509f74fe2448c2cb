//! A WHO GDHCN DID trust list end to end: parse, JSON-LD to RDF with the
//! bundled contexts, URDNA2015, SHA-256 and the ES256 (DER) proof check, then
//! the selection and chaining of its DSCs. The dev root list: 398 KB, 255
//! keys. (Python pyld takes about 3 s for the canonicalisation alone.)

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/gdhcn/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let doc = data("trustlists/dev-v2-root.did.json");
    let signer = WhoSigner::from_did_document(&data("signers/who-signing-dev.did.json")).unwrap();
    let mut group = c.benchmark_group("gdhcn dev root list (398 KB, 255 keys)");
    group.sample_size(20);
    group.bench_function("verify proof", |b| {
        b.iter(|| DidTrustList::verify(&doc, &signer).unwrap())
    });
    let list = DidTrustList::verify(&doc, &signer).unwrap();
    group.bench_function("select and chain 109 DSCs", |b| {
        b.iter(|| list.select(&KeySelection::new()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
