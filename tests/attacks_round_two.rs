//! Hard to fool, round two (issue 22): each hole a seller of fake passes or
//! a hostile list or rule distributor found, as a test that failed before
//! its fix. The GDHCN key injection is in `tests/gdhcn.rs`, rule shadowing
//! in `tests/rules.rs`, seal kinds and SMART Health Card revocation in
//! `tests/formats.rs`, the engine and document bombs in `tests/hostile.rs`,
//! the command line's side in `cli/tests/cli.rs`.

#![cfg(feature = "rustcrypto")]

mod common;

use common::{demo_kid, sign_demo, t, DEMO_CERT_PEM};
use healthpass::cwt::Claims;
use healthpass::issue::{Issuer, MAX_LIGHT_VALIDITY};
use healthpass::payload::Payload;
use healthpass::rules::{Policy, RuleSet};
use healthpass::signed::Validity;
use healthpass::{transport, Error, ErrorKind, PassKind, Verifier};
use serde_json::json;

fn issuer() -> Issuer {
    Issuer::from_pem(
        include_str!("../demo/TEST-ONLY-key.pem"),
        std::str::from_utf8(DEMO_CERT_PEM).unwrap(),
    )
    .unwrap()
}

fn verifier() -> Verifier {
    Verifier::builder()
        .trust_list(issuer().trust_list().unwrap())
        .build()
        .unwrap()
}

const NOW: &str = "2026-12-01T12:00:00Z";

fn payload(group: &str, entry: serde_json::Value) -> Payload {
    Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Muster", "fnt": "MUSTER", "gn": "Max", "gnt": "MAX"},
        "dob": "1980-02-03",
        group: [entry],
    }))
    .unwrap()
}

fn issued(p: &Payload, iat: &str) -> String {
    issuer()
        .issue(p, Validity::new(t(iat), t("2030-01-01T00:00:00Z")).unwrap())
        .unwrap()
}

fn test_result(sc: &str) -> Payload {
    payload(
        "t",
        json!({"tg": "840539006", "tt": "LP6464-4", "sc": sc, "tr": "260415000",
               "co": "AT", "is": "Test", "ci": "URN:UVCI:01:AT:T2"}),
    )
}

fn vaccination(dt: &str) -> Payload {
    payload(
        "v",
        json!({"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
               "dn": 2, "sd": 2, "dt": dt, "co": "AT", "is": "Test", "ci": "URN:UVCI:01:AT:V2"}),
    )
}

fn exemption() -> Payload {
    payload(
        "e",
        json!({"tg": "840539006", "co": "IT", "is": "Test", "ci": "URN:UVCI:01:IT:E2",
               "df": "2026-11-25", "du": "2029-12-31"}),
    )
}

/// The mode outcome of `preset` on `text` at `now`, and whether the pass
/// is admitted (the mode said SUCCESS and every rule in force passed).
fn outcome(preset: &str, text: &str, now: &str) -> (Option<String>, bool) {
    let v = verifier()
        .to_builder()
        .rules(RuleSet::preset(preset).unwrap())
        .build()
        .unwrap()
        .verdict(text, t(now));
    let a = v.admission().unwrap();
    (a.mode_result().map(str::to_owned), a.is_admitted())
}

fn refused(preset: &str, text: &str, now: &str) -> bool {
    !outcome(preset, text, now).1
}

fn admitted(preset: &str, text: &str, now: &str) -> bool {
    outcome(preset, text, now).1
}

