//! The HCERT family beyond the EU DCC (issue 13): WHO DDCC (vaccination
//! status, test result) and the Digital Vaccination Certificate of the
//! ICVP, read, verified and issued in the same pipeline; the real GDHCN
//! samples; the time policy for passes without `exp`; unknown members and
//! the legacy DDCC QR refused with their reasons.

#![cfg(feature = "rustcrypto")]

mod common;

use std::sync::OnceLock;

use common::{t, DEMO_CERT_PEM};
use healthpass::cbor::Encoder;
use healthpass::cose;
use healthpass::crypto::Algorithm;
use healthpass::inspect::inspect_unverified;
use healthpass::issue::Credential;
use healthpass::issue::SigningKey;
use healthpass::issue::{self_signed_certificate, CertificateParams, Issuer};
use healthpass::payload::{
    Coding, Ddcc, DdccCertificate, DdccTestEvent, DdccVaccinationEvent, Dvc, DvcVaccination,
    Member, Payload, Period,
};
use healthpass::revocation::{CountrySource, HashType};
use healthpass::signed::Validity;
use healthpass::{transport, Error, ErrorKind, PassForm, PassKind, Verifier};
use proptest::prelude::*;
use serde_json::json;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gdhcn/samples");

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!("{SAMPLES}/{name}"))
        .unwrap()
        .trim()
        .to_string()
}

/// ES256 and PS256 issuers, unrestricted, and one restricted to tests.
fn issuers() -> &'static [Issuer; 3] {
    static ISSUERS: OnceLock<[Issuer; 3]> = OnceLock::new();
    ISSUERS.get_or_init(|| {
        let make = |key: SigningKey, kinds: Vec<PassKind>| {
            let params = CertificateParams::new(
                "XX",
                "healthpass family test signer",
                Validity::new(t("2020-01-01T00:00:00Z"), t("2040-01-01T00:00:00Z")).unwrap(),
            )
            .kinds(kinds);
            let der = self_signed_certificate(&key, &params).unwrap();
            Issuer::new(Credential::new(key, &der).unwrap())
        };
        [
            make(SigningKey::generate(Algorithm::Es256).unwrap(), vec![]),
            make(SigningKey::generate_rsa(2048).unwrap(), vec![]),
            make(
                SigningKey::generate(Algorithm::Es256).unwrap(),
                vec![PassKind::Test],
            ),
        ]
    })
}

fn verifier(issuer: &Issuer) -> Verifier {
    Verifier::builder()
        .trust_list(issuer.trust_list().unwrap())
        .build()
        .unwrap()
}

const IAT: &str = "2026-01-01T00:00:00Z";
const NOW: &str = "2026-12-01T12:00:00Z";

fn year() -> Validity {
    Validity::new(t(IAT), t("2027-01-01T00:00:00Z")).unwrap()
}

fn dvc() -> Dvc {
    Dvc {
        n: "Aulo Agerio".into(),
        dob: "1990-08-23".into(),
        s: Some("M".into()),
        ntl: Some("CL".into()),
        nid: None,
        gn: None,
        v: DvcVaccination {
            dn: Some(json!("Primary")),
            tg: Some("1D47".into()),
            vp: Some("XM0N24".into()),
            ma: Some("HIPRA".into()),
            dt: "2025-08-23".into(),
            bo: Some("123123123".into()),
            vls: Some("2025-09-02".into()),
            vle: Some("2035-09-01".into()),
            ..Default::default()
        },
    }
}

fn ddcc() -> Ddcc {
    Ddcc {
        name: "Jane Doe".into(),
        birth_date: "1990-04-01".into(),
        sex: Some(Coding {
            code: "female".into(),
            system: Some("http://hl7.org/fhir/administrative-gender".into()),
            display: None,
        }),
        identifier: Some("P-1234".into()),
        certificate: DdccCertificate {
            hcid: "HCID-0001".into(),
            issuer: "XX-MOH".into(),
            version: "RC-2.0.0".into(),
            period: Some(Period {
                start: Some("2026-01-01".into()),
                end: Some("2026-12-31".into()),
            }),
        },
    }
}

