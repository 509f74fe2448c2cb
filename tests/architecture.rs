//! The module structure: no module of the crate imports one that imports it
//! back (directly or through others). Dependencies point down the pipeline.
//!
//! Read from the sources: every `crate::…` path in `src/<module>.rs` or
//! `src/<module>/…` is an edge from `<module>` to the top-level module the
//! path names (a name re-exported at the crate root counts for the module
//! that defines it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Strips comments (line and doc comments) so that prose naming a module
/// is not an import.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names a `crate::` path starts with, expanding `crate::{a, b::c}`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
        rest = after;
    }
    out
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    // Root re-exports: `pub use module::…::{A, B};` → A, B live in module.
    let mut home: BTreeMap<String, String> = BTreeMap::new();
    let lib_code = code_of(&lib);
    for stmt in lib_code.split(';') {
        let stmt = stmt.trim();
        let Some(path) = stmt.strip_prefix("pub use ") else {
            continue;
        };
        let module: String = path
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let names = match (path.find('{'), path.rfind('}')) {
            (Some(a), Some(b)) => path[a + 1..b].to_string(),
            _ => path.rsplit("::").next().unwrap_or("").to_string(),
        };
        for n in names.split(',') {
            let n = n.trim();
            if !n.is_empty() {
                home.insert(n.to_string(), module.clone());
            }
        }
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules: BTreeSet<String> = BTreeSet::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        modules.insert(module.clone());
    }
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        // Unit tests may reach anywhere; the structure is the library's.
        let code = match code.find("#[cfg(test)]\nmod tests") {
            Some(i) => code[..i].to_string(),
            None => code,
        };
        for name in crate_paths(&code) {
            let target = if modules.contains(&name) {
                name
            } else if let Some(m) = home.get(&name) {
                m.clone()
            } else {
                continue; // a macro or an item of lib.rs itself
            };
            if target != module {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|s| s == m).unwrap_or(0);
                let mut cycle = stack[at..].to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in &modules {
        let mut stack = Vec::new();
        if let Some(cycle) = visit(m, &edges, &mut state, &mut stack) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
    }
    // Print the layering, bottom first, for the record.
    let mut order: Vec<(usize, String)> = Vec::new();
    fn depth(m: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> usize {
        edges
            .get(m)
            .into_iter()
            .flatten()
            .map(|n| 1 + depth(n, edges))
            .max()
            .unwrap_or(0)
    }
    for m in &modules {
        order.push((depth(m, &edges), m.clone()));
    }
    order.sort();
    for (d, m) in order {
        let deps: Vec<_> = edges.get(&m).into_iter().flatten().cloned().collect();
        println!("{d} {m} → {}", deps.join(", "));
    }
}

#[test]
fn the_parser_sees_grouped_and_plain_paths() {
    let code =
        "use crate::{cbor, cose::CoseSign1, Error};\nlet x = crate::time::UnixTime::from_secs(0);";
    assert_eq!(crate_paths(code), ["cbor", "cose", "Error", "time"]);
    assert_eq!(code_of("a // crate::x\nb"), "a \nb");
}
