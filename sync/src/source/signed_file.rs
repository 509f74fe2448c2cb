//! This crate's own signed lists (trust lists, revocation lists) served as
//! static files by any web server or CDN, as `healthpass store export`
//! writes them:
//!
//! ```text
//! URL             the full list (signed)
//! URL.seq         its sequence number, in decimal (a hint, not trusted)
//! URL.delta-N     a signed delta from sequence N to the next export
//! ```
//!
//! A sync that holds sequence N reads `URL.seq`: N again is "unchanged"
//! (one small request, as a 304 would be); a lower number is a replayed
//! list and refused; a higher one is reached by walking `URL.delta-N`,
//! `URL.delta-N+1`, … when they are there, else by the full list (with
//! `If-None-Match`). Without `URL.seq` the full list is fetched
//! conditionally. Every list and delta is verified against the configured
//! anchors, its sequence only moving forward, its list id the one held.
//!
//! Stored: `list.cbor` and the deltas applied to it (`delta-S.cbor`, S the
//! delta's own sequence), as received, and `anchors.pem`; on open the list
//! is verified and the deltas applied again.

use std::collections::BTreeMap;

use healthpass::revocation::{RevocationList, RevocationListLoader};
use healthpass::signed::{ListKind, ListLoader};
use healthpass::trust::signed_list::{TrustListLoader, TrustSigners};
use healthpass::{TrustList, UnixTime};

use super::{Fetch, SourceReport};
use crate::http::Request;
use crate::store::{Generation, SourceState, Staging, MAX_FILE_BYTES};
use crate::SyncError;

const LIST: &str = "list.cbor";
const ANCHORS: &str = "anchors.pem";
const ETAG: &str = "etag";
const SEQUENCE: &str = "sequence";
/// Deltas held on top of a full list; past this, the full list is fetched.
pub(crate) const MAX_DELTAS: usize = 64;
/// The `URL.seq` hint: a decimal number (an error page in its place may
/// be longer: read up to 4 KiB, parse 32 bytes at most).
const MAX_HINT_BYTES: usize = 4096;
const MAX_HINT_DIGITS: usize = 32;

/// A kind of signed list served as a static file.
pub(crate) trait Kind {
    /// The list kind of the core crate.
    type List: ListKind<Held = Self::Held>;
    /// What a verifier holds of it.
    type Held;
    /// The source's name.
    const NAME: &'static str;
    /// The loader for lists signed by `anchors`.
    fn loader(anchors: TrustList) -> ListLoader<Self::List>;
    /// A full list, verified.
    fn load(
        loader: &ListLoader<Self::List>,
        bytes: &[u8],
        now: UnixTime,
    ) -> Result<Self::Held, healthpass::Error>;
    /// The list id and sequence of a held list.
    fn position(held: &Self::Held) -> Option<(&str, u64)>;
    /// How many entries it holds.
    fn len(held: &Self::Held) -> usize;
    /// How many entries of the full list `new` (its signed bytes `body`,
    /// read with `loader`) `old` held already.
    fn kept(
        loader: &ListLoader<Self::List>,
        old: &Self::Held,
        new: &Self::Held,
        body: &[u8],
        now: UnixTime,
    ) -> usize;
}

/// This crate's signed trust lists.
pub(crate) enum Trust {}

impl Kind for Trust {
    type List = TrustSigners;
    type Held = TrustList;
    const NAME: &'static str = "trust-list";

    fn loader(anchors: TrustList) -> TrustListLoader {
        TrustListLoader::new(anchors)
    }
    fn load(
        loader: &TrustListLoader,
        bytes: &[u8],
        now: UnixTime,
    ) -> Result<TrustList, healthpass::Error> {
        loader.load(bytes, now)
    }
    fn position(held: &TrustList) -> Option<(&str, u64)> {
        held.published()
    }
    fn len(held: &TrustList) -> usize {
        held.kids().count()
    }
    fn kept(_: &TrustListLoader, old: &TrustList, new: &TrustList, _: &[u8], _: UnixTime) -> usize {
        let old: std::collections::BTreeSet<&healthpass::trust::Kid> = old.kids().collect();
        new.kids().filter(|k| old.contains(k)).count()
    }
}

