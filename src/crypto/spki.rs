//! SubjectPublicKeyInfo → which algorithm the key is for, and its raw key
//! bytes. Shared by the backends, so that they accept exactly the same keys.

use x509_cert::der::asn1::UintRef;
use x509_cert::der::{Decode as _, Reader as _, SliceReader};
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use super::Algorithm;
use crate::Error;

const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// Smallest and largest accepted RSA modulus, in bits.
pub(crate) const RSA_BITS: core::ops::RangeInclusive<usize> = 2048..=4096;

/// A classified public key: the algorithm it verifies and its raw bytes
/// (SEC1 point for EC keys, PKCS#1 `RSAPublicKey` for RSA keys).
pub(crate) struct RawKey<'a> {
    pub(crate) algorithm: Algorithm,
    pub(crate) bytes: &'a [u8],
}

/// Classifies a DER SubjectPublicKeyInfo.
pub(crate) fn classify(spki_der: &[u8]) -> Result<RawKey<'_>, Error> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|_| Error::Certificate("bad subject public key info"))?;
    let bytes = spki
        .subject_public_key
        .as_bytes()
        .ok_or(Error::Certificate("bad subject public key info"))?;
    let oid = spki.algorithm.oid;
    let algorithm = if oid == EC_PUBLIC_KEY {
        let curve: ObjectIdentifier = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| Error::Certificate("ec key without a named curve"))?;
        if curve == SECP256R1 {
            Algorithm::Es256
        } else if curve == SECP384R1 {
            Algorithm::Es384
        } else {
            return Err(Error::Certificate("unsupported curve"));
        }
    } else if oid == RSA_ENCRYPTION || oid == RSASSA_PSS {
        if !RSA_BITS.contains(&rsa_modulus_bits(bytes)?) {
            return Err(Error::Certificate("rsa key size outside 2048-4096 bits"));
        }
        Algorithm::Ps256
    } else {
        return Err(Error::Certificate("unsupported key type"));
    };
    Ok(RawKey { algorithm, bytes })
}

/// The bit length of the modulus of a PKCS#1 `RSAPublicKey`.
fn rsa_modulus_bits(pkcs1: &[u8]) -> Result<usize, Error> {
    let bad = |_| Error::Certificate("bad rsa key");
    let mut reader = SliceReader::new(pkcs1).map_err(bad)?;
    let n = reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let _e = UintRef::decode(r)?;
            Ok(n)
        })
        .map_err(bad)?;
    reader.finish().map_err(bad)?;
    let n = n.as_bytes();
    let top = n.first().map_or(8, |b| b.leading_zeros() as usize);
    Ok((n.len() * 8).saturating_sub(top))
}