fn coding(code: &str) -> Coding {
    Coding {
        code: code.into(),
        system: Some("http://id.who.int/icd11/mms".into()),
        display: None,
    }
}

fn ddcc_vaccination() -> Payload {
    ddcc()
        .vaccination(&DdccVaccinationEvent {
            vaccine: coding("XM68M6"),
            date: "2026-01-10".into(),
            dose: 1,
            total_doses: Some(2),
            country: Some(coding("XX")),
            lot: Some("LOT-1".into()),
            ..Default::default()
        })
        .unwrap()
}

fn ddcc_test() -> Payload {
    ddcc()
        .test(&DdccTestEvent {
            pathogen: Some(coding("840539006")),
            date: "2026-11-30T08:00:00Z".into(),
            result: coding("260415000"),
            ..Default::default()
        })
        .unwrap()
}

/// The payloads of the three new members.
fn members() -> Vec<(Payload, PassForm)> {
    vec![
        (dvc().to_payload().unwrap(), PassForm::Dvc),
        (ddcc_vaccination(), PassForm::DdccVaccination),
        (ddcc_test(), PassForm::DdccTest),
    ]
}

#[test]
fn every_member_round_trips_with_both_algorithms() {
    for issuer in &issuers()[..2] {
        let v = verifier(issuer);
        for (payload, form) in members() {
            let text = issuer.issue(&payload, year()).unwrap();
            let pass = v.verify_hcert(&text, t(NOW)).unwrap();
            assert_eq!(pass.form(), form);
            assert_eq!(pass.member(), payload.member());
            assert_eq!(pass.payload().unwrap(), &payload);
            assert!(pass.entry().unwrap().is_none());
            let verdict = pass.verdict();
            let holder = verdict.holder().unwrap();
            let json = serde_json::to_value(&verdict).unwrap();
            assert_eq!(json["form"], form.as_str());
            // The verdict names the holder and nothing medical.
            let shown = json.to_string();
            for medical in ["1D47", "XM68M6", "840539006", "260415000", "HIPRA", "LOT-1"] {
                assert!(!shown.contains(medical), "{medical} in {shown}");
            }
            match form {
                PassForm::Dvc => {
                    assert_eq!(holder.name, "Aulo Agerio");
                    assert_eq!(holder.date_of_birth, "1990-08-23");
                }
                _ => {
                    assert_eq!(holder.name, "Jane Doe");
                    assert_eq!(holder.date_of_birth, "1990-04-01");
                    assert_eq!(holder.family_name, None);
                }
            }
            // The earliest bound that applies: exp, or the certificate's own end.
            let want = match form {
                PassForm::Dvc => t("2027-01-01T00:00:00Z"),
                _ => t("2026-12-31T23:59:59Z"),
            };
            assert_eq!(verdict.valid_until(), Some(want));
            // The CWT carries the member under its own key of -260.
            let unverified = inspect_unverified(&text).unwrap();
            assert_eq!(unverified.payload().member(), payload.member());
        }
    }
}

#[test]
fn the_gdhcn_samples_decode_and_give_their_class() {
    for name in ["DVCTestQR.txt", "DVCTest2QR.txt"] {
        let u = inspect_unverified(&sample(name)).unwrap();
        assert_eq!(u.payload().member(), Member::Dvc, "{name}");
        assert_eq!(u.expires(), None);
        assert!(u.issuer().is_some_and(|i| i.starts_with('X')));
        let p = u.payload().as_json();
        assert_eq!(p["n"], "Aulo Agerio");
        assert_eq!(p["v"]["tg"], "1D47");
        assert_eq!(p["v"]["dn"], "Primary");
        // Its signer is in no list here: untrusted, whatever else it holds.
        let e = common::demo_verifier()
            .verify_hcert(&sample(name), t(NOW))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Untrusted, "{name}: {e}");
    }
    // The EU samples decode as they always did (Uruguay's exp is NaN).
    for name in [
        "EUColombiaContents.txt",
        "EUIndonesiaContents.txt",
        "EUItalyAcceptanceQRContents.txt",
        "EUQR1Contents.txt",
    ] {
        let u = inspect_unverified(&sample(name)).unwrap();
        assert_eq!(u.payload().member(), Member::EuDcc, "{name}");
        assert!(u.payload().entry().is_ok(), "{name}");
        assert!(u.expires().is_some());
    }
    assert_eq!(
        inspect_unverified(&sample("EUUruguayContents.txt"))
            .unwrap_err()
            .kind(),
        ErrorKind::Malformed
    );
}

