//! Tallies: lines a suite prints (`tally!`) and also writes, one file per
//! test, to `target/tmp/tally/<test>.txt`, so that CI can print them from the
//! one test run (tests run in parallel; a file per test keeps each in order).

use std::io::Write as _;

/// Prints a line and appends it to this test's tally file.
macro_rules! tally {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        println!("{line}");
        $crate::tally::record(&line);
    }};
}

/// Appends `line` to the current test's tally file (truncated on the
/// test's first line).
pub fn record(line: &str) {
    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("tally");
    let _ = std::fs::create_dir_all(&dir);
    let first = STARTED.with(|s| !s.replace(true));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(!first)
        .write(true)
        .truncate(first)
        .open(dir.join(format!("{test}.txt")));
    if let Ok(mut f) = file {
        let _ = writeln!(f, "{line}");
    }
}
