//! Revocation: the store's guarantees, signed lists and deltas, the
//! verifier's check, and the EU slice formats against independently made
//! vectors (tests/data/revocation/make_eu_vectors.py).

#![cfg(feature = "rustcrypto")]

mod common;

use common::t;
use healthpass::issue::{self_signed_certificate, CertificateParams, Issuer, SigningKey};
use healthpass::revocation::bloom::EuBloomFilter;
use healthpass::revocation::pvhf::PartialVariableHashFilter;
use healthpass::revocation::{
    hash_of, hash_of_unverified, CountrySource, ExpiredListPolicy, HashType, ListDocument,
    Revocation, RevocationHash, RevocationList, Store, StoreMode,
};
use healthpass::{Error, ErrorKind, TrustList, UnixTime, Verifier};
use proptest::prelude::*;

fn splitmix(n: usize, mut x: u64) -> Vec<RevocationHash> {
    let mut next = move || {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|_| {
            let mut h = [0u8; 16];
            h[..8].copy_from_slice(&next().to_le_bytes());
            h[8..].copy_from_slice(&next().to_le_bytes());
            RevocationHash(h)
        })
        .collect()
}

const COMPACT: StoreMode = StoreMode::Compact {
    false_positive_rate: 1e-12,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A store never misses an entry it holds, before and after a delta and
    /// a round trip through its file format.
    #[test]
    fn a_store_never_misses_what_it_holds(
        n in 0usize..3000,
        seed in any::<u64>(),
        rate_exp in 1i32..14,
        removed in 0usize..500,
    ) {
        let mode = StoreMode::Compact { false_positive_rate: 10f64.powi(-rate_exp).min(0.5) };
        let hashes = splitmix(n, seed);
        for mode in [mode, StoreMode::Exact] {
            let store = Store::build(hashes.clone(), mode).unwrap();
            prop_assert!(hashes.iter().all(|h| store.contains(h)));
            let adds = splitmix(100, seed ^ 0xABCD);
            let cut = removed.min(n);
            let merged = store.merge(&adds, &hashes[..cut]);
            prop_assert!(hashes[cut..].iter().chain(&adds).all(|h| merged.contains(h)));
            let loaded = Store::from_bytes(&merged.to_bytes()).unwrap();
            prop_assert!(hashes[cut..].iter().chain(&adds).all(|h| loaded.contains(h)));
            if mode == StoreMode::Exact {
                prop_assert!(hashes[..cut].iter().all(|h| !loaded.contains(h)));
            }
        }
    }
}

/// At a rate one can observe (1e-4), 10^7 probes of hashes not in the store
/// hit it at most twice as often as configured, and at least half as often.
#[test]
fn measured_false_positive_rate_is_within_2x() {
    let rate = 1e-4;
    let store = Store::build(
        splitmix(100_000, 11),
        StoreMode::Compact {
            false_positive_rate: rate,
        },
    )
    .unwrap();
    let probes = 10_000_000;
    let hits = splitmix(probes, 12)
        .iter()
        .filter(|h| store.contains(h))
        .count();
    let measured = hits as f64 / probes as f64;
    println!(
        "{hits} false positives in {probes} probes: {measured:.2e} (configured {rate:.0e}, {:.2} bits/entry)",
        store.bits_per_entry()
    );
    assert!(
        measured <= 2.0 * rate && measured >= rate / 2.0,
        "{measured}"
    );
}

#[test]
fn memory_per_entry_at_1e_12() {
    let store = Store::build(splitmix(1_000_000, 5), COMPACT).unwrap();
    let bits = store.bits_per_entry();
    println!("{bits:.2} bits per entry at 1e-12 (1 000 000 entries)");
    assert!(bits <= 42.0, "{bits}");
}

// ---------------------------------------------------------------- lists

struct Signer {
    issuer: Issuer,
    anchors: TrustList,
}

fn signer() -> Signer {
    let key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
    let der = self_signed_certificate(
        &key,
        &CertificateParams {
            country: "XX".into(),
            common_name: "revocation list signer".into(),
            not_before: t("2026-01-01T00:00:00Z"),
            not_after: t("2030-01-01T00:00:00Z"),
            kinds: vec![],
        },
    )
    .unwrap();
    let issuer = Issuer::new(key, &der).unwrap();
    let anchors = issuer.trust_list().unwrap();
    Signer { issuer, anchors }
}

fn doc(
    seq: u64,
    base: Option<u64>,
    adds: &[RevocationHash],
    removes: &[RevocationHash],
) -> ListDocument {
    ListDocument {
        hash_type: HashType::Uci,
        list_id: "XX-uci".into(),
        sequence: seq,
        base_sequence: base,
        issued_at: t("2027-01-01T00:00:00Z"),
        expires: t("2027-01-08T00:00:00Z"),
        adds: adds.to_vec(),
        removes: removes.to_vec(),
    }
}

const NOW: &str = "2027-01-02T00:00:00Z";

