//! The command line's contract: arguments, exit codes, JSON fields.

mod common;

use common::{json, root, run, stdout, tmp_dir, verify_json, verify_with};
use std::process::{Command, Stdio};

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
        ("no prefix at all", "unsupported"),
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

const PAYLOAD: &str = r#"{"ver":"1.3.0","nam":{"fn":"Muster","fnt":"MUSTER","gn":"Max","gnt":"MAX"},
 "dob":"1980-02-03","t":[{"tg":"840539006","tt":"LP6464-4","sc":"2026-11-24T07:30:00Z",
 "tr":"260415000","co":"AT","is":"CLI test","ci":"URN:UVCI:01:AT:CLI/0001"}]}"#;

#[test]
fn keygen_issue_light_qr_and_verify() {
    for alg in ["es256", "ps256"] {
        let dir = tmp_dir(alg);
        let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
        let out = run(&[
            "keygen",
            "--alg",
            alg,
            "--country",
            "AT",
            "--out",
            &d("signer"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (key, cert) = (d("signer/key.pem"), d("signer/cert.pem"));
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "key.pem readable by others");
        }
        std::fs::write(d("p.json"), PAYLOAD).unwrap();

        // issue: the pass text on stdout and nothing else
        let out = run(&[
            "issue",
            "--key",
            &key,
            "--cert",
            &cert,
            "--payload",
            &d("p.json"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = stdout(&out);
        assert!(text.starts_with("HC1:") && text.ends_with('\n') && text.lines().count() == 1);
        std::fs::write(d("p.txt"), &text).unwrap();
        let out = run(&[
            "verify",
            "--trust",
            &cert,
            "--json",
            &format!("@{}", d("p.txt")),
        ]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(json(&out)["form"], "full");

        // light pass from it
        let out = run(&[
            "issue",
            "--key",
            &key,
            "--cert",
            &cert,
            "--light",
            "--from",
            &format!("@{}", d("p.txt")),
            "--trust",
            &cert,
            "--valid-for",
            "30m",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let light = stdout(&out);
        assert!(light.starts_with("LT1:"));
        let out = run(&["verify", "--trust", &cert, "--json", light.trim()]);
        assert_eq!(out.status.code(), Some(0));
        let v = json(&out);
        assert_eq!(v["form"], "light");
        assert_eq!(v["holder"]["date_of_birth"], "1980-02-03");

        // QR: PNG and SVG; verify --image reads the PNG back
        let out = run(&["qr", &format!("@{}", d("p.txt")), "--out", &d("p.png")]);
        assert_eq!(out.status.code(), Some(0));
        let out = run(&["qr", light.trim(), "--out", &d("l.svg")]);
        assert_eq!(out.status.code(), Some(0));
        assert!(std::fs::read_to_string(d("l.svg"))
            .unwrap()
            .contains("<svg"));
        let out = run(&["verify", "--trust", &cert, "--json", "--image", &d("p.png")]);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        assert_eq!(json(&out)["holder"]["given_name_std"], "MAX");
        // an image with no code in it is a rejected pass
        let out = run(&["verify", "--trust", &cert, "--json", "--image", &d("l.svg")]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(json(&out)["error_kind"], "malformed");
    }
}

#[test]
fn issuing_refusals_and_usage() {
    let dir = tmp_dir("refusals");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let out = run(&[
        "keygen",
        "--alg",
        "es256",
        "--country",
        "AT",
        "--out",
        &d("s"),
        "--kinds",
        "v,r",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (key, cert) = (d("s/key.pem"), d("s/cert.pem"));
    std::fs::write(d("t.json"), PAYLOAD).unwrap();
    // a vaccination/recovery signer may not sign a test: refused, exit 1
    let out = run(&[
        "issue",
        "--key",
        &key,
        "--cert",
        &cert,
        "--payload",
        &d("t.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("may not sign this kind"));
    // a payload that breaks the schema: refused with the violations
    std::fs::write(
        d("bad.json"),
        PAYLOAD.replace("\"dob\":\"1980-02-03\",", ""),
    )
    .unwrap();
    let (key2, cert2) = ("demo/TEST-ONLY-key.pem", "demo/trust.pem");
    let out = run(&[
        "issue",
        "--key",
        key2,
        "--cert",
        cert2,
        "--payload",
        &d("bad.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/dob: required"));
    // usage errors: exit 2
    for args in [
        vec!["keygen", "--alg", "es384", "--country", "AT", "--out", "x"],
        vec![
            "keygen",
            "--alg",
            "es256",
            "--country",
            "AT",
            "--out",
            "x",
            "--kinds",
            "q",
        ],
        vec![
            "keygen",
            "--alg",
            "es256",
            "--country",
            "Austria",
            "--out",
            &d("y"),
        ],
        vec!["issue", "--key", key2, "--cert", cert2],
        vec![
            "issue",
            "--key",
            key2,
            "--cert",
            &cert,
            "--payload",
            &d("t.json"),
        ],
        vec![
            "issue",
            "--key",
            key2,
            "--cert",
            cert2,
            "--light",
            "--from",
            "@demo/valid.txt",
        ],
        vec![
            "issue",
            "--key",
            key2,
            "--cert",
            cert2,
            "--light",
            "--from",
            "@demo/valid.txt",
            "--trust",
            cert2,
            "--valid-for",
            "soon",
        ],
        vec!["qr", "@demo/valid.txt", "--out", &d("q.gif")],
        vec!["verify", "--trust", cert2],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `revocation build` into `out`, signed by the demo signer unless
/// `unsigned`; extra arguments appended.
fn build_list(input: &str, out: &str, hash_type: &str, unsigned: bool, extra: &[&str]) {
    let mut args = vec![
        "revocation",
        "build",
        "--hash-type",
        hash_type,
        "--in",
        input,
        "--out",
        out,
    ];
    if !unsigned {
        args.extend([
            "--sign",
            "demo/TEST-ONLY-key.pem",
            "--cert",
            "demo/trust.pem",
        ]);
    }
    args.extend(extra);
    // A fixed issue time: the tests verify at fixed times, never the clock's.
    if !extra.contains(&"--iat") {
        args.extend(["--iat", "2026-11-28T00:00:00Z"]);
    }
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn revocation_build_check_and_verify() {
    let dir = tmp_dir("revocation");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let valid = std::fs::read_to_string(root().join("demo/valid.txt")).unwrap();
    std::fs::write(
        d("in.txt"),
        format!("# sold passes\n{valid}\n00112233445566778899aabbccddeeff\n"),
    )
    .unwrap();
    // The lists are signed by the demo signer here, and given as
    // --revocation-trust: list anchors are never taken from --trust.
    for (hash_type, country) in [
        ("uci", "co"),
        ("cc-uci", "co"),
        ("cc-uci", "iss"),
        ("signature", "co"),
    ] {
        let unsigned = d(&format!("{hash_type}-{country}.list"));
        let signed = d(&format!("{hash_type}-{country}.signed"));
        let extra = ["--country-from", country];
        build_list(&d("in.txt"), &unsigned, hash_type, true, &extra);
        build_list(&d("in.txt"), &signed, hash_type, false, &extra);
        for (list, trust) in [
            (&unsigned, vec!["--allow-unsigned-list"]),
            (&signed, vec!["--trust", "demo/trust.pem"]),
        ] {
            // The lists are issued at 2026-11-28 for 7 days: checked at a
            // fixed time inside that window, never at the clock's.
            let mut args = vec![
                "revocation",
                "check",
                "--at",
                "2026-11-29T00:00:00Z",
                "--list",
                list.as_str(),
            ];
            args.extend(&trust);
            let revoked = run(&[args.as_slice(), &["@demo/valid.txt"]].concat());
            assert_eq!(
                (revoked.status.code(), stdout(&revoked).trim()),
                (Some(1), "revoked"),
                "{hash_type} {country}"
            );
            // The light pass made from demo/valid.txt carries its hashes.
            let light = run(&[args.as_slice(), &["@demo/light.txt"]].concat());
            assert_eq!(
                (light.status.code(), stdout(&light).trim()),
                (Some(1), "revoked"),
                "{hash_type} {country}: light"
            );
            let fine = run(&[args.as_slice(), &["@demo/valid-test.txt"]].concat());
            assert_eq!(
                (fine.status.code(), stdout(&fine).trim()),
                (Some(0), "not revoked")
            );
            // A pass that does not decode: exit 1, as in inspect.
            let bad = run(&[args.as_slice(), &["HC1:XYZ"]].concat());
            assert_eq!(bad.status.code(), Some(1));
            // After its validity the list vouches for nothing: fail closed.
            let mut late = args.clone();
            late[3] = "2026-12-06T00:00:00Z";
            let stale = run(&[late.as_slice(), &["@demo/valid-test.txt"]].concat());
            assert_eq!(
                (stale.status.code(), stdout(&stale).trim()),
                (Some(1), "untrusted: the revocation list has expired")
            );
        }
        let verify = |list: &str, input: &str, extra: &[&str]| {
            let mut args = vec![
                "verify",
                "--trust",
                "demo/trust.pem",
                "--at",
                "2026-11-29T00:00:00Z",
                "--json",
                "--revocation",
                list,
            ];
            args.extend(extra);
            args.push(input);
            run(&args)
        };
        let anchors = ["--revocation-trust", "demo/trust.pem"];
        let out = verify(&signed, "@demo/valid.txt", &anchors);
        assert_eq!(out.status.code(), Some(1), "{hash_type} {country}");
        let v = json(&out);
        assert_eq!(v["error_kind"], "revoked");
        assert_eq!(v["holder"], serde_json::Value::Null);
        // 16.1: the light pass of a revoked pass is revoked too.
        let out = verify(&signed, "@demo/light.txt", &anchors);
        assert_eq!(
            json(&out)["error_kind"],
            "revoked",
            "{hash_type} {country}: light"
        );
        assert_eq!(
            verify(&signed, "@demo/valid-test.txt", &anchors)
                .status
                .code(),
            Some(0)
        );
        // 16.2: an unsigned list only with the explicit opt-in.
        assert_eq!(
            verify(&unsigned, "@demo/valid.txt", &anchors).status.code(),
            Some(2)
        );
        let out = verify(&unsigned, "@demo/valid.txt", &["--allow-unsigned-list"]);
        assert_eq!(json(&out)["error_kind"], "revoked");
        // 16.3: no default anchors: --revocation alone is a usage error.
        let out = verify(&signed, "@demo/valid-test.txt", &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--revocation-trust"));
    }
    // 16.3: a list signed by a pass signer does not verify against other
    // list anchors (usage error: the list is refused).
    let other = d("other");
    assert_eq!(
        run(&[
            "keygen",
            "--alg",
            "es256",
            "--country",
            "XX",
            "--out",
            &other
        ])
        .status
        .code(),
        Some(0)
    );
    let out = run(&[
        "verify",
        "--trust",
        "demo/trust.pem",
        "--revocation",
        &d("uci-co.signed"),
        "--revocation-trust",
        &format!("{other}/cert.pem"),
        "@demo/valid.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // 16.5: replay protection with the last sequence accepted.
    let base = [
        "verify",
        "--trust",
        "demo/trust.pem",
        "--revocation",
        &d("uci-co.signed"),
        "--revocation-trust",
        "demo/trust.pem",
        "--at",
        "2026-11-29T00:00:00Z",
    ];
    let out = run(&[&base[..], &["--min-sequence", "2", "@demo/valid-test.txt"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("older than the last one accepted"));
    let out = run(&[&base[..], &["--min-sequence", "1", "@demo/valid-test.txt"]].concat());
    assert_eq!(out.status.code(), Some(0));
    // A list whose issue time is after the verification time is refused.
    let out = run(&[
        "verify",
        "--trust",
        "demo/trust.pem",
        "--revocation",
        &d("uci-co.signed"),
        "--revocation-trust",
        "demo/trust.pem",
        "--at",
        "2026-11-26T00:00:00Z",
        "@demo/valid-test.txt",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // An expired list: every pass is untrusted (exit 1), as in C and JS.
    let out = run(&[
        "verify",
        "--trust",
        "demo/trust.pem",
        "--revocation",
        &d("uci-co.signed"),
        "--revocation-trust",
        "demo/trust.pem",
        "--at",
        "2030-01-01T00:00:00Z",
        "--json",
        "@demo/valid-test.txt",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error_kind"], "untrusted");
    // Bad input lines: usage error.
    std::fs::write(d("bad.txt"), "not a hash\n").unwrap();
    let out = run(&[
        "revocation",
        "build",
        "--hash-type",
        "uci",
        "--in",
        &d("bad.txt"),
        "--out",
        &d("x"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "revocation",
        "build",
        "--hash-type",
        "sha1",
        "--in",
        &d("in.txt"),
        "--out",
        &d("x"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// 16.1: the command line refuses to make a light pass from a revoked pass,
/// and light passes live at most 7 days.
#[test]
fn light_passes_from_revoked_passes_are_refused() {
    let dir = tmp_dir("light-revoked");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let valid = std::fs::read_to_string(root().join("demo/valid.txt")).unwrap();
    std::fs::write(d("in.txt"), &valid).unwrap();
    build_list(&d("in.txt"), &d("l.signed"), "uci", false, &[]);
    let light = |source: &str, extra: &[&str]| {
        let mut args = vec![
            "issue",
            "--key",
            "demo/TEST-ONLY-key.pem",
            "--cert",
            "demo/trust.pem",
            "--light",
            "--from",
            source,
            "--trust",
            "demo/trust.pem",
            "--iat",
            "2026-11-29T00:00:00Z",
        ];
        args.extend(extra);
        run(&args)
    };
    let lists = [
        "--revocation",
        &d("l.signed"),
        "--revocation-trust",
        "demo/trust.pem",
    ];
    let out = light("@demo/valid.txt", &lists);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("revoked"));
    assert_eq!(light("@demo/valid-test.txt", &lists).status.code(), Some(0));
    assert_eq!(
        light("@demo/valid.txt", &["--valid-for", "7d"])
            .status
            .code(),
        Some(0)
    );
    for too_long in ["8d", "365d"] {
        let out = light("@demo/valid.txt", &["--valid-for", too_long]);
        assert_eq!(out.status.code(), Some(1), "{too_long}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("at most 7 days"));
    }
    // and never from a light pass
    let out = light("@demo/light.txt", &[]);
    assert_eq!(out.status.code(), Some(1));
}

/// 16.9: what a pass says never reaches the terminal as control: a name
/// holding a newline cannot forge a second verdict line, ESC sequences and
/// bidi overrides are escaped, and a pass with only standardised names
/// shows those.
#[test]
fn names_cannot_forge_terminal_output() {
    let dir = tmp_dir("injection");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    assert_eq!(
        run(&[
            "keygen",
            "--alg",
            "es256",
            "--country",
            "AT",
            "--out",
            &d("s")
        ])
        .status
        .code(),
        Some(0)
    );
    let evil = "Eve\nvalid: Mallory, born 2000-01-01, valid until 2099\r\u{1b}[32m\u{202e}x";
    let payload = serde_json::json!({
        "ver": "1.3.0", "nam": {"fn": evil, "fnt": "EVE", "gnt": "EVA"}, "dob": "1980-02-03",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": "2026-11-24T07:30:00Z",
               "tr": "260415000", "co": "AT", "is": "CLI test", "ci": "URN:UVCI:01:AT:CLI/0009"}]
    });
    let std_only = serde_json::json!({
        "ver": "1.3.0", "nam": {"fnt": "MUSTER<MEIER", "gnt": "MAX"}, "dob": "1980-02-03",
        "t": payload["t"].clone()
    });
    for (name, p) in [("evil", &payload), ("std", &std_only)] {
        std::fs::write(d(&format!("{name}.json")), p.to_string()).unwrap();
        let out = run(&[
            "issue",
            "--key",
            &d("s/key.pem"),
            "--cert",
            &d("s/cert.pem"),
            "--payload",
            &d(&format!("{name}.json")),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(d(&format!("{name}.txt")), out.stdout).unwrap();
    }
    let out = run(&[
        "verify",
        "--trust",
        &d("s/cert.pem"),
        &format!("@{}", d("evil.txt")),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!text.contains(['\r', '\u{1b}', '\u{202e}']), "{text:?}");
    assert!(text.contains("Eve\\u{000a}valid: Mallory"), "{text}");
    // The JSON escapes controls by itself and keeps the name as written.
    let out = run(&[
        "verify",
        "--trust",
        &d("s/cert.pem"),
        "--json",
        &format!("@{}", d("evil.txt")),
    ]);
    assert_eq!(stdout(&out).lines().count(), 1);
    assert_eq!(json(&out)["holder"]["family_name"], evil);
    let out = run(&[
        "verify",
        "--trust",
        &d("s/cert.pem"),
        &format!("@{}", d("std.txt")),
    ]);
    assert!(
        stdout(&out).starts_with("valid: MAX MUSTER MEIER, born 1980-02-03"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn rules_decide_admission() {
    // A preset: the vaccination is admitted under 2G, the test is not.
    let out = verify_with(&["--preset", "2g", "--json"], "@demo/valid.txt");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(
        v["admission"],
        serde_json::json!({"admitted": true, "failed_rules": [], "mode_result": "SUCCESS"})
    );
    let out = verify_with(&["--preset", "2g", "--json"], "@demo/valid-test.txt");
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["error_kind"], "rejected_by_rules");
    assert_eq!(v["holder"], serde_json::Value::Null);
    assert_eq!(v["admission"]["admitted"], false);
    assert_eq!(v["admission"]["mode_result"], "INVALID");
    // Under 3G the test is admitted (taken 2026-11-24: too old on 12-01,
    // so checked the day after it was taken).
    let out = run(&[
        "verify",
        "--trust",
        "demo/trust.pem",
        "--at",
        "2026-11-25T12:00:00Z",
        "--preset",
        "3g",
        "@demo/valid-test.txt",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // `--mode PRESET` alone is the preset, as `--preset PRESET`.
    let out = verify_with(&["--mode", "2g", "--json"], "@demo/valid-test.txt");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["admission"]["mode_result"], "INVALID");
    let out = verify_with(&["--mode", "2g", "--json"], "@demo/valid.txt");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["admission"]["mode_result"], "SUCCESS");
    // Without rules there is no admission key at all.
    let out = verify_with(&["--json"], "@demo/valid.txt");
    assert!(json(&out).get("admission").is_none());

    // EU rules from a file, for the country of arrival.
    let dir = tmp_dir("rules");
    let rules_dir = root().join("tests/data/dgc-business-rules-testdata/AT");
    let mut rules = Vec::new();
    for entry in std::fs::read_dir(rules_dir).unwrap() {
        let p = entry.unwrap().path().join("rule.json");
        if p.is_file() {
            rules.push(
                serde_json::from_slice::<serde_json::Value>(&std::fs::read(p).unwrap()).unwrap(),
            );
        }
    }
    let at_rules = dir.join("at.json");
    std::fs::write(&at_rules, serde_json::to_vec(&rules).unwrap()).unwrap();
    let at_rules = at_rules.to_str().unwrap();
    let out = verify_with(
        &["--rules", at_rules, "--country", "AT", "--json"],
        "@demo/valid.txt",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A country with no rules in the file: nothing decides, not admitted.
    let out = verify_with(&["--rules", at_rules, "--country", "DE"], "@demo/valid.txt");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("invalid rejected_by_rules: no rule applies"),
        "{}",
        stdout(&out)
    );
    // A light pass under AT's rules: refused, each failed rule on its line.
    let out = verify_with(&["--rules", at_rules, "--country", "AT"], "@demo/light.txt");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("invalid rejected_by_rules: refused by rules: "),
        "{text}"
    );
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.starts_with("  failed GR-AT-")),
        "{text}"
    );

    // A rule file's descriptions are escaped like names.
    let evil = serde_json::json!({
        "Identifier": "GR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5",
        "CertificateType": "General", "ValidFrom": "2026-01-01T00:00:00Z",
        "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": ["dob"],
        "Description": [{"lang": "en", "desc": "no\nvalid: forged\u{1b}[32m"}],
        "Logic": {"===": [1, 2]}
    });
    let evil_rules = dir.join("evil.json");
    std::fs::write(&evil_rules, serde_json::to_vec(&evil).unwrap()).unwrap();
    let out = verify_with(
        &["--rules", evil_rules.to_str().unwrap(), "--country", "XX"],
        "@demo/valid.txt",
    );
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

#[test]
fn rule_usage_errors_exit_2() {
    for extra in [
        &["--preset", "4g"][..],
        &["--preset", "2g", "--mode", "3g"],
        &["--country", "AT"],
        &["--mode", "4g"],
        &["--rules", "no/such/rules.json"],
        &["--rules", "README.md"],
        &["--rules", "demo/trust.pem"],
        &["--rules", "x.json", "--preset", "2g"],
    ] {
        let out = verify_with(extra, "@demo/valid.txt");
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(root())
        .args(["inspect", "@demo/valid.txt"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before the writer writes
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dvc_and_ddcc_passes_from_payload_files() {
    let dir = tmp_dir("family");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let out = run(&[
        "keygen",
        "--alg",
        "es256",
        "--country",
        "XX",
        "--out",
        &d("s"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (key, cert) = (d("s/key.pem"), d("s/cert.pem"));
    std::fs::write(
        d("dvc.json"),
        r#"{"dvc": {"n": "Aulo Agerio", "dob": "1990-08-23",
                    "v": {"dn": "Primary", "tg": "1D47", "vp": "XM0N24", "dt": "2026-01-01",
                          "vls": "2026-01-11", "vle": "2036-01-10"}}}"#,
    )
    .unwrap();
    // The member comes from the file; --no-exp as the GDHCN's DVC passes.
    let out = run(&[
        "issue",
        "--key",
        &key,
        "--cert",
        &cert,
        "--payload",
        &d("dvc.json"),
        "--no-exp",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(d("dvc.txt"), stdout(&out)).unwrap();
    let out = run(&["inspect", &format!("@{}", d("dvc.txt"))]);
    let inspected = json(&out);
    assert_eq!(inspected["member"], "dvc");
    assert_eq!(inspected["claims"]["exp"], serde_json::Value::Null);
    assert_eq!(inspected["payload"]["v"]["tg"], "1D47");
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", "--trust", &cert, "--json"];
        args.extend_from_slice(extra);
        let input = format!("@{}", d("dvc.txt"));
        args.push(&input);
        run(&args)
    };
    let out = verify(&[]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["form"], "dvc");
    assert_eq!(v["holder"]["name"], "Aulo Agerio");
    assert_eq!(v["valid_until"], "2036-01-10T23:59:59Z");
    // --require-exp refuses it, as malformed.
    let out = verify(&["--require-exp"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error_kind"], "malformed");
    // An EU DCC never goes without exp; an unknown member is a usage error.
    assert_eq!(
        verify(&["--accept-missing-exp", "eu-dcc"]).status.code(),
        Some(2)
    );
    assert_eq!(
        verify(&["--accept-missing-exp", "shc"]).status.code(),
        Some(2)
    );
    assert_eq!(
        verify(&["--accept-missing-exp", "ddcc-test"]).status.code(),
        Some(0)
    );
    // --no-exp is for a DVC only: refused (exit 1) for an EU DCC.
    std::fs::write(d("eu.json"), PAYLOAD).unwrap();
    let out = run(&[
        "issue",
        "--key",
        &key,
        "--cert",
        &cert,
        "--payload",
        &d("eu.json"),
        "--no-exp",
    ]);
    assert_eq!(out.status.code(), Some(1));
    // A DDCC:TR from a file, with exp.
    std::fs::write(
        d("tr.json"),
        r#"{"ddcc-test": {"name": "Jane Doe", "birthDate": "1990-04-01",
             "certificate": {"hcid": "H-1", "issuer": "XX-MOH", "version": "RC-2.0.0"},
             "test": {"pathogen": {"code": "840539006"}, "date": "2026-11-30T08:00:00Z",
                      "result": {"code": "260415000"}}}}"#,
    )
    .unwrap();
    let out = run(&[
        "issue",
        "--key",
        &key,
        "--cert",
        &cert,
        "--payload",
        &d("tr.json"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(d("tr.txt"), stdout(&out)).unwrap();
    let out = run(&[
        "verify",
        "--trust",
        &cert,
        "--json",
        &format!("@{}", d("tr.txt")),
    ]);
    assert_eq!(json(&out)["form"], "ddcc-test");
    // A DDCC without its certificate: refused with the field's path.
    std::fs::write(
        d("bad.json"),
        r#"{"ddcc-vaccination": {"name": "Jane Doe", "birthDate": "1990-04-01",
             "vaccination": {"vaccine": {"code": "XM68M6"}, "date": "2026-01-01", "dose": 1}}}"#,
    )
    .unwrap();
    let out = run(&[
        "issue",
        "--key",
        &key,
        "--cert",
        &cert,
        "--payload",
        &d("bad.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/certificate: missing"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The demo passes of both members verify with the demo trust file.
    for (file, form) in [
        ("@demo/dvc.txt", "dvc"),
        ("@demo/ddcc-vaccination.txt", "ddcc-vaccination"),
    ] {
        let out = verify_with(&["--json"], file);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(json(&out)["form"], form);
    }
}

#[test]
fn csca_chains_decide_which_signers_count() {
    let dir = tmp_dir("csca");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let chains = |f: &str| format!("tests/data/chains/{f}");
    // Sampled before the passes are issued (2026-03-01): a pass is never
    // issued ahead of what it records.
    std::fs::write(
        d("p.json"),
        PAYLOAD.replace("2026-11-24T07:30:00Z", "2026-02-28T07:30:00Z"),
    )
    .unwrap();
    let issue = |name: &str| {
        let out = run(&[
            "issue",
            "--key",
            &chains(&format!("{name}.key.pem")),
            "--cert",
            &chains(&format!("{name}.pem")),
            "--payload",
            &d("p.json"),
            "--iat",
            "2026-03-01T00:00:00Z",
            "--exp",
            "2027-03-01T00:00:00Z",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out).trim().to_owned()
    };
    let verify = |trust: &str, csca: &str, at: &str, pass: &str| {
        run(&[
            "verify",
            "--trust",
            &chains(trust),
            "--csca",
            &chains(csca),
            "--at",
            at,
            "--json",
            pass,
        ])
    };
    let pass = issue("dsc-rsa");
    let out = verify("dsc-rsa.pem", "csca-xa.pem", "2026-04-01T00:00:00Z", &pass);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["valid"], true);

    // A signer its CSCA did not issue: the trust cannot be built (exit 2).
    for (trust, reason) in [
        (
            "dsc-other-country.pem",
            "the certificate's country is not its csca's",
        ),
        (
            "dsc-under-intermediate.pem",
            "no configured csca issued this certificate",
        ),
        ("dsc-unknown-critical.pem", "unknown critical extension"),
    ] {
        let out = verify(trust, "csca-xa.pem", "2026-04-01T00:00:00Z", &pass);
        assert_eq!(out.status.code(), Some(2), "{trust}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(reason),
            "{trust}"
        );
    }
    let out = verify(
        "dsc-rsa.pem",
        "csca-not-ca.pem",
        "2026-04-01T00:00:00Z",
        &pass,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a csca must be a ca"));

    // A signer whose CSCA has expired is untrusted, like an expired signer.
    let pass = issue("dsc-short");
    let ok = verify(
        "dsc-short.pem",
        "csca-short.pem",
        "2026-04-01T00:00:00Z",
        &pass,
    );
    assert_eq!(ok.status.code(), Some(0));
    let late = verify(
        "dsc-short.pem",
        "csca-short.pem",
        "2026-08-01T00:00:00Z",
        &pass,
    );
    assert_eq!(late.status.code(), Some(1));
    assert_eq!(json(&late)["error_kind"], "untrusted");
}

#[test]
fn signed_trust_lists_build_and_verify() {
    let dir = tmp_dir("trust-list");
    let d = |f: &str| dir.join(f).to_str().unwrap().to_string();
    // The list signer: a test key with a fixed certificate (2026-01-01 to 2028-01-01).
    let (key, cert, list) = (
        "tests/data/chains/dsc-p384.key.pem".to_owned(),
        "tests/data/chains/dsc-p384.pem".to_owned(),
        d("list"),
    );
    let build = |extra: &[&str]| {
        let mut args = vec![
            "trust",
            "build",
            "--out",
            &list,
            "--sign",
            &key,
            "--cert",
            &cert,
            "--iat",
            "2026-11-28T00:00:00Z",
            "--valid-for",
            "30d",
            "--sequence",
            "3",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let out = build(&[
        "--in",
        "demo/trust.pem",
        "--in",
        "tests/data/chains/dsc-p256.pem",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("2 signers, sequence 3"));

    let verify = |anchor: &str, at: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--trust-list",
            &list,
            "--trust-anchor",
            anchor,
            "--at",
            at,
            "--json",
        ];
        args.extend_from_slice(extra);
        args.push("@demo/valid.txt");
        run(&args)
    };
    let ok = verify(&cert, "2026-12-01T00:00:00Z", &[]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["valid"], true);
    // The pass signer is no list anchor; an older list than accepted; a list
    // whose signers do not chain to the given CSCA: the trust cannot be built.
    for (anchor, extra, reason) in [
        ("demo/trust.pem", &[][..], "no trusted signer with this kid"),
        (
            cert.as_str(),
            &["--min-trust-sequence", "4"][..],
            "older than the last one accepted",
        ),
        (
            cert.as_str(),
            &["--csca", "tests/data/chains/csca-xa.pem"][..],
            "no configured csca",
        ),
    ] {
        let out = verify(anchor, "2026-12-01T00:00:00Z", extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(reason),
            "{extra:?}"
        );
    }
    // After the list's expiry: every pass untrusted (exit 1), as for an
    // expired revocation list.
    let late = verify(&cert, "2026-12-29T00:00:01Z", &[]);
    assert_eq!(late.status.code(), Some(1));
    assert_eq!(json(&late)["error_kind"], "untrusted");
    // A tampered list is refused.
    let mut bytes = std::fs::read(&list).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 1;
    std::fs::write(&list, bytes).unwrap();
    assert_eq!(
        verify(&cert, "2026-12-01T00:00:00Z", &[]).status.code(),
        Some(2)
    );
    // Usage: --trust-list needs its anchors; verify needs some trust.
    assert_eq!(
        run(&["verify", "--trust-list", &list, "@demo/valid.txt"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["verify", "@demo/valid.txt"]).status.code(), Some(2));
    // A delta: removals need --delta-on; a bad kid is a usage error.
    assert_eq!(
        build(&["--in", "demo/trust.pem", "--remove", "AAAAAAAAAAA="])
            .status
            .code(),
        Some(2)
    );
    let out = build(&["--delta-on", "2", "--remove", "not base64!"]);
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(feature = "gdhcn")]
#[test]
fn gdhcn_lists_are_verified_selected_and_chained() {
    let dir = tmp_dir("gdhcn");
    let out_pem = dir.join("dcc.pem").to_str().unwrap().to_string();
    let list = "tests/data/gdhcn/trustlists/dev-v2-root.did.json";
    let dev = "tests/data/gdhcn/signers/who-signing-dev.did.json";
    let uat = "tests/data/gdhcn/signers/who-signing-uat.did.json";
    let out = run(&[
        "trust", "gdhcn", "--list", list, "--signer", dev, "--domain", "DCC", "--out", &out_pem,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("37 DSCs chained"));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("#ABCDEFGH: did trust list: the kid is not the certificate's"));
    let pem = std::fs::read_to_string(&out_pem).unwrap();
    assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 37);
    // The written file is a trust file like any other.
    let sample = "@tests/data/gdhcn/samples/DVCTestQR.txt";
    let pinned = run(&["verify", "--trust", &out_pem, "--json", sample]);
    assert_eq!(json(&pinned)["error_kind"], "untrusted");

    // verify straight from the list: the sample's signer is not in it.
    let v = run(&[
        "verify",
        "--gdhcn-list",
        list,
        "--gdhcn-signer",
        dev,
        "--json",
        sample,
    ]);
    assert_eq!(v.status.code(), Some(1));
    assert_eq!(json(&v)["error_kind"], "untrusted");
    // Another environment's signer: the proof does not verify, nothing loads.
    let v = run(&[
        "verify",
        "--gdhcn-list",
        list,
        "--gdhcn-signer",
        uat,
        sample,
    ]);
    assert_eq!(v.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&v.stderr).contains("another key than the signer's"));
    // The list needs its signer.
    assert_eq!(
        run(&["verify", "--gdhcn-list", list, sample]).status.code(),
        Some(2)
    );
    // Its DSCs join the --trust directories in one store (issue 23): the
    // demo pass verifies beside them, and the keys the list left out are
    // summarised as a directory's refusals.
    let both = run(&[
        "verify",
        "--gdhcn-list",
        list,
        "--gdhcn-signer",
        dev,
        "--trust",
        "demo/trust.pem",
        "--at",
        "2026-12-01T00:00:00Z",
        "@demo/valid.txt",
    ]);
    assert_eq!(both.status.code(), Some(0));
    let err = String::from_utf8_lossy(&both.stderr);
    assert!(
        err.starts_with(&format!("trust {list}: "))
            && err.contains("the kid is not the certificate's"),
        "{err}"
    );
    // Not with --csca: a chained store takes signers only through its CSCAs.
    assert_eq!(
        run(&[
            "verify",
            "--gdhcn-list",
            list,
            "--gdhcn-signer",
            dev,
            "--csca",
            "tests/data/chains/csca-xa.pem",
            sample
        ])
        .status
        .code(),
        Some(2)
    );
}

/// The contract of issue 15, from outside: one `verify` for every format.
#[test]
fn verify_takes_smart_health_cards_and_icao_seals() {
    let shc = "tests/data/shc";
    let sign = |rid: &str| {
        let card = run(&[
            "shc",
            "sign",
            "--key",
            &format!("{shc}/example-issuer.jwks.private.json"),
            "--kid",
            "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
            "--iss",
            "https://spec.smarthealth.cards/examples/issuer",
            "--bundle",
            &format!("{shc}/covid-vaccines-bundle.json"),
            "--nbf",
            "2026-01-01T00:00:00Z",
            "--rid",
            rid,
        ]);
        assert_eq!(card.status.code(), Some(0));
        let card = stdout(&card).trim().to_owned();
        assert!(card.starts_with("shc:/"));
        card
    };
    let card = sign("AAAAAAAAAAA");
    let card = card.as_str();
    let revoked = sign("FKDIxsTCGlU");
    // The issuer's JWK set, bound to its issuer (issue 23).
    let jwks =
        format!("{shc}/example-issuer.jwks.json=https://spec.smarthealth.cards/examples/issuer");
    let crl = format!("{shc}/example-issuer.crl-3Kfdg.json");
    let verify = |extra: &[&str], input: &str| {
        let mut args = vec![
            "verify",
            "--trust",
            "demo/trust.pem",
            "--at",
            "2026-11-29T00:00:00Z",
            "--json",
        ];
        args.extend_from_slice(extra);
        args.push(input);
        run(&args)
    };
    let out = verify(&["--shc-jwks", &jwks, "--shc-crl", &crl], card);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["form"], "shc");
    assert_eq!(v["holder"]["name"], "John B. Anyperson");
    assert!(!stdout(&out).contains("Immunization"));
    // Without the issuer's keys: untrusted; on the revocation list: revoked.
    let out = verify(&[], card);
    assert_eq!(
        (out.status.code(), json(&out)["error_kind"].clone()),
        (Some(1), "untrusted".into())
    );
    let out = verify(&["--shc-jwks", &jwks, "--shc-crl", &crl], &revoked);
    assert_eq!(json(&out)["error_kind"], "revoked");
    // Issue 22.12: the example key announces a revocation list
    // (crlVersion); without one, its cards are untrusted (fail closed).
    let out = verify(&["--shc-jwks", &jwks], card);
    assert_eq!(json(&out)["error_kind"], "untrusted");
    assert_eq!(
        json(&out)["reason"],
        "revocation list missing (the issuer's key announces one)"
    );
    // A set given without its issuer is a usage error, unless the any-issuer
    // opt-in is given.
    let bare = format!("{shc}/example-issuer.jwks.json");
    let out = verify(&["--shc-jwks", &bare, "--shc-crl", &crl], card);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--shc-any-issuer"));
    let out = verify(
        &["--shc-jwks", &bare, "--shc-any-issuer", "--shc-crl", &crl],
        card,
    );
    assert_eq!(json(&out)["form"], "shc");
    // Bound to another issuer, the key verifies none of this issuer's cards.
    let elsewhere = format!("{shc}/example-issuer.jwks.json=https://elsewhere.example");
    let out = verify(&["--shc-jwks", &elsewhere, "--shc-crl", &crl], card);
    assert_eq!(json(&out)["error_kind"], "untrusted");
    assert_eq!(
        json(&out)["reason"],
        "untrusted signer: the key is bound to another issuer"
    );
    // Only the JWK set and the list, no --trust.
    let out = run(&[
        "verify",
        "--shc-jwks",
        &jwks,
        "--shc-crl",
        &crl,
        "--at",
        "2026-11-29T00:00:00Z",
        "--json",
        card,
    ]);
    assert_eq!(json(&out)["form"], "shc");

    // The Japanese seal: valid with its signer in --trust, untrusted without.
    let seal = "@tests/data/icao/ICAOJPQR1Contents.txt";
    let out = run(&[
        "verify",
        "--trust",
        "tests/data/icao/JP-seal-signer.pem",
        "--at",
        "2026-11-29T00:00:00Z",
        "--json",
        seal,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["form"], "icao-vacc");
    assert_eq!(v["holder"]["name"], "NIHON HANAKO");
    assert_eq!(v["holder"]["date_of_birth"], "1991-12-01");
    let out = verify(&[], seal);
    assert_eq!(json(&out)["error_kind"], "untrusted");

    // inspect reads all three formats, labelled unverified.
    for input in [
        "@tests/data/shc/SHCWAVaxContents.txt",
        seal,
        "@demo/valid.txt",
    ] {
        let out = run(&["inspect", input]);
        assert_eq!(out.status.code(), Some(0), "{input}");
        assert_eq!(json(&out)["unverified"], true);
    }
}
