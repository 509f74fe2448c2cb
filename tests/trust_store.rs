//! Trust as the world publishes it (issue 23): real directories load into
//! one trust store entry by entry, with the counts independent code finds
//! (tests/data/directories/counts.py, Python `cryptography`), and real
//! passes verify against them.

#![cfg(all(feature = "shc", feature = "icao", feature = "rustcrypto"))]

mod common;

use std::collections::BTreeMap;

use common::{backends, t};
use healthpass::trust::store::{LoadOptions, LoadReport, TrustStore};
use healthpass::{Error, ErrorKind, Verifier};

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The refusals of a report, counted by reason.
fn reasons(report: &LoadReport) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in &report.refused {
        *out.entry(r.reason.clone()).or_default() += 1;
    }
    out
}

fn tally(rows: &[(&str, usize)]) -> BTreeMap<String, usize> {
    rows.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

const BRAINPOOL_256: &str = "brainpoolP256r1 keys: no backend here verifies them";
const BRAINPOOL_384: &str = "brainpoolP384r1 keys: no backend here verifies them";
const BRAINPOOL_512: &str = "brainpoolP512r1 keys: no backend here verifies them";
const NO_KEY_CERT_SIGN: &str = "a csca must have keyUsage keyCertSign";
const UNKNOWN_CRITICAL: &str = "unknown critical extension";
const BAD_BASIC_CONSTRAINTS: &str = "bad basic constraints";

/// The ICAO health master list's 255 country CAs as one PEM bundle: it
/// loads entry by entry. counts.py: 213 country CAs, one of them twice, 3
/// certificates that are not CAs (pass signers, then), 34 brainpool keys
/// (14 P-256, 17 P-384, 3 P-512), 2 whose basicConstraints is not DER (a
/// BOOLEAN of 02), 1 CA without keyCertSign, 1 unknown critical extension.
/// (Before issue 23 the file did not load at all.)
#[test]
fn the_icao_health_csca_bundle_loads_entry_by_entry() {
    for (name, backend) in backends() {
        let mut store = TrustStore::with_backend(backend);
        let report = store
            .load(
                &data("directories/icao-health-cscas.pem"),
                &LoadOptions::new("icao-health-cscas.pem"),
            )
            .unwrap();
        assert_eq!(
            (report.frameworks.icao, report.frameworks.hcert),
            (213, 3),
            "{name}"
        );
        assert_eq!((report.accepted, report.duplicates), (216, 1), "{name}");
        assert_eq!(
            reasons(&report),
            tally(&[
                (BRAINPOOL_256, 14),
                (BRAINPOOL_384, 17),
                (BRAINPOOL_512, 3),
                (NO_KEY_CERT_SIGN, 1),
                (UNKNOWN_CRITICAL, 1),
                (BAD_BASIC_CONSTRAINTS, 2),
            ]),
            "{name}"
        );
        // Strict: any refusal refuses the file, and the store is unchanged.
        let mut strict = TrustStore::with_backend(common::backends()[0].1.clone());
        let e = strict
            .load(
                &data("directories/icao-health-cscas.pem"),
                &LoadOptions::new("icao-health-cscas.pem").strict(),
            )
            .unwrap_err();
        assert!(matches!(e, Error::TrustDirectory(_)), "{e:?}");
        assert_eq!(strict.cscas().len(), 0);
        // Loaded twice: the same certificates once.
        let again = store
            .load(
                &data("directories/icao-health-cscas.pem"),
                &LoadOptions::new("again"),
            )
            .unwrap();
        assert_eq!((again.accepted, again.duplicates), (0, 217), "{name}");
    }
}

/// The real Japanese seal: its CSCA writes its P-384 key with explicit
/// curve parameters, which the store now reads; chained to it, the seal
/// verifies with no pinned signer.
#[test]
fn the_japanese_seal_verifies_through_the_icao_master_list() {
    let mut store = TrustStore::new();
    store
        .load(
            &data("directories/icao-health-cscas.pem"),
            &LoadOptions::new("icao"),
        )
        .unwrap();
    let v = Verifier::builder().trust_store(store).build().unwrap();
    let seal = String::from_utf8(data("icao/ICAOJPQR1Contents.txt")).unwrap();
    let verdict = v.verdict(&seal, t("2022-06-01T00:00:00Z"));
    assert!(verdict.is_valid(), "{:?}", verdict);
}

/// PathCheck's registry of 5 frameworks. counts.py: EU DCC 827 signers
/// (826 certificates, 1 bare key), 53 withdrawn, 10 terminated entries
/// whose kid is not 8 bytes (no pass can name them), 2 CAs and 1 kid that
/// is not its certificate's refused; SMART Health Cards 596 keys, 363 listed
/// again under other issuers (merged), 5 withdrawn, 20 unusable; ICAO as
/// the bundle, but that its 3 non-CAs are refused; DIVOC and CRED
/// reported.
#[test]
fn the_pathcheck_registry_loads_every_framework_it_can() {
    let mut store = TrustStore::new();
    let report = store
        .load(
            &data("directories/pathcheck/registry.json"),
            &LoadOptions::new("registry.json"),
        )
        .unwrap();
    assert_eq!(
        (
            report.frameworks.hcert,
            report.frameworks.shc,
            report.frameworks.icao
        ),
        (827, 596, 213)
    );
    assert_eq!(report.accepted, 827 + 596 + 213);
    assert_eq!(report.duplicates, 363 + 1);
    assert_eq!(report.withdrawn, 53 + 5);
    let r = reasons(&report);
    let divoc = "divoc keys: divoc certificates are not verified yet";
    let cred = "CRED: not a framework this crate reads";
    for (reason, n) in [
        (BRAINPOOL_256, 14),
        (BRAINPOOL_384, 17),
        (BRAINPOOL_512, 3),
        (NO_KEY_CERT_SIGN, 1),
        (UNKNOWN_CRITICAL, 1),
        ("a csca must be a ca (basicConstraints)", 3),
        (BAD_BASIC_CONSTRAINTS, 2),
        (
            "a ca certificate (basicConstraints ca) cannot sign passes",
            2,
        ),
        ("the kid is not the certificate's", 1),
        ("the kid is not 8 bytes of base64", 10),
        ("a key's kid is not its rfc 7638 thumbprint", 9),
        ("not an es256 signing key (kty EC, alg ES256, use sig)", 10),
        ("an ES256 key must be on P-256", 1),
        (divoc, 5),
        (cred, 3),
    ] {
        assert_eq!(r.get(reason), Some(&n), "{reason}: {r:#?}");
    }
    assert_eq!(
        report.refused.len(),
        34 + 1 + 1 + 3 + 2 + 2 + 1 + 10 + 9 + 10 + 1 + 5 + 3
    );
    let v = Verifier::builder().trust_store(store).build().unwrap();
    // A real German pass (the WHO validator's sample) by a signer the
    // registry lists: valid in its life.
    let de = String::from_utf8(data("gdhcn/samples/EUQR1Contents.txt")).unwrap();
    let verdict = v.verdict(de.trim(), t("2021-07-01T00:00:00Z"));
    assert!(verdict.is_valid(), "{verdict:?}");
    // A real Indonesian pass whose signer the registry terminated.
    let id = String::from_utf8(data("gdhcn/samples/EUIndonesiaContents.txt")).unwrap();
    let e = v
        .verify_hcert(id.trim(), t("2022-08-01T00:00:00Z"))
        .unwrap_err();
    assert!(
        matches!(&e, Error::SignerWithdrawn { by, status: "terminated" } if by == "registry.json"),
        "{e:?}"
    );
    let verdict = v.verdict(id.trim(), t("2022-08-01T00:00:00Z"));
    assert_eq!(verdict.error_kind(), Some(ErrorKind::Untrusted));
    assert_eq!(
        verdict.reason(),
        Some("the signer was withdrawn by its directory registry.json (terminated)")
    );
}

fn vci(store: &mut TrustStore, snapshot: &[u8]) -> Result<LoadReport, Error> {
    store.load(
        snapshot,
        &LoadOptions::new("vci_snapshot.json")
            .signed_by(
                data("directories/vci/vci_snapshot.sig"),
                data("directories/vci/vci_snapshot.crt"),
            )
            .at(t("2026-12-01T00:00:00Z")),
    )
}

/// The VCI directory snapshot: its P-521 signature checked first, then 651
/// issuers' keys bound to their issuer. counts.py: 594 keys, 365 listed
/// again (merged), 2 with coordinates that are not 32 bytes.
#[test]
fn the_vci_snapshot_is_checked_and_binds_each_key_to_its_issuer() {
    for (name, backend) in backends() {
        let mut store = TrustStore::with_backend(backend);
        let snapshot = data("directories/vci/vci_snapshot.json");
        let report = vci(&mut store, &snapshot).unwrap();
        assert_eq!(
            (report.accepted, report.duplicates, report.frameworks.shc),
            (594, 365, 594),
            "{name}"
        );
        assert_eq!(
            reasons(&report),
            tally(&[("x and y must be 32 bytes", 2)]),
            "{name}"
        );
        // A changed byte, another signature, no signature: nothing loads.
        let mut changed = snapshot.clone();
        changed[1000] ^= 1;
        let mut empty = TrustStore::new();
        assert!(vci(&mut empty, &changed).is_err(), "{name}");
        assert!(empty
            .load(&snapshot, &LoadOptions::new("unsigned"))
            .is_err());
        assert!(empty.shc_issuers().is_empty());
        // Real cards verify, bound to their issuers.
        let v = Verifier::builder().trust_store(store).build().unwrap();
        for card in [
            "SHCWAVaxContents.txt",
            "SHCSenegalContents.txt",
            "SHCTestResultsContents.txt",
        ] {
            let text = String::from_utf8(data(&format!("shc/{card}"))).unwrap();
            let verdict = v.verdict(text.trim(), t("2026-12-01T00:00:00Z"));
            assert!(verdict.is_valid(), "{name} {card}: {verdict:?}");
        }
    }
}

/// A key listed for issuer A never verifies a card that claims issuer B,
/// and a key known bound and unbound stays bound.
#[test]
fn a_key_bound_to_one_issuer_signs_for_no_other() {
    use healthpass::formats::shc::{CardContent, KeyBinding};
    let jwks = String::from_utf8(data("shc/example-issuer.jwks.json")).unwrap();
    let crl = String::from_utf8(data("shc/example-issuer.crl-3Kfdg.json")).unwrap();
    let key = healthpass::formats::shc::signing_key_from_jwk(
        &String::from_utf8(data("shc/example-issuer.jwks.private.json")).unwrap(),
        Some("3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"),
    )
    .unwrap();
    let bundle: serde_json::Value =
        serde_json::from_slice(&data("shc/covid-vaccines-bundle.json")).unwrap();
    let card = |iss: &str| {
        CardContent::new(iss, t("2026-01-01T00:00:00Z"), bundle.clone())
            .sign(&key)
            .unwrap()
    };
    let mut store = TrustStore::new();
    store
        .load(
            jwks.as_bytes(),
            &LoadOptions::new("a").shc_issuer("https://a.example"),
        )
        .unwrap();
    // The same set again, unbound (the opt-in): the binding holds.
    let report = store
        .load(jwks.as_bytes(), &LoadOptions::new("any").shc_any_issuer())
        .unwrap();
    assert_eq!((report.accepted, report.duplicates), (0, 2));
    // Without an issuer and without the opt-in, a set is refused.
    assert!(store
        .load(jwks.as_bytes(), &LoadOptions::new("bare"))
        .is_err());
    let mut issuers = store.shc_issuers().clone();
    issuers.add_revocation_list(&crl).unwrap();
    let v = Verifier::builder()
        .trust_list(healthpass::TrustList::new())
        .shc_issuers(issuers)
        .build()
        .unwrap();
    let now = t("2026-12-01T00:00:00Z");
    assert!(v.verdict(&card("https://a.example"), now).is_valid());
    let other = v.verdict(&card("https://b.example"), now);
    assert_eq!(other.error_kind(), Some(ErrorKind::Untrusted));
    assert_eq!(
        other.reason(),
        Some("untrusted signer: the key is bound to another issuer")
    );
    let _ = KeyBinding::AnyIssuer;
}

/// EU DCC signer lists as the national backends serve them: each kid
/// recomputed; a list of valid kids prunes the rest.
#[test]
fn dcc_signer_lists_check_each_kid_and_valid_kids_prune() {
    use base64ct::{Base64, Encoding as _};
    let der = common::demo_der();
    let kid = Base64::encode_string(&common::demo_kid());
    let list = serde_json::json!([
        {"kid": kid, "country": "XX", "rawData": Base64::encode_string(&der)},
        {"kid": "AAAAAAAAAAA=", "country": "XX", "rawData": Base64::encode_string(&der)},
        {"kid": "not base64", "rawData": "x"},
    ]);
    let mut store = TrustStore::new();
    let report = store
        .load(list.to_string().as_bytes(), &LoadOptions::new("signers"))
        .unwrap();
    assert_eq!((report.accepted, report.refused.len()), (1, 2));
    assert_eq!(report.refused[0].reason, "the kid is not the certificate's");
    let report = store
        .load(
            serde_json::json!(["AAAAAAAAAAA="]).to_string().as_bytes(),
            &LoadOptions::new("valid kids"),
        )
        .unwrap();
    assert_eq!(report.pruned, 1);
    assert!(store.signers().is_empty());
}

/// Each signer records the directory that added it, as its loader named it:
/// the first of two that list it; an unnamed load marks its own, so that a
/// later named load does not claim them.
#[test]
fn each_signer_records_the_directory_that_added_it() {
    let demo = std::fs::read(format!("{}/demo/trust.pem", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let kid = healthpass::TrustList::new().add_any(&demo).unwrap()[0];
    let mut store = TrustStore::new();
    store
        .load(&demo, &LoadOptions::new("demo/trust.pem"))
        .unwrap();
    let again = store.load(&demo, &LoadOptions::new("again.pem")).unwrap();
    assert_eq!(again.duplicates, 1);
    assert_eq!(
        store.signers().signers(&kid)[0].source(),
        Some("demo/trust.pem")
    );

    let mut unnamed = TrustStore::new();
    unnamed.load(&demo, &LoadOptions::default()).unwrap();
    unnamed
        .load(
            &data("directories/pathcheck/registry.json"),
            &LoadOptions::new("registry.json"),
        )
        .unwrap();
    assert_eq!(unnamed.signers().signers(&kid)[0].source(), None);
    // The registry's German signer (the WHO validator's sample pass).
    let de = String::from_utf8(data("gdhcn/samples/EUQR1Contents.txt")).unwrap();
    let pass = Verifier::builder()
        .trust_store(unnamed.clone())
        .build()
        .unwrap()
        .verify_hcert(de.trim(), t("2021-07-01T00:00:00Z"))
        .unwrap();
    let signers = unnamed.signers().signers(&pass.signer_kid()).to_vec();
    assert!(signers.iter().all(|s| s.source() == Some("registry.json")));
}