/// 22.2: a light pass made from a test outlives the test; one made from a
/// source a policy refuses carried that source past the gate. The light
/// pass now says what it was made from, the presets refuse light passes
/// made from tests, and a gate issues light passes only from what it
/// admits.
#[test]
fn light_passes_no_longer_launder_what_the_rules_refuse() {
    let v = verifier();
    let at = t("2026-11-30T12:00:00Z");
    let light_of = |text: &str| {
        let source = v.verify_hcert(text, at).unwrap();
        issuer()
            .issue_light(&source, at, MAX_LIGHT_VALIDITY)
            .unwrap()
    };
    let test = issued(&test_result("2026-11-30T08:00:00Z"), "2026-11-30T09:00:00Z");
    let fresh = issued(&vaccination("2026-10-01"), "2026-11-26T00:00:00Z");
    let old = issued(&vaccination("2026-05-01"), "2026-11-26T00:00:00Z");
    let exempt = issued(&exemption(), "2026-11-26T00:00:00Z");
    // The light pass says what it was made from, and nothing more.
    let from_test = light_of(&test);
    assert_eq!(
        v.verify_hcert(&from_test, at).unwrap().light_source(),
        Some(PassKind::Test)
    );
    assert_eq!(
        v.verify_hcert(&light_of(&fresh), at)
            .unwrap()
            .light_source(),
        Some(PassKind::Vaccination)
    );
    // Made from a test: refused under 3g (the test's 72 hours end long
    // before the light pass's week) and under vaccinated-recovered-exempt
    // (which refuses the test itself). Both admitted it before.
    let later = "2026-12-05T12:00:00Z";
    assert!(refused("3g", &test, later));
    for preset in ["3g", "vaccinated-recovered-exempt"] {
        assert_eq!(
            outcome(preset, &from_test, later),
            (Some("INVALID".into()), false),
            "{preset}"
        );
    }
    // Made from a vaccination or an exemption: admitted.
    for source in [&fresh, &exempt] {
        for preset in ["3g", "vaccinated-recovered-exempt"] {
            assert!(admitted(preset, &light_of(source), NOW), "{preset}");
        }
    }
    // At a gate: no light pass from what the policy refuses (an old
    // vaccination, a test under vaccinated-recovered-exempt), nor one the
    // policy would refuse (a test's light pass under 3g).
    let gate = |preset: &str, text: &str| {
        let source = v.verify_hcert(text, at).unwrap();
        issuer().issue_light_admitted(
            &source,
            &RuleSet::preset(preset).unwrap(),
            &Policy::new().mode(preset),
            at,
            MAX_LIGHT_VALIDITY,
        )
    };
    let vre = "vaccinated-recovered-exempt";
    assert_eq!(
        gate(vre, &old).unwrap_err(),
        Error::Issuing("the source is not admitted under the policy")
    );
    assert_eq!(
        gate(vre, &test).unwrap_err(),
        Error::Issuing("the source is not admitted under the policy")
    );
    assert_eq!(
        gate("3g", &test).unwrap_err(),
        Error::Issuing("the policy does not admit a light pass made from this source")
    );
    let light = gate(vre, &fresh).unwrap();
    assert!(admitted(vre, &light, NOW));
}

/// 22.4: a payload's own `h` shadowed the verifier's headers in the rules
/// (`{"h": {"isLight": true}}` got a test admitted where only vaccinated,
/// recovered, exempt or light passes enter), and `issue` took it.
#[test]
fn a_payload_cannot_speak_for_the_verifier() {
    let mut raw = test_result("2026-11-30T08:00:00Z").as_json().clone();
    raw.insert("h".into(), json!({"isLight": true, "lightSource": "v"}));
    let shadowing = Payload::from_json(serde_json::Value::Object(raw)).unwrap();
    // Issuing refuses it: /h is reserved.
    match issuer()
        .issue(
            &shadowing,
            Validity::new(t("2026-11-30T09:00:00Z"), t("2027-01-01T00:00:00Z")).unwrap(),
        )
        .unwrap_err()
    {
        Error::Schema(v) => assert!(v.0.iter().any(|v| v.path == "/h"), "{v:?}"),
        other => panic!("{other:?}"),
    }
    // Signed by hand (the schema check skipped): the rules read the
    // verifier's headers, so the test is what it is.
    let claims = Claims {
        issuer: Some("XX".into()),
        issued_at: t("2026-11-30T09:00:00Z"),
        expires: Some(t("2027-01-01T00:00:00Z")),
    };
    let text = transport::encode_text(&sign_demo(&demo_kid(), &claims, &shadowing)).unwrap();
    assert_eq!(
        outcome("vaccinated-recovered-exempt", &text, NOW),
        (Some("INVALID".into()), false)
    );
}

