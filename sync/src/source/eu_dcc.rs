//! An EU DCC national backend's verifier API, walked as the EU verifier app
//! walks it: the list of valid kids (`GET signercertificateStatus`), then
//! one certificate per response (`GET signercertificateUpdate`, base64 DER,
//! with `X-KID` and `X-RESUME-TOKEN`) from the last resume token until 204;
//! then every kid the status list does not name is removed.
//!
//! Stricter than the app: a certificate is kept only when its computed kid
//! equals its `X-KID` and the core accepts it; a resume token that does not
//! move, or more pages than a directory may hold, fails the sync; when the
//! status list names a kid the store lacks after a resumed walk, the walk
//! is done again from the start (a kid that returns to the list is fetched
//! again, not lost).
//!
//! Stored: `signers.json` (`[{"kid", "rawData"}]`: each `X-KID` and body as
//! received) and `valid-kids.json` (the status body as received), which
//! the core's EU DCC loaders read back.

use std::collections::{BTreeMap, BTreeSet};

use base64ct::{Base64, Encoding as _};
use serde_json::{json, Value};

use healthpass::trust::store::{LoadOptions, TrustStore, MAX_DIRECTORY_ENTRIES};
use healthpass::trust::{kid_of, Kid};

use super::{join, Fetch, SourceReport};
use crate::http::{shorten, Request};
use crate::store::{Generation, SourceState, Staging};
use crate::SyncError;

const NAME: &str = "eu-dcc";
const SIGNERS: &str = "signers.json";
const VALID: &str = "valid-kids.json";
const TOKEN: &str = "resume-token";
/// The kids of certificates served but left out, as long as the status
/// list names them: they are not a reason to walk again from the start.
const REFUSED: &str = "refused-kids";

/// The largest certificate response read (a DSC is about 1 KiB).
const MAX_CERTIFICATE_BODY: usize = 64 * 1024;

fn kid_bytes(text: &str) -> Option<Kid> {
    Base64::decode_vec(text.trim())
        .ok()
        .and_then(|k| Kid::try_from(k).ok())
}

/// The signers a generation holds: kid → rawData.
fn held(old: Option<&Generation>) -> Result<BTreeMap<Kid, (String, String)>, SyncError> {
    let Some(old) = old.filter(|g| g.manifest.sources.contains_key(NAME)) else {
        return Ok(BTreeMap::new());
    };
    let list: Vec<Value> = serde_json::from_slice(&old.read(NAME, SIGNERS)?)
        .map_err(|e| SyncError::Store(format!("{NAME}/{SIGNERS}: {e}")))?;
    let mut held = BTreeMap::new();
    for item in list {
        let (Some(kid), Some(raw)) = (
            item.get("kid").and_then(Value::as_str),
            item.get("rawData").and_then(Value::as_str),
        ) else {
            return Err(SyncError::Store(format!(
                "{NAME}/{SIGNERS}: not a signer list"
            )));
        };
        let bytes = kid_bytes(kid)
            .ok_or_else(|| SyncError::Store(format!("{NAME}/{SIGNERS}: a kid is not 8 bytes")))?;
        held.insert(bytes, (kid.to_owned(), raw.to_owned()));
    }
    Ok(held)
}

pub(super) fn sync(
    url: &str,
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
) -> Result<SourceReport, SyncError> {
    let old = staging.old();
    let before = held(old)?;
    let cursor = old
        .and_then(|g| g.manifest.sources.get(NAME))
        .map(|s| s.cursor.clone())
        .unwrap_or_default();
    let token = cursor.get(TOKEN).cloned();
    let mut refused_kids: BTreeSet<Kid> = cursor
        .get(REFUSED)
        .map(|list| list.split(' ').filter_map(kid_bytes).collect())
        .unwrap_or_default();

    let status = fetch.get(&Request::get(join(url, "signercertificateStatus")), &[200])?;
    let valid = valid_kids(&status.body)?;

    let mut report = SourceReport::ok(NAME);
    let mut signers = before.clone();
    let mut last = walk(
        url,
        token.clone(),
        &mut signers,
        &mut refused_kids,
        &mut report,
        fetch,
    )?;
    let missing = |signers: &BTreeMap<Kid, _>, refused: &BTreeSet<Kid>| {
        valid
            .iter()
            .any(|k| !signers.contains_key(k) && !refused.contains(k))
    };
    if token.is_some() && missing(&signers, &refused_kids) {
        last = walk(
            url,
            None,
            &mut signers,
            &mut refused_kids,
            &mut report,
            fetch,
        )?;
    }
    signers.retain(|kid, _| valid.contains(kid));

    // What the core refuses (a key it cannot use, say) is left out too, so
    // that the store always opens.
    let mut list = signer_list(&signers);
    let mut probe = TrustStore::new();
    let loaded = probe
        .load(&list, &LoadOptions::new(format!("{NAME} {SIGNERS}")))
        .map_err(|e| SyncError::Rejected(e.to_string()))?;
    if !loaded.refused.is_empty() {
        let refused: BTreeSet<String> = loaded
            .refused
            .iter()
            .filter_map(|r| {
                let kid = r.entry.split("(kid ").nth(1)?.trim_end_matches(')');
                report
                    .refused
                    .push(format!("certificate {kid}: {}", r.reason));
                Some(kid.to_owned())
            })
            .collect();
        signers.retain(|bytes, (kid, _)| {
            let keep = !refused.contains(kid);
            if !keep {
                refused_kids.insert(*bytes);
            }
            keep
        });
        list = signer_list(&signers);
    }

    for kid in signers.keys() {
        if before.contains_key(kid) {
            report.unchanged += 1;
        } else {
            report.added += 1;
        }
    }
    report.removed = before.keys().filter(|k| !signers.contains_key(*k)).count();

    staging.put(NAME, SIGNERS, &list)?;
    staging.put(NAME, VALID, &status.body)?;
    let mut cursor = BTreeMap::new();
    if let Some(last) = last {
        cursor.insert(TOKEN.to_owned(), last);
    }
    let still_listed: Vec<String> = refused_kids
        .iter()
        .filter(|k| valid.contains(*k))
        .map(|k| Base64::encode_string(k))
        .collect();
    if !still_listed.is_empty() {
        cursor.insert(REFUSED.to_owned(), still_listed.join(" "));
    }
    staging.record(
        NAME,
        SourceState {
            synced_at: fetch.now.as_secs(),
            url: url.to_owned(),
            files: vec![SIGNERS.to_owned(), VALID.to_owned()],
            cursor,
        },
    );
    Ok(report)
}

