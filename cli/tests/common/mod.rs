//! What the command line's tests share: running the built `healthpass` in
//! the repository root, reading its output, a scratch directory.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `verify --trust demo/trust.pem --at AT --json INPUT`.
pub fn verify_json(at: &str, input: &str) -> Output {
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

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn tmp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// `verify --trust demo/trust.pem --at 2026-12-01T12:00:00Z` and `extra`.
pub fn verify_with(extra: &[&str], input: &str) -> Output {
    let mut args = vec![
        "verify",
        "--trust",
        "demo/trust.pem",
        "--at",
        "2026-12-01T12:00:00Z",
    ];
    args.extend_from_slice(extra);
    args.push(input);
    run(&args)
}
