//! The one small trait a crypto backend implements, and the parsed key it
//! gives.

use core::fmt;
use std::sync::Arc;

use super::algorithm::{Algorithm, CertSignatureAlgorithm};
use crate::Error;

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
    /// which must be a key a certificate authority may have (P-256, P-384,
    /// P-521, by OID or explicit parameters; RSA of 2048 to 8192 bits with
    /// an odd exponent from 3) of the type `algorithm` needs. Used when signer certificates
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
