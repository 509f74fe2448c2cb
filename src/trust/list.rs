//! The trust list: the signer certificates a verifier trusts, indexed by
//! key identifier.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use base64ct::{Base64, Encoding as _};
use sha2::{Digest as _, Sha256};
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage};
use x509_cert::Certificate;

use super::certs::{certificate_ders, country_of, validity_of};
use super::chain::CscaList;
use super::{Kid, PassKinds, Signer};
use crate::crypto::{Algorithm, CryptoBackend};
use crate::error::Withdrawal;
use crate::payload::kind::PassKind;
use crate::{Error, UnixTime};

/// At most this many distinct certificates may share one kid. Real lists
/// have one per kid; the bound keeps the work per pass small whatever a
/// trust file holds (a verifier tries each certificate of the kid).
pub const MAX_SIGNERS_PER_KID: usize = 8;

/// The set of trusted signer certificates, indexed by key identifier.
///
/// Several certificates may share a kid (up to
/// [`MAX_SIGNERS_PER_KID`](crate::trust::MAX_SIGNERS_PER_KID));
/// verification tries each. A certificate added twice is kept once.
/// Certification authorities (basicConstraints `cA`) are refused: a CA
/// certificate never signs passes.
#[derive(Debug, Clone)]
pub struct TrustList {
    backend: Arc<dyn CryptoBackend>,
    by_kid: HashMap<Kid, Vec<Signer>>,
    /// (kid, SHA-256 of the DER) of every certificate held: duplicates are
    /// recognised before they are parsed.
    seen: HashSet<(Kid, [u8; 32])>,
    /// In the chained mode, the CSCAs every signer must chain to.
    cscas: Option<Arc<CscaList>>,
    /// For a list loaded from a signed document: which, and until when.
    published: Option<Published>,
    /// Kids a directory withdrew (terminated): they verify nothing.
    withdrawn: HashMap<Kid, Withdrawal>,
}

/// Where a trust list loaded from a signed document stands.
#[derive(Debug, Clone)]
struct Published {
    list_id: String,
    sequence: u64,
    expires: UnixTime,
}

#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
impl Default for TrustList {
    fn default() -> Self {
        TrustList::with_backend(crate::crypto::default_backend())
    }
}

impl TrustList {
    /// An empty trust list using the default crypto backend
    /// ([`crate::crypto::default_backend`]).
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn new() -> Self {
        TrustList::default()
    }

    /// An empty trust list whose keys are parsed by `backend`.
    pub fn with_backend(backend: Arc<dyn CryptoBackend>) -> Self {
        TrustList {
            backend,
            by_kid: HashMap::new(),
            seen: HashSet::new(),
            cscas: None,
            published: None,
            withdrawn: HashMap::new(),
        }
    }

    /// An empty trust list in the chained mode: every certificate added
    /// later must have been issued by one of `cscas` (see
    /// [`crate::trust::CscaList`] for the checks), and a signer is valid
    /// only while its CSCA is. Keys are parsed by the CSCA list's backend.
    pub fn chained_to(cscas: CscaList) -> Self {
        TrustList {
            backend: Arc::clone(&cscas.backend),
            by_kid: HashMap::new(),
            seen: HashSet::new(),
            cscas: Some(Arc::new(cscas)),
            published: None,
            withdrawn: HashMap::new(),
        }
    }

    /// Whether this list is in the chained mode.
    pub fn is_chained(&self) -> bool {
        self.cscas.is_some()
    }

    /// For a list loaded from a signed trust list document
    /// ([`crate::trust::signed_list`]): when it expires. A verifier holding
    /// an expired list refuses every pass as untrusted.
    pub fn expires(&self) -> Option<UnixTime> {
        self.published.as_ref().map(|p| p.expires)
    }

    /// For a list loaded from a signed document: its list id and sequence.
    pub fn published(&self) -> Option<(&str, u64)> {
        self.published
            .as_ref()
            .map(|p| (p.list_id.as_str(), p.sequence))
    }

    pub(crate) fn set_published(&mut self, list_id: String, sequence: u64, expires: UnixTime) {
        self.stamp_source(&format!("{list_id} #{sequence}").into());
        self.published = Some(Published {
            list_id,
            sequence,
            expires,
        });
    }