#[test]
fn passes_without_exp_follow_the_verifier_policy() {
    let issuer = &issuers()[0];
    let dvc = dvc().to_payload().unwrap();
    let text = issuer.issue_without_expiry(&dvc, t(IAT)).unwrap();
    assert_eq!(inspect_unverified(&text).unwrap().expires(), None);
    // Default: a DVC may lack exp; valid until its vle.
    let v = verifier(issuer);
    assert!(v.accepts_missing_exp(Member::Dvc));
    let pass = v.verify_hcert(&text, t(NOW)).unwrap();
    assert_eq!(pass.valid_until(), Some(t("2035-09-01T23:59:59Z")));
    // Its own window: before vls not yet valid, after vle expired.
    assert_eq!(
        v.verify_hcert(&text, t("2025-09-01T12:00:00Z"))
            .unwrap_err()
            .kind(),
        ErrorKind::NotYetValid
    );
    assert_eq!(
        v.verify_hcert(&text, t("2035-09-02T00:00:00Z"))
            .unwrap_err()
            .kind(),
        ErrorKind::Expired
    );
    // Without vle and exp: valid without end.
    let mut open = self::dvc();
    open.v.vle = None;
    let open_text = issuer
        .issue_without_expiry(&open.to_payload().unwrap(), t(IAT))
        .unwrap();
    let pass = v
        .verify_hcert(&open_text, t("2039-06-01T00:00:00Z"))
        .unwrap();
    assert_eq!(pass.valid_until(), None);
    assert_eq!(pass.verdict().valid_until(), None);
    assert_eq!(
        serde_json::to_value(pass.verdict()).unwrap()["valid_until"],
        serde_json::Value::Null
    );
    // A strict verifier refuses it, as malformed, naming the member.
    let strict = v
        .to_builder()
        .accept_missing_exp(Member::Dvc, false)
        .build()
        .unwrap();
    let e = strict.verify_hcert(&text, t(NOW)).unwrap_err();
    assert_eq!(e, Error::MissingExpiry { member: "dvc" });
    assert_eq!(e.kind(), ErrorKind::Malformed);
    // An EU DCC never goes without exp.
    assert!(matches!(
        v.to_builder()
            .accept_missing_exp(Member::EuDcc, true)
            .build(),
        Err(Error::MissingExpiry { member: "eu-dcc" })
    ));
    // Only a DVC is issued without exp.
    assert!(matches!(
        issuer.issue_without_expiry(&ddcc_vaccination(), t(IAT)),
        Err(Error::Issuing(_))
    ));
    // A DDCC without exp (made by hand) is refused by default, accepted
    // when asked for.
    let body = claims_without_exp(Member::DdccVaccination.claim_key(), &ddcc_vaccination());
    let ddcc_text = sign_raw(&body);
    let demo = common::demo_verifier();
    assert_eq!(
        demo.verify_hcert(&ddcc_text, t(NOW)).unwrap_err(),
        Error::MissingExpiry {
            member: "ddcc-vaccination"
        }
    );
    let lenient = demo
        .to_builder()
        .accept_missing_exp(Member::DdccVaccination, true)
        .build()
        .unwrap();
    assert_eq!(
        lenient
            .verify_hcert(&ddcc_text, t(NOW))
            .unwrap()
            .valid_until(),
        Some(t("2026-12-31T23:59:59Z"))
    );
}

/// Passes made by hand are signed by the demo signer, valid from
/// 2026-11-25T09:51:53Z: issued after that.
const RAW_IAT: &str = "2026-11-26T00:00:00Z";

