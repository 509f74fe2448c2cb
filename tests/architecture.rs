//! The module structure: no module of the crate imports one that imports it
//! back, directly or through others. Dependencies point down the pipeline.
//!
//! The nodes are the modules two levels deep: a top-level module (`cbor`,
//! `verify`), and each submodule of a directory module (`trust::list`,
//! `formats::shc`, `verify::hcert`); a directory's `mod.rs` is its own node
//! and deeper files fold into their level-two ancestor. Read from the
//! sources: every `use` and every `crate::`/`super::`/`self::` path is an
//! edge to the node that defines what it names. A re-export (`pub use`) is
//! not an edge but an alias: a path through it counts for the module that
//! defines the item.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModPath = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module a file defines: `a/b.rs` and `a/b/mod.rs` → `a::b`.
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn node_of(m: &[String]) -> String {
    if m.is_empty() {
        "(root)".to_string()
    } else {
        m[..m.len().min(2)].join("::")
    }
}

/// The code without comments, string literals and unit tests.
fn code_of(text: &str) -> String {
    // Unit tests may reach anywhere: the structure is the library's.
    let text = text
        .match_indices("#[cfg(test)]\n")
        .find(|(i, m)| {
            let next = text[i + m.len()..].lines().next().unwrap_or("");
            next.contains("mod tests")
        })
        .map_or(text, |(i, _)| &text[..i]);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            // A char literal ('x', '\n', '"'), not a lifetime.
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let mut it = rest.chars();
                match (it.next(), it.next(), it.next()) {
                    (Some('\\'), Some(_), _) => {
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                        }
                    }
                    (Some(_), Some('\''), _) => {
                        chars.next();
                        chars.next();
                    }
                    _ => out.push(c),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A `use` tree, expanded: each path with the name it is bound to.
fn expand_use(tree: &str, prefix: &[String], out: &mut Vec<(ModPath, Option<String>)>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: ModPath = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut base = prefix.to_vec();
        base.extend(head);
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_use(&inner[start..i], &base, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_use(&inner[start..], &base, out);
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p, Some(a.trim().to_string())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    full.extend(
        path.split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    );
    if full.last().is_some_and(|s| s == "self") {
        full.pop();
    }
    let name = alias.or_else(|| full.last().cloned());
    out.push((full, name));
}

struct Source {
    module: ModPath,
    children: BTreeSet<String>,
    /// `use` statements: (is a re-export, path, bound name).
    uses: Vec<(bool, ModPath, Option<String>)>,
    /// Other `crate::`/`super::`/`self::` paths in the code.
    paths: Vec<ModPath>,
    /// The code besides `use` statements.
    code: String,
}

fn parse(module: ModPath, code: &str) -> Source {
    let mut children = BTreeSet::new();
    let mut uses = Vec::new();
    let mut rest_code = String::new();
    for stmt in code.split_inclusive(';') {
        let trimmed = stmt.trim_start();
        // Attributes before an item: skip them.
        let mut item = trimmed;
        while item.starts_with("#[") {
            let end = item.find(']').map(|i| i + 1).unwrap_or(item.len());
            item = item[end..].trim_start();
        }
        let (public, body) = if let Some(b) = item.strip_prefix("pub use ") {
            (true, Some(b))
        } else if let Some(b) = item.strip_prefix("pub(crate) use ") {
            (true, Some(b))
        } else if let Some(b) = item.strip_prefix("pub(super) use ") {
            (true, Some(b))
        } else if let Some(b) = item.strip_prefix("use ") {
            (false, Some(b))
        } else {
            (false, None)
        };
        if let Some(body) = body {
            let mut expanded = Vec::new();
            expand_use(body.trim_end_matches(';'), &[], &mut expanded);
            for (path, name) in expanded {
                uses.push((public, path, name));
            }
            continue;
        }
        for decl in ["pub mod ", "pub(crate) mod ", "mod "] {
            if let Some(name) = item.strip_prefix(decl) {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if item.trim_end().ends_with(';') {
                    children.insert(name);
                }
            }
        }
        rest_code.push_str(stmt);
    }
    let mut paths = Vec::new();
    let bytes = rest_code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = rest_code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            let mut path: ModPath = Vec::new();
            for seg in rest_code[at..].split("::") {
                let ident: String = seg
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let whole = ident.len() == seg.len();
                if !ident.is_empty() {
                    path.push(ident);
                }
                if !whole || path.is_empty() {
                    break;
                }
            }
            paths.push(path);
        }
    }
    Source {
        module,
        children,
        uses,
        paths,
        code: rest_code,
    }
}

