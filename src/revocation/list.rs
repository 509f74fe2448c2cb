//! Signed revocation lists: a COSE_Sign1 over a CBOR document.
//!
//! The protected header holds `alg`, `kid` and the content type
//! `application/vnd.healthpass.revocation-list+cbor` (so that neither a
//! pass nor any other document signed by the same key can pass for a list).
//! The payload is a CBOR map with integer keys:
//!
//! | key | field | |
//! |---|---|---|
//! | 1 | format version | uint, 1 |
//! | 2 | hash type | text: `UCI`, `COUNTRYCODEUCI`, `SIGNATURE` |
//! | 3 | list id | text |
//! | 4 | sequence number | uint |
//! | 5 | base sequence | uint; present in a delta only |
//! | 6 | issued at | int, seconds |
//! | 7 | expires | int, seconds |
//! | 8 | adds | bstr, the 16-byte hashes one after another |
//! | 9 | removes | bstr, likewise; empty in a full list |

use crate::cbor::{self, Value};
use crate::cose::CoseSign1;
use crate::trust::TrustList;
use crate::{Error, UnixTime, Verifier};

use super::{HashType, RevocationHash};

/// The format version this crate writes and reads.
pub const LIST_FORMAT_VERSION: u64 = 1;

/// The COSE content type of a signed revocation list.
pub const CONTENT_TYPE: &str = "application/vnd.healthpass.revocation-list+cbor";

#[cfg(feature = "rustcrypto")]
const HEADER_ALG: i64 = 1;
const HEADER_CONTENT_TYPE: i64 = 3;
#[cfg(feature = "rustcrypto")]
const HEADER_KID: i64 = 4;

/// The contents of a revocation list: a full list, or a delta on top of a
/// base sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDocument {
    /// The hash type of every hash in it.
    pub hash_type: HashType,
    /// Which list this is (a publisher may run several).
    pub list_id: String,
    /// Its sequence number; each new full list or delta has a higher one.
    pub sequence: u64,
    /// For a delta: the sequence number it applies to.
    pub base_sequence: Option<u64>,
    /// When it was issued.
    pub issued_at: UnixTime,
    /// When it stops being valid.
    pub expires: UnixTime,
    /// Hashes added (for a full list: all of them).
    pub adds: Vec<RevocationHash>,
    /// Hashes removed (a delta only).
    pub removes: Vec<RevocationHash>,
}

