//! Helpers shared by the sync crate's tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64ct::{Base64, Encoding as _};
use healthpass::issue::{self_signed_certificate, CertificateParams, SigningKey};
use healthpass::signed::Validity;
use healthpass::UnixTime;
use healthpass_sync::http::Timeouts;
use healthpass_sync::{HttpTransport, SourceReport, Store};

pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
pub const DEMO_PASS: &str = include_str!("../../../demo/valid.txt");

pub fn t(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap()
}

pub fn now() -> UnixTime {
    t("2026-12-01T12:00:00Z")
}

pub fn store() -> (tempdir::Dir, Store) {
    let dir = tempdir::Dir::new();
    let store = Store::new(dir.path().join("store"));
    (dir, store)
}

/// A scratch directory removed on drop (no tempfile dependency).
pub mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct Dir(PathBuf);
    static N: AtomicUsize = AtomicUsize::new(0);

    impl Dir {
        pub fn new() -> Self {
            let p = std::env::temp_dir().join(format!(
                "hp-sync-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub fn http() -> HttpTransport {
    HttpTransport::new(Timeouts {
        connect: Duration::from_secs(5),
        request: Duration::from_secs(5),
    })
}

pub fn der_of_pem(text: &str) -> Vec<u8> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.starts_with('#'))
        .collect();
    Base64::decode_vec(body.trim()).unwrap()
}

pub fn demo_der() -> Vec<u8> {
    der_of_pem(&std::fs::read_to_string(format!("{ROOT}/demo/trust.pem")).unwrap())
}

/// Every distinct certificate of the PathCheck registry's EUDCC section.
pub fn registry_certificates() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(format!(
        "{ROOT}/tests/data/directories/pathcheck/registry.json"
    ))
    .unwrap();
    let registry: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for entry in registry["EUDCC"].as_object().unwrap().values() {
        let doc = entry["didDocument"].as_str().unwrap_or_default();
        if doc.contains("BEGIN CERTIFICATE") {
            let der = der_of_pem(doc);
            if !out.contains(&der) {
                out.push(der);
            }
        }
    }
    out
}

pub fn counts() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(format!("{ROOT}/tests/data/sync/counts.json")).unwrap(),
    )
    .unwrap()
}

pub fn one(reports: Vec<SourceReport>) -> SourceReport {
    assert_eq!(reports.len(), 1, "{reports:?}");
    reports.into_iter().next().unwrap()
}

pub fn new_signer(cn: &str) -> (SigningKey, Vec<u8>) {
    let key = SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap();
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2040-01-01T00:00:00Z")).unwrap();
    let der = self_signed_certificate(&key, &CertificateParams::new("XX", cn, validity)).unwrap();
    (key, der)
}

pub fn files_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}
