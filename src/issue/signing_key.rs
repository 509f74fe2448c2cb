//! Signing keys (feature `rustcrypto`): ES256 (P-256) and PS256 (RSA
//! 2048–4096), from PKCS#8 or freshly generated. The secret material is zeroized on drop (the p256 and
//! rsa key types do it themselves; the PKCS#8 buffers this module handles go
//! through [`Zeroizing`]) and never appears in `Debug` output or errors.

use core::fmt;

use getrandom::SysRng;
use p256::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Signer as _};
use rsa::traits::PublicKeyParts as _;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::crypto::spki::{check_rsa_exponent, RSA_BITS};
use crate::crypto::Algorithm;
use crate::Error;

/// RSA modulus size [`SigningKey::generate`] uses for PS256.
pub const DEFAULT_RSA_BITS: usize = 3072;

/// A private key that signs passes and signed documents (revocation and
/// trust lists).
pub struct SigningKey(Inner);

enum Inner {
    Es256(p256::ecdsa::SigningKey),
    Ps256(Box<rsa::PrivateKey>),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.algorithm())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh key from the operating system's random source: P-256 for
    /// ES256, a [`DEFAULT_RSA_BITS`]-bit RSA key for PS256.
    ///
    /// # Errors
    /// [`Error::Key`] for an algorithm this crate does not sign with
    /// (ES384), [`Error::Random`] if the random source fails.
    pub fn generate(alg: Algorithm) -> Result<Self, Error> {
        match alg {
            Algorithm::Es256 => {
                use p256::elliptic_curve::Generate as _;
                p256::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng)
                    .map(|k| SigningKey(Inner::Es256(k)))
                    .map_err(|_| Error::Random)
            }
            Algorithm::Ps256 => Self::generate_rsa(DEFAULT_RSA_BITS),
            Algorithm::Es384 | Algorithm::Es512 => {
                Err(Error::Key("passes are signed with ES256 or PS256"))
            }
        }
    }

    /// A fresh RSA key of `bits` bits for PS256.
    ///
    /// # Errors
    /// [`Error::Key`] if `bits` is outside [`RSA_BITS`] or not a multiple of
    /// 8, [`Error::Random`] if the random source fails.
    pub fn generate_rsa(bits: usize) -> Result<Self, Error> {
        if !RSA_BITS.contains(&bits) || !bits.is_multiple_of(8) {
            return Err(Error::Key("rsa keys have 2048 to 4096 bits"));
        }
        rsa::PrivateKey::new(&mut SysRng, bits)
            .map(|k| SigningKey(Inner::Ps256(Box::new(k))))
            .map_err(|_| Error::Random)
    }

    /// A key from PKCS#8 DER (`PrivateKeyInfo`, unencrypted).
    ///
    /// # Errors
    /// [`Error::Key`] if the bytes are not an unencrypted PKCS#8 P-256 or RSA
    /// key, or the RSA key is outside [`RSA_BITS`] or has a public exponent
    /// below 65537.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SigningKey(Inner::Es256(k)));
        }
        match rsa::PrivateKey::from_pkcs8_der(der) {
            Ok(k) => Self::checked_rsa(k),
            Err(_) => Err(Error::Key(
                "not an unencrypted pkcs#8 p-256 or rsa private key",
            )),
        }
    }

    /// A P-256 key (for ES256) from its 32-byte secret scalar (a JWK's
    /// `d`).
    ///
    /// # Errors
    /// [`Error::Key`] if the bytes are not a valid P-256 secret.
    pub fn from_p256_secret(secret: &[u8]) -> Result<Self, Error> {
        p256::ecdsa::SigningKey::from_slice(secret)
            .map(|k| SigningKey(Inner::Es256(k)))
            .map_err(|_| Error::Key("not a p-256 secret scalar"))
    }

    /// A key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_der`].
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Error> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(SigningKey(Inner::Es256(k)));
        }
        match rsa::PrivateKey::from_pkcs8_pem(pem) {
            Ok(k) => Self::checked_rsa(k),
            Err(_) => Err(Error::Key(
                "not a pem unencrypted pkcs#8 p-256 or rsa private key",
            )),
        }
    }

    fn checked_rsa(k: rsa::PrivateKey) -> Result<Self, Error> {
        if !RSA_BITS.contains(&(k.n().bit_width() as usize)) {
            return Err(Error::Key("rsa keys have 2048 to 4096 bits"));
        }
        if check_rsa_exponent(&k.e().to_be_bytes_trimmed_vartime()).is_err() {
            return Err(Error::Key("rsa public exponent below 65537 or even"));
        }
        Ok(SigningKey(Inner::Ps256(Box::new(k))))
    }

    /// The key as PKCS#8 PEM; the text is zeroized when dropped.
    ///
    /// # Errors
    /// [`Error::Key`] if encoding fails (it does not for keys this type
    /// holds).
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, Error> {
        let pem = match &self.0 {
            Inner::Es256(k) => k.to_pkcs8_pem(LineEnding::LF),
            Inner::Ps256(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        pem.map_err(|_| Error::Key("cannot encode the key"))
    }

    /// The signature algorithm of this key.
    pub fn algorithm(&self) -> Algorithm {
        match self.0 {
            Inner::Es256(_) => Algorithm::Es256,
            Inner::Ps256(_) => Algorithm::Ps256,
        }
    }

    /// The public key as a DER SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// [`Error::Key`] if encoding fails (it does not for keys this type
    /// holds).
    pub fn public_key_der(&self) -> Result<Vec<u8>, Error> {
        let doc = match &self.0 {
            Inner::Es256(k) => k.verifying_key().to_public_key_der(),
            Inner::Ps256(k) => k.to_public_key().to_public_key_der(),
        };
        doc.map(|d| d.as_bytes().to_vec())
            .map_err(|_| Error::Key("cannot encode the public key"))
    }

    /// Signs `message` in the COSE form: ES256 gives r‖s (64 bytes,
    /// deterministic nonces per RFC 6979), PS256 an RSASSA-PSS signature
    /// with SHA-256, MGF1-SHA-256 and a 32-byte random salt.
    ///
    /// # Errors
    /// [`Error::Random`] if the random source fails (PS256), [`Error::Key`]
    /// if signing fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.0 {
            Inner::Es256(k) => {
                let sig: p256::ecdsa::Signature = k
                    .try_sign(message)
                    .map_err(|_| Error::Key("signing failed"))?;
                Ok(sig.to_bytes().to_vec())
            }
            Inner::Ps256(k) => {
                let signer = rsa::pss::SigningKey::<Sha256>::new(k.as_ref().clone());
                let sig = signer
                    .try_sign_with_rng(&mut SysRng, message)
                    .map_err(|_| Error::Random)?;
                Ok(sig.to_vec())
            }
        }
    }

    /// Builds a certificate with this key (the issuing module's
    /// self-signed signer certificates).
    pub(crate) fn self_sign<B>(&self, builder: B) -> Result<x509_cert::Certificate, Error>
    where
        B: x509_cert::builder::Builder<Output = x509_cert::Certificate>,
    {
        let built = match &self.0 {
            Inner::Es256(k) => builder.build::<_, p256::ecdsa::DerSignature>(k),
            Inner::Ps256(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(k.as_ref().clone());
                builder.build::<_, rsa::pkcs1v15::Signature>(&signer)
            }
        };
        built.map_err(|_| Error::Key("cannot sign the certificate"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs8_round_trip_and_debug() {
        let k = SigningKey::generate(Algorithm::Es256).unwrap();
        let pem = k.to_pkcs8_pem().unwrap();
        let k2 = SigningKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(k.public_key_der().unwrap(), k2.public_key_der().unwrap());
        let debug = format!("{k:?}");
        assert_eq!(debug, "SigningKey { alg: Es256, .. }");
        assert!(SigningKey::from_pkcs8_pem(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
        )
        .is_err());
        assert!(SigningKey::from_pkcs8_der(b"garbage").is_err());
        assert!(SigningKey::generate(Algorithm::Es384).is_err());
        assert!(SigningKey::generate_rsa(1024).is_err());
    }

    #[test]
    fn es256_signatures_are_raw_and_deterministic() {
        let k = SigningKey::generate(Algorithm::Es256).unwrap();
        let a = k.sign(b"message").unwrap();
        assert_eq!(a.len(), 64);
        assert_eq!(a, k.sign(b"message").unwrap());
    }
}
