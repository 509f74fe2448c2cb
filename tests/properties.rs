//! Property tests: round trips through each stage, and "a pass signed over
//! arbitrary content verifies to that content, and any single-bit change of
//! it is rejected".

mod common;

use healthpass::cose;
use healthpass::cwt::{self, Claims};
use healthpass::payload::Payload;
use healthpass::{transport, UnixTime, Verifier};
use proptest::prelude::*;
use serde_json::json;

fn demo_verifier() -> (Verifier, [u8; 8]) {
    (common::demo_verifier(), common::demo_kid())
}

fn name() -> impl Strategy<Value = String> {
    "[\\PC]{0,30}"
}

fn std_name() -> impl Strategy<Value = String> {
    "[A-Z<]{1,30}"
}

prop_compose! {
    fn payload()(fam in name(), fam_std in std_name(), giv in name(), giv_std in std_name(),
                 y in 1900u32..2100, m in 1u32..13, d in 1u32..29, kind in 0u8..3,
                 dn in 1u32..10, text in name()) -> Payload {
        let entry = match kind {
            0 => json!({"v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                "ma": "ORG-100030215", "dn": dn, "sd": dn, "dt": "2021-05-01", "co": "AT",
                "is": text, "ci": "URN:UVCI:01:AT:X"}]}),
            1 => json!({"t": [{"tg": "840539006", "tt": "LP6464-4", "sc": "2021-05-01T10:00:00Z",
                "tr": "260415000", "co": "AT", "is": text, "ci": "URN:UVCI:01:AT:Y"}]}),
            _ => json!({"r": [{"tg": "840539006", "fr": "2021-05-01", "co": "AT", "is": text,
                "df": "2021-05-12", "du": "2021-11-01", "ci": "URN:UVCI:01:AT:Z"}]}),
        };
        let mut p = json!({
            "ver": "1.3.0",
            "nam": {"fn": fam, "fnt": fam_std, "gn": giv, "gnt": giv_std},
            "dob": format!("{y:04}-{m:02}-{d:02}"),
        });
        p.as_object_mut().unwrap().extend(entry.as_object().unwrap().clone());
        Payload::from_json(p).unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn base45_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = transport::base45_encode(&bytes);
        prop_assert_eq!(transport::base45_decode(&text).unwrap(), bytes);
    }

    #[test]
    fn base45_decode_never_panics(s in "\\PC{0,64}") {
        let _ = transport::base45_decode(&s);
    }

    #[test]
    fn zlib_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        prop_assert_eq!(transport::inflate(&transport::deflate(&bytes).unwrap()).unwrap(), bytes);
    }

    #[test]
    fn cbor_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = healthpass::cbor::decode_exact(&bytes, "x");
        let _ = cose::CoseSign1::parse(&bytes);
        let _ = cwt::decode(&bytes);
    }

    #[test]
    fn payloads_are_schema_valid_and_survive_cbor(p in payload()) {
        prop_assert!(p.validate_schema().is_ok(), "{:?}", p.validate_schema());
        let back = Payload::from_cbor_bytes(&p.to_cbor()).unwrap();
        prop_assert_eq!(back.to_json(), p.to_json());
    }

    #[test]
    fn signed_payload_verifies_to_itself_and_any_bit_flip_is_rejected(
        p in payload(), flip in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let (verifier, kid) = demo_verifier();
        let claims = Claims {
            issuer: Some("XX".into()),
            issued_at: UnixTime::from_secs(1_900_000_000),
            expires: Some(UnixTime::from_secs(2_000_000_000)),
        };
        let now = UnixTime::from_secs(1_950_000_000);
        let cose_bytes = common::sign_demo(&kid, &claims, &p);
        let text = transport::encode_text(&cose_bytes).unwrap();
        let pass = verifier.verify_hcert(&text, now).unwrap();
        prop_assert_eq!(pass.payload().unwrap().to_json(), p.to_json());
        prop_assert_eq!(pass.issuer_country(), claims.issuer.as_deref());
        prop_assert_eq!(pass.issued_at(), claims.issued_at);
        prop_assert_eq!(pass.expires(), claims.expires);
        let v = pass.verdict();
        prop_assert_eq!(&v.holder().unwrap().date_of_birth, p.date_of_birth().unwrap());

        let mut bad = cose_bytes.clone();
        let i = flip.index(bad.len());
        bad[i] ^= 1 << bit;
        prop_assert!(verifier.verify_hcert_cose(&bad, now).is_err(), "flip of bit {} in byte {} accepted", bit, i);
    }
}
