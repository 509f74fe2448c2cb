//! Hard to fool, round two (issue 22), from outside: each attack as the
//! command line met it, with the exit status and words it gives now.

mod common;

use common::{json, run, stdout, tmp_dir, verify_with};
use serde_json::json;

const KEY: &str = "demo/TEST-ONLY-key.pem";
const CERT: &str = "demo/trust.pem";

fn payload(group: &str, entry: serde_json::Value) -> serde_json::Value {
    json!({"ver": "1.3.0", "nam": {"fn": "Muster", "fnt": "MUSTER", "gn": "Max", "gnt": "MAX"},
           "dob": "1980-02-03", group: [entry]})
}

fn vaccination(dt: &str) -> serde_json::Value {
    payload(
        "v",
        json!({"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
               "dn": 2, "sd": 2, "dt": dt, "co": "AT", "is": "CLI", "ci": "URN:UVCI:01:AT:R2"}),
    )
}

fn test_result(sc: &str) -> serde_json::Value {
    payload(
        "t",
        json!({"tg": "840539006", "tt": "LP6464-4", "sc": sc, "tr": "260415000",
               "co": "AT", "is": "CLI", "ci": "URN:UVCI:01:AT:R2T"}),
    )
}

/// `issue` of `payload` at `iat`: the output, as run.
fn issue(
    dir: &std::path::Path,
    name: &str,
    payload: &serde_json::Value,
    iat: &str,
) -> std::process::Output {
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, payload.to_string()).unwrap();
    run(&[
        "issue",
        "--key",
        KEY,
        "--cert",
        CERT,
        "--payload",
        file.to_str().unwrap(),
        "--iat",
        iat,
        "--exp",
        "2030-01-01T00:00:00Z",
    ])
}

