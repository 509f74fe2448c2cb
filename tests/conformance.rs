//! Conformance with the EU DCC test corpus (dgc-testdata).
//!
//! Every `*/2DCode/[Rr]aw/*.json` file, every EXPECTED* flag it sets
//! (EXPECTEDPICTUREDECODE only with the `qr` feature), judged as the corpus
//! README defines it, with VALIDATIONCLOCK as the clock. A flag set to true
//! must succeed, false must fail. `tests/conformance-exceptions.csv` names
//! each case that cannot agree and why; an exception that is no longer needed
//! fails the run too.

#[macro_use]
mod tally;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;

use std::sync::Arc;

use healthpass::cose::CoseSign1;
use healthpass::crypto::CryptoBackend;
use healthpass::payload::Payload;
use healthpass::transport;
use healthpass::{TrustList, UnixTime, Verifier};
use serde_json::Value as Json;

const CORPUS: &str = "tests/data/dgc-testdata";

fn raw_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            raw_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            let parent = p.parent().unwrap();
            let raw = parent
                .file_name()
                .unwrap()
                .to_string_lossy()
                .eq_ignore_ascii_case("raw");
            let code = parent
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "2DCode");
            if raw && code {
                out.push(p);
            }
        }
    }
}

fn hex(s: &str) -> Result<Vec<u8>, String> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return Err("odd hex".into());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// JSON equality where numbers compare by value (1 == 1.0).
fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

struct Case {
    name: String,
    doc: Json,
    backend: Arc<dyn CryptoBackend>,
}

impl Case {
    fn field(&self, key: &str) -> Option<&str> {
        self.doc
            .get(key)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
    }

    fn ctx(&self, key: &str) -> Option<&str> {
        self.doc
            .get("TESTCTX")
            .and_then(|c| c.get(key))
            .and_then(Json::as_str)
    }

    fn cose(&self) -> Result<Vec<u8>, String> {
        match self.field("COSE") {
            Some(h) => hex(h),
            None => transport::decode_text(self.field("PREFIX").ok_or("no COSE or PREFIX")?)
                .map_err(|e| e.to_string()),
        }
    }

    fn verifier(&self) -> Result<Verifier, String> {
        let mut trust = TrustList::with_backend(Arc::clone(&self.backend));
        let cert = self.ctx("CERTIFICATE").ok_or("no certificate")?;
        trust
            .add_base64(cert)
            .map_err(|e| format!("certificate: {e}"))?;
        Verifier::builder()
            .trust_list(trust)
            .build()
            .map_err(|e| e.to_string())
    }

    /// The corpus writes its clocks in several ISO 8601 forms: RFC 3339,
    /// `+hhmm` offsets, and no offset at all (taken as UTC).
    fn clock(&self) -> Result<UnixTime, String> {
        let c = self.ctx("VALIDATIONCLOCK").ok_or("no clock")?;
        let mut s = c.to_string();
        let tail = s.len().saturating_sub(5);
        let has_hhmm = s.len() > 19
            && matches!(s.as_bytes()[tail], b'+' | b'-')
            && s[tail + 1..].bytes().all(|b| b.is_ascii_digit());
        if has_hhmm {
            s.insert(s.len() - 2, ':');
        } else if !s.ends_with('Z') && !s[19.min(s.len())..].contains(['+', '-']) {
            s.push('Z');
        }
        UnixTime::parse_rfc3339(&s).map_err(|_| format!("bad clock {c}"))
    }

    /// The COMPRESSED field, or the Base45 decoding of the text when absent.
    fn compressed(&self) -> Result<Vec<u8>, String> {
        match self.field("COMPRESSED") {
            Some(h) => hex(h),
            None => {
                let b45 = match self.field("BASE45") {
                    Some(b) => b,
                    None => transport::strip_prefix(self.field("PREFIX").ok_or("no input")?)
                        .map_err(|e| e.to_string())?,
                };
                transport::base45_decode(b45).map_err(|e| e.to_string())
            }
        }
    }

