//! The RustCrypto backend: p256, p384, p521 and rsa. Portable (wasm32 included);
//! the default unless the `aws-lc-rs` feature is on.

use std::sync::Arc;

use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::signature::Verifier as _;

use super::algorithm::{Algorithm, CertSignatureAlgorithm};
use super::backend::{CryptoBackend, PublicKey};
use super::spki::{classify, classify_as, KeyRole};
use crate::Error;

/// The RustCrypto backend: ES256 with `p256`, ES384 with `p384`, PS256 with
/// `rsa`, and ES512 with `p521` (feature `p521`). Builds for wasm32.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

/// A P-521 key in a build without the `p521` feature.
#[cfg(not(feature = "p521"))]
const NO_P521: Error = Error::Certificate("p-521 keys need the p521 feature");

#[derive(Debug)]
enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "p521")]
    P521(p521::ecdsa::VerifyingKey),
    Rsa(rsa::pss::VerifyingKey<sha2::Sha256>),
}

impl PublicKey for Key {
    fn algorithm(&self) -> Algorithm {
        match self {
            Key::P256(_) => Algorithm::Es256,
            Key::P384(_) => Algorithm::Es384,
            #[cfg(feature = "p521")]
            Key::P521(_) => Algorithm::Es512,
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
            #[cfg(feature = "p521")]
            Key::P521(k) => {
                let sig = p521::ecdsa::Signature::from_slice(signature)
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
        let raw = classify(spki_der)?;
        let key = match raw.algorithm {
            Algorithm::Es256 => Key::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(raw.bytes)
                    .map_err(|_| Error::Certificate("bad p-256 key"))?,
            ),
            Algorithm::Es384 => Key::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(raw.bytes)
                    .map_err(|_| Error::Certificate("bad p-384 key"))?,
            ),
            #[cfg(feature = "p521")]
            Algorithm::Es512 => Key::P521(
                p521::ecdsa::VerifyingKey::from_sec1_bytes(raw.bytes)
                    .map_err(|_| Error::Certificate("bad p-521 key"))?,
            ),
            #[cfg(not(feature = "p521"))]
            Algorithm::Es512 => return Err(NO_P521),
            Algorithm::Ps256 => Key::Rsa(rsa::pss::VerifyingKey::new(
                rsa::PublicKey::from_pkcs1_der(raw.bytes)
                    .map_err(|_| Error::Certificate("bad rsa key"))?,
            )),
        };
        Ok(Arc::new(key))
    }

    fn verify_certificate_signature(
        &self,
        issuer_spki_der: &[u8],
        algorithm: CertSignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        use rsa::signature::hazmat::PrehashVerifier as _;
        use sha2::Digest as _;
        use CertSignatureAlgorithm as C;
        const BAD: Error = Error::Certificate("the ca signature does not verify");
        let raw = classify_as(issuer_spki_der, KeyRole::Authority)?;
        let digest = || match algorithm {
            C::EcdsaSha384 => sha2::Sha384::digest(message).to_vec(),
            C::EcdsaSha512 => sha2::Sha512::digest(message).to_vec(),
            _ => sha2::Sha256::digest(message).to_vec(),
        };
        // A CA key may be larger than a signer's (up to 8192 bits), and its
        // exponent small (3): the size and exponent were checked above.
        let rsa_key = || -> Result<rsa::PublicKey, Error> {
            use rsa::pkcs1::der::Decode as _;
            const BAD_KEY: Error = Error::Certificate("bad rsa key");
            let key = rsa::pkcs1::RsaPublicKeyRef::from_der(raw.bytes).map_err(|_| BAD_KEY)?;
            let uint = |b: &[u8]| {
                let bits = u32::try_from(b.len())
                    .ok()
                    .and_then(|n| n.checked_mul(8))
                    .ok_or(BAD_KEY)?;
                rsa::BoxedUint::from_be_slice(b, bits).map_err(|_| BAD_KEY)
            };
            let n = uint(key.modulus.as_bytes())?;
            let e = uint(key.public_exponent.as_bytes())?;
            rsa::PublicKey::new_with_size_limits(n, e, super::spki::RSA_CA_BITS)
                .map_err(|_| BAD_KEY)
        };
        let rsa_sig = || rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| BAD);
        let ecdsa = matches!(algorithm, C::EcdsaSha256 | C::EcdsaSha384 | C::EcdsaSha512);
        let ok = match (raw.algorithm, algorithm) {
            (Algorithm::Es256, _) if ecdsa => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(raw.bytes)
                    .map_err(|_| Error::Certificate("bad p-256 key"))?;
                let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| BAD)?;
                key.verify_prehash(&digest(), &sig).is_ok()
            }
            (Algorithm::Es384, _) if ecdsa => {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(raw.bytes)
                    .map_err(|_| Error::Certificate("bad p-384 key"))?;
                let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| BAD)?;
                key.verify_prehash(&digest(), &sig).is_ok()
            }
            #[cfg(not(feature = "p521"))]
            (Algorithm::Es512, _) => return Err(NO_P521),
            #[cfg(feature = "p521")]
            (Algorithm::Es512, _) if ecdsa => {
                let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(raw.bytes)
                    .map_err(|_| Error::Certificate("bad p-521 key"))?;
                let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| BAD)?;
                key.verify_prehash(&digest(), &sig).is_ok()
            }
            (Algorithm::Ps256, C::RsaPkcs1Sha256) => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(rsa_key()?)
                    .verify(message, &rsa_sig()?)
                    .is_ok()
            }
            (Algorithm::Ps256, C::RsaPkcs1Sha384) => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(rsa_key()?)
                    .verify(message, &rsa_sig()?)
                    .is_ok()
            }
            (Algorithm::Ps256, C::RsaPkcs1Sha512) => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(rsa_key()?)
                    .verify(message, &rsa_sig()?)
                    .is_ok()
            }
            (Algorithm::Ps256, C::RsaPssSha256) => {
                let sig = rsa::pss::Signature::try_from(signature).map_err(|_| BAD)?;
                rsa::pss::VerifyingKey::<sha2::Sha256>::new(rsa_key()?)
                    .verify(message, &sig)
                    .is_ok()
            }
            _ => {
                return Err(Error::Certificate(
                    "the ca key does not fit the certificate's signature algorithm",
                ))
            }
        };
        if ok {
            Ok(())
        } else {
            Err(BAD)
        }
    }
}
