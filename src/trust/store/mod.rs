//! One trust store for every framework, loaded from directories as their
//! publishers ship them.
//!
//! A [`TrustStore`] holds, per framework, the keys a verifier accepts:
//! HCERT pass signers (certificates, or bare keys with the kid, country,
//! validity and pass kinds their directory gives) and the kids directories
//! withdrew; country signing CAs (ICAO seal CSCAs); SMART Health Card
//! issuer keys bound to their issuer `iss` (feature `shc`). The types that
//! already held each part ([`TrustList`], [`CscaList`],
//! [`ShcIssuers`](crate::formats::shc::ShcIssuers)) are its parts, and a
//! verifier takes the whole store
//! ([`VerifierBuilder::trust_store`](crate::VerifierBuilder::trust_store)).
//!
//! [`TrustStore::load`] recognises a directory by its content:
//!
//! | format | what | how it loads |
//! |---|---|---|
//! | certificate bundle | DER, PEM (one or many), base64 lines | entry by entry: CAs become country CAs, others pass signers |
//! | JWK set | `{"keys": […]}`, an issuer's `jwks.json` | entry by entry, bound to the issuer given, or to any with the named opt-in |
//! | VCI snapshot | `{"directory", "time", "issuerInfo"}` | its detached signature (ECDSA P-521, SHA-512) by the certificate given checked first, all or nothing; then each issuer's keys bound to its `iss`, its revocation lists |
//! | key registry | `{"EUDCC", "SmartHealthCards", "ICAO", "DIVOC", …}` (PathCheck) | entry by entry: certificates and bare keys with their status and validity; `terminated`/`revoked` withdraw the kid |
//! | EU DCC signer list | `[{"kid", "rawData", …}]` (DGCA gateway and verifier services) | entry by entry, each kid recomputed |
//! | EU DCC valid kids | `["kid", …]` (the verifier service's status list) | prunes the signers whose kid it does not list |
//!
//! An aggregated directory loads entry by entry: what cannot be used is
//! left out with its reason, in the [`LoadReport`]; with
//! [`LoadOptions::strict`], any refusal refuses the whole file and the store
//! is left as it was. An authenticated document (the VCI snapshot) is all
//! or nothing as a document: a signature that does not verify loads
//! nothing. The same key or certificate from two sources is one entry.

mod bundle;
mod dgca;
mod registry;
#[cfg(feature = "shc")]
mod vci;

use std::sync::Arc;

use serde::Serialize;

use super::list::TrustList;
use super::CscaList;
use crate::crypto::CryptoBackend;
use crate::{Error, UnixTime};

/// The largest directory file read, in bytes (the PathCheck registry is
/// 3 MB, the VCI snapshot 0.7 MB).
pub const MAX_DIRECTORY_LEN: usize = 16 * 1024 * 1024;

/// The most entries read from one directory file.
pub const MAX_DIRECTORY_ENTRIES: usize = 100_000;

/// How to load one directory file.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct LoadOptions {
    source: String,
    strict: bool,
    shc_issuer: Option<String>,
    shc_any_issuer: bool,
    signature: Option<Vec<u8>>,
    signer_certificate: Option<Vec<u8>>,
    at: Option<UnixTime>,
}

impl LoadOptions {
    /// Options for a file named `source` (a path, a URL): it names the file
    /// in errors and in the reason of a pass whose signer the file withdrew.
    /// [`LoadOptions::default`] names none.
    pub fn new(source: impl Into<String>) -> Self {
        LoadOptions {
            source: source.into(),
            ..LoadOptions::default()
        }
    }

    /// Any entry refused refuses the whole file (nothing is added).
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// A JWK set's issuer: its keys sign only cards whose `iss` is this URL.
    pub fn shc_issuer(mut self, iss: impl Into<String>) -> Self {
        self.shc_issuer = Some(iss.into());
        self
    }

