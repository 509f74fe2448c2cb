//! `--trust` and `trust check` on the real directories of
//! tests/data/directories (issue 23): every format by content, entry by
//! entry, the report's JSON contract, refusals on stderr, strict mode, the
//! VCI snapshot only with its certificate and signature.

mod common;

use common::{json, run, stdout, tmp_dir};

const ICAO: &str = "tests/data/directories/icao-health-cscas.pem";
const REGISTRY: &str = "tests/data/directories/pathcheck/registry.json";
const VCI: &str = "tests/data/directories/vci/vci_snapshot.json";
const VCI_CERT: &str = "tests/data/directories/vci/vci_snapshot.crt";
const SNAPSHOT_AT: &str = "2026-12-01T00:00:00Z";

fn text(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path))
        .unwrap()
        .trim()
        .to_owned()
}

/// The contract, exactly: `{"accepted", "refused": [{"entry", "reason"}],
/// "frameworks": {"hcert", "shc", "icao"}}`.
#[test]
fn trust_check_json_is_the_contract() {
    let out = run(&["trust", "check", "--json", ICAO]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["accepted", "frameworks", "refused"]);
    assert_eq!(v["accepted"], 216);
    assert_eq!(
        v["frameworks"],
        serde_json::json!({"hcert": 3, "shc": 0, "icao": 213})
    );
    let refused = v["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 38);
    for r in refused {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["entry", "reason"]);
    }
    let brainpool = refused
        .iter()
        .filter(|r| r["reason"].as_str().unwrap().starts_with("brainpool"))
        .count();
    assert_eq!(brainpool, 34);
    // The text form: one line per file, one per framework, one per refusal.
    let out = run(&["trust", "check", ICAO]);
    let text = stdout(&out);
    assert!(text.starts_with(&format!(
        "trust {ICAO}: 216 accepted, 1 already held, 38 refused"
    )));
    assert!(text.contains("  frameworks: hcert 3, shc 0, icao 213\n"));
    assert_eq!(text.matches("  left out ").count(), 38);
}

/// Several files: counts add up, entries are named with their file.
#[test]
fn trust_check_adds_files_and_names_their_entries() {
    let v = json(&run(&["trust", "check", "--json", ICAO, REGISTRY]));
    assert_eq!(v["accepted"], 216 + 1422);
    assert_eq!(
        v["frameworks"],
        serde_json::json!({"hcert": 829, "shc": 596, "icao": 213})
    );
    let refused = v["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 38 + 82);
    assert!(refused[0]["entry"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{ICAO}: ")));
    assert!(refused[38]["entry"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{REGISTRY}: ")));
}

/// Nothing usable is exit 1; a file in no format is a usage error (2).
#[test]
fn trust_check_says_when_nothing_is_usable() {
    let dir = tmp_dir("trust-check");
    // The first brainpool CSCA of the master list, alone.
    let pem = text(ICAO);
    let blocks: Vec<&str> = pem.split_inclusive("-----END CERTIFICATE-----").collect();
    let v = json(&run(&["trust", "check", "--json", ICAO]));
    let first = v["refused"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"].as_str().unwrap().starts_with("brainpool"))
        .unwrap()["entry"]
        .as_str()
        .unwrap()
        .to_owned();
    // "certificate N (…)": the Nth block.
    let n: usize = first["certificate ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let only = dir.join("brainpool.pem");
    std::fs::write(&only, blocks[n - 1]).unwrap();
    let out = run(&["trust", "check", "--json", only.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["accepted"], 0);
    let junk = dir.join("junk.txt");
    std::fs::write(&junk, "QR1:not a directory").unwrap();
    let out = run(&["trust", "check", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no format this store reads"));
}

/// `verify --trust registry.json`: a real pass verifies, the refusals are
/// summarised on stderr; with --strict-trust the registry is refused.
#[test]
fn verify_takes_the_registry_and_summarises_refusals() {
    let de = text("tests/data/gdhcn/samples/EUQR1Contents.txt");
    let out = run(&[
        "verify",
        "--trust",
        REGISTRY,
        "--at",
        "2021-07-01T00:00:00Z",
        "--json",
        &de,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(json(&out)["valid"], true);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "trust {REGISTRY}: 1636 accepted, 364 already held, 58 withdrawn, 82 refused: "
        )),
        "{err}"
    );
    // A pass whose signer the registry terminated: untrusted, and why.
    let id = text("tests/data/gdhcn/samples/EUIndonesiaContents.txt");
    let out = run(&[
        "verify",
        "--trust",
        REGISTRY,
        "--at",
        "2022-08-01T00:00:00Z",
        "--json",
        &id,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["error_kind"], "untrusted");
    // The reason names the file that withdrew the signer, as given.
    assert_eq!(
        v["reason"],
        format!("the signer was withdrawn by its directory {REGISTRY} (terminated)")
    );
    let out = run(&[
        "verify",
        "--trust",
        REGISTRY,
        "--strict-trust",
        "--at",
        "2021-07-01T00:00:00Z",
        &de,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("entries refused (strict)"));
}

/// The VCI snapshot loads only with its certificate, and a changed byte
/// refuses it whole; loaded, real cards verify.
#[test]
fn the_vci_snapshot_needs_its_certificate_and_signature() {
    let wa = text("tests/data/shc/SHCWAVaxContents.txt");
    let out = run(&[
        "verify",
        "--trust",
        VCI,
        "--vci-cert",
        VCI_CERT,
        "--at",
        SNAPSHOT_AT,
        "--json",
        &wa,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(json(&out)["form"], "shc");
    // Without the certificate: refused whole, and nothing else is usable.
    let out = run(&["verify", "--trust", VCI, "--at", SNAPSHOT_AT, &wa]);
    assert_eq!(out.status.code(), Some(2));
    // A changed byte, its signature beside it.
    let dir = tmp_dir("vci-changed");
    let mut snapshot = std::fs::read(common::root().join(VCI)).unwrap();
    snapshot[1000] ^= 1;
    std::fs::write(dir.join("vci_snapshot.json"), &snapshot).unwrap();
    std::fs::copy(
        common::root().join("tests/data/directories/vci/vci_snapshot.sig"),
        dir.join("vci_snapshot.sig"),
    )
    .unwrap();
    let changed = dir.join("vci_snapshot.json");
    let out = run(&[
        "verify",
        "--trust",
        changed.to_str().unwrap(),
        "--vci-cert",
        VCI_CERT,
        "--at",
        SNAPSHOT_AT,
        &wa,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature"));
}
