//! The trust list: signer certificates (DSC), their key identifiers,
//! validity and the kinds of pass each may sign.

use std::collections::HashMap;
use std::sync::Arc;

use base64ct::{Base64, Encoding as _};
use sha2::{Digest as _, Sha256};
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::spki::ObjectIdentifier;
use x509_cert::Certificate;

use crate::crypto::{CryptoBackend, PublicKey};
use crate::{Error, UnixTime};

/// A kind of health pass, as a signer's extended key usage names it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PassKind {
    /// Vaccination (`v`).
    Vaccination,
    /// Test result (`t`).
    Test,
    /// Recovery (`r`).
    Recovery,
    /// Medical exemption (`e`). No extended key usage names it: only a
    /// signer without a pass-kind restriction may sign one.
    Exemption,
    /// Light pass (`LT1:`, no health data). No extended key usage names it:
    /// only a signer without a pass-kind restriction may sign one.
    Light,
}

impl PassKind {
    /// The bit of the kind in [`PassKinds`]; 0 for the kinds no extended
    /// key usage names, which only an unrestricted signer may sign.
    fn bit(self) -> u8 {
        match self {
            PassKind::Test => 1,
            PassKind::Vaccination => 2,
            PassKind::Recovery => 4,
            PassKind::Exemption | PassKind::Light => 0,
        }
    }
}

/// The kinds of pass a signer may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PassKinds(u8);

/// No extended key usage names a pass kind: no restriction at all (as
/// opposed to a certificate that lists every kind, which is still a list).
const UNRESTRICTED: u8 = 0x80;

impl PassKinds {
    /// No restriction: the signer certificate names no pass kind.
    pub const ANY: PassKinds = PassKinds(UNRESTRICTED);

    /// Whether `kind` is allowed. Exemption and light passes are allowed
    /// only when the signer is unrestricted.
    pub fn allows(self, kind: PassKind) -> bool {
        self.0 & (UNRESTRICTED | kind.bit()) != 0
    }

    /// True when the certificate names no pass kind at all. (A certificate
    /// that names all three is restricted to those three.)
    pub fn is_unrestricted(self) -> bool {
        self.0 & UNRESTRICTED != 0
    }
}

/// Extended key usage OIDs of the hcert spec (§5.1.1), in both the
/// registered form and the `.0.` form some issuers used.
const EKU_KINDS: [(ObjectIdentifier, PassKind); 6] = [
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.1"),
        PassKind::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.2"),
        PassKind::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.3"),
        PassKind::Recovery,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.1"),
        PassKind::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.2"),
        PassKind::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.3"),
        PassKind::Recovery,
    ),
];

/// The DER of every certificate in a PEM text (at least one).
pub(crate) fn pem_certificates(pem: &str) -> Result<Vec<Vec<u8>>, Error> {
    let certs =
        Certificate::load_pem_chain(pem.as_bytes()).map_err(|_| Error::Certificate("bad pem"))?;
    if certs.is_empty() {
        return Err(Error::Certificate("no certificate in pem"));
    }
    certs
        .iter()
        .map(|c| c.to_der().map_err(|_| Error::Certificate("bad der")))
        .collect()
}

/// The registered extended key usage OID of a kind, if one exists.
#[cfg_attr(not(feature = "rustcrypto"), allow(dead_code))]
pub(crate) fn eku_oid(kind: PassKind) -> Option<ObjectIdentifier> {
    EKU_KINDS
        .iter()
        .take(3)
        .find(|(_, k)| *k == kind)
        .map(|(oid, _)| *oid)
}

/// A key identifier: the first 8 bytes of the SHA-256 of the certificate.
pub type Kid = [u8; 8];

/// Computes the key identifier of a DER certificate.
pub fn kid_of(cert_der: &[u8]) -> Kid {
    let digest = Sha256::digest(cert_der);
    let mut kid = [0u8; 8];
    for (k, d) in kid.iter_mut().zip(digest.iter()) {
        *k = *d;
    }
    kid
}

/// A trusted signer: what verification needs from its certificate, parsed
/// once.
#[derive(Debug, Clone)]
pub struct Signer {
    kid: Kid,
    country: Option<String>,
    not_before: UnixTime,
    not_after: UnixTime,
    kinds: PassKinds,
    key: Arc<dyn PublicKey>,
}

impl Signer {
    /// The key identifier.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// The country (`C`) of the certificate's subject, if present.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// Start of the certificate's validity.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }

    /// End of the certificate's validity.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }

    /// The kinds of pass this signer may sign.
    pub fn kinds(&self) -> PassKinds {
        self.kinds
    }

    /// The parsed public key.
    pub fn key(&self) -> &dyn PublicKey {
        &*self.key
    }
}

