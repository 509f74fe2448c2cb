//! Re-publishing for a fleet: what a store trusts now, written as this
//! crate's own signed lists, so that one backend syncs from the national
//! services and every scanner syncs one authenticated bundle from a web
//! server or CDN ([`crate::Source::TrustList`], [`crate::Source::Revocation`]).
//!
//! ```text
//! OUT/trust-list.cbor             the signers trusted now (a full list)
//! OUT/trust-list.cbor.delta-N     from the last export (sequence N) to this one
//! OUT/trust-list.cbor.seq         this export's sequence
//! OUT/revocation.cbor[.delta-N|.seq]   the same for the revocation list held
//! ```
//!
//! Each export is one sequence on from the last one in `OUT` (which must
//! verify against the exporting certificate: an export never overwrites a
//! list it did not make). Files are written delta first, then the full
//! list, then `.seq`, each atomically: a client reading mid-export sees the
//! old state or the new one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use base64ct::{Base64, Encoding as _};
use serde::Serialize;

use healthpass::issue::Credential;
use healthpass::revocation::{RevocationHash, RevocationListDocument, RevocationListLoader};
use healthpass::signed::{ListBuilder, ListKind, Validity};
use healthpass::trust::signed_list::{TrustListDocument, TrustListEntry, TrustListLoader};
use healthpass::trust::Kid;
use healthpass::{TrustList, UnixTime};

#[cfg(feature = "gdhcn")]
use crate::source::gdhcn_certificates;
use crate::source::{documents, eu_dcc_certificates, Revocation, Trust};
use crate::store::{read_if_there, write_atomic, MAX_FILE_BYTES};
use crate::SyncError;

/// The trust list's file name in the export directory.
pub const TRUST_LIST_FILE: &str = "trust-list.cbor";
/// The revocation list's file name in the export directory.
pub const REVOCATION_FILE: &str = "revocation.cbor";

/// How an export is signed and named.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExportOptions {
    /// The trust list's id (the revocation list's is this and `-revoked`).
    pub list_id: String,
    /// How long the lists are valid from the export, in seconds.
    pub valid_for_secs: u64,
}

impl Default for ExportOptions {
    /// `healthpass-export`, valid for 7 days.
    fn default() -> Self {
        ExportOptions {
            list_id: "healthpass-export".to_owned(),
            valid_for_secs: 7 * 86_400,
        }
    }
}

impl ExportOptions {
    /// With the trust list's id `list_id`.
    pub fn list_id(mut self, list_id: impl Into<String>) -> Self {
        self.list_id = list_id.into();
        self
    }

    /// Valid for `secs` seconds from the export.
    pub fn valid_for_secs(mut self, secs: u64) -> Self {
        self.valid_for_secs = secs;
        self
    }
}

/// One list an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedList {
    /// Its file in the export directory.
    pub file: String,
    /// Its list id.
    pub list_id: String,
    /// Its sequence.
    pub sequence: u64,
    /// Its entries (signers, or revoked hashes).
    pub entries: usize,
    /// Entries new or changed since the last export (all of them for a
    /// first one).
    pub added: usize,
    /// Entries the last export had and this one has not.
    pub removed: usize,
    /// The delta from the last export, if there was one.
    pub delta: Option<String>,
}

/// What an export wrote, and what it could not express.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    /// The lists written.
    pub lists: Vec<ExportedList>,
    /// Signers trusted that a trust list cannot carry, and why (a key
    /// without a certificate, a kid published unlike its certificate's).
    pub left_out: Vec<String>,
}

fn rejected(what: &str, e: healthpass::Error) -> SyncError {
    SyncError::Rejected(format!("{what}: {e}"))
}

