//! Writes `demo/trust.pem`: a self-signed certificate for the demo TEST key
//! (`demo/TEST-ONLY-key.pem`), country XX, without a pass-kind restriction
//! (so that it can sign every kind, exemption and light passes included),
//! valid from 2026-11-25T09:51:53Z to 2046-11-20T09:51:53Z. The key is
//! published in this repository: never trust this certificate outside demos.
//!
//! Run from the repository root: `cargo run --example make_demo_signer`,
//! then `cargo run --example make_demo_passes --features qr` (the kid
//! changes with the certificate).

use healthpass::issue::SigningKey;
use healthpass::issue::{certificate_pem, self_signed_certificate, CertificateParams};
use healthpass::signed::Validity;
use healthpass::UnixTime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = SigningKey::from_pkcs8_pem(&std::fs::read_to_string("demo/TEST-ONLY-key.pem")?)?;
    let der = self_signed_certificate(
        &key,
        &CertificateParams::new(
            "XX",
            "healthpass DEMO TEST SIGNER - NOT FOR PRODUCTION",
            Validity::new(
                UnixTime::parse_rfc3339("2026-11-25T09:51:53Z")?,
                UnixTime::parse_rfc3339("2046-11-20T09:51:53Z")?,
            )?,
        ),
    )?;
    std::fs::write("demo/trust.pem", certificate_pem(&der))?;
    println!("demo/trust.pem");
    Ok(())
}
