//! Trust files: DER, PEM, base64 — certificates and their keys.
#![no_main]

use healthpass::TrustList;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut trust = TrustList::new();
    match trust.add_any(data) {
        Ok(kids) => {
            // Duplicates are kept once.
            assert!(!kids.is_empty());
            assert!(!trust.is_empty() && trust.len() <= kids.len());
        }
        Err(_) => assert!(trust.is_empty(), "a refused file adds nothing"),
    }
});
