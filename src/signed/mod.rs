//! Signed documents: a CBOR document in a COSE_Sign1 whose protected header
//! names the document's content type, signed by a key whose certificate is
//! among a set of anchors.
//!
//! Revocation lists and trust lists are signed documents. The content type
//! is protected, so a document of one kind can never pass for another, nor
//! a pass for a document, even when one key signs them all.
//!
//! A [`Credential`] (a signing key and its certificate, checked to belong
//! together) signs documents and, through [`crate::issue::Issuer`], passes.
//!
//! Signed lists (revocation lists, and the trust lists of [`trust_list`])
//! carry a list id, a sequence number (and for a delta the sequence it
//! applies to) and a validity; `check_issue` and `check_next` hold the
//! rules both follow.

use std::borrow::Cow;
use std::time::Duration;

use crate::cose::CoseSign1;
use crate::trust::Signer;
use crate::{Error, TrustList, UnixTime};

pub mod trust_list;

/// When a signed thing (a pass, a list) is valid: from its issue time to
/// its expiry, which comes strictly later. Two times of one type side by
/// side are easy to swap; this type cannot hold them the wrong way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    issued_at: UnixTime,
    expires: UnixTime,
}

impl Validity {
    /// Valid from `issued_at` to `expires`.
    ///
    /// # Errors
    /// [`Error::Issuing`] unless `expires` is after `issued_at`.
    pub fn new(issued_at: UnixTime, expires: UnixTime) -> Result<Self, Error> {
        if expires <= issued_at {
            return Err(Error::Issuing("exp must be after iat"));
        }
        Ok(Validity { issued_at, expires })
    }

    /// Valid from `issued_at` for `duration`.
    ///
    /// # Errors
    /// [`Error::Issuing`] for a zero duration.
    pub fn starting(issued_at: UnixTime, duration: Duration) -> Result<Self, Error> {
        let secs = i64::try_from(duration.as_secs()).unwrap_or(i64::MAX);
        Validity::new(issued_at, issued_at.saturating_add(secs))
    }

    /// The issue time.
    pub fn issued_at(&self) -> UnixTime {
        self.issued_at
    }

    /// The expiry.
    pub fn expires(&self) -> UnixTime {
        self.expires
    }
}

/// A signed document checked against its anchors: its payload (the CBOR
/// document) and the anchor that signed it.
#[derive(Debug)]
pub(crate) struct Verified<'a, 't> {
    pub(crate) payload: Cow<'a, [u8]>,
    pub(crate) signer: &'t Signer,
}

/// Checks a signed document: COSE_Sign1 structure, the protected content
/// type equal to `content_type`, a signature by one of `anchors`, and that
/// anchor's certificate valid at `now`.
///
/// # Errors
/// [`Error::SignedDocument`] for another content type; the COSE errors;
/// [`Error::UnknownKid`], [`Error::AlgorithmKeyMismatch`],
/// [`Error::BadSignature`] or [`Error::SignerNotValid`] when no anchor
/// vouches for it.
pub(crate) fn verify<'a, 't>(
    bytes: &'a [u8],
    content_type: &str,
    anchors: &'t TrustList,
    now: UnixTime,
) -> Result<Verified<'a, 't>, Error> {
    let sign1 = CoseSign1::parse(bytes)?;
    if sign1.content_type() != Some(content_type) {
        return Err(Error::SignedDocument(
            "another kind of document (content type)",
        ));
    }
    let mut sig_structure = Vec::new();
    sign1.write_sig_structure(&mut sig_structure);
    let signer = anchors
        .candidates(&sign1.kid(), sign1.algorithm())?
        .find(|s| s.key().verify(&sig_structure, sign1.signature()).is_ok())
        .ok_or(Error::BadSignature)?;
    if !signer.valid_at(now, 0) {
        return Err(Error::SignerNotValid { at: now });
    }
    Ok(Verified {
        payload: sign1.into_payload(),
        signer,
    })
}

