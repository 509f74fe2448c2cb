#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// No panics on input: library code may not unwrap, expect, index or panic.
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

/// The pipeline's inner stages: public (but hidden from the docs, and
/// without stability promises) only with the `internals` feature, for the
/// crate's own tests, fuzz targets and benches.
macro_rules! internal_modules {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {$(
        $(#[$attr])*
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        $(#[$attr])*
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}

internal_modules!(cbor, cose, cwt, transport);

#[cfg(feature = "coset")]
#[cfg_attr(docsrs, doc(cfg(feature = "coset")))]
pub mod cose_interop;
pub mod crypto;
mod error;
pub mod formats;
mod holder;
pub mod inspect;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub mod issue;
pub mod payload;
#[cfg(feature = "qr")]
#[cfg_attr(docsrs, doc(cfg(feature = "qr")))]
pub mod qr;
pub mod revocation;
pub mod rules;
pub mod signed;
mod time;
pub mod trust;
pub mod uvci;
mod verify;

pub use error::{Error, ErrorKind};
pub use holder::{Holder, PassForm};
pub use payload::kind::PassKind;
pub use time::{InvalidTime, UnixTime};
pub use trust::list::TrustList;
pub use trust::store::TrustStore;
pub use verify::{AnyPass, Verdict, VerifiedPass, Verifier, VerifierBuilder, MAX_CLOCK_SKEW_SECS};
