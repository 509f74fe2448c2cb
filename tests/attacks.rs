//! The holes an attacker found (issue 16), each as a test that failed
//! before its fix: light passes laundering revoked ones, headers the
//! verifier ignored, signers that are CAs or have small RSA exponents, and
//! passes "signed" before their signer existed. Revocation-list attacks
//! (unsigned lists, list anchors, country source, replay) are in
//! `tests/revocation.rs`; the command line's in `cli/tests/cli.rs`; CPU
//! traps in `tests/hostile.rs`.

#![cfg(feature = "rustcrypto")]

mod common;

use std::time::Duration;

use common::{backends, demo_kid, t, DEMO_CERT_PEM};
use healthpass::cbor::Encoder;
use healthpass::cose;
use healthpass::crypto::Algorithm;
use healthpass::cwt::{self, Claims};
use healthpass::issue::SigningKey;
use healthpass::issue::{Issuer, DEFAULT_LIGHT_VALIDITY, MAX_LIGHT_VALIDITY};
use healthpass::payload::Payload;
use healthpass::{transport, Error, ErrorKind, TrustList, Verifier};

fn demo_issuer() -> Issuer {
    Issuer::from_pem(
        include_str!("../demo/TEST-ONLY-key.pem"),
        std::str::from_utf8(DEMO_CERT_PEM).unwrap(),
    )
    .unwrap()
}

fn demo_key() -> SigningKey {
    SigningKey::from_pkcs8_pem(include_str!("../demo/TEST-ONLY-key.pem")).unwrap()
}

fn payload() -> Payload {
    Payload::from_json(serde_json::json!({
        "ver": "1.3.0", "nam": {"fnt": "DOE", "gnt": "JANE"}, "dob": "1990-01-01",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": "2026-11-30T08:00:00Z",
               "tr": "260415000", "co": "AT", "is": "X", "ci": "URN:UVCI:01:AT:ATTACK"}]
    }))
    .unwrap()
}

/// A pass signed with the demo key over `protected` as given.
fn signed_with_protected(protected: &[u8], claims: &Claims) -> String {
    let body = cwt::encode(claims, &payload());
    let sig = demo_key()
        .sign(&cose::sig_structure(protected, &body))
        .unwrap();
    transport::encode_text(&cose::build(protected, &body, &sig)).unwrap()
}

fn claims(iat: &str, exp: &str) -> Claims {
    Claims {
        issuer: Some("XX".into()),
        issued_at: t(iat),
        expires: Some(t(exp)),
    }
}

/// 16.1: a light pass lives at most 7 days, and is never made from another
/// light pass (whose own source a list could no longer reach).
#[test]
fn light_passes_are_short_lived_and_never_made_from_light_passes() {
    let issuer = demo_issuer();
    let verifier = common::demo_verifier();
    let now = t("2026-11-26T00:00:00Z");
    let source = verifier
        .verify_hcert(include_str!("../demo/valid.txt").trim(), now)
        .unwrap();
    assert_eq!(DEFAULT_LIGHT_VALIDITY, Duration::from_secs(48 * 3600));
    let light = issuer
        .issue_light(&source, now, DEFAULT_LIGHT_VALIDITY)
        .unwrap();
    assert_eq!(
        verifier.verify_hcert(&light, now).unwrap().valid_until(),
        Some(t("2026-11-28T00:00:00Z"))
    );
    assert!(issuer.issue_light(&source, now, MAX_LIGHT_VALIDITY).is_ok());
    for too_long in [
        MAX_LIGHT_VALIDITY + Duration::from_secs(1),
        Duration::from_secs(365 * 86_400),
    ] {
        assert_eq!(
            issuer.issue_light(&source, now, too_long).unwrap_err(),
            Error::Issuing("a light pass is valid for at most 7 days")
        );
    }
    let light_pass = verifier.verify_hcert(&light, now).unwrap();
    assert_eq!(
        issuer
            .issue_light(&light_pass, now, DEFAULT_LIGHT_VALIDITY)
            .unwrap_err(),
        Error::Issuing("the source is already a light pass")
    );
}

