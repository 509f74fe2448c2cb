//! The signature layer: one small trait, and the backends behind it.
//!
//! A [`CryptoBackend`] turns a certificate's SubjectPublicKeyInfo into a
//! [`PublicKey`] once, when the trust list is built; verification then only
//! calls [`PublicKey::verify`]. The RustCrypto backend ([`RustCrypto`]) is the
//! portable default and builds for every target, WASM included; the
//! aws-lc-rs backend (`AwsLc`, feature `aws-lc-rs`) is about four times
//! faster on native targets. Both accept exactly the same keys and
//! signatures (same SPKI rules, Wycheproof-checked): P-256, P-384 and P-521
//! EC keys, by curve OID or by explicit parameters equal to a named curve's
//! (brainpool curves are recognised and refused by name: no backend here
//! verifies them), and RSA keys — 2048 to 4096 bits with an exponent of at
//! least 65537 for signers, 2048 to 8192 bits with any odd exponent from 3
//! for certificate authorities, whose keys only verify certificates.

use std::sync::Arc;

mod algorithm;
#[cfg(feature = "aws-lc-rs")]
mod awslc;
mod backend;
mod curves;
#[cfg(feature = "rustcrypto")]
mod rustcrypto;
pub(crate) mod spki;

#[cfg(feature = "aws-lc-rs")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
pub use awslc::AwsLc;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use rustcrypto::RustCrypto;
pub use spki::{RSA_BITS, RSA_CA_BITS};

pub use algorithm::{Algorithm, CertSignatureAlgorithm};
pub use backend::{CryptoBackend, PublicKey};

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