#[test]
fn full_lists_and_deltas() {
    let s = signer();
    let hashes = splitmix(1000, 21);
    let full = doc(1, None, &hashes[..600], &[]).sign(&s.issuer).unwrap();
    for mode in [COMPACT, StoreMode::Exact] {
        let mut list = RevocationList::from_signed(
            &full,
            &s.anchors,
            t(NOW),
            mode,
            ExpiredListPolicy::FailClosed,
        )
        .unwrap();
        assert_eq!((list.sequence(), list.store().len()), (1, 600));
        let delta = doc(2, Some(1), &hashes[600..], &hashes[..100])
            .sign(&s.issuer)
            .unwrap();
        list.apply_signed(&delta, &s.anchors, t(NOW), ExpiredListPolicy::FailClosed)
            .unwrap();
        assert_eq!((list.sequence(), list.store().len()), (2, 900));
        assert!(hashes[100..].iter().all(|h| list.store().contains(h)));
        assert!(hashes[..100].iter().all(|h| !list.store().contains(h)));

        // Each of these fails and leaves the list as it was.
        let before = list.store().clone();
        let wrong_base = doc(3, Some(1), &hashes[..1], &[]).sign(&s.issuer).unwrap();
        let replay = delta.clone();
        let expired = {
            let mut d = doc(3, Some(2), &hashes[..1], &[]);
            d.expires = t("2027-01-01T12:00:00Z");
            d.sign(&s.issuer).unwrap()
        };
        let mut tampered = doc(3, Some(2), &hashes[..1], &[]).sign(&s.issuer).unwrap();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        let other_signer = doc(3, Some(2), &hashes[..1], &[])
            .sign(&signer().issuer)
            .unwrap();
        let other_list = {
            let mut d = doc(3, Some(2), &hashes[..1], &[]);
            d.list_id = "YY-uci".into();
            d.sign(&s.issuer).unwrap()
        };
        for (name, bytes, kind) in [
            ("wrong base", &wrong_base, ErrorKind::Malformed),
            ("replayed delta", &replay, ErrorKind::Malformed),
            ("expired", &expired, ErrorKind::Untrusted),
            ("bad signature", &tampered, ErrorKind::BadSignature),
            ("unknown signer", &other_signer, ErrorKind::Untrusted),
            ("another list", &other_list, ErrorKind::Malformed),
        ] {
            let e = list
                .apply_signed(bytes, &s.anchors, t(NOW), ExpiredListPolicy::FailClosed)
                .unwrap_err();
            assert_eq!(e.kind(), kind, "{name}: {e}");
            assert_eq!(list.store(), &before, "{name} changed the store");
            assert_eq!(list.sequence(), 2);
        }
        // An expired list may be used when the caller says so.
        list.apply_signed(&expired, &s.anchors, t(NOW), ExpiredListPolicy::UseLast)
            .unwrap();
        assert_eq!(list.sequence(), 3);
        // A full list replaces everything.
        let full2 = doc(4, None, &hashes[..10], &[]).sign(&s.issuer).unwrap();
        list.apply_signed(&full2, &s.anchors, t(NOW), ExpiredListPolicy::FailClosed)
            .unwrap();
        assert_eq!(list.store().len(), 10);
    }
}

#[test]
fn a_pass_is_not_a_list() {
    let s = signer();
    let pass =
        healthpass::transport::decode_text(include_str!("../demo/valid.txt").trim()).unwrap();
    let demo = {
        let mut t = TrustList::new();
        t.add_any(include_bytes!("../demo/trust.pem")).unwrap();
        t
    };
    assert_eq!(
        ListDocument::verify(&pass, &demo, t(NOW)).unwrap_err(),
        Error::Revocation("not a revocation list (content type)")
    );
    // A document whose removes are set in a full list, or with bad sizes.
    let mut bad = doc(1, None, &[], &splitmix(1, 1));
    assert!(ListDocument::from_cbor(&bad.to_cbor()).is_err());
    bad.removes.clear();
    let mut bytes = bad.to_cbor();
    assert!(ListDocument::from_cbor(&bytes).is_ok());
    bytes.push(0);
    assert!(ListDocument::from_cbor(&bytes).is_err());
    let _ = s;
}

// ---------------------------------------------------------------- verifier

