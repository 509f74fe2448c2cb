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
    let js = v.verify(text, at).map_err(JsValue::from).unwrap();
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
        serde_wasm_bindgen::from_value(ver.verify(text, early).map_err(JsValue::from).unwrap())
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
