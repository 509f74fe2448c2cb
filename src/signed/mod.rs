//! Signed documents: a CBOR document in a COSE_Sign1 whose protected header
//! names the document's content type, signed by a key whose certificate is
//! among a set of anchors.
//!
//! Revocation lists and trust lists are signed documents. The content type
//! is protected, so a document of one kind can never pass for another, nor
//! a pass for a document, even when one key signs them all.
//!
//! A `Credential` ([`crate::issue::Credential`]: a signing key and its
//! certificate, checked to belong together) signs them.
//!
//! Signed **lists** ([`list`]) are signed documents with one shared core: a
//! header (list id, sequence, base sequence for a delta, validity), adds and
//! removes, a builder and a loader, generic over the kind of list. Two kinds
//! exist: revocation lists ([`crate::revocation`]) and trust lists
//! ([`crate::trust::signed_list`]).

use std::borrow::Cow;
use std::time::Duration;

use crate::cose::CoseSign1;
#[cfg(feature = "rustcrypto")]
use crate::issue::Credential;
use crate::trust::Signer;
use crate::{Error, TrustList, UnixTime};

pub mod list;

pub use list::{ListBuilder, ListDocument, ListHeader, ListKind, ListLoader};

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

/// Signs a document of `content_type` with `credential` (a COSE_Sign1,
/// tag 18, whose protected header names the content type), issued at
/// `issued_at`, which must lie in the certificate's validity.
#[cfg(feature = "rustcrypto")]
pub(crate) fn sign(
    credential: &Credential,
    content_type: &str,
    issued_at: UnixTime,
    body: &[u8],
) -> Result<Vec<u8>, Error> {
    credential.sign_document(content_type, issued_at, body)
}

#[cfg(all(test, feature = "rustcrypto"))]
mod tests {
    use super::*;
    use crate::crypto::Algorithm;
    use crate::issue::SigningKey;

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
        let doc = sign(&c, "application/x-a", now, b"\xA0").unwrap();
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
            sign(&c, "application/x-a", late, b"\xA0"),
            Err(Error::SignerNotValid { .. })
        ));
    }
}