/// 16.6: a protected `crit` naming a parameter the verifier does not
/// understand makes the pass invalid (RFC 9052 §3.1), though its signature
/// is good.
#[test]
fn an_unknown_critical_header_is_rejected() {
    let kid = demo_kid();
    let protected = |crit: &[i64]| {
        let mut e = Encoder::new();
        e.map(4).int(1).int(-7).int(2).array(crit.len());
        for l in crit {
            e.int(*l);
        }
        e.int(4).bytes(&kid).int(99).int(1);
        e.into_bytes()
    };
    let claims = claims("2026-11-26T00:00:00Z", "2027-11-26T00:00:00Z");
    let now = t("2026-12-01T00:00:00Z");
    for (name, backend) in backends() {
        let v = common::demo_verifier_with(backend);
        let e = v
            .verify_hcert(&signed_with_protected(&protected(&[99]), &claims), now)
            .unwrap_err();
        assert_eq!(e, Error::UnknownCriticalHeader("99".into()), "{name}");
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        // Naming only understood parameters is fine.
        assert!(v
            .verify_hcert(&signed_with_protected(&protected(&[1, 4]), &claims), now)
            .is_ok());
    }
}

/// 16.7: a CA certificate is not a pass signer; an RSA key with a public
/// exponent below 65537 is not acceptable.
#[test]
fn ca_certificates_and_small_rsa_exponents_are_refused() {
    let ca = include_bytes!("data/keys/p256-ca.cert.der");
    let e3 = include_bytes!("data/keys/rsa2048-e3.cert.der");
    for (name, backend) in backends() {
        let mut trust = TrustList::with_backend(backend);
        assert_eq!(
            trust.add_der(ca).unwrap_err(),
            Error::Certificate("a ca certificate (basicConstraints ca) cannot sign passes"),
            "{name}"
        );
        assert_eq!(
            trust.add_der(e3).unwrap_err(),
            Error::Certificate("rsa public exponent below 65537 or even"),
            "{name}"
        );
        assert!(trust.is_empty());
    }
    // And no such key signs for us either.
    assert!(SigningKey::from_pkcs8_der(include_bytes!("data/keys/rsa2048-e3.pkcs8.der")).is_err());
}

/// 16.8: a pass whose `iat` lies outside its signer certificate's validity
/// (here: before the demo certificate's notBefore, 2026-11-25T09:51:53Z) is
/// refused, though the signer is valid when the pass is checked.
#[test]
fn a_pass_issued_before_its_signer_existed_is_refused() {
    let protected = cose::protected_header(Algorithm::Es256, &demo_kid());
    let early = signed_with_protected(
        &protected,
        &claims("2026-01-01T00:00:00Z", "2027-11-26T00:00:00Z"),
    );
    let on_time = signed_with_protected(
        &protected,
        &claims("2026-11-25T10:00:00Z", "2027-11-26T00:00:00Z"),
    );
    let now = t("2026-12-01T00:00:00Z");
    for (name, backend) in backends() {
        let v = common::demo_verifier_with(backend);
        let e = v.verify_hcert(&early, now).unwrap_err();
        assert_eq!(
            e,
            Error::IssuedOutsideSignerValidity {
                issued_at: t("2026-01-01T00:00:00Z")
            },
            "{name}"
        );
        assert_eq!(e.kind(), ErrorKind::Untrusted);
        assert!(v.verify_hcert(&on_time, now).is_ok(), "{name}");
        // The clock skew tolerance applies here too.
        let mut trust = TrustList::new();
        trust.add_any(DEMO_CERT_PEM).unwrap();
        let lenient = Verifier::builder()
            .trust_list(trust)
            .clock_skew_secs(86_400)
            .build()
            .unwrap();
        assert!(lenient.verify_hcert(&early, now).is_err());
    }
}
