//! Admission: the presets' outcomes for every kind of pass, EU rule sets
//! (country of arrival, region, invalidation by the issuing country, the
//! version in force), light passes, and hostile rules.

#![cfg(feature = "rustcrypto")]

mod common;

use common::t;
use healthpass::issue::Issuer;
use healthpass::payload::Payload;
use healthpass::rules::{AdmissionStatus, Expression, Policy, RuleSet};
use healthpass::signed::Validity;
use healthpass::{ErrorKind, UnixTime, Verdict, Verifier};
use serde_json::json;

fn issuer() -> Issuer {
    Issuer::from_pem(
        include_str!("../demo/TEST-ONLY-key.pem"),
        std::str::from_utf8(common::DEMO_CERT_PEM).unwrap(),
    )
    .unwrap()
}

const NAME: &str = r#"{"fn": "Muster", "fnt": "MUSTER", "gn": "Max", "gnt": "MAX"}"#;

fn pass(group: &str, entry: serde_json::Value) -> String {
    let payload = Payload::from_json(json!({
        "ver": "1.3.0",
        "nam": serde_json::from_str::<serde_json::Value>(NAME).unwrap(),
        "dob": "1980-02-03",
        group: [entry],
    }))
    .unwrap();
    // Issued when the event happened (a sample taken after the default
    // issue time), never before it: issuing refuses a pass dated ahead.
    let event = ["dt", "sc", "fr"]
        .iter()
        .find_map(|f| payload.as_json()[group][0].get(*f))
        .and_then(|v| v.as_str())
        .map(|s| {
            t(&if s.len() == 10 {
                format!("{s}T00:00:00Z")
            } else {
                s.to_owned()
            })
        });
    let iat = event.map_or(t("2026-11-25T12:00:00Z"), |e| {
        e.max(t("2026-11-25T12:00:00Z"))
    });
    issuer()
        .issue(
            &payload,
            Validity::new(iat, t("2030-01-01T00:00:00Z")).unwrap(),
        )
        .unwrap()
}

fn vaccination(dt: &str, dn: u32, sd: u32) -> String {
    pass(
        "v",
        json!({"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
               "dn": dn, "sd": sd, "dt": dt, "co": "AT", "is": "Test", "ci": "URN:UVCI:01:AT:V"}),
    )
}

fn test_pass(tt: &str, sc: &str, tr: &str) -> String {
    pass(
        "t",
        json!({"tg": "840539006", "tt": tt, "sc": sc, "tr": tr, "co": "AT", "is": "Test",
               "ci": "URN:UVCI:01:AT:T"}),
    )
}

fn recovery(fr: &str) -> String {
    pass(
        "r",
        json!({"tg": "840539006", "fr": fr, "co": "AT", "is": "Test", "df": "2026-01-01",
               "du": "2029-12-31", "ci": "URN:UVCI:01:AT:R"}),
    )
}

fn exemption() -> String {
    pass(
        "e",
        json!({"tg": "840539006", "co": "IT", "is": "Test", "ci": "URN:UVCI:01:IT:E",
               "df": "2026-11-25", "du": "2029-12-31"}),
    )
}

fn light() -> String {
    let i = issuer();
    let v = Verifier::builder()
        .trust_list(i.trust_list().unwrap())
        .build()
        .unwrap();
    let at = t("2026-11-30T00:00:00Z");
    let source = v
        .verify_hcert(&vaccination("2026-10-01", 2, 2), at)
        .unwrap();
    i.issue_light(&source, at, healthpass::issue::MAX_LIGHT_VALIDITY)
        .unwrap()
}

fn verdict(set: &RuleSet, policy: &Policy, text: &str, now: UnixTime) -> Verdict {
    Verifier::builder()
        .trust_list(issuer().trust_list().unwrap())
        .rules(set.clone())
        .build()
        .unwrap()
        .verdict_with(text, now, policy)
}

