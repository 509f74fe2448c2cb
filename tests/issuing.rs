//! Issuing: what an `Issuer` emits verifies, is refused when it must be, and
//! is encoded as the hcert spec says; exemption and light passes end to end.

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::t;
use healthpass::cbor::{self, Value};
use healthpass::cose::CoseSign1;
use healthpass::crypto::Algorithm;
use healthpass::cwt::{self, Claims};
use healthpass::issue::Credential;
use healthpass::issue::SigningKey;
use healthpass::issue::{self_signed_certificate, CertificateParams, Issuer, PayloadBuilder};
use healthpass::payload::{Dose, Exemption, HolderName, Payload, Recovery, Test, Vaccination};
use healthpass::signed::Validity;
use healthpass::transport;
use healthpass::{uvci, Error, ErrorKind, PassForm, PassKind, UnixTime, Verifier};
use proptest::prelude::*;

fn params(kinds: Vec<PassKind>) -> CertificateParams {
    CertificateParams::new(
        "XX",
        "healthpass test signer",
        valid(t("2026-01-01T00:00:00Z"), t("2030-01-01T00:00:00Z")),
    )
    .kinds(kinds)
}

fn issuer(key: SigningKey, kinds: Vec<PassKind>) -> Issuer {
    let der = self_signed_certificate(&key, &params(kinds)).unwrap();
    Issuer::new(Credential::new(key, &der).unwrap())
}

/// From `iat` to `exp`.
fn valid(iat: UnixTime, exp: UnixTime) -> Validity {
    Validity::new(iat, exp).unwrap()
}

/// The validity most tests issue with.
fn year() -> Validity {
    valid(t(IAT), t(EXP))
}

/// One ES256 and one PS256 (RSA 2048) issuer, unrestricted, made once.
fn issuers() -> &'static [Issuer; 2] {
    static ISSUERS: OnceLock<[Issuer; 2]> = OnceLock::new();
    ISSUERS.get_or_init(|| {
        [
            issuer(SigningKey::generate(Algorithm::Es256).unwrap(), vec![]),
            issuer(SigningKey::generate_rsa(2048).unwrap(), vec![]),
        ]
    })
}

fn verifier(issuer: &Issuer) -> Verifier {
    Verifier::builder()
        .trust_list(issuer.trust_list().unwrap())
        .build()
        .unwrap()
}

fn name() -> HolderName {
    HolderName {
        family_name: Some("Muster".into()),
        family_name_std: Some("MUSTER".into()),
        given_name: Some("Erika".into()),
        given_name_std: Some("ERIKA".into()),
    }
}

fn vaccination() -> Payload {
    PayloadBuilder::new(name(), "1964-08-12")
        .vaccination(Vaccination {
            tg: Some("840539006".into()),
            vp: Some("1119349007".into()),
            mp: Some("EU/1/20/1528".into()),
            ma: Some("ORG-100030215".into()),
            dn: Some(Dose::Int(2)),
            sd: Some(Dose::Int(2)),
            dt: Some("2026-10-01".into()),
            co: Some("AT".into()),
            issuer: Some("Test issuer".into()),
            ci: Some(uvci::build("AT", "TEST/0001").unwrap()),
        })
        .build()
        .unwrap()
}

fn exemption(df: &str, du: &str) -> Payload {
    PayloadBuilder::new(name(), "1964-08-12")
        .exemption(Exemption {
            tg: Some("840539006".into()),
            co: Some("IT".into()),
            issuer: Some("Ministero della Salute".into()),
            ci: Some(uvci::build("IT", "EXEMPT/0001").unwrap()),
            df: Some(df.into()),
            du: Some(du.into()),
        })
        .build()
        .unwrap()
}

const IAT: &str = "2026-11-01T00:00:00Z";
const EXP: &str = "2027-11-01T00:00:00Z";

