//! The EU business-rule service (dgca-businessrule-service): the rule list
//! (`GET rules`: `[{identifier, version, country, hash}]`), each rule by
//! hash (`GET rules/{country}/{hash}`), the value-set list (`GET
//! valuesets`: `[{id, hash}]`) and each value set by hash (`GET
//! valuesets/{hash}`).
//!
//! Every response's `X-SIGNATURE` (base64 of an ECDSA P-256 signature with
//! SHA-256 over the body, DER or r‖s) must verify against the configured
//! key — the reference app does not check it — and every document's SHA-256
//! must equal its hash. A document whose hash the store already holds is
//! not fetched again. The rules and value sets are all or nothing: they must
//! make one rule set (every rule compiles), else the source keeps its
//! previous state.
//!
//! Stored, each as received with its signature beside it: `rules.json` and
//! `rules.json.sig`, `valuesets.json` and `.sig`, `rule-{hash}.json` and
//! `.sig`, `valueset-{hash}.json` and `.sig`, and `key.der` (the key's
//! SubjectPublicKeyInfo) against which they are all checked again on open.

use std::collections::{BTreeMap, BTreeSet};

use base64ct::{Base64, Encoding as _};
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey as _;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use healthpass::rules::RuleSet;

use super::{join, Fetch, SourceReport};
use crate::http::{shorten, Request, Response};
use crate::store::{Generation, SourceState, Staging};
use crate::SyncError;

const NAME: &str = "eu-rules";
const KEY: &str = "key.der";
const RULES: &str = "rules.json";
const VALUESETS: &str = "valuesets.json";

/// At most this many rules, and value sets, in a list (the core's bound on
/// a rule set).
const MAX_ENTRIES: usize = 4096;

/// The key's SubjectPublicKeyInfo, from a certificate or a public key, PEM
/// or DER.
fn spki_of(key: &[u8]) -> Result<Vec<u8>, SyncError> {
    use x509_cert::der::{Decode as _, DecodePem as _, Encode as _};
    let bad =
        || SyncError::Rejected("the rules key is not a P-256 certificate or public key".into());
    let text = std::str::from_utf8(key)
        .ok()
        .filter(|t| t.contains("-----BEGIN"));
    let spki = match text {
        Some(t) if t.contains("CERTIFICATE") => x509_cert::Certificate::from_pem(t)
            .map_err(|_| bad())?
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|_| bad())?,
        Some(t) => VerifyingKey::from_public_key_pem(t)
            .map_err(|_| bad())
            .and_then(|k| {
                p256::pkcs8::EncodePublicKey::to_public_key_der(&k)
                    .map(|d| d.into_vec())
                    .map_err(|_| bad())
            })?,
        None => match x509_cert::Certificate::from_der(key) {
            Ok(cert) => cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .map_err(|_| bad())?,
            Err(_) => key.to_vec(),
        },
    };
    VerifyingKey::from_public_key_der(&spki).map_err(|_| bad())?;
    Ok(spki)
}

