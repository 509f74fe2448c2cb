//! The verifier's own rules: builder, clock skew, shared kids, the order of
//! checks and the privacy of the verdict.

use healthpass::cose;
use healthpass::crypto::Algorithm;
use healthpass::cwt::{self, Claims};
use healthpass::payload::Payload;
use healthpass::{transport, Error, ErrorKind, TrustList, UnixTime, Verdict, Verifier};
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey as _;
use serde_json::json;

const DEMO_CERT: &[u8] = include_bytes!("../demo/trust.pem");

fn demo_der() -> Vec<u8> {
    use base64ct::{Base64, Encoding as _};
    let pem = std::str::from_utf8(DEMO_CERT).unwrap();
    Base64::decode_vec(
        &pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap()
}

fn other_der() -> Vec<u8> {
    // An RSA and an EC certificate of the EU corpus.
    let raw =
        std::fs::read_to_string("tests/data/dgc-testdata/common/2DCode/raw/CO3.json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    use base64ct::{Base64, Encoding as _};
    Base64::decode_vec(doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap()
}

fn t(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap()
}

fn payload() -> Payload {
    Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Doe", "fnt": "DOE", "gn": "Jane", "gnt": "JANE"},
        "dob": "1980-02-29",
        "r": [{"tg": "840539006", "fr": "2030-01-01", "co": "AT", "is": "X",
               "df": "2030-01-12", "du": "2030-06-01", "ci": "URN:UVCI:01:AT:R"}]
    }))
    .unwrap()
}

fn pass(iat: &str, exp: &str, kid: [u8; 8]) -> String {
    let key =
        p256::ecdsa::SigningKey::from_pkcs8_pem(include_str!("../demo/TEST-ONLY-key.pem")).unwrap();
    let claims = Claims {
        issuer: Some("XX".into()),
        issued_at: t(iat),
        expires: t(exp),
    };
    let body = cwt::encode(&claims, &payload());
    let protected = cose::protected_header(Algorithm::Es256, &kid);
    let sig: p256::ecdsa::Signature = key.sign(&cose::sig_structure(&protected, &body));
    transport::encode_text(&cose::build(&protected, None, &body, &sig.to_bytes()))
}

fn demo_kid() -> [u8; 8] {
    healthpass::trust::kid_of(&demo_der())
}

fn verifier(skew: u32) -> Verifier {
    let mut trust = TrustList::new();
    trust.add_any(DEMO_CERT).unwrap();
    Verifier::builder()
        .trust_list(trust)
        .clock_skew_secs(skew)
        .build()
        .unwrap()
}

#[test]
fn verifier_is_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Verifier>();
    check::<TrustList>();
    check::<healthpass::VerifiedPass>();
}

#[test]
fn builder_needs_a_trust_list() {
    assert!(matches!(
        Verifier::builder().build(),
        Err(Error::Certificate(_))
    ));
}

#[test]
fn time_checks_and_skew() {
    let text = pass("2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z", demo_kid());
    let v = verifier(0);
    assert!(v.verify(&text, t("2030-01-01T00:00:00Z")).is_ok()); // iat inclusive
    assert!(v.verify(&text, t("2030-02-01T00:00:00Z")).is_ok()); // exp inclusive
    let early = v.verify(&text, t("2029-12-31T23:59:59Z")).unwrap_err();
    assert_eq!(early.kind(), ErrorKind::NotYetValid);
    let late = v.verify(&text, t("2030-02-01T00:00:01Z")).unwrap_err();
    assert_eq!(
        late,
        Error::Expired {
            at: t("2030-02-01T00:00:01Z"),
            expired_at: t("2030-02-01T00:00:00Z")
        }
    );
    let v = verifier(300);
    assert!(v.verify(&text, t("2029-12-31T23:55:00Z")).is_ok());
    assert!(v.verify(&text, t("2030-02-01T00:05:00Z")).is_ok());
    assert!(v.verify(&text, t("2030-02-01T00:05:01Z")).is_err());
    // skew is capped at one day
    let v = verifier(u32::MAX);
    assert!(v.verify(&text, t("2030-02-03T00:00:00Z")).is_err());
}