/// The mode outcome and whether the pass is admitted.
fn outcome(preset: &str, text: &str, now: &str) -> (Option<String>, bool) {
    let set = RuleSet::preset(preset).unwrap();
    let v = verdict(&set, &Policy::new().mode(preset), text, t(now));
    let a = v.admission().expect("an admission");
    assert_eq!(v.is_valid(), a.is_admitted());
    if !v.is_valid() {
        assert_eq!(v.error_kind(), Some(ErrorKind::RejectedByRules), "{preset}");
        assert!(v.holder().is_none());
    }
    (a.mode_result().map(str::to_owned), a.is_admitted())
}

const NOW: &str = "2026-12-01T12:00:00Z";

#[test]
fn every_preset_gives_each_outcome() {
    let fresh_vacc = vaccination("2026-10-01", 2, 2); // 61 days
    let old_vacc = vaccination("2026-05-01", 2, 2); // 214 days: > 6 months, < 270 + 14 days
    let booster = vaccination("2025-06-01", 3, 2); // a booster does not expire
    let too_new = vaccination("2026-11-25", 2, 2); // under 14 days
    let incomplete = vaccination("2026-10-01", 1, 2);
    let pcr = test_pass("LP6464-4", "2026-11-30T12:00:00Z", "260415000"); // 24 h
    let stale_rat = test_pass("LP217198-3", "2026-11-30T06:00:00Z", "260415000"); // 30 h
    let positive = test_pass("LP6464-4", "2026-11-30T12:00:00Z", "260373001");
    let fresh_rec = recovery("2026-10-15");
    let old_rec = recovery("2026-06-15");
    let exempt = exemption();
    let light = light();

    let s = |r: &str| Some(r.to_string());
    // (pass, 3g, 2g, 2g-plus, vaccinated-recovered-exempt): (mode result, admitted)
    type Row<'a> = (&'a str, &'a String, [(Option<String>, bool); 4]);
    let table: Vec<Row> = vec![
        (
            "fresh vaccination",
            &fresh_vacc,
            [
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
            ],
        ),
        (
            "vaccination of 7 months",
            &old_vacc,
            [
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS_2G"), false),
                (s("INVALID"), false),
            ],
        ),
        (
            "booster of 18 months",
            &booster,
            [
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS_2G"), false),
                (s("INVALID"), false),
            ],
        ),
        (
            "vaccination of 6 days",
            &too_new,
            [
                (s("SUCCESS"), false),
                (s("SUCCESS"), false),
                (s("SUCCESS"), false),
                (s("SUCCESS"), false),
            ],
        ),
        (
            "incomplete series",
            &incomplete,
            [
                (s("SUCCESS"), false),
                (s("SUCCESS"), false),
                (s("SUCCESS"), false),
                (s("SUCCESS"), false),
            ],
        ),
        (
            "PCR test of 24 hours",
            &pcr,
            [
                (s("SUCCESS"), true),
                (s("INVALID"), false),
                (s("SUCCESS_2G_PLUS"), false),
                (s("INVALID"), false),
            ],
        ),
        (
            "rapid test of 30 hours",
            &stale_rat,
            [
                (s("SUCCESS"), false),
                (s("INVALID"), false),
                (s("SUCCESS_2G_PLUS"), false),
                (s("INVALID"), false),
            ],
        ),
        (
            "positive test",
            &positive,
            [
                (s("SUCCESS"), false),
                (s("INVALID"), false),
                (s("SUCCESS_2G_PLUS"), false),
                (s("INVALID"), false),
            ],
        ),
        (
            "recovery of 47 days",
            &fresh_rec,
            [
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
            ],
        ),
        (
            "recovery of 169 days",
            &old_rec,
            [
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS_2G"), false),
                (s("SUCCESS"), true),
            ],
        ),
        (
            "medical exemption",
            &exempt,
            [
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
                (s("SUCCESS"), true),
            ],
        ),
        (
            "light pass",
            &light,
            [
                (s("SUCCESS"), true),
                (s("IS_LIGHT"), false),
                (s("IS_LIGHT"), false),
                (s("SUCCESS"), true),
            ],
        ),
    ];
    for (name, text, want) in &table {
        for (preset, expected) in healthpass::rules::PRESETS.iter().zip(want) {
            assert_eq!(
                &outcome(preset, text, NOW),
                expected,
                "{name} under {preset}"
            );
        }
    }
    // Failed rules are named, with their descriptions.
    let set = RuleSet::preset("3g").unwrap();
    let v = verdict(&set, &Policy::new().mode("3g"), &incomplete, t(NOW));
    let a = v.admission().unwrap();
    assert_eq!(a.failed_rules()[0].identifier, "VR-XX-0001");
    assert!(a.failed_rules()[0].description.contains("complete"));
    assert_eq!(v.reason(), Some("refused by rules: VR-XX-0001"));
    // An unknown mode: not evaluated, so not admitted.
    let v = verdict(&set, &Policy::new().mode("4g"), &fresh_vacc, t(NOW));
    assert_eq!(
        v.admission().unwrap().status(),
        AdmissionStatus::NotEvaluated
    );
    assert!(!v.is_valid());
}

