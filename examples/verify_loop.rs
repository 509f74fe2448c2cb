//! Verifies a corpus pass (AT/1, ES256) N times, end to end or as the bare
//! signature check of the same signed bytes (through the backend's key), for
//! instruction counting:
//!
//! ```sh
//! cargo build --release --example verify_loop --features aws-lc-rs
//! for mode in none bare e2e; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/verify_loop $mode 100 rustcrypto   # or aws-lc
//! done
//! ```
//!
//! (e2e − none) ÷ (bare − none) is the end-to-end cost relative to the bare
//! check, in instructions.
//!
//! Unlike wall-clock benches on a shared machine, the counts repeat exactly.

use healthpass::cose::CoseSign1;
use healthpass::{transport, TrustList, UnixTime, Verifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "e2e".into());
    let n: usize = args.next().map_or(Ok(100), |s| s.parse())?;
    let backend: std::sync::Arc<dyn healthpass::crypto::CryptoBackend> =
        match args.next().as_deref() {
            Some("rustcrypto") => std::sync::Arc::new(healthpass::crypto::RustCrypto),
            #[cfg(feature = "aws-lc-rs")]
            Some("aws-lc") => std::sync::Arc::new(healthpass::crypto::AwsLc),
            None => healthpass::crypto::default_backend(),
            Some(other) => return Err(format!("unknown backend {other}").into()),
        };

    let raw = std::fs::read_to_string("tests/data/dgc-testdata/AT/2DCode/raw/1.json")?;
    let doc: serde_json::Value = serde_json::from_str(&raw)?;
    let text = doc["PREFIX"].as_str().ok_or("no PREFIX")?;
    let cert = doc["TESTCTX"]["CERTIFICATE"]
        .as_str()
        .ok_or("no certificate")?;
    let now = UnixTime::parse_rfc3339(
        doc["TESTCTX"]["VALIDATIONCLOCK"]
            .as_str()
            .ok_or("no clock")?,
    )?;
    let mut trust = TrustList::with_backend(backend);
    let kid = trust.add_base64(cert)?;
    let verifier = Verifier::builder().trust_list(trust.clone()).build()?;

    let cose = transport::decode_text(text)?;
    let sign1 = CoseSign1::parse(&cose)?;
    let mut tbs = Vec::new();
    sign1.write_sig_structure(&mut tbs);
    let key = trust.signers(&kid).first().ok_or("no signer")?.key();

    let mut ok = 0;
    for _ in 0..n {
        let good = match mode.as_str() {
            "bare" => key.verify(&tbs, sign1.signature()).is_ok(),
            "none" => true,
            _ => verifier.verify_hcert(text, now).is_ok(),
        };
        ok += usize::from(good);
    }
    println!("{mode}: {ok}/{n} verified");
    Ok(())
}
