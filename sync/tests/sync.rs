//! healthpass-sync through loopback servers that implement each API as its
//! reference code does: a full sync of real data, updates that add and
//! remove, rule changes picked up by hash, and every fault of the issue's
//! table — each leaving the previous state usable and reported per source.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
mod server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64ct::{Base64, Encoding as _};
use healthpass::{ErrorKind, UnixTime};
use healthpass_sync::http::{Request, Response, Timeouts};
use healthpass_sync::{HttpTransport, Source, SyncError, Transport};
use server::{Dgca, RuleService};

use common::*;

// ---------------------------------------------------------------- EU DCC

#[test]
fn a_full_sync_of_the_real_registry_certificates_keeps_what_an_independent_count_says() {
    let certs = registry_certificates();
    let expected = counts();
    assert_eq!(certs.len() as u64, expected["served"].as_u64().unwrap());
    let state = Arc::new(Mutex::new(Dgca::default()));
    for der in &certs {
        state.lock().unwrap().add(der);
    }
    state.lock().unwrap().add(&demo_der());
    let server = Dgca::serve(state.clone());
    let (_dir, store) = store();
    let source = Source::EuDcc {
        url: format!("{}/", server.url),
    };
    let report = one(store.sync(&[source], &http(), now()));
    assert!(report.ok, "{report:?}");
    let kept = expected["kept"].as_u64().unwrap() as usize + 1;
    assert_eq!(report.added, kept, "{:?}", report.refused);
    assert_eq!(
        report.refused.len(),
        certs.len() + 1 - kept,
        "{:?}",
        report.refused
    );
    assert_eq!((report.removed, report.unchanged), (0, 0));

    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.trust_store().signers().kids().count(), kept);
    assert_eq!(snapshot.as_of(), Some(now()));
    let verifier = snapshot.verifier_builder(72 * 3600).build().unwrap();
    let verdict = verifier.verdict(DEMO_PASS, now());
    assert!(verdict.is_valid(), "{verdict:?}");

    // Fail closed when the data is older than allowed, with the reason.
    let later = UnixTime::from_secs(now().as_secs() + 72 * 3600 + 1);
    let verdict = verifier.verdict(DEMO_PASS, later);
    assert_eq!(verdict.error_kind(), Some(ErrorKind::Untrusted));
    assert!(
        verdict
            .reason()
            .unwrap()
            .starts_with("trust data outdated since 2026-12-04T12:00:00Z"),
        "{verdict:?}"
    );
    // An explicit policy accepts it, and the verdict says so.
    let stale_ok = verifier
        .to_builder()
        .accept_outdated_trust(true)
        .build()
        .unwrap();
    let verdict = stale_ok.verdict(DEMO_PASS, later);
    assert!(verdict.is_valid(), "{verdict:?}");
    assert_eq!(
        verdict.trust_outdated_since().map(|t| t.to_string()),
        Some("2026-12-04T12:00:00Z".to_owned())
    );
    assert_eq!(
        serde_json::to_value(&verdict).unwrap()["trust_outdated_since"],
        "2026-12-04T12:00:00Z"
    );
    assert_eq!(
        stale_ok.verdict(DEMO_PASS, now()).trust_outdated_since(),
        None
    );

    // A second sync resumes: one update request (204), no certificate again.
    let before = server.requests.load(std::sync::atomic::Ordering::SeqCst);
    let report = one(store.sync(
        &[Source::EuDcc {
            url: server.url.clone(),
        }],
        &http(),
        now(),
    ));
    assert!(report.ok);
    assert_eq!(
        (report.added, report.removed, report.unchanged),
        (0, 0, kept)
    );
    assert_eq!(
        server.requests.load(std::sync::atomic::Ordering::SeqCst) - before,
        2,
        "status + one update answered 204"
    );
}

