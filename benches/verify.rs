//! End-to-end verification of a real corpus pass (AT/1, ES256, 604
//! characters) beside the bare signature check of the same backend on the
//! same signed bytes, plus each stage on its own. The ratio
//! `verify/end_to_end` ÷ `verify/bare_p256` is the number to watch.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::cose::CoseSign1;
use healthpass::{transport, TrustList, UnixTime, Verifier};
use p256::ecdsa::signature::Verifier as _;
use p256::pkcs8::DecodePublicKey as _;
use x509_cert::der::{Decode as _, Encode as _};

fn corpus_case() -> (String, String, UnixTime) {
    let raw = std::fs::read_to_string("tests/data/dgc-testdata/AT/2DCode/raw/1.json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let text = doc["PREFIX"].as_str().unwrap().to_string();
    let cert = doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap().to_string();
    let now = UnixTime::parse_rfc3339(doc["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    (text, cert, now)
}

fn bench(c: &mut Criterion) {
    let (text, cert_b64, now) = corpus_case();
    let mut trust = TrustList::new();
    let kid = trust.add_base64(&cert_b64).unwrap();
    let verifier = Verifier::builder()
        .trust_list(trust.clone())
        .build()
        .unwrap();
    verifier
        .verify(&text, now)
        .expect("the corpus pass verifies");

    // The same signed bytes, for the bare checks.
    let cose = transport::decode_text(&text).unwrap();
    let sign1 = CoseSign1::parse(&cose).unwrap();
    let mut tbs = Vec::new();
    sign1.write_sig_structure(&mut tbs);
    let sig_bytes = sign1.signature().to_vec();
    let key = trust.signers(&kid)[0].key();
    key.verify(&tbs, &sig_bytes).unwrap();
    let der = base64_decode(&cert_b64);
    let cert = x509_cert::Certificate::from_der(&der).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let p256_key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).unwrap();

    let mut g = c.benchmark_group("verify");
    g.bench_function("end_to_end", |b| {
        b.iter(|| verifier.verify(black_box(&text), now).unwrap())
    });
    g.bench_function("from_cose", |b| {
        b.iter(|| verifier.verify_cose(black_box(&cose), now).unwrap())
    });
    // The floor: what any verifier must do with the signed bytes and the
    // 64 signature bytes, with a key parsed beforehand.
    g.bench_function("bare_p256", |b| {
        b.iter(|| {
            let sig = p256::ecdsa::Signature::from_slice(black_box(&sig_bytes)).unwrap();
            p256_key.verify(black_box(&tbs), &sig).unwrap()
        })
    });
    g.bench_function("bare_backend_trait", |b| {
        b.iter(|| key.verify(black_box(&tbs), black_box(&sig_bytes)).unwrap())
    });
    g.finish();

    let b45 = transport::strip_prefix(&text).unwrap().to_string();
    let zlib = transport::base45_decode(&b45).unwrap();
    let unverified_payload = {
        // The CWT bytes: the third element of the COSE array.
        let v = healthpass::cbor::decode_exact(&cose, "cose").unwrap();
        match v.untagged() {
            healthpass::cbor::Value::Array(items) => match &items[2] {
                healthpass::cbor::Value::Bytes(b) => b.to_vec(),
                _ => unreachable!(),
            },
            _ => unreachable!(),
        }
    };
    let mut g = c.benchmark_group("stage");
    g.bench_function("base45", |b| {
        b.iter(|| transport::base45_decode(black_box(&b45)).unwrap())
    });
    g.bench_function("inflate", |b| {
        b.iter(|| transport::inflate(black_box(&zlib)).unwrap())
    });
    g.bench_function("cose_parse", |b| {
        b.iter(|| CoseSign1::parse(black_box(&cose)).unwrap().kid())
    });
    g.bench_function("claims_payload", |b| {
        b.iter(|| healthpass::cwt::decode(black_box(&unverified_payload)).unwrap())
    });
    g.bench_function("schema_validation", |b| {
        let (_, p) = healthpass::cwt::decode(&unverified_payload).unwrap();
        b.iter(|| black_box(&p).validate_schema().is_ok())
    });
    g.finish();
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64ct::{Base64, Encoding as _};
    Base64::decode_vec(s).unwrap()
}

criterion_group!(benches, bench);
criterion_main!(benches);