#[test]
fn issued_passes_verify_with_both_algorithms() {
    for issuer in issuers() {
        let payload = vaccination();
        let text = issuer.issue(&payload, year()).unwrap();
        let pass = verifier(issuer)
            .verify_hcert(&text, t("2027-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(pass.payload().unwrap(), &payload);
        assert_eq!(pass.algorithm(), issuer.algorithm());
        assert_eq!(pass.signer_kid(), issuer.kid());
        assert_eq!(pass.issuer_country(), Some("XX"));
        assert_eq!(pass.form(), PassForm::Full);
        assert_eq!(pass.expires(), Some(t(EXP)));
    }
}

/// Tag 18, alg and kid protected, an empty unprotected map, and CBOR the
/// same bytes as a fresh canonical encoding (definite lengths, shortest
/// integers); the same input gives the same bytes but for the signature.
#[test]
fn encoding_is_as_the_spec_says_and_deterministic() {
    for issuer in issuers() {
        let a = issuer.sign_payload(&vaccination(), year()).unwrap();
        let b = issuer.sign_payload(&vaccination(), year()).unwrap();
        assert_eq!(a[0], 0xD2, "tag 18");
        let (sa, sb) = (CoseSign1::parse(&a).unwrap(), CoseSign1::parse(&b).unwrap());
        assert_eq!(sa.protected_bytes(), sb.protected_bytes());
        let sig_len = sa.signature().len();
        assert_eq!(a[..a.len() - sig_len], b[..b.len() - sig_len]);
        let protected = cbor::decode_exact(sa.protected_bytes(), "protected").unwrap();
        assert_eq!(
            protected.map_get_int(1).and_then(Value::as_i64),
            Some(issuer.algorithm().cose_id())
        );
        assert!(
            matches!(protected.map_get_int(4), Some(Value::Bytes(k)) if k.as_ref() == issuer.kid())
        );
        // The unprotected header is the empty map 0xA0, right after the
        // protected bstr: tag(1) + array(1) + bstr header(1) + protected.
        assert_eq!(a[3 + sa.protected_bytes().len()], 0xA0);
        // Canonical: decoding the CWT and encoding it again gives the same bytes.
        let cwt_bytes = cwt_of(&a);
        let d = cwt::decode(&cwt_bytes).unwrap();
        assert_eq!(cwt::encode(&d.claims, &d.payload), cwt_bytes);
        // ES256 nonces are deterministic (RFC 6979): identical passes.
        if issuer.algorithm() == Algorithm::Es256 {
            assert_eq!(a, b);
        }
    }
}

fn cwt_of(cose: &[u8]) -> Vec<u8> {
    let v = cbor::decode_exact(cose, "cose").unwrap();
    let Value::Tag(18, inner) = v else {
        panic!("not tag 18")
    };
    let Value::Array(items) = *inner else {
        panic!("not an array")
    };
    match &items[2] {
        Value::Bytes(b) => b.to_vec(),
        _ => panic!("payload is not a bstr"),
    }
}

#[test]
fn the_issuer_refuses_what_a_verifier_would_reject() {
    let issuer = &issuers()[0];
    // Schema: a vaccination without a dose number, and an unknown vaccine.
    let mut json = vaccination().to_json();
    json["v"][0].as_object_mut().unwrap().remove("dn");
    json["v"][0]["mp"] = "Sputnik".into();
    let bad = Payload::from_json(json).unwrap();
    let Err(Error::Schema(v)) = issuer.issue(&bad, year()) else {
        panic!("schema violations not reported")
    };
    let paths: Vec<_> = v.0.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["/v/0/mp", "/v/0/dn"]);
    // The builder refuses it too, and a payload without an entry.
    assert!(matches!(
        PayloadBuilder::new(name(), "1964").build(),
        Err(Error::Schema(_))
    ));
    assert!(matches!(
        PayloadBuilder::new(HolderName::default(), "1964-13-01")
            .test(Test::default())
            .build(),
        Err(Error::Schema(_))
    ));
    // Times.
    assert_eq!(
        Validity::new(t(EXP), t(IAT)),
        Err(Error::Issuing("exp must be after iat"))
    );
    assert!(matches!(
        issuer.issue(
            &vaccination(),
            valid(t("2031-01-01T00:00:00Z"), t("2032-01-01T00:00:00Z"))
        ),
        Err(Error::SignerNotValid { .. })
    ));
    // Kinds: a test-only signer may not sign a vaccination.
    let (test_only, _) = issuer_with_kinds(vec![PassKind::Test]);
    assert_eq!(
        test_only.issue(&vaccination(), year()),
        Err(Error::KindNotAllowed)
    );
}

/// An ES256 issuer restricted to `kinds`, and a copy of its key.
fn issuer_with_kinds(kinds: Vec<PassKind>) -> (Issuer, SigningKey) {
    let key = SigningKey::generate(Algorithm::Es256).unwrap();
    let copy = SigningKey::from_pkcs8_pem(&key.to_pkcs8_pem().unwrap()).unwrap();
    (issuer(key, kinds), copy)
}

#[test]
fn exemption_passes_are_valid_only_between_df_and_du() {
    let issuer = &issuers()[0];
    let text = issuer
        .issue(&exemption("2026-12-01", "2027-02-28"), year())
        .unwrap();
    let v = verifier(issuer);
    let pass = v.verify_hcert(&text, t("2026-12-01T00:00:00Z")).unwrap();
    assert_eq!(pass.form(), PassForm::Exemption);
    assert_eq!(pass.kind(), PassKind::Exemption);
    // Valid until the end of du, which comes before exp.
    assert_eq!(pass.valid_until(), Some(t("2027-02-28T23:59:59Z")));
    assert_eq!(
        pass.verdict().valid_until(),
        Some(t("2027-02-28T23:59:59Z"))
    );
    assert!(v.verify_hcert(&text, t("2027-02-28T23:59:59Z")).is_ok());
    let early = v
        .verify_hcert(&text, t("2026-11-30T23:59:59Z"))
        .unwrap_err();
    assert_eq!(early.kind(), ErrorKind::NotYetValid);
    let late = v
        .verify_hcert(&text, t("2027-03-01T00:00:00Z"))
        .unwrap_err();
    assert_eq!(late.kind(), ErrorKind::Expired);
    assert!(
        matches!(pass.entry().unwrap(), Some(healthpass::payload::Entry::Exemption(e)) if e.du.as_deref() == Some("2027-02-28"))
    );
}

#[test]
fn exemptions_need_an_unrestricted_signer() {
    let (all_three, key) = issuer_with_kinds(vec![
        PassKind::Vaccination,
        PassKind::Test,
        PassKind::Recovery,
    ]);
    let payload = exemption("2026-12-01", "2027-02-28");
    assert_eq!(
        all_three.issue(&payload, year()),
        Err(Error::KindNotAllowed)
    );
    // Signed anyway (around the issuer's check): the verifier refuses it.
    let cose = sign_unchecked(&key, &all_three, &payload);
    let err = verifier(&all_three)
        .verify_hcert(
            &transport::encode_text(&cose).unwrap(),
            t("2027-01-01T00:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(err, Error::KindNotAllowed);
}

/// Signs a payload with an issuer's key without any of the issuer's checks.
fn sign_unchecked(key: &SigningKey, issuer: &Issuer, payload: &Payload) -> Vec<u8> {
    let claims = Claims {
        issuer: Some("XX".into()),
        issued_at: t(IAT),
        expires: Some(t(EXP)),
    };
    let body = cwt::encode(&claims, payload);
    let protected = healthpass::cose::protected_header(issuer.algorithm(), &issuer.kid());
    let sig = key
        .sign(&healthpass::cose::sig_structure(&protected, &body))
        .unwrap();
    healthpass::cose::build(&protected, &body, &sig)
}

#[test]
fn light_passes_carry_no_health_data_and_expire_early() {
    for issuer in issuers() {
        let full = issuer.issue(&vaccination(), year()).unwrap();
        let v = verifier(issuer);
        let now = t("2027-10-31T12:00:00Z");
        let pass = v.verify_hcert(&full, now).unwrap();

        let light = issuer
            .issue_light(&pass, now, healthpass::issue::DEFAULT_LIGHT_VALIDITY)
            .unwrap();
        assert!(light.starts_with("LT1:"));
        let lp = v.verify_hcert(&light, now).unwrap();
        assert_eq!(lp.form(), PassForm::Light);
        assert_eq!(lp.verdict().form(), Some(PassForm::Light));
        let n = name();
        let h = lp.holder();
        assert_eq!(
            (
                &h.family_name,
                &h.family_name_std,
                &h.given_name,
                &h.given_name_std
            ),
            (
                &n.family_name,
                &n.family_name_std,
                &n.given_name,
                &n.given_name_std
            )
        );
        assert_eq!(h.date_of_birth, "1964-08-12");
        assert!(lp.entry().unwrap().is_none());
        let keys: Vec<_> = lp.payload().unwrap().as_json().keys().cloned().collect();
        assert_eq!(keys, ["dob", "nam", "ver"]);
        // 48 h asked for, but the original expires 12 h later: capped.
        assert_eq!(lp.valid_until(), Some(t(EXP)));

        let short = issuer
            .issue_light(&pass, now, Duration::from_secs(1800))
            .unwrap();
        assert_eq!(
            v.verify_hcert(&short, now).unwrap().valid_until(),
            Some(t("2027-10-31T12:30:00Z"))
        );
        assert_eq!(
            v.verify_hcert(&short, t("2027-10-31T12:30:01Z"))
                .unwrap_err()
                .kind(),
            ErrorKind::Expired
        );
        // An original that has expired by then gives no light pass.
        assert!(matches!(
            issuer.issue_light(&pass, t("2027-11-02T00:00:00Z"), Duration::from_secs(60)),
            Err(Error::Expired { .. })
        ));
    }
}

#[test]
fn the_prefix_must_match_the_form() {
    let issuer = &issuers()[0];
    let v = verifier(issuer);
    let now = t("2027-01-01T00:00:00Z");
    let full = issuer.issue(&vaccination(), year()).unwrap();
    let light = issuer
        .issue_light(
            &v.verify_hcert(&full, now).unwrap(),
            now,
            Duration::from_secs(3600),
        )
        .unwrap();
    let swapped_full = full.replacen("HC1:", "LT1:", 1);
    let swapped_light = light.replacen("LT1:", "HC1:", 1);
    assert_eq!(
        v.verify_hcert(&swapped_full, now).unwrap_err(),
        Error::PrefixMismatch
    );
    assert_eq!(
        v.verify_hcert(&swapped_light, now).unwrap_err(),
        Error::PrefixMismatch
    );
    assert_eq!(
        v.verify_hcert(&full.replacen("HC1:", "HC2:", 1), now)
            .unwrap_err(),
        Error::UnknownPrefix
    );
}

#[test]
fn restricted_signers_issue_no_light_passes() {
    let (restricted, _) = issuer_with_kinds(vec![PassKind::Vaccination]);
    let v = verifier(&restricted);
    let full = restricted.issue(&vaccination(), year()).unwrap();
    let pass = v.verify_hcert(&full, t("2027-01-01T00:00:00Z")).unwrap();
    assert_eq!(
        restricted.issue_light(&pass, t("2027-01-01T00:00:00Z"), Duration::from_secs(60)),
        Err(Error::KindNotAllowed)
    );
}

#[test]
fn every_single_bit_flip_of_an_issued_pass_is_rejected() {
    for issuer in issuers() {
        let cose = issuer.sign_payload(&vaccination(), year()).unwrap();
        let v = verifier(issuer);
        let now = t("2027-01-01T00:00:00Z");
        assert!(v.verify_hcert_cose(&cose, now).is_ok());
        for i in 0..cose.len() * 8 {
            let mut flipped = cose.clone();
            flipped[i / 8] ^= 1 << (i % 8);
            assert!(
                v.verify_hcert_cose(&flipped, now).is_err(),
                "{:?}: flip of bit {i} accepted",
                issuer.algorithm()
            );
        }
    }
}

#[test]
fn pkcs8_keys_from_files_and_the_demo_signer() {
    let issuer = Issuer::from_pem(
        include_str!("../demo/TEST-ONLY-key.pem"),
        include_str!("../demo/trust.pem"),
    )
    .unwrap();
    assert_eq!(issuer.kid(), common::demo_kid());
    // The demo certificate is valid from 2026-11-25T09:51:53Z.
    let text = issuer
        .issue(&vaccination(), valid(t("2026-11-25T12:00:00Z"), t(EXP)))
        .unwrap();
    assert!(common::demo_verifier()
        .verify_hcert(&text, t("2027-01-01T00:00:00Z"))
        .is_ok());
    // The demo key with another certificate is refused.
    let other = issuers()[0].credential().certificate_der().to_vec();
    let key = SigningKey::from_pkcs8_pem(include_str!("../demo/TEST-ONLY-key.pem")).unwrap();
    assert_eq!(
        Credential::new(key, &other).unwrap_err(),
        Error::Key("the certificate is not for this key")
    );
    // PS256 keys survive a PKCS#8 round trip.
    let rsa = SigningKey::generate_rsa(2048).unwrap();
    let again = SigningKey::from_pkcs8_pem(&rsa.to_pkcs8_pem().unwrap()).unwrap();
    assert_eq!(again.algorithm(), Algorithm::Ps256);
    assert_eq!(
        again.public_key_der().unwrap(),
        rsa.public_key_der().unwrap()
    );
}

// ---------------------------------------------------------------------
// Property: arbitrary valid payloads survive issue → verify unchanged.

fn std_name() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[A-Z]{1,12}(<[A-Z]{1,10})?")
}

fn holder() -> impl Strategy<Value = HolderName> {
    (
        proptest::option::of("[A-Za-zÀ-ÿ' -]{1,20}"),
        std_name(),
        proptest::option::of("[A-Za-zÀ-ÿ' -]{1,20}"),
        std_name(),
    )
        .prop_filter("fnt or gnt", |(_, fnt, _, gnt)| {
            fnt.is_some() || gnt.is_some()
        })
        .prop_map(|(f, fnt, g, gnt)| HolderName {
            family_name: f,
            family_name_std: fnt,
            given_name: g,
            given_name_std: gnt,
        })
}

fn dob() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        (1900u32..2100).prop_map(|y| format!("{y}")),
        (1900u32..2100, 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1900u32..2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
}

fn date() -> impl Strategy<Value = String> {
    (2026u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

/// The date of an event a pass records (vaccination, sample, first
/// positive test): before the passes' issue time (2026-01-01).
fn event_date() -> impl Strategy<Value = String> {
    (2020u32..2026, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

fn text80() -> impl Strategy<Value = String> {
    "[ -~]{1,40}"
}

fn country() -> impl Strategy<Value = String> {
    proptest::sample::select(&["AT", "DE", "FR", "IT", "NL", "SE", "PL", "ES"][..])
        .prop_map(String::from)
}

fn ci() -> impl Strategy<Value = String> {
    (country(), "[A-Z0-9]{1,20}(/[A-Z0-9]{1,10})?")
        .prop_map(|(cc, opaque)| uvci::build(&cc, &opaque).unwrap())
}

fn entry() -> impl Strategy<Value = PayloadBuilderEntry> {
    prop_oneof![
        (
            proptest::sample::select(&["1119349007", "1119305005", "J07BX03"][..]),
            proptest::sample::select(&["EU/1/20/1528", "EU/1/20/1507", "EU/1/21/1529"][..]),
            proptest::sample::select(&["ORG-100030215", "ORG-100031184", "ORG-100001699"][..]),
            1i64..10,
            1i64..10,
            event_date(),
            country(),
            text80(),
            ci(),
        )
            .prop_map(|(vp, mp, ma, dn, sd, dt, co, is, ci)| {
                PayloadBuilderEntry::V(Vaccination {
                    tg: Some("840539006".into()),
                    vp: Some(vp.into()),
                    mp: Some(mp.into()),
                    ma: Some(ma.into()),
                    dn: Some(Dose::Int(dn)),
                    sd: Some(Dose::Int(sd)),
                    dt: Some(dt),
                    co: Some(co),
                    issuer: Some(is),
                    ci: Some(ci),
                })
            }),
        (
            proptest::sample::select(&["LP6464-4", "LP217198-3"][..]),
            proptest::option::of(text80()),
            proptest::option::of("[0-9]{4}"),
            (event_date(), 0u32..24, 0u32..60),
            proptest::sample::select(&["260415000", "260373001"][..]),
            proptest::option::of(text80()),
            country(),
            text80(),
            ci(),
        )
            .prop_map(|(tt, nm, ma, (d, h, m), tr, tc, co, is, ci)| {
                PayloadBuilderEntry::T(Test {
                    tg: Some("840539006".into()),
                    tt: Some(tt.into()),
                    nm,
                    ma,
                    sc: Some(format!("{d}T{h:02}:{m:02}:00Z")),
                    tr: Some(tr.into()),
                    tc,
                    co: Some(co),
                    issuer: Some(is),
                    ci: Some(ci),
                })
            }),
        (event_date(), date(), country(), text80(), ci()).prop_map(|(fr, df, co, is, ci)| {
            PayloadBuilderEntry::R(Recovery {
                tg: Some("840539006".into()),
                fr: Some(fr),
                co: Some(co),
                issuer: Some(is),
                df: Some(df.clone()),
                du: Some(df),
                ci: Some(ci),
            })
        }),
        (date(), country(), text80(), ci()).prop_map(|(df, co, is, ci)| {
            PayloadBuilderEntry::E(Exemption {
                tg: Some("840539006".into()),
                co: Some(co),
                issuer: Some(is),
                ci: Some(ci),
                df: Some(df.clone()),
                du: Some(df),
            })
        }),
    ]
}

#[derive(Debug, Clone)]
enum PayloadBuilderEntry {
    V(Vaccination),
    T(Test),
    R(Recovery),
    E(Exemption),
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn issue_then_verify_gives_back_the_payload(
        name in holder(),
        dob in dob(),
        entry in entry(),
        which in 0usize..2,
        bit in any::<prop::sample::Index>(),
    ) {
        let builder = PayloadBuilder::new(name, dob);
        let builder = match entry {
            PayloadBuilderEntry::V(v) => builder.vaccination(v),
            PayloadBuilderEntry::T(t) => builder.test(t),
            PayloadBuilderEntry::R(r) => builder.recovery(r),
            PayloadBuilderEntry::E(e) => builder.exemption(e),
        };
        let payload = builder.build().unwrap();
        let issuer = &issuers()[which];
        let iat = UnixTime::from_secs(1_767_225_600); // 2026-01-01
        let exp = t("2029-12-31T00:00:00Z");
        let cose = issuer.sign_payload(&payload, valid(iat, exp)).unwrap();
        let v = verifier(issuer);
        // An exemption is valid only on its day (df = du).
        let now = match payload.as_json().get("e") {
            Some(e) => UnixTime::parse_rfc3339(&format!("{}T12:00:00Z", e[0]["df"].as_str().unwrap())).unwrap(),
            None => t("2027-06-01T00:00:00Z"),
        };
        let pass = v.verify_hcert(&transport::encode_text(&cose).unwrap(), now).unwrap();
        prop_assert_eq!(pass.payload().unwrap(), &payload);
        prop_assert_eq!(pass.entry().unwrap().unwrap(), &payload.entry().unwrap());
        // And one flipped bit anywhere breaks it.
        let i = bit.index(cose.len() * 8);
        let mut flipped = cose.clone();
        flipped[i / 8] ^= 1 << (i % 8);
        prop_assert!(v.verify_hcert_cose(&flipped, now).is_err(), "bit {} flipped and accepted", i);
    }
}
