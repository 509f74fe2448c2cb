//! `healthpass sync` and `verify --store` from outside: the contract (exit
//! statuses, the JSON words), the trust age in verdicts and its fail-closed
//! allowance, a process killed (`kill -9`) in the middle of a sync and a
//! disk that refuses writes, against loopback servers that implement the
//! publishers' APIs.
#![cfg(feature = "sync")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
#[path = "../../sync/tests/server/mod.rs"]
mod server;

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{json, root, run, tmp_dir};
use healthpass::UnixTime;
use healthpass_sync::Store;
use server::{Dgca, RuleService};

const AT: &str = "2026-12-01T12:00:00Z";

fn demo_der() -> Vec<u8> {
    let pem = std::fs::read_to_string(root().join("demo/trust.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).unwrap()
}

fn demo_dgca() -> (Arc<Mutex<Dgca>>, server::Server) {
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&demo_der());
    let server = Dgca::serve(state.clone());
    (state, server)
}

fn rule_service() -> (Arc<Mutex<RuleService>>, server::Server, std::path::PathBuf) {
    let key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let pem = p256::pkcs8::EncodePublicKey::to_public_key_pem(
        key.verifying_key(),
        p256::pkcs8::LineEnding::LF,
    )
    .unwrap();
    let key_file = tmp_dir("sync-rules-key").join("rules-key.pem");
    std::fs::write(&key_file, pem).unwrap();
    let mut service = RuleService::new(key);
    service.rules = server::rule_files();
    service.value_sets = server::value_sets();
    let state = Arc::new(Mutex::new(service));
    let server = RuleService::serve(state.clone());
    (state, server, key_file)
}

fn lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sync_then_verify_from_the_store_with_its_age_and_fail_closed_when_old() {
    let (_state, server) = demo_dgca();
    let dir = tmp_dir("sync-contract");
    let store = dir.join("store");
    let store = store.to_str().unwrap();
    let out = run(&[
        "sync",
        "--store",
        store,
        "--eu-dcc",
        &server.url,
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let reports = lines(&out);
    assert_eq!(reports.len(), 1);
    let keys: Vec<&str> = reports[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["added", "error", "ok", "removed", "source", "unchanged"]
    );
    assert_eq!(
        reports[0],
        serde_json::json!({"source": "eu-dcc", "ok": true, "added": 1, "removed": 0, "unchanged": 0, "error": null})
    );

    let verify = |at: &str, extra: &[&str]| {
        let mut args = vec!["verify", "--store", store, "--at", at, "--json"];
        args.extend_from_slice(extra);
        args.push("@demo/valid.txt");
        run(&args)
    };
    let out = verify("2026-12-01T13:00:00Z", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["trust_as_of"], AT);
    assert_eq!(v["trust_age_secs"], 3600);

    // 73 hours on: untrusted, and why; a longer allowance accepts.
    let out = verify("2026-12-04T13:00:00Z", &[]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["error_kind"], "untrusted", "{v}");
    assert_eq!(
        v["reason"],
        "trust data outdated since 2026-12-04T12:00:00Z"
    );
    assert_eq!(
        verify("2026-12-04T13:00:00Z", &["--max-age", "4d"])
            .status
            .code(),
        Some(0)
    );

    // --stale-ok: an explicit policy accepts it, and says so.
    let out = verify("2026-12-04T13:00:00Z", &["--stale-ok"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["trust_outdated_since"], "2026-12-04T12:00:00Z");
    assert!(json(&verify("2026-12-01T13:00:00Z", &["--stale-ok"]))
        .get("trust_outdated_since")
        .is_none());
    let out = run(&[
        "verify",
        "--store",
        store,
        "--stale-ok",
        "--at",
        "2026-12-09T00:00:00Z",
        "@demo/valid.txt",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("(on trust data outdated since 2026-12-04T12:00:00Z)"));

    // The sentence form says it too.
    let out = run(&[
        "verify",
        "--store",
        store,
        "--at",
        "2026-12-09T00:00:00Z",
        "@demo/valid.txt",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("trust data outdated since"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_revocation_list_from_a_static_file_revokes_in_verify_store() {
    use healthpass::issue::{self_signed_certificate, CertificateParams, Credential, SigningKey};
    use healthpass::revocation::{CountrySource, HashType, RevocationListDocument};
    use healthpass::signed::Validity;
    let t = |s: &str| UnixTime::parse_rfc3339(s).unwrap();
    let key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2030-01-01T00:00:00Z")).unwrap();
    let der =
        self_signed_certificate(&key, &CertificateParams::new("XX", "lists", validity)).unwrap();
    let signer = Credential::new(key, &der).unwrap();
    let dir = tmp_dir("sync-revocation");
    let anchor = dir.join("lists.pem");
    std::fs::write(&anchor, healthpass::issue::certificate_pem(&der)).unwrap();
    // The demo pass's UCI hash, from the pass as verified.
    let mut trust = healthpass::TrustList::new();
    trust.add_any(&demo_der()).unwrap();
    let demo = healthpass::Verifier::builder()
        .trust_list(trust)
        .build()
        .unwrap()
        .verify(
            &std::fs::read_to_string(root().join("demo/valid.txt")).unwrap(),
            t(AT),
        )
        .unwrap()
        .as_hcert()
        .unwrap()
        .revocation_hash(HashType::Uci, CountrySource::default())
        .unwrap();
    let list = RevocationListDocument::builder(HashType::Uci, "xx-revoked")
        .adds(vec![demo])
        .build(validity)
        .unwrap()
        .sign(&signer)
        .unwrap();
    let files = Arc::new(Mutex::new(server::StaticFiles::default()));
    files.lock().unwrap().put("/revoked.cbor", list);
    let lists = server::StaticFiles::serve(files);
    let (_state, dgca) = demo_dgca();
    let store = dir.join("store");
    let store = store.to_str().unwrap();
    let url = format!("{}/revoked.cbor", lists.url);
    let out = run(&[
        "sync",
        "--store",
        store,
        "--eu-dcc",
        &dgca.url,
        "--revocation",
        &url,
        "--revocation-trust",
        anchor.to_str().unwrap(),
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        lines(&out)[1],
        serde_json::json!({"source": "revocation", "ok": true, "added": 1, "removed": 0, "unchanged": 0, "error": null})
    );
    let out = run(&[
        "verify",
        "--store",
        store,
        "--at",
        AT,
        "--json",
        "@demo/valid.txt",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(json(&out)["error_kind"], "revoked");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn store_export_writes_signed_lists_a_fleet_syncs() {
    let (_state, dgca) = demo_dgca();
    let dir = tmp_dir("sync-export");
    let backend = dir.join("backend");
    let backend = backend.to_str().unwrap();
    let out_dir = dir.join("out");
    let key = root().join("tests/data/chains/dsc-p384.key.pem");
    let cert = root().join("tests/data/chains/dsc-p384.pem");
    assert_eq!(
        run(&["sync", "--store", backend, "--eu-dcc", &dgca.url, "--at", AT])
            .status
            .code(),
        Some(0)
    );
    let export = |extra: &[&str]| {
        let mut args = vec![
            "store",
            "export",
            "--store",
            backend,
            "--sign",
            key.to_str().unwrap(),
            "--cert",
            cert.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--at",
            AT,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let out = export(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        lines(&out)[0],
        serde_json::json!({"file": "trust-list.cbor", "list_id": "healthpass-export", "sequence": 1, "entries": 1, "added": 1, "removed": 0, "delta": null})
    );
    let out = export(&[]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("trust-list.cbor: healthpass-export sequence 2, 1 entries, 0 added, 0 removed, delta trust-list.cbor.delta-1"));

    // A scanner syncs the export from a static server and verifies.
    let files = Arc::new(Mutex::new(server::StaticFiles::default()));
    for e in std::fs::read_dir(&out_dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        files
            .lock()
            .unwrap()
            .put(&format!("/{name}"), std::fs::read(e.path()).unwrap());
    }
    let cdn = server::StaticFiles::serve(files);
    let scanner = dir.join("scanner");
    let scanner = scanner.to_str().unwrap();
    let url = format!("{}/trust-list.cbor", cdn.url);
    let out = run(&[
        "sync",
        "--store",
        scanner,
        "--trust-list",
        &url,
        "--trust-anchor",
        cert.to_str().unwrap(),
        "--at",
        AT,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = run(&["verify", "--store", scanner, "--at", AT, "@demo/valid.txt"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    // Another key may not overwrite the export: exit 1, nothing written.
    let before = std::fs::read(out_dir.join("trust-list.cbor")).unwrap();
    let out = run(&[
        "store",
        "export",
        "--store",
        backend,
        "--sign",
        root()
            .join("tests/data/chains/dsc-p256.key.pem")
            .to_str()
            .unwrap(),
        "--cert",
        root()
            .join("tests/data/chains/dsc-p256.pem")
            .to_str()
            .unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--at",
        AT,
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an export by this certificate"));
    assert_eq!(
        std::fs::read(out_dir.join("trust-list.cbor")).unwrap(),
        before
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_failed_source_exits_1_and_says_why_and_usage_errors_exit_2() {
    let (state, server) = demo_dgca();
    let dir = tmp_dir("sync-fail");
    let store = dir.join("store");
    let store = store.to_str().unwrap();
    assert_eq!(
        run(&[
            "sync",
            "--store",
            store,
            "--eu-dcc",
            &server.url,
            "--at",
            AT
        ])
        .status
        .code(),
        Some(0)
    );
    state.lock().unwrap().fail_status = Some(503);
    let out = run(&[
        "sync",
        "--store",
        store,
        "--eu-dcc",
        &server.url,
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = &lines(&out)[0];
    assert_eq!(r["ok"], false);
    assert!(r["error"].as_str().unwrap().contains("status 503"), "{r}");
    // The previous state still verifies.
    let out = run(&["verify", "--store", store, "--at", AT, "@demo/valid.txt"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    for args in [
        vec!["sync", "--store", store],
        vec!["sync", "--store", store, "--eu-rules", "https://x.example/"],
        vec![
            "sync",
            "--store",
            store,
            "--eu-revocation",
            "https://x.example/",
        ],
        vec![
            "verify",
            "--store",
            &dir.join("none").to_string_lossy(),
            "@demo/valid.txt",
        ]
        .into_iter()
        .map(|s| Box::leak(s.to_owned().into_boxed_str()) as &str)
        .collect(),
    ] {
        assert_eq!(run(&args).status.code(), Some(2), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

fn rule_count(store: &std::path::Path) -> Option<usize> {
    let snapshot = Store::new(store)
        .snapshot(UnixTime::parse_rfc3339(AT).unwrap())
        .unwrap();
    snapshot.rules().map(|r| r.rules().len())
}

#[test]
fn a_sync_killed_at_any_point_leaves_the_old_or_the_new_state() {
    let (state, server, key) = rule_service();
    let dir = tmp_dir("sync-kill");
    let store = dir.join("store");
    let sync = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_healthpass"));
        command
            .current_dir(root())
            .args([
                "sync",
                "--store",
                store.to_str().unwrap(),
                "--eu-rules",
                &server.url,
            ])
            .args(["--eu-rules-key", key.to_str().unwrap(), "--at", AT])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let old = state.lock().unwrap().rules.len();
    assert!(sync().status().unwrap().success());
    assert_eq!(rule_count(&store), Some(old));

    // Upstream drops every rule of one country: a sync fetches the lists
    // and writes a whole new generation (a few hundred files, each fsynced).
    state.lock().unwrap().rules.retain(|r| r.2 != "NL");
    let new = state.lock().unwrap().rules.len();
    assert!(new < old);
    let started = Instant::now();
    let status = sync().status().unwrap();
    let full = started.elapsed();
    assert!(status.success());
    assert_eq!(rule_count(&store), Some(new));
    // Back to the old rules, then kill a sync at spread points of its run.
    state.lock().unwrap().rules = server::rule_files();
    let mut seen = std::collections::BTreeSet::new();
    for k in 0..24u32 {
        // From 40 % to 140 % of a full run: most of it is fetching, the
        // last part writing the generation and switching to it.
        let at = full * (40 + 5 * k) / 100;
        let mut child = sync().spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let count = rule_count(&store);
        assert!(
            count == Some(old) || count == Some(new),
            "{count:?} after a kill at {at:?}"
        );
        seen.insert(count);
        // Put the store back to the new state for the next round.
        if count == Some(old) {
            state.lock().unwrap().rules.retain(|r| r.2 != "NL");
            assert!(sync().status().unwrap().success());
            state.lock().unwrap().rules = server::rule_files();
        }
    }
    // And a sync after the kills completes and cleans up.
    assert!(sync().status().unwrap().success());
    assert_eq!(rule_count(&store), Some(old));
    let leftovers: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!("old {old} / new {new} rules; states seen after kills: {seen:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_disk_that_refuses_writes_fails_the_sync_and_keeps_the_previous_state() {
    let (state, server, key) = rule_service();
    let dir = tmp_dir("sync-full");
    let store = dir.join("store");
    let args = format!(
        "sync --store {} --eu-rules {} --eu-rules-key {} --at {AT} --json",
        store.display(),
        server.url,
        key.display()
    );
    let bin = env!("CARGO_BIN_EXE_healthpass");
    assert!(Command::new(bin)
        .args(args.split(' '))
        .output()
        .unwrap()
        .status
        .success());
    let old = rule_count(&store);
    {
        // Upstream changes: fewer rules, and new value sets (which the sync
        // must write; what it holds by hash it only links).
        let mut s = state.lock().unwrap();
        s.rules.retain(|r| r.2 != "AT");
        for (_, body) in &mut s.value_sets {
            body.push(b' ');
        }
    }
    // Files past 16 KiB cannot be written (EFBIG, as a full disk gives
    // ENOSPC): the largest value set is larger.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f 16; exec {bin} {args}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let r = &lines(&out)[0];
    assert_eq!(r["ok"], false);
    assert!(r["error"].as_str().unwrap().starts_with("store:"), "{r}");
    assert_eq!(rule_count(&store), old);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_sync_waits_for_no_one() {
    // A store another sync holds is refused at once, not waited for.
    let (state, server) = demo_dgca();
    state.lock().unwrap().delay = Some(Duration::from_millis(1500));
    let dir = tmp_dir("sync-busy");
    let store = dir.join("store");
    let store_arg = store.to_str().unwrap().to_owned();
    let url = server.url.clone();
    let first = std::thread::spawn(move || {
        run(&["sync", "--store", &store_arg, "--eu-dcc", &url, "--at", AT])
    });
    // Once the first sync holds the lock (its new generation is begun),
    // not after a guessed delay: a loaded machine starts processes late.
    let begun = store.join("tmp-gen-0000000001");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !begun.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(begun.exists(), "the first sync never started");
    let out = run(&[
        "sync",
        "--store",
        store.to_str().unwrap(),
        "--eu-dcc",
        &server.url,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out)[0]["error"], "store: another sync is running");
    assert_eq!(first.join().unwrap().status.code(), Some(0));
    let _ = std::fs::remove_dir_all(dir);
}