#[test]
fn an_update_adds_and_removes_signers_and_a_kid_back_on_the_list_is_fetched_again() {
    let (_, a) = new_signer("a");
    let (_, b) = new_signer("b");
    let (_, c) = new_signer("c");
    let state = Arc::new(Mutex::new(Dgca::default()));
    let kid_a = state.lock().unwrap().add(&a);
    let kid_b = state.lock().unwrap().add(&b);
    let server = Dgca::serve(state.clone());
    let (_dir, store) = store();
    let sources = [Source::EuDcc {
        url: server.url.clone(),
    }];
    assert_eq!(one(store.sync(&sources, &http(), now())).added, 2);

    // Upstream: a signer removed, another added.
    state.lock().unwrap().remove(&kid_a);
    state.lock().unwrap().add(&c);
    let r = one(store.sync(&sources, &http(), now()));
    assert!(r.ok, "{r:?}");
    assert_eq!((r.added, r.removed, r.unchanged), (1, 1, 1));
    let kids: Vec<String> = store
        .snapshot(now())
        .unwrap()
        .trust_store()
        .signers()
        .kids()
        .map(|k| Base64::encode_string(k))
        .collect();
    assert!(!kids.contains(&kid_a) && kids.contains(&kid_b));

    // a returns to the status list: the resumed walk does not bring it,
    // so the walk is done again from the start.
    state.lock().unwrap().valid.push(kid_a.clone());
    let r = one(store.sync(&sources, &http(), now()));
    assert_eq!((r.added, r.removed, r.unchanged), (1, 0, 2), "{r:?}");
}

#[test]
fn a_certificate_whose_x_kid_is_not_its_kid_is_left_out_and_reported() {
    let (_, a) = new_signer("a");
    let (_, b) = new_signer("b");
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&a);
    let kid_b = Base64::encode_string(&healthpass::trust::kid_of(&b));
    // b served under a's kid… and listed valid under its own.
    let kid_a = state.lock().unwrap().valid[0].clone();
    state.lock().unwrap().add_with_kid(&b, &kid_a);
    state.lock().unwrap().valid.push(kid_b);
    let server = Dgca::serve(state);
    let (_dir, store) = store();
    let r = one(store.sync(
        &[Source::EuDcc {
            url: server.url.clone(),
        }],
        &http(),
        now(),
    ));
    assert!(r.ok);
    assert_eq!(r.added, 1);
    assert_eq!(r.refused.len(), 1);
    assert!(r.refused[0].contains("X-KID is not its kid"), "{r:?}");
}

/// Syncs once (good), breaks the server with `fault`, syncs again: the
/// source fails with an error containing `expect`, and the store holds
/// exactly what it held.
fn fault_keeps_the_previous_state(
    fault: impl FnOnce(&mut Dgca),
    transport: &dyn Transport,
    expect: &str,
) {
    let (_, a) = new_signer("a");
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&a);
    let server = Dgca::serve(state.clone());
    let (_dir, store) = store();
    let sources = [Source::EuDcc {
        url: server.url.clone(),
    }];
    assert!(one(store.sync(&sources, &http(), now())).ok);
    let before = store.snapshot(now()).unwrap();

    let (_, b) = new_signer("b");
    state.lock().unwrap().add(&b);
    fault(&mut state.lock().unwrap());
    let r = one(store.sync(&sources, transport, now()));
    assert!(!r.ok, "{r:?}");
    let error = r.error.unwrap();
    assert!(error.contains(expect), "{error}");
    let after = store.snapshot(now()).unwrap();
    assert_eq!(after.generation(), before.generation() + 1);
    let kids = |s: &healthpass_sync::Snapshot| {
        let mut k: Vec<_> = s.trust_store().signers().kids().copied().collect();
        k.sort();
        k
    };
    assert_eq!(kids(&after), kids(&before));
    // …and its age is the old one: a failed sync brings nothing up to date.
    assert_eq!(after.as_of(), before.as_of());
}

#[test]
fn a_server_error_keeps_the_previous_state() {
    fault_keeps_the_previous_state(|s| s.fail_status = Some(500), &http(), "status 500");
}

#[test]
fn an_error_in_the_middle_of_the_walk_keeps_the_previous_state() {
    fault_keeps_the_previous_state(|s| s.fail_update_after = Some(0), &http(), "status 500");
}

