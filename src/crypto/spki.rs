//! SubjectPublicKeyInfo → which algorithm the key is for, and its raw key
//! bytes. Shared by the backends, so that they accept exactly the same keys.

use x509_cert::der::asn1::UintRef;
use x509_cert::der::{Decode as _, Reader as _, SliceReader};
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use super::algorithm::Algorithm;
use super::curves;
use crate::Error;

const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// Smallest and largest accepted RSA modulus, in bits (for verifying and
/// for signing).
pub const RSA_BITS: core::ops::RangeInclusive<usize> = 2048..=4096;

/// The RSA moduli accepted in a certificate authority's key, in bits: real
/// country CAs use up to 6 144 bits (and exponents like 3), which only
/// verify certificates, never passes.
pub const RSA_CA_BITS: core::ops::RangeInclusive<usize> = 2048..=8192;

/// Whose key is read: a pass or document signer's (strict RSA policy) or a
/// certificate authority's (larger moduli, any odd exponent of at least 3).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRole {
    Signer,
    Authority,
}

/// A classified public key: the algorithm it verifies and its raw bytes
/// (SEC1 point for EC keys, PKCS#1 `RSAPublicKey` for RSA keys).
pub(crate) struct RawKey<'a> {
    pub(crate) algorithm: Algorithm,
    pub(crate) bytes: &'a [u8],
}

/// Classifies a DER SubjectPublicKeyInfo of a signer.
pub(crate) fn classify(spki_der: &[u8]) -> Result<RawKey<'_>, Error> {
    classify_as(spki_der, KeyRole::Signer)
}

/// Classifies a DER SubjectPublicKeyInfo in a role. An EC key names its
/// curve by OID, or spells out the parameters of a named curve (read as
/// that curve); P-256, P-384 and P-521 are taken, brainpool curves are
/// recognised and refused by name (no backend here verifies them).
pub(crate) fn classify_as(spki_der: &[u8], role: KeyRole) -> Result<RawKey<'_>, Error> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|_| Error::Certificate("bad subject public key info"))?;
    let bytes = spki
        .subject_public_key
        .as_bytes()
        .ok_or(Error::Certificate("bad subject public key info"))?;
    let oid = spki.algorithm.oid;
    let algorithm = if oid == EC_PUBLIC_KEY {
        let params = spki
            .algorithm
            .parameters
            .as_ref()
            .ok_or(Error::Certificate("ec key without curve parameters"))?;
        let curve = match params.decode_as::<ObjectIdentifier>() {
            Ok(named) => curves::by_oid(&named).ok_or(Error::Certificate("unsupported curve"))?,
            Err(_) => curves::explicit(params)?,
        };
        match curve.oid {
            curves::SECP256R1 => Algorithm::Es256,
            curves::SECP384R1 => Algorithm::Es384,
            curves::SECP521R1 => Algorithm::Es512,
            _ => {
                return Err(Error::Certificate(match curve.name {
                    "brainpoolP256r1" => "brainpoolP256r1 keys: no backend here verifies them",
                    "brainpoolP384r1" => "brainpoolP384r1 keys: no backend here verifies them",
                    _ => "brainpoolP512r1 keys: no backend here verifies them",
                }))
            }
        }
    } else if oid == RSA_ENCRYPTION || oid == RSASSA_PSS {
        check_rsa_public_key(bytes, role)?;
        Algorithm::Ps256
    } else {
        return Err(Error::Certificate("unsupported key type"));
    };
    Ok(RawKey { algorithm, bytes })
}

/// The smallest RSA public exponent accepted (F4). Small exponents (3,
/// 17, …) are a known source of signature forgeries when padding checks
/// are loose; no issuer needs one.
pub(crate) const MIN_RSA_EXPONENT: u64 = 65_537;

/// Checks a PKCS#1 `RSAPublicKey`: for a signer, a modulus of [`RSA_BITS`]
/// bits and an odd public exponent of at least [`MIN_RSA_EXPONENT`]; for an
/// authority, [`RSA_CA_BITS`] bits and an odd exponent of at least 3.
fn check_rsa_public_key(pkcs1: &[u8], role: KeyRole) -> Result<(), Error> {
    let bad = |_| Error::Certificate("bad rsa key");
    let mut reader = SliceReader::new(pkcs1).map_err(bad)?;
    let (n, e) = reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok((n, e))
        })
        .map_err(bad)?;
    reader.finish().map_err(bad)?;
    let bits = bit_length(n.as_bytes());
    match role {
        KeyRole::Signer if !RSA_BITS.contains(&bits) => {
            Err(Error::Certificate("rsa key size outside 2048-4096 bits"))
        }
        KeyRole::Signer => check_rsa_exponent(e.as_bytes()),
        KeyRole::Authority if !RSA_CA_BITS.contains(&bits) => {
            Err(Error::Certificate("rsa ca key size outside 2048-8192 bits"))
        }
        KeyRole::Authority => {
            let e = e.as_bytes();
            let odd = e.last().is_some_and(|b| b & 1 == 1);
            if odd && (2..=33).contains(&bit_length(e)) {
                Ok(())
            } else {
                Err(Error::Certificate(
                    "rsa ca public exponent even, below 3 or of more than 33 bits",
                ))
            }
        }
    }
}

/// Checks a big-endian RSA public exponent (leading zeros stripped).
pub(crate) fn check_rsa_exponent(e: &[u8]) -> Result<(), Error> {
    let odd = e.last().is_some_and(|b| b & 1 == 1);
    let large = bit_length(e) > 17
        || e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)) >= MIN_RSA_EXPONENT;
    if odd && large {
        Ok(())
    } else {
        Err(Error::Certificate(
            "rsa public exponent below 65537 or even",
        ))
    }
}

/// The bit length of a big-endian unsigned integer.
fn bit_length(n: &[u8]) -> usize {
    let n = match n.iter().position(|b| *b != 0) {
        Some(i) => n.get(i..).unwrap_or_default(),
        None => return 0,
    };
    let top = n.first().map_or(8, |b| b.leading_zeros() as usize);
    (n.len() * 8).saturating_sub(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_exponents() {
        assert!(check_rsa_exponent(&[0x01, 0x00, 0x01]).is_ok());
        assert!(check_rsa_exponent(&[0x00, 0x01, 0x00, 0x01]).is_ok());
        assert!(check_rsa_exponent(&[0x01, 0x00, 0x00, 0x01]).is_ok());
        for small in [&[3u8][..], &[17], &[0x01, 0x00, 0x00], &[0xFF, 0xFF], &[]] {
            assert!(check_rsa_exponent(small).is_err(), "{small:?}");
        }
        // even, however large
        assert!(check_rsa_exponent(&[0x01, 0x00, 0x00, 0x02]).is_err());
        assert_eq!(bit_length(&[0, 0, 1, 0]), 9);
    }
}