/// Checks a body's signature: base64 of DER or r‖s.
fn check_signature(
    key: &VerifyingKey,
    body: &[u8],
    signature: &str,
    what: &str,
) -> Result<(), SyncError> {
    let bytes = Base64::decode_vec(signature.trim())
        .map_err(|_| SyncError::Rejected(format!("{what}: X-SIGNATURE is not base64")))?;
    let signature = Signature::from_der(&bytes)
        .or_else(|_| Signature::from_slice(&bytes))
        .map_err(|_| {
            SyncError::Rejected(format!("{what}: X-SIGNATURE is not an ECDSA signature"))
        })?;
    key.verify(body, &signature)
        .map_err(|_| SyncError::Rejected(format!("{what}: X-SIGNATURE does not verify")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash as the list gives it: 64 hex digits, kept in lower case.
fn hash_of(entry: &Value, what: &str) -> Result<String, SyncError> {
    entry
        .get("hash")
        .and_then(Value::as_str)
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| SyncError::Source(format!("{what}: an entry has no sha-256 hash")))
}

struct Signed {
    body: Vec<u8>,
    signature: String,
}

fn fetch_signed(
    fetch: &mut Fetch<'_>,
    key: &VerifyingKey,
    url: String,
    what: &str,
) -> Result<Signed, SyncError> {
    let response: Response = fetch.get(&Request::get(url), &[200])?;
    let signature = response
        .header("x-signature")
        .map(str::to_owned)
        .ok_or_else(|| SyncError::Rejected(format!("{what}: no X-SIGNATURE")))?;
    check_signature(key, &response.body, &signature, what)?;
    Ok(Signed {
        body: response.body,
        signature,
    })
}

fn list(body: &[u8], what: &str) -> Result<Vec<Value>, SyncError> {
    match serde_json::from_slice(body) {
        Ok(Value::Array(items)) if items.len() <= MAX_ENTRIES => Ok(items),
        Ok(Value::Array(_)) => Err(SyncError::Source(format!(
            "{what}: more than {MAX_ENTRIES} entries"
        ))),
        _ => Err(SyncError::Source(format!("{what}: not a json array"))),
    }
}

pub(super) fn sync(
    url: &str,
    key: &[u8],
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
) -> Result<SourceReport, SyncError> {
    let spki = spki_of(key)?;
    let verifying = VerifyingKey::from_public_key_der(&spki)
        .map_err(|_| SyncError::Rejected("the rules key".into()))?;
    let old = staging
        .old()
        .filter(|g| g.manifest.sources.contains_key(NAME))
        .cloned();
    let held: BTreeSet<String> = old
        .as_ref()
        .and_then(|g| g.manifest.sources.get(NAME))
        .map(|s| s.files.iter().cloned().collect())
        .unwrap_or_default();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut put = |name: String, signed: Signed| {
        files.push((format!("{name}.sig"), signed.signature.into_bytes()));
        files.push((name, signed.body));
    };
    let mut report = SourceReport::ok(NAME);
    let mut wanted: Vec<String> = Vec::new();
    for (index, one, kind) in [
        ("rules", "rules", "rule"),
        ("valuesets", "valuesets", "valueset"),
    ] {
        let signed = fetch_signed(fetch, &verifying, join(url, index), index)?;
        let entries = list(&signed.body, index)?;
        for entry in &entries {
            let hash = hash_of(entry, index)?;
            let file = format!("{kind}-{hash}.json");
            if wanted.contains(&file) {
                continue;
            }
            let path = match kind {
                "rule" => {
                    let country = entry
                        .get("country")
                        .and_then(Value::as_str)
                        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
                        .ok_or_else(|| {
                            SyncError::Source("rules: an entry has no country".into())
                        })?;
                    format!("{one}/{country}/{hash}")
                }
                _ => format!("{one}/{hash}"),
            };
            if held.contains(&file) {
                report.unchanged += 1;
            } else {
                let doc = fetch_signed(fetch, &verifying, join(url, &path), &path)?;
                if hex(&Sha256::digest(&doc.body)) != hash {
                    return Err(SyncError::Rejected(format!(
                        "{}: its sha-256 is not its hash",
                        shorten(&path)
                    )));
                }
                put(file.clone(), doc);
                report.added += 1;
            }
            wanted.push(file);
        }
        put(format!("{index}.json"), signed);
    }
    report.removed = held
        .iter()
        .filter(|f| (f.starts_with("rule-") || f.starts_with("valueset-")) && f.ends_with(".json"))
        .filter(|f| !wanted.contains(f))
        .count();

    // Write: new documents from the responses, held ones from the old
    // generation (read back and checked like the rest below).
    staging.put(NAME, KEY, &spki)?;
    let mut names = vec![KEY.to_owned()];
    for (name, bytes) in &files {
        staging.put(NAME, name, bytes)?;
        names.push(name.clone());
    }
    if old.is_some() {
        for file in &wanted {
            if !files.iter().any(|(n, _)| n == file) {
                for name in [file.clone(), format!("{file}.sig")] {
                    staging.put_held(NAME, &name)?;
                    names.push(name);
                }
            }
        }
    }
    let state = SourceState {
        synced_at: fetch.now.as_secs(),
        url: url.to_owned(),
        files: names,
        cursor: BTreeMap::new(),
    };
    // The whole set must compile before it replaces the old one.
    rule_set(
        &state,
        |name| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| b.clone())
                .map_or_else(|| old_read(old.as_ref(), name), Ok)
        },
        &spki,
    )?;
    staging.record(NAME, state);
    Ok(report)
}

