//! SMART Health Cards: `shc:/` text (numeric mode, chunks), compact JWS,
//! raw DEFLATE, strict JSON, FHIR holder — verified against the spec's
//! example issuer (keys and revocation list); and the same bytes read as
//! an issuer's JWK set and as a revocation list. Typed errors only.
#![no_main]

use std::sync::OnceLock;

use healthpass::formats::shc::{self, KeyBinding, ShcIssuers};
use healthpass::{TrustList, UnixTime, Verifier};
use libfuzzer_sys::fuzz_target;

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let mut issuers = ShcIssuers::new();
        issuers
            .add_jwks_strict(
                include_str!("../../tests/data/shc/example-issuer.jwks.json"),
                KeyBinding::AnyIssuer,
            )
            .expect("example jwks");
        issuers
            .add_revocation_list(include_str!(
                "../../tests/data/shc/example-issuer.crl-3Kfdg.json"
            ))
            .expect("example crl");
        Verifier::builder()
            .trust_list(TrustList::new())
            .shc_issuers(issuers)
            .build()
            .expect("verifier")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = UnixTime::from_secs(1_800_000_000);
    // As scanned text: with the prefix, and with it added.
    for input in [text.to_owned(), format!("shc:/{text}")] {
        let verdict = verifier().verdict(&input, now);
        assert_eq!(verdict.is_valid(), verdict.error_kind().is_none());
        if verdict.is_valid() {
            // Only the example issuer's key verifies: a card it signed.
            assert_eq!(verdict.form().map(|f| f.as_str()), Some("shc"));
            assert!(!verdict.holder().expect("holder").name.is_empty());
        }
        if let Ok(card) = shc::decode(&input) {
            assert!(!card.kid.is_empty() || card.kid.is_empty());
        }
    }
    // As an issuer's JWK set and as a revocation list.
    let mut issuers = ShcIssuers::new();
    if let Ok(load) = issuers.add_jwks(text, KeyBinding::Issuer("https://x.example")) {
        assert_eq!(issuers.len(), load.added);
    }
    let _ = issuers.add_revocation_list(text);
});
