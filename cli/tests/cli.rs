//! The command line's contract: arguments, exit codes, JSON fields.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `verify --trust demo/trust.pem --at AT --json INPUT`.
fn verify_json(at: &str, input: &str) -> Output {
    run(&[
        "verify",
        "--trust",
        "demo/trust.pem",
        "--at",
        at,
        "--json",
        input,
    ])
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn valid_demo_pass_exits_0_with_holder() {
    let out = verify_json("2030-01-01T00:00:00Z", "@demo/valid.txt");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["error_kind"], serde_json::Value::Null);
    assert_eq!(v["holder"]["date_of_birth"], "1964-08-12");
    assert_eq!(v["holder"]["family_name_std"], "MUSTERFRAU<GOESSINGER");
    assert_eq!(v["valid_until"], "2036-11-25T00:00:00Z");
    // nothing medical in the verdict
    let text = String::from_utf8(out.stdout).unwrap();
    for medical in ["840539006", "EU/1/20/1528", "\"v\"", "dn", "vaccin"] {
        assert!(!text.contains(medical), "{medical} leaked: {text}");
    }
}

#[test]
fn rejected_passes_exit_1_with_their_class() {
    for (file, kind) in [
        ("@demo/expired.txt", "expired"),
        ("@demo/tampered.txt", "bad_signature"),
        ("HC1:NOT-A-PASS", "malformed"),
        ("no prefix at all", "malformed"),
    ] {
        let out = verify_json("2030-01-01T00:00:00Z", file);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let v = json(&out);
        assert_eq!(v["valid"], false);
        assert_eq!(v["error_kind"], kind, "{file}");
        assert_eq!(v["holder"], serde_json::Value::Null);
    }
    let early = verify_json("2026-01-01T00:00:00Z", "@demo/valid.txt");
    assert_eq!(early.status.code(), Some(1));
    assert_eq!(json(&early)["error_kind"], "untrusted"); // before the demo certificate's validity
}

#[test]
fn corpus_pass_against_its_certificate() {
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/dgc-testdata/common/2DCode/raw/CO3.json"))
            .unwrap(),
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("healthpass-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("co3.b64");
    std::fs::write(&cert, case["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    let out = run(&[
        "verify",
        "--trust",
        cert.to_str().unwrap(),
        "--at",
        "2021-05-03T18:00:00Z",
        case["PREFIX"].as_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn usage_errors_exit_2() {
    // no --trust: never trusts anything by default
    assert_eq!(run(&["verify", "@demo/valid.txt"]).status.code(), Some(2));
    // unreadable or bad trust file
    assert_eq!(
        run(&["verify", "--trust", "no/such/file", "@demo/valid.txt"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["verify", "--trust", "README.md", "@demo/valid.txt"])
            .status
            .code(),
        Some(2)
    );
    // bad flags and bad time
    assert_eq!(
        run(&["verify", "--bogus", "@demo/valid.txt"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&[
            "verify",
            "--trust",
            "demo/trust.pem",
            "--at",
            "yesterday",
            "@demo/valid.txt"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(&["verify", "--trust", "demo/trust.pem", "@no/such/input"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn stdin_input() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(root())
        .args([
            "verify",
            "--trust",
            "demo/trust.pem",
            "--at",
            "2030-01-01T00:00:00Z",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(root().join("demo/valid-test.txt")).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("valid: John Doe"));
}

#[test]
fn inspect_is_labelled_unverified() {
    let out = run(&["inspect", "@demo/tampered.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["unverified"], true);
    assert_eq!(v["payload"]["dob"], "1994-08-12");
    assert_eq!(v["claims"]["iss"], "XX");
    assert_eq!(run(&["inspect", "HC1:???"]).status.code(), Some(1));
}
