//! Conversions between a pass's COSE_Sign1 and [`coset::CoseSign1`] (feature
//! `coset`), for applications that already work with coset.
//!
//! This crate reads COSE with a stricter parser of its own (duplicate keys,
//! borrowed bytes, caps, speed; see the crate docs), and verifies passes
//! from bytes. These functions move between the two worlds without
//! re-encoding what was signed: the protected header keeps its original
//! bytes in `coset::ProtectedHeader::original_data`.
//!
//! ```
//! # fn main() -> Result<(), healthpass::Error> {
//! use healthpass::{cose_interop, TrustList, UnixTime, Verifier};
//!
//! let text = include_str!("../demo/valid.txt");
//! let sign1 = cose_interop::decode_text(text)?; // unverified: a coset value to inspect
//! assert_eq!(sign1.protected.header.alg, Some(coset::Algorithm::Assigned(coset::iana::Algorithm::ES256)));
//!
//! let mut trust = TrustList::new();
//! trust.add_any(include_bytes!("../demo/trust.pem"))?;
//! let verifier = Verifier::builder().trust_list(trust).build()?;
//! let now = UnixTime::parse_rfc3339("2026-12-01T00:00:00Z")?;
//! let pass = verifier.verify_hcert_cose(&cose_interop::from_coset(&sign1)?, now)?;
//! assert_eq!(pass.holder().date_of_birth, "1964-08-12");
//! # Ok(()) }
//! ```

use coset::{CborSerializable as _, TaggedCborSerializable as _};

use crate::cose::{CoseSign1, TAG_COSE_SIGN1, TAG_CWT};
use crate::{transport, Error};

/// The COSE_Sign1 inside a pass's text (`HC1:…`/`LT1:…`), **unverified**,
/// as a coset value. The text goes through this crate's transport and
/// strict COSE checks first.
///
/// # Errors
/// The transport and COSE errors of verification; [`Error::Cose`] if coset
/// cannot represent it.
pub fn decode_text(text: &str) -> Result<coset::CoseSign1, Error> {
    let (_, cose) = transport::decode_any_text(text.trim())?;
    to_coset(&cose)
}

/// COSE_Sign1 bytes (tag 18, tag 61 around tag 18, or untagged), checked by
/// this crate's strict parser, as a coset value (**unverified**).
///
/// # Errors
/// The COSE errors of verification; [`Error::Cose`] if coset cannot
/// represent it.
pub fn to_coset(cose: &[u8]) -> Result<coset::CoseSign1, Error> {
    CoseSign1::parse(cose)?;
    coset::CoseSign1::from_slice(untagged(cose))
        .map_err(|_| Error::Cose("coset cannot represent this cose_sign1"))
}

/// A coset value as COSE_Sign1 bytes (tag 18), for
/// [`crate::Verifier::verify_hcert_cose`]. The protected header is written from
/// its original bytes when it has them.
///
/// # Errors
/// [`Error::Cose`] if coset cannot encode it.
pub fn from_coset(sign1: &coset::CoseSign1) -> Result<Vec<u8>, Error> {
    sign1
        .clone()
        .to_tagged_vec()
        .map_err(|_| Error::Cose("coset cannot encode this cose_sign1"))
}

/// The bytes of the COSE_Sign1 array without its tags (18, or 61 then 18),
/// for coset, which reads untagged or tag-18 structures.
fn untagged(cose: &[u8]) -> &[u8] {
    let tag18 = u8::try_from(0xC0 | TAG_COSE_SIGN1).unwrap_or(0xD2);
    let rest = match cose {
        [0xD8, t, rest @ ..] if u64::from(*t) == TAG_CWT => rest,
        _ => cose,
    };
    match rest {
        [t, rest @ ..] if *t == tag18 => rest,
        _ => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_the_signed_bytes() {
        let (_, cose) =
            transport::decode_any_text(include_str!("../demo/valid.txt").trim()).unwrap();
        let sign1 = to_coset(&cose).unwrap();
        assert_eq!(from_coset(&sign1).unwrap(), cose);
        // tag 61 around tag 18, and untagged: the same value
        let mut cwt = vec![0xD8, 61];
        cwt.extend_from_slice(&cose);
        assert_eq!(to_coset(&cwt).unwrap(), sign1);
        assert_eq!(to_coset(&cose[1..]).unwrap(), sign1);
        // what our parser refuses is not handed to coset
        assert!(to_coset(&cose[..cose.len() - 1]).is_err());
    }
}