    /// Moves every signer of `other` into this list (duplicates kept once),
    /// all or nothing.
    ///
    /// # Errors
    /// [`Error::Certificate`] if a kid would hold more than
    /// [`MAX_SIGNERS_PER_KID`] certificates; the list is then unchanged.
    #[cfg_attr(not(feature = "gdhcn"), allow(dead_code))]
    pub(crate) fn absorb(&mut self, other: TrustList) -> Result<(), Error> {
        let fresh: Vec<Signer> = other
            .by_kid
            .into_values()
            .flatten()
            .filter(|s| !self.seen.contains(&(s.kid, s.digest)))
            .collect();
        let mut per_kid: HashMap<Kid, usize> = HashMap::new();
        for signer in &fresh {
            *per_kid
                .entry(signer.kid)
                .or_insert_with(|| self.signers(&signer.kid).len()) += 1;
        }
        if per_kid.values().any(|n| *n > MAX_SIGNERS_PER_KID) {
            return Err(Error::Certificate("too many certificates share one kid"));
        }
        for signer in fresh {
            if self.seen.insert((signer.kid, signer.digest)) {
                self.by_kid.entry(signer.kid).or_default().push(signer);
            }
        }
        Ok(())
    }

    /// The same mode and backend, without certificates.
    pub(crate) fn emptied(&self) -> TrustList {
        TrustList {
            backend: Arc::clone(&self.backend),
            by_kid: HashMap::new(),
            seen: HashSet::new(),
            cscas: self.cscas.clone(),
            published: None,
            withdrawn: self.withdrawn.clone(),
        }
    }

