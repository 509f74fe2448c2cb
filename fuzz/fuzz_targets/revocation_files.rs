//! Every revocation file format on the same bytes: the store file, the list
//! document (bare and signed), the EU Bloom filter and the EU partial
//! variable hash list. Any input gives a value or a typed error, with
//! allocation bounded by the input's size.
#![no_main]

use std::sync::OnceLock;

use healthpass::revocation::bloom::EuBloomFilter;
use healthpass::revocation::pvhf::PartialVariableHashFilter;
use healthpass::revocation::{RevocationHash, RevocationListDocument, RevocationListLoader, Store};
use healthpass::{TrustList, UnixTime};
use libfuzzer_sys::fuzz_target;

fn loader() -> &'static RevocationListLoader {
    static L: OnceLock<RevocationListLoader> = OnceLock::new();
    L.get_or_init(|| {
        let mut t = TrustList::new();
        t.add_any(include_bytes!("../../demo/trust.pem"))
            .expect("demo certificate");
        RevocationListLoader::new(t)
    })
}

fuzz_target!(|data: &[u8]| {
    let probe = RevocationHash([0x5A; 16]);
    if let Ok(store) = Store::from_bytes(data) {
        let _ = store.contains(&probe);
        assert_eq!(Store::from_bytes(&store.to_bytes()).ok(), Some(store));
    }
    if let Ok(doc) = RevocationListDocument::from_cbor(data) {
        assert_eq!(
            RevocationListDocument::from_cbor(&doc.to_cbor()).ok(),
            Some(doc)
        );
    }
    if let Ok(mut list) = loader().load(data, UnixTime::from_secs(1_900_000_000)) {
        let _ = list.store().contains(&probe);
        let _ = loader().apply(&mut list, data, UnixTime::from_secs(1_900_000_000));
    }
    if let Ok(f) = EuBloomFilter::from_bytes(data) {
        let _ = f.might_contain(&probe.0);
    }
    if let Ok(f) = PartialVariableHashFilter::from_bytes(data) {
        let _ = f.might_contain(&probe.0);
    }
});
