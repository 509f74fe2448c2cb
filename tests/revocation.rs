//! Revocation: the store's guarantees, signed lists and deltas, the
//! verifier's check, and the EU slice formats against independently made
//! vectors (tests/data/revocation/make_eu_vectors.py).

#![cfg(feature = "rustcrypto")]

mod common;

use common::t;
use healthpass::issue::Credential;
use healthpass::issue::SigningKey;
use healthpass::issue::{self_signed_certificate, CertificateParams, Issuer};
use healthpass::revocation::bloom::EuBloomFilter;
use healthpass::revocation::pvhf::PartialVariableHashFilter;
use healthpass::revocation::{
    hash_of_unverified, CountrySource, ExpiredListPolicy, HashType, Revocation, RevocationHash,
    RevocationList, RevocationListDocument, RevocationListLoader, Store, StoreMode,
};
use healthpass::signed::Validity;
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
    credential: Credential,
    anchors: TrustList,
}

fn credential(country: &str) -> Credential {
    let key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2030-01-01T00:00:00Z")).unwrap();
    let der = self_signed_certificate(
        &key,
        &CertificateParams::new(country, "revocation list signer", validity),
    )
    .unwrap();
    Credential::new(key, &der).unwrap()
}

fn signer() -> Signer {
    let credential = credential("XX");
    let anchors = credential.trust_list().unwrap();
    Signer {
        credential,
        anchors,
    }
}

fn week() -> Validity {
    Validity::new(t("2027-01-01T00:00:00Z"), t("2027-01-08T00:00:00Z")).unwrap()
}

fn doc(
    seq: u64,
    base: Option<u64>,
    adds: &[RevocationHash],
    removes: &[RevocationHash],
) -> RevocationListDocument {
    doc_valid(seq, base, adds, removes, week())
}

fn doc_valid(
    seq: u64,
    base: Option<u64>,
    adds: &[RevocationHash],
    removes: &[RevocationHash],
    validity: Validity,
) -> RevocationListDocument {
    let mut b = RevocationListDocument::builder(HashType::Uci, "XX-uci")
        .sequence(seq)
        .adds(adds.to_vec())
        .removes(removes.to_vec());
    if let Some(base) = base {
        b = b.delta_on(base);
    }
    b.build(validity).unwrap()
}

const NOW: &str = "2027-01-02T00:00:00Z";

#[test]
fn full_lists_and_deltas() {
    let s = signer();
    let hashes = splitmix(1000, 21);
    let full = doc(1, None, &hashes[..600], &[])
        .sign(&s.credential)
        .unwrap();
    for mode in [COMPACT, StoreMode::Exact] {
        let loader = RevocationListLoader::new(s.anchors.clone()).store_mode(mode);
        let mut list = loader.load(&full, t(NOW)).unwrap();
        assert_eq!((list.sequence(), list.store().len()), (1, 600));
        let delta = doc(2, Some(1), &hashes[600..], &hashes[..100])
            .sign(&s.credential)
            .unwrap();
        loader.apply(&mut list, &delta, t(NOW)).unwrap();
        assert_eq!((list.sequence(), list.store().len()), (2, 900));
        assert!(hashes[100..].iter().all(|h| list.store().contains(h)));
        assert!(hashes[..100].iter().all(|h| !list.store().contains(h)));

        // Each of these fails and leaves the list as it was.
        let before = list.store().clone();
        let wrong_base = doc(3, Some(1), &hashes[..1], &[])
            .sign(&s.credential)
            .unwrap();
        let replay = delta.clone();
        let mut tampered = doc(3, Some(2), &hashes[..1], &[])
            .sign(&s.credential)
            .unwrap();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        let other_signer = doc(3, Some(2), &hashes[..1], &[])
            .sign(&signer().credential)
            .unwrap();
        let other_list = RevocationListDocument::builder(HashType::Uci, "YY-uci")
            .sequence(3)
            .delta_on(2)
            .build(week())
            .unwrap()
            .sign(&s.credential)
            .unwrap();
        let future = doc_valid(
            3,
            Some(2),
            &hashes[..1],
            &[],
            Validity::new(t("2027-01-03T00:00:00Z"), t("2027-01-09T00:00:00Z")).unwrap(),
        )
        .sign(&s.credential)
        .unwrap();
        for (name, bytes, kind) in [
            ("wrong base", &wrong_base, ErrorKind::Malformed),
            ("replayed delta", &replay, ErrorKind::Malformed),
            ("bad signature", &tampered, ErrorKind::BadSignature),
            ("unknown signer", &other_signer, ErrorKind::Untrusted),
            ("another list", &other_list, ErrorKind::Malformed),
            ("issued in the future", &future, ErrorKind::Malformed),
        ] {
            let e = loader.apply(&mut list, bytes, t(NOW)).unwrap_err();
            assert_eq!(e.kind(), kind, "{name}: {e}");
            assert_eq!(list.store(), &before, "{name} changed the store");
            assert_eq!(list.sequence(), 2);
        }
        // A full list replaces everything.
        let full2 = doc(4, None, &hashes[..10], &[])
            .sign(&s.credential)
            .unwrap();
        loader.apply(&mut list, &full2, t(NOW)).unwrap();
        assert_eq!(list.store().len(), 10);
    }
}

