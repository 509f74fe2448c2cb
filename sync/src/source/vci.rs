//! The VCI directory snapshot of SMART Health Card issuers, as
//! the-commons-project/vci-directory publishes it: the snapshot
//! (`…/vci_snapshot.json`) and beside it its detached signature
//! (`…/vci_snapshot.sig`: ECDSA P-521, SHA-512), checked by the core
//! against the directory's certificate before anything is read, all or
//! nothing, the certificate valid at the caller's time.
//!
//! Stored: `snapshot.json`, `snapshot.sig` and `certificate.pem`, loaded
//! again on open.

use std::collections::{BTreeMap, BTreeSet};

use healthpass::trust::store::{LoadOptions, TrustStore};
use healthpass::UnixTime;

use super::{Fetch, SourceReport};
use crate::http::Request;
use crate::store::{Generation, SourceState, Staging};
use crate::SyncError;

const NAME: &str = "vci";
const SNAPSHOT: &str = "snapshot.json";
const SIGNATURE: &str = "snapshot.sig";
const CERTIFICATE: &str = "certificate.pem";

/// Where the detached signature of the snapshot at `url` is.
pub(crate) fn signature_url(url: &str) -> String {
    match url.strip_suffix(".json") {
        Some(stem) => format!("{stem}.sig"),
        None => format!("{url}.sig"),
    }
}

fn load(
    store: &mut TrustStore,
    snapshot: &[u8],
    signature: &[u8],
    certificate: &[u8],
    now: UnixTime,
) -> Result<usize, SyncError> {
    let options = LoadOptions::new(format!("{NAME} {SNAPSHOT}"))
        .signed_by(signature.to_vec(), certificate.to_vec())
        .at(now);
    store
        .load(snapshot, &options)
        .map(|r| r.accepted)
        .map_err(|e| SyncError::Rejected(e.to_string()))
}

/// The issuers (`iss`) a snapshot lists.
fn issuers(snapshot: &[u8]) -> BTreeSet<String> {
    serde_json::from_slice::<serde_json::Value>(snapshot)
        .ok()
        .and_then(|d| {
            d.get("issuerInfo")?.as_array().map(|list| {
                list.iter()
                    .filter_map(|i| i.get("issuer")?.get("iss")?.as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default()
}

pub(super) fn sync(
    url: &str,
    certificate: &[u8],
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
) -> Result<SourceReport, SyncError> {
    let snapshot = fetch.get(&Request::get(url), &[200])?.body;
    let signature = fetch.get(&Request::get(signature_url(url)), &[200])?.body;
    load(
        &mut TrustStore::new(),
        &snapshot,
        &signature,
        certificate,
        fetch.now,
    )?;
    let before = match staging
        .old()
        .filter(|g| g.manifest.sources.contains_key(NAME))
    {
        Some(old) => issuers(&old.read(NAME, SNAPSHOT)?),
        None => BTreeSet::new(),
    };
    let now_listed = issuers(&snapshot);
    let mut report = SourceReport::ok(NAME);
    report.added = now_listed.difference(&before).count();
    report.removed = before.difference(&now_listed).count();
    report.unchanged = now_listed.intersection(&before).count();
    staging.put(NAME, SNAPSHOT, &snapshot)?;
    staging.put(NAME, SIGNATURE, &signature)?;
    staging.put(NAME, CERTIFICATE, certificate)?;
    staging.record(
        NAME,
        SourceState {
            synced_at: fetch.now.as_secs(),
            url: url.to_owned(),
            files: vec![SNAPSHOT.into(), SIGNATURE.into(), CERTIFICATE.into()],
            cursor: BTreeMap::new(),
        },
    );
    Ok(report)
}

/// Verifies the snapshot again into `store`.
pub(crate) fn open(
    generation: &Generation,
    store: &mut TrustStore,
    now: UnixTime,
) -> Result<(), SyncError> {
    load(
        store,
        &generation.read(NAME, SNAPSHOT)?,
        &generation.read(NAME, SIGNATURE)?,
        &generation.read(NAME, CERTIFICATE)?,
        now,
    )
    .map(|_| ())
    .map_err(|e| SyncError::Rejected(format!("{NAME}: {e}")))
}
