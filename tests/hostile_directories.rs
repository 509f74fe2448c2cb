//! Hostile trust directories (issue 23): a directory is input like a pass.
//! Huge, deeply nested, 100 000 duplicate entries, keys that collide on a
//! kid, a snapshot signed by another key, registry entries whose kid is not
//! their key's: each gets a clear report or a `TrustDirectory` error within
//! the hang guard and a heap bound; the time and peak heap each took are
//! printed for the record (`cargo test --release --test
//! hostile_directories -- --nocapture`), never asserted beyond the guard.

#![cfg(all(feature = "shc", feature = "rustcrypto"))]

mod common;
mod heap;

use base64ct::{Base64, Base64UrlUnpadded, Encoding as _};
use healthpass::trust::store::{LoadOptions, TrustStore, MAX_DIRECTORY_ENTRIES, MAX_DIRECTORY_LEN};
use healthpass::trust::MAX_SIGNERS_PER_KID;
use healthpass::{Error, ErrorKind, Verifier};
use heap::timed;
use serde_json::json;

fn options() -> LoadOptions {
    LoadOptions::new("hostile")
}

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn refused(e: Result<healthpass::trust::store::LoadReport, Error>) -> String {
    match e {
        Err(Error::TrustDirectory(why)) => why,
        other => panic!("not refused: {other:?}"),
    }
}

/// A P-256 public key (SPKI PEM) that is not the demo key.
fn other_key_pem(i: u64) -> String {
    use p256::pkcs8::{EncodePublicKey as _, LineEnding};
    let mut scalar = [0u8; 32];
    scalar[24..].copy_from_slice(&(i * 7919 + 3).to_be_bytes());
    p256::SecretKey::from_slice(&scalar)
        .unwrap()
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap()
}

/// Over 16 MiB: refused before a byte is parsed; the store unchanged.
#[test]
fn a_huge_directory_is_refused_unread() {
    let huge = vec![b' '; MAX_DIRECTORY_LEN + 1];
    let mut store = TrustStore::new();
    let (e, peak, took) = timed(|| store.load(&huge, &options()));
    eprintln!("16 MiB + 1 byte: {took:?}, peak heap {peak} bytes");
    assert!(refused(e).contains("larger than"));
    assert!(peak < 4096, "peak {peak}");
    assert!(store.is_empty());
}

