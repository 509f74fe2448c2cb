//! Text → COSE bytes: prefix, Base45, bounded zlib. Also each step alone on
//! raw bytes, and the encoders' round trips.
#![no_main]

use healthpass::transport;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(cose) = transport::decode_text(text) {
            assert!(cose.len() <= transport::MAX_INFLATED_LEN);
        }
        if let Ok(bytes) = transport::base45_decode(text) {
            assert_eq!(
                transport::base45_encode(&bytes),
                text,
                "base45 is canonical"
            );
        }
    }
    if let Ok(out) = transport::inflate(data) {
        assert!(out.len() <= transport::MAX_INFLATED_LEN);
        assert_eq!(
            transport::deflate(&out)
                .and_then(|z| transport::inflate(&z))
                .ok(),
            Some(out)
        );
    }
});
