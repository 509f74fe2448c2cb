//! Signed rule sets (issue 22.6): rules were never authenticated — whoever
//! could replace the rule file decided admission. A rule set now comes as a
//! signed list document, checked against the rule publishers' certificates,
//! with replay refusal, deltas and expiry.

#![cfg(feature = "rustcrypto")]

mod common;

use common::t;
use healthpass::crypto::Algorithm;
use healthpass::issue::{self_signed_certificate, CertificateParams, Credential, SigningKey};
use healthpass::rules::{AdmissionStatus, RuleSet, RuleSetDocument, RuleSetLoader};
use healthpass::signed::Validity;
use healthpass::{Error, ErrorKind, TrustList, Verdict, Verifier};
use serde_json::json;

/// A rule publisher: its credential and its certificate as a list anchor.
fn publisher(name: &str) -> (Credential, TrustList) {
    let key = SigningKey::generate(Algorithm::Es256).unwrap();
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2028-01-01T00:00:00Z")).unwrap();
    let der = self_signed_certificate(&key, &CertificateParams::new("XX", name, validity)).unwrap();
    let mut anchors = TrustList::new();
    anchors.add_der(&der).unwrap();
    (Credential::new(key, &der).unwrap(), anchors)
}

fn week() -> Validity {
    Validity::new(t("2026-11-30T00:00:00Z"), t("2026-12-07T00:00:00Z")).unwrap()
}

const NOW: &str = "2026-12-01T12:00:00Z";

fn verdict(rules: RuleSet, text: &str, now: &str) -> Verdict {
    common::demo_verifier()
        .to_builder()
        .rules(rules)
        .build()
        .unwrap()
        .verdict(text, t(now))
}

fn eu_rule(id: &str, version: &str, logic: serde_json::Value) -> serde_json::Value {
    json!({
        "Identifier": id, "Type": "Acceptance", "Country": &id[3..5], "Version": version,
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0",
        "CertificateType": "General",
        "Description": [{"lang": "en", "desc": format!("rule {id} of a signed rule set")}],
        "ValidFrom": "2026-01-01T00:00:00Z", "ValidTo": "2030-01-01T00:00:00Z",
        "AffectedFields": ["dob"], "Logic": logic,
    })
}

#[test]
fn a_signed_preset_decides_as_the_preset_and_only_its_anchors_sign_it() {
    let (credential, anchors) = publisher("rules publisher");
    let preset = include_str!("../src/rules/presets/2g.json");
    let signed = RuleSetDocument::builder_from_json("gate-rules", preset)
        .unwrap()
        .sequence(3)
        .build(week())
        .unwrap()
        .sign(&credential)
        .unwrap();
    let loader = RuleSetLoader::new(anchors.clone());
    let rules = loader.load(&signed, t(NOW)).unwrap();
    assert_eq!(rules.published(), Some(("gate-rules", 3)));
    assert_eq!(rules.modes().len(), 1);
    let plain = RuleSet::from_json(preset).unwrap();
    for pass in [
        include_str!("../demo/valid.txt"),
        include_str!("../demo/valid-test.txt"),
    ] {
        let (a, b) = (
            verdict(rules.clone(), pass, NOW),
            verdict(plain.clone(), pass, NOW),
        );
        assert_eq!(a.is_valid(), b.is_valid());
        assert_eq!(
            a.admission().and_then(|x| x.mode_result()),
            b.admission().and_then(|x| x.mode_result())
        );
    }
    // The attack of the issue: a set with no rules and SUCCESS logic under
    // a mode named 2g, by someone else's key: refused.
    let (forger, _) = publisher("someone else");
    let open_door = json!({"rules": [], "modeRules": {
        "activeModes": [{"id": "2g", "displayName": "2G"}], "logic": "SUCCESS"}});
    let forged = RuleSetDocument::builder_from_json("gate-rules", &open_door.to_string())
        .unwrap()
        .sequence(4)
        .build(week())
        .unwrap()
        .sign(&forger)
        .unwrap();
    assert_eq!(
        loader.load(&forged, t(NOW)).unwrap_err().kind(),
        ErrorKind::Untrusted
    );
    // An unsigned rule file is not a signed rule set.
    assert!(loader.load(preset.as_bytes(), t(NOW)).is_err());
    // Any changed byte: refused.
    for i in (0..signed.len()).step_by(97) {
        let mut changed = signed.clone();
        changed[i] ^= 0x20;
        assert!(loader.load(&changed, t(NOW)).is_err(), "byte {i}");
    }
    // Replay: an older sequence than the last accepted one.
    assert!(matches!(
        RuleSetLoader::new(anchors)
            .min_sequence(4)
            .load(&signed, t(NOW)),
        Err(Error::SignedDocument(_))
    ));
    // Expired: admits nobody.
    let v = verdict(
        rules,
        include_str!("../demo/valid.txt"),
        "2026-12-08T00:00:00Z",
    );
    assert!(!v.is_valid());
    let a = v.admission().unwrap();
    assert_eq!(a.status(), AdmissionStatus::NotEvaluated);
    assert_eq!(a.reason(), "the signed rule set has expired");
}

