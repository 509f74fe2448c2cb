//! # healthpass
//!
//! Signed health passes in the EU Digital COVID Certificate wire format
//! (hcert spec 1.0.8, schema 1.3.3): decode, verify, and show a
//! privacy-minimal verdict.
//!
//! ```text
//! "HC1:…" → Base45 → zlib (bounded) → COSE_Sign1 → signer by kid (trust list)
//!   → signature (ES256 / PS256 / ES384) → CWT claims → payload → time checks → verdict
//! ```
//!
//! Each stage is public so that tests and bindings can drive it:
//! [`transport`], [`cose`], [`crypto`], [`trust`], [`cwt`], [`payload`],
//! [`verify`].
//!
//! ## Verifying a pass
//!
//! ```
//! use healthpass::{TrustList, UnixTime, Verifier};
//!
//! # fn main() -> Result<(), healthpass::Error> {
//! let mut trust = TrustList::new();
//! trust.add_any(include_bytes!("../demo/trust.pem"))?;
//! let verifier = Verifier::builder().trust_list(trust).build()?;
//!
//! let text = include_str!("../demo/valid.txt").trim();
//! let now = UnixTime::parse_rfc3339("2026-11-25T12:00:00Z")?; // the caller's clock
//! let pass = verifier.verify(text, now)?;
//!
//! let verdict = pass.verdict(); // name, date of birth, valid until: nothing medical
//! assert!(verdict.valid);
//! assert_eq!(verdict.holder.unwrap().date_of_birth, "1964-08-12");
//! # Ok(()) }
//! ```
//!
//! The library never reads a clock: the time of verification is an
//! argument. Errors have a stable class, [`Error::kind`].
//!
//! ## Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `rustcrypto` | yes | the portable crypto backend (p256, p384, rsa); builds for wasm32 |
//! | `qr` | no | QR codes: render a pass as SVG or PNG, read one back from a PNG |
//! | `aws-lc-rs` | no | the native backend (AWS-LC); the default backend when on; not for wasm32 |

#![forbid(unsafe_code)]
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

pub mod cbor;
pub mod cose;
pub mod crypto;
pub mod cwt;
mod error;
pub mod inspect;
#[cfg(feature = "rustcrypto")]
pub mod issue;
pub mod payload;
#[cfg(feature = "qr")]
pub mod qr;
pub mod revocation;
mod time;
pub mod transport;
pub mod trust;
pub mod uvci;
pub mod verify;

pub use error::{Error, ErrorKind};
pub use inspect::{inspect_cose_unverified, inspect_unverified, Unverified};
pub use time::UnixTime;
pub use trust::TrustList;
pub use verify::{Verdict, VerifiedPass, Verifier};
