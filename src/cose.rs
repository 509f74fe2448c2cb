//! COSE_Sign1 (RFC 9052): parse strictly, keep the signed bytes as received,
//! and build the Sig_structure that the signature covers.

// Some items serve only the tests and fuzz targets (feature `internals`).
#![cfg_attr(not(feature = "internals"), allow(dead_code))]

use std::borrow::Cow;

use crate::cbor::{self, Value};
use crate::crypto::Algorithm;
use crate::Error;

/// CBOR tag of a COSE_Sign1 structure.
pub const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT, which may wrap the COSE_Sign1 tag.
pub const TAG_CWT: u64 = 61;

pub(crate) const HEADER_ALG: i64 = 1;
pub(crate) const HEADER_CRIT: i64 = 2;
pub(crate) const HEADER_CONTENT_TYPE: i64 = 3;
pub(crate) const HEADER_KID: i64 = 4;

/// The header parameters this crate understands, and so the only ones a
/// protected `crit` header may name: `alg`, `content type` and `kid`.
const UNDERSTOOD: [i64; 3] = [HEADER_ALG, HEADER_CONTENT_TYPE, HEADER_KID];

/// A parsed COSE_Sign1, before verification.
///
/// It exposes only what is needed to find and use the signer's key: the
/// algorithm and the key identifier. The payload is reachable only through
/// verification (or the explicitly unverified [`crate::inspect`]).
#[derive(Debug, Clone)]
pub struct CoseSign1<'a> {
    protected: Cow<'a, [u8]>,
    alg: Algorithm,
    kid: [u8; 8],
    content_type: Option<String>,
    payload: Cow<'a, [u8]>,
    signature: Cow<'a, [u8]>,
}

impl<'a> CoseSign1<'a> {
    /// Parses a COSE_Sign1: tagged 18, tagged 61 around 18, or untagged; an
    /// array of exactly four elements; nothing after it.
    ///
    /// `alg` must be in the protected header. The `kid` is the protected
    /// one if present, else the unprotected one, and must be 8 bytes. A
    /// `crit` header must be protected, non-empty, and name only parameters
    /// this crate understands (`alg`, `content type`, `kid`).
    ///
    /// # Errors
    /// [`Error::Cbor`], [`Error::TrailingBytes`] and [`Error::Cose`] for
    /// malformed input; [`Error::UnsupportedAlgorithm`];
    /// [`Error::UnknownCriticalHeader`]; [`Error::MissingKid`] and
    /// [`Error::InvalidKid`].
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let top = cbor::decode_exact(bytes, "cose structure")?;
        let array = match top {
            Value::Tag(TAG_CWT, inner) => match *inner {
                Value::Tag(TAG_COSE_SIGN1, inner) => *inner,
                _ => return Err(Error::Cose("cwt tag must wrap a cose_sign1 tag")),
            },
            Value::Tag(TAG_COSE_SIGN1, inner) => *inner,
            Value::Tag(..) => return Err(Error::Cose("unexpected tag")),
            other => other,
        };
        let Value::Array(items) = array else {
            return Err(Error::Cose("not an array"));
        };
        let Ok([protected, unprotected, payload, signature]) = <[Value<'a>; 4]>::try_from(items)
        else {
            return Err(Error::Cose("not exactly four elements"));
        };
        let Value::Bytes(protected) = protected else {
            return Err(Error::Cose("protected header is not a byte string"));
        };
        let Value::Map(unprotected) = unprotected else {
            return Err(Error::Cose("unprotected header is not a map"));
        };
        let Value::Bytes(payload) = payload else {
            return Err(Error::Cose("payload is not a byte string"));
        };
        let Value::Bytes(signature) = signature else {
            return Err(Error::Cose("signature is not a byte string"));
        };

        if header_get(&unprotected, HEADER_CRIT).is_some() {
            return Err(Error::Cose("crit must be in the protected header"));
        }
        let (alg, protected_kid, content_type) = {
            let header = if protected.is_empty() {
                Value::Map(Vec::new())
            } else {
                cbor::decode_exact(&protected, "protected header")?
            };
            let Value::Map(ref pairs) = header else {
                return Err(Error::Cose("protected header is not a map"));
            };
            check_crit(pairs)?;
            let alg = match header_get(pairs, HEADER_ALG) {
                None => return Err(Error::Cose("no alg in the protected header")),
                Some(v) => v.as_i64().ok_or(Error::Cose("alg is not an integer"))?,
            };
            let kid = match header_get(pairs, HEADER_KID) {
                None => None,
                Some(Value::Bytes(b)) => Some(kid_from(b)?),
                Some(_) => return Err(Error::Cose("kid is not a byte string")),
            };
            let content_type = match header_get(pairs, HEADER_CONTENT_TYPE) {
                Some(Value::Text(t)) => Some(t.to_string()),
                _ => None,
            };
            (alg, kid, content_type)
        };
        let kid = match protected_kid {
            Some(kid) => kid,
            None => match header_get(&unprotected, HEADER_KID) {
                Some(Value::Bytes(b)) => kid_from(b)?,
                Some(_) => return Err(Error::Cose("kid is not a byte string")),
                None => return Err(Error::MissingKid),
            },
        };
        let alg = Algorithm::from_cose(alg)?;
        Ok(CoseSign1 {
            protected,
            alg,
            kid,
            content_type,
            payload,
            signature,
        })
    }

