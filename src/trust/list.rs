//! The trust list: the signer certificates a verifier trusts, indexed by
//! key identifier.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use base64ct::{Base64, Encoding as _};
use sha2::{Digest as _, Sha256};
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage};
use x509_cert::Certificate;

use super::{Kid, PassKinds, Signer};
use crate::crypto::{Algorithm, CryptoBackend};
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
}

#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
impl Default for TrustList {
    fn default() -> Self {
        TrustList::with_backend(crate::crypto::default_backend())
    }
}

/// The DER of every certificate in a PEM text, one block at a time. Only
/// `CERTIFICATE` blocks are accepted: a private key or anything else in a
/// trust file is an error, not something to skip.
pub(crate) fn pem_blocks(pem: &str) -> impl Iterator<Item = Result<Vec<u8>, Error>> + '_ {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "-----END ";
    let mut rest = pem;
    std::iter::from_fn(move || {
        let start = rest.find(BEGIN)?;
        let after = rest.get(start + BEGIN.len()..).unwrap_or_default();
        let label_end = match after.find("-----") {
            Some(i) => i,
            None => {
                rest = "";
                return Some(Err(Error::Certificate("bad pem")));
            }
        };
        let label = after.get(..label_end).unwrap_or_default();
        let body_and_rest = after.get(label_end + 5..).unwrap_or_default();
        let Some(end) = body_and_rest.find(END) else {
            rest = "";
            return Some(Err(Error::Certificate("bad pem: no end line")));
        };
        let body = body_and_rest.get(..end).unwrap_or_default();
        let tail = body_and_rest.get(end + END.len()..).unwrap_or_default();
        let closing = format!("{label}-----");
        if !tail.starts_with(&closing) {
            rest = "";
            return Some(Err(Error::Certificate("bad pem: end line does not match")));
        }
        rest = tail.get(closing.len()..).unwrap_or_default();
        if label != "CERTIFICATE" {
            return Some(Err(Error::Certificate("pem block is not a certificate")));
        }
        let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        Some(Base64::decode_vec(&compact).map_err(|_| Error::Certificate("bad pem base64")))
    })
}

/// The DER of every certificate in a PEM text (at least one).
#[cfg(feature = "rustcrypto")]
pub(crate) fn pem_certificates(pem: &str) -> Result<Vec<Vec<u8>>, Error> {
    let ders = pem_blocks(pem).collect::<Result<Vec<_>, _>>()?;
    if ders.is_empty() {
        return Err(Error::Certificate("no certificate in pem"));
    }
    Ok(ders)
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
        }
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
        let digest: [u8; 32] = Sha256::digest(der).into();
        if self.seen.contains(&(kid, digest)) {
            return Ok(kid);
        }
        if self.signers(&kid).len() >= MAX_SIGNERS_PER_KID {
            return Err(Error::Certificate("too many certificates share one kid"));
        }
        let signer = signer_of(&self.backend, der, kid)?;
        self.seen.insert((kid, digest));
        self.by_kid.entry(kid).or_default().push(signer);
        Ok(kid)
    }

    /// Adds every certificate of a PEM text (one or many `CERTIFICATE`
    /// blocks); returns their kids.
    ///
    /// # Errors
    /// [`Error::Certificate`] if the text holds no certificate or any block
    /// is bad; nothing is added then.
    pub fn add_pem(&mut self, pem: &str) -> Result<Vec<Kid>, Error> {
        let mut blocks = pem_blocks(pem).peekable();
        if blocks.peek().is_none() {
            return Err(Error::Certificate("no certificate in pem"));
        }
        self.add_all(blocks)
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
        if bytes.first() == Some(&0x30) {
            return Ok(vec![self.add_der(bytes)?]);
        }
        let text =
            std::str::from_utf8(bytes).map_err(|_| Error::Certificate("not der, pem or base64"))?;
        let text = text.trim_start_matches('\u{feff}');
        if text.contains("-----BEGIN") {
            return self.add_pem(text);
        }
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        if let Ok(der) = Base64::decode_vec(&compact) {
            if Certificate::from_der(&der).is_ok() {
                return Ok(vec![self.add_der(&der)?]);
            }
        }
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                Base64::decode_vec(l).map_err(|_| Error::Certificate("not der, pem or base64"))
            })
            .peekable();
        if lines.peek().is_none() {
            return Err(Error::Certificate("no certificate"));
        }
        self.add_all(lines)
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
            staged.push(signer_of(&self.backend, &der, kid)?);
        }
        self.seen.extend(staged_seen);
        for signer in staged {
            self.by_kid.entry(signer.kid).or_default().push(signer);
        }
        Ok(kids)
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
        let all = self.signers(kid);
        if all.is_empty() {
            return Err(Error::UnknownKid);
        }
        if !all.iter().any(|s| s.key().algorithm() == alg) {
            return Err(Error::AlgorithmKeyMismatch);
        }
        Ok(all.iter().filter(move |s| s.key().algorithm() == alg))
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
/// country and pass kinds. CA certificates are refused.
fn signer_of(backend: &Arc<dyn CryptoBackend>, der: &[u8], kid: Kid) -> Result<Signer, Error> {
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
    let validity = tbs.validity();
    let secs = |t: x509_cert::time::Time| {
        UnixTime::from_secs(i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX))
    };
    let country = tbs
        .subject()
        .country()
        .ok()
        .flatten()
        .map(|c| c.as_str().to_owned());
    let kinds = match tbs.get_extension::<ExtendedKeyUsage>() {
        Ok(Some((_, eku))) => PassKinds::from_eku(&eku.0),
        Ok(None) => PassKinds::ANY,
        Err(_) => return Err(Error::Certificate("bad extended key usage")),
    };
    Ok(Signer {
        kid,
        country,
        not_before: secs(validity.not_before),
        not_after: secs(validity.not_after),
        kinds,
        key,
    })
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
