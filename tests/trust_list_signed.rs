//! Signed trust lists: a network signs the signer certificates it
//! distributes; verifiers load them against the list anchors only, all or
//! nothing, fail closed on expiry, refuse replays and tampering.

#![cfg(feature = "rustcrypto")]

mod common;

use common::{t, DEMO_CERT_PEM};
use healthpass::cbor::{Encoder, Value};
use healthpass::issue::Credential;
use healthpass::issue::SigningKey;
use healthpass::issue::{self_signed_certificate, CertificateParams};
use healthpass::revocation::{HashType, RevocationListDocument};
use healthpass::signed::Validity;
use healthpass::trust::signed_list::{
    TrustListDocument, TrustListEntry, TrustListLoader, TRUST_LIST_CONTENT_TYPE,
};
use healthpass::trust::{kid_of, CscaList};
use healthpass::{Error, ErrorKind, PassKind, TrustList, Verifier};

const VALID: &str = include_str!("../demo/valid.txt");
const AT: &str = "2030-01-01T00:00:00Z";

fn list_signer() -> Credential {
    let key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2040-01-01T00:00:00Z")).unwrap();
    let der = self_signed_certificate(
        &key,
        &CertificateParams::new("XX", "trust list signer", validity),
    )
    .unwrap();
    Credential::new(key, &der).unwrap()
}

fn der_of(pem: &[u8]) -> Vec<u8> {
    use base64ct::{Base64, Encoding as _};
    let text = std::str::from_utf8(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body).unwrap()
}