/// Whether `word` occurs in `code` as a whole identifier.
fn uses_word(code: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

struct Crate {
    modules: BTreeSet<ModPath>,
    /// Re-exports: (module, name) → the path it names.
    aliases: BTreeMap<(ModPath, String), ModPath>,
    /// Each module's child modules.
    children: BTreeMap<ModPath, BTreeSet<String>>,
}

impl Crate {
    /// A path as written in `module`, made absolute.
    fn absolute(&self, module: &ModPath, path: &[String]) -> Option<ModPath> {
        let (first, rest) = path.split_first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" => module.clone(),
            "super" => {
                let mut m = module.clone();
                m.pop();
                m
            }
            name if self.children.get(module).is_some_and(|c| c.contains(name)) => {
                let mut m = module.clone();
                m.push(name.to_string());
                m
            }
            _ => return None, // another crate (std, serde…)
        };
        let mut rest = rest;
        while let Some(("super", r)) = rest.split_first().map(|(a, r)| (a.as_str(), r)) {
            base.pop();
            rest = r;
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The module that defines what an absolute path names, through
    /// re-exports.
    fn home(&self, path: &[String]) -> ModPath {
        let mut path = path.to_vec();
        for _ in 0..16 {
            let mut module: ModPath = Vec::new();
            let mut i = 0;
            while i < path.len() {
                let mut next = module.clone();
                next.push(path[i].clone());
                if self.modules.contains(&next) {
                    module = next;
                    i += 1;
                } else {
                    break;
                }
            }
            match path.get(i) {
                Some(name) => match self.aliases.get(&(module.clone(), name.clone())) {
                    Some(target) if target.as_slice() != path.as_slice() => {
                        let mut p = target.clone();
                        p.extend(path[i + 1..].iter().cloned());
                        path = p;
                    }
                    _ => return module,
                },
                None => return module,
            }
        }
        path
    }
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap();
            parse(
                module_of(rel),
                &code_of(&std::fs::read_to_string(f).unwrap()),
            )
        })
        .collect()
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let sources = sources();
    let mut krate = Crate {
        modules: sources.iter().map(|s| s.module.clone()).collect(),
        aliases: BTreeMap::new(),
        children: sources
            .iter()
            .map(|s| (s.module.clone(), s.children.clone()))
            .collect(),
    };
    for s in &sources {
        for (public, path, name) in &s.uses {
            if let (true, Some(name)) = (public, name) {
                if let Some(abs) = krate.absolute(&s.module, path) {
                    krate.aliases.insert((s.module.clone(), name.clone()), abs);
                }
            }
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in &sources {
        let from = node_of(&s.module);
        edges.entry(from.clone()).or_default();
        // A re-export counts as an edge too where the file itself uses the
        // name it binds.
        let written = s
            .uses
            .iter()
            .filter(|(public, _, name)| {
                !public || name.as_deref().is_some_and(|n| uses_word(&s.code, n))
            })
            .map(|(_, p, _)| p)
            .chain(&s.paths);
        for path in written {
            let Some(abs) = krate.absolute(&s.module, path) else {
                continue;
            };
            let to = node_of(&krate.home(&abs));
            if to != from && to != "(root)" {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// The groups of modules that import each other (strongly connected
/// components of more than one module), by Tarjan's algorithm.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Tarjan<'e> {
        edges: &'e BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on_stack: BTreeSet<String>,
        groups: Vec<Vec<String>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, m: &str) {
            let i = self.index.len();
            self.index.insert(m.to_string(), i);
            self.low.insert(m.to_string(), i);
            self.stack.push(m.to_string());
            self.on_stack.insert(m.to_string());
            for next in self.edges.get(m).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let l = self.low[m].min(self.low[next]);
                    self.low.insert(m.to_string(), l);
                } else if self.on_stack.contains(next) {
                    let l = self.low[m].min(self.index[next]);
                    self.low.insert(m.to_string(), l);
                }
            }
            if self.low[m] == self.index[m] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(&top);
                    let done = top == m;
                    group.push(top);
                    if done {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for m in edges.keys() {
        if !t.index.contains_key(m) {
            t.visit(m);
        }
    }
    t.groups
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let edges = edges();
    let groups = cycles(&edges);
    assert!(
        groups.is_empty(),
        "modules that import each other: {}",
        groups
            .iter()
            .map(|g| g.join(" ⇄ "))
            .collect::<Vec<_>>()
            .join("; ")
    );
    // The layering, bottom first, for the record.
    fn depth(m: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> usize {
        edges
            .get(m)
            .into_iter()
            .flatten()
            .map(|n| 1 + depth(n, edges))
            .max()
            .unwrap_or(0)
    }
    let mut order: Vec<(usize, &String)> = edges.keys().map(|m| (depth(m, &edges), m)).collect();
    order.sort();
    for (d, m) in order {
        let deps: Vec<&str> = edges[m].iter().map(String::as_str).collect();
        println!("{d} {m} → {}", deps.join(", "));
    }
}

#[test]
fn the_reader_sees_use_trees_paths_and_reexports() {
    let code = code_of(
        "use crate::{cbor, cose::CoseSign1, trust::{Kid, list::TrustList}};\n\
         pub use inner::Thing;\nmod inner;\n\
         // crate::not_an_edge\n\
         fn f() { let x = crate::time::UnixTime::from_secs(0); let s = \"crate::nope\"; super::sibling::g(); }",
    );
    let s = parse(vec!["a".into(), "b".into()], &code);
    let used: Vec<String> = s.uses.iter().map(|(_, p, _)| p.join("::")).collect();
    assert_eq!(
        used,
        [
            "crate::cbor",
            "crate::cose::CoseSign1",
            "crate::trust::Kid",
            "crate::trust::list::TrustList",
            "inner::Thing"
        ]
    );
    assert!(s.uses[4].0, "a pub use is a re-export");
    assert!(s.children.contains("inner"));
    let paths: Vec<String> = s.paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        paths,
        ["crate::time::UnixTime::from_secs", "super::sibling::g"]
    );
    let krate = Crate {
        modules: [vec![], vec!["a".into()], vec!["a".into(), "sibling".into()]]
            .into_iter()
            .collect(),
        aliases: BTreeMap::new(),
        children: BTreeMap::new(),
    };
    let abs = krate
        .absolute(&vec!["a".into(), "b".into()], &s.paths[1])
        .unwrap();
    assert_eq!(node_of(&krate.home(&abs)), "a::sibling");
}