/// Replay after a restart: an older full list, validly signed, is refused
/// once the caller gives the last sequence it accepted.
#[test]
fn an_older_list_is_refused_with_the_last_sequence() {
    let s = signer();
    let old = doc(5, None, &[], &[]).sign(&s.credential).unwrap();
    let loader = RevocationListLoader::new(s.anchors.clone());
    assert!(
        loader.load(&old, t(NOW)).is_ok(),
        "a fresh start accepts it"
    );
    let e = loader.min_sequence(6).load(&old, t(NOW)).unwrap_err();
    assert_eq!(
        e,
        Error::Revocation("the list is older than the last one accepted (sequence)")
    );
    assert!(RevocationListLoader::new(s.anchors.clone())
        .min_sequence(5)
        .load(&old, t(NOW))
        .is_ok());
}

/// Lists are verified against the anchors given for lists only: a pass
/// signer (here the demo signer) cannot sign a list that verifies against
/// the list anchors, and a bare document is not a signed list.
#[test]
fn only_list_anchors_sign_lists_and_bare_documents_are_refused() {
    let s = signer();
    let demo = Credential::from_pem(
        include_str!("../demo/TEST-ONLY-key.pem"),
        include_str!("../demo/trust.pem"),
    )
    .unwrap();
    let by_pass_signer = doc(1, None, &[], &[]).sign(&demo).unwrap();
    let loader = RevocationListLoader::new(s.anchors.clone());
    assert_eq!(
        loader.load(&by_pass_signer, t(NOW)).unwrap_err(),
        Error::UnknownKid
    );
    let bare = doc(1, None, &[], &[]).to_cbor();
    assert!(loader.load(&bare, t(NOW)).is_err());
    // The explicit, loudly named way to use one.
    let list = RevocationList::from_unauthenticated_document(
        RevocationListDocument::from_cbor(&bare).unwrap(),
        StoreMode::Exact,
    )
    .unwrap();
    assert_eq!(list.sequence(), 1);
}

#[test]
fn a_pass_is_not_a_list() {
    let s = signer();
    let pass =
        healthpass::transport::decode_text(include_str!("../demo/valid.txt").trim()).unwrap();
    assert_eq!(
        RevocationListLoader::new(common::demo_verifier().trust_list().clone())
            .load(&pass, t(NOW))
            .unwrap_err(),
        Error::SignedDocument("another kind of document (content type)")
    );
    // A full list with removes, an expiry before the issue time, an
    // unknown field, trailing bytes.
    assert!(RevocationListDocument::builder(HashType::Uci, "x")
        .removes(splitmix(1, 1))
        .build(week())
        .is_err());
    let good = doc(1, None, &[], &[]).to_cbor();
    assert!(RevocationListDocument::from_cbor(&good).is_ok());
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(RevocationListDocument::from_cbor(&trailing).is_err());
    let mut e = healthpass::cbor::Encoder::new();
    e.map(8);
    for (k, v) in [(1, 1), (4, 1), (6, 100), (7, 50)] {
        e.int(k).int(v);
    }
    e.int(2)
        .text("UCI")
        .int(3)
        .text("x")
        .int(8)
        .bytes(&[])
        .int(9)
        .bytes(&[]);
    assert_eq!(
        RevocationListDocument::from_cbor(&e.into_bytes()).unwrap_err(),
        Error::Revocation("the list expires before it is issued")
    );
    let mut e = healthpass::cbor::Encoder::new();
    e.map(9);
    for (k, v) in [(1, 1), (4, 1), (6, 1), (7, 50), (11, 0)] {
        e.int(k).int(v);
    }
    e.int(2)
        .text("UCI")
        .int(3)
        .text("x")
        .int(8)
        .bytes(&[])
        .int(9)
        .bytes(&[]);
    assert_eq!(
        RevocationListDocument::from_cbor(&e.into_bytes()).unwrap_err(),
        Error::Revocation("unknown field in the list")
    );
    let _ = s;
}

// ---------------------------------------------------------------- verifier

fn verifier_with(base: &Verifier, list: RevocationList) -> Verifier {
    Verifier::builder()
        .trust_list(base.trust_list().clone())
        .revocation(Revocation::new().with_list(list))
        .build()
        .unwrap()
}

