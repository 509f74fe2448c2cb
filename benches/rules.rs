//! The cost of admission beside the cost of authenticity, in one run: the
//! largest country rule set of the business-rule test data (CH, 20 rules in
//! the EU format) evaluated on a verified vaccination pass, against one bare
//! AWS-LC ES256 verify of a real pass (AT/1). The target: the whole rule set
//! at most 0.25x the bare verify. Also per rule, and a preset's mode.
//!
//! `cargo bench --bench rules --features aws-lc-rs`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::issue::Issuer;
use healthpass::payload::Payload;
use healthpass::rules::{Policy, RuleSet};
use healthpass::signed::Validity;
use healthpass::{UnixTime, Verifier};

fn country_rules(cc: &str) -> RuleSet {
    let dir = std::path::Path::new("tests/data/dgc-business-rules-testdata").join(cc);
    let mut rules = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path().join("rule.json");
        if p.is_file() {
            let text = std::fs::read_to_string(p).unwrap();
            rules.push(serde_json::from_str::<serde_json::Value>(&text).unwrap());
        }
    }
    RuleSet::from_value(&serde_json::Value::Array(rules)).unwrap()
}

fn bench_rules(c: &mut Criterion) {
    let issuer = Issuer::from_pem(
        &std::fs::read_to_string("demo/TEST-ONLY-key.pem").unwrap(),
        &std::fs::read_to_string("demo/trust.pem").unwrap(),
    )
    .unwrap();
    let payload = Payload::from_json(serde_json::json!({
        "ver": "1.3.0", "nam": {"fn": "Muster", "fnt": "MUSTER", "gn": "Max", "gnt": "MAX"},
        "dob": "1980-02-03",
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
               "dn": 3, "sd": 3, "dt": "2026-10-01", "co": "CH", "is": "Test", "ci": "URN:UVCI:01:CH:X"}]
    }))
    .unwrap();
    let iat = UnixTime::parse_rfc3339("2026-11-25T12:00:00Z").unwrap();
    let text = issuer
        .issue(
            &payload,
            Validity::new(
                iat,
                UnixTime::parse_rfc3339("2030-01-01T00:00:00Z").unwrap(),
            )
            .unwrap(),
        )
        .unwrap();
    let now = UnixTime::parse_rfc3339("2026-12-01T12:00:00Z").unwrap();
    let verifier = Verifier::builder()
        .trust_list(issuer.trust_list().unwrap())
        .build()
        .unwrap();
    let pass = verifier.verify_hcert(&text, now).unwrap();
    pass.payload().unwrap(); // decoded once, as a gate's first look at it would

    let ch = country_rules("CH");
    let policy = Policy::new().country("CH");
    let admission = pass.admission(&ch, &policy, now);
    let in_force = ch
        .rules()
        .iter()
        .filter(|r| {
            r.certificate_type() != healthpass::rules::CertificateType::Test
                && r.certificate_type() != healthpass::rules::CertificateType::Recovery
        })
        .count();
    println!(
        "CH: {} rules, {in_force} apply to a vaccination (type General or Vaccination); admitted: {} ({:?})",
        ch.rules().len(),
        admission.is_admitted(),
        admission
            .failed_rules()
            .iter()
            .map(|f| &f.identifier)
            .collect::<Vec<_>>()
    );

    let mut g = c.benchmark_group("rules");
    g.bench_function("CH_rule_set_on_a_vaccination", |b| {
        b.iter(|| pass.admission(black_box(&ch), &policy, now))
    });
    let preset = RuleSet::preset("2g-plus").unwrap();
    let mode = Policy::new().mode("2g-plus");
    g.bench_function("preset_2g_plus_mode", |b| {
        b.iter(|| pass.admission(black_box(&preset), &mode, now))
    });

    // Loading is rare (at start, on a rule update): its cost, with the
    // bundled value sets each set owns.
    g.bench_function("load_preset_2g_plus", |b| {
        b.iter(|| RuleSet::preset(black_box("2g-plus")).unwrap())
    });

    #[cfg(feature = "aws-lc-rs")]
    {
        use aws_lc_rs::signature::{ParsedPublicKey, ECDSA_P256_SHA256_FIXED};
        use healthpass::cose::CoseSign1;
        use x509_cert::der::{Decode as _, Encode as _};
        let raw = std::fs::read_to_string("tests/data/dgc-testdata/AT/2DCode/raw/1.json").unwrap();
        let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let cose = healthpass::transport::decode_text(doc["PREFIX"].as_str().unwrap()).unwrap();
        let sign1 = CoseSign1::parse(&cose).unwrap();
        let mut tbs = Vec::new();
        sign1.write_sig_structure(&mut tbs);
        let sig = sign1.signature().to_vec();
        use base64ct::{Base64, Encoding as _};
        let der = Base64::decode_vec(doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
        let cert = x509_cert::Certificate::from_der(&der).unwrap();
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap();
        let point = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(&spki)
            .unwrap()
            .subject_public_key
            .as_bytes()
            .unwrap()
            .to_vec();
        let key = ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point).unwrap();
        g.bench_function("bare_aws_lc_es256_verify", |b| {
            b.iter(|| key.verify_sig(black_box(&tbs), black_box(&sig)).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench_rules);
criterion_main!(benches);