fn valid_kids(body: &[u8]) -> Result<BTreeSet<Kid>, SyncError> {
    let bad = || SyncError::Source("signercertificateStatus: not a json array of kids".into());
    let list: Vec<String> = serde_json::from_slice(body).map_err(|_| bad())?;
    if list.len() > MAX_DIRECTORY_ENTRIES {
        return Err(SyncError::Source(
            "signercertificateStatus: more kids than a directory may hold".into(),
        ));
    }
    list.iter().map(|k| kid_bytes(k).ok_or_else(bad)).collect()
}

/// Walks `signercertificateUpdate` from `token` until 204; returns the last
/// resume token.
fn walk(
    url: &str,
    mut token: Option<String>,
    signers: &mut BTreeMap<Kid, (String, String)>,
    refused_kids: &mut BTreeSet<Kid>,
    report: &mut SourceReport,
    fetch: &mut Fetch<'_>,
) -> Result<Option<String>, SyncError> {
    let update = join(url, "signercertificateUpdate");
    for _ in 0..=MAX_DIRECTORY_ENTRIES {
        let mut request = Request::get(&update);
        request.max_body = MAX_CERTIFICATE_BODY;
        if let Some(t) = &token {
            request = request.header("X-RESUME-TOKEN", t);
        }
        let response = fetch.get(&request, &[200, 204])?;
        if response.status == 204 {
            return Ok(token);
        }
        let header = |name: &str| {
            response
                .header(name)
                .map(str::to_owned)
                .ok_or_else(|| SyncError::Source(format!("signercertificateUpdate: no {name}")))
        };
        let x_kid = header("x-kid")?;
        let next = header("x-resume-token")?;
        if token.as_deref() == Some(next.as_str()) {
            return Err(SyncError::Source(format!(
                "signercertificateUpdate: the resume token {} did not move",
                shorten(&next)
            )));
        }
        let raw = String::from_utf8(response.body)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        match (Base64::decode_vec(&raw), kid_bytes(&x_kid)) {
            (Ok(der), Some(kid)) if kid_of(&der) == kid => {
                signers.insert(kid, (x_kid, raw));
            }
            (Ok(der), Some(kid)) => {
                refused_kids.extend([kid, kid_of(&der)]);
                report.refused.push(format!(
                    "certificate {}: X-KID is not its kid",
                    shorten(&x_kid)
                ));
            }
            (Err(_), kid) => {
                refused_kids.extend(kid);
                report
                    .refused
                    .push(format!("certificate {}: not base64", shorten(&x_kid)));
            }
            (_, None) => report.refused.push(format!(
                "certificate {}: X-KID is not 8 bytes of base64",
                shorten(&x_kid)
            )),
        }
        token = Some(next);
    }
    Err(SyncError::Source(
        "signercertificateUpdate: more pages than a directory may hold".into(),
    ))
}

fn signer_list(signers: &BTreeMap<Kid, (String, String)>) -> Vec<u8> {
    let list: Vec<Value> = signers
        .values()
        .map(|(kid, raw)| json!({ "kid": kid, "rawData": raw }))
        .collect();
    serde_json::to_vec(&list).unwrap_or_default()
}

/// Verifies the source's files again into `store`.
/// The certificates (DER) the source holds, as received.
pub(crate) fn certificates(generation: &Generation) -> Result<Vec<Vec<u8>>, SyncError> {
    if !generation.manifest.sources.contains_key(NAME) {
        return Ok(Vec::new());
    }
    Ok(held(Some(generation))?
        .into_values()
        .filter_map(|(_, raw)| Base64::decode_vec(raw.trim()).ok())
        .collect())
}

pub(crate) fn open(generation: &Generation, store: &mut TrustStore) -> Result<(), SyncError> {
    let rejected = |e: healthpass::Error| SyncError::Rejected(format!("{NAME}: {e}"));
    store
        .load(
            &generation.read(NAME, SIGNERS)?,
            &LoadOptions::new(format!("{NAME} {SIGNERS}")).strict(),
        )
        .map_err(rejected)?;
    store
        .load(
            &generation.read(NAME, VALID)?,
            &LoadOptions::new(format!("{NAME} {VALID}")).strict(),
        )
        .map_err(rejected)?;
    Ok(())
}
