//! CWT claims and payload: the verification path's check, the JSON path,
//! the typed entry and schema validation; the two paths must agree, for
//! every member of the HCERT family.
#![no_main]

use healthpass::cwt;
use healthpass::payload::Member;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checked = cwt::check(data);
    let decoded = cwt::decode(data);
    if let Ok(claims) = &checked {
        let d = decoded.as_ref().expect("checked payload decodes to JSON");
        assert_eq!(claims, &d.claims);
        if d.payload.member() == Member::EuDcc {
            // What verification accepted must convert to JSON and a typed
            // entry (a light pass has a name and no entry).
            d.payload.name().expect("checked payload has a name");
            let has_group = ["v", "t", "r", "e"]
                .iter()
                .any(|g| d.payload.as_json().get(*g).is_some_and(|v| !v.is_null()));
            assert_eq!(
                d.payload.entry().is_ok(),
                has_group,
                "full: typed entry; light: none"
            );
            assert!(claims.expires.is_some(), "an eu dcc always has exp");
        } else {
            // A DDCC or DVC the verification path accepts passes the same
            // structure check issuing applies.
            d.payload
                .validate_schema()
                .expect("checked family payload validates");
            assert!(d.payload.entry().is_err());
        }
    }
    if let Ok(cwt::Decoded { payload, .. }) = decoded {
        let _ = payload.validate_schema();
        let back =
            healthpass::payload::Payload::from_cbor_bytes(&payload.to_cbor()).expect("round trip");
        assert_eq!(back.to_json(), payload.to_json());
    }
});