/// The signers of the generation's sources the snapshot trusts, as trust
/// list entries; and what was left out.
fn trusted_entries(
    generation: &crate::store::Generation,
    trusted: &BTreeSet<Kid>,
    now: UnixTime,
) -> Result<(BTreeMap<Kid, TrustListEntry>, Vec<String>), SyncError> {
    let mut entries = BTreeMap::new();
    let mut left_out = Vec::new();
    for der in eu_dcc_certificates(generation)? {
        if let Ok(entry) = TrustListEntry::new(&der) {
            if trusted.contains(&entry.kid()) {
                entries.insert(entry.kid(), entry);
            }
        }
    }
    #[cfg(feature = "gdhcn")]
    for (kid, der) in gdhcn_certificates(generation)? {
        match TrustListEntry::new(&der) {
            Ok(entry) if Base64::encode_string(&entry.kid()) != kid => {
                left_out.push(format!(
                    "gdhcn {kid}: published under a kid that is not its certificate's"
                ));
            }
            Ok(entry) => {
                if trusted.contains(&entry.kid()) {
                    entries.insert(entry.kid(), entry);
                }
            }
            Err(e) => left_out.push(format!("gdhcn {kid}: {e}")),
        }
    }
    // The own trust list last: its entries carry their kind restrictions.
    let mut listed: BTreeMap<Kid, TrustListEntry> = BTreeMap::new();
    for doc in documents::<Trust>(generation, now)? {
        if doc.base_sequence().is_none() {
            listed.clear();
        }
        for kid in doc.removes() {
            listed.remove(kid);
        }
        for entry in doc.adds() {
            listed.insert(entry.kid(), entry.clone());
        }
    }
    entries.extend(listed.into_iter().filter(|(k, _)| trusted.contains(k)));
    for kid in trusted.iter().filter(|k| !entries.contains_key(*k)) {
        left_out.push(format!(
            "{}: no certificate the store holds",
            Base64::encode_string(kid)
        ));
    }
    Ok((entries, left_out))
}

/// The revocation list the generation holds, as hashes, with its params.
fn held_hashes(
    generation: &crate::store::Generation,
    now: UnixTime,
) -> Result<
    Option<(
        healthpass::revocation::RevocationParams,
        BTreeSet<RevocationHash>,
    )>,
    SyncError,
> {
    let docs = documents::<Revocation>(generation, now)?;
    let Some(first) = docs.first() else {
        return Ok(None);
    };
    let params = *first.params();
    let mut hashes = BTreeSet::new();
    for doc in &docs {
        for h in doc.removes() {
            hashes.remove(h);
        }
        hashes.extend(doc.adds().iter().copied());
    }
    Ok(Some((params, hashes)))
}

/// The last export of a list in `OUT`, verified as made by `anchor`.
fn previous<K>(
    path: &Path,
    read: impl Fn(&[u8]) -> Result<K, healthpass::Error>,
) -> Result<Option<K>, SyncError> {
    match read_if_there(path, MAX_FILE_BYTES)? {
        None => Ok(None),
        Some(bytes) => read(&bytes).map(Some).map_err(|e| {
            SyncError::Rejected(format!(
                "{}: not an export by this certificate ({e}); nothing written",
                path.display()
            ))
        }),
    }
}

/// The full list of `all` and, after a last export (its sequence, what
/// was added and removed since), the delta from it: each signed.
#[allow(clippy::type_complexity)]
fn sign_lists<K: ListKind>(
    builder: impl Fn() -> ListBuilder<K>,
    all: Vec<K::Add>,
    since: Option<(u64, Vec<K::Add>, Vec<K::Remove>)>,
    validity: Validity,
    signer: &Credential,
) -> Result<(Vec<u8>, Option<(u64, Vec<u8>)>), SyncError> {
    let sign = |b: ListBuilder<K>| {
        b.build(validity)
            .and_then(|d| d.sign(signer))
            .map_err(|e| rejected("export", e))
    };
    let full = sign(builder().adds(all))?;
    let delta = match since {
        Some((base, added, removed)) => Some((
            base,
            sign(builder().delta_on(base).adds(added).removes(removed))?,
        )),
        None => None,
    };
    Ok((full, delta))
}

/// Writes the delta (if any), the full list, then the `.seq` file.
fn publish(
    out: &Path,
    file: &str,
    delta: Option<(u64, Vec<u8>)>,
    full: &[u8],
    sequence: u64,
) -> Result<Option<String>, SyncError> {
    let delta_name = match delta {
        Some((base, bytes)) => {
            let name = format!("{file}.delta-{base}");
            write_atomic(&out.join(&name), &bytes)?;
            Some(name)
        }
        None => None,
    };
    write_atomic(&out.join(file), full)?;
    write_atomic(
        &out.join(format!("{file}.seq")),
        format!("{sequence}\n").as_bytes(),
    )?;
    Ok(delta_name)
}