    /// The named opt-in for a JWK set whose issuer is not known: its keys
    /// sign cards of any `iss` (unless another source binds them).
    pub fn shc_any_issuer(mut self) -> Self {
        self.shc_any_issuer = true;
        self
    }

    /// A signed document's detached signature (the VCI snapshot's
    /// `vci_snapshot.sig`) and the certificate (DER, PEM or base64) whose
    /// key made it (`vci_snapshot.crt`).
    pub fn signed_by(mut self, signature: Vec<u8>, certificate: Vec<u8>) -> Self {
        self.signature = Some(signature);
        self.signer_certificate = Some(certificate);
        self
    }

    /// The time at which a signed document's certificate must be valid.
    pub fn at(mut self, at: UnixTime) -> Self {
        self.at = Some(at);
        self
    }
}

/// The directory formats [`TrustStore::load`] reads.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirectoryFormat {
    /// Certificates: DER, PEM or base64.
    CertificateBundle,
    /// A JWK set of SMART Health Card issuer keys.
    JwkSet,
    /// The VCI directory snapshot of SMART Health Card issuers.
    VciSnapshot,
    /// A multi-framework key registry (PathCheck `registry.json`).
    KeyRegistry,
    /// An EU DCC signer list (`[{"kid", "rawData"}]`).
    DccSignerList,
    /// An EU DCC list of valid kids.
    DccValidKids,
    /// The DSCs selected from a WHO GDHCN DID trust list
    /// ([`TrustStore::add_gdhcn`]).
    GdhcnList,
}

impl DirectoryFormat {
    /// Its name in reports: `certificate-bundle`, `jwk-set`, …
    pub fn as_str(self) -> &'static str {
        match self {
            DirectoryFormat::CertificateBundle => "certificate-bundle",
            DirectoryFormat::JwkSet => "jwk-set",
            DirectoryFormat::VciSnapshot => "vci-snapshot",
            DirectoryFormat::KeyRegistry => "key-registry",
            DirectoryFormat::DccSignerList => "dcc-signer-list",
            DirectoryFormat::DccValidKids => "dcc-valid-kids",
            DirectoryFormat::GdhcnList => "gdhcn-list",
        }
    }
}

/// One entry of a directory left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The entry: its key in the directory, its kid, or its position.
    pub entry: String,
    /// Why, in short lowercase English.
    pub reason: String,
}

/// The entries accepted, per framework.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Frameworks {
    /// HCERT pass signers (certificates and bare keys).
    pub hcert: usize,
    /// SMART Health Card issuer keys.
    pub shc: usize,
    /// Country signing CAs (ICAO seal CSCAs).
    pub icao: usize,
}

impl Frameworks {
    pub(super) fn hcert(&mut self) -> &mut usize {
        &mut self.hcert
    }

    #[cfg(feature = "shc")]
    pub(super) fn shc(&mut self) -> &mut usize {
        &mut self.shc
    }

    pub(super) fn icao(&mut self) -> &mut usize {
        &mut self.icao
    }
}

/// Which count of [`Frameworks`] an entry adds to.
pub(super) type Framework = fn(&mut Frameworks) -> &mut usize;

/// What loading one directory file did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadReport {
    /// The format recognised.
    pub format: DirectoryFormat,
    /// Entries added to the store.
    pub accepted: usize,
    /// Entries the store held already (from this file or another).
    pub duplicates: usize,
    /// Kids the directory withdrew (terminated, revoked): they verify
    /// nothing now.
    pub withdrawn: usize,
    /// Signers removed because a list of valid kids does not name them.
    pub pruned: usize,
    /// Each entry left out, with why.
    pub refused: Vec<Refusal>,
    /// The entries accepted, per framework.
    pub frameworks: Frameworks,
}