    /// The kind of pass from the group the payload holds (whatever the
    /// number of entries in it).
    fn payload_kind(&self) -> Result<healthpass::PassKind, String> {
        use healthpass::PassKind;
        let p = self.cose_payload()?;
        let json = p.as_json();
        let present: Vec<_> = [
            ("v", PassKind::Vaccination),
            ("t", PassKind::Test),
            ("r", PassKind::Recovery),
        ]
        .into_iter()
        .filter(|(g, _)| json.get(*g).is_some_and(|v| !v.is_null()))
        .collect();
        match present.as_slice() {
            [(_, kind)] => Ok(*kind),
            _ => Err("not exactly one of v, t, r".into()),
        }
    }

    /// The payload of the CBOR field (which some files fill with the whole
    /// CWT claims instead).
    fn cbor_payload(&self) -> Option<Result<Payload, String>> {
        let bytes = match hex(self.field("CBOR")?) {
            Ok(b) => b,
            Err(e) => return Some(Err(e)),
        };
        Some(match healthpass::cwt::decode(&bytes) {
            Ok(d) => Ok(d.payload),
            Err(_) => Payload::from_cbor_bytes(&bytes).map_err(|e| e.to_string()),
        })
    }

    fn cose_payload(&self) -> Result<Payload, String> {
        let cose = self.cose()?;
        let unverified =
            healthpass::inspect::inspect_cose_unverified(&cose).map_err(|e| e.to_string())?;
        Ok(unverified.payload().clone())
    }

