//! One scan, any pass: SMART Health Card and ICAO seal verification beside
//! HCERT, each against the bare signature check of the same backend (the
//! default one; `--features aws-lc-rs` for AWS-LC) on the same signed bytes,
//! with the key parsed beforehand.
//!
//! The numbers to watch are ratios within one run:
//! `formats/<format>/verify_any` ÷ `formats/<format>/bare`.
//!
//! `cargo bench --bench formats [--features aws-lc-rs]`

use std::hint::black_box;

use base64ct::{Base64UrlUnpadded, Encoding as _};
use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::crypto::default_backend;
use healthpass::formats::json;
use healthpass::formats::shc::ShcIssuers;
use healthpass::{TrustList, UnixTime, Verifier};
use x509_cert::der::{Decode as _, Encode as _};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap().trim().to_owned()
}

fn bench_formats(c: &mut Criterion) {
    let now = UnixTime::parse_rfc3339("2026-11-29T00:00:00Z").unwrap();
    let backend = default_backend();

    // SMART Health Card: the example card and its issuer's JWK set.
    let card = read("tests/data/shc/example-card.txt");
    let jwks = read("tests/data/shc/example-issuer.jwks.json");
    let mut issuers = ShcIssuers::with_backend(backend.clone());
    issuers
        .add_jwks_strict(&jwks, healthpass::formats::shc::KeyBinding::AnyIssuer)
        .unwrap();
    let v = Verifier::builder()
        .trust_list(TrustList::with_backend(backend.clone()))
        .shc_issuers(issuers)
        .build()
        .unwrap();
    assert!(v.verdict(&card, now).is_valid());
    let digits = card.strip_prefix("shc:/").unwrap().as_bytes();
    let jws: String = digits
        .chunks(2)
        .map(|p| char::from((p[0] - b'0') * 10 + (p[1] - b'0') + 45))
        .collect();
    let (signing_input, sig64) = jws.rsplit_once('.').unwrap();
    let sig = Base64UrlUnpadded::decode_vec(sig64).unwrap();
    let jwk: serde_json::Value = serde_json::from_str(&jwks).unwrap();
    let mut spki = hex_prefix();
    spki.push(4);
    for coord in ["x", "y"] {
        spki.extend(
            Base64UrlUnpadded::decode_vec(jwk["keys"][0][coord].as_str().unwrap()).unwrap(),
        );
    }
    let key = backend.parse_public_key(&spki).unwrap();
    key.verify(signing_input.as_bytes(), &sig).unwrap();
    let mut g = c.benchmark_group("formats/shc");
    g.bench_function("verify_any", |b| {
        b.iter(|| v.verify(black_box(&card), now).unwrap())
    });
    g.bench_function("bare", |b| {
        b.iter(|| {
            key.verify(black_box(signing_input.as_bytes()), black_box(&sig))
                .unwrap()
        })
    });
    g.finish();

    // ICAO seal: the Japanese one, its signer pinned.
    let seal = read("tests/data/icao/ICAOJPQR1Contents.txt");
    let mut trust = TrustList::with_backend(backend.clone());
    trust
        .add_pem(&read("tests/data/icao/JP-seal-signer.pem"))
        .unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    assert!(v.verdict(&seal, now).is_valid());
    let parsed = json::parse(&seal).unwrap();
    let message = parsed.get("data").unwrap().canonical();
    let sig_field = parsed.get("sig").unwrap();
    let sig =
        Base64UrlUnpadded::decode_vec(sig_field.get("sigvl").unwrap().as_str().unwrap()).unwrap();
    let cer = sig_field
        .get("cer")
        .unwrap()
        .as_str()
        .unwrap()
        .trim_end_matches('=');
    let der = Base64UrlUnpadded::decode_vec(cer).unwrap();
    let cert = x509_cert::Certificate::from_der(&der).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = backend.parse_public_key(&spki).unwrap();
    let mut g = c.benchmark_group("formats/icao");
    g.bench_function("verify_any", |b| {
        b.iter(|| v.verify(black_box(&seal), now).unwrap())
    });
    g.bench_function("bare", |b| {
        b.iter(|| {
            key.verify(black_box(message.as_bytes()), black_box(&sig))
                .unwrap()
        })
    });
    g.finish();

    // HCERT through the same call: the demo pass.
    let text = read("demo/valid.txt");
    let mut trust = TrustList::with_backend(backend.clone());
    trust.add_pem(&read("demo/trust.pem")).unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    let pass = v.verify_hcert(&text, now).unwrap();
    let cose = healthpass::transport::decode_text(&text).unwrap();
    let sign1 = healthpass::cose::CoseSign1::parse(&cose).unwrap();
    let mut tbs = Vec::new();
    sign1.write_sig_structure(&mut tbs);
    let key = v.trust_list().signers(&pass.signer_kid())[0].key();
    let mut g = c.benchmark_group("formats/hcert");
    g.bench_function("verify_any", |b| {
        b.iter(|| v.verify(black_box(&text), now).unwrap())
    });
    g.bench_function("bare", |b| {
        b.iter(|| {
            key.verify(black_box(&tbs), black_box(sign1.signature()))
                .unwrap()
        })
    });
    g.finish();
}

/// The DER of a P-256 SubjectPublicKeyInfo before its point.
fn hex_prefix() -> Vec<u8> {
    vec![
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ]
}

criterion_group!(benches, bench_formats);
criterion_main!(benches);