impl Serialize for LoadReport {
    /// `{"accepted", "refused": [{"entry", "reason"}], "frameworks": {"hcert",
    /// "shc", "icao"}}`: the contract of `healthpass trust check --json`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("accepted", &self.accepted)?;
        m.serialize_entry("refused", &self.refused)?;
        m.serialize_entry("frameworks", &self.frameworks)?;
        m.end()
    }
}

impl LoadReport {
    fn new(format: DirectoryFormat) -> Self {
        LoadReport {
            format,
            accepted: 0,
            duplicates: 0,
            withdrawn: 0,
            pruned: 0,
            refused: Vec::new(),
            frameworks: Frameworks::default(),
        }
    }

    /// Notes an entry refused.
    fn refuse(&mut self, entry: impl Into<String>, reason: impl Into<String>) {
        self.refused.push(Refusal {
            entry: entry.into(),
            reason: reason.into(),
        });
    }

    /// Notes an entry added (`true`) or held already (`false`).
    fn counted(&mut self, fresh: bool, framework: Framework) {
        if fresh {
            self.accepted += 1;
            *framework(&mut self.frameworks) += 1;
        } else {
            self.duplicates += 1;
        }
    }
}

/// The keys a verifier accepts, for every framework (see the module docs).
#[derive(Debug, Clone)]
pub struct TrustStore {
    #[cfg_attr(not(feature = "shc"), allow(dead_code))]
    backend: Arc<dyn CryptoBackend>,
    pub(crate) signers: TrustList,
    pub(crate) cscas: CscaList,
    #[cfg(feature = "shc")]
    pub(crate) shc: crate::formats::shc::ShcIssuers,
}

#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
impl Default for TrustStore {
    fn default() -> Self {
        TrustStore::with_backend(crate::crypto::default_backend())
    }
}

impl TrustStore {
    /// An empty store with the default crypto backend.
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn new() -> Self {
        TrustStore::default()
    }

    /// An empty store whose keys are parsed by `backend`.
    pub fn with_backend(backend: Arc<dyn CryptoBackend>) -> Self {
        TrustStore {
            backend: Arc::clone(&backend),
            signers: TrustList::with_backend(Arc::clone(&backend)),
            cscas: CscaList::with_backend(Arc::clone(&backend)),
            #[cfg(feature = "shc")]
            shc: crate::formats::shc::ShcIssuers::with_backend(backend),
        }
    }

    /// An empty store in the chained mode: every pass signer loaded later
    /// must have been issued by one of `cscas` (see [`CscaList`]).
    pub fn chained_to(cscas: CscaList) -> Self {
        let backend = Arc::clone(&cscas.backend);
        let mut store = TrustStore::with_backend(backend);
        store.signers = TrustList::chained_to(cscas);
        store
    }

    /// True when the store holds no key of any framework and withdrew
    /// none.
    pub fn is_empty(&self) -> bool {
        let shc_empty = {
            #[cfg(feature = "shc")]
            {
                self.shc.is_empty() && !self.shc.has_withdrawn()
            }
            #[cfg(not(feature = "shc"))]
            {
                true
            }
        };
        self.signers.is_empty()
            && self.signers.withdrawn().next().is_none()
            && self.cscas.is_empty()
            && shc_empty
    }

    /// The SMART Health Card issuers, to add anchors, JWK sets and
    /// revocation lists given one by one.
    #[cfg(feature = "shc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "shc")))]
    pub fn shc_issuers_mut(&mut self) -> &mut crate::formats::shc::ShcIssuers {
        &mut self.shc
    }

    /// The HCERT pass signers (and ICAO seal signers, pinned).
    pub fn signers(&self) -> &TrustList {
        &self.signers
    }

    /// The country signing CAs (ICAO seal CSCAs).
    pub fn cscas(&self) -> &CscaList {
        &self.cscas
    }

    /// The SMART Health Card issuer keys.
    #[cfg(feature = "shc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "shc")))]
    pub fn shc_issuers(&self) -> &crate::formats::shc::ShcIssuers {
        &self.shc
    }

