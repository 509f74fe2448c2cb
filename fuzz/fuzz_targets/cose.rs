//! COSE_Sign1 parsing (and the CBOR reader under it).
#![no_main]

use healthpass::cose::CoseSign1;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = healthpass::cbor::decode_exact(data, "item");
    if let Ok(sign1) = CoseSign1::parse(data) {
        let mut tbs = Vec::new();
        sign1.write_sig_structure(&mut tbs);
        assert!(tbs.len() >= sign1.protected_bytes().len());
        assert_eq!(sign1.kid().len(), 8);
    }
});
