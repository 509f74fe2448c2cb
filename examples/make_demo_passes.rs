//! Writes the bundled demo passes (`demo/*.txt`, `demo/valid.png`), issued
//! with the demo TEST key (`demo/TEST-ONLY-key.pem`, whose certificate is
//! `demo/trust.pem`). The key is published in this repository: passes it
//! signs prove nothing. Never trust `demo/trust.pem` outside demos.
//!
//! ES256 signatures are deterministic (RFC 6979): running this again writes
//! the same files.
//!
//! Run from the repository root: `cargo run --example make_demo_passes --features qr`.

use healthpass::issue::{Issuer, MAX_LIGHT_VALIDITY};
use healthpass::payload::{
    Coding, Ddcc, DdccCertificate, DdccVaccinationEvent, Dvc, DvcVaccination, Payload, Period,
};
use healthpass::signed::Validity;
use healthpass::{transport, UnixTime, Verifier};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issuer = Issuer::from_pem(
        &std::fs::read_to_string("demo/TEST-ONLY-key.pem")?,
        &std::fs::read_to_string("demo/trust.pem")?,
    )?;
    let t = |s: &str| UnixTime::parse_rfc3339(s);

    let vaccination = Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Musterfrau-Gößinger", "fnt": "MUSTERFRAU<GOESSINGER", "gn": "Gabriele", "gnt": "GABRIELE"},
        "dob": "1964-08-12",
        "v": [{
            "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
            "dn": 2, "sd": 2, "dt": "2026-10-01", "co": "AT", "is": "healthpass demo issuer",
            "ci": healthpass::uvci::build("XX", "DEMO0000000000000000000001")?
        }]
    }))?;
    let test = Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Doe", "fnt": "DOE", "gn": "John", "gnt": "JOHN"},
        "dob": "1990-01",
        "t": [{
            "tg": "840539006", "tt": "LP6464-4", "nm": "demo PCR", "sc": "2026-11-24T08:00:00Z",
            "tr": "260415000", "tc": "demo test centre", "co": "AT", "is": "healthpass demo issuer",
            "ci": healthpass::uvci::build("XX", "DEMO0000000000000000000002")?
        }]
    }))?;
    let exemption = Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": {"fn": "Rossi", "fnt": "ROSSI", "gn": "Maria", "gnt": "MARIA"},
        "dob": "1958-03-21",
        "e": [{
            "tg": "840539006", "co": "IT", "is": "healthpass demo issuer",
            "ci": healthpass::uvci::build("XX", "DEMO0000000000000000000003")?,
            "df": "2026-11-25", "du": "2036-11-24"
        }]
    }))?;

    // The demo certificate is valid from 2026-11-25T09:51:53Z.
    let iat = t("2026-11-25T10:00:00Z")?;
    let exp = t("2036-11-25T00:00:00Z")?;
    let ten_years = Validity::new(iat, exp)?;
    let valid = issuer.issue(&vaccination, ten_years)?;
    let valid_test = issuer.issue(&test, ten_years)?;
    let valid_exemption = issuer.issue(&exemption, ten_years)?;
    // Expired: issued (by the demo signer, on a clock set back) with an exp
    // in the past. The issuer's own check wants iat within the
    // certificate's validity, so the expiry is just after it.
    let expired = issuer.issue(
        &vaccination,
        Validity::new(t("2026-11-25T10:00:00Z")?, t("2026-11-25T11:00:00Z")?)?,
    )?;
    // Light: from the valid pass, for the longest a light pass may live (7
    // days, 2026-11-25T10:00:00Z to 2026-12-02T10:00:00Z): light passes are
    // short-lived by design, so the demo one is checked with `--at` a time
    // in that week.
    let verifier = Verifier::builder()
        .trust_list(issuer.trust_list()?)
        .build()?;
    let source = verifier.verify_hcert(&valid, iat)?;
    let light = issuer.issue_light(&source, iat, MAX_LIGHT_VALIDITY)?;
    // A Digital Vaccination Certificate (yellow fever, ICD-11 1D47), without
    // exp as the GDHCN's DVC passes are: valid from 10 days after the dose
    // (vls) for ten years (vle).
    let dvc = Dvc {
        n: "Amina Okafor".into(),
        dob: "1988-02-14".into(),
        s: Some("F".into()),
        ntl: Some("NG".into()),
        nid: None,
        gn: None,
        v: DvcVaccination {
            dn: Some(json!("Primary")),
            tg: Some("1D47".into()),
            vp: Some("XM0N24".into()),
            dt: "2026-11-15".into(),
            bo: Some("DEMO-LOT-1".into()),
            vls: Some("2026-11-25".into()),
            vle: Some("2036-11-24".into()),
            issuer: Some("healthpass demo issuer".into()),
            ..Default::default()
        },
    }
    .to_payload()?;
    let dvc = issuer.issue_without_expiry(&dvc, iat)?;
    // A WHO DDCC, vaccination status.
    let coding = |code: &str, system: &str| Coding {
        code: code.into(),
        system: Some(system.into()),
        display: None,
    };
    let ddcc = Ddcc {
        name: "Kofi Mensah".into(),
        birth_date: "1975-06-30".into(),
        sex: None,
        identifier: None,
        certificate: DdccCertificate {
            hcid: "DEMO-HCID-0000000001".into(),
            issuer: "healthpass demo issuer".into(),
            version: "RC-2.0.0".into(),
            period: Some(Period {
                start: Some("2026-11-25".into()),
                end: None,
            }),
        },
    }
    .vaccination(&DdccVaccinationEvent {
        vaccine: coding("XM68M6", "http://id.who.int/icd11/mms"),
        date: "2026-10-20".into(),
        dose: 1,
        total_doses: Some(1),
        country: Some(coding("XX", "urn:iso:std:iso:3166")),
        lot: Some("DEMO-LOT-2".into()),
        ..Default::default()
    })?;
    let ddcc = issuer.issue(&ddcc, ten_years)?;
    // Tampered: the signed pass with its date of birth changed afterwards.
    let tampered = {
        let cose_bytes = transport::decode_text(&valid)?;
        let needle = b"1964-08-12";
        let at = cose_bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .ok_or("date of birth not found")?;
        let mut forged = cose_bytes.clone();
        forged[at..at + needle.len()].copy_from_slice(b"1994-08-12");
        transport::encode_text(&forged)?
    };
    for (name, text) in [
        ("valid", &valid),
        ("valid-test", &valid_test),
        ("valid-exemption", &valid_exemption),
        ("light", &light),
        ("expired", &expired),
        ("tampered", &tampered),
        ("dvc", &dvc),
        ("ddcc-vaccination", &ddcc),
    ] {
        std::fs::write(format!("demo/{name}.txt"), format!("{text}\n"))?;
        println!("demo/{name}.txt");
    }
    #[cfg(feature = "qr")]
    {
        std::fs::write("demo/valid.png", healthpass::qr::to_png(&valid)?)?;
        println!("demo/valid.png");
    }
    Ok(())
}