/// 22.2: `issue --light` under a policy refuses a source the policy does not
/// admit, and a light pass the policy would not admit; the presets refuse
/// light passes made from tests.
#[test]
fn light_passes_under_a_policy() {
    let dir = tmp_dir("attacks-light");
    let pass = |name: &str, p: &serde_json::Value, iat: &str| {
        let out = issue(&dir, name, p, iat);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = dir.join(format!("{name}.txt"));
        std::fs::write(&file, stdout(&out)).unwrap();
        format!("@{}", file.to_str().unwrap())
    };
    let old = pass("old", &vaccination("2026-05-01"), "2026-11-26T00:00:00Z");
    let fresh = pass("fresh", &vaccination("2026-10-01"), "2026-11-26T00:00:00Z");
    let test = pass(
        "test",
        &test_result("2026-11-30T08:00:00Z"),
        "2026-11-30T09:00:00Z",
    );
    let light = |from: &str, policy: &[&str]| {
        let mut args = vec![
            "issue",
            "--key",
            KEY,
            "--cert",
            CERT,
            "--light",
            "--from",
            from,
            "--trust",
            CERT,
            "--iat",
            "2026-11-30T12:00:00Z",
        ];
        args.extend_from_slice(policy);
        run(&args)
    };
    let vre = ["--preset", "vaccinated-recovered-exempt"];
    for source in [&old, &test] {
        let out = light(source, &vre);
        assert_eq!(out.status.code(), Some(1), "{source}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("the source is not admitted under the policy"),
            "{err}"
        );
        assert!(err.contains("the source: refused"), "{err}");
    }
    let out = light(&test, &["--preset", "3g"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("the policy does not admit a light pass made from this source"));
    // Admitted: the light pass, and it passes the same gate.
    let out = light(&fresh, &vre);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_fresh = stdout(&out).trim().to_owned();
    assert!(from_fresh.starts_with("LT1:"));
    let out = verify_with(
        &["--preset", "vaccinated-recovered-exempt", "--json"],
        &from_fresh,
    );
    assert_eq!(json(&out)["valid"], true);
    // Without a policy a light pass is made from the test; the presets
    // refuse it at the gate.
    let out = light(&test, &[]);
    assert_eq!(out.status.code(), Some(0));
    let from_test = stdout(&out).trim().to_owned();
    for preset in ["3g", "vaccinated-recovered-exempt"] {
        let out = verify_with(&["--preset", preset, "--json"], &from_test);
        assert_eq!(out.status.code(), Some(1), "{preset}");
        let v = json(&out);
        assert_eq!(v["error_kind"], "rejected_by_rules", "{preset}");
        assert_eq!(v["admission"]["mode_result"], "INVALID", "{preset}");
    }
}

fn eu_rule(id: &str, country: &str, version: &str, logic: serde_json::Value) -> serde_json::Value {
    json!({
        "Identifier": id, "Type": "Acceptance", "Country": country, "Version": version,
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0",
        "CertificateType": "General",
        "Description": [{"lang": "en", "desc": format!("rule {id} for the command line test")}],
        "ValidFrom": "2026-01-01T00:00:00Z", "ValidTo": "2030-01-01T00:00:00Z",
        "AffectedFields": ["dob"], "Logic": logic,
    })
}

/// 22.3, 22.7, 22.8: rule files that shadow another country's rule are
/// refused; engine bombs and out-of-range dates fail closed, in time.
#[test]
fn hostile_rule_files() {
    let dir = tmp_dir("attacks-rules");
    let write = |name: &str, v: &serde_json::Value| {
        let f = dir.join(name);
        std::fs::write(&f, v.to_string()).unwrap();
        f.to_str().unwrap().to_owned()
    };
    let no = json!({"===": [1, 2]});
    let mut shadow = eu_rule("GR-DE-0001", "AT", "9.0.0", json!({"===": [1, 1]}));
    shadow["Type"] = json!("Invalidation");
    let file = write(
        "shadow.json",
        &json!([eu_rule("GR-DE-0001", "DE", "1.0.0", no), shadow]),
    );
    let out = verify_with(&["--rules", &file, "--country", "DE"], "@demo/valid.txt");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names another country"));

    let far = json!({"before": [{"plusTime": ["2021-06-01", 9_000_000_000_000_000_000i64, "month"]},
                                {"plusTime": ["2021-06-01", 0, "day"]}]});
    let file = write("far.json", &eu_rule("GR-DE-0002", "DE", "1.0.0", far));
    let out = verify_with(
        &["--rules", &file, "--country", "DE", "--json"],
        "@demo/valid.txt",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json(&out)["admission"]["failed_rules"],
        json!(["GR-DE-0002"])
    );

    let nums: Vec<u32> = (0..10_000).collect();
    let nesting = json!({"reduce": [nums, {"var": ""}, 0]});
    let set = json!({"rules": [], "modeRules": {
        "activeModes": [{"id": "m", "displayName": "M"}], "logic": nesting}});
    let file = write("nesting.json", &set);
    let out = verify_with(&["--rules", &file, "--json"], "@demo/valid.txt");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error_kind"], "rejected_by_rules");
}

/// 22.4 and 22.14: `issue` refuses a payload that would speak for the
/// verifier (`h`), and one no issuer means to sign.
#[test]
fn issue_refuses_implausible_payloads() {
    let dir = tmp_dir("attacks-issue");
    let mut with_h = test_result("2026-11-30T08:00:00Z");
    with_h["h"] = json!({"isLight": true});
    let mut dn = vaccination("2026-10-01");
    dn["v"][0]["dn"] = json!(1e300);
    let mut ver = vaccination("2026-10-01");
    ver["ver"] = json!("9.9.9");
    for (name, p, why) in [
        ("h", with_h, "/h"),
        ("dn", dn, "dn and sd must be from 1 to 9"),
        (
            "dt",
            vaccination("2099-01-01"),
            "dated after the issue time",
        ),
        ("ver", ver, "ver is not a schema version"),
    ] {
        let out = issue(&dir, name, &p, "2026-11-30T09:00:00Z");
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{name}: {err}");
    }
}

/// 22.1: a WHO-signed list with a key appended under an id JSON-LD drops
/// is refused whole.
#[cfg(feature = "gdhcn")]
#[test]
fn a_gdhcn_list_with_an_uncovered_key_is_refused() {
    let dir = tmp_dir("attacks-gdhcn");
    let mut doc: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::root().join("tests/data/gdhcn/trustlists/dev-v2-XCL-DSC.did.json"))
            .unwrap(),
    )
    .unwrap();
    let mut key = doc["verificationMethod"][0].clone();
    key["id"] = json!("a/:DCC:XCL:DSC#injected");
    doc["verificationMethod"].as_array_mut().unwrap().push(key);
    let list = dir.join("list.json");
    std::fs::write(&list, doc.to_string()).unwrap();
    let out = run(&[
        "trust",
        "gdhcn",
        "--list",
        list.to_str().unwrap(),
        "--signer",
        "tests/data/gdhcn/signers/who-signing-dev.did.json",
        "--out",
        dir.join("out.pem").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not covered by the proof"));
}

/// 22.6: rules were never authenticated. `rules build` signs a rule file;
/// with --rules-anchor, only a rule set those certificates signed is
/// loaded, never an unsigned file, an older sequence or another signer's.
#[test]
fn signed_rule_sets() {
    let dir = tmp_dir("attacks-signed-rules");
    let signed = dir.join("2g.rules");
    let signed = signed.to_str().unwrap();
    let anchor = "tests/data/chains/dsc-p384.pem";
    let out = run(&[
        "rules",
        "build",
        "--in",
        "src/rules/presets/2g.json",
        "--out",
        signed,
        "--sign",
        "tests/data/chains/dsc-p384.key.pem",
        "--cert",
        anchor,
        "--list-id",
        "gate",
        "--sequence",
        "2",
        "--iat",
        "2026-11-30T00:00:00Z",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("9 rules and scan modes, sequence 2"));
    let out = verify_with(
        &["--rules", signed, "--rules-anchor", anchor, "--json"],
        "@demo/valid.txt",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["admission"]["mode_result"], "SUCCESS");
    let out = verify_with(
        &["--rules", signed, "--rules-anchor", anchor, "--json"],
        "@demo/valid-test.txt",
    );
    assert_eq!(json(&out)["error_kind"], "rejected_by_rules");
    for (extra, why) in [
        (
            vec![
                "--rules",
                "src/rules/presets/2g.json",
                "--rules-anchor",
                anchor,
            ],
            "rules",
        ),
        (vec!["--rules", signed], "needs --rules-anchor"),
        (
            vec!["--rules", signed, "--rules-anchor", "demo/trust.pem"],
            "rules",
        ),
        (
            vec![
                "--rules",
                signed,
                "--rules-anchor",
                anchor,
                "--min-rules-sequence",
                "3",
            ],
            "older than the last one accepted",
        ),
    ] {
        let out = verify_with(&extra, "@demo/valid.txt");
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{extra:?}: {err}");
    }
    // Past its validity the set admits nobody.
    let out = run(&[
        "verify",
        "--trust",
        "demo/trust.pem",
        "--at",
        "2026-12-08T00:00:00Z",
        "--rules",
        signed,
        "--rules-anchor",
        anchor,
        "--json",
        "@demo/valid.txt",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error_kind"], "rejected_by_rules");
}