#[test]
fn the_verifier_rejects_revoked_passes_and_says_only_revoked() {
    let text = include_str!("../demo/valid.txt").trim();
    let other = include_str!("../demo/valid-test.txt").trim();
    let light = include_str!("../demo/light.txt").trim();
    let base = common::demo_verifier();
    let now = t("2030-01-01T00:00:00Z");
    let pass = base.verify(text, now).unwrap();
    for ty in [HashType::Uci, HashType::CountryCodeUci, HashType::Signature] {
        for source in [CountrySource::PayloadCountry, CountrySource::CwtIssuer] {
            let h = hash_of(&pass, ty, source).unwrap();
            assert_eq!(hash_of_unverified(text, ty, source).unwrap(), Some(h));
            let store = Store::build(vec![h], COMPACT).unwrap();
            let verifier = Verifier::builder()
                .trust_list(base.trust_list().clone())
                .revocation(
                    Revocation::new()
                        .with_list(RevocationList::local(ty, store))
                        .country_source(source),
                )
                .build()
                .unwrap();
            let e = verifier.verify(text, now).unwrap_err();
            assert_eq!(e, Error::Revoked, "{ty:?}");
            assert_eq!(e.kind().as_str(), "revoked");
            assert_eq!(e.to_string(), "revoked");
            assert!(verifier.verify(other, now).is_ok(), "{ty:?}: another pass");
            // A light pass has no ci: only its own signature can revoke it.
            assert!(verifier.verify(light, now).is_ok());
        }
    }
    // Revoking the light pass by its signature.
    let lp = base.verify(light, now).unwrap();
    let h = hash_of(&lp, HashType::Signature, CountrySource::default()).unwrap();
    let verifier = Verifier::builder()
        .trust_list(base.trust_list().clone())
        .revocation(Revocation::new().with_list(RevocationList::local(
            HashType::Signature,
            Store::build(vec![h], StoreMode::Exact).unwrap(),
        )))
        .build()
        .unwrap();
    assert_eq!(verifier.verify(light, now).unwrap_err(), Error::Revoked);
}

#[test]
fn an_expired_list_fails_closed_at_verification_time() {
    let s = signer();
    let text = include_str!("../demo/valid.txt").trim();
    let list = RevocationList::from_signed(
        &doc(1, None, &splitmix(5, 1), &[]).sign(&s.issuer).unwrap(),
        &s.anchors,
        t(NOW),
        COMPACT,
        ExpiredListPolicy::FailClosed,
    )
    .unwrap();
    let later = t("2027-02-01T00:00:00Z");
    let with = |policy| {
        Verifier::builder()
            .trust_list(common::demo_verifier().trust_list().clone())
            .revocation(
                Revocation::new()
                    .with_list(list.clone())
                    .expired_policy(policy),
            )
            .build()
            .unwrap()
    };
    assert!(matches!(
        with(ExpiredListPolicy::FailClosed).verify(text, later),
        Err(Error::RevocationListExpired { .. })
    ));
    assert!(with(ExpiredListPolicy::UseLast).verify(text, later).is_ok());
    assert!(with(ExpiredListPolicy::FailClosed)
        .verify(text, t("2027-01-03T00:00:00Z"))
        .is_ok());
    let _ = UnixTime::from_secs(0);
}

// ---------------------------------------------------------------- EU formats

fn hexes(v: &serde_json::Value) -> Vec<Vec<u8>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| {
            RevocationHash::from_hex(h.as_str().unwrap())
                .unwrap()
                .0
                .to_vec()
        })
        .collect()
}

#[test]
fn eu_bloom_filter_is_bit_exact_with_the_vectors() {
    let bin = include_bytes!("data/revocation/eu-bloom-n200-p0.01.bin");
    let meta: serde_json::Value =
        serde_json::from_str(include_str!("data/revocation/eu-bloom-n200-p0.01.json")).unwrap();
    let f = EuBloomFilter::from_bytes(bin).unwrap();
    assert_eq!(u64::from(f.hashes()), meta["k"].as_u64().unwrap());
    assert_eq!(f.bit_len(), meta["m"].as_u64().unwrap());
    let members = hexes(&meta["members"]);
    assert!(members.iter().all(|m| f.might_contain(m)));
    let hits: Vec<Vec<u8>> = hexes(&meta["strangers"])
        .into_iter()
        .filter(|s| f.might_contain(s))
        .collect();
    assert_eq!(hits, hexes(&meta["stranger_hits"]));
    // Built here from the same elements: the same bytes.
    let mut mine = EuBloomFilter::with_rate(200, 0.01).unwrap();
    for m in &members {
        mine.add(m);
    }
    assert_eq!(mine.to_bytes(), bin.to_vec());
}

#[test]
fn eu_partial_variable_hash_list_matches_the_vectors() {
    let bin = include_bytes!("data/revocation/eu-pvhf-s3.bin");
    let meta: serde_json::Value =
        serde_json::from_str(include_str!("data/revocation/eu-pvhf-s3.json")).unwrap();
    let f = PartialVariableHashFilter::from_bytes(bin).unwrap();
    assert_eq!(f.partial_len(), 3);
    let members = hexes(&meta["members"]);
    assert!(members.iter().all(|m| f.might_contain(m)));
    let hits: Vec<Vec<u8>> = hexes(&meta["strangers"])
        .into_iter()
        .filter(|s| f.might_contain(s))
        .collect();
    assert_eq!(hits, hexes(&meta["stranger_hits"]));
    let mine = PartialVariableHashFilter::new(3, members.iter().map(Vec::as_slice)).unwrap();
    assert_eq!(mine, f);
}