    /// Takes in the DSCs selected from a WHO GDHCN DID trust list whose
    /// proof verified ([`crate::trust::gdhcn::DidTrustList::select`]): each
    /// chained to its SCA by the list; the keys the selection left out are
    /// the report's refusals (entry: the key's DID URL).
    ///
    /// # Errors
    /// [`Error::TrustDirectory`] in a store chained to CSCAs (its signers
    /// come only through them), or when a kid would hold more than
    /// [`crate::trust::MAX_SIGNERS_PER_KID`] certificates; the store is
    /// unchanged then.
    #[cfg(feature = "gdhcn")]
    #[cfg_attr(docsrs, doc(cfg(feature = "gdhcn")))]
    pub fn add_gdhcn(
        &mut self,
        selected: crate::trust::gdhcn::Selected,
    ) -> Result<LoadReport, Error> {
        if self.signers.is_chained() {
            return Err(Error::TrustDirectory(
                "gdhcn list: a store chained to csca files takes signers only through them".into(),
            ));
        }
        let mut report = LoadReport::new(DirectoryFormat::GdhcnList);
        for (key, e) in &selected.refused {
            report.refuse(key.id(), why(e));
        }
        let offered = selected.trust.len();
        let before = self.signers.len();
        self.signers
            .absorb(selected.trust)
            .map_err(|e| Error::TrustDirectory(format!("gdhcn list: {}", why(&e))))?;
        let added = self.signers.len() - before;
        report.accepted = added;
        report.frameworks.hcert = added;
        report.duplicates = offered - added;
        Ok(report)
    }

    /// Takes in the pass signers of a trust list obtained elsewhere (a
    /// signed trust list that verified, say), each keeping its source.
    ///
    /// # Errors
    /// [`Error::TrustDirectory`] when a kid would hold more than
    /// [`crate::trust::MAX_SIGNERS_PER_KID`] certificates; the store is
    /// unchanged then.
    pub fn add_signers(&mut self, list: TrustList) -> Result<LoadReport, Error> {
        let offered = list.len();
        let before = self.signers.len();
        let mut next = self.signers.clone();
        next.absorb(list)
            .map_err(|e| Error::TrustDirectory(format!("signers: {}", why(&e))))?;
        self.signers = next;
        let added = self.signers.len() - before;
        let mut report = LoadReport::new(DirectoryFormat::CertificateBundle);
        report.accepted = added;
        report.frameworks.hcert = added;
        report.duplicates = offered - added;
        Ok(report)
    }

    /// Loads a directory file, recognised by its content (see the module
    /// docs), entry by entry.
    ///
    /// # Errors
    /// [`Error::TrustDirectory`] for a file over [`MAX_DIRECTORY_LEN`] or
    /// [`MAX_DIRECTORY_ENTRIES`], one in no format this store reads, a JWK
    /// set without its issuer (or the any-issuer opt-in), a signed document
    /// whose signature is missing or does not verify, a format whose
    /// framework this build lacks, and with [`LoadOptions::strict`] any
    /// entry refused. The store is unchanged on error.
    pub fn load(&mut self, bytes: &[u8], options: &LoadOptions) -> Result<LoadReport, Error> {
        let named = |what: String| match options.source.as_str() {
            "" => Error::TrustDirectory(what),
            source => Error::TrustDirectory(format!("{source}: {what}")),
        };
        if bytes.len() > MAX_DIRECTORY_LEN {
            return Err(named(format!("larger than {MAX_DIRECTORY_LEN} bytes")));
        }
        let mut next = self.clone();
        let report = next.load_into(bytes, options).map_err(named)?;
        // Every signer this load added, named by it (an unnamed load marks
        // its signers too, so that a later load does not claim them).
        next.signers.stamp_source(&options.source.as_str().into());
        if options.strict {
            if let Some(first) = report.refused.first() {
                return Err(named(format!(
                    "{} entries refused (strict), the first {}: {}",
                    report.refused.len(),
                    first.entry,
                    first.reason
                )));
            }
        }
        *self = next;
        Ok(report)
    }