#[test]
fn a_preset_means_its_mode_and_the_verifier_keeps_its_rules() {
    let fresh_vacc = vaccination("2026-10-01", 2, 2);
    let pcr = test_pass("LP6464-4", "2026-11-30T12:00:00Z", "260415000");
    // No mode in the policy: a set with one mode applies it.
    let two_g = RuleSet::preset("2g").unwrap();
    let v = verdict(&two_g, &Policy::new(), &fresh_vacc, t(NOW));
    assert_eq!(v.admission().unwrap().mode_result(), Some("SUCCESS"));
    let v = verdict(&two_g, &Policy::new(), &pcr, t(NOW));
    assert_eq!(v.error_kind(), Some(ErrorKind::RejectedByRules));
    assert_eq!(v.admission().unwrap().mode_result(), Some("INVALID"));

    // A verifier made from another keeps its rules and policy.
    let verifier = Verifier::builder()
        .trust_list(issuer().trust_list().unwrap())
        .rules(two_g)
        .policy(Policy::new().language("de"))
        .build()
        .unwrap();
    let again = verifier.to_builder().clock_skew_secs(60).build().unwrap();
    assert!(again.rules().is_some());
    assert_eq!(again.policy(), &Policy::new().language("de"));
    assert_eq!(again.clock_skew_secs(), 60);
    assert_eq!(again.verdict(&pcr, t(NOW)), verifier.verdict(&pcr, t(NOW)));

    // A verifier whose own policy names a mode the set lacks is not built.
    let err = Verifier::builder()
        .trust_list(issuer().trust_list().unwrap())
        .rules(RuleSet::preset("2g").unwrap())
        .policy(Policy::new().mode("3g"))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "rules: the rule set has no scan mode 3g (it has 2g)"
    );

    // A pass that does not verify: the rules are not evaluated.
    let result = verifier.verify("HC1:NOT A PASS", t(NOW));
    let v = verifier.verdict_of(&result, t(NOW), verifier.policy());
    assert_eq!(v.error_kind(), Some(ErrorKind::Malformed));
    assert_eq!(
        v.admission().unwrap().status(),
        AdmissionStatus::NotEvaluated
    );
    let j = serde_json::to_value(&v).unwrap();
    assert_eq!(j["admission"]["admitted"], false);
}

/// The EU rules of one country, as the test data has them (each rule in its
/// own file), in one set.
fn country_rules(cc: &str) -> RuleSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dgc-business-rules-testdata")
        .join(cc);
    let mut rules = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path().join("rule.json");
        if p.is_file() {
            rules.push(
                serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(p).unwrap())
                    .unwrap(),
            );
        }
    }
    RuleSet::from_value(&serde_json::Value::Array(rules)).unwrap()
}

