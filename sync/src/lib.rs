//! Keeps a verifier's trust data current: fetches it from the services that
//! publish it, checks every document as strictly as the strictest reference
//! app, keeps it **as received** in a crash-safe [`Store`], and tells how old
//! it is so that a verifier fails closed when it is too old.
//!
//! The core crate (`healthpass`) never does I/O or reads a clock; this crate
//! does the I/O, and still takes the caller's time.
//!
//! | source | what is fetched | what is checked |
//! |---|---|---|
//! | [`Source::EuDcc`] | an EU DCC national backend's verifier API: `signercertificateStatus`, then `signercertificateUpdate` with `X-RESUME-TOKEN` until 204 | each certificate's kid recomputed and equal to its `X-KID`; only kids of the status list kept; kids that left the list removed |
//! | [`Source::EuRules`] | the EU business-rule service: `rules`, each `rules/{country}/{hash}`, `valuesets`, each `valuesets/{hash}` | each document's SHA-256 equal to its hash; the `X-SIGNATURE` of every response (ECDSA P-256, SHA-256) by the configured key; every rule compiled |
//! | [`Source::TrustList`] | this crate's signed trust list as a static file (`ETag`, `If-None-Match`) | its signature by the configured anchors; its sequence never going back |
//!
//! Everything is verified again when the store is opened
//! ([`Store::snapshot`]): the disk is not trusted.
//!
//! ```no_run
//! use healthpass::UnixTime;
//! use healthpass_sync::{HttpTransport, Source, Store};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = Store::new("/var/lib/scanner/trust");
//! let now = UnixTime::from_secs(1_796_000_000); // the caller's clock
//! let sources = [Source::EuDcc { url: "https://dgca-verifier.example/".into() }];
//! for report in store.sync(&sources, &HttpTransport::default(), now) {
//!     println!("{}: {}", report.source, if report.ok { "up to date" } else { "failed" });
//! }
//! let snapshot = store.snapshot(now)?;
//! let verifier = snapshot.verifier_builder(72 * 3600).build()?;
//! # let _ = verifier; Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod error;
mod export;
pub mod http;
mod snapshot;
mod source;
mod store;

pub use error::SyncError;
pub use export::{ExportOptions, ExportReport, ExportedList, REVOCATION_FILE, TRUST_LIST_FILE};
#[cfg(feature = "http")]
pub use http::HttpTransport;
pub use http::{Request, Response, Retry, Transport};
pub use snapshot::{Snapshot, SourceAge};
pub use source::{Source, SourceReport, MAX_SERVER_SKEW_SECS};
pub use store::MAX_STORE_BYTES;

use std::path::{Path, PathBuf};

use healthpass::UnixTime;

/// A store directory: what was last fetched from each source, as received.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store in `dir` (created by the first sync).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Brings each source up to date at the caller's time `now`, and
    /// reports per source. A source that fails keeps what the store held
    /// of it; the sources that succeeded are committed together, as one new
    /// state that readers switch to at once. When the store cannot be
    /// written at all (another sync holds it, the disk is full), every
    /// source reports that error and the store is as it was.
    pub fn sync(
        &self,
        sources: &[Source],
        transport: &dyn Transport,
        now: UnixTime,
    ) -> Vec<SourceReport> {
        let fail_all = |e: &SyncError| {
            sources
                .iter()
                .map(|s| SourceReport::failed(s.name(), e))
                .collect()
        };
        let mut staging = match store::Staging::begin(&self.dir) {
            Ok(s) => s,
            Err(e) => return fail_all(&e),
        };
        let mut reports = Vec::with_capacity(sources.len());
        let mut named: Vec<&str> = Vec::new();
        for source in sources {
            let name = source.name();
            if named.contains(&name) {
                reports.push(SourceReport::failed(
                    name,
                    &SyncError::Source(format!("{name} given twice")),
                ));
                continue;
            }
            named.push(name);
            let report = match source.sync(&mut staging, transport, now) {
                Ok(report) => report,
                Err(e) => {
                    // Nothing of a failed source is half-applied: its folder
                    // in the new generation is dropped and the old one kept.
                    let kept = staging.discard(name).and_then(|()| staging.keep(name));
                    match kept {
                        Ok(()) => SourceReport::failed(name, &e),
                        Err(store_error) => return fail_all(&store_error),
                    }
                }
            };
            reports.push(report);
        }
        // Sources not named in this sync stay as they were.
        let others: Vec<String> = staging
            .old()
            .map(|g| g.manifest.sources.keys().cloned().collect())
            .unwrap_or_default();
        for other in others {
            if !named.contains(&other.as_str()) {
                if let Err(e) = staging.keep(&other) {
                    return fail_all(&e);
                }
            }
        }
        match staging.commit() {
            Ok(_) => reports,
            Err(e) => fail_all(&e),
        }
    }

    /// Writes what the store trusts now, verified again at `now`, into
    /// `out` as this crate's own signed lists, signed by `signer`: the pass
    /// signers as a trust list, the revocation list held as a revocation
    /// list, each with `.seq` and a delta from the last export in `out`
    /// (see [`Source::TrustList`]). For a backend that syncs from the
    /// national services and serves one authenticated bundle to a fleet.
    ///
    /// # Errors
    /// As [`Store::snapshot`]; [`SyncError::Rejected`] when `out` holds a
    /// list this certificate did not sign, or of another id (nothing is
    /// written then); [`SyncError::Store`] when `out` cannot be written.
    pub fn export(
        &self,
        out: &Path,
        signer: &healthpass::issue::Credential,
        options: &ExportOptions,
        now: UnixTime,
    ) -> Result<ExportReport, SyncError> {
        export::export(&self.dir, out, signer, options, now)
    }

    /// Opens what the store holds now and verifies all of it again at the
    /// caller's time `now`: every certificate's kid, every hash and
    /// signature, every rule compiled.
    ///
    /// # Errors
    /// [`SyncError::Store`] when the store cannot be read or holds nothing;
    /// [`SyncError::Source`] naming the source whose documents no longer
    /// verify.
    pub fn snapshot(&self, now: UnixTime) -> Result<Snapshot, SyncError> {
        // A sync may retire the generation read between two syncs: read
        // again once.
        match snapshot::open(&self.dir, now) {
            Err(SyncError::Store(_)) => snapshot::open(&self.dir, now),
            other => other,
        }
    }
}
