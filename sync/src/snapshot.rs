//! What a store holds, verified again: the trust store, the rules, and how
//! old each source's data is.

use std::path::Path;

use healthpass::revocation::{Revocation as Revocations, RevocationList};
use healthpass::rules::RuleSet;
use healthpass::trust::store::TrustStore;
use healthpass::{UnixTime, VerifierBuilder};

#[cfg(feature = "gdhcn")]
use crate::source::open_gdhcn;
use crate::source::{open_eu_dcc, open_eu_rules, open_signed_file, open_vci, Revocation, Trust};
use crate::store::{read_current, Generation};
use crate::SyncError;

/// When one source was last brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceAge {
    /// The source's name (`eu-dcc`, …).
    pub source: String,
    /// Where it was fetched from.
    pub url: String,
    /// The caller's time of its last successful sync.
    pub synced_at: UnixTime,
}

/// The store's current state, every document verified again.
#[derive(Debug, Clone)]
pub struct Snapshot {
    generation: u64,
    trust: TrustStore,
    rules: Option<RuleSet>,
    revocation: Option<RevocationList>,
    sources: Vec<SourceAge>,
    expires: Option<UnixTime>,
}

impl Snapshot {
    /// The store's generation (one more with every sync).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The pass signers of every trust source, in one trust store.
    pub fn trust_store(&self) -> &TrustStore {
        &self.trust
    }

    /// The rule set of the business-rule source, if the store holds one.
    pub fn rules(&self) -> Option<&RuleSet> {
        self.rules.as_ref()
    }

    /// The revocation list of the revocation source, if the store holds
    /// one.
    pub fn revocation(&self) -> Option<&RevocationList> {
        self.revocation.as_ref()
    }

    /// Each source and when it was last brought up to date.
    pub fn sources(&self) -> &[SourceAge] {
        &self.sources
    }

    /// The time of the oldest source's last sync: how old the trust data
    /// is, at worst.
    pub fn as_of(&self) -> Option<UnixTime> {
        self.sources.iter().map(|s| s.synced_at).min()
    }

    /// A verifier builder with this snapshot's trust store and rules, and
    /// its freshness: every pass is refused as `untrusted` ("trust data
    /// outdated since …") once the oldest source is more than
    /// `max_age_secs` old, or a signed trust list it holds has expired.
    pub fn verifier_builder(&self, max_age_secs: u64) -> VerifierBuilder {
        let mut builder = healthpass::Verifier::builder().trust_store(self.trust.clone());
        if let Some(rules) = &self.rules {
            builder = builder.rules(rules.clone());
        }
        if let Some(list) = &self.revocation {
            builder = builder.revocation(Revocations::new().with_list(list.clone()));
        }
        if let Some(as_of) = self.as_of() {
            let mut allowance = max_age_secs;
            if let Some(expires) = self.expires {
                let left =
                    u64::try_from(expires.as_secs().saturating_sub(as_of.as_secs())).unwrap_or(0);
                allowance = allowance.min(left);
            }
            builder = builder.trust_data_as_of(as_of, allowance);
        }
        builder
    }
}

/// Reads the current generation and verifies every source's documents.
pub(crate) fn open(dir: &Path, now: UnixTime) -> Result<Snapshot, SyncError> {
    open_generation(&current(dir)?, now)
}

/// The current generation, if a source was ever synced.
pub(crate) fn current(dir: &Path) -> Result<Generation, SyncError> {
    read_current(dir)?
        .filter(|g| !g.manifest.sources.is_empty())
        .ok_or_else(|| SyncError::Store(format!("{}: no source was ever synced", dir.display())))
}

/// Verifies every source's documents of one generation.
pub(crate) fn open_generation(
    generation: &Generation,
    now: UnixTime,
) -> Result<Snapshot, SyncError> {
    let dir = generation.dir.as_path();
    let mut trust = TrustStore::new();
    let mut expires = None;
    let mut rules = None;
    let mut revocation = None;
    for name in generation.manifest.sources.keys() {
        match name.as_str() {
            "eu-dcc" => open_eu_dcc(generation, &mut trust)?,
            "eu-rules" => rules = open_eu_rules(generation)?,
            "vci" => open_vci(generation, &mut trust, now)?,
            #[cfg(feature = "gdhcn")]
            "gdhcn" => open_gdhcn(generation, &mut trust)?,
            "trust-list" => {
                if let Some(list) = open_signed_file::<Trust>(generation, now)? {
                    expires = list.expires();
                    trust
                        .add_signers(list)
                        .map_err(|e| SyncError::Rejected(format!("trust-list: {e}")))?;
                }
            }
            "revocation" => revocation = open_signed_file::<Revocation>(generation, now)?,
            other => {
                return Err(SyncError::Store(format!(
                    "{}: a source this version does not know: {other}",
                    dir.display()
                )))
            }
        }
    }
    let sources = generation
        .manifest
        .sources
        .iter()
        .map(|(name, state)| SourceAge {
            source: name.clone(),
            url: state.url.clone(),
            synced_at: UnixTime::from_secs(state.synced_at),
        })
        .collect();
    Ok(Snapshot {
        generation: generation.manifest.generation,
        trust,
        rules,
        revocation,
        sources,
        expires,
    })
}
