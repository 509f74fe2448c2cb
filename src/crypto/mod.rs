//! The signature layer: one small trait, and the backends behind it.
//!
//! A [`CryptoBackend`] turns a certificate's SubjectPublicKeyInfo into a
//! [`PublicKey`] once, when the trust list is built; verification then only
//! calls [`PublicKey::verify`]. The RustCrypto backend ([`RustCrypto`]) is the
//! portable default and builds for every target, WASM included; the
//! aws-lc-rs backend (`AwsLc`, feature `aws-lc-rs`) is about four times
//! faster on native targets. Both accept exactly the same keys and
//! signatures (same SPKI rules, Wycheproof-checked).

use core::fmt;
use std::sync::Arc;

use crate::Error;

#[cfg(feature = "aws-lc-rs")]
mod awslc;
#[cfg(feature = "rustcrypto")]
mod rustcrypto;
#[cfg(feature = "rustcrypto")]
mod signing;
#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
mod spki;

#[cfg(feature = "aws-lc-rs")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
pub use awslc::AwsLc;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use rustcrypto::RustCrypto;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use signing::{SigningKey, DEFAULT_RSA_BITS};
#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
pub use spki::RSA_BITS;

/// The COSE signature algorithms a pass may be signed with.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA on P-256 with SHA-256 (COSE -7); signature is r‖s, 64 bytes.
    Es256,
    /// ECDSA on P-384 with SHA-384 (COSE -35); signature is r‖s, 96 bytes.
    Es384,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (COSE -37).
    Ps256,
}

impl Algorithm {
    /// The algorithm for a COSE `alg` value.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlgorithm`] for any other value.
    pub fn from_cose(alg: i64) -> Result<Self, Error> {
        match alg {
            -7 => Ok(Algorithm::Es256),
            -35 => Ok(Algorithm::Es384),
            -37 => Ok(Algorithm::Ps256),
            other => Err(Error::UnsupportedAlgorithm(other)),
        }
    }

    /// The COSE `alg` value.
    pub fn cose_id(self) -> i64 {
        match self {
            Algorithm::Es256 => -7,
            Algorithm::Es384 => -35,
            Algorithm::Ps256 => -37,
        }
    }

    /// The JOSE/COSE name ("ES256", …).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::Ps256 => "PS256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed public key, ready to verify.
pub trait PublicKey: Send + Sync + fmt::Debug {
    /// The one algorithm this key verifies. A pass whose `alg` differs is
    /// rejected before any signature arithmetic.
    fn algorithm(&self) -> Algorithm;

    /// Verifies `signature` over `message` (the whole Sig_structure; the key
    /// hashes it).
    ///
    /// # Errors
    /// [`Error::BadSignature`] for any failure: wrong length, wrong encoding,
    /// values out of range, or a signature that does not verify.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error>;
}

/// The signatures a certificate authority may put on a certificate, as the
/// country signing CAs of the EU and WHO networks use them. SHA-1 and
/// other curves are not among them.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertSignatureAlgorithm {
    /// ecdsa-with-SHA256 (DER signature).
    EcdsaSha256,
    /// ecdsa-with-SHA384 (DER signature).
    EcdsaSha384,
    /// ecdsa-with-SHA512 (DER signature).
    EcdsaSha512,
    /// sha256WithRSAEncryption (PKCS#1 v1.5).
    RsaPkcs1Sha256,
    /// sha384WithRSAEncryption (PKCS#1 v1.5).
    RsaPkcs1Sha384,
    /// sha512WithRSAEncryption (PKCS#1 v1.5).
    RsaPkcs1Sha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256,
}

/// Turns the DER of a SubjectPublicKeyInfo into a [`PublicKey`].
pub trait CryptoBackend: Send + Sync + fmt::Debug {
    /// Parses and checks a public key (curve, RSA size 2048–4096 bits).
    ///
    /// # Errors
    /// [`Error::Certificate`] for a key that cannot be parsed or is not
    /// acceptable.
    fn parse_public_key(&self, spki_der: &[u8]) -> Result<Arc<dyn PublicKey>, Error>;

    /// Verifies a certificate authority's signature: `signature` (as the
    /// certificate carries it: DER for ECDSA) over `message` (the
    /// certificate's to-be-signed bytes) by the key in `issuer_spki_der`,
    /// which must be acceptable as [`CryptoBackend::parse_public_key`] says
    /// and of the type `algorithm` needs. Used when signer certificates
    /// must chain to a country CA ([`crate::trust::CscaList`]).
    ///
    /// The default refuses: a backend that does not implement it cannot
    /// check chains.
    ///
    /// # Errors
    /// [`Error::Certificate`] when the key is not acceptable or not of the
    /// algorithm's type, or the signature does not verify.
    fn verify_certificate_signature(
        &self,
        issuer_spki_der: &[u8],
        algorithm: CertSignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        let _ = (issuer_spki_der, algorithm, message, signature);
        Err(Error::Certificate(
            "this crypto backend cannot check certificate signatures",
        ))
    }
}

/// The backend used when none is chosen: [`AwsLc`] when the `aws-lc-rs`
/// feature is on (native builds that want speed), else [`RustCrypto`].
#[cfg(feature = "aws-lc-rs")]
pub fn default_backend() -> Arc<dyn CryptoBackend> {
    Arc::new(AwsLc)
}

/// The backend used when none is chosen: [`RustCrypto`] (the `aws-lc-rs`
/// feature, when on, makes it `AwsLc`).
#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc-rs")))]
pub fn default_backend() -> Arc<dyn CryptoBackend> {
    Arc::new(RustCrypto)
}
