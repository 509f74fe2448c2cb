//! The official suites of the rules engine, in full:
//! - the CertLogic test suite (tests/data/certlogic/testSuite): every
//!   assertion the reference runs (it skips `patched-reduce.json` and the
//!   assertions marked `skip`);
//! - the CertLogic validation test suite: the issues of every case;
//! - the business-rule tests (tests/data/dgc-business-rules-testdata): every
//!   test of every rule, on `{payload, external}` as the test gives them,
//!   each rule read from its `rule.json` as a rule set (schema checks and
//!   all). The NL rule GR-NL-0002's tests keep the value sets directly under
//!   `external`, and one has no payload: both as given.
//!
//! Each prints its tally; any disagreement fails.

#[macro_use]
mod tally;

use std::path::{Path, PathBuf};

use healthpass::rules::{self, Expression, RuleSet};
use serde_json::Value as Json;

fn data(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir)
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

fn read(p: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn certlogic_test_suite() {
    let (mut agreed, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for file in json_files(&data("certlogic/testSuite")) {
        let suite = read(&file);
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let suite_skipped = suite["directive"] == "skip";
        for case in suite["cases"].as_array().unwrap() {
            let case_skipped = suite_skipped || case["directive"] == "skip";
            for (i, a) in case["assertions"].as_array().unwrap().iter().enumerate() {
                if case_skipped || a["directive"] == "skip" {
                    skipped += 1;
                    continue;
                }
                let expr_json = a
                    .get("certLogicExpression")
                    .unwrap_or(&case["certLogicExpression"]);
                let got = Expression::compile(expr_json)
                    .map_err(|e| e.to_string())
                    .and_then(|e| e.evaluate(&a["data"]).map_err(|e| e.to_string()))
                    .map(|v| v.to_json());
                if got.as_ref() == Ok(&a["expected"]) {
                    agreed += 1;
                } else {
                    failures.push(format!(
                        "{name} / {} / #{}: {} — got {got:?}, expected {}",
                        case["name"].as_str().unwrap_or("?"),
                        i + 1,
                        a["message"].as_str().unwrap_or(""),
                        a["expected"]
                    ));
                }
            }
        }
    }
    tally!("certlogic test suite: {agreed} assertions agree, {skipped} skipped as the reference skips them, {} differ", failures.len());
    for f in &failures {
        tally!("DIFFERS {f}");
    }
    assert!(failures.is_empty());
    assert_eq!(agreed, 218);
}

#[test]
fn certlogic_validation_suite() {
    let mut agreed = 0;
    let mut failures = Vec::new();
    for file in json_files(&data("certlogic/validation-testSuite")) {
        let suite = read(&file);
        for case in suite["cases"].as_array().unwrap() {
            let issues: Vec<Json> = rules::validate(&case["certLogicExpression"])
                .into_iter()
                .map(|i| serde_json::json!({"expr": i.expr, "message": i.message}))
                .collect();
            if Json::Array(issues.clone()) == case["issues"] {
                agreed += 1;
            } else {
                failures.push(format!(
                    "{}: got {issues:?}, expected {}",
                    case["certLogicExpression"], case["issues"]
                ));
            }
        }
    }
    tally!(
        "certlogic validation suite: {agreed} cases agree, {} differ",
        failures.len()
    );
    for f in &failures {
        tally!("DIFFERS {f}");
    }
    assert!(failures.is_empty());
    assert_eq!(agreed, 23);
}

#[test]
fn business_rule_tests() {
    let root = data("dgc-business-rules-testdata");
    let (mut rules, mut agreed) = (0, 0);
    let mut failures = Vec::new();
    let mut countries: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    countries.sort();
    for country in countries {
        let mut rule_dirs: Vec<PathBuf> = std::fs::read_dir(&country)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("rule.json").is_file())
            .collect();
        rule_dirs.sort();
        for dir in rule_dirs {
            rules += 1;
            let text = std::fs::read_to_string(dir.join("rule.json")).unwrap();
            let set = match RuleSet::from_json(&text) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(format!("{}: refused: {e}", dir.display()));
                    continue;
                }
            };
            let rule = &set.rules()[0];
            assert!(
                rule.issues().is_empty(),
                "{}: {:?}",
                rule.identifier(),
                rule.issues()
            );
            for test in json_files(&dir.join("tests")) {
                let t = read(&test);
                let mut context = serde_json::Map::new();
                if let Some(p) = t.get("payload") {
                    context.insert("payload".into(), p.clone());
                }
                context.insert("external".into(), t["external"].clone());
                let got = rule
                    .logic()
                    .evaluate(&Json::Object(context))
                    .map(|v| v.to_json());
                if got.as_ref() == Ok(&t["expected"]) {
                    agreed += 1;
                } else {
                    failures.push(format!(
                        "{} {}: got {got:?}, expected {}",
                        rule.identifier(),
                        test.file_name().unwrap().to_string_lossy(),
                        t["expected"]
                    ));
                }
            }
        }
    }
    tally!(
        "business rules: {rules} rules, {agreed} tests agree, {} differ",
        failures.len()
    );
    for f in &failures {
        tally!("DIFFERS {f}");
    }
    assert!(failures.is_empty());
    assert_eq!((rules, agreed), (194, 1364));
}