#[test]
fn deltas_add_and_remove_rules_all_or_nothing() {
    let (credential, anchors) = publisher("rules publisher");
    let yes = json!({"===": [1, 1]});
    let no = json!({"===": [1, 2]});
    let full = RuleSetDocument::builder("de-rules")
        .adds(vec![
            eu_rule("GR-DE-0001", "1.0.0", yes.clone()).to_string(),
            eu_rule("GR-DE-0002", "1.0.0", yes.clone()).to_string(),
        ])
        .build(week())
        .unwrap()
        .sign(&credential)
        .unwrap();
    let loader = RuleSetLoader::new(anchors);
    let mut rules = loader.load(&full, t(NOW)).unwrap();
    let de = healthpass::rules::Policy::new().country("DE");
    let valid = |rules: &RuleSet| {
        Verifier::builder()
            .trust_list(common::demo_verifier().trust_list().clone())
            .rules(rules.clone())
            .policy(de.clone())
            .build()
            .unwrap()
            .verdict(include_str!("../demo/valid.txt"), t(NOW))
            .is_valid()
    };
    assert!(valid(&rules));
    // A delta: a new version of 0001 that refuses, 0002 removed.
    let delta = |base: u64, seq: u64, adds: Vec<String>| {
        RuleSetDocument::builder("de-rules")
            .sequence(seq)
            .delta_on(base)
            .adds(adds)
            .removes(vec!["GR-DE-0002".into()])
            .build(week())
            .unwrap()
            .sign(&credential)
            .unwrap()
    };
    loader
        .apply(
            &mut rules,
            &delta(
                1,
                2,
                vec![eu_rule("GR-DE-0001", "2.0.0", no.clone()).to_string()],
            ),
            t(NOW),
        )
        .unwrap();
    assert_eq!(rules.published(), Some(("de-rules", 2)));
    assert_eq!(rules.rules().len(), 2);
    assert!(!valid(&rules));
    // On a base that is not the current sequence, or a version given twice:
    // refused, and the set is as it was.
    let before = rules.rules().len();
    assert!(loader
        .apply(&mut rules, &delta(1, 3, vec![]), t(NOW))
        .is_err());
    assert!(loader
        .apply(
            &mut rules,
            &delta(2, 3, vec![eu_rule("GR-DE-0001", "2.0.0", yes).to_string()]),
            t(NOW)
        )
        .is_err());
    assert_eq!(rules.rules().len(), before);
    assert_eq!(rules.published(), Some(("de-rules", 2)));
    // A rule the schema refuses never makes a document.
    assert!(RuleSetDocument::builder("de-rules")
        .adds(vec![json!({"Identifier": "GR-DE-0003"}).to_string()])
        .build(week())
        .is_err());
    // A rule of another country under a reused identifier: refused too.
    let mut shadow = eu_rule("GR-DE-0001", "9.0.0", no);
    shadow["Country"] = json!("AT");
    assert!(RuleSetDocument::builder("de-rules")
        .adds(vec![shadow.to_string()])
        .build(week())
        .is_err());
}