/// JSON nested 100 000 deep, alone or inside a registry section: serde's
/// depth limit refuses it without recursion on the stack.
#[test]
fn deep_nesting_is_refused() {
    let deep = "[".repeat(100_000);
    let mut store = TrustStore::new();
    let (e, peak, took) = timed(|| store.load(deep.as_bytes(), &options()));
    eprintln!("[ 100 000 deep: {took:?}, peak heap {peak} bytes");
    assert!(refused(e).contains("not json"));
    let inner = format!(
        r#"{{"EUDCC": {{"AAAAAAAAAAA=": {{"didDocument": {}1{}}}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (e, _, took) = timed(|| store.load(inner.as_bytes(), &options()));
    eprintln!("registry entry 100 000 deep: {took:?}");
    assert!(refused(e).contains("not json"));
    // 120 deep (under serde's limit) in an entry: that entry refused.
    let shallow = format!(
        r#"{{"EUDCC": {{"AAAAAAAAAAA=": {{"didDocument": {}1{}}}}}}}"#,
        "[".repeat(120),
        "]".repeat(120)
    );
    let report = store.load(shallow.as_bytes(), &options()).unwrap();
    assert_eq!(report.accepted, 0);
    assert_eq!(report.refused[0].reason, "no didDocument");
    assert!(store.is_empty());
}

/// 100 000 copies of one entry: held once, in linear time; one entry more
/// than a directory may hold is refused whole.
#[test]
fn duplicates_are_merged_and_counts_bounded() {
    // A list of valid kids naming one kid 100 000 times (it prunes all the
    // others), then one over the bound.
    let mut store = TrustStore::new();
    store.load(common::DEMO_CERT_PEM, &options()).unwrap();
    let kid = Base64::encode_string(&common::demo_kid());
    let kids = serde_json::to_vec(&vec![kid.as_str(); MAX_DIRECTORY_ENTRIES]).unwrap();
    let (report, peak, took) = timed(|| store.load(&kids, &options()));
    eprintln!("100 000 duplicate valid kids: {took:?}, peak heap {peak} bytes");
    assert_eq!(report.unwrap().pruned, 0);
    assert_eq!(store.signers().len(), 1);
    let over = serde_json::to_vec(&vec![kid.as_str(); MAX_DIRECTORY_ENTRIES + 1]).unwrap();
    assert!(refused(store.load(&over, &options())).contains("more"));

    // A JWK set of one key 20 000 times (4 MB, the bound of a JWK set):
    // one key, 19 999 merged.
    let key = json!({"kty": "EC", "kid": "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
        "use": "sig", "alg": "ES256", "crv": "P-256",
        "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
        "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"});
    let set = json!({ "keys": vec![key.clone(); 20_000] }).to_string();
    let mut store = TrustStore::new();
    let (report, peak, took) = timed(|| {
        store.load(
            set.as_bytes(),
            &options().shc_issuer("https://spec.smarthealth.cards/examples/issuer"),
        )
    });
    let report = report.unwrap();
    eprintln!(
        "jwk set of one key 20 000 times ({} bytes): {took:?}, peak heap {peak} bytes",
        set.len()
    );
    assert_eq!(
        (report.accepted, report.duplicates),
        (1, 19_999),
        "{:?}",
        report.refused.first()
    );
    assert!(peak < 64 << 20, "peak {peak}");
    // One key listed under 50 000 issuers in a registry (as one vendor's
    // key is under hundreds in the real VCI directory, at scale): one key
    // bound to each issuer, in linear time.
    let shc: serde_json::Map<String, serde_json::Value> = (0..50_000)
        .map(|i| {
            (
                format!(
                    "https://issuer{i}.example.org#{}",
                    key["kid"].as_str().unwrap()
                ),
                json!({"didDocument": key}),
            )
        })
        .collect();
    let registry = json!({ "SmartHealthCards": shc }).to_string();
    let mut store = TrustStore::new();
    let (report, peak, took) = timed(|| store.load(registry.as_bytes(), &options()));
    let report = report.unwrap();
    eprintln!(
        "registry of one key under 50 000 issuers ({} bytes): {took:?}, peak heap {peak} bytes",
        registry.len()
    );
    assert_eq!((report.accepted, report.duplicates), (1, 49_999));
    assert!(peak < 256 << 20, "peak {peak}");
    // A registry naming 100 000 EU DCC signers (bare keys, one each) is
    // within bounds; 100 001 are refused whole before any entry is read.
    let entries = |n: usize| {
        let doc: serde_json::Map<String, serde_json::Value> = (0..n as u64)
            .map(|i| {
                (
                    Base64::encode_string(&i.to_be_bytes()),
                    json!({"status": "terminated"}),
                )
            })
            .collect();
        json!({ "EUDCC": doc }).to_string()
    };
    let mut store = TrustStore::new();
    let withdrawn = entries(MAX_DIRECTORY_ENTRIES);
    let (report, peak, took) = timed(|| store.load(withdrawn.as_bytes(), &options()));
    eprintln!(
        "registry of 100 000 withdrawn kids ({} bytes): {took:?}, peak heap {peak} bytes",
        withdrawn.len()
    );
    assert_eq!(report.unwrap().withdrawn, MAX_DIRECTORY_ENTRIES);
    // serde_json's tree of a registry is about 20 times its text: bounded
    // by the 16 MiB cap, not small (a typed, borrowing parse would cut it).
    assert!(peak < 128 << 20, "peak {peak}");
    let e = store.load(entries(MAX_DIRECTORY_ENTRIES + 1).as_bytes(), &options());
    assert!(refused(e).contains("more entries"));
}

/// Keys that collide on the real signer's kid (bare keys may carry any kid
/// their directory gives): at most MAX_SIGNERS_PER_KID per kid, the rest
/// refused with that reason; the real signer, loaded first, still
/// verifies its passes; a pass naming the kid costs at most that many
/// signature checks.
#[test]
fn keys_colliding_on_a_kid_are_bounded() {
    let kid = Base64::encode_string(&common::demo_kid());
    let mut store = TrustStore::new();
    store.load(common::DEMO_CERT_PEM, &options()).unwrap();
    let mut accepted = 0;
    let mut reasons = Vec::new();
    for i in 0..20 {
        let registry =
            json!({"EUDCC": {&kid: {"status": "current", "didDocument": other_key_pem(i)}}});
        let report = store
            .load(registry.to_string().as_bytes(), &options())
            .unwrap();
        accepted += report.accepted;
        reasons.extend(report.refused.into_iter().map(|r| r.reason));
    }
    assert_eq!(accepted, MAX_SIGNERS_PER_KID - 1);
    assert_eq!(reasons.len(), 20 - (MAX_SIGNERS_PER_KID - 1));
    assert!(reasons
        .iter()
        .all(|r| r == "too many certificates share one kid"));
    let v = Verifier::builder().trust_store(store).build().unwrap();
    let pass = include_str!("../demo/valid.txt").trim();
    let (verdict, _, took) = timed(|| v.verdict(pass, common::t("2026-12-01T00:00:00Z")));
    eprintln!("a pass whose kid {MAX_SIGNERS_PER_KID} keys share: {took:?}");
    assert!(verdict.is_valid(), "{verdict:?}");
    // Only the colliding keys: the demo pass does not verify with any.
    let mut store = TrustStore::new();
    for i in 0..MAX_SIGNERS_PER_KID as u64 {
        let registry = json!({"EUDCC": {&kid: {"didDocument": other_key_pem(i)}}});
        store
            .load(registry.to_string().as_bytes(), &options())
            .unwrap();
    }
    let v = Verifier::builder().trust_store(store).build().unwrap();
    let verdict = v.verdict(pass, common::t("2026-12-01T00:00:00Z"));
    assert_eq!(verdict.error_kind(), Some(ErrorKind::BadSignature));
}

/// The VCI snapshot re-signed by another key, or its real signature
/// presented with another certificate: refused whole.
#[test]
fn a_snapshot_signed_by_another_key_is_refused() {
    use p256::ecdsa::signature::Signer as _;
    use p256::pkcs8::DecodePrivateKey as _;
    let snapshot = data("directories/vci/vci_snapshot.json");
    let real_sig = data("directories/vci/vci_snapshot.sig");
    let real_cert = data("directories/vci/vci_snapshot.crt");
    let at = common::t("2026-12-01T00:00:00Z");
    let key =
        p256::ecdsa::SigningKey::from_pkcs8_pem(include_str!("../demo/TEST-ONLY-key.pem")).unwrap();
    let sig: p256::ecdsa::Signature = key.sign(&snapshot);
    let mut store = TrustStore::new();
    for (signature, certificate) in [
        (sig.to_der().as_bytes().to_vec(), real_cert.clone()),
        (real_sig.clone(), common::DEMO_CERT_PEM.to_vec()),
        (Vec::new(), real_cert.clone()),
    ] {
        let e = store.load(
            &snapshot,
            &options().signed_by(signature, certificate).at(at),
        );
        assert!(refused(e).contains("signature"));
    }
    // The real signature, but the certificate checked at a time it was not
    // valid.
    let e = store.load(
        &snapshot,
        &options()
            .signed_by(real_sig, real_cert)
            .at(common::t("2001-01-01T00:00:00Z")),
    );
    assert!(refused(e).contains("not valid"));
    assert!(store.is_empty());
}

/// Registry entries whose kid is not their key's are refused with that
/// reason, the rest of the registry loads.
#[test]
fn registry_entries_whose_kid_is_not_their_key_are_refused() {
    let cert = String::from_utf8(common::DEMO_CERT_PEM.to_vec()).unwrap();
    let jwk = json!({"kty": "EC", "kid": "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
        "use": "sig", "alg": "ES256", "crv": "P-256",
        "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
        "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"});
    let mut renamed = jwk.clone();
    renamed["kid"] = json!(Base64UrlUnpadded::encode_string(&[7u8; 32]));
    let registry = json!({
        "EUDCC": {
            "AAAAAAAAAAA=": {"didDocument": cert},
            Base64::encode_string(&common::demo_kid()): {"didDocument": cert},
        },
        "SmartHealthCards": {
            "https://spec.smarthealth.cards/examples/issuer#another": {"didDocument": jwk},
            format!("https://spec.smarthealth.cards/examples/issuer#{}", renamed["kid"].as_str().unwrap()): {"didDocument": renamed},
        },
    });
    let mut store = TrustStore::new();
    let report = store
        .load(registry.to_string().as_bytes(), &options())
        .unwrap();
    let mut reasons: Vec<_> = report.refused.iter().map(|r| r.reason.as_str()).collect();
    reasons.sort_unstable();
    assert_eq!(
        reasons,
        [
            "a key's kid is not its rfc 7638 thumbprint",
            "the key's kid is not the registry's",
            "the kid is not the certificate's",
        ]
    );
    assert_eq!((report.frameworks.hcert, report.frameworks.shc), (1, 0));
}