    fn load_into(&mut self, bytes: &[u8], options: &LoadOptions) -> Result<LoadReport, String> {
        let trimmed = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .and_then(|i| bytes.get(i..))
            .unwrap_or_default();
        match trimmed.first() {
            Some(b'{' | b'[') => self.load_json(bytes, options),
            _ => bundle::load(self, bytes),
        }
    }

    fn load_json(&mut self, bytes: &[u8], options: &LoadOptions) -> Result<LoadReport, String> {
        let doc: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|_| "not json (nor certificates)".to_owned())?;
        let has = |k: &str| doc.get(k).is_some();
        if has("keys") {
            return self.load_jwks(bytes, options);
        }
        if has("issuerInfo") && has("directory") {
            #[cfg(feature = "shc")]
            return vci::load(self, bytes, &doc, options);
            #[cfg(not(feature = "shc"))]
            return Err("a vci snapshot needs the shc feature".into());
        }
        if ["EUDCC", "SmartHealthCards", "ICAO", "DIVOC"]
            .iter()
            .any(|k| has(k))
        {
            return registry::load(self, &doc, &options.source);
        }
        match &doc {
            serde_json::Value::Array(items) if items.iter().all(serde_json::Value::is_string) => {
                dgca::prune(self, items)
            }
            serde_json::Value::Array(items) => dgca::load(self, items),
            _ => Err("json in no directory format this store reads".into()),
        }
    }

    #[cfg(feature = "shc")]
    fn load_jwks(&mut self, bytes: &[u8], options: &LoadOptions) -> Result<LoadReport, String> {
        use crate::formats::shc::KeyBinding;
        let binding = match (&options.shc_issuer, options.shc_any_issuer) {
            (Some(iss), _) => KeyBinding::Issuer(iss),
            (None, true) => KeyBinding::AnyIssuer,
            (None, false) => {
                return Err("a jwk set needs its issuer (or the explicit any-issuer opt-in)".into())
            }
        };
        let text = std::str::from_utf8(bytes).map_err(|_| "not utf-8".to_owned())?;
        let load = self.shc.add_jwks(text, binding).map_err(|e| why(&e))?;
        let mut report = LoadReport::new(DirectoryFormat::JwkSet);
        report.accepted = load.added;
        report.frameworks.shc = load.added;
        report.duplicates = load.merged;
        for (entry, e) in load.refused {
            report.refuse(entry, why(&e));
        }
        Ok(report)
    }

    #[cfg(not(feature = "shc"))]
    fn load_jwks(&mut self, _: &[u8], _: &LoadOptions) -> Result<LoadReport, String> {
        Err("a jwk set needs the shc feature".into())
    }
}

/// Why an entry was refused, in the words of the check that refused it
/// (without the error's class prefix: the report's reader knows it is a
/// trust entry).
pub(super) fn why(e: &Error) -> String {
    match e {
        Error::Certificate(r)
        | Error::Shc(r)
        | Error::Json(r)
        | Error::Seal(r)
        | Error::DidDocument(r)
        | Error::SignedDocument(r) => (*r).to_owned(),
        other => other.to_string(),
    }
}

/// A time of a directory (`2021-06-10T10:06:18.000Z`): RFC 3339, fractions
/// truncated; `None` when absent or not a time (one registry writes
/// `2021-02-29`).
fn directory_time(v: Option<&serde_json::Value>) -> Option<UnixTime> {
    UnixTime::parse_rfc3339(v?.as_str()?).ok()
}

/// The end of time for an entry whose directory gives none
/// (9999-12-31T23:59:59Z).
const NO_END: UnixTime = UnixTime::from_secs(253_402_300_799);
