//! Trust files: DER, PEM, base64 — certificates and their keys; the
//! chained mode: `CSCA FILE \n====\n SIGNER FILE`; and signed trust list
//! documents (CBOR), which must read back as they write.
#![no_main]

use healthpass::trust::signed_list::TrustListDocument;
use healthpass::trust::CscaList;
use healthpass::TrustList;
use libfuzzer_sys::fuzz_target;

const SEPARATOR: &[u8] = b"\n====\n";

fn add(mut trust: TrustList, data: &[u8]) {
    match trust.add_any(data) {
        Ok(kids) => {
            // Duplicates are kept once.
            assert!(!kids.is_empty());
            assert!(!trust.is_empty() && trust.len() <= kids.len());
        }
        Err(_) => assert!(trust.is_empty(), "a refused file adds nothing"),
    }
}

fuzz_target!(|data: &[u8]| {
    add(TrustList::new(), data);
    if let Ok(doc) = TrustListDocument::from_cbor(data) {
        assert_eq!(TrustListDocument::from_cbor(&doc.to_cbor()).ok(), Some(doc));
    }
    if let Some(at) = data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        let (cscas, signers) = (&data[..at], &data[at + SEPARATOR.len()..]);
        let mut list = CscaList::new();
        match list.add_any(cscas) {
            Ok(n) => assert!(n > 0 && !list.is_empty() && list.len() <= n),
            Err(_) => assert!(list.is_empty(), "a refused csca file adds nothing"),
        }
        add(TrustList::chained_to(list), signers);
    }
});