/// Checks a verified list at `now`: issued neither in the future nor
/// outside its signer certificate's validity, and not older than the last
/// sequence the caller accepted. Returns the reason it fails.
pub(crate) fn check_issue(
    issued_at: UnixTime,
    signer: &Signer,
    now: UnixTime,
    sequence: u64,
    min_sequence: u64,
) -> Result<(), &'static str> {
    if issued_at > now {
        return Err("the list is issued in the future");
    }
    if !signer.valid_at(issued_at, 0) {
        return Err("the list is issued outside its signer certificate's validity");
    }
    if sequence < min_sequence {
        return Err("the list is older than the last one accepted (sequence)");
    }
    Ok(())
}

/// Checks that a list (`sequence`, a delta on `base` or a full list) may
/// replace or update the one held at `current`: the sequence moves forward
/// and a delta applies to the current sequence. Returns the reason it fails.
pub(crate) fn check_next(
    sequence: u64,
    base: Option<u64>,
    current: u64,
) -> Result<(), &'static str> {
    if sequence <= current {
        return Err("the sequence number does not move forward");
    }
    match base {
        Some(base) if base != current => Err("the delta's base is not the current sequence"),
        _ => Ok(()),
    }
}

/// The protected header of a signed document: `{1: alg, 3: content type,
/// 4: kid}`.
#[cfg(feature = "rustcrypto")]
fn protected_header(alg: crate::crypto::Algorithm, content_type: &str, kid: &[u8; 8]) -> Vec<u8> {
    use crate::{cbor, cose};
    let mut e = cbor::Encoder::new();
    e.map(3)
        .int(cose::HEADER_ALG)
        .int(alg.cose_id())
        .int(cose::HEADER_CONTENT_TYPE)
        .text(content_type)
        .int(cose::HEADER_KID)
        .bytes(kid);
    e.into_bytes()
}

#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use credential::Credential;

#[cfg(feature = "rustcrypto")]
mod credential {
    use super::protected_header;
    use crate::cose;
    use crate::crypto::{Algorithm, SigningKey};
    use crate::trust::certs::pem_certificates;
    use crate::trust::{Kid, Signer};
    use crate::{Error, TrustList, UnixTime};

    /// A signing key and its certificate, checked to belong together. The
    /// kid is derived from the certificate, as verifiers derive it.
    ///
    /// Its `Debug` output shows the kid and algorithm, never key material.
    #[derive(Debug)]
    pub struct Credential {
        key: SigningKey,
        cert_der: Vec<u8>,
        signer: Signer,
    }

    impl Credential {
        /// A credential from a key and its certificate (DER).
        ///
        /// # Errors
        /// [`Error::Certificate`] if the certificate cannot be read, is a CA
        /// certificate or has an unsupported key; [`Error::Key`] if the
        /// certificate is not for this key (checked by signing and
        /// verifying a probe).
        pub fn new(key: SigningKey, cert_der: &[u8]) -> Result<Self, Error> {
            let mut list = TrustList::new();
            let kid = list.add_der(cert_der)?;
            let signer = list
                .signers(&kid)
                .first()
                .cloned()
                .ok_or(Error::Certificate("cannot read the certificate"))?;
            let probe = b"healthpass credential key/certificate probe";
            let sig = key.sign(probe)?;
            if signer.key().algorithm() != key.algorithm()
                || signer.key().verify(probe, &sig).is_err()
            {
                return Err(Error::Key("the certificate is not for this key"));
            }
            Ok(Credential {
                key,
                cert_der: cert_der.to_vec(),
                signer,
            })
        }

