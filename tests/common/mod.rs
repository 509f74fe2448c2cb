//! Helpers shared by the integration tests: the demo test signer.

#![allow(dead_code)]

use std::sync::Arc;

use healthpass::cose;
use healthpass::crypto::Algorithm;
use healthpass::crypto::CryptoBackend;
use healthpass::cwt::{self, Claims};
use healthpass::payload::Payload;
use healthpass::{TrustList, UnixTime, Verifier};
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey as _;

/// The demo signer certificate (PEM).
pub const DEMO_CERT_PEM: &[u8] = include_bytes!("../../demo/trust.pem");

/// The demo signer certificate (DER).
pub fn demo_der() -> Vec<u8> {
    use base64ct::{Base64, Encoding as _};
    let pem = std::str::from_utf8(DEMO_CERT_PEM).unwrap();
    Base64::decode_vec(
        &pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap()
}

/// The kid of the demo signer.
pub fn demo_kid() -> [u8; 8] {
    healthpass::trust::kid_of(&demo_der())
}

/// A verifier trusting only the demo signer (default backend).
pub fn demo_verifier() -> Verifier {
    demo_verifier_with(healthpass::crypto::default_backend())
}

/// A verifier trusting only the demo signer, on the given backend.
pub fn demo_verifier_with(
    backend: std::sync::Arc<dyn healthpass::crypto::CryptoBackend>,
) -> Verifier {
    let mut trust = TrustList::with_backend(backend);
    trust.add_any(DEMO_CERT_PEM).unwrap();
    Verifier::builder().trust_list(trust).build().unwrap()
}

/// COSE_Sign1 bytes of `payload`, signed ES256 with the demo TEST key under `kid`.
pub fn sign_demo(kid: &[u8; 8], claims: &Claims, payload: &Payload) -> Vec<u8> {
    let key = p256::ecdsa::SigningKey::from_pkcs8_pem(include_str!("../../demo/TEST-ONLY-key.pem"))
        .unwrap();
    let body = cwt::encode(claims, payload);
    let protected = cose::protected_header(Algorithm::Es256, kid);
    let sig: p256::ecdsa::Signature = key.sign(&cose::sig_structure(&protected, &body));
    cose::build(&protected, &body, &sig.to_bytes())
}

/// Parses an RFC 3339 time.
pub fn t(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap()
}

/// A crypto backend and its name.
pub type NamedBackend = (&'static str, Arc<dyn CryptoBackend>);

/// Every crypto backend compiled in, by name.
pub fn backends() -> Vec<NamedBackend> {
    let rustcrypto: NamedBackend = ("rustcrypto", Arc::new(healthpass::crypto::RustCrypto));
    #[cfg(feature = "aws-lc-rs")]
    let all = vec![
        rustcrypto,
        ("aws-lc-rs", Arc::new(healthpass::crypto::AwsLc)),
    ];
    #[cfg(not(feature = "aws-lc-rs"))]
    let all = vec![rustcrypto];
    all
}

/// Bytes from a hex string (test data only).
pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}