#[test]
fn signer_validity_is_checked_at_verification_time() {
    let text = pass("2020-01-01T00:00:00Z", "2060-01-01T00:00:00Z", demo_kid());
    // the demo certificate is valid from 2026-11-25 to 2046-11-20
    let e = verifier(0)
        .verify(&text, t("2026-01-01T00:00:00Z"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted);
    let e = verifier(0)
        .verify(&text, t("2050-01-01T00:00:00Z"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted);
}

#[test]
fn every_certificate_sharing_a_kid_is_tried() {
    let kid = [7u8; 8];
    let text = pass("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", kid);
    for order in [[other_der(), demo_der()], [demo_der(), other_der()]] {
        let mut trust = TrustList::new();
        for der in &order {
            trust.add_der_with_kid(der, kid).unwrap();
        }
        assert_eq!(trust.signers(&kid).len(), 2);
        let v = Verifier::builder().trust_list(trust).build().unwrap();
        assert!(v.verify(&text, t("2030-06-01T00:00:00Z")).is_ok());
    }
    // only the other certificate under that kid: the signature fails
    let mut trust = TrustList::new();
    trust.add_der_with_kid(&other_der(), kid).unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    assert_eq!(
        v.verify(&text, t("2030-06-01T00:00:00Z")).unwrap_err(),
        Error::BadSignature
    );
}

#[test]
fn unknown_kid_and_empty_trust_list() {
    let text = pass("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", [1; 8]);
    assert_eq!(
        verifier(0)
            .verify(&text, t("2030-06-01T00:00:00Z"))
            .unwrap_err(),
        Error::UnknownKid
    );
    let v = Verifier::builder()
        .trust_list(TrustList::new())
        .build()
        .unwrap();
    assert_eq!(
        v.verify(&text, t("2030-06-01T00:00:00Z")).unwrap_err(),
        Error::UnknownKid
    );
}

#[test]
fn verdict_is_privacy_minimal() {
    let text = pass("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", demo_kid());
    let result = verifier(0).verify(&text, t("2030-06-01T00:00:00Z"));
    let verdict = Verdict::from_result(&result);
    let json = serde_json::to_string(&verdict).unwrap();
    for medical in ["840539006", "\"r\"", "recovery", "2030-01-12", "URN:UVCI"] {
        assert!(!json.contains(medical), "{medical} in {json}");
    }
    let holder = verdict.holder.unwrap();
    assert_eq!(holder.family_name_std.as_deref(), Some("DOE"));
    assert_eq!(holder.date_of_birth, "1980-02-29");
    assert_eq!(verdict.valid_until, Some(t("2031-01-01T00:00:00Z")));
    // the health data is there, but only on request
    let pass = result.unwrap();
    assert_eq!(pass.entry().kind(), healthpass::trust::PassKind::Recovery);
    // an invalid pass shows nothing of its (unverified) holder
    let bad = Verdict::from_result(&verifier(0).verify(&text, t("2032-01-01T00:00:00Z")));
    assert!(!bad.valid && bad.holder.is_none() && bad.valid_until.is_none());
    assert_eq!(bad.error_kind, Some(ErrorKind::Expired));
}

#[test]
fn kind_restricted_signer() {
    // CO6: a test-only certificate may not sign a vaccination.
    let raw =
        std::fs::read_to_string("tests/data/dgc-testdata/common/2DCode/raw/CO6.json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let mut trust = TrustList::new();
    trust
        .add_base64(doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    let text = doc["PREFIX"].as_str().unwrap();
    let e = v
        .verify(text, t(doc["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()))
        .unwrap_err();
    assert_eq!(e, Error::KindNotAllowed);
}
