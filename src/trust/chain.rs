//! Signer certificates that chain to a country signing CA.
//!
//! In the chained trust mode a document signer certificate (DSC) is
//! trusted only when a configured country signing CA (CSCA, called SCA in
//! the WHO network) issued it: the path is exactly CSCA → DSC, as the EU
//! and WHO certificate governance prescribe. The checks:
//!
//! - the CSCA is a CA (basicConstraints `cA`), may sign certificates
//!   (keyUsage `keyCertSign`) and names its country;
//! - the DSC names the CSCA's subject as its issuer, carries the CSCA's
//!   signature (one of [`CertSignatureAlgorithm`]), is not itself a CA and
//!   names the same country;
//! - neither carries a critical extension this module does not know;
//! - both are valid at verification time: the signer's validity becomes the
//!   overlap of the two.
//!
//! No path is built: a DSC issued by an intermediate is refused, so no
//! chain can loop, and each DSC costs at most [`MAX_CAS_PER_SUBJECT`]
//! signature checks.
//!
//! rustls-webpki was weighed and not used: it cannot require the DSC's
//! country to be its CSCA's, its key-usage rules are those of TLS, it
//! refuses the ecdsa-with-SHA512 signatures real CSCAs put on P-256 DSCs,
//! and it would bring a second crypto provider into the WASM package; the
//! crate's own backends check these signatures instead.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};
use x509_cert::der::{Decode as _, Encode as _, Header, Reader as _, SliceReader};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::spki::ObjectIdentifier;
use x509_cert::Certificate;

use super::certs::{certificate_ders, country_of, validity_of, Window};
use crate::crypto::{CertSignatureAlgorithm, CryptoBackend};
use crate::{Error, UnixTime};

/// At most this many CSCAs may share one subject name (key roll-overs keep
/// the name); a DSC is checked against each.
pub const MAX_CAS_PER_SUBJECT: usize = 8;

/// The country signing CAs (CSCA) that signer certificates must chain to,
/// indexed by subject name. Build it, then make a
/// [`TrustList::chained_to`](crate::TrustList::chained_to) from it.
#[derive(Debug, Clone)]
pub struct CscaList {
    pub(crate) backend: Arc<dyn CryptoBackend>,
    by_subject: HashMap<Vec<u8>, Vec<Csca>>,
    seen: HashSet<[u8; 32]>,
}

/// What chaining needs from a CSCA certificate, parsed once.
#[derive(Debug, Clone)]
struct Csca {
    spki: Vec<u8>,
    country: String,
    not_before: UnixTime,
    not_after: UnixTime,
}

#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
impl Default for CscaList {
    fn default() -> Self {
        CscaList::with_backend(crate::crypto::default_backend())
    }
}

impl CscaList {
    /// An empty list using the default crypto backend.
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn new() -> Self {
        CscaList::default()
    }

    /// An empty list whose signatures are checked by `backend`.
    pub fn with_backend(backend: Arc<dyn CryptoBackend>) -> Self {
        CscaList {
            backend,
            by_subject: HashMap::new(),
            seen: HashSet::new(),
        }
    }

