//! This crate's own signed trust list, served as a static file by any web
//! server or CDN: fetched with `If-None-Match` (a 304 confirms the list
//! held), verified against the configured anchors, its sequence never
//! going back.
//!
//! Stored: `list.cbor` as received and `anchors.pem` (the anchors it was
//! checked against, checked against again on open).

use std::collections::BTreeMap;

use healthpass::trust::signed_list::TrustListLoader;
use healthpass::{TrustList, UnixTime};

use super::{Fetch, SourceReport};
use crate::http::Request;
use crate::store::{Generation, SourceState, Staging};
use crate::SyncError;

const NAME: &str = "trust-list";
const LIST: &str = "list.cbor";
const ANCHORS: &str = "anchors.pem";
const ETAG: &str = "etag";
const SEQUENCE: &str = "sequence";

fn anchors_of(bytes: &[u8]) -> Result<TrustList, SyncError> {
    let mut anchors = TrustList::new();
    anchors
        .add_any(bytes)
        .map_err(|e| SyncError::Rejected(format!("{NAME}: the anchors: {e}")))?;
    Ok(anchors)
}

fn load(
    list: &[u8],
    anchors: &[u8],
    min_sequence: u64,
    now: UnixTime,
) -> Result<TrustList, SyncError> {
    TrustListLoader::new(anchors_of(anchors)?)
        .min_sequence(min_sequence)
        .load(list, now)
        .map_err(|e| SyncError::Rejected(format!("{NAME}: {e}")))
}

pub(super) fn sync(
    url: &str,
    anchors: &[u8],
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
) -> Result<SourceReport, SyncError> {
    let old = staging
        .old()
        .filter(|g| g.manifest.sources.contains_key(NAME))
        .cloned();
    let old_state = old
        .as_ref()
        .and_then(|g| g.manifest.sources.get(NAME))
        .cloned();
    let old_list = match &old {
        Some(g) => Some(load(
            &g.read(NAME, LIST)?,
            &g.read(NAME, ANCHORS)?,
            0,
            fetch.now,
        )?),
        None => None,
    };
    let mut request = Request::get(url);
    let same_place = old_state.as_ref().is_some_and(|s| s.url == url);
    if let Some(etag) = old_state
        .as_ref()
        .filter(|_| same_place)
        .and_then(|s| s.cursor.get(ETAG))
    {
        request = request.header("If-None-Match", etag);
    }
    let response = fetch.get(&request, &[200, 304])?;
    let mut report = SourceReport::ok(NAME);
    let (body, state) = if response.status == 304 {
        let (Some(old), Some(mut state)) = (&old, old_state.clone()) else {
            return Err(SyncError::Source(format!(
                "{NAME}: 304 to a request that held nothing"
            )));
        };
        // The list held, checked against the anchors configured now.
        let list = load(&old.read(NAME, LIST)?, anchors, 0, fetch.now)?;
        report.unchanged = list.kids().count();
        state.synced_at = fetch.now.as_secs();
        (old.read(NAME, LIST)?, state)
    } else {
        let min = old_list
            .as_ref()
            .and_then(|l| l.published().map(|(_, s)| s))
            .unwrap_or(0);
        let list = load(&response.body, anchors, min, fetch.now)?;
        if let (Some(old), Some((id, _))) = (&old_list, list.published()) {
            if old.published().is_some_and(|(old_id, _)| old_id != id) {
                return Err(SyncError::Rejected(format!(
                    "{NAME}: list {id} is not the list held"
                )));
            }
        }
        let kids = |l: &TrustList| -> std::collections::BTreeSet<String> {
            l.kids().map(|k| format!("{k:02x?}")).collect()
        };
        let new_kids = kids(&list);
        let old_kids = old_list.as_ref().map(kids).unwrap_or_default();
        report.added = new_kids.difference(&old_kids).count();
        report.removed = old_kids.difference(&new_kids).count();
        report.unchanged = new_kids.intersection(&old_kids).count();
        let mut cursor = BTreeMap::new();
        if let Some(etag) = response.header("etag") {
            cursor.insert(ETAG.to_owned(), etag.to_owned());
        }
        if let Some((_, sequence)) = list.published() {
            cursor.insert(SEQUENCE.to_owned(), sequence.to_string());
        }
        let state = SourceState {
            synced_at: fetch.now.as_secs(),
            url: url.to_owned(),
            files: vec![LIST.to_owned(), ANCHORS.to_owned()],
            cursor,
        };
        (response.body, state)
    };
    staging.put(NAME, LIST, &body)?;
    staging.put(NAME, ANCHORS, anchors)?;
    staging.record(NAME, state);
    Ok(report)
}

/// Verifies the source's files again: its trust list.
pub(crate) fn open(generation: &Generation, now: UnixTime) -> Result<Option<TrustList>, SyncError> {
    let Some(state) = generation.manifest.sources.get(NAME) else {
        return Ok(None);
    };
    let sequence = state
        .cursor
        .get(SEQUENCE)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    load(
        &generation.read(NAME, LIST)?,
        &generation.read(NAME, ANCHORS)?,
        sequence,
        now,
    )
    .map(Some)
}