/// A CWT with `iss`, `iat` and the payload under `key` of -260, no `exp`.
fn claims_without_exp(key: i64, payload: &Payload) -> Vec<u8> {
    let mut e = Encoder::new();
    e.map(3).int(1).text("XX").int(6).int(t(RAW_IAT).as_secs());
    e.int(-260).map(1).int(key);
    payload_cbor(&mut e, payload);
    e.into_bytes()
}

/// Appends the payload's CBOR (through the public encoder).
fn payload_cbor(e: &mut Encoder, payload: &Payload) {
    e.raw(&payload.to_cbor());
}

/// A pass of these CWT bytes, signed with the demo TEST key.
fn sign_raw(body: &[u8]) -> String {
    let protected = cose::protected_header(Algorithm::Es256, &common::demo_kid());
    sign_raw_with(&protected, body)
}

/// As `sign_raw`, with this protected header.
fn sign_raw_with(protected: &[u8], body: &[u8]) -> String {
    let key = SigningKey::from_pkcs8_pem(include_str!("../demo/TEST-ONLY-key.pem")).unwrap();
    let sig = key.sign(&cose::sig_structure(protected, body)).unwrap();
    transport::encode_text(&cose::build(protected, body, &sig)).unwrap()
}

/// A CWT's registered claims (iss, exp, iat) and the hcert claim's map
/// header for `members` members, for the caller to fill in.
fn claims_head(members: u64) -> Encoder {
    let mut e = Encoder::new();
    e.map(4).int(1).text("XX");
    e.int(4).int(t("2027-01-01T00:00:00Z").as_secs());
    e.int(6).int(t(RAW_IAT).as_secs());
    e.int(-260).map(members as usize);
    e
}

#[test]
fn unknown_members_and_legacy_ddcc_are_refused_with_their_reason() {
    let v = common::demo_verifier();
    let dvc = dvc().to_payload().unwrap();
    // Keys 2 (an older DDCC draft's VS), 5 (health link) and others:
    // unsupported, the key in the reason.
    for key in [2, 5, 7, -1, 99] {
        let mut e = claims_head(1);
        e.int(key);
        payload_cbor(&mut e, &dvc);
        let err = v
            .verify_hcert(&sign_raw(&e.into_bytes()), t(NOW))
            .unwrap_err();
        assert_eq!(err, Error::UnsupportedMember(key));
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.to_string().contains(&key.to_string()), "{err}");
    }
    // Two members in one pass: malformed.
    let mut e = claims_head(2);
    e.int(-6);
    payload_cbor(&mut e, &dvc);
    e.int(3);
    payload_cbor(&mut e, &ddcc_vaccination());
    let err = v
        .verify_hcert(&sign_raw(&e.into_bytes()), t(NOW))
        .unwrap_err();
    assert_eq!(
        err,
        Error::Claims("more than one member in the hcert claim")
    );
    // A payload of one member under another's key fails that member's check.
    let mut e = claims_head(1);
    e.int(4);
    payload_cbor(&mut e, &ddcc_vaccination());
    let err = v
        .verify_hcert(&sign_raw(&e.into_bytes()), t(NOW))
        .unwrap_err();
    assert!(
        matches!(&err, Error::PayloadField { member: "ddcc-test", path, .. } if path == "/test"),
        "{err}"
    );

    // The legacy DDCC QR: the data set with text keys, no CWT claims; with
    // its 2-byte kid or with an 8-byte one.
    let legacy = {
        let mut e = Encoder::new();
        e.map(4)
            .text("name")
            .text("Jane Doe")
            .text("birthDate")
            .text("1990-04-01")
            .text("hcid")
            .text("H1")
            .text("vaccine")
            .text("XM68M6");
        e.into_bytes()
    };
    for kid in [&[0x12u8, 0x34][..], &common::demo_kid()[..]] {
        let mut h = Encoder::new();
        h.map(2).int(1).int(-7).int(4).bytes(kid);
        let text = sign_raw_with(&h.into_bytes(), &legacy);
        let err = v.verify_hcert(&text, t(NOW)).unwrap_err();
        assert_eq!(err, Error::LegacyDdcc, "kid {kid:?}");
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.to_string().contains("legacy ddcc"));
        assert_eq!(inspect_unverified(&text).unwrap_err(), Error::LegacyDdcc);
    }
}