    /// Removes every certificate of the `removals` kids, then adds each
    /// `(certificate DER, kid, kinds)`, the kid checked by the caller and
    /// the signer narrowed to `kinds` when given.
    ///
    /// # Errors
    /// As [`TrustList::add_der_with_kid`]; the list is then part-way
    /// changed, so callers apply to a copy.
    pub(crate) fn apply_entries<'e>(
        &mut self,
        removals: &[Kid],
        entries: impl IntoIterator<Item = (&'e [u8], Kid, Option<&'e [PassKind]>)>,
    ) -> Result<(), Error> {
        for kid in removals {
            self.by_kid.remove(kid);
            self.seen.retain(|(k, _)| k != kid);
        }
        for (der, kid, kinds) in entries {
            self.add_one(der, kid, kinds)?;
        }
        Ok(())
    }

    /// Adds one certificate in DER; returns its kid.
    ///
    /// # Errors
    /// [`Error::Certificate`] if it cannot be parsed, is a CA certificate,
    /// its key is not acceptable to the backend, or its kid already has
    /// [`MAX_SIGNERS_PER_KID`] certificates.
    pub fn add_der(&mut self, der: &[u8]) -> Result<Kid, Error> {
        self.add_der_with_kid(der, super::kid_of(der))
    }

    /// Adds one certificate in DER under a kid given by the trust list that
    /// carries it (the EU gateway lists publish the kid beside each
    /// certificate). Several certificates may share a kid; verification
    /// tries each.
    ///
    /// # Errors
    /// As [`TrustList::add_der`].
    pub fn add_der_with_kid(&mut self, der: &[u8], kid: Kid) -> Result<Kid, Error> {
        self.add_one(der, kid, None)
    }

    /// Adds one certificate under `kid`, its signer narrowed to `kinds`
    /// when given. A certificate already held is kept as it is.
    fn add_one(&mut self, der: &[u8], kid: Kid, kinds: Option<&[PassKind]>) -> Result<Kid, Error> {
        self.add_narrowed(der, kid, kinds, None).map(|_| kid)
    }

    /// Adds one certificate under `kid`, narrowed to `kinds` and to the
    /// `window` its directory gives, when given: `true` when new, `false`
    /// when already held (then kept as it is).
    ///
    /// # Errors
    /// As [`TrustList::add_der`].
    pub(crate) fn add_narrowed(
        &mut self,
        der: &[u8],
        kid: Kid,
        kinds: Option<&[PassKind]>,
        window: Option<(UnixTime, UnixTime)>,
    ) -> Result<bool, Error> {
        let digest: [u8; 32] = Sha256::digest(der).into();
        if self.seen.contains(&(kid, digest)) {
            return Ok(false);
        }
        if self.signers(&kid).len() >= MAX_SIGNERS_PER_KID {
            return Err(Error::Certificate("too many certificates share one kid"));
        }
        let mut signer = signer_of(&self.backend, der, kid, self.cscas.as_deref())?;
        if let Some(kinds) = kinds {
            signer.kinds = signer.kinds.narrowed(kinds);
        }
        if let Some((from, until)) = window {
            signer.not_before = signer.not_before.max(from);
            signer.not_after = signer.not_after.min(until);
        }
        self.seen.insert((kid, digest));
        self.by_kid.entry(kid).or_default().push(signer);
        Ok(true)
    }

    /// Adds a bare public key (a SubjectPublicKeyInfo, as some countries
    /// publish their signers: no certificate) under the kid, country,
    /// validity and kinds its directory gives: `true` when new. The key must
    /// be one a pass signer may have (as for certificates). Not in the
    /// chained mode: a bare key chains to nothing.
    ///
    /// # Errors
    /// [`Error::Certificate`] for a key the backend refuses, a list in the
    /// chained mode, or a kid that already has [`MAX_SIGNERS_PER_KID`]
    /// signers.
    pub(crate) fn add_key(
        &mut self,
        spki_der: &[u8],
        kid: Kid,
        country: Option<String>,
        window: (UnixTime, UnixTime),
        kinds: Option<&[PassKind]>,
    ) -> Result<bool, Error> {
        if self.cscas.is_some() {
            return Err(Error::Certificate(
                "a bare key chains to no country ca (chained mode)",
            ));
        }
        let digest: [u8; 32] = Sha256::digest(spki_der).into();
        if self.seen.contains(&(kid, digest)) {
            return Ok(false);
        }
        if self.signers(&kid).len() >= MAX_SIGNERS_PER_KID {
            return Err(Error::Certificate("too many certificates share one kid"));
        }
        let key = self.backend.parse_public_key(spki_der)?;
        let kinds = kinds.map_or(PassKinds::ANY, |k| PassKinds::ANY.narrowed(k));
        self.seen.insert((kid, digest));
        self.by_kid.entry(kid).or_default().push(Signer {
            kid,
            digest,
            country,
            not_before: window.0,
            not_after: window.1,
            kinds,
            key,
            source: None,
        });
        Ok(true)
    }

    /// Names `source` as the origin of every signer that has none yet (the
    /// ones the load that just ran added).
    pub(crate) fn stamp_source(&mut self, source: &Arc<str>) {
        for signer in self.by_kid.values_mut().flatten() {
            if signer.source.is_none() {
                signer.source = Some(Arc::clone(source));
            }
        }
    }

    /// Keeps only the signers whose kid `keep` accepts; returns how many
    /// certificates or keys left.
    pub(crate) fn retain_kids(&mut self, keep: impl Fn(&Kid) -> bool) -> usize {
        let before = self.len();
        self.by_kid.retain(|kid, _| keep(kid));
        self.seen.retain(|(kid, _)| keep(kid));
        before - self.len()
    }

    /// Withdraws a kid (its directory terminated the signer): no pass it
    /// signed verifies, whatever else lists it.
    pub(crate) fn withdraw(&mut self, kid: Kid, how: Withdrawal) {
        self.withdrawn.entry(kid).or_insert(how);
    }

    /// The kids withdrawn.
    pub fn withdrawn(&self) -> impl Iterator<Item = &Kid> {
        self.withdrawn.keys()
    }

    /// Adds every certificate of a PEM text (one or many `CERTIFICATE`
    /// blocks); returns their kids.
    ///
    /// # Errors
    /// [`Error::Certificate`] if the text holds no certificate or any block
    /// is bad; nothing is added then.
    pub fn add_pem(&mut self, pem: &str) -> Result<Vec<Kid>, Error> {
        if !pem.contains("-----BEGIN") {
            return Err(Error::Certificate("no certificate in pem"));
        }
        self.add_any(pem.as_bytes())
    }

    /// Adds a certificate given as base64 of its DER (the form of the EU
    /// test corpus and of trust-list downloads); white space is ignored.
    ///
    /// # Errors
    /// [`Error::Certificate`] for bad base64 or a bad certificate.
    pub fn add_base64(&mut self, text: &str) -> Result<Kid, Error> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = Base64::decode_vec(&compact).map_err(|_| Error::Certificate("bad base64"))?;
        self.add_der(&der)
    }

    /// Adds whatever a trust file holds: DER, PEM (one or many), base64 of
    /// one DER, or one base64 DER per line.
    ///
    /// # Errors
    /// [`Error::Certificate`] if the bytes are none of these; nothing is
    /// added then.
    pub fn add_any(&mut self, bytes: &[u8]) -> Result<Vec<Kid>, Error> {
        self.add_all(certificate_ders(bytes)?)
    }

    /// As [`TrustList::add_any`], except that certification authorities
    /// (basicConstraints `cA`) go to `cas` instead of being refused: a
    /// trust file may then mix pass signers and the country signing CAs
    /// that ICAO seal signers chain to
    /// ([`VerifierBuilder::seal_cscas`](crate::VerifierBuilder::seal_cscas)).
    /// Returns the kids of the signers and the number of CAs.
    ///
    /// # Errors
    /// As [`TrustList::add_any`] and [`CscaList::add_der`]; nothing is
    /// added to this list then (CAs before the bad one may have been).
    pub fn add_any_with_cas(
        &mut self,
        bytes: &[u8],
        cas: &mut CscaList,
    ) -> Result<(Vec<Kid>, usize), Error> {
        let mut signers = Vec::new();
        let mut authorities = Vec::new();
        for der in certificate_ders(bytes)? {
            let der = der?;
            let cert = Certificate::from_der(&der).map_err(|_| Error::Certificate("bad der"))?;
            match cert.tbs_certificate().get_extension::<BasicConstraints>() {
                Ok(Some((_, bc))) if bc.ca => authorities.push(der),
                _ => signers.push(der),
            }
        }
        let kids = self.add_all(signers.into_iter().map(Ok))?;
        for der in &authorities {
            cas.add_der(der)?;
        }
        Ok((kids, authorities.len()))
    }

    /// Adds certificates all or nothing: each is checked (and duplicates
    /// dropped, before parsing) into a staging list, which is merged only
    /// when every one was good.
    fn add_all(
        &mut self,
        ders: impl Iterator<Item = Result<Vec<u8>, Error>>,
    ) -> Result<Vec<Kid>, Error> {
        let mut staged: Vec<Signer> = Vec::new();
        let mut staged_seen: HashSet<(Kid, [u8; 32])> = HashSet::new();
        let mut per_kid: HashMap<Kid, usize> = HashMap::new();
        let mut kids = Vec::new();
        for der in ders {
            let der = der?;
            let kid = super::kid_of(&der);
            let digest: [u8; 32] = Sha256::digest(&der).into();
            kids.push(kid);
            if self.seen.contains(&(kid, digest)) || !staged_seen.insert((kid, digest)) {
                continue;
            }
            let count = per_kid
                .entry(kid)
                .or_insert_with(|| self.signers(&kid).len());
            if *count >= MAX_SIGNERS_PER_KID {
                return Err(Error::Certificate("too many certificates share one kid"));
            }
            *count += 1;
            staged.push(signer_of(&self.backend, &der, kid, self.cscas.as_deref())?);
        }
        self.seen.extend(staged_seen);
        for signer in staged {
            self.by_kid.entry(signer.kid).or_default().push(signer);
        }
        Ok(kids)
    }

    /// The kids of its signers, in no particular order.
    pub fn kids(&self) -> impl Iterator<Item = &Kid> {
        self.by_kid.keys()
    }

    /// The signers with this kid (empty if none).
    pub fn signers(&self, kid: &Kid) -> &[Signer] {
        self.by_kid.get(kid).map_or(&[], Vec::as_slice)
    }

    /// The signers with this kid whose key is for `alg`.
    ///
    /// # Errors
    /// [`Error::UnknownKid`] if no certificate has the kid;
    /// [`Error::AlgorithmKeyMismatch`] if none of them has a key for `alg`.
    pub(crate) fn candidates(
        &self,
        kid: &Kid,
        alg: Algorithm,
    ) -> Result<impl Iterator<Item = &Signer> + '_, Error> {
        if let Some(how) = self.withdrawn.get(kid) {
            return Err(how.error());
        }
        let all = self.signers(kid);
        if all.is_empty() {
            return Err(Error::UnknownKid);
        }
        if !all.iter().any(|s| s.key().algorithm() == alg) {
            return Err(Error::AlgorithmKeyMismatch);
        }
        Ok(all.iter().filter(move |s| s.key().algorithm() == alg))
    }

    /// The crypto backend keys are parsed by.
    #[cfg(feature = "icao")]
    pub(crate) fn backend(&self) -> &Arc<dyn CryptoBackend> {
        &self.backend
    }

    /// In the chained mode, the CSCAs signers chain to.
    #[cfg(feature = "icao")]
    pub(crate) fn cscas(&self) -> Option<&CscaList> {
        self.cscas.as_deref()
    }

    /// The signer whose certificate is exactly `der`, if the list holds it.
    #[cfg(feature = "icao")]
    pub(crate) fn signer_of_certificate(&self, der: &[u8]) -> Option<&Signer> {
        let digest: [u8; 32] = Sha256::digest(der).into();
        self.signers(&super::kid_of(der))
            .iter()
            .find(|s| s.digest == digest)
    }

    /// Number of certificates.
    pub fn len(&self) -> usize {
        self.by_kid.values().map(Vec::len).sum()
    }

    /// True when no certificate is trusted.
    pub fn is_empty(&self) -> bool {
        self.by_kid.is_empty()
    }
}

