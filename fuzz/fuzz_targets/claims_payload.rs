//! CWT claims and payload: the verification path's check, the JSON path,
//! the typed entry and schema validation; the two paths must agree.
#![no_main]

use healthpass::cwt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checked = cwt::check(data);
    let decoded = cwt::decode(data);
    if let Ok(claims) = &checked {
        // What verification accepted must convert to JSON and a typed entry.
        let (json_claims, payload) = decoded.as_ref().expect("checked payload decodes to JSON");
        assert_eq!(claims, json_claims);
        payload.entry().expect("checked payload has a typed entry");
        payload.name().expect("checked payload has a name");
    }
    if let Ok((_, payload)) = decoded {
        let _ = payload.validate_schema();
        let back =
            healthpass::payload::Payload::from_cbor_bytes(&payload.to_cbor()).expect("round trip");
        assert_eq!(back.to_json(), payload.to_json());
    }
});
