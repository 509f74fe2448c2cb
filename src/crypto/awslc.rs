//! The aws-lc-rs backend: native speed, keys parsed once into
//! `ParsedPublicKey`. Not available on wasm32.

use std::sync::Arc;

use aws_lc_rs::signature::{
    ParsedPublicKey, UnparsedPublicKey, VerificationAlgorithm, ECDSA_P256_SHA256_ASN1,
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA384_ASN1, ECDSA_P256_SHA512_ASN1,
    ECDSA_P384_SHA256_ASN1, ECDSA_P384_SHA384_ASN1, ECDSA_P384_SHA384_FIXED,
    ECDSA_P384_SHA512_ASN1, ECDSA_P521_SHA256_ASN1, ECDSA_P521_SHA384_ASN1, ECDSA_P521_SHA512_ASN1,
    ECDSA_P521_SHA512_FIXED, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_2048_8192_SHA384,
    RSA_PKCS1_2048_8192_SHA512, RSA_PSS_2048_8192_SHA256,
};

use super::algorithm::{Algorithm, CertSignatureAlgorithm};
use super::backend::{CryptoBackend, PublicKey};
use super::spki::{classify, classify_as, KeyRole};
use crate::Error;

/// The aws-lc-rs backend (feature `aws-lc-rs`): ES256, ES384 and PS256 with
/// AWS-LC, about four times faster than RustCrypto on x86-64. Accepts exactly
/// the keys the RustCrypto backend accepts.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLc;

struct Key {
    algorithm: Algorithm,
    fixed_len: Option<usize>,
    key: ParsedPublicKey,
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwsLcKey")
            .field("algorithm", &self.algorithm)
            .finish()
    }
}

impl PublicKey for Key {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        // r‖s of exactly the curve's size; RSA lengths are checked by AWS-LC.
        if self.fixed_len.is_some_and(|n| n != signature.len()) {
            return Err(Error::BadSignature);
        }
        self.key
            .verify_sig(message, signature)
            .map_err(|_| Error::BadSignature)
    }
}

impl CryptoBackend for AwsLc {
    fn parse_public_key(&self, spki_der: &[u8]) -> Result<Arc<dyn PublicKey>, Error> {
        let raw = classify(spki_der)?;
        let (alg, fixed_len): (&'static dyn VerificationAlgorithm, _) = match raw.algorithm {
            Algorithm::Es256 => (&ECDSA_P256_SHA256_FIXED, Some(64)),
            Algorithm::Es384 => (&ECDSA_P384_SHA384_FIXED, Some(96)),
            Algorithm::Es512 => (&ECDSA_P521_SHA512_FIXED, Some(132)),
            Algorithm::Ps256 => (&RSA_PSS_2048_8192_SHA256, None),
        };
        let key = ParsedPublicKey::new(alg, raw.bytes)
            .map_err(|_| Error::Certificate("key rejected by aws-lc"))?;
        Ok(Arc::new(Key {
            algorithm: raw.algorithm,
            fixed_len,
            key,
        }))
    }

    fn verify_certificate_signature(
        &self,
        issuer_spki_der: &[u8],
        algorithm: CertSignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        use CertSignatureAlgorithm as C;
        let raw = classify_as(issuer_spki_der, KeyRole::Authority)?;
        let alg: &'static dyn VerificationAlgorithm = match (raw.algorithm, algorithm) {
            (Algorithm::Es256, C::EcdsaSha256) => &ECDSA_P256_SHA256_ASN1,
            (Algorithm::Es256, C::EcdsaSha384) => &ECDSA_P256_SHA384_ASN1,
            (Algorithm::Es256, C::EcdsaSha512) => &ECDSA_P256_SHA512_ASN1,
            (Algorithm::Es384, C::EcdsaSha256) => &ECDSA_P384_SHA256_ASN1,
            (Algorithm::Es384, C::EcdsaSha384) => &ECDSA_P384_SHA384_ASN1,
            (Algorithm::Es384, C::EcdsaSha512) => &ECDSA_P384_SHA512_ASN1,
            (Algorithm::Es512, C::EcdsaSha256) => &ECDSA_P521_SHA256_ASN1,
            (Algorithm::Es512, C::EcdsaSha384) => &ECDSA_P521_SHA384_ASN1,
            (Algorithm::Es512, C::EcdsaSha512) => &ECDSA_P521_SHA512_ASN1,
            (Algorithm::Ps256, C::RsaPkcs1Sha256) => &RSA_PKCS1_2048_8192_SHA256,
            (Algorithm::Ps256, C::RsaPkcs1Sha384) => &RSA_PKCS1_2048_8192_SHA384,
            (Algorithm::Ps256, C::RsaPkcs1Sha512) => &RSA_PKCS1_2048_8192_SHA512,
            (Algorithm::Ps256, C::RsaPssSha256) => &RSA_PSS_2048_8192_SHA256,
            _ => {
                return Err(Error::Certificate(
                    "the ca key does not fit the certificate's signature algorithm",
                ))
            }
        };
        UnparsedPublicKey::new(alg, raw.bytes)
            .verify(message, signature)
            .map_err(|_| Error::Certificate("the ca signature does not verify"))
    }
}
