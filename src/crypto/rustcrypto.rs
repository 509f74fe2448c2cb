//! The RustCrypto backend: p256, p384 and rsa. Portable (wasm32 included);
//! the default unless the `aws-lc-rs` feature is on.

use std::sync::Arc;

use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::signature::Verifier as _;

use super::spki::classify;
use super::{Algorithm, CryptoBackend, PublicKey};
use crate::Error;

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
            Algorithm::Ps256 => Key::Rsa(rsa::pss::VerifyingKey::new(
                rsa::PublicKey::from_pkcs1_der(raw.bytes)
                    .map_err(|_| Error::Certificate("bad rsa key"))?,
            )),
        };
        Ok(Arc::new(key))
    }
}