#[test]
fn structure_is_strict_and_decoding_tolerant() {
    let issuer = &issuers()[0];
    let v = verifier(issuer);
    // Unknown fields are kept; named fields of the wrong type refused.
    let mut json = serde_json::to_value(dvc()).unwrap();
    json["x-extension"] = json!({"anything": [1, 2]});
    json["v"]["lot-note"] = json!("kept");
    let payload = Payload::from_member_json(Member::Dvc, json.clone()).unwrap();
    let pass = v
        .verify_hcert(&issuer.issue(&payload, year()).unwrap(), t(NOW))
        .unwrap();
    assert_eq!(&pass.payload().unwrap().to_json(), &json);
    for (path, bad) in [
        ("/n", json!(42)),
        ("/v", json!([{"tg": "1D47", "dt": "2025-01-01"}])),
        ("/v/vls", json!("soon")),
    ] {
        let mut j = json.clone();
        match path {
            "/n" => j["n"] = bad,
            "/v" => j["v"] = bad,
            _ => j["v"]["vls"] = bad,
        }
        let p = Payload::from_member_json(Member::Dvc, j).unwrap();
        let err = issuer.issue(&p, year()).unwrap_err();
        let Error::Schema(violations) = err else {
            panic!("{err}")
        };
        assert_eq!(violations.0[0].path, path);
    }
    // A payload file names its member; a bare one is an EU DCC.
    let tagged = Payload::from_tagged_json(json!({"dvc": json.clone()})).unwrap();
    assert_eq!(tagged.member(), Member::Dvc);
    let bare = Payload::from_tagged_json(json.clone()).unwrap();
    assert_eq!(bare.member(), Member::EuDcc);
    assert!(bare.validate_schema().is_err());
}

#[test]
fn key_usages_restrict_the_eu_dcc_only_and_light_passes_need_one() {
    // A signer restricted to EU tests signs and verifies a DVC.
    let restricted = &issuers()[2];
    let v = verifier(restricted);
    for (payload, _) in members() {
        let pass = v
            .verify_hcert(&restricted.issue(&payload, year()).unwrap(), t(NOW))
            .unwrap();
        assert_eq!(pass.member(), payload.member());
    }
    // No light pass from a DVC.
    let issuer = &issuers()[0];
    let pass = verifier(issuer)
        .verify_hcert(
            &issuer.issue(&dvc().to_payload().unwrap(), year()).unwrap(),
            t(NOW),
        )
        .unwrap();
    assert!(matches!(
        issuer.issue_light(&pass, t(NOW), healthpass::issue::DEFAULT_LIGHT_VALIDITY),
        Err(Error::Issuing(_))
    ));
}

#[test]
fn revocation_hashes_per_member() {
    let issuer = &issuers()[0];
    let v = verifier(issuer);
    let dvc = v
        .verify_hcert(
            &issuer.issue(&dvc().to_payload().unwrap(), year()).unwrap(),
            t(NOW),
        )
        .unwrap();
    // A DVC has no certificate id: only SIGNATURE applies.
    assert!(dvc
        .revocation_hash(HashType::Uci, CountrySource::PayloadCountry)
        .is_none());
    assert!(dvc
        .revocation_hash(HashType::Signature, CountrySource::PayloadCountry)
        .is_some());
    // A DDCC's id is its hcid; its country is the CWT iss.
    let ddcc = v
        .verify_hcert(&issuer.issue(&ddcc_vaccination(), year()).unwrap(), t(NOW))
        .unwrap();
    assert_eq!(ddcc.certificate_id(), Some("HCID-0001"));
    let uci = ddcc
        .revocation_hash(HashType::Uci, CountrySource::PayloadCountry)
        .unwrap();
    use sha2::Digest as _;
    assert_eq!(uci.0[..], sha2::Sha256::digest(b"HCID-0001")[..16]);
    assert!(ddcc
        .revocation_hash(HashType::CountryCodeUci, CountrySource::PayloadCountry)
        .is_none());
    assert!(ddcc
        .revocation_hash(HashType::CountryCodeUci, CountrySource::CwtIssuer)
        .is_some());
}

