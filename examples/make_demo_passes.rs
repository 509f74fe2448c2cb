//! Writes the bundled demo passes (`demo/*.txt`), signed with the demo
//! TEST key (`demo/TEST-ONLY-key.pem`, whose certificate is
//! `demo/trust.pem`). The key is published in this repository: passes it
//! signs prove nothing. Never trust `demo/trust.pem` outside demos.
//!
//! Run from the repository root: `cargo run --example make_demo_passes`.

use healthpass::cose;
use healthpass::crypto::Algorithm;
use healthpass::cwt::{self, Claims};
use healthpass::payload::Payload;
use healthpass::transport;
use healthpass::trust::kid_of;
use healthpass::UnixTime;
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey as _;
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = p256::ecdsa::SigningKey::from_pkcs8_pem(&std::fs::read_to_string(
        "demo/TEST-ONLY-key.pem",
    )?)?;
    let cert_pem = std::fs::read_to_string("demo/trust.pem")?;
    let der = pem_body(&cert_pem)?;
    let kid = kid_of(&der);
    let t = |s: &str| UnixTime::parse_rfc3339(s);

    let vaccination = Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Musterfrau-Gößinger", "fnt": "MUSTERFRAU<GOESSINGER", "gn": "Gabriele", "gnt": "GABRIELE"},
        "dob": "1964-08-12",
        "v": [{
            "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
            "dn": 2, "sd": 2, "dt": "2026-10-01", "co": "AT", "is": "healthpass demo issuer",
            "ci": "URN:UVCI:01:XX:DEMO0000000000000000000001#4"
        }]
    }))?;
    let test = Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Doe", "fnt": "DOE", "gn": "John", "gnt": "JOHN"},
        "dob": "1990-01",
        "t": [{
            "tg": "840539006", "tt": "LP6464-4", "nm": "demo PCR", "sc": "2026-11-24T08:00:00Z",
            "tr": "260415000", "tc": "demo test centre", "co": "AT", "is": "healthpass demo issuer",
            "ci": "URN:UVCI:01:XX:DEMO0000000000000000000002#6"
        }]
    }))?;

    let sign = |claims: &Claims, payload: &Payload| {
        let body = cwt::encode(claims, payload);
        let protected = cose::protected_header(Algorithm::Es256, &kid);
        let sig: p256::ecdsa::Signature = key.sign(&cose::sig_structure(&protected, &body));
        transport::encode_text(&cose::build(&protected, &body, &sig.to_bytes()))
    };
    let claims = |iat: &str, exp: &str| -> Result<Claims, healthpass::Error> {
        Ok(Claims {
            issuer: Some("XX".into()),
            issued_at: t(iat)?,
            expires: t(exp)?,
        })
    };

    let valid = sign(
        &claims("2026-11-25T00:00:00Z", "2036-11-25T00:00:00Z")?,
        &vaccination,
    );
    let valid_test = sign(
        &claims("2026-11-25T00:00:00Z", "2036-11-25T00:00:00Z")?,
        &test,
    );
    let expired = sign(
        &claims("2025-01-01T00:00:00Z", "2025-06-30T00:00:00Z")?,
        &vaccination,
    );
    // Tampered: the signed pass with its date of birth changed afterwards.
    let tampered = {
        let cose_bytes = transport::decode_text(&valid)?;
        let needle = b"1964-08-12";
        let at = cose_bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .ok_or("date of birth not found")?;
        let mut forged = cose_bytes.clone();
        forged[at..at + needle.len()].copy_from_slice(b"1994-08-12");
        transport::encode_text(&forged)
    };
    for (name, text) in [
        ("valid", &valid),
        ("valid-test", &valid_test),
        ("expired", &expired),
        ("tampered", &tampered),
    ] {
        std::fs::write(format!("demo/{name}.txt"), format!("{text}\n"))?;
        println!("demo/{name}.txt");
    }
    Ok(())
}

/// The DER inside a one-certificate PEM.
fn pem_body(pem: &str) -> Result<Vec<u8>, base64ct::Error> {
    use base64ct::{Base64, Encoding as _};
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body)
}
