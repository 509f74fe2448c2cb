//! The RustCrypto backend: p256, p384 and rsa. Portable; the default.

use std::sync::Arc;

use p256::pkcs8::DecodePublicKey as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::signature::Verifier as _;
use rsa::traits::PublicKeyParts as _;
use x509_cert::der::Decode as _;
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use super::{Algorithm, CryptoBackend, PublicKey};
use crate::Error;

const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// Smallest and largest accepted RSA modulus, in bits.
pub(crate) const RSA_BITS: core::ops::RangeInclusive<usize> = 2048..=4096;

/// The RustCrypto backend: ES256 with `p256`, ES384 with `p384`, PS256 with
/// `rsa`. Builds for wasm32.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

#[derive(Debug)]
enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::pss::VerifyingKey<sha2::Sha256>),
}

impl PublicKey for Key {
    fn algorithm(&self) -> Algorithm {
        match self {
            Key::P256(_) => Algorithm::Es256,
            Key::P384(_) => Algorithm::Es384,
            Key::Rsa(_) => Algorithm::Ps256,
        }
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        match self {
            Key::P256(k) => {
                // Exactly r‖s: a DER signature or any other length is refused.
                let sig = p256::ecdsa::Signature::from_slice(signature)
                    .map_err(|_| Error::BadSignature)?;
                k.verify(message, &sig).map_err(|_| Error::BadSignature)
            }
            Key::P384(k) => {
                let sig = p384::ecdsa::Signature::from_slice(signature)
                    .map_err(|_| Error::BadSignature)?;
                k.verify(message, &sig).map_err(|_| Error::BadSignature)
            }
            Key::Rsa(k) => {
                let sig =
                    rsa::pss::Signature::try_from(signature).map_err(|_| Error::BadSignature)?;
                k.verify(message, &sig).map_err(|_| Error::BadSignature)
            }
        }
    }
}

impl CryptoBackend for RustCrypto {
    fn parse_public_key(&self, spki_der: &[u8]) -> Result<Arc<dyn PublicKey>, Error> {
        let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
            .map_err(|_| Error::Certificate("bad subject public key info"))?;
        let oid = spki.algorithm.oid;
        let key = if oid == EC_PUBLIC_KEY {
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters_oid()
                .map_err(|_| Error::Certificate("ec key without a named curve"))?;
            if curve == SECP256R1 {
                Key::P256(
                    p256::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                        .map_err(|_| Error::Certificate("bad p-256 key"))?,
                )
            } else if curve == SECP384R1 {
                Key::P384(
                    p384::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                        .map_err(|_| Error::Certificate("bad p-384 key"))?,
                )
            } else {
                return Err(Error::Certificate("unsupported curve"));
            }
        } else if oid == RSA_ENCRYPTION || oid == RSASSA_PSS {
            let bits = spki
                .subject_public_key
                .as_bytes()
                .ok_or(Error::Certificate("bad rsa key"))?;
            let key = rsa::PublicKey::from_pkcs1_der(bits)
                .map_err(|_| Error::Certificate("bad rsa key"))?;
            let n = key.n_bytes();
            let top = n.first().map_or(8, |b| b.leading_zeros() as usize);
            let bits = (n.len() * 8).saturating_sub(top);
            if !RSA_BITS.contains(&bits) {
                return Err(Error::Certificate("rsa key size outside 2048-4096 bits"));
            }
            Key::Rsa(rsa::pss::VerifyingKey::new(key))
        } else {
            return Err(Error::Certificate("unsupported key type"));
        };
        Ok(Arc::new(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p384::ecdsa::signature::Signer as _;
    use p384::pkcs8::DecodePrivateKey as _;

    fn key(file: &str) -> Vec<u8> {
        std::fs::read(format!("tests/data/keys/{file}")).unwrap()
    }

    #[test]
    fn ps256_requires_salt_32() {
        let k = RustCrypto
            .parse_public_key(&key("rsa4096.spki.der"))
            .unwrap();
        assert_eq!(k.algorithm(), Algorithm::Ps256);
        let msg = key("msg.txt");
        k.verify(&msg, &key("rsa4096.pss32.sig")).unwrap();
        assert_eq!(
            k.verify(&msg, &key("rsa4096.pss20.sig")),
            Err(Error::BadSignature)
        );
        assert_eq!(
            k.verify(&msg, &key("rsa4096.pkcs1.sig")),
            Err(Error::BadSignature)
        );
        assert_eq!(
            k.verify(b"other", &key("rsa4096.pss32.sig")),
            Err(Error::BadSignature)
        );
        assert_eq!(k.verify(&msg, &[]), Err(Error::BadSignature));
    }

    #[test]
    fn rsa_sizes_outside_2048_to_4096_are_refused() {
        for f in ["rsa1024.spki.der", "rsa8192.spki.der"] {
            assert_eq!(
                RustCrypto.parse_public_key(&key(f)).unwrap_err(),
                Error::Certificate("rsa key size outside 2048-4096 bits"),
                "{f}"
            );
        }
    }

    #[test]
    fn es384_round_trip_and_strict_length() {
        let sk = p384::ecdsa::SigningKey::from_pkcs8_der(&key("p384.pkcs8.der")).unwrap();
        let k = RustCrypto.parse_public_key(&key("p384.spki.der")).unwrap();
        assert_eq!(k.algorithm(), Algorithm::Es384);
        let sig: p384::ecdsa::Signature = sk.sign(b"msg");
        let raw = sig.to_bytes();
        assert_eq!(raw.len(), 96);
        k.verify(b"msg", &raw).unwrap();
        assert_eq!(k.verify(b"msg", &raw[..95]), Err(Error::BadSignature));
        assert_eq!(
            k.verify(b"msg", sig.to_der().as_bytes()),
            Err(Error::BadSignature)
        );
    }

    #[test]
    fn unsupported_keys_are_refused() {
        assert_eq!(
            RustCrypto
                .parse_public_key(&key("p521.spki.der"))
                .unwrap_err(),
            Error::Certificate("unsupported curve")
        );
        assert_eq!(
            RustCrypto
                .parse_public_key(&key("ed25519.spki.der"))
                .unwrap_err(),
            Error::Certificate("unsupported key type")
        );
        assert!(RustCrypto.parse_public_key(&[0x30, 0x00]).is_err());
    }
}