#[test]
fn a_timeout_keeps_the_previous_state() {
    let quick = HttpTransport::new(Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_millis(300),
    });
    fault_keeps_the_previous_state(
        |s| s.delay = Some(Duration::from_secs(2)),
        &quick,
        "transport",
    );
}

/// A transport that cuts or swells one answer.
struct Mangle<F: Fn(&Request, Response) -> Result<Response, SyncError> + Send + Sync>(
    HttpTransport,
    F,
);
impl<F: Fn(&Request, Response) -> Result<Response, SyncError> + Send + Sync> Transport
    for Mangle<F>
{
    fn get(&self, request: &Request) -> Result<Response, SyncError> {
        let r = self.0.get(request)?;
        (self.1)(request, r)
    }
}

#[test]
fn a_truncated_body_keeps_the_previous_state() {
    // The server declares more than it sends: the transport reports it.
    let state = Arc::new(Mutex::new(Dgca::default()));
    let (_, a) = new_signer("a");
    state.lock().unwrap().add(&a);
    let server = server::serve(Arc::new(|req: &server::Req| {
        let mut r = server::Resp::new(200, "[\"AAAAAAAAAAA=\"");
        if req.path.ends_with("Status") {
            r.declared_len = Some(4096);
        }
        r
    }));
    let (_dir, store) = store();
    let r = one(store.sync(
        &[Source::EuDcc {
            url: server.url.clone(),
        }],
        &http(),
        now(),
    ));
    assert!(!r.ok);
    assert!(r.error.unwrap().starts_with("transport:"));
    assert!(store.snapshot(now()).is_err(), "nothing was ever synced");
    drop(state);
    // And after a good sync, a cut status list leaves the old state.
    fault_keeps_the_previous_state(
        |_| {},
        &Mangle(http(), |req: &Request, mut r: Response| {
            if req.url.ends_with("Status") {
                r.body.truncate(r.body.len() / 2);
            }
            Ok(r)
        }),
        "not a json array of kids",
    );
}

#[test]
fn an_oversized_body_is_refused_by_the_transport() {
    let server = server::serve(Arc::new(|_: &server::Req| {
        server::Resp::new(200, vec![b'A'; 100 * 1024])
            .header("X-KID", "AAAAAAAAAAA=")
            .header("X-RESUME-TOKEN", "1")
    }));
    let mut request = Request::get(format!("{}/signercertificateUpdate", server.url));
    request.max_body = 64 * 1024;
    let e = http().get(&request).unwrap_err();
    assert!(e.to_string().contains("larger than 65536 bytes"), "{e}");
}

#[test]
fn plain_http_is_refused_but_to_loopback() {
    let (_dir, store) = store();
    let r = one(store.sync(
        &[Source::EuDcc {
            url: "http://example.org/".into(),
        }],
        &http(),
        now(),
    ));
    assert!(r
        .error
        .unwrap()
        .contains("plain http only to a loopback address"));
}

#[test]
fn a_server_clock_three_hours_off_is_reported() {
    let (_, a) = new_signer("a");
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&a);
    let server = Dgca::serve(state);
    let (_dir, store) = store();
    // The caller's clock is 3 h behind the server's (which is real time).
    let real = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let caller = UnixTime::from_secs(real - 3 * 3600);
    let r = one(store.sync(
        &[Source::EuDcc {
            url: server.url.clone(),
        }],
        &http(),
        caller,
    ));
    assert!(r.ok);
    let skew = r.clock_skew_secs.expect("reported");
    assert!((3 * 3600 - 60..=3 * 3600 + 60).contains(&skew), "{skew}");
    let r = one(store.sync(
        &[Source::EuDcc {
            url: server.url.clone(),
        }],
        &http(),
        UnixTime::from_secs(real),
    ));
    assert_eq!(r.clock_skew_secs, None);
}