#[test]
fn eu_rules_apply_for_the_country_of_arrival() {
    let at = country_rules("AT");
    let fresh = vaccination("2026-10-01", 2, 2);
    let v = verdict(&at, &Policy::new().country("AT"), &fresh, t(NOW));
    assert!(v.is_valid(), "{:?}", v.admission());
    // No country: nothing applies, not admitted.
    let v = verdict(&at, &Policy::new(), &fresh, t(NOW));
    assert_eq!(
        v.admission().unwrap().status(),
        AdmissionStatus::NotEvaluated
    );
    assert_eq!(v.error_kind(), Some(ErrorKind::RejectedByRules));
    // Another country: none of AT's rules apply.
    let v = verdict(&at, &Policy::new().country("DE"), &fresh, t(NOW));
    assert_eq!(
        v.admission().unwrap().status(),
        AdmissionStatus::NotEvaluated
    );
    // A light pass has no health data: AT's general rules that read it fail.
    let v = verdict(&at, &Policy::new().country("AT"), &light(), t(NOW));
    let a = v.admission().unwrap();
    assert_eq!(a.status(), AdmissionStatus::Refused);
    assert!(a.failed_rules().iter().all(
        |f| f.error.as_deref() == Some("needs health data, which a light pass does not carry")
    ));
    // The JSON of the verdict carries the admission, in the contract's words.
    let j = serde_json::to_value(&v).unwrap();
    assert_eq!(j["error_kind"], "rejected_by_rules");
    assert_eq!(j["admission"]["admitted"], false);
    assert!(j["admission"]["failed_rules"]
        .as_array()
        .is_some_and(|f| !f.is_empty()));
    assert_eq!(j["admission"]["mode_result"], serde_json::Value::Null);
}

fn eu_rule(
    id: &str,
    version: &str,
    from: &str,
    to: &str,
    logic: serde_json::Value,
) -> serde_json::Value {
    let cc = &id[3..5];
    json!({
        "Identifier": id, "Type": if id.starts_with("IR") { "Invalidation" } else { "Acceptance" },
        "Country": cc, "Version": version, "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC",
        "EngineVersion": "1.0.0", "CertificateType": "General",
        "Description": [{"lang": "en", "desc": format!("rule {id} version {version} for testing")},
                        {"lang": "de", "desc": format!("Regel {id} Version {version} zum Testen")}],
        "ValidFrom": from, "ValidTo": to, "AffectedFields": ["dob"], "Logic": logic,
    })
}

#[test]
fn versions_in_force_regions_and_invalidation() {
    let yes = json!({"===": [1, 1]});
    let no = json!({"===": [1, 2]});
    let mut regional = eu_rule(
        "GR-AT-0002",
        "1.0.0",
        "2026-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z",
        no.clone(),
    );
    regional["Region"] = json!("W");
    let rules = vec![
        // Two versions: 1.0.0 until 2026-12-01, then 2.0.0 (which refuses).
        eu_rule(
            "GR-AT-0001",
            "1.0.0",
            "2026-01-01T00:00:00Z",
            "2030-01-01T00:00:00Z",
            yes.clone(),
        ),
        eu_rule(
            "GR-AT-0001",
            "2.0.0",
            "2026-12-01T00:00:00Z",
            "2030-01-01T00:00:00Z",
            no.clone(),
        ),
        // A regional rule of AT, only for region W.
        regional,
        // An invalidation rule of the issuing country (the demo passes' iss is XX).
        eu_rule(
            "IR-XX-0001",
            "1.0.0",
            "2026-01-01T00:00:00Z",
            "2030-01-01T00:00:00Z",
            json!({"!": [{"===": [{"var": "external.issuerCountryCode"}, "XX"]}]}),
        ),
    ];
    let set = RuleSet::from_value(&serde_json::Value::Array(rules)).unwrap();
    let fresh = vaccination("2026-10-01", 2, 2);
    let failed = |policy: &Policy, now: &str| -> Vec<String> {
        verdict(&set, policy, &fresh, t(now))
            .admission()
            .unwrap()
            .failed_rules()
            .iter()
            .map(|f| f.identifier.clone())
            .collect()
    };
    let at = Policy::new().country("AT");
    assert_eq!(failed(&at, "2026-11-30T00:00:00Z"), ["IR-XX-0001"]);
    assert_eq!(
        failed(&at, "2026-12-02T00:00:00Z"),
        ["GR-AT-0001", "IR-XX-0001"]
    );
    assert_eq!(
        failed(&at.clone().region("W"), "2026-11-30T00:00:00Z"),
        ["GR-AT-0002", "IR-XX-0001"]
    );
    // Descriptions in the policy's language, English otherwise.
    let v = verdict(
        &set,
        &at.clone().language("de"),
        &fresh,
        t("2026-11-30T00:00:00Z"),
    );
    assert!(v.admission().unwrap().failed_rules()[0]
        .description
        .starts_with("Regel"));
    let v = verdict(
        &set,
        &at.clone().language("fr"),
        &fresh,
        t("2026-11-30T00:00:00Z"),
    );
    assert!(v.admission().unwrap().failed_rules()[0]
        .description
        .starts_with("rule"));
}