fn old_read(old: Option<&Generation>, name: &str) -> Result<Vec<u8>, SyncError> {
    old.ok_or_else(|| SyncError::Store(format!("{NAME}/{name}: missing")))?
        .read(NAME, name)
}

/// The rule set the source's files make, every signature and hash checked.
fn rule_set(
    state: &SourceState,
    read: impl Fn(&str) -> Result<Vec<u8>, SyncError>,
    spki: &[u8],
) -> Result<RuleSet, SyncError> {
    let key = VerifyingKey::from_public_key_der(spki)
        .map_err(|_| SyncError::Rejected(format!("{NAME}: {KEY} is not a P-256 key")))?;
    let signed = |name: &str| -> Result<Vec<u8>, SyncError> {
        let body = read(name)?;
        let signature = String::from_utf8(read(&format!("{name}.sig"))?).unwrap_or_default();
        check_signature(&key, &body, &signature, name)?;
        Ok(body)
    };
    let mut rules = Vec::new();
    let mut value_sets = Map::new();
    for (index, kind) in [(RULES, "rule"), (VALUESETS, "valueset")] {
        for entry in list(&signed(index)?, index)? {
            let hash = hash_of(&entry, index)?;
            let name = format!("{kind}-{hash}.json");
            if !state.files.contains(&name) {
                return Err(SyncError::Store(format!("{NAME}: {name} missing")));
            }
            let body = signed(&name)?;
            if hex(&Sha256::digest(&body)) != hash {
                return Err(SyncError::Rejected(format!(
                    "{NAME}: {name} is not its hash"
                )));
            }
            let doc: Value = serde_json::from_slice(&body)
                .map_err(|_| SyncError::Rejected(format!("{NAME}: {name} is not json")))?;
            if kind == "rule" {
                rules.push(doc);
            } else {
                let id = doc.get("valueSetId").and_then(Value::as_str);
                let values = doc.get("valueSetValues").and_then(Value::as_object);
                let (Some(id), Some(values)) = (id, values) else {
                    return Err(SyncError::Rejected(format!(
                        "{NAME}: {name} is not a value set {{valueSetId, valueSetValues}}"
                    )));
                };
                let codes = values.keys().cloned().map(Value::String).collect();
                value_sets.insert(id.to_owned(), Value::Array(codes));
            }
        }
    }
    let mut set = Map::new();
    set.insert("rules".into(), Value::Array(rules));
    if !value_sets.is_empty() {
        set.insert("valueSets".into(), Value::Object(value_sets));
    }
    let set = RuleSet::from_value(&Value::Object(set))
        .map_err(|e| SyncError::Rejected(format!("{NAME}: {e}")))?;
    // A rule with an expression the engine cannot evaluate would fail
    // every pass it applies to: the service sent something broken.
    if let Some((rule, issue)) = set
        .rules()
        .iter()
        .find_map(|r| r.issues().first().map(|i| (r, i)))
    {
        return Err(SyncError::Rejected(format!(
            "{NAME}: rule {}: {}",
            rule.identifier(),
            issue.message
        )));
    }
    Ok(set)
}

/// Verifies the source's files again and makes its rule set.
pub(crate) fn open(generation: &Generation) -> Result<Option<RuleSet>, SyncError> {
    let Some(state) = generation.manifest.sources.get(NAME) else {
        return Ok(None);
    };
    let spki = generation.read(NAME, KEY)?;
    rule_set(state, |name| generation.read(NAME, name), &spki).map(Some)
}