/// 22.14: what `issue` signed without a murmur, and a birth date a
/// verdict showed as written.
#[test]
fn implausible_passes_are_not_issued_and_impossible_birth_dates_not_shown() {
    let base = vaccination("2026-10-01");
    let with = |key: &str, value: serde_json::Value| {
        let mut raw = base.as_json().clone();
        match key {
            "ver" => {
                raw.insert("ver".into(), value);
            }
            field => {
                raw["v"][0][field] = value;
            }
        }
        Payload::from_json(serde_json::Value::Object(raw)).unwrap()
    };
    let validity = Validity::new(t("2026-11-30T09:00:00Z"), t("2027-01-01T00:00:00Z")).unwrap();
    for (p, reason) in [
        (with("dn", json!(1e300)), "dn and sd must be from 1 to 9"),
        (with("sd", json!(10)), "dn and sd must be from 1 to 9"),
        (
            with("dt", json!("2099-01-01")),
            "the vaccination, test or first positive test is dated after the issue time",
        ),
        (
            with("ver", json!("9.9.9")),
            "ver is not a schema version of this family (1.0.0 to 1.3.x)",
        ),
        (
            with("ver", json!("1.4.0")),
            "ver is not a schema version of this family (1.0.0 to 1.3.x)",
        ),
    ] {
        assert_eq!(
            issuer().issue(&p, validity).unwrap_err(),
            Error::Issuing(reason)
        );
    }
    // A sample taken the same day in a time zone ahead is fine.
    assert!(issuer()
        .issue(&test_result("2026-11-30T20:00:00Z"), validity)
        .is_ok());
    // Signed by hand with a birth date no one has: refused, never shown.
    let mut raw = base.as_json().clone();
    raw.insert("dob".into(), json!("9999-99-99"));
    let claims = Claims {
        issuer: Some("XX".into()),
        issued_at: t("2026-11-30T09:00:00Z"),
        expires: Some(t("2027-01-01T00:00:00Z")),
    };
    let odd = Payload::from_json(serde_json::Value::Object(raw)).unwrap();
    let text = transport::encode_text(&sign_demo(&demo_kid(), &claims, &odd)).unwrap();
    let verdict = verifier().verdict(&text, t(NOW));
    assert_eq!(verdict.error_kind(), Some(ErrorKind::Malformed));
    assert!(verdict.holder().is_none());
}

/// 22.11: a signed trust list of more than 1 024 signers could not be read
/// (the CBOR reader's container cap), though the list's own cap is
/// 100 000.
#[test]
fn a_trust_list_of_thousands_of_signers_loads() {
    use healthpass::crypto::Algorithm;
    use healthpass::issue::{self_signed_certificate, CertificateParams, Credential, SigningKey};
    use healthpass::trust::signed_list::{TrustListDocument, TrustListEntry, TrustListLoader};
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2028-01-01T00:00:00Z")).unwrap();
    let key = SigningKey::generate(Algorithm::Es256).unwrap();
    let entries: Vec<TrustListEntry> = (0..2_000)
        .map(|i| {
            let der = self_signed_certificate(
                &key,
                &CertificateParams::new("XX", format!("signer {i}"), validity),
            )
            .unwrap();
            TrustListEntry::new(&der).unwrap()
        })
        .collect();
    let anchor_key = SigningKey::generate(Algorithm::Es256).unwrap();
    let anchor = self_signed_certificate(
        &anchor_key,
        &CertificateParams::new("XX", "list anchor", validity),
    )
    .unwrap();
    let signed = TrustListDocument::builder("many")
        .adds(entries)
        .build(Validity::new(t("2026-11-30T00:00:00Z"), t("2026-12-30T00:00:00Z")).unwrap())
        .unwrap()
        .sign(&Credential::new(anchor_key, &anchor).unwrap())
        .unwrap();
    let mut anchors = healthpass::TrustList::new();
    anchors.add_der(&anchor).unwrap();
    let trust = TrustListLoader::new(anchors).load(&signed, t(NOW)).unwrap();
    assert_eq!(trust.len(), 2_000);
}
