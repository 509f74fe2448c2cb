//! WHO GDHCN DID documents: read (keys, x5c, kids), selected and chained,
//! and their proofs checked (JSON-LD expansion with the bundled contexts,
//! URDNA2015) against the WHO dev signer. Hostile documents must give typed
//! errors, within bounds, never a panic or a download.
#![no_main]

use std::sync::OnceLock;

use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};
use libfuzzer_sys::fuzz_target;

fn signer() -> &'static WhoSigner {
    static SIGNER: OnceLock<WhoSigner> = OnceLock::new();
    SIGNER.get_or_init(|| {
        WhoSigner::from_did_document(include_bytes!(
            "../../tests/data/gdhcn/signers/who-signing-dev.did.json"
        ))
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = DidTrustList::read_unauthenticated(data) {
        let selected = list.select(&KeySelection::new());
        assert!(selected.trust.len() <= selected.chained.len());
        assert!(!list.is_authenticated());
    }
    if let Ok(list) = DidTrustList::verify(data, signer()) {
        // Only the real, unchanged documents verify.
        assert!(list.is_authenticated());
    }
    let _ = WhoSigner::from_did_document(data);
});