        /// A credential from a PKCS#8 PEM key and a PEM certificate (the
        /// first certificate in the text).
        ///
        /// # Errors
        /// As [`SigningKey::from_pkcs8_pem`] and [`Credential::new`].
        pub fn from_pem(key_pem: &str, cert_pem: &str) -> Result<Self, Error> {
            let key = SigningKey::from_pkcs8_pem(key_pem)?;
            let der = pem_certificates(cert_pem)?
                .into_iter()
                .next()
                .ok_or(Error::Certificate("no certificate in the pem text"))?;
            Credential::new(key, &der)
        }

        /// The kid of the certificate.
        pub fn kid(&self) -> Kid {
            self.signer.kid()
        }

        /// The signature algorithm.
        pub fn algorithm(&self) -> Algorithm {
            self.key.algorithm()
        }

        /// The certificate (DER).
        pub fn certificate_der(&self) -> &[u8] {
            &self.cert_der
        }

        /// The certificate as a verifier reads it.
        pub(crate) fn signer(&self) -> &Signer {
            &self.signer
        }

        /// A trust list holding just this certificate.
        ///
        /// # Errors
        /// None in practice (the certificate was read once already).
        pub fn trust_list(&self) -> Result<TrustList, Error> {
            let mut list = TrustList::new();
            list.add_der(&self.cert_der)?;
            Ok(list)
        }

        /// A COSE_Sign1 (tag 18) over `body` with the given protected
        /// header.
        pub(crate) fn sign_with_protected(
            &self,
            protected: &[u8],
            body: &[u8],
        ) -> Result<Vec<u8>, Error> {
            let signature = self.key.sign(&cose::sig_structure(protected, body))?;
            Ok(cose::build(protected, body, &signature))
        }

        /// Signs a document of `content_type` (see the module docs), issued
        /// at `issued_at`, which must lie in the certificate's validity.
        pub(crate) fn sign_document(
            &self,
            content_type: &str,
            issued_at: UnixTime,
            body: &[u8],
        ) -> Result<Vec<u8>, Error> {
            if !self.signer.valid_at(issued_at, 0) {
                return Err(Error::SignerNotValid { at: issued_at });
            }
            let protected = protected_header(self.key.algorithm(), content_type, &self.kid());
            self.sign_with_protected(&protected, body)
        }
    }
}

#[cfg(all(test, feature = "rustcrypto"))]
mod tests {
    use super::*;
    use crate::crypto::{Algorithm, SigningKey};

    fn credential() -> Credential {
        Credential::from_pem(
            include_str!("../../demo/TEST-ONLY-key.pem"),
            include_str!("../../demo/trust.pem"),
        )
        .unwrap()
    }

    #[test]
    fn round_trip_and_content_type() {
        let c = credential();
        let now = UnixTime::parse_rfc3339("2030-01-01T00:00:00Z").unwrap();
        let doc = c.sign_document("application/x-a", now, b"\xA0").unwrap();
        let anchors = c.trust_list().unwrap();
        let v = verify(&doc, "application/x-a", &anchors, now).unwrap();
        assert_eq!(&*v.payload, b"\xA0");
        assert_eq!(v.signer.kid(), c.kid());
        assert_eq!(
            verify(&doc, "application/x-b", &anchors, now).unwrap_err(),
            Error::SignedDocument("another kind of document (content type)")
        );
        // a key that is not an anchor
        let other = SigningKey::generate(Algorithm::Es256).unwrap();
        let mut wrong = doc.clone();
        let n = wrong.len();
        wrong[n - 1] ^= 1;
        assert_eq!(
            verify(&wrong, "application/x-a", &anchors, now).unwrap_err(),
            Error::BadSignature
        );
        assert!(Credential::new(other, c.certificate_der()).is_err());
        // the anchor outside its validity
        let late = UnixTime::parse_rfc3339("2090-01-01T00:00:00Z").unwrap();
        assert!(matches!(
            verify(&doc, "application/x-a", &anchors, late),
            Err(Error::SignerNotValid { .. })
        ));
        assert!(matches!(
            c.sign_document("application/x-a", late, b"\xA0"),
            Err(Error::SignerNotValid { .. })
        ));
    }
}
