#![cfg(target_arch = "wasm32")]
//! wasm-bindgen tests, run in Node: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown` (from wasm/).

use healthpass_wasm::{decode_qr_image, Verifier};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const TRUST: &str = include_str!("../../demo/trust.pem");
const Y2030: f64 = 1_893_456_000.0;
/// Inside the demo light pass's week (2026-11-26T00:00:00Z).
const LIGHT_WEEK: f64 = 1_795_651_200.0;

fn verdict(text: &str, at: f64) -> serde_json::Value {
    let v = Verifier::new(vec![TRUST.to_string()], None).unwrap();
    let js = v.verify(text, at, None).map_err(JsValue::from).unwrap();
    serde_wasm_bindgen::from_value(js).unwrap()
}

#[wasm_bindgen_test]
fn valid_pass_gives_the_holder_and_nothing_medical() {
    let out = verdict(include_str!("../../demo/valid.txt"), Y2030);
    assert_eq!(out["valid"], true);
    assert_eq!(out["errorKind"], serde_json::Value::Null);
    assert_eq!(out["reason"], serde_json::Value::Null);
    assert_eq!(out["holder"]["dateOfBirth"], "1964-08-12");
    assert_eq!(out["holder"]["familyNameStd"], "MUSTERFRAU<GOESSINGER");
    assert_eq!(out["holder"]["name"], "Gabriele Musterfrau-Gößinger");
    assert_eq!(out["validUntil"], "2036-11-25T00:00:00Z");
    assert_eq!(out["form"], "full");
    let text = out.to_string();
    assert!(!text.contains("840539006") && !text.contains("EU/1/20/1528"));
}

#[wasm_bindgen_test]
fn invalid_passes_give_their_class() {
    for (file, kind) in [
        (include_str!("../../demo/tampered.txt"), "bad_signature"),
        (include_str!("../../demo/expired.txt"), "expired"),
        ("HC1:NOT A PASS", "malformed"),
    ] {
        let out = verdict(file, Y2030);
        assert_eq!(out["valid"], false);
        assert_eq!(out["errorKind"], kind);
        assert!(out["reason"].as_str().is_some_and(|r| !r.is_empty()));
        assert_eq!(out["holder"], serde_json::Value::Null);
        assert_eq!(out["form"], serde_json::Value::Null);
    }
}

#[wasm_bindgen_test]
fn light_and_exemption_forms() {
    assert_eq!(
        verdict(include_str!("../../demo/light.txt"), LIGHT_WEEK)["form"],
        "light"
    );
    assert_eq!(
        verdict(include_str!("../../demo/valid-exemption.txt"), Y2030)["form"],
        "exemption"
    );
}