/// Reads a signer certificate: its key (parsed by `backend`), validity,
/// country and pass kinds. CA certificates are refused. With `cscas`, the
/// certificate must chain to one of them, and its validity narrows to the
/// CSCA's.
fn signer_of(
    backend: &Arc<dyn CryptoBackend>,
    der: &[u8],
    kid: Kid,
    cscas: Option<&CscaList>,
) -> Result<Signer, Error> {
    let cert = Certificate::from_der(der).map_err(|_| Error::Certificate("bad der"))?;
    let tbs = cert.tbs_certificate();
    match tbs.get_extension::<BasicConstraints>() {
        Ok(Some((_, bc))) if bc.ca => {
            return Err(Error::Certificate(
                "a ca certificate (basicConstraints ca) cannot sign passes",
            ))
        }
        Ok(_) => {}
        Err(_) => return Err(Error::Certificate("bad basic constraints")),
    }
    let spki = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|_| Error::Certificate("bad subject public key info"))?;
    let key = backend.parse_public_key(&spki)?;
    let mut window = validity_of(&cert);
    if let Some(cscas) = cscas {
        let ca = cscas.chain(der, &cert)?;
        window.not_before = window.not_before.max(ca.not_before);
        window.not_after = window.not_after.min(ca.not_after);
    }
    let country = country_of(&cert);
    let kinds = kinds_of(&cert)?;
    Ok(Signer {
        kid,
        digest: Sha256::digest(der).into(),
        country,
        not_before: window.not_before,
        not_after: window.not_after,
        kinds,
        key,
        source: None,
    })
}

