//! The whole verifier with a fixed trust list (the demo signer and the
//! signer of corpus pass AT/1), on COSE bytes and on text.
#![no_main]

use std::sync::OnceLock;

use healthpass::{TrustList, UnixTime, Verifier};
use libfuzzer_sys::fuzz_target;

const AT1_CERT: &str = "MIIBvTCCAWOgAwIBAgIKAXk8i88OleLsuTAKBggqhkjOPQQDAjA2MRYwFAYDVQQDDA1BVCBER0MgQ1NDQSAxMQswCQYDVQQGEwJBVDEPMA0GA1UECgwGQk1TR1BLMB4XDTIxMDUwNTEyNDEwNloXDTIzMDUwNTEyNDEwNlowPTERMA8GA1UEAwwIQVQgRFNDIDExCzAJBgNVBAYTAkFUMQ8wDQYDVQQKDAZCTVNHUEsxCjAIBgNVBAUTATEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASt1Vz1rRuW1HqObUE9MDe7RzIk1gq4XW5GTyHuHTj5cFEn2Rge37+hINfCZZcozpwQKdyaporPUP1TE7UWl0F3o1IwUDAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFO49y1ISb6cvXshLcp8UUp9VoGLQMB8GA1UdIwQYMBaAFP7JKEOflGEvef2iMdtopsetwGGeMAoGCCqGSM49BAMCA0gAMEUCIQDG2opotWG8tJXN84ZZqT6wUBz9KF8D+z9NukYvnUEQ3QIgdBLFSTSiDt0UJaDF6St2bkUQuVHW6fQbONd731/M4nc=";

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let mut trust = TrustList::new();
        trust
            .add_any(include_bytes!("../../demo/trust.pem"))
            .expect("demo certificate");
        trust.add_base64(AT1_CERT).expect("AT/1 certificate");
        Verifier::builder()
            .trust_list(trust)
            .build()
            .expect("verifier")
    })
}

fuzz_target!(|data: &[u8]| {
    let now = UnixTime::from_secs(1_900_000_000);
    for result in [
        verifier().verify_hcert_cose(data, now),
        std::str::from_utf8(data)
            .map_err(|_| healthpass::Error::NotText)
            .and_then(|text| verifier().verify_hcert(text, now)),
    ] {
        match result {
            Ok(pass) => {
                let verdict = pass.verdict();
                assert!(verdict.is_valid() && verdict.holder().is_some());
                assert!(verdict.form().is_some() && verdict.error_kind().is_none());
                let _ = pass.form();
                pass.entry().expect("a verified pass's entry decodes");
                pass.payload().expect("a verified pass's payload decodes");
            }
            Err(e) => {
                let verdict = healthpass::Verdict::from_error(&e);
                assert!(!verdict.is_valid() && verdict.holder().is_none());
                assert!(verdict.reason().is_some_and(|r| !r.is_empty()));
            }
        }
    }
    // The any-format entry point and its verdict agree with each other.
    if let Ok(text) = std::str::from_utf8(data) {
        let result = verifier().verify(text, now);
        let verdict = verifier().verdict(text, now);
        assert_eq!(result.is_ok(), verdict.is_valid());
    }
});
