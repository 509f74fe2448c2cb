//! ICAO seals and the strict JSON / RFC 8785 canonical form under them:
//! hostile seals verified against the pinned Japanese signer; any JSON that
//! parses has a canonical form that parses back to the same value and is a
//! fixed point.
#![no_main]

use std::sync::OnceLock;

use healthpass::formats::json;
use healthpass::{TrustList, UnixTime, Verifier};
use libfuzzer_sys::fuzz_target;

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let mut trust = TrustList::new();
        trust
            .add_pem(include_str!("../../tests/data/icao/JP-seal-signer.pem"))
            .expect("seal signer");
        Verifier::builder()
            .trust_list(trust)
            .build()
            .expect("verifier")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verdict = verifier().verdict(text, UnixTime::from_secs(1_800_000_000));
    assert_eq!(verdict.is_valid(), verdict.error_kind().is_none());
    if verdict.is_valid() {
        assert!(matches!(
            verdict.form().map(|f| f.as_str()),
            Some("icao-vacc" | "icao-test")
        ));
    }
    let _ = healthpass::formats::icao::decode(text);
    if let Ok(value) = json::parse(text) {
        let canonical = value.canonical();
        let again = json::parse(&canonical).expect("a canonical form parses");
        assert_eq!(
            again.canonical(),
            canonical,
            "the canonical form is a fixed point"
        );
        // Same value, members possibly reordered.
        assert_eq!(again.to_serde(), value.to_serde());
    }
});