pub(crate) fn export(
    store: &Path,
    out: &Path,
    signer: &Credential,
    options: &ExportOptions,
    now: UnixTime,
) -> Result<ExportReport, SyncError> {
    let generation = crate::snapshot::current(store)?;
    let snapshot = crate::snapshot::open_generation(&generation, now)?;
    let validity = Validity::starting(now, std::time::Duration::from_secs(options.valid_for_secs))
        .map_err(|e| rejected("export", e))?;
    std::fs::create_dir_all(out)
        .map_err(|e| SyncError::Store(format!("{}: {e}", out.display())))?;
    let mut anchor = TrustList::new();
    anchor
        .add_der(signer.certificate_der())
        .map_err(|e| rejected("the export certificate", e))?;

    // The trust list.
    let trusted: BTreeSet<Kid> = snapshot.trust_store().signers().kids().copied().collect();
    let (entries, left_out) = trusted_entries(&generation, &trusted, now)?;
    let loader = TrustListLoader::new(anchor.clone());
    let path = out.join(TRUST_LIST_FILE);
    let last = previous(&path, |b| loader.read(b, now))?;
    if let Some(last) = last.as_ref().filter(|l| l.list_id() != options.list_id) {
        return Err(SyncError::Rejected(format!(
            "{}: list {} is not {}; nothing written",
            path.display(),
            last.list_id(),
            options.list_id
        )));
    }
    let old: BTreeMap<Kid, TrustListEntry> = last
        .as_ref()
        .map(|l| l.adds().iter().map(|e| (e.kid(), e.clone())).collect())
        .unwrap_or_default();
    let same = |a: &TrustListEntry, b: &TrustListEntry| {
        a.certificate_der() == b.certificate_der() && a.pass_kinds() == b.pass_kinds()
    };
    let removed: Vec<Kid> = old
        .iter()
        .filter(|(k, e)| !entries.get(*k).is_some_and(|n| same(n, e)))
        .map(|(k, _)| *k)
        .collect();
    let added: Vec<TrustListEntry> = entries
        .iter()
        .filter(|(k, e)| !old.get(*k).is_some_and(|o| same(o, e)))
        .map(|(_, e)| e.clone())
        .collect();
    let sequence = last.as_ref().map_or(1, |l| l.sequence() + 1);
    let (full, delta) = sign_lists(
        || TrustListDocument::builder(options.list_id.clone()).sequence(sequence),
        entries.values().cloned().collect(),
        last.as_ref()
            .map(|l| (l.sequence(), added.clone(), removed.clone())),
        validity,
        signer,
    )?;
    let delta = publish(out, TRUST_LIST_FILE, delta, &full, sequence)?;
    let mut lists = vec![ExportedList {
        file: TRUST_LIST_FILE.to_owned(),
        list_id: options.list_id.clone(),
        sequence,
        entries: entries.len(),
        added: added.len(),
        removed: old.keys().filter(|k| !entries.contains_key(*k)).count(),
        delta,
    }];

    // The revocation list, when the store holds one.
    if let Some((params, hashes)) = held_hashes(&generation, now)? {
        let list_id = format!("{}-revoked", options.list_id);
        let loader = RevocationListLoader::new(anchor);
        let path = out.join(REVOCATION_FILE);
        let last = previous(&path, |b| loader.read(b, now))?;
        if let Some(last) = last
            .as_ref()
            .filter(|l| l.list_id() != list_id || *l.params() != params)
        {
            return Err(SyncError::Rejected(format!(
                "{}: list {} is not {list_id} of the same hash type; nothing written",
                path.display(),
                last.list_id()
            )));
        }
        let old: BTreeSet<RevocationHash> = last
            .as_ref()
            .map(|l| l.adds().iter().copied().collect())
            .unwrap_or_default();
        let added: Vec<RevocationHash> = hashes.difference(&old).copied().collect();
        let removed: Vec<RevocationHash> = old.difference(&hashes).copied().collect();
        let sequence = last.as_ref().map_or(1, |l| l.sequence() + 1);
        let (full, delta) = sign_lists(
            || {
                RevocationListDocument::builder(params.hash_type, list_id.clone())
                    .country_source(params.country_source)
                    .sequence(sequence)
            },
            hashes.iter().copied().collect(),
            last.as_ref()
                .map(|l| (l.sequence(), added.clone(), removed.clone())),
            validity,
            signer,
        )?;
        let delta = publish(out, REVOCATION_FILE, delta, &full, sequence)?;
        lists.push(ExportedList {
            file: REVOCATION_FILE.to_owned(),
            list_id,
            sequence,
            entries: hashes.len(),
            added: added.len(),
            removed: removed.len(),
            delta,
        });
    }
    Ok(ExportReport { lists, left_out })
}
