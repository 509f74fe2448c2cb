#![cfg(target_arch = "wasm32")]
//! wasm-bindgen tests, run in Node: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown` (from wasm/).

use healthpass_wasm::{decode_qr_image, Verifier};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const TRUST: &str = include_str!("../../demo/trust.pem");
const Y2030: f64 = 1_893_456_000.0;

fn verdict(text: &str, at: f64) -> serde_json::Value {
    let v = Verifier::new(vec![TRUST.to_string()]).unwrap();
    let js = v.verify(text, at).map_err(JsValue::from).unwrap();
    serde_wasm_bindgen::from_value(js).unwrap()
}

#[wasm_bindgen_test]
fn valid_pass_gives_the_holder_and_nothing_medical() {
    let out = verdict(include_str!("../../demo/valid.txt"), Y2030);
    assert_eq!(out["valid"], true);
    assert_eq!(out["errorKind"], serde_json::Value::Null);
    assert_eq!(out["holder"]["dob"], "1964-08-12");
    assert_eq!(
        out["holder"]["names"]["familyNameStd"],
        "MUSTERFRAU<GOESSINGER"
    );
    assert_eq!(out["validUntil"], "2036-11-25T00:00:00Z");
    assert_eq!(out["kind"], "full");
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
        assert_eq!(out["holder"], serde_json::Value::Null);
    }
}

#[wasm_bindgen_test]
fn light_and_exemption_kinds() {
    assert_eq!(
        verdict(include_str!("../../demo/light.txt"), Y2030)["kind"],
        "light"
    );
    assert_eq!(
        verdict(include_str!("../../demo/valid-exemption.txt"), Y2030)["kind"],
        "exemption"
    );
}

#[wasm_bindgen_test]
fn payload_only_on_request_and_qr_images() {
    let v = Verifier::new(vec![TRUST.to_string()]).unwrap();
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
    assert!(Verifier::new(vec!["not a certificate".into()]).is_err());
}