fn concat(hashes: &[RevocationHash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

fn split(bytes: &[u8]) -> Result<Vec<RevocationHash>, Error> {
    if bytes.len() % 16 != 0 {
        return Err(Error::Revocation(
            "a hash list is not a multiple of 16 bytes",
        ));
    }
    Ok(bytes
        .chunks_exact(16)
        .map(|c| {
            let mut h = [0u8; 16];
            h.copy_from_slice(c);
            RevocationHash(h)
        })
        .collect())
}

impl ListDocument {
    /// The document as CBOR (definite lengths, shortest integers).
    pub fn to_cbor(&self) -> Vec<u8> {
        let mut e = cbor::Encoder::new();
        e.map(8 + usize::from(self.base_sequence.is_some()));
        e.int(1).uint(LIST_FORMAT_VERSION);
        e.int(2).text(self.hash_type.as_str());
        e.int(3).text(&self.list_id);
        e.int(4).uint(self.sequence);
        if let Some(base) = self.base_sequence {
            e.int(5).uint(base);
        }
        e.int(6).int(self.issued_at.as_secs());
        e.int(7).int(self.expires.as_secs());
        e.int(8).bytes(&concat(&self.adds));
        e.int(9).bytes(&concat(&self.removes));
        e.into_bytes()
    }

    /// Reads a document from CBOR.
    ///
    /// # Errors
    /// [`Error::Cbor`] for bad CBOR; [`Error::Revocation`] for a missing or
    /// mistyped field, another format version, or removes in a full list.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, Error> {
        let v = cbor::decode_exact(bytes, "revocation list")?;
        if !matches!(v, Value::Map(_)) {
            return Err(Error::Revocation("the list is not a map"));
        }
        let uint = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Uint(n)) => Ok(*n),
            _ => Err(Error::Revocation(what)),
        };
        let int = |k: i64, what: &'static str| {
            v.map_get_int(k)
                .and_then(Value::as_i64)
                .map(UnixTime::from_secs)
                .ok_or(Error::Revocation(what))
        };
        let bytes_of = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Bytes(b)) => split(b),
            _ => Err(Error::Revocation(what)),
        };
        if uint(1, "no format version")? != LIST_FORMAT_VERSION {
            return Err(Error::Revocation("unsupported list format version"));
        }
        let hash_type = match v.map_get_int(2) {
            Some(Value::Text(t)) => HashType::parse(t)?,
            _ => return Err(Error::Revocation("no hash type")),
        };
        let list_id = match v.map_get_int(3) {
            Some(Value::Text(t)) => t.to_string(),
            _ => return Err(Error::Revocation("no list id")),
        };
        let base_sequence = match v.map_get_int(5) {
            None => None,
            Some(Value::Uint(n)) => Some(*n),
            Some(_) => return Err(Error::Revocation("base sequence is not a number")),
        };
        let removes = bytes_of(9, "no removes")?;
        if base_sequence.is_none() && !removes.is_empty() {
            return Err(Error::Revocation("a full list has no removes"));
        }
        Ok(ListDocument {
            hash_type,
            list_id,
            sequence: uint(4, "no sequence number")?,
            base_sequence,
            issued_at: int(6, "no issued-at time")?,
            expires: int(7, "no expiry time")?,
            adds: bytes_of(8, "no adds")?,
            removes,
        })
    }

    /// Verifies a signed list against `anchors` (the signer's certificate
    /// must be in it and valid at `now`) and reads it. Expiry is the
    /// caller's policy (see [`super::ExpiredListPolicy`]).
    ///
    /// # Errors
    /// [`Error::UnknownKid`] / [`Error::BadSignature`] /
    /// [`Error::SignerNotValid`] for an untrusted list; [`Error::Revocation`]
    /// for a missing content type or a bad document.
    pub fn verify(cose: &[u8], anchors: &TrustList, now: UnixTime) -> Result<Self, Error> {
        let sign1 = CoseSign1::parse(cose)?;
        let protected = cbor::decode_exact(sign1.protected_bytes(), "protected header")?;
        match protected.map_get_int(HEADER_CONTENT_TYPE) {
            Some(Value::Text(ct)) if ct == CONTENT_TYPE => {}
            _ => return Err(Error::Revocation("not a revocation list (content type)")),
        }
        let verifier = Verifier::builder().trust_list(anchors.clone()).build()?;
        let signer = verifier.verify_signature(&sign1)?;
        if now < signer.not_before() || now > signer.not_after() {
            return Err(Error::SignerNotValid { at: now });
        }
        ListDocument::from_cbor(sign1.unverified_payload())
    }

    /// Signs the document with an issuer's key (COSE_Sign1, tag 18).
    ///
    /// # Errors
    /// [`Error::Issuing`] if `expires` is not after `issued_at`; signing
    /// errors.
    #[cfg(feature = "rustcrypto")]
    pub fn sign(&self, issuer: &crate::issue::Issuer) -> Result<Vec<u8>, Error> {
        if self.expires <= self.issued_at {
            return Err(Error::Issuing("exp must be after iat"));
        }
        let mut e = cbor::Encoder::new();
        e.map(3)
            .int(HEADER_ALG)
            .int(issuer.algorithm().cose_id())
            .int(HEADER_CONTENT_TYPE)
            .text(CONTENT_TYPE)
            .int(HEADER_KID)
            .bytes(&issuer.kid());
        issuer.sign_with_protected(&e.into_bytes(), &self.to_cbor())
    }
}