fn chain_cert(name: &str) -> Vec<u8> {
    der_of(
        &std::fs::read(format!(
            "{}/tests/data/chains/{name}.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
}

fn demo_entry() -> TrustListEntry {
    TrustListEntry::new(&der_of(DEMO_CERT_PEM)).unwrap()
}

fn full(seq: u64, entries: Vec<TrustListEntry>, from: &str, to: &str) -> TrustListDocument {
    TrustListDocument::builder("xx-signers")
        .sequence(seq)
        .adds(entries)
        .build(Validity::new(t(from), t(to)).unwrap())
        .unwrap()
}

#[test]
fn a_signed_list_gives_the_verifier_its_signers_and_expires_closed() {
    let signer = list_signer();
    let doc = full(
        7,
        vec![
            demo_entry(),
            TrustListEntry::new(&chain_cert("dsc-p256")).unwrap(),
        ],
        "2029-12-01T00:00:00Z",
        "2030-01-08T00:00:00Z",
    );
    let bytes = doc.sign(&signer).unwrap();
    // The document reads back as written.
    let loader = TrustListLoader::new(signer.trust_list().unwrap());
    assert_eq!(loader.read(&bytes, t(AT)).unwrap(), doc);
    let trust = loader.load(&bytes, t(AT)).unwrap();
    assert_eq!(trust.len(), 2);
    assert_eq!(trust.published(), Some(("xx-signers", 7)));
    assert_eq!(trust.expires(), Some(t("2030-01-08T00:00:00Z")));
    // Each signer records the list and sequence that added it.
    let demo = trust.signers(&kid_of(&der_of(DEMO_CERT_PEM)));
    assert_eq!(demo[0].source(), Some("xx-signers #7"));

    let verifier = Verifier::builder().trust_list(trust).build().unwrap();
    assert!(verifier.verify_hcert(VALID, t(AT)).is_ok());
    // After the list's expiry every pass is untrusted, however valid.
    let e = verifier
        .verify_hcert(VALID, t("2030-01-09T00:00:00Z"))
        .unwrap_err();
    assert!(matches!(e, Error::TrustListExpired { .. }), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::Untrusted);
}

#[test]
fn only_the_list_anchors_sign_lists_and_every_byte_counts() {
    let signer = list_signer();
    let bytes = full(
        1,
        vec![demo_entry()],
        "2029-12-01T00:00:00Z",
        "2030-02-01T00:00:00Z",
    )
    .sign(&signer)
    .unwrap();
    // The pass signers are not list anchors.
    let mut pass_signers = TrustList::new();
    pass_signers.add_any(DEMO_CERT_PEM).unwrap();
    let wrong = TrustListLoader::new(pass_signers);
    assert_eq!(wrong.load(&bytes, t(AT)).unwrap_err(), Error::UnknownKid);
    // A flipped bit anywhere is refused.
    let loader = TrustListLoader::new(signer.trust_list().unwrap());
    for i in (0..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[i] ^= 0x10;
        assert!(loader.load(&bad, t(AT)).is_err(), "byte {i}");
    }
    // A revocation list signed by the same anchor is not a trust list.
    let revocation = RevocationListDocument::builder(HashType::Uci, "r")
        .build(Validity::new(t("2029-12-01T00:00:00Z"), t("2030-02-01T00:00:00Z")).unwrap())
        .unwrap()
        .sign(&signer)
        .unwrap();
    assert_eq!(
        loader.load(&revocation, t(AT)).unwrap_err(),
        Error::SignedDocument("another kind of document (content type)")
    );
    assert!(TRUST_LIST_CONTENT_TYPE.contains("trust-list"));
}

#[test]
fn replays_future_lists_and_misfit_deltas_are_refused_and_change_nothing() {
    let signer = list_signer();
    let anchors = signer.trust_list().unwrap();
    let sign = |d: &TrustListDocument| d.sign(&signer).unwrap();
    let v5 = sign(&full(
        5,
        vec![demo_entry()],
        "2029-12-01T00:00:00Z",
        "2030-02-01T00:00:00Z",
    ));
    // Older than the last sequence the caller accepted.
    let loader = TrustListLoader::new(anchors.clone()).min_sequence(6);
    assert_eq!(
        loader.load(&v5, t(AT)).unwrap_err(),
        Error::SignedDocument("the list is older than the last one accepted (sequence)")
    );
    // Issued after the time of loading.
    let loader = TrustListLoader::new(anchors);
    assert_eq!(
        loader.load(&v5, t("2029-11-30T00:00:00Z")).unwrap_err(),
        Error::SignedDocument("the list is issued in the future")
    );
    let mut trust = loader.load(&v5, t(AT)).unwrap();

    // A delta: remove the demo signer, add the chain DSC.
    let p256 = TrustListEntry::new(&chain_cert("dsc-p256")).unwrap();
    let delta = |seq: u64, base: u64| {
        sign(
            &TrustListDocument::builder("xx-signers")
                .sequence(seq)
                .delta_on(base)
                .removes(vec![kid_of(&der_of(DEMO_CERT_PEM))])
                .adds(vec![p256.clone()])
                .build(Validity::new(t("2029-12-15T00:00:00Z"), t("2030-02-01T00:00:00Z")).unwrap())
                .unwrap(),
        )
    };
    for (bytes, why) in [
        (delta(7, 4), "the delta's base is not the current sequence"),
        (delta(5, 4), "the sequence number does not move forward"),
    ] {
        assert_eq!(
            loader.apply(&mut trust, &bytes, t(AT)).unwrap_err(),
            Error::SignedDocument(why)
        );
        assert_eq!(trust.published(), Some(("xx-signers", 5)));
        assert!(!trust.signers(&kid_of(&der_of(DEMO_CERT_PEM))).is_empty());
    }
    // Another list id.
    let other = sign(
        &TrustListDocument::builder("yy")
            .sequence(9)
            .adds(vec![demo_entry()])
            .build(Validity::new(t("2029-12-01T00:00:00Z"), t("2030-02-01T00:00:00Z")).unwrap())
            .unwrap(),
    );
    assert!(loader.apply(&mut trust, &other, t(AT)).is_err());
    // A fitting delta applies.
    loader.apply(&mut trust, &delta(6, 5), t(AT)).unwrap();
    assert_eq!(trust.published(), Some(("xx-signers", 6)));
    assert!(trust.signers(&kid_of(&der_of(DEMO_CERT_PEM))).is_empty());
    assert_eq!(trust.len(), 1);
    let verifier = Verifier::builder()
        .trust_list(trust.clone())
        .build()
        .unwrap();
    assert_eq!(
        verifier.verify_hcert(VALID, t(AT)).unwrap_err(),
        Error::UnknownKid
    );
    // A list that did not come from a document takes no delta.
    let mut plain = TrustList::new();
    plain.add_any(DEMO_CERT_PEM).unwrap();
    assert!(loader.apply(&mut plain, &delta(6, 5), t(AT)).is_err());
}

/// A document with one entry written by hand: (kid, country, certificate).
fn hand_made(kid: &[u8], country: &str, der: &[u8], kinds: Option<&[&str]>) -> Vec<u8> {
    let mut e = Encoder::new();
    e.map(7);
    e.int(1).uint(1);
    e.int(2).text("xx-signers");
    e.int(3).uint(1);
    e.int(5).int(t("2029-12-01T00:00:00Z").as_secs());
    e.int(6).int(t("2030-02-01T00:00:00Z").as_secs());
    e.int(7).array(1);
    e.map(3 + usize::from(kinds.is_some()));
    e.int(1).bytes(kid);
    e.int(2).text(country);
    e.int(3).bytes(der);
    if let Some(kinds) = kinds {
        e.int(4).array(kinds.len());
        for k in kinds {
            e.text(k);
        }
    }
    e.int(8).array(0);
    e.into_bytes()
}

#[test]
fn entries_must_be_what_their_certificates_say() {
    let demo = der_of(DEMO_CERT_PEM);
    let kid = kid_of(&demo);
    assert!(TrustListDocument::from_cbor(&hand_made(&kid, "XX", &demo, None)).is_ok());
    for (doc, why) in [
        (
            hand_made(&[0; 8], "XX", &demo, None),
            "an entry's kid is not its certificate's",
        ),
        (
            hand_made(&kid, "AT", &demo, None),
            "an entry's country is not its certificate's",
        ),
        (
            hand_made(&kid, "XX", &demo, Some(&["v", "x"])),
            "an entry's kinds are some of \"v\", \"t\", \"r\"",
        ),
        (
            hand_made(&kid[..4], "XX", &demo, None),
            "an entry's kid is not its certificate's",
        ),
    ] {
        assert_eq!(
            TrustListDocument::from_cbor(&doc).unwrap_err(),
            Error::SignedDocument(why)
        );
    }
    // An unknown field, at the top and in an entry.
    let good = hand_made(&kid, "XX", &demo, None);
    let mut top = good.clone();
    top[0] = 0xA8; // eight pairs …
    top.extend([0x09, 0x00]); // … the last is 9: 0
    assert!(TrustListDocument::from_cbor(&top).is_err());
    assert!(matches!(
        healthpass::cbor::decode_exact(&good, "x").unwrap(),
        Value::Map(_)
    ));
}

#[test]
fn entry_kinds_narrow_a_signer() {
    let signer = list_signer();
    let loader = TrustListLoader::new(signer.trust_list().unwrap());
    let tests_only = demo_entry().kinds(&[PassKind::Test]).unwrap();
    let bytes = full(
        1,
        vec![tests_only],
        "2029-12-01T00:00:00Z",
        "2030-02-01T00:00:00Z",
    )
    .sign(&signer)
    .unwrap();
    let verifier = Verifier::builder()
        .trust_list(loader.load(&bytes, t(AT)).unwrap())
        .build()
        .unwrap();
    // The demo pass is a vaccination: its signer may now sign tests only.
    let e = verifier.verify_hcert(VALID, t(AT)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted, "{e:?}");
    let test = verifier.verify_hcert(
        include_str!("../demo/valid-test.txt"),
        t("2026-12-01T12:00:00Z"),
    );
    assert!(test.is_ok(), "{test:?}");
    assert!(demo_entry().kinds(&[PassKind::Light]).is_err());
    assert!(demo_entry().kinds(&[]).is_err());
}

#[test]
fn a_signed_list_can_also_require_chains() {
    let signer = list_signer();
    let loader = TrustListLoader::new(signer.trust_list().unwrap());
    let mut cscas = CscaList::new();
    cscas
        .add_any(
            &std::fs::read(format!(
                "{}/tests/data/chains/csca-xa.pem",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
    let sign = |entries| {
        full(1, entries, "2029-12-01T00:00:00Z", "2030-02-01T00:00:00Z")
            .sign(&signer)
            .unwrap()
    };
    let chained = TrustList::chained_to(cscas);
    let ok = sign(vec![TrustListEntry::new(&chain_cert("dsc-rsa")).unwrap()]);
    assert_eq!(
        loader.load_into(chained.clone(), &ok, t(AT)).unwrap().len(),
        1
    );
    // One entry that does not chain refuses the whole list.
    let mixed = sign(vec![
        TrustListEntry::new(&chain_cert("dsc-rsa")).unwrap(),
        demo_entry(),
    ]);
    assert_eq!(
        loader.load_into(chained, &mixed, t(AT)).unwrap_err(),
        Error::Certificate("no configured csca issued this certificate")
    );
}
