//! A WHO GDHCN DID trust list (`did.json`), its JsonWebSignature2020 proof
//! checked by the core against the WHO signer's DID document, its DSCs
//! selected by domain and chained to their SCAs.
//!
//! Stored: `list.json` as received, `signer.json` (the signer's DID
//! document) and the domains in the manifest; checked and selected again on
//! open.

use std::collections::{BTreeMap, BTreeSet};

use healthpass::trust::gdhcn::{DidTrustList, KeySelection, Selected, WhoSigner};
use healthpass::trust::store::TrustStore;

use super::{Fetch, SourceReport};
use crate::http::Request;
use crate::store::{Generation, SourceState, Staging};
use crate::SyncError;

const NAME: &str = "gdhcn";
const LIST: &str = "list.json";
const SIGNER: &str = "signer.json";
const DOMAINS: &str = "domains";

fn select(list: &[u8], signer: &[u8], domains: &[String]) -> Result<Selected, SyncError> {
    let rejected = |e: healthpass::Error| SyncError::Rejected(format!("{NAME}: {e}"));
    let who = WhoSigner::from_did_document(signer).map_err(rejected)?;
    let did = DidTrustList::verify(list, &who).map_err(rejected)?;
    let mut selection = KeySelection::new();
    for d in domains {
        selection = selection.domain(d);
    }
    Ok(did.select(&selection))
}

/// The domains a sync selected, as the manifest keeps them.
fn domains_of(state: &SourceState) -> Vec<String> {
    state
        .cursor
        .get(DOMAINS)
        .map(|d| {
            d.split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn ids(selected: &Selected) -> BTreeSet<String> {
    selected.chained.iter().map(|k| k.id().to_owned()).collect()
}

pub(super) fn sync(
    url: &str,
    signer: &[u8],
    domains: &[String],
    staging: &mut Staging,
    fetch: &mut Fetch<'_>,
) -> Result<SourceReport, SyncError> {
    let list = fetch.get(&Request::get(url), &[200])?.body;
    let selected = select(&list, signer, domains)?;
    let mut report = SourceReport::ok(NAME);
    for (key, e) in &selected.refused {
        report.refused.push(format!("{}: {e}", key.id()));
    }
    let before = match staging
        .old()
        .and_then(|g| Some((g, g.manifest.sources.get(NAME)?)))
    {
        Some((old, state)) => {
            let domains = domains_of(state);
            select(&old.read(NAME, LIST)?, &old.read(NAME, SIGNER)?, &domains)
                .map(|s| ids(&s))
                .unwrap_or_default()
        }
        None => BTreeSet::new(),
    };
    let now_listed = ids(&selected);
    report.added = now_listed.difference(&before).count();
    report.removed = before.difference(&now_listed).count();
    report.unchanged = now_listed.intersection(&before).count();
    staging.put(NAME, LIST, &list)?;
    staging.put(NAME, SIGNER, signer)?;
    let mut cursor = BTreeMap::new();
    if !domains.is_empty() {
        cursor.insert(DOMAINS.to_owned(), domains.join(" "));
    }
    staging.record(
        NAME,
        SourceState {
            synced_at: fetch.now.as_secs(),
            url: url.to_owned(),
            files: vec![LIST.into(), SIGNER.into()],
            cursor,
        },
    );
    Ok(report)
}

/// Verifies the list again and adds its selected DSCs to `store`.
/// The certificates (DER) of the keys selected and chained, the key's
/// own first of each `x5c`, with the kid each was published under.
pub(crate) fn certificates(generation: &Generation) -> Result<Vec<(String, Vec<u8>)>, SyncError> {
    let Some(state) = generation.manifest.sources.get(NAME) else {
        return Ok(Vec::new());
    };
    let selected = select(
        &generation.read(NAME, LIST)?,
        &generation.read(NAME, SIGNER)?,
        &domains_of(state),
    )?;
    Ok(selected
        .chained
        .iter()
        .filter_map(|k| Some((k.kid().to_owned(), k.certificates().first()?.clone())))
        .collect())
}

pub(crate) fn open(generation: &Generation, store: &mut TrustStore) -> Result<(), SyncError> {
    let Some(state) = generation.manifest.sources.get(NAME) else {
        return Ok(());
    };
    let domains = domains_of(state);
    let selected = select(
        &generation.read(NAME, LIST)?,
        &generation.read(NAME, SIGNER)?,
        &domains,
    )?;
    store
        .add_gdhcn(selected)
        .map(|_| ())
        .map_err(|e| SyncError::Rejected(format!("{NAME}: {e}")))
}