    /// The protected content type, when it is text.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The signature algorithm named in the protected header.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The key identifier: first 8 bytes of the SHA-256 of the signer
    /// certificate.
    pub fn kid(&self) -> [u8; 8] {
        self.kid
    }

    /// The protected header, byte for byte as received.
    pub fn protected_bytes(&self) -> &[u8] {
        &self.protected
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The payload, not yet verified.
    pub(crate) fn unverified_payload(&self) -> &[u8] {
        &self.payload
    }

    /// Takes the payload out, not yet verified.
    pub(crate) fn into_payload(self) -> Cow<'a, [u8]> {
        self.payload
    }

    /// Writes the Sig_structure (`["Signature1", protected, h'', payload]`)
    /// that the signature covers into `out` (cleared first).
    pub fn write_sig_structure(&self, out: &mut Vec<u8>) {
        out.clear();
        write_sig_structure(out, &self.protected, &self.payload);
    }
}

/// The Sig_structure a COSE_Sign1 signer signs (empty external AAD).
pub fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_sig_structure(&mut out, protected, payload);
    out
}

/// Appends the Sig_structure for a COSE_Sign1 with empty external AAD,
/// writing straight into `out` (no intermediate buffer).
fn write_sig_structure(out: &mut Vec<u8>, protected: &[u8], payload: &[u8]) {
    out.reserve(32 + protected.len() + payload.len());
    let mut e = cbor::Encoder::from_vec(std::mem::take(out));
    e.array(4)
        .text("Signature1")
        .bytes(protected)
        .bytes(&[])
        .bytes(payload);
    *out = e.into_bytes();
}

fn header_get<'v, 'a>(pairs: &'v [(Value<'a>, Value<'a>)], label: i64) -> Option<&'v Value<'a>> {
    pairs
        .iter()
        .find(|(k, _)| k.as_i64() == Some(label))
        .map(|(_, v)| v)
}

/// RFC 9052 §3.1: `crit` is a non-empty array of labels, and a message
/// naming a label the recipient does not understand must be rejected.
fn check_crit(pairs: &[(Value<'_>, Value<'_>)]) -> Result<(), Error> {
    let Some(crit) = header_get(pairs, HEADER_CRIT) else {
        return Ok(());
    };
    let Value::Array(labels) = crit else {
        return Err(Error::Cose("crit is not an array"));
    };
    if labels.is_empty() {
        return Err(Error::Cose("crit is empty"));
    }
    for label in labels {
        match label {
            Value::Text(t) => return Err(Error::UnknownCriticalHeader(format!("{t:?}"))),
            other => match other.as_i64() {
                Some(l) if UNDERSTOOD.contains(&l) => {}
                Some(l) => return Err(Error::UnknownCriticalHeader(l.to_string())),
                None => return Err(Error::Cose("crit label is not an integer or text")),
            },
        }
    }
    Ok(())
}

/// The payload of what has the shape of a COSE_Sign1, whatever its
/// headers say: only to explain a refusal (a legacy DDCC with a short
/// kid), never to trust.
pub(crate) fn payload_unchecked(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut top = cbor::decode_exact(bytes, "cose structure").ok()?;
    while let Value::Tag(_, inner) = top {
        top = *inner;
    }
    match top {
        Value::Array(items) => match items.get(2) {
            Some(Value::Bytes(p)) => Some(p.to_vec()),
            _ => None,
        },
        _ => None,
    }
}

fn kid_from(b: &[u8]) -> Result<[u8; 8], Error> {
    <[u8; 8]>::try_from(b).map_err(|_| Error::InvalidKid { len: b.len() })
}

