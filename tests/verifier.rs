//! The verifier's own rules: builder, clock skew, shared kids, the order of
//! checks and the privacy of the verdict.

use healthpass::cwt::Claims;
use healthpass::payload::Payload;
use healthpass::{transport, Error, ErrorKind, TrustList, Verifier};
use serde_json::json;

mod common;
use common::{demo_der, demo_kid, sign_demo, t, DEMO_CERT_PEM as DEMO_CERT};

fn other_der() -> Vec<u8> {
    // An RSA and an EC certificate of the EU corpus.
    let raw =
        std::fs::read_to_string("tests/data/dgc-testdata/common/2DCode/raw/CO3.json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    use base64ct::{Base64, Encoding as _};
    Base64::decode_vec(doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap()
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
    let claims = Claims {
        issuer: Some("XX".into()),
        issued_at: t(iat),
        expires: Some(t(exp)),
    };
    transport::encode_text(&sign_demo(&kid, &claims, &payload())).unwrap()
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
    assert_eq!(Verifier::builder().build().unwrap_err(), Error::NoTrustList);
}

#[test]
fn time_checks_and_skew() {
    let text = pass("2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z", demo_kid());
    let v = verifier(0);
    assert!(v.verify_hcert(&text, t("2030-01-01T00:00:00Z")).is_ok()); // iat inclusive
    assert!(v.verify_hcert(&text, t("2030-02-01T00:00:00Z")).is_ok()); // exp inclusive
    let early = v
        .verify_hcert(&text, t("2029-12-31T23:59:59Z"))
        .unwrap_err();
    assert_eq!(early.kind(), ErrorKind::NotYetValid);
    let late = v
        .verify_hcert(&text, t("2030-02-01T00:00:01Z"))
        .unwrap_err();
    assert_eq!(
        late,
        Error::Expired {
            at: t("2030-02-01T00:00:01Z"),
            expired_at: t("2030-02-01T00:00:00Z")
        }
    );
    let v = verifier(300);
    assert!(v.verify_hcert(&text, t("2029-12-31T23:55:00Z")).is_ok());
    assert!(v.verify_hcert(&text, t("2030-02-01T00:05:00Z")).is_ok());
    assert!(v.verify_hcert(&text, t("2030-02-01T00:05:01Z")).is_err());
    // skew is capped at one day
    let v = verifier(u32::MAX);
    assert!(v.verify_hcert(&text, t("2030-02-03T00:00:00Z")).is_err());
}

#[test]
fn signer_validity_is_checked_at_verification_time() {
    let text = pass("2020-01-01T00:00:00Z", "2060-01-01T00:00:00Z", demo_kid());
    // the demo certificate is valid from 2026-11-25 to 2046-11-20
    let e = verifier(0)
        .verify_hcert(&text, t("2026-01-01T00:00:00Z"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted);
    let e = verifier(0)
        .verify_hcert(&text, t("2050-01-01T00:00:00Z"))
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
        assert!(v.verify_hcert(&text, t("2030-06-01T00:00:00Z")).is_ok());
    }
    // only the other certificate under that kid: the signature fails
    let mut trust = TrustList::new();
    trust.add_der_with_kid(&other_der(), kid).unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    assert_eq!(
        v.verify_hcert(&text, t("2030-06-01T00:00:00Z"))
            .unwrap_err(),
        Error::BadSignature
    );
}

#[test]
fn unknown_kid_and_empty_trust_list() {
    let text = pass("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", [1; 8]);
    assert_eq!(
        verifier(0)
            .verify_hcert(&text, t("2030-06-01T00:00:00Z"))
            .unwrap_err(),
        Error::UnknownKid
    );
    let v = Verifier::builder()
        .trust_list(TrustList::new())
        .build()
        .unwrap();
    assert_eq!(
        v.verify_hcert(&text, t("2030-06-01T00:00:00Z"))
            .unwrap_err(),
        Error::UnknownKid
    );
}

#[test]
fn verdict_is_privacy_minimal() {
    let text = pass("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", demo_kid());
    let result = verifier(0).verify_hcert(&text, t("2030-06-01T00:00:00Z"));
    let verdict = verifier(0).verdict(&text, t("2030-06-01T00:00:00Z"));
    let json = serde_json::to_string(&verdict).unwrap();
    for medical in ["840539006", "\"r\"", "recovery", "2030-01-12", "URN:UVCI"] {
        assert!(!json.contains(medical), "{medical} in {json}");
    }
    let holder = verdict.holder().unwrap();
    assert_eq!(holder.family_name_std.as_deref(), Some("DOE"));
    assert_eq!(holder.date_of_birth, "1980-02-29");
    assert_eq!(verdict.valid_until(), Some(t("2031-01-01T00:00:00Z")));
    // the health data is there, but only on request, and not in Debug output
    let pass = result.unwrap();
    let debug = format!("{pass:?}");
    for medical in [
        "840539006",
        "recovery",
        "Recovery",
        "2030-01-12",
        "URN:UVCI",
    ] {
        assert!(!debug.contains(medical), "{medical} in {debug}");
    }
    assert_eq!(
        pass.entry().unwrap().map(|e| e.kind()),
        Some(healthpass::PassKind::Recovery)
    );
    // an invalid pass shows nothing of its (unverified) holder
    let bad = verifier(0).verdict(&text, t("2032-01-01T00:00:00Z"));
    assert!(!bad.is_valid() && bad.holder().is_none() && bad.valid_until().is_none());
    assert_eq!(bad.error_kind(), Some(ErrorKind::Expired));
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
        .verify_hcert(text, t(doc["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()))
        .unwrap_err();
    assert_eq!(e, Error::KindNotAllowed);
}

#[test]
fn trust_file_formats() {
    use base64ct::{Base64, Encoding as _};
    let (a, b) = (demo_der(), other_der());
    let pem = |d: &[u8]| {
        let body = Base64::encode_string(d);
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    };
    let cases: Vec<(&str, Vec<u8>, usize)> = vec![
        ("der", a.clone(), 1),
        (
            "pem, two blocks",
            format!("{}{}", pem(&a), pem(&b)).into_bytes(),
            2,
        ),
        (
            "pem with a bom and text around",
            format!("\u{feff}issuer list\n{}", pem(&b)).into_bytes(),
            1,
        ),
        (
            "base64, one line",
            Base64::encode_string(&a).into_bytes(),
            1,
        ),
        (
            "base64, wrapped",
            pem(&a)
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes(),
            1,
        ),
        (
            "base64, one per line",
            format!(
                "{}\n{}\n",
                Base64::encode_string(&a),
                Base64::encode_string(&b)
            )
            .into_bytes(),
            2,
        ),
    ];
    for (name, bytes, n) in cases {
        let mut trust = TrustList::new();
        let kids = trust
            .add_any(&bytes)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(kids.len(), n, "{name}");
        assert_eq!(trust.len(), n, "{name}");
        assert_eq!(
            kids[0],
            healthpass::trust::kid_of(if name.starts_with("pem with") { &b } else { &a }),
            "{name}"
        );
    }
    // one bad block among good ones: nothing is added
    let mut trust = TrustList::new();
    let mixed = format!("{}\nnot base64!\n", Base64::encode_string(&a));
    assert!(trust.add_any(mixed.as_bytes()).is_err());
    assert!(trust.is_empty());
    // what the demo certificate says of itself
    let mut trust = TrustList::new();
    let kid = trust.add_der(&a).unwrap();
    let signer = &trust.signers(&kid)[0];
    assert_eq!(signer.country(), Some("XX"));
    assert!(signer.kinds().is_unrestricted());
    assert_eq!(signer.not_after(), t("2046-11-20T09:51:53Z"));
}