#[test]
fn rule_files_are_checked_against_the_schema() {
    let good = eu_rule(
        "GR-AT-0001",
        "1.0.0",
        "2026-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z",
        json!({"===": [1, 1]}),
    );
    assert!(RuleSet::from_value(&good).is_ok());
    for (field, value, why) in [
        ("Identifier", json!("XR-AT-0001"), "identifier"),
        ("Type", json!("Other"), "type"),
        ("Country", json!("at"), "country"),
        ("Version", json!("1.0"), "version"),
        ("CertificateType", json!("Light"), "certificate type"),
        ("ValidFrom", json!("2026-01-01"), "ValidFrom"),
        (
            "Description",
            json!([{"lang": "de", "desc": "nur eine deutsche Beschreibung"}]),
            "English",
        ),
        (
            "Description",
            json!([{"lang": "en", "desc": "too short"}]),
            "20 characters",
        ),
        ("Logic", json!({}), "logic"),
        ("AffectedFields", json!("dob"), "affected"),
    ] {
        let mut r = good.clone();
        r[field] = value;
        let e = RuleSet::from_value(&r).unwrap_err().to_string();
        assert!(e.contains(why), "{field}: {e}");
    }
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("Engine");
    assert!(RuleSet::from_value(&missing).is_err());
    assert!(RuleSet::from_json("not json").is_err());
    assert!(RuleSet::from_json(&" ".repeat(9 << 20)).is_err());
}

/// Hostile rules: deep nesting, a huge `reduce`, bad types — errors, never
/// panics, within the bounds.
#[test]
fn hostile_expressions_give_errors() {
    // Deeper than allowed: refused at compile time.
    let mut deep = json!(true);
    for _ in 0..200 {
        deep = json!({"!": [deep]});
    }
    assert!(Expression::compile(&deep).is_err());
    assert!(!healthpass::rules::validate(&deep).is_empty());
    // (serde_json refuses text nested deeper than 128 levels, so a rule file
    // cannot even carry such an expression.)
    let text = format!("{}true{}", "{\"!\":[".repeat(200), "]}".repeat(200));
    assert!(RuleSet::from_json(&text).is_err());
    // reduce over a long array, nested: stopped by the step budget.
    let big: Vec<u32> = (0..5000).collect();
    let nested = json!({"reduce": [{"var": "a"}, {"reduce": [{"var": "current.x"}, {"+": [{"var": "accumulator"}, 1]}, 0]}, 0]});
    let data = json!({"a": big.iter().map(|_| json!({"x": big})).take(100).collect::<Vec<_>>()});
    let e = Expression::compile(&nested)
        .unwrap()
        .evaluate(&data)
        .unwrap_err();
    assert!(e.to_string().contains("steps"), "{e}");
    let long: Vec<u32> = (0..20_000).collect();
    let e = Expression::compile(&json!({"reduce": [{"var": "a"}, true, 0]}))
        .unwrap()
        .evaluate(&json!({"a": long}))
        .unwrap_err();
    assert!(e.to_string().contains("longer"), "{e}");
    // Type errors are errors.
    for (expr, data) in [
        (json!({"+": ["1", 2]}), json!({})),
        (json!({"<": [{"var": "x"}, 2]}), json!({"x": 1.5})),
        (json!({"after": [1, 2]}), json!({})),
        (json!({"in": [1, "abc"]}), json!({})),
        (
            json!({"if": [{"plusTime": ["2021-01-01", 0, "day"]}, 1, 2]}),
            json!({}),
        ),
        (
            json!({"plusTime": [{"var": "x"}, 1, "day"]}),
            json!({"x": "not a date"}),
        ),
        (
            json!({"dccDateOfBirth": [{"var": "x"}]}),
            json!({"x": 1990}),
        ),
        (json!({"extractFromUVCI": [1, 0]}), json!({})),
        (json!({"unknownOp": [1]}), json!({})),
        (json!(null), json!({})),
        (json!(1.5), json!({})),
    ] {
        let r = Expression::compile(&expr).unwrap().evaluate(&data);
        assert!(r.is_err(), "{expr}: {r:?}");
    }
}