/// Builds the bytes of a COSE_Sign1 (tag 18, definite lengths, empty
/// unprotected header) from its parts; the protected header is used as
/// given. A building block for issuing: the signature must be over
/// [`sig_structure`] of the same protected header and payload.
pub fn build(protected: &[u8], payload: &[u8], signature: &[u8]) -> Vec<u8> {
    let mut e = cbor::Encoder::new();
    e.tag(TAG_COSE_SIGN1).array(4).bytes(protected).map(0);
    e.bytes(payload).bytes(signature);
    e.into_bytes()
}

/// Encodes a protected header `{1: alg, 4: kid}`.
pub fn protected_header(alg: Algorithm, kid: &[u8; 8]) -> Vec<u8> {
    let mut e = cbor::Encoder::new();
    e.map(2)
        .int(HEADER_ALG)
        .int(alg.cose_id())
        .int(HEADER_KID)
        .bytes(kid);
    e.into_bytes()
}

/// Encodes the protected header of a signed document `{1: alg, 3: content
/// type, 4: kid}`: the content type keeps one kind of document from passing
/// for another.
pub fn document_protected_header(alg: Algorithm, content_type: &str, kid: &[u8; 8]) -> Vec<u8> {
    let mut e = cbor::Encoder::new();
    e.map(3)
        .int(HEADER_ALG)
        .int(alg.cose_id())
        .int(HEADER_CONTENT_TYPE)
        .text(content_type)
        .int(HEADER_KID)
        .bytes(kid);
    e.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KID: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

    fn sign1(protected: &[u8], unprotected: &[u8]) -> Vec<u8> {
        let mut e = cbor::Encoder::new();
        e.tag(18)
            .array(4)
            .bytes(protected)
            .raw(unprotected)
            .bytes(b"payload")
            .bytes(&[0; 64]);
        e.into_bytes()
    }

    /// A header label with a byte-string value, an integer value, or null.
    type Entry<'a> = (i64, Option<&'a [u8]>, Option<i64>);

    fn header(pairs: &[Entry<'_>]) -> Vec<u8> {
        let mut e = cbor::Encoder::new();
        e.map(pairs.len());
        for (k, b, i) in pairs {
            e.int(*k);
            match (b, i) {
                (Some(b), _) => e.bytes(b),
                (None, Some(i)) => e.int(*i),
                (None, None) => e.null(),
            };
        }
        e.into_bytes()
    }

    #[test]
    fn parses_tag_forms() {
        let p = protected_header(Algorithm::Es256, &KID);
        let b = build(&p, b"payload", &[0; 64]);
        let c = CoseSign1::parse(&b).unwrap();
        assert_eq!(c.algorithm(), Algorithm::Es256);
        assert_eq!(c.kid(), KID);
        assert_eq!(c.protected_bytes(), &p[..]);
        assert_eq!(c.unverified_payload(), b"payload");
        // untagged
        assert!(CoseSign1::parse(&b[1..]).is_ok());
        // CWT tag around COSE tag
        let mut cwt = vec![0xD8, 61];
        cwt.extend_from_slice(&b);
        assert!(CoseSign1::parse(&cwt).is_ok());
        // CWT tag alone, or another tag
        let mut bad = vec![0xD8, 61];
        bad.extend_from_slice(&b[1..]);
        assert_eq!(
            CoseSign1::parse(&bad).unwrap_err(),
            Error::Cose("cwt tag must wrap a cose_sign1 tag")
        );
        let mut other = b.clone();
        other[0] = 0xD1; // tag 17, COSE_Mac0
        assert_eq!(
            CoseSign1::parse(&other).unwrap_err(),
            Error::Cose("unexpected tag")
        );
    }

    #[test]
    fn kid_rules() {
        let empty_map = [0xA0u8];
        let unprot_good = header(&[(4, Some(&KID), None)]);
        let unprot_bad = header(&[(4, Some(&[9; 8]), None)]);
        // protected wins over unprotected
        let p = header(&[(1, None, Some(-7)), (4, Some(&KID), None)]);
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &unprot_bad)).unwrap().kid(),
            KID
        );
        // unprotected used when protected has none
        let p = header(&[(1, None, Some(-7))]);
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &unprot_good)).unwrap().kid(),
            KID
        );
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &empty_map)).unwrap_err(),
            Error::MissingKid
        );
        // lengths other than 8
        for len in [0usize, 7, 9, 32] {
            let kid = vec![1u8; len];
            let p = header(&[(1, None, Some(-7)), (4, Some(&kid), None)]);
            assert_eq!(
                CoseSign1::parse(&sign1(&p, &empty_map)).unwrap_err(),
                Error::InvalidKid { len }
            );
        }
    }

    #[test]
    fn crit_rules() {
        let kid = Some(&KID[..]);
        let with_crit = |labels: &[i64]| {
            let mut e = cbor::Encoder::new();
            e.map(3).int(1).int(-7).int(4).bytes(&KID).int(2);
            e.array(labels.len());
            for l in labels {
                e.int(*l);
            }
            e.into_bytes()
        };
        // understood labels are fine
        assert!(CoseSign1::parse(&sign1(&with_crit(&[1, 4]), &[0xA0])).is_ok());
        // an unknown one is not
        assert_eq!(
            CoseSign1::parse(&sign1(&with_crit(&[1, 99]), &[0xA0])).unwrap_err(),
            Error::UnknownCriticalHeader("99".into())
        );
        assert_eq!(
            CoseSign1::parse(&sign1(&with_crit(&[]), &[0xA0])).unwrap_err(),
            Error::Cose("crit is empty")
        );
        // text labels are not understood either
        let mut e = cbor::Encoder::new();
        e.map(3).int(1).int(-7).int(4).bytes(&KID).int(2);
        e.array(1).text("x-private");
        assert_eq!(
            CoseSign1::parse(&sign1(&e.into_bytes(), &[0xA0])).unwrap_err(),
            Error::UnknownCriticalHeader("\"x-private\"".into())
        );
        // not an array
        let p = header(&[(1, None, Some(-7)), (4, kid, None), (2, None, Some(1))]);
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &[0xA0])).unwrap_err(),
            Error::Cose("crit is not an array")
        );
        // crit in the unprotected header
        let p = protected_header(Algorithm::Es256, &KID);
        let unprotected = header(&[(2, None, Some(1))]);
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &unprotected)).unwrap_err(),
            Error::Cose("crit must be in the protected header")
        );
    }

    #[test]
    fn alg_rules() {
        let unprot = header(&[(1, None, Some(-7)), (4, Some(&KID), None)]);
        let p = header(&[(4, Some(&KID), None)]);
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &unprot)).unwrap_err(),
            Error::Cose("no alg in the protected header")
        );
        let p = header(&[(1, None, Some(-8)), (4, Some(&KID), None)]);
        assert_eq!(
            CoseSign1::parse(&sign1(&p, &[0xA0])).unwrap_err(),
            Error::UnsupportedAlgorithm(-8)
        );
        // duplicate alg in the protected header
        let mut p = header(&[
            (1, None, Some(-7)),
            (4, Some(&KID), None),
            (1, None, Some(-37)),
        ]);
        p[0] = 0xA3;
        assert!(matches!(
            CoseSign1::parse(&sign1(&p, &[0xA0])).unwrap_err(),
            Error::Cbor {
                reason: "duplicate map key",
                ..
            }
        ));
    }

    #[test]
    fn structure_rules() {
        let p = protected_header(Algorithm::Es256, &KID);
        let good = build(&p, b"payload", &[0; 64]);
        let mut trailing = good.clone();
        trailing.push(0);
        assert_eq!(
            CoseSign1::parse(&trailing).unwrap_err(),
            Error::TrailingBytes {
                after: "cose structure"
            }
        );
        let mut three = good.clone();
        three[1] = 0x83;
        assert!(CoseSign1::parse(&three).is_err());
        let mut five = good.clone();
        five[1] = 0x85;
        five.push(0x40);
        assert_eq!(
            CoseSign1::parse(&five).unwrap_err(),
            Error::Cose("not exactly four elements")
        );
        for n in 0..good.len() {
            assert!(CoseSign1::parse(&good[..n]).is_err());
        }
    }

    #[test]
    fn sig_structure_matches_rfc_layout() {
        let p = protected_header(Algorithm::Es256, &KID);
        let b = build(&p, b"payload", &[0; 64]);
        let c = CoseSign1::parse(&b).unwrap();
        let mut out = Vec::new();
        c.write_sig_structure(&mut out);
        let v = cbor::decode_exact(&out, "sig").unwrap();
        assert_eq!(
            v,
            Value::Array(vec![
                Value::Text("Signature1".into()),
                Value::Bytes(p.clone().into()),
                Value::Bytes(Vec::new().into()),
                Value::Bytes(b"payload".to_vec().into()),
            ])
        );
    }
}
