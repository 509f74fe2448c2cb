//! CWT claims and payload: the verification path's check, the JSON path,
//! the typed entry and schema validation; the two paths must agree.
#![no_main]

use healthpass::cwt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checked = cwt::check(data);
    let decoded = cwt::decode(data);
    if let Ok(claims) = &checked {
        // What verification accepted must convert to JSON and a typed entry
        // (a light pass has a name and no entry).
        let d = decoded.as_ref().expect("checked payload decodes to JSON");
        assert_eq!(claims, &d.claims);
        d.payload.name().expect("checked payload has a name");
        let has_group = ["v", "t", "r", "e"]
            .iter()
            .any(|g| d.payload.as_json().get(*g).is_some_and(|v| !v.is_null()));
        assert_eq!(
            d.payload.entry().is_ok(),
            has_group,
            "full: typed entry; light: none"
        );
    }
    if let Ok(cwt::Decoded { payload, .. }) = decoded {
        let _ = payload.validate_schema();
        let back =
            healthpass::payload::Payload::from_cbor_bytes(&payload.to_cbor()).expect("round trip");
        assert_eq!(back.to_json(), payload.to_json());
    }
});