#[test]
fn two_syncs_at_once_one_waits_for_nothing_and_is_refused() {
    let (_, a) = new_signer("a");
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&a);
    state.lock().unwrap().delay = Some(Duration::from_millis(1500));
    let server = Dgca::serve(state);
    let (_dir, store) = store();
    let url = server.url.clone();
    let first = {
        let store = store.clone();
        std::thread::spawn(move || store.sync(&[Source::EuDcc { url }], &http(), now()))
    };
    // Once the first sync holds the lock (its new generation is begun),
    // not after a guessed delay: a loaded machine starts processes late.
    let begun = store.dir().join("tmp-gen-0000000001");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !begun.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(begun.exists(), "the first sync never started");
    let second = one(store.sync(
        &[Source::EuDcc {
            url: server.url.clone(),
        }],
        &http(),
        now(),
    ));
    assert_eq!(
        second.error.as_deref(),
        Some("store: another sync is running")
    );
    assert!(one(first.join().unwrap()).ok);
    assert_eq!(store.snapshot(now()).unwrap().generation(), 1);
}

#[test]
fn what_a_crash_leaves_is_ignored_and_the_last_committed_state_opens() {
    let (_, a) = new_signer("a");
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&a);
    let server = Dgca::serve(state);
    let (dir, store) = store();
    let sources = [Source::EuDcc {
        url: server.url.clone(),
    }];
    assert!(one(store.sync(&sources, &http(), now())).ok);
    let root = dir.path().join("store");
    let committed = files_of(&root.join("gen-0000000001"));
    // A crash while writing generation 2 (an unfinished folder), and one
    // after renaming it but before switching `current`.
    std::fs::create_dir_all(root.join("tmp-gen-0000000002/eu-dcc")).unwrap();
    std::fs::write(
        root.join("tmp-gen-0000000002/eu-dcc/signers.json"),
        b"[{\"kid\":",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("gen-0000000002")).unwrap();
    std::fs::write(root.join("current.tmp"), b"gen-0000000002\n").unwrap();
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.generation(), 1);
    assert_eq!(files_of(&root.join("gen-0000000001")), committed);
    // The next sync clears the debris and commits generation 2.
    assert!(one(store.sync(&sources, &http(), now())).ok);
    assert!(!root.join("tmp-gen-0000000002").exists());
    assert_eq!(store.snapshot(now()).unwrap().generation(), 2);
}

#[test]
fn a_store_whose_documents_were_altered_does_not_open() {
    let (_, a) = new_signer("a");
    let (_, b) = new_signer("b");
    let state = Arc::new(Mutex::new(Dgca::default()));
    state.lock().unwrap().add(&a);
    let server = Dgca::serve(state);
    let (dir, store) = store();
    assert!(
        one(store.sync(
            &[Source::EuDcc {
                url: server.url.clone()
            }],
            &http(),
            now()
        ))
        .ok
    );
    // Someone with the disk swaps in another certificate under the kid.
    let path = dir.path().join("store/gen-0000000001/eu-dcc/signers.json");
    let list: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let kid = list[0]["kid"].as_str().unwrap();
    let forged = serde_json::json!([{"kid": kid, "rawData": Base64::encode_string(&b)}]);
    std::fs::write(&path, serde_json::to_vec(&forged).unwrap()).unwrap();
    let e = store.snapshot(now()).unwrap_err();
    assert!(
        e.to_string().contains("the kid is not the certificate's"),
        "{e}"
    );
}

// ---------------------------------------------------------------- rules

fn rule_service() -> (Arc<Mutex<RuleService>>, server::Server, Vec<u8>) {
    let key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let public = p256::pkcs8::EncodePublicKey::to_public_key_pem(
        key.verifying_key(),
        p256::pkcs8::LineEnding::LF,
    )
    .unwrap();
    let mut service = RuleService::new(key);
    service.rules = server::rule_files();
    service.value_sets = server::value_sets();
    let state = Arc::new(Mutex::new(service));
    let server = RuleService::serve(state.clone());
    (state, server, public.into_bytes())
}