/// Issue 22.3: a rule reusing another rule's identifier never takes its
/// place: an identifier names its country, one identifier and version
/// come once, and versions compete only within one rule (identifier, type,
/// certificate type, country, region).
#[test]
fn a_rule_never_displaces_another_by_reusing_its_identifier() {
    let yes = json!({"===": [1, 1]});
    let no = json!({"===": [1, 2]});
    let from = "2026-01-01T00:00:00Z";
    let to = "2030-01-01T00:00:00Z";
    let de = eu_rule("GR-DE-0001", "1.0.0", from, to, no.clone());
    // An AT invalidation rule that reuses DE's identifier: refused on load.
    let mut at_shadow = eu_rule("GR-DE-0001", "9.0.0", from, to, yes.clone());
    at_shadow["Country"] = json!("AT");
    at_shadow["Type"] = json!("Invalidation");
    let e = RuleSet::from_value(&json!([de.clone(), at_shadow]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("names another country"), "{e}");
    // The same identifier and version twice: which applies would depend on
    // the order; refused.
    let mut twin = de.clone();
    twin["Logic"] = yes.clone();
    let e = RuleSet::from_value(&json!([de.clone(), twin]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("given twice"), "{e}");
    // A higher version of the same identifier that is a regional rule, an
    // invalidation rule, or a rule of another certificate type leaves the
    // national acceptance rule in force (both apply).
    let mut regional = eu_rule("GR-DE-0001", "9.0.0", from, to, yes.clone());
    regional["Region"] = json!("BY");
    let mut invalidation = eu_rule("GR-DE-0001", "9.1.0", from, to, yes.clone());
    invalidation["Type"] = json!("Invalidation");
    let mut vaccination_only = eu_rule("GR-DE-0001", "9.2.0", from, to, yes.clone());
    vaccination_only["CertificateType"] = json!("Vaccination");
    let set = RuleSet::from_value(&json!([de, regional, invalidation, vaccination_only])).unwrap();
    let fresh = vaccination("2026-10-01", 2, 2);
    for policy in [
        Policy::new().country("DE"),
        Policy::new().country("DE").region("BY"),
    ] {
        let v = verdict(&set, &policy, &fresh, t(NOW));
        assert!(!v.is_valid(), "{policy:?}");
        let failed: Vec<_> = v
            .admission()
            .unwrap()
            .failed_rules()
            .iter()
            .map(|f| f.identifier.clone())
            .collect();
        assert_eq!(failed, ["GR-DE-0001"], "{policy:?}");
    }
    // A newer version of the very same rule still replaces the older one.
    let newer = eu_rule("GR-DE-0001", "2.0.0", from, to, yes);
    let set = RuleSet::from_value(&json!([
        eu_rule("GR-DE-0001", "1.0.0", from, to, no),
        newer
    ]))
    .unwrap();
    assert!(verdict(&set, &Policy::new().country("DE"), &fresh, t(NOW)).is_valid());
}
