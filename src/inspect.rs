//! Decoding without verification, for diagnostics only.

use crate::crypto::Algorithm;
use crate::cwt::{self, Claims};
use crate::payload::Payload;
use crate::trust::Kid;
use crate::{transport, Error, UnixTime};

/// What a pass claims, **unverified**: anyone can produce any of it. Never
/// base a decision on it; use [`crate::Verifier`] for that.
#[derive(Debug, Clone)]
pub struct Unverified {
    algorithm: Algorithm,
    kid: Kid,
    claims: Claims,
    payload: Payload,
}

impl Unverified {
    /// The signature algorithm the pass names.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The key identifier the pass names.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// The issuer country the pass names (`iss`).
    pub fn issuer(&self) -> Option<&str> {
        self.claims.issuer.as_deref()
    }

    /// The issue time the pass names (`iat`).
    pub fn issued_at(&self) -> UnixTime {
        self.claims.issued_at
    }

    /// The expiry the pass names (`exp`), if it names one.
    pub fn expires(&self) -> Option<UnixTime> {
        self.claims.expires
    }

    /// The payload, unverified.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }
}

/// Decodes a pass's text without checking its signature, signer or times.
///
/// # Errors
/// Any decoding error of the pipeline (transport, COSE, claims, payload).
pub fn inspect_unverified(text: &str) -> Result<Unverified, Error> {
    inspect_cose_unverified(&transport::decode_any_text(text)?.1)
}

/// Decodes COSE_Sign1 bytes without checking their signature, signer or
/// times.
///
/// # Errors
/// Any decoding error of COSE, claims or payload.
pub fn inspect_cose_unverified(cose: &[u8]) -> Result<Unverified, Error> {
    let sign1 = cwt::parse_sign1(cose)?;
    let decoded = cwt::decode(sign1.unverified_payload())?;
    Ok(Unverified {
        algorithm: sign1.algorithm(),
        kid: sign1.kid(),
        claims: decoded.claims,
        payload: decoded.payload,
    })
}