/// The set of trusted signer certificates, indexed by key identifier.
///
/// Several certificates may share a kid; verification tries each.
#[derive(Debug, Clone)]
pub struct TrustList {
    backend: Arc<dyn CryptoBackend>,
    by_kid: HashMap<Kid, Vec<Signer>>,
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
        }
    }

    /// Adds one certificate in DER; returns its kid.
    ///
    /// # Errors
    /// [`Error::Certificate`] if it cannot be parsed or its key is not
    /// acceptable to the backend.
    pub fn add_der(&mut self, der: &[u8]) -> Result<Kid, Error> {
        self.add_der_with_kid(der, kid_of(der))
    }

    /// Adds one certificate in DER under a kid given by the trust list that
    /// carries it (the EU gateway lists publish the kid beside each
    /// certificate). Several certificates may share a kid; verification
    /// tries each.
    ///
    /// # Errors
    /// As [`TrustList::add_der`].
    pub fn add_der_with_kid(&mut self, der: &[u8], kid: Kid) -> Result<Kid, Error> {
        let cert = Certificate::from_der(der).map_err(|_| Error::Certificate("bad der"))?;
        self.add_parsed(&cert, kid)
    }

    fn add_parsed(&mut self, cert: &Certificate, kid: Kid) -> Result<Kid, Error> {
        let tbs = cert.tbs_certificate();
        let spki = tbs
            .subject_public_key_info()
            .to_der()
            .map_err(|_| Error::Certificate("bad subject public key info"))?;
        let key = self.backend.parse_public_key(&spki)?;
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
            Ok(Some((_, eku))) => kinds_from_eku(&eku.0),
            Ok(None) => PassKinds::ANY,
            Err(_) => return Err(Error::Certificate("bad extended key usage")),
        };
        let signer = Signer {
            kid,
            country,
            not_before: secs(validity.not_before),
            not_after: secs(validity.not_after),
            kinds,
            key,
        };
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
        let ders = pem_certificates(pem)?;
        self.add_all(&ders)
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
        let ders = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                Base64::decode_vec(l).map_err(|_| Error::Certificate("not der, pem or base64"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if ders.is_empty() {
            return Err(Error::Certificate("no certificate"));
        }
        self.add_all(&ders)
    }

    fn add_all(&mut self, ders: &[Vec<u8>]) -> Result<Vec<Kid>, Error> {
        // Parse all first, so that a bad one leaves the list untouched.
        let mut staged = TrustList::with_backend(Arc::clone(&self.backend));
        let kids = ders
            .iter()
            .map(|d| staged.add_der(d))
            .collect::<Result<Vec<_>, _>>()?;
        for (kid, signers) in staged.by_kid {
            self.by_kid.entry(kid).or_default().extend(signers);
        }
        Ok(kids)
    }

    /// The signers with this kid (empty if none).
    pub fn signers(&self, kid: &Kid) -> &[Signer] {
        self.by_kid.get(kid).map_or(&[], Vec::as_slice)
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

fn kinds_from_eku(oids: &[ObjectIdentifier]) -> PassKinds {
    let mut bits = 0u8;
    for (known, kind) in EKU_KINDS {
        if oids.contains(&known) {
            bits |= kind.bit();
        }
    }
    if bits == 0 {
        PassKinds::ANY
    } else {
        PassKinds(bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let t = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.1");
        let v0 = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.2");
        let other = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
        let k = kinds_from_eku(&[t, other]);
        assert!(k.allows(PassKind::Test));
        assert!(!k.allows(PassKind::Vaccination));
        let k = kinds_from_eku(&[v0]);
        assert!(k.allows(PassKind::Vaccination) && !k.allows(PassKind::Recovery));
        assert!(kinds_from_eku(&[other]).is_unrestricted());
        assert!(kinds_from_eku(&[]).is_unrestricted());
        let r = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.3");
        let v = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.2");
        let all = kinds_from_eku(&[t, v, r]);
        assert!(all.allows(PassKind::Test) && all.allows(PassKind::Vaccination));
        assert!(all.allows(PassKind::Recovery) && !all.is_unrestricted());
        for kind in [PassKind::Exemption, PassKind::Light] {
            assert!(!all.allows(kind), "{kind:?} needs an unrestricted signer");
            assert!(PassKinds::ANY.allows(kind));
        }
        for kind in [PassKind::Test, PassKind::Vaccination, PassKind::Recovery] {
            let oid = eku_oid(kind).unwrap();
            assert!(kinds_from_eku(&[oid]).allows(kind));
        }
        assert_eq!(eku_oid(PassKind::Light), None);
    }

    #[test]
    fn rejects_garbage() {
        let mut t = TrustList::new();
        assert!(t.add_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
        assert!(t.add_any(b"not a certificate").is_err());
        assert!(t
            .add_any(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .is_err());
        assert!(t.add_base64("!!!").is_err());
        assert!(t.is_empty());
    }
}