    fn judge(&self, flag: &str) -> Result<(), String> {
        match flag {
            #[cfg(feature = "qr")]
            "EXPECTEDPICTUREDECODE" => {
                use base64ct::{Base64, Encoding as _};
                let b64 = self.field("2DCODE").ok_or("no 2DCODE")?;
                let png = Base64::decode_vec(b64.trim()).map_err(|e| e.to_string())?;
                let text = healthpass::qr::decode_image(&png).map_err(|e| e.to_string())?;
                match self.field("PREFIX") {
                    Some(want) if want != text => Err("differs from PREFIX".into()),
                    _ => Ok(()),
                }
            }
            "EXPECTEDUNPREFIX" => {
                let text = self.field("PREFIX").ok_or("no PREFIX")?;
                let b45 = transport::strip_prefix(text).map_err(|e| e.to_string())?;
                match self.field("BASE45") {
                    Some(want) if want != b45 => Err("differs from BASE45".into()),
                    _ => Ok(()),
                }
            }
            "EXPECTEDB45DECODE" => {
                let b45 = match self.field("BASE45") {
                    Some(b) => b.to_string(),
                    None => transport::strip_prefix(self.field("PREFIX").ok_or("no input")?)
                        .map_err(|e| e.to_string())?
                        .to_string(),
                };
                let bytes = transport::base45_decode(&b45).map_err(|e| e.to_string())?;
                match self.field("COMPRESSED") {
                    Some(h) if hex(h)? != bytes => Err("differs from COMPRESSED".into()),
                    _ => Ok(()),
                }
            }
            "EXPECTEDCOMPRESSION" => {
                let z = self.compressed()?;
                let cose = transport::inflate(&z).map_err(|e| e.to_string())?;
                match self.field("COSE") {
                    Some(h) if hex(h)? != cose => Err("differs from COSE".into()),
                    _ => Ok(()),
                }
            }
            "EXPECTEDDECODE" => {
                let payload = match self.cose() {
                    Ok(_) => self.cose_payload()?,
                    Err(_) => self.cbor_payload().ok_or("no input")??,
                };
                match self.cbor_payload() {
                    Some(Ok(p)) if !json_eq(&p.to_json(), &payload.to_json()) => {
                        Err("differs from CBOR".into())
                    }
                    Some(Err(e)) => Err(format!("CBOR field: {e}")),
                    _ => Ok(()),
                }
            }
            "EXPECTEDVALIDJSON" => {
                let text = self.field("PREFIX").ok_or("no PREFIX")?;
                let u = healthpass::inspect::inspect_unverified(text).map_err(|e| e.to_string())?;
                let want = self.doc.get("JSON").ok_or("no JSON")?;
                if json_eq(&u.payload().to_json(), want) {
                    Ok(())
                } else {
                    Err("differs from JSON".into())
                }
            }
            "EXPECTEDSCHEMAVALIDATION" => {
                let payload = match self.cose_payload() {
                    Ok(p) => p,
                    Err(_) => match self.cbor_payload() {
                        Some(p) => p?,
                        None => Payload::from_json(self.doc.get("JSON").ok_or("no input")?.clone())
                            .map_err(|e| e.to_string())?,
                    },
                };
                payload.validate_schema().map_err(|e| e.to_string())
            }
            "EXPECTEDVALIDOBJECT" => {
                let json = self.doc.get("JSON").ok_or("no JSON")?.clone();
                let p = Payload::from_json(json).map_err(|e| e.to_string())?;
                p.validate_schema().map_err(|e| e.to_string())
            }
            "EXPECTEDENCODE" => {
                let json = self.doc.get("JSON").ok_or("no JSON")?.clone();
                let p = Payload::from_json(json).map_err(|e| e.to_string())?;
                let ours = Payload::from_cbor_bytes(&p.to_cbor()).map_err(|e| e.to_string())?;
                let theirs = match self.cbor_payload() {
                    Some(p) => p?,
                    None => self.cose_payload()?,
                };
                if json_eq(&ours.to_json(), &theirs.to_json()) {
                    Ok(())
                } else {
                    Err("differs from CBOR".into())
                }
            }
            "EXPECTEDVERIFY" => {
                let cose = self.cose()?;
                let sign1 = CoseSign1::parse(&cose).map_err(|e| e.to_string())?;
                self.verifier()?
                    .verify_hcert_signature(&sign1)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            "EXPECTEDEXPIRATIONCHECK" => {
                let cose = self.cose()?;
                let u = healthpass::inspect::inspect_cose_unverified(&cose)
                    .map_err(|e| e.to_string())?;
                let now = self.clock()?;
                if now < u.issued_at() {
                    Err(format!("before iat {}", u.issued_at()))
                } else if let Some(exp) = u.expires().filter(|&exp| now > exp) {
                    Err(format!("after exp {exp}"))
                } else {
                    Ok(())
                }
            }
            "EXPECTEDKEYUSAGE" => {
                // The key usage of TESTCTX.CERTIFICATE against the kind of
                // the payload; the signature is EXPECTEDVERIFY's business
                // (PL/*/6 sets VERIFY false and KEYUSAGE true).
                let mut trust = TrustList::with_backend(Arc::clone(&self.backend));
                let kid = trust
                    .add_base64(self.ctx("CERTIFICATE").ok_or("no certificate")?)
                    .map_err(|e| e.to_string())?;
                let signer = &trust.signers(&kid)[0];
                let kind = self.payload_kind()?;
                if signer.kinds().allows(kind) {
                    Ok(())
                } else {
                    Err(format!("{kind:?} not allowed by the signer's key usage"))
                }
            }
            other => Err(format!("unknown flag {other}")),
        }
    }
}

/// Flags this runner does not judge, and why.
const NOT_JUDGED: &[(&str, &str)] = &[
    #[cfg(not(feature = "qr"))]
    (
        "EXPECTEDPICTUREDECODE",
        "QR image decoding needs the qr feature",
    ),
    (
        "EXPTECTEDEXPIRED",
        "misspelt flag in the corpus, not defined by its README",
    ),
    ("EXPECTEDRESULTS", "misplaced key in the corpus, not a flag"),
];

/// Every raw file of the corpus, parsed (BOMs removed), named by its path
/// under the corpus root.
fn load_cases(backend: &Arc<dyn CryptoBackend>) -> Vec<Case> {
    let mut files = Vec::new();
    raw_files(Path::new(CORPUS), &mut files);
    assert!(
        files.len() >= 577,
        "corpus incomplete: {} files",
        files.len()
    );
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let doc: Json = serde_json::from_str(text.trim_start_matches('\u{feff}'))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .strip_prefix(CORPUS)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            Case {
                name: name.trim_start_matches('/').to_string(),
                doc,
                backend: Arc::clone(backend),
            }
        })
        .collect()
}

