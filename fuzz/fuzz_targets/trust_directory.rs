//! Trust directories (issue 23): any bytes into `TrustStore::load`, with
//! the options the first byte picks (strict, an issuer for a JWK set, the
//! any-issuer opt-in, a signature the rest must carry). A refusal leaves
//! the store as it was; a report counts what it added, per framework; a
//! strict load refuses nothing it reports.
#![no_main]

use healthpass::trust::store::{LoadOptions, TrustStore};
use healthpass::UnixTime;
use libfuzzer_sys::fuzz_target;

/// The store's sizes: pass signers, country CAs, card keys.
fn sizes(store: &TrustStore) -> (usize, usize, usize) {
    (
        store.signers().len(),
        store.cscas().len(),
        store.shc_issuers().len(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let mut options = LoadOptions::new("fuzz").at(UnixTime::from_secs(1_800_000_000));
    if flags & 1 != 0 {
        options = options.strict();
    }
    if flags & 2 != 0 {
        options = options.shc_issuer("https://issuer.example.org");
    }
    if flags & 4 != 0 {
        options = options.shc_any_issuer();
    }
    if flags & 8 != 0 {
        // A signed document: a made-up signature by the demo certificate.
        options = options.signed_by(
            vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],
            include_bytes!("../../demo/trust.pem").to_vec(),
        );
    }
    let mut store = TrustStore::new();
    if flags & 16 != 0 {
        // Some keys held already: merges and prunes meet them.
        let seed = include_bytes!("../../demo/trust.pem");
        store.load(seed, &LoadOptions::new("seed")).unwrap();
    }
    let before = sizes(&store);
    match store.load(bytes, &options) {
        Err(_) => assert_eq!(sizes(&store), before, "a refused file changed the store"),
        Ok(report) => {
            let f = report.frameworks;
            assert_eq!(report.accepted, f.hcert + f.shc + f.icao);
            if flags & 1 != 0 {
                assert!(report.refused.is_empty(), "strict, yet refusals");
            }
            let after = sizes(&store);
            assert_eq!(after.1, before.1 + f.icao);
            assert_eq!(after.2, before.2 + f.shc);
            assert_eq!(after.0 + report.pruned, before.0 + f.hcert);
        }
    }
});