/// The kinds of pass a signer certificate may sign, by its extended key
/// usage (none named: any).
pub(crate) fn kinds_of(cert: &Certificate) -> Result<PassKinds, Error> {
    match cert.tbs_certificate().get_extension::<ExtendedKeyUsage>() {
        Ok(Some((_, eku))) => Ok(PassKinds::from_eku(&eku.0)),
        Ok(None) => Ok(PassKinds::ANY),
        Err(_) => Err(Error::Certificate("bad extended key usage")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage() {
        let mut t = TrustList::new();
        assert!(t.add_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
        assert!(t.add_any(b"not a certificate").is_err());
        assert!(t
            .add_any(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .is_err());
        assert!(t
            .add_any(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            .is_err());
        assert!(t
            .add_any(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n")
            .is_err());
        assert!(t.add_any(b"-----BEGIN CERTIFICATE-----\nAAAA\n").is_err());
        assert!(t.add_base64("!!!").is_err());
        assert!(t.is_empty());
    }

    #[test]
    fn duplicates_are_kept_once() {
        let pem = include_str!("../../demo/trust.pem");
        let mut t = TrustList::new();
        let many = pem.repeat(50);
        let kids = t.add_any(many.as_bytes()).unwrap();
        assert_eq!(kids.len(), 50);
        assert_eq!(t.len(), 1);
        t.add_any(pem.as_bytes()).unwrap();
        assert_eq!(t.len(), 1);
    }
}