#[wasm_bindgen_test]
fn clock_skew_is_settable() {
    // The demo certificate's validity starts at 2026-11-25T09:51:53Z and
    // the pass's iat is 2026-11-25T10:00:00Z: an hour early is refused
    // without skew, accepted with an hour's.
    let early = 1_795_597_200.0; // 2026-11-25T09:00:00Z
    let text = include_str!("../../demo/valid.txt");
    let strict = Verifier::new(vec![TRUST.to_string()], None).unwrap();
    let lenient = Verifier::new(vec![TRUST.to_string()], Some(3600)).unwrap();
    assert_eq!(lenient.clock_skew_secs(), 3600);
    let v = |ver: &Verifier| -> serde_json::Value {
        serde_wasm_bindgen::from_value(
            ver.verify(text, early, None)
                .map_err(JsValue::from)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(v(&strict)["valid"], false);
    assert_eq!(v(&lenient)["valid"], true);
}

#[wasm_bindgen_test]
fn payload_only_on_request_and_qr_images() {
    let v = Verifier::new(vec![TRUST.to_string()], None).unwrap();
    let text = include_str!("../../demo/valid.txt");
    let payload: serde_json::Value =
        serde_wasm_bindgen::from_value(v.payload(text, Y2030).map_err(JsValue::from).unwrap())
            .unwrap();
    assert_eq!(payload["v"][0]["tg"], "840539006");
    assert!(v
        .payload(include_str!("../../demo/tampered.txt"), Y2030)
        .is_err());
    let decoded = decode_qr_image(include_bytes!("../../demo/valid.png"))
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(decoded, text.trim());
    assert!(decode_qr_image(b"not an image").is_err());
    assert!(Verifier::new(vec!["not a certificate".into()], None).is_err());
}

/// 2026-12-01T12:00:00Z.
const DEC_1: f64 = 1_796_126_400.0;

fn policy(v: serde_json::Value) -> Option<healthpass_wasm::PolicyArg> {
    use wasm_bindgen::JsCast as _;
    let js = v
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap();
    Some(js.unchecked_into())
}

fn judge(v: &Verifier, text: &str, p: Option<healthpass_wasm::PolicyArg>) -> serde_json::Value {
    serde_wasm_bindgen::from_value(v.verify(text, DEC_1, p).map_err(JsValue::from).unwrap())
        .unwrap()
}

use serde::Serialize as _;

#[wasm_bindgen_test]
fn rules_decide_admission() {
    let valid = include_str!("../../demo/valid.txt");
    let test = include_str!("../../demo/valid-test.txt");
    let plain = Verifier::new(vec![TRUST.to_string()], None).unwrap();
    assert_eq!(plain.rule_count(), 0);
    assert!(judge(&plain, valid, None).get("admission").is_none());

    let v = plain
        .with_preset("2g", None)
        .map_err(JsValue::from)
        .unwrap();
    assert!(v.rule_count() > 0);
    // Deriving leaves the verifier it came from as it was.
    assert_eq!(plain.rule_count(), 0);
    let out = judge(&v, valid, None);
    assert_eq!(out["valid"], true);
    assert_eq!(
        out["admission"],
        serde_json::json!({"admitted": true, "failedRules": [], "modeResult": "SUCCESS"})
    );
    let out = judge(&v, test, None);
    assert_eq!(out["valid"], false);
    assert_eq!(out["errorKind"], "rejected_by_rules");
    assert_eq!(out["admission"]["modeResult"], "INVALID");
    assert_eq!(out["holder"], serde_json::Value::Null);
    // A per-call mode the set lacks: not evaluated, not admitted.
    let out = judge(&v, valid, policy(serde_json::json!({"mode": "3g"})));
    assert_eq!(out["errorKind"], "rejected_by_rules");
    assert_eq!(out["admission"]["modeResult"], serde_json::Value::Null);
    // As the default policy, it is refused and nothing changes.
    assert!(v
        .with_preset("2g", policy(serde_json::json!({"mode": "3g"})))
        .is_err());
    assert_eq!(judge(&v, valid, None)["valid"], true);
    // A misspelt policy key is an error, not "no country".
    assert!(v
        .verify(
            valid,
            DEC_1,
            policy(serde_json::json!({"countrycode": "AT"}))
        )
        .is_err());
    // Bad rules throw.
    assert!(v.with_preset("4g", None).is_err());
    assert!(v.with_rules("{\"Logic\": 1}", None).is_err());
    assert!(v.rule_count() > 0);

    // EU rules for a country of arrival, with the default policy.
    let rule = serde_json::json!({
        "Identifier": "VR-XX-0002", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5",
        "CertificateType": "Vaccination", "ValidFrom": "2026-01-01T00:00:00Z",
        "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": ["v.0.dn"],
        "Description": [{"lang": "en", "desc": "the dose number must be below zero"}],
        "Logic": {"<": [{"var": "payload.v.0.dn"}, 0]}
    });
    let v = v
        .with_rules(
            &rule.to_string(),
            policy(serde_json::json!({"country": "XX"})),
        )
        .map_err(JsValue::from)
        .unwrap();
    let out = judge(&v, valid, None);
    assert_eq!(out["reason"], "refused by rules: VR-XX-0002");
    assert_eq!(
        out["admission"]["failedRules"],
        serde_json::json!(["VR-XX-0002"])
    );
    let out = judge(&v, valid, policy(serde_json::json!({"country": "DE"})));
    assert_eq!(out["reason"], "no rule applies to this pass here");
}

#[wasm_bindgen_test]
fn dvc_and_ddcc_passes_and_the_missing_exp_policy() {
    let v = Verifier::new(vec![TRUST.to_string()], None).unwrap();
    let dvc = include_str!("../../demo/dvc.txt");
    let out = judge(&v, dvc, None);
    assert_eq!(out["valid"], true);
    assert_eq!(out["form"], "dvc");
    assert_eq!(out["holder"]["name"], "Amina Okafor");
    assert_eq!(out["validUntil"], "2036-11-24T23:59:59Z");
    assert!(!out.to_string().contains("1D47"));
    let out = judge(&v, include_str!("../../demo/ddcc-vaccination.txt"), None);
    assert_eq!(out["form"], "ddcc-vaccination");
    let strict = v
        .accept_missing_exp("dvc", false)
        .map_err(JsValue::from)
        .unwrap();
    let out = judge(&strict, dvc, None);
    assert_eq!(out["errorKind"], "malformed");
    assert_eq!(judge(&v, dvc, None)["valid"], true);
    assert!(v.accept_missing_exp("eu-dcc", true).is_err());
    assert!(v.accept_missing_exp("yellow", true).is_err());
}

#[wasm_bindgen_test]
fn chained_verifiers_take_only_signers_their_cscas_issued() {
    let csca = include_str!("../../tests/data/chains/csca-xa.pem").to_string();
    let dsc = include_str!("../../tests/data/chains/dsc-p256.pem").to_string();
    let v = Verifier::chained(vec![dsc.clone()], vec![csca.clone()], None).unwrap();
    assert_eq!(v.certificate_count(), 1);
    let pass = include_str!("../../tests/data/chains/p256-pass.txt");
    let judge = |v: &Verifier, at: f64| -> serde_json::Value {
        serde_wasm_bindgen::from_value(v.verify(pass, at, None).map_err(JsValue::from).unwrap())
            .unwrap()
    };
    assert_eq!(judge(&v, 1_775_001_600.0)["valid"], true);
    // A signer of another country under the XA CSCA, and a CSCA that is no CA.
    let other = include_str!("../../tests/data/chains/dsc-other-country.pem").to_string();
    assert!(Verifier::chained(vec![other], vec![csca], None).is_err());
    let not_ca = include_str!("../../tests/data/chains/csca-not-ca.pem").to_string();
    assert!(Verifier::chained(vec![dsc], vec![not_ca], None).is_err());
    // Valid only while the CSCA is.
    let short = Verifier::chained(
        vec![include_str!("../../tests/data/chains/dsc-short.pem").to_string()],
        vec![include_str!("../../tests/data/chains/csca-short.pem").to_string()],
        None,
    )
    .unwrap();
    let pass = include_str!("../../tests/data/chains/short-pass.txt");
    let late: serde_json::Value = serde_wasm_bindgen::from_value(
        short
            .verify(pass, 1_785_542_400.0, None)
            .map_err(JsValue::from)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(late["errorKind"], "untrusted");
}

#[wasm_bindgen_test]
fn signed_trust_lists_give_their_signers_and_expire_closed() {
    let list = include_bytes!("../../tests/data/chains/trust-list.cose");
    let anchor = include_str!("../../tests/data/chains/dsc-p384.pem").to_string();
    // Issued 2026-11-26T00:00:00Z, valid 30 days; holds the demo signer.
    let v =
        Verifier::from_trust_list(list, vec![anchor.clone()], LIGHT_WEEK, Some(1.0), None).unwrap();
    assert_eq!(v.certificate_count(), 1);
    let judge = |at: f64| -> serde_json::Value {
        let js = v
            .verify(include_str!("../../demo/valid.txt"), at, None)
            .map_err(JsValue::from)
            .unwrap();
        serde_wasm_bindgen::from_value(js).unwrap()
    };
    assert_eq!(judge(LIGHT_WEEK)["valid"], true);
    assert_eq!(judge(1_798_761_600.0)["errorKind"], "untrusted"); // 2027-01-01
                                                                  // Older than accepted; anchored by the pass signer; a flipped byte.
    assert!(
        Verifier::from_trust_list(list, vec![anchor.clone()], LIGHT_WEEK, Some(2.0), None).is_err()
    );
    assert!(
        Verifier::from_trust_list(list, vec![TRUST.to_string()], LIGHT_WEEK, None, None).is_err()
    );
    let mut bad = list.to_vec();
    let n = bad.len();
    bad[n - 5] ^= 1;
    assert!(Verifier::from_trust_list(&bad, vec![anchor], LIGHT_WEEK, None, None).is_err());
}
