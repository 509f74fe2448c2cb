//! The signature layer: one small trait, and the backends behind it.
//!
//! A [`CryptoBackend`] turns a certificate's SubjectPublicKeyInfo into a
//! [`PublicKey`] once, when the trust list is built; verification then only
//! calls [`PublicKey::verify`]. The RustCrypto backend ([`RustCrypto`]) is the
//! portable default and builds for every target, WASM included; the
//! aws-lc-rs backend (`AwsLc`, feature `aws-lc-rs`) is about four times
//! faster on native targets. Both accept exactly the same keys and
//! signatures (same SPKI rules, Wycheproof-checked).

use std::sync::Arc;

mod algorithm;
#[cfg(feature = "aws-lc-rs")]
mod awslc;
mod backend;
#[cfg(feature = "rustcrypto")]
mod rustcrypto;
#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
pub(crate) mod spki;

#[cfg(feature = "aws-lc-rs")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-lc-rs")))]
pub use awslc::AwsLc;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use rustcrypto::RustCrypto;
#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
pub use spki::RSA_BITS;

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