/// This crate's signed revocation lists.
pub(crate) enum Revocation {}

impl Kind for Revocation {
    type List = healthpass::revocation::Revocations;
    type Held = RevocationList;
    const NAME: &'static str = "revocation";

    fn loader(anchors: TrustList) -> RevocationListLoader {
        RevocationListLoader::new(anchors)
    }
    fn load(
        loader: &RevocationListLoader,
        bytes: &[u8],
        now: UnixTime,
    ) -> Result<RevocationList, healthpass::Error> {
        loader.load(bytes, now)
    }
    fn position(held: &RevocationList) -> Option<(&str, u64)> {
        Some((held.list_id(), held.sequence()))
    }
    fn len(held: &RevocationList) -> usize {
        held.store().len()
    }
    fn kept(
        loader: &RevocationListLoader,
        old: &RevocationList,
        _: &RevocationList,
        body: &[u8],
        now: UnixTime,
    ) -> usize {
        // The held store answers membership only (at its false-positive
        // rate): count the new list's hashes it contains.
        loader.read(body, now).map_or(0, |doc| {
            doc.adds()
                .iter()
                .filter(|h| old.store().contains(h))
                .count()
        })
    }
}

fn anchors_of(name: &str, bytes: &[u8]) -> Result<TrustList, SyncError> {
    let mut anchors = TrustList::new();
    anchors
        .add_any(bytes)
        .map_err(|e| SyncError::Rejected(format!("{name}: the anchors: {e}")))?;
    Ok(anchors)
}

fn rejected(name: &str, e: healthpass::Error) -> SyncError {
    SyncError::Rejected(format!("{name}: {e}"))
}

/// A held list: the full list's bytes, the deltas applied, the result.
struct Held<K: Kind> {
    list: K::Held,
    deltas: Vec<String>,
}

/// Reads a generation's list and applies its deltas, against `anchors`.
fn read_held<K: Kind>(
    generation: &Generation,
    state: &SourceState,
    loader: &ListLoader<K::List>,
    now: UnixTime,
) -> Result<Held<K>, SyncError> {
    let mut list =
        K::load(loader, &generation.read(K::NAME, LIST)?, now).map_err(|e| rejected(K::NAME, e))?;
    let deltas: Vec<String> = state
        .files
        .iter()
        .filter(|f| f.starts_with("delta-"))
        .cloned()
        .collect();
    for delta in &deltas {
        loader
            .apply(&mut list, &generation.read(K::NAME, delta)?, now)
            .map_err(|e| rejected(K::NAME, e))?;
    }
    let want = state
        .cursor
        .get(SEQUENCE)
        .and_then(|s| s.parse::<u64>().ok());
    if want.is_some() && K::position(&list).map(|(_, s)| s) != want {
        return Err(SyncError::Store(format!(
            "{}: the files held do not reach the sequence recorded",
            K::NAME
        )));
    }
    Ok(Held { list, deltas })
}

/// The `URL.seq` hint, if the publisher serves one.
fn sequence_hint(url: &str, fetch: &mut Fetch<'_>) -> Result<Option<u64>, SyncError> {
    let mut request = Request::get(format!("{url}.seq"));
    request.max_body = MAX_HINT_BYTES;
    let response = fetch.get(&request, &[200, 403, 404])?;
    if response.status != 200 {
        return Ok(None);
    }
    std::str::from_utf8(&response.body)
        .ok()
        .filter(|t| t.len() <= MAX_HINT_DIGITS)
        .and_then(|t| t.trim().parse().ok())
        .map(Some)
        .ok_or_else(|| SyncError::Source(format!("{url}.seq: not a sequence number")))
}

