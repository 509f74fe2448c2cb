//! End-to-end verification of a real corpus pass (AT/1, ES256, 604
//! characters) beside the bare signature check of the same backend on the
//! same signed bytes, for each backend (with aws-lc-rs also with three
//! revocation lists of a million entries each); each stage on its own; and
//! the throughput of one thread against two.
//!
//! The numbers to watch are ratios within one run:
//! `verify/<backend>/end_to_end` ÷ `verify/<backend>/bare`, and
//! `threads/1` ÷ `threads/2` (each iteration is two verifications).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::cose::CoseSign1;
use healthpass::crypto::CryptoBackend;
use healthpass::{transport, TrustList, UnixTime, Verifier};
use x509_cert::der::{Decode as _, Encode as _};

struct Case {
    text: String,
    cert_b64: String,
    now: UnixTime,
    cose: Vec<u8>,
    tbs: Vec<u8>,
    sig: Vec<u8>,
    cwt: Vec<u8>,
}

fn corpus_case() -> Case {
    let raw = std::fs::read_to_string("tests/data/dgc-testdata/AT/2DCode/raw/1.json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let text = doc["PREFIX"].as_str().unwrap().to_string();
    let cert_b64 = doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap().to_string();
    let now = UnixTime::parse_rfc3339(doc["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    let cose = transport::decode_text(&text).unwrap();
    let sign1 = CoseSign1::parse(&cose).unwrap();
    let mut tbs = Vec::new();
    sign1.write_sig_structure(&mut tbs);
    let sig = sign1.signature().to_vec();
    // The CWT bytes: the third element of the COSE array.
    let cwt = match healthpass::cbor::decode_exact(&cose, "cose")
        .unwrap()
        .untagged()
    {
        healthpass::cbor::Value::Array(items) => match &items[2] {
            healthpass::cbor::Value::Bytes(b) => b.to_vec(),
            _ => unreachable!(),
        },
        _ => unreachable!(),
    };
    Case {
        text,
        cert_b64,
        now,
        cose,
        tbs,
        sig,
        cwt,
    }
}

fn spki(cert_b64: &str) -> Vec<u8> {
    use base64ct::{Base64, Encoding as _};
    let der = Base64::decode_vec(cert_b64).unwrap();
    let cert = x509_cert::Certificate::from_der(&der).unwrap();
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap()
}

fn verifier(case: &Case, backend: Arc<dyn CryptoBackend>) -> Verifier {
    let mut trust = TrustList::with_backend(backend);
    trust.add_base64(&case.cert_b64).unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    v.verify_hcert(&case.text, case.now)
        .expect("the corpus pass verifies");
    v
}

fn bench_verify(c: &mut Criterion) {
    let case = corpus_case();
    let spki = spki(&case.cert_b64);

    {
        use p256::ecdsa::signature::Verifier as _;
        use p256::pkcs8::DecodePublicKey as _;
        let v = verifier(&case, Arc::new(healthpass::crypto::RustCrypto));
        let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).unwrap();
        let mut g = c.benchmark_group("verify/rustcrypto");
        g.bench_function("end_to_end", |b| {
            b.iter(|| v.verify_hcert(black_box(&case.text), case.now).unwrap())
        });
        // The floor: the signature bytes parsed and checked over the signed
        // bytes, with the key parsed beforehand.
        g.bench_function("bare", |b| {
            b.iter(|| {
                let sig = p256::ecdsa::Signature::from_slice(black_box(&case.sig)).unwrap();
                key.verify(black_box(&case.tbs), &sig).unwrap()
            })
        });
        g.finish();
    }

    #[cfg(feature = "aws-lc-rs")]
    {
        use aws_lc_rs::signature::{ParsedPublicKey, ECDSA_P256_SHA256_FIXED};
        let v = verifier(&case, Arc::new(healthpass::crypto::AwsLc));
        let point = {
            let info = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(&spki).unwrap();
            info.subject_public_key.as_bytes().unwrap().to_vec()
        };
        let key = ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point).unwrap();
        let mut g = c.benchmark_group("verify/aws-lc");
        g.bench_function("end_to_end", |b| {
            b.iter(|| v.verify_hcert(black_box(&case.text), case.now).unwrap())
        });
        // With revocation: three lists (UCI, COUNTRYCODEUCI, SIGNATURE) of
        // a million entries each, compact at 1e-12, none holding the pass.
        let with_revocation = {
            use healthpass::revocation::{
                HashType, Revocation, RevocationHash, RevocationList, Store, StoreMode,
            };
            let mut revocation = Revocation::new();
            for (i, ty) in [HashType::Uci, HashType::CountryCodeUci, HashType::Signature]
                .into_iter()
                .enumerate()
            {
                let hashes = (0..1_000_000u64)
                    .map(|n| RevocationHash::of(&(n * 3 + i as u64).to_le_bytes()))
                    .collect();
                let store = Store::build(
                    hashes,
                    StoreMode::Compact {
                        false_positive_rate: 1e-12,
                    },
                )
                .unwrap();
                revocation = revocation.with_list(RevocationList::local(ty, store));
            }
            Verifier::builder()
                .trust_list(v.trust_list().clone())
                .revocation(revocation)
                .build()
                .unwrap()
        };
        g.bench_function("end_to_end_with_revocation", |b| {
            b.iter(|| {
                with_revocation
                    .verify_hcert(black_box(&case.text), case.now)
                    .unwrap()
            })
        });
        g.bench_function("bare", |b| {
            b.iter(|| {
                key.verify_sig(black_box(&case.tbs), black_box(&case.sig))
                    .unwrap()
            })
        });
        g.finish();
    }
}

fn bench_stages(c: &mut Criterion) {
    let case = corpus_case();
    let b45 = transport::strip_prefix(&case.text).unwrap().to_string();
    let zlib = transport::base45_decode(&b45).unwrap();
    let mut g = c.benchmark_group("stage");
    g.bench_function("base45", |b| {
        b.iter(|| transport::base45_decode(black_box(&b45)).unwrap())
    });
    g.bench_function("inflate", |b| {
        b.iter(|| transport::inflate(black_box(&zlib)).unwrap())
    });
    g.bench_function("cose_parse", |b| {
        b.iter(|| CoseSign1::parse(black_box(&case.cose)).unwrap().kid())
    });
    g.bench_function("claims_payload_check", |b| {
        b.iter(|| healthpass::cwt::check(black_box(&case.cwt)).unwrap())
    });
    g.bench_function("payload_to_json", |b| {
        b.iter(|| healthpass::cwt::decode(black_box(&case.cwt)).unwrap())
    });
    let payload = healthpass::cwt::decode(&case.cwt).unwrap().payload;
    g.bench_function("schema_validation", |b| {
        b.iter(|| black_box(&payload).validate_schema().is_ok())
    });
    g.finish();
}

/// Two verifications per iteration: one after the other on this thread, or
/// one on each of two threads at once. Verifier is Send + Sync and shared.
fn bench_threads(c: &mut Criterion) {
    let case = corpus_case();
    let v = verifier(&case, healthpass::crypto::default_backend());
    let mut g = c.benchmark_group("threads");
    g.bench_function("1", |b| {
        b.iter(|| {
            v.verify_hcert(black_box(&case.text), case.now).unwrap();
            v.verify_hcert(black_box(&case.text), case.now).unwrap();
        })
    });
    g.bench_function("2", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            std::thread::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|| {
                        for _ in 0..iters {
                            v.verify_hcert(black_box(&case.text), case.now).unwrap();
                        }
                    });
                }
            });
            start.elapsed().max(Duration::from_nanos(1))
        })
    });
    g.finish();
}

criterion_group!(benches, bench_verify, bench_stages, bench_threads);
criterion_main!(benches);