    /// Adds one CSCA certificate in DER.
    ///
    /// # Errors
    /// [`Error::Certificate`] if it cannot be parsed, is not a CA that may
    /// sign certificates, names no country, carries an unknown critical
    /// extension, has a key the backend does not accept, or its subject
    /// already has [`MAX_CAS_PER_SUBJECT`] certificates.
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), Error> {
        self.add_all(std::iter::once(Ok(der.to_vec())))
    }

    /// Adds one CSCA certificate in DER: `true` when new, `false` when
    /// already held.
    ///
    /// # Errors
    /// As [`CscaList::add_der`].
    pub(crate) fn add_one(&mut self, der: &[u8]) -> Result<bool, Error> {
        let digest: [u8; 32] = Sha256::digest(der).into();
        if self.seen.contains(&digest) {
            return Ok(false);
        }
        self.add_der(der).map(|()| true)
    }

    /// Adds whatever a file of CSCAs holds, in the forms
    /// [`TrustList::add_any`](crate::TrustList::add_any) reads. All or
    /// nothing.
    ///
    /// # Errors
    /// As [`CscaList::add_der`], for any certificate of the file; nothing is
    /// added then.
    pub fn add_any(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        let mut count = 0;
        self.add_all(certificate_ders(bytes)?.inspect(|_| count += 1))?;
        Ok(count)
    }

    fn add_all(&mut self, ders: impl Iterator<Item = Result<Vec<u8>, Error>>) -> Result<(), Error> {
        let mut staged: Vec<(Vec<u8>, Csca)> = Vec::new();
        let mut staged_seen = HashSet::new();
        for der in ders {
            let der = der?;
            let digest: [u8; 32] = Sha256::digest(&der).into();
            if self.seen.contains(&digest) || !staged_seen.insert(digest) {
                continue;
            }
            let (subject, csca) = csca_of(&*self.backend, &der)?;
            let held = self.by_subject.get(&subject).map_or(0, Vec::len)
                + staged.iter().filter(|(s, _)| *s == subject).count();
            if held >= MAX_CAS_PER_SUBJECT {
                return Err(Error::Certificate("too many cscas share one subject name"));
            }
            staged.push((subject, csca));
        }
        self.seen.extend(staged_seen);
        for (subject, csca) in staged {
            self.by_subject.entry(subject).or_default().push(csca);
        }
        Ok(())
    }

    /// Number of CSCA certificates.
    pub fn len(&self) -> usize {
        self.by_subject.values().map(Vec::len).sum()
    }

    /// True when the list holds none.
    pub fn is_empty(&self) -> bool {
        self.by_subject.is_empty()
    }

    /// Checks that a CSCA of this list issued the signer certificate
    /// `cert` (DER `der`); returns the window in which both are valid.
    pub(crate) fn chain(&self, der: &[u8], cert: &Certificate) -> Result<Window, Error> {
        let tbs = cert.tbs_certificate();
        check_critical_extensions(cert)?;
        let issuer = tbs
            .issuer()
            .to_der()
            .map_err(|_| Error::Certificate("bad issuer name"))?;
        let cas = self.by_subject.get(&issuer).ok_or(Error::Certificate(
            "no configured csca issued this certificate",
        ))?;
        if cert.signature_algorithm() != tbs.signature() {
            return Err(Error::Certificate(
                "the certificate names two signature algorithms",
            ));
        }
        let algorithm = signature_algorithm(cert)?;
        let message = tbs_bytes(der)?;
        let signature = cert
            .signature()
            .as_bytes()
            .ok_or(Error::Certificate("bad certificate signature"))?;
        let country = country_of(cert);
        let mut last = Error::Certificate("the ca signature does not verify");
        for ca in cas {
            match self
                .backend
                .verify_certificate_signature(&ca.spki, algorithm, message, signature)
            {
                Ok(()) if country.as_deref() != Some(ca.country.as_str()) => {
                    return Err(Error::Certificate(
                        "the certificate's country is not its csca's",
                    ))
                }
                Ok(()) => {
                    return Ok(Window {
                        not_before: ca.not_before,
                        not_after: ca.not_after,
                    })
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

#[cfg(feature = "shc")]
/// Checks that the key `issuer_spki` signed the certificate `cert` (DER
/// `der`), with one of the [`CertSignatureAlgorithm`]s.
pub(crate) fn check_issued_by(
    backend: &dyn CryptoBackend,
    der: &[u8],
    cert: &Certificate,
    issuer_spki: &[u8],
) -> Result<(), Error> {
    if cert.signature_algorithm() != cert.tbs_certificate().signature() {
        return Err(Error::Certificate(
            "the certificate names two signature algorithms",
        ));
    }
    let algorithm = signature_algorithm(cert)?;
    let signature = cert
        .signature()
        .as_bytes()
        .ok_or(Error::Certificate("bad certificate signature"))?;
    backend.verify_certificate_signature(issuer_spki, algorithm, tbs_bytes(der)?, signature)
}

/// Reads a CSCA certificate; returns its subject name (DER) and what
/// chaining needs.
fn csca_of(backend: &dyn CryptoBackend, der: &[u8]) -> Result<(Vec<u8>, Csca), Error> {
    let cert = Certificate::from_der(der).map_err(|_| Error::Certificate("bad der"))?;
    let tbs = cert.tbs_certificate();
    check_critical_extensions(&cert)?;
    match tbs.get_extension::<BasicConstraints>() {
        Ok(Some((_, bc))) if bc.ca => {}
        Ok(_) => return Err(Error::Certificate("a csca must be a ca (basicConstraints)")),
        Err(_) => return Err(Error::Certificate("bad basic constraints")),
    }
    match tbs.get_extension::<KeyUsage>() {
        Ok(Some((_, ku))) if ku.key_cert_sign() => {}
        Ok(_) => return Err(Error::Certificate("a csca must have keyUsage keyCertSign")),
        Err(_) => return Err(Error::Certificate("bad key usage")),
    }
    let country = country_of(&cert).ok_or(Error::Certificate("a csca must name its country"))?;
    let spki = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|_| Error::Certificate("bad subject public key info"))?;
    // The key must be one a certificate authority may have (curve; RSA of
    // 2048 to 8192 bits, any odd exponent from 3): it verifies
    // certificates, never passes.
    let _ = backend;
    crate::crypto::spki::classify_as(&spki, crate::crypto::spki::KeyRole::Authority)?;
    let subject = tbs
        .subject()
        .to_der()
        .map_err(|_| Error::Certificate("bad subject name"))?;
    let window = validity_of(&cert);
    Ok((
        subject,
        Csca {
            spki,
            country,
            not_before: window.not_before,
            not_after: window.not_after,
        },
    ))
}

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// The extensions whose meaning this crate either checks (basic
/// constraints, key usage, extended key usage) or may ignore without
/// changing what the certificate allows (identifiers, names, CRL
/// locations, policies, the private key usage period). Any other critical
/// extension refuses the certificate (RFC 5280, 4.2).
const KNOWN_EXTENSIONS: [ObjectIdentifier; 10] = [
    oid("2.5.29.19"), // basicConstraints
    oid("2.5.29.15"), // keyUsage
    oid("2.5.29.37"), // extKeyUsage
    oid("2.5.29.14"), // subjectKeyIdentifier
    oid("2.5.29.35"), // authorityKeyIdentifier
    oid("2.5.29.17"), // subjectAltName
    oid("2.5.29.18"), // issuerAltName
    oid("2.5.29.31"), // cRLDistributionPoints
    oid("2.5.29.32"), // certificatePolicies
    oid("2.5.29.16"), // privateKeyUsagePeriod
];

pub(crate) fn check_critical_extensions(cert: &Certificate) -> Result<(), Error> {
    let unknown = cert
        .tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .any(|e| e.critical && !KNOWN_EXTENSIONS.contains(&e.extn_id));
    if unknown {
        Err(Error::Certificate("unknown critical extension"))
    } else {
        Ok(())
    }
}

/// RSASSA-PSS parameters for SHA-256, MGF1 with SHA-256 and a 32-byte salt,
/// with the hash parameters as NULL and as absent (both are seen).
const PSS_SHA256_NULL: &[u8] = &[
    0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
    0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
    0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
];
const PSS_SHA256_ABSENT: &[u8] = &[
    0x30, 0x30, 0xa0, 0x0b, 0x30, 0x09, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
    0x01, 0xa1, 0x18, 0x30, 0x16, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08,
    0x30, 0x09, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0xa2, 0x03, 0x02,
    0x01, 0x20,
];

/// The signature algorithm of a certificate, if it is one a CSCA may use.
fn signature_algorithm(cert: &Certificate) -> Result<CertSignatureAlgorithm, Error> {
    use CertSignatureAlgorithm as C;
    let alg = cert.signature_algorithm();
    let params = alg.parameters.as_ref().map(|p| p.to_der()).transpose();
    let params = params.map_err(|_| Error::Certificate("bad signature algorithm"))?;
    let absent_or_null = matches!(params.as_deref(), None | Some([0x05, 0x00]));
    // RFC 5758 says absent for ECDSA; real CSCAs (Japan's, which signs ICAO
    // seal signers) write NULL: both are read, nothing else.
    let ecdsa = |a| {
        if absent_or_null {
            Ok(a)
        } else {
            Err(Error::Certificate("bad signature algorithm parameters"))
        }
    };
    let rsa = |a| {
        if absent_or_null {
            Ok(a)
        } else {
            Err(Error::Certificate("bad signature algorithm parameters"))
        }
    };
    match alg.oid.to_string().as_str() {
        "1.2.840.10045.4.3.2" => ecdsa(C::EcdsaSha256),
        "1.2.840.10045.4.3.3" => ecdsa(C::EcdsaSha384),
        "1.2.840.10045.4.3.4" => ecdsa(C::EcdsaSha512),
        "1.2.840.113549.1.1.11" => rsa(C::RsaPkcs1Sha256),
        "1.2.840.113549.1.1.12" => rsa(C::RsaPkcs1Sha384),
        "1.2.840.113549.1.1.13" => rsa(C::RsaPkcs1Sha512),
        "1.2.840.113549.1.1.10" if matches!(params.as_deref(), Some(p) if p == PSS_SHA256_NULL || p == PSS_SHA256_ABSENT) => {
            Ok(C::RsaPssSha256)
        }
        "1.2.840.113549.1.1.10" => Err(Error::Certificate(
            "unsupported rsassa-pss parameters (sha-256, salt 32 only)",
        )),
        _ => Err(Error::Certificate(
            "unsupported certificate signature algorithm (sha-1 or other)",
        )),
    }
}

/// The to-be-signed bytes of a DER certificate, exactly as they were
/// signed (re-encoding could change them).
fn tbs_bytes(der: &[u8]) -> Result<&[u8], Error> {
    const BAD: Error = Error::Certificate("bad der");
    let mut reader = SliceReader::new(der).map_err(|_| BAD)?;
    Header::decode(&mut reader).map_err(|_| BAD)?;
    let start = reader.position();
    let tbs = Header::decode(&mut reader).map_err(|_| BAD)?;
    let end = (reader.position() + tbs.length()).map_err(|_| BAD)?;
    let start = usize::try_from(start).map_err(|_| BAD)?;
    let end = usize::try_from(end).map_err(|_| BAD)?;
    der.get(start..end).ok_or(BAD)
}