pub(super) fn sync<K: Kind>(
    url: &str,
    anchors: &[u8],
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
) -> Result<SourceReport, SyncError> {
    let loader = K::loader(anchors_of(K::NAME, anchors)?);
    let old = staging
        .old()
        .and_then(|g| Some((g.clone(), g.manifest.sources.get(K::NAME)?.clone())))
        .filter(|(_, state)| state.url == url);
    // What is held, checked against the anchors configured now; a list
    // they no longer verify is fetched again in full.
    let held = old
        .as_ref()
        .and_then(|(g, state)| read_held::<K>(g, state, &loader, fetch.now).ok());
    let mut report = SourceReport::ok(K::NAME);
    let mut state = SourceState {
        synced_at: fetch.now.as_secs(),
        url: url.to_owned(),
        files: Vec::new(),
        cursor: BTreeMap::new(),
    };
    if let (Some((generation, old_state)), Some(mut held)) = (&old, held) {
        let held_seq = K::position(&held.list).map_or(0, |(_, s)| s);
        if let Some(latest) = sequence_hint(url, fetch)? {
            if latest < held_seq {
                return Err(SyncError::Rejected(format!(
                    "{}: the server offers sequence {latest}, older than the {held_seq} held",
                    K::NAME
                )));
            }
            let mut new_deltas = Vec::new();
            let before = K::len(&held.list);
            let (mut added, mut removed) = (0, 0);
            while K::position(&held.list).is_some_and(|(_, s)| s < latest)
                && held.deltas.len() + new_deltas.len() < MAX_DELTAS
            {
                let seq = K::position(&held.list).map_or(0, |(_, s)| s);
                let mut request = Request::get(format!("{url}.delta-{seq}"));
                request.max_body = usize::try_from(MAX_FILE_BYTES).unwrap_or(usize::MAX);
                let response = fetch.get(&request, &[200, 403, 404])?;
                if response.status != 200 {
                    break;
                }
                let doc = loader
                    .read(&response.body, fetch.now)
                    .map_err(|e| rejected(K::NAME, e))?;
                loader
                    .apply(&mut held.list, &response.body, fetch.now)
                    .map_err(|e| rejected(K::NAME, e))?;
                added += doc.adds().len();
                removed += doc.removes().len();
                let name = format!("delta-{}.cbor", doc.sequence());
                staging.put(K::NAME, &name, &response.body)?;
                new_deltas.push(name);
            }
            if K::position(&held.list).is_some_and(|(_, s)| s >= latest) {
                // Up to date with what is held and the deltas walked.
                staging.put_held(K::NAME, LIST)?;
                for delta in &held.deltas {
                    staging.put_held(K::NAME, delta)?;
                }
                staging.put(K::NAME, ANCHORS, anchors)?;
                report.added = added;
                report.removed = removed;
                report.unchanged = before.saturating_sub(removed);
                state.files.push(LIST.to_owned());
                state.files.extend(held.deltas);
                state.files.extend(new_deltas);
                state.files.push(ANCHORS.to_owned());
                if let Some(etag) = old_state.cursor.get(ETAG).filter(|_| added + removed == 0) {
                    state.cursor.insert(ETAG.to_owned(), etag.clone());
                }
                let seq = K::position(&held.list).map_or(0, |(_, s)| s);
                state.cursor.insert(SEQUENCE.to_owned(), seq.to_string());
                staging.record(K::NAME, state);
                return Ok(report);
            }
            // No delta path: the full list (a delta fetched but not reaching
            // the latest sequence is dropped with the generation's files).
            staging.discard(K::NAME)?;
        }
        return full::<K>(
            url,
            anchors,
            &loader,
            Some((generation, old_state, &held.list)),
            staging,
            fetch,
            report,
            state,
        );
    }
    full::<K>(url, anchors, &loader, None, staging, fetch, report, state)
}

