//! The RFC 8785 number form against ECMAScript's own (Node 20's
#![cfg(feature = "icao")]
//! `Number.prototype.toString`), on 20 000 doubles.

use healthpass::formats::json;

#[test]
fn numbers_are_written_as_ecmascript_writes_them() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/jcs/es-numbers.txt"
    ))
    .unwrap();
    let mut checked = 0;
    for line in text.lines() {
        let (bits, want) = line.split_once(' ').unwrap();
        let x = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        let got = json::Json::Number(x).canonical();
        let want = if want == "-0" { "0" } else { want };
        assert_eq!(got, want, "{bits}");
        // And the form reads back to the same double.
        if x != 0.0 {
            assert_eq!(json::parse(&got).unwrap(), json::Json::Number(x), "{bits}");
        }
        checked += 1;
    }
    assert!(checked > 19_000, "{checked}");
}