#[test]
fn rules_and_value_sets_sync_signed_and_hashed_and_a_change_is_picked_up_by_hash() {
    let (state, server, key) = rule_service();
    let n_rules = state.lock().unwrap().rules.len();
    let n_sets = state.lock().unwrap().value_sets.len();
    let (_dir, store) = store();
    let sources = [Source::EuRules {
        url: server.url.clone(),
        key,
    }];
    let r = one(store.sync(&sources, &http(), now()));
    assert!(r.ok, "{r:?}");
    assert_eq!(r.added, n_rules + n_sets);
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.rules().unwrap().rules().len(), n_rules);

    // One rule changes upstream: only it is fetched.
    {
        let mut s = state.lock().unwrap();
        let (_, _, _, body) = &mut s.rules[0];
        let mut rule: serde_json::Value = serde_json::from_slice(body).unwrap();
        rule["Version"] = "1.0.9".into();
        *body = serde_json::to_vec(&rule).unwrap();
        s.fetched.clear();
    }
    let r = one(store.sync(&sources, &http(), now()));
    assert!(r.ok, "{r:?}");
    assert_eq!(
        (r.added, r.removed, r.unchanged),
        (1, 1, n_rules + n_sets - 1)
    );
    let fetched = state.lock().unwrap().fetched.clone();
    assert_eq!(
        fetched.len(),
        3,
        "rules, valuesets and the changed rule: {fetched:?}"
    );
    let snapshot = store.snapshot(now()).unwrap();
    assert!(snapshot
        .rules()
        .unwrap()
        .rules()
        .iter()
        .any(|r| r.version() == (1, 0, 9)));
}

fn rules_fault(fault: impl FnOnce(&mut RuleService), expect: &str) {
    let (state, server, key) = rule_service();
    let (_dir, store) = store();
    let sources = [Source::EuRules {
        url: server.url.clone(),
        key,
    }];
    assert!(one(store.sync(&sources, &http(), now())).ok);
    {
        let mut s = state.lock().unwrap();
        let (_, _, _, body) = &mut s.rules[1];
        let mut rule: serde_json::Value = serde_json::from_slice(body).unwrap();
        rule["Version"] = "2.0.0".into();
        *body = serde_json::to_vec(&rule).unwrap();
        fault(&mut s);
    }
    let r = one(store.sync(&sources, &http(), now()));
    assert!(!r.ok);
    let e = r.error.unwrap();
    assert!(e.contains(expect), "{e}");
    // The previous rules still open, unchanged.
    let snapshot = store.snapshot(now()).unwrap();
    assert!(snapshot
        .rules()
        .unwrap()
        .rules()
        .iter()
        .all(|r| r.version() != (2, 0, 0)));
}

#[test]
fn a_rule_whose_body_is_not_its_hash_is_refused() {
    rules_fault(
        |s| {
            let (_, _, country, body) = s.rules[1].clone();
            let path = format!("/rules/{country}/{}", server::sha256_hex(&body));
            let mut other = body.clone();
            other.push(b' ');
            s.tampered.insert(path, other);
        },
        "its sha-256 is not its hash",
    );
}

#[test]
fn a_response_signed_by_another_key_is_refused() {
    rules_fault(
        |s| s.wrong_key = Some(p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap()),
        "X-SIGNATURE does not verify",
    );
}

#[test]
fn a_rule_that_does_not_compile_is_refused_with_the_whole_set() {
    rules_fault(
        |s| {
            let (_, _, _, body) = &mut s.rules[1];
            let mut rule: serde_json::Value = serde_json::from_slice(body).unwrap();
            rule["Logic"] = serde_json::json!({"no-such-operation": [1]});
            *body = serde_json::to_vec(&rule).unwrap();
        },
        "rules",
    );
}

#[test]
fn sources_sync_together_and_one_failing_leaves_the_others_committed() {
    let (_, a) = new_signer("a");
    let dgca = Arc::new(Mutex::new(Dgca::default()));
    dgca.lock().unwrap().add(&a);
    let dgca_server = Dgca::serve(dgca);
    let (_state, rules_server, key) = rule_service();
    let (_dir, store) = store();
    let reports = store.sync(
        &[
            Source::EuDcc {
                url: dgca_server.url.clone(),
            },
            Source::EuRules {
                url: rules_server.url.clone(),
                key: b"not a key".to_vec(),
            },
        ],
        &http(),
        now(),
    );
    assert!(reports[0].ok && !reports[1].ok, "{reports:?}");
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.sources().len(), 1);
    assert!(snapshot.rules().is_none());
    // Now the rules too; the signers are kept though not named.
    let r = one(store.sync(
        &[Source::EuRules {
            url: rules_server.url.clone(),
            key,
        }],
        &http(),
        now(),
    ));
    assert!(r.ok, "{r:?}");
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.sources().len(), 2);
    assert_eq!(snapshot.trust_store().signers().kids().count(), 1);
}