#[test]
fn every_bit_flip_of_a_family_pass_is_rejected() {
    let issuer = &issuers()[0];
    let v = verifier(issuer);
    for (payload, _) in members() {
        let text = issuer.issue(&payload, year()).unwrap();
        let (_, cose) = transport::decode_any_text(&text).unwrap();
        for i in 0..cose.len() * 8 {
            let mut flipped = cose.clone();
            flipped[i / 8] ^= 1 << (i % 8);
            assert!(
                v.verify_hcert_cose(&flipped, t(NOW)).is_err(),
                "{} bit {i}",
                payload.member()
            );
        }
    }
}

#[test]
fn the_demo_signer_is_not_the_samples_signer() {
    // The DVC samples' kid is not the demo signer's: their `untrusted` is
    // the kid lookup, not a signature accident.
    let u = inspect_unverified(&sample("DVCTestQR.txt")).unwrap();
    assert_ne!(u.kid(), common::demo_kid());
    assert!(!DEMO_CERT_PEM.is_empty());
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 .'-]{1,30}"
}

fn date() -> impl Strategy<Value = String> {
    (1950i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

prop_compose! {
    fn any_dvc()(n in text(), dob in date(), s in proptest::option::of("[MFOU]"),
                 tg in proptest::option::of("[0-9A-Z]{3,6}"), vp in "[0-9A-Z]{3,8}",
                 dt in date(), dn in prop_oneof![Just(json!("Primary")), (1u32..5).prop_map(|n| json!(n))],
                 bo in proptest::option::of(text()), vle in proptest::option::of(Just("2035-01-01".to_string())))
                -> Dvc {
        Dvc { n, dob, s, ntl: None, nid: None, gn: None,
              v: DvcVaccination { dn: Some(dn), tg, vp: Some(vp), dt, bo, vle, ..Default::default() } }
    }
}

prop_compose! {
    fn any_ddcc()(name in text(), birth_date in date(), hcid in "[A-Z0-9-]{4,20}",
                  issuer in text(), version in "RC-[0-9]\\.[0-9]\\.[0-9]") -> Ddcc {
        Ddcc { name, birth_date, sex: None, identifier: None,
               certificate: DdccCertificate { hcid, issuer, version, period: None } }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_family_payloads_round_trip(dvc in any_dvc(), ddcc in any_ddcc(),
                                         code in "[0-9A-Z]{3,10}", dose in 1u32..10,
                                         which in 0usize..2, member in 0usize..3) {
        let payload = match member {
            0 => dvc.to_payload().unwrap(),
            1 => ddcc.vaccination(&DdccVaccinationEvent {
                vaccine: coding(&code), date: "2026-01-01".into(), dose, ..Default::default()
            }).unwrap(),
            _ => ddcc.test(&DdccTestEvent {
                test_type: Some(coding(&code)), date: "2026-11-30".into(),
                result: coding("260415000"), ..Default::default()
            }).unwrap(),
        };
        let issuer = &issuers()[which];
        let text = issuer.issue(&payload, year()).unwrap();
        let pass = verifier(issuer).verify_hcert(&text, t(NOW)).unwrap();
        prop_assert_eq!(pass.payload().unwrap(), &payload);
        prop_assert_eq!(pass.member(), payload.member());
        let name = match member { 0 => dvc.n.trim().to_string(), _ => ddcc.name.trim().to_string() };
        prop_assert_eq!(&pass.holder().name, &name);
    }
}

#[test]
fn the_eu_presets_admit_no_family_member() {
    let issuer = &issuers()[0];
    for preset in healthpass::rules::PRESETS {
        let v = Verifier::builder()
            .trust_list(issuer.trust_list().unwrap())
            .rules(healthpass::rules::RuleSet::preset(preset).unwrap())
            .build()
            .unwrap();
        for (payload, _) in members() {
            let verdict = v.verdict(&issuer.issue(&payload, year()).unwrap(), t(NOW));
            assert_eq!(
                verdict.error_kind(),
                Some(ErrorKind::RejectedByRules),
                "{preset} {}",
                payload.member()
            );
        }
    }
}