fn exceptions() -> BTreeMap<(String, String), String> {
    let text = std::fs::read_to_string("tests/conformance-exceptions.csv").unwrap();
    let mut m = BTreeMap::new();
    for line in text.lines().skip(1) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ',');
        let (file, flag, reason) = (
            parts.next().unwrap().to_string(),
            parts.next().unwrap().to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        assert!(!reason.is_empty(), "exception without a reason: {line}");
        m.insert((file, flag), reason);
    }
    m
}

#[test]
fn eu_dcc_corpus() {
    for (name, backend) in common::backends() {
        tally!("== backend {name}");
        corpus_with(backend);
    }
}

fn corpus_with(backend: Arc<dyn CryptoBackend>) {
    let cases = load_cases(&backend);
    let exceptions = exceptions();
    let mut used = BTreeSet::new();
    // flag -> (judged, agreed, excepted)
    let mut tally: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut by_wildcard = BTreeMap::new();

    for case in &cases {
        let Some(expected) = case.doc.get("EXPECTEDRESULTS").and_then(Json::as_object) else {
            continue;
        };
        for (flag, want) in expected {
            let Some(want) = want.as_bool() else { continue };
            if let Some((f, _)) = NOT_JUDGED.iter().find(|(f, _)| f == flag) {
                *skipped.entry(f).or_default() += 1;
                continue;
            }
            // The picture flag without a picture: nothing to judge (FR and
            // IE set it on files that carry no 2DCODE).
            if flag == "EXPECTEDPICTUREDECODE" && case.field("2DCODE").is_none() {
                *skipped
                    .entry("EXPECTEDPICTUREDECODE without 2DCODE")
                    .or_default() += 1;
                continue;
            }
            let got = case.judge(flag);
            let agrees = got.is_ok() == want;
            let t = tally.entry(flag.clone()).or_default();
            t.0 += 1;
            // An exception names one file, or `CC/*` for every file of a
            // country whose expectations for that flag are known to be wrong.
            let exact = (case.name.clone(), flag.clone());
            let country = case.name.split('/').next().unwrap_or_default();
            let wildcard = (format!("{country}/*"), flag.clone());
            let key = if exceptions.contains_key(&exact) {
                Some(exact)
            } else if exceptions.contains_key(&wildcard) {
                Some(wildcard.clone())
            } else {
                None
            };
            let excepted = key.is_some();
            let is_wildcard = key.as_ref() == Some(&wildcard);
            if let Some(k) = &key {
                if !agrees || !is_wildcard {
                    used.insert(k.clone());
                }
                if !agrees && is_wildcard {
                    *by_wildcard.entry(k.clone()).or_insert(0usize) += 1;
                }
            }
            match (agrees, excepted && !(agrees && is_wildcard)) {
                (true, false) => t.1 += 1,
                (false, true) => t.2 += 1,
                (false, false) => unexpected.push(format!(
                    "{} {flag}: expected {}, got {:?}",
                    case.name,
                    if want { "success" } else { "failure" },
                    got
                )),
                (true, true) => unexpected.push(format!(
                    "{} {flag}: listed as an exception but now agrees",
                    case.name
                )),
            }
        }
    }

    tally!("conformance: {} files", cases.len());
    tally!(
        "{:<26} {:>7} {:>7} {:>9}",
        "flag",
        "judged",
        "agreed",
        "excepted"
    );
    let (mut j, mut a, mut x) = (0, 0, 0);
    for (flag, (judged, agreed, excepted)) in &tally {
        tally!("{flag:<26} {judged:>7} {agreed:>7} {excepted:>9}");
        j += judged;
        a += agreed;
        x += excepted;
    }
    tally!("{:<26} {j:>7} {a:>7} {x:>9}", "total");
    for ((files, flag), n) in &by_wildcard {
        tally!("excepted by the rule for {files} {flag}: {n}");
    }
    for (flag, n) in &skipped {
        let why = NOT_JUDGED
            .iter()
            .find(|(f, _)| f == flag)
            .map_or("", |(_, w)| w);
        tally!("not judged: {flag} x{n} ({why})");
    }
    for key in exceptions.keys() {
        if key.1 != "END-TO-END" && !used.contains(key) {
            unexpected.push(format!("exception {key:?} matches no judged flag"));
        }
    }
    for u in &unexpected {
        tally!("UNEXPECTED {u}");
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected results",
        unexpected.len()
    );
}