// ---------------------------------------------------------------- VCI and GDHCN, real documents

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{ROOT}/tests/data/{path}")).unwrap()
}

type Files = Arc<Mutex<Vec<(&'static str, Vec<u8>)>>>;

/// Static files by path.
fn files(map: Vec<(&'static str, Vec<u8>)>) -> (Files, server::Server) {
    let state = Arc::new(Mutex::new(map));
    let s = state.clone();
    let server = server::serve(Arc::new(move |req: &server::Req| {
        match s.lock().unwrap().iter().find(|(p, _)| *p == req.path) {
            Some((_, body)) => server::Resp::new(200, body.clone()),
            None => server::Resp::new(404, ""),
        }
    }));
    (state, server)
}

#[test]
fn the_real_vci_snapshot_syncs_with_its_detached_signature() {
    let (state, server) = files(vec![
        (
            "/logs/vci_snapshot.json",
            data("directories/vci/vci_snapshot.json"),
        ),
        (
            "/logs/vci_snapshot.sig",
            data("directories/vci/vci_snapshot.sig"),
        ),
    ]);
    let (_dir, store) = store();
    let sources = [Source::Vci {
        url: format!("{}/logs/vci_snapshot.json", server.url),
        certificate: data("directories/vci/vci_snapshot.crt"),
    }];
    let r = one(store.sync(&sources, &http(), now()));
    assert!(r.ok, "{r:?}");
    // tests/data/directories/counts.json: 651 issuers, 594 keys accepted.
    assert_eq!(r.added, 651);
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.trust_store().shc_issuers().len(), 594);
    // One byte changed in the snapshot: its signature no longer verifies.
    let mut changed = data("directories/vci/vci_snapshot.json");
    let i = changed.len() / 2;
    changed[i] ^= 1;
    state.lock().unwrap()[0].1 = changed;
    let r = one(store.sync(&sources, &http(), now()));
    assert!(!r.ok);
    assert!(r.error.unwrap().starts_with("rejected:"));
    assert_eq!(
        store
            .snapshot(now())
            .unwrap()
            .trust_store()
            .shc_issuers()
            .len(),
        594
    );
}

#[cfg(feature = "gdhcn")]
#[test]
fn a_real_gdhcn_did_list_syncs_with_its_proof_checked_and_keys_selected() {
    let (_state, server) = files(vec![(
        "/v2/did.json",
        data("gdhcn/trustlists/dev-v2-root.did.json"),
    )]);
    let (_dir, store) = store();
    let sources = [Source::Gdhcn {
        url: format!("{}/v2/did.json", server.url),
        signer: data("gdhcn/signers/who-signing-dev.did.json"),
        domains: vec!["DCC".into()],
    }];
    let r = one(store.sync(&sources, &http(), now()));
    assert!(r.ok, "{r:?}");
    // tests/data/gdhcn/chain_counts.py: DCC, 37 chain (one kid mismatch).
    assert_eq!((r.added, r.refused.len()), (37, 1), "{r:?}");
    let snapshot = store.snapshot(now()).unwrap();
    assert_eq!(snapshot.trust_store().signers().len(), 37);
    // Signed by another WHO key: refused, the previous state kept.
    let wrong = [Source::Gdhcn {
        url: format!("{}/v2/did.json", server.url),
        signer: data("gdhcn/signers/who-signing-uat.did.json"),
        domains: vec![],
    }];
    let r = one(store.sync(&wrong, &http(), now()));
    assert!(!r.ok);
    assert_eq!(
        store.snapshot(now()).unwrap().trust_store().signers().len(),
        37
    );
}