/// Fetches and verifies the full list (conditionally, when one is held).
#[allow(clippy::too_many_arguments)]
fn full<K: Kind>(
    url: &str,
    anchors: &[u8],
    loader: &ListLoader<K::List>,
    held: Option<(&Generation, &SourceState, &K::Held)>,
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
    mut report: SourceReport,
    mut state: SourceState,
) -> Result<SourceReport, SyncError> {
    let mut request = Request::get(url);
    request.max_body = usize::try_from(MAX_FILE_BYTES).unwrap_or(usize::MAX);
    let etag = held.and_then(|(_, s, _)| s.cursor.get(ETAG));
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    let response = fetch.get(&request, &[200, 304])?;
    if response.status == 304 {
        let (Some((_, old_state, list)), Some(_)) = (held, etag) else {
            return Err(SyncError::Source(format!(
                "{}: 304 to a request that held nothing",
                K::NAME
            )));
        };
        report.unchanged = K::len(list);
        staging.put_held(K::NAME, LIST)?;
        for delta in old_state.files.iter().filter(|f| f.starts_with("delta-")) {
            staging.put_held(K::NAME, delta)?;
        }
        staging.put(K::NAME, ANCHORS, anchors)?;
        state.files = old_state.files.clone();
        state.cursor = old_state.cursor.clone();
        staging.record(K::NAME, state);
        return Ok(report);
    }
    let min = held
        .and_then(|(_, _, l)| K::position(l))
        .map_or(0, |(_, s)| s);
    let list = K::load(&loader.clone().min_sequence(min), &response.body, fetch.now)
        .map_err(|e| rejected(K::NAME, e))?;
    let new_len = K::len(&list);
    match held {
        Some((_, _, old)) => {
            if let (Some((old_id, _)), Some((id, _))) = (K::position(old), K::position(&list)) {
                if old_id != id {
                    return Err(SyncError::Rejected(format!(
                        "{}: list {id} is not the list held",
                        K::NAME
                    )));
                }
            }
            let kept = K::kept(loader, old, &list, &response.body, fetch.now);
            report.unchanged = kept;
            report.added = new_len.saturating_sub(kept);
            report.removed = K::len(old).saturating_sub(kept);
        }
        None => report.added = new_len,
    }
    if let Some(etag) = response.header("etag") {
        state.cursor.insert(ETAG.to_owned(), etag.to_owned());
    }
    if let Some((_, sequence)) = K::position(&list) {
        state
            .cursor
            .insert(SEQUENCE.to_owned(), sequence.to_string());
    }
    staging.put(K::NAME, LIST, &response.body)?;
    staging.put(K::NAME, ANCHORS, anchors)?;
    state.files = vec![LIST.to_owned(), ANCHORS.to_owned()];
    staging.record(K::NAME, state);
    Ok(report)
}

/// The source's documents as held, each verified: the full list, then
/// the deltas applied to it, in order.
pub(crate) fn documents<K: Kind>(
    generation: &Generation,
    now: UnixTime,
) -> Result<Vec<healthpass::signed::ListDocument<K::List>>, SyncError> {
    let Some(state) = generation.manifest.sources.get(K::NAME) else {
        return Ok(Vec::new());
    };
    let loader = K::loader(anchors_of(K::NAME, &generation.read(K::NAME, ANCHORS)?)?);
    state
        .files
        .iter()
        .filter(|f| *f == LIST || f.starts_with("delta-"))
        .map(|f| {
            loader
                .read(&generation.read(K::NAME, f)?, now)
                .map_err(|e| rejected(K::NAME, e))
        })
        .collect()
}

/// Verifies the source's files again: its list, with its deltas applied.
pub(crate) fn open<K: Kind>(
    generation: &Generation,
    now: UnixTime,
) -> Result<Option<K::Held>, SyncError> {
    let Some(state) = generation.manifest.sources.get(K::NAME) else {
        return Ok(None);
    };
    let anchors = anchors_of(K::NAME, &generation.read(K::NAME, ANCHORS)?)?;
    read_held::<K>(generation, state, &K::loader(anchors), now).map(|h| Some(h.list))
}