#[test]
fn the_verifier_rejects_revoked_passes_and_says_only_revoked() {
    let text = include_str!("../demo/valid.txt").trim();
    let other = include_str!("../demo/valid-test.txt").trim();
    // demo/light.txt is made from demo/valid.txt, and valid for a week.
    let light = include_str!("../demo/light.txt").trim();
    let base = common::demo_verifier();
    let now = t("2026-11-26T00:00:00Z");
    let pass = base.verify_hcert(text, now).unwrap();
    for ty in [HashType::Uci, HashType::CountryCodeUci, HashType::Signature] {
        for source in [CountrySource::PayloadCountry, CountrySource::CwtIssuer] {
            let h = pass.revocation_hash(ty, source).unwrap();
            assert_eq!(hash_of_unverified(text, ty, source).unwrap(), Some(h));
            let store = Store::build(vec![h], COMPACT).unwrap();
            let list = RevocationList::local(ty, store).with_country_source(source);
            assert!(list.matches_unverified(text).unwrap());
            assert!(list.matches_unverified(light).unwrap());
            let verifier = verifier_with(&base, list);
            let e = verifier.verify_hcert(text, now).unwrap_err();
            assert_eq!(e, Error::Revoked, "{ty:?}");
            assert_eq!(e.kind().as_str(), "revoked");
            assert_eq!(e.to_string(), "revoked");
            assert!(
                verifier.verify_hcert(other, now).is_ok(),
                "{ty:?}: another pass"
            );
            // The light pass made from the revoked pass dies with it.
            assert_eq!(
                verifier.verify_hcert(light, now).unwrap_err(),
                Error::Revoked,
                "{ty:?} {source:?}: light pass"
            );
        }
    }
    // Revoking the light pass by its own signature leaves its source alone.
    let lp = base.verify_hcert(light, now).unwrap();
    let h = lp
        .revocation_hash(HashType::Signature, CountrySource::default())
        .unwrap();
    let verifier = verifier_with(
        &base,
        RevocationList::local(
            HashType::Signature,
            Store::build(vec![h], StoreMode::Exact).unwrap(),
        ),
    );
    assert_eq!(
        verifier.verify_hcert(light, now).unwrap_err(),
        Error::Revoked
    );
    assert!(verifier.verify_hcert(text, now).is_ok());
}

/// A COUNTRYCODEUCI list keyed by the CWT issuer country matches at
/// verification: the list records its country source.
#[test]
fn a_cc_uci_list_keeps_its_country_source() {
    let s = signer();
    let issuer = Issuer::new(credential("XX"));
    // iss is XX, the entry's co AT.
    let payload = healthpass::payload::Payload::from_json(serde_json::json!({
        "ver": "1.3.0", "nam": {"fnt": "DOE"}, "dob": "1990-01-01",
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
            "ma": "ORG-100030215", "dn": 1, "sd": 2, "dt": "2026-12-01", "co": "AT",
            "is": "Test", "ci": "URN:UVCI:01:AT:CC/ISS"}]
    }))
    .unwrap();
    let text = issuer
        .issue(
            &payload,
            Validity::new(t("2026-12-01T00:00:00Z"), t("2027-12-01T00:00:00Z")).unwrap(),
        )
        .unwrap();
    let by_iss = hash_of_unverified(&text, HashType::CountryCodeUci, CountrySource::CwtIssuer)
        .unwrap()
        .unwrap();
    let by_co = hash_of_unverified(
        &text,
        HashType::CountryCodeUci,
        CountrySource::PayloadCountry,
    )
    .unwrap()
    .unwrap();
    assert_ne!(by_iss, by_co);
    let signed = RevocationListDocument::builder(HashType::CountryCodeUci, "XX-cc")
        .country_source(CountrySource::CwtIssuer)
        .adds(vec![by_iss])
        .build(week())
        .unwrap()
        .sign(&s.credential)
        .unwrap();
    let list = RevocationListLoader::new(s.anchors.clone())
        .load(&signed, t(NOW))
        .unwrap();
    assert_eq!(list.country_source(), CountrySource::CwtIssuer);
    let base = Verifier::builder()
        .trust_list(issuer.trust_list().unwrap())
        .build()
        .unwrap();
    let verifier = verifier_with(&base, list);
    assert_eq!(
        verifier.verify_hcert(&text, t(NOW)).unwrap_err(),
        Error::Revoked
    );
}

#[test]
fn an_expired_list_fails_closed_at_verification_time() {
    let s = signer();
    let text = include_str!("../demo/valid.txt").trim();
    let signed = doc(1, None, &splitmix(5, 1), &[])
        .sign(&s.credential)
        .unwrap();
    let list = RevocationListLoader::new(s.anchors.clone())
        .load(&signed, t(NOW))
        .unwrap();
    let later = t("2027-02-01T00:00:00Z");
    // Loading an already expired list succeeds; every verification with it
    // then fails closed, as when it expires after loading.
    let late_loaded = RevocationListLoader::new(s.anchors.clone())
        .load(&signed, later)
        .unwrap();
    let with = |list: &RevocationList, policy| {
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
    for list in [&list, &late_loaded] {
        let e = with(list, ExpiredListPolicy::FailClosed)
            .verify_hcert(text, later)
            .unwrap_err();
        assert!(matches!(e, Error::RevocationListExpired { .. }));
        assert_eq!(e.kind(), ErrorKind::Untrusted);
        assert!(with(list, ExpiredListPolicy::UseLast)
            .verify_hcert(text, later)
            .is_ok());
    }
    assert!(with(&list, ExpiredListPolicy::FailClosed)
        .verify_hcert(text, t("2027-01-03T00:00:00Z"))
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