/// The whole pipeline, `Verifier::verify` on the PREFIX text at
/// VALIDATIONCLOCK, against the flags that concern it: a file whose VERIFY,
/// EXPIRATIONCHECK and KEYUSAGE are all true (where set, with VERIFY set)
/// must verify; one with any of them false must not.
#[test]
fn end_to_end_verify() {
    for (name, backend) in common::backends() {
        tally!("== backend {name}");
        end_to_end_with(backend);
    }
}

fn end_to_end_with(backend: Arc<dyn CryptoBackend>) {
    let exceptions = exceptions();
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    let mut unexpected = Vec::new();
    for case in &load_cases(&backend) {
        let flag = |f: &str| case.doc["EXPECTEDRESULTS"].get(f).and_then(Json::as_bool);
        let relevant = [
            "EXPECTEDVERIFY",
            "EXPECTEDEXPIRATIONCHECK",
            "EXPECTEDKEYUSAGE",
        ];
        if relevant
            .iter()
            .any(|f| exceptions.contains_key(&(case.name.clone(), f.to_string())))
        {
            skipped += 1;
            continue;
        }
        if let Some(reason) = exceptions.get(&(case.name.clone(), "END-TO-END".to_string())) {
            assert!(
                verifier_rejects(case),
                "{}: excepted ({reason}) but verifies",
                case.name
            );
            skipped += 1;
            continue;
        }
        let want = match relevant.map(flag) {
            _ if relevant.iter().any(|f| flag(f) == Some(false)) => false,
            [Some(true), Some(true), Some(true)] => true,
            _ => {
                skipped += 1;
                continue;
            }
        };
        let (Ok(verifier), Ok(now), Some(text)) =
            (case.verifier(), case.clock(), case.field("PREFIX"))
        else {
            skipped += 1;
            continue;
        };
        let got = verifier.verify_hcert(text, now);
        if got.is_ok() {
            accepted += 1;
        } else {
            rejected += 1;
        }
        if got.is_ok() != want {
            unexpected.push(format!(
                "{}: want {}, got {:?}",
                case.name,
                want,
                got.map(|p| p.verdict())
            ));
        }
    }
    tally!("end to end: {accepted} accepted, {rejected} rejected, {skipped} not judged");
    for u in &unexpected {
        tally!("UNEXPECTED {u}");
    }
    assert!(unexpected.is_empty(), "{} unexpected", unexpected.len());
}

fn verifier_rejects(case: &Case) -> bool {
    match (case.verifier(), case.clock(), case.field("PREFIX")) {
        (Ok(v), Ok(now), Some(text)) => v.verify_hcert(text, now).is_err(),
        _ => true,
    }
}
