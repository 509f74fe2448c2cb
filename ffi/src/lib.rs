//! The C ABI of healthpass, for scanner, turnstile and terminal vendors.
//!
//! Conventions (those of rustls-ffi):
//! - Opaque handles, made by `hp_<type>_new`/`_load` and released by
//!   `hp_<type>_free`; every `_free` accepts NULL.
//! - Every function that can fail returns an [`HpStatus`] with fixed
//!   numbers that never change meaning. Outputs are written only when the
//!   status is `HP_STATUS_OK`.
//! - NULL arguments give `HP_STATUS_NULL_ARGUMENT`; a panic inside the
//!   library gives `HP_STATUS_PANIC` and never unwinds into C.
//! - Strings go in as UTF-8 with explicit lengths, and come out one way:
//!   as an [`HpStr`] (pointer and length, not NUL-terminated) borrowed from
//!   the handle it came from (valid until it is freed) or static. Nothing
//!   returned needs a free that this header does not name.
//! - A built `hp_verifier` is immutable: it is safe to share between threads
//!   and to call `hp_verify` on it from many at once. A verifier that
//!   differs in one setting is derived from it as a new handle. Trust lists
//!   and revocation handles are copied into the verifier when it is built.
//! - Integers that name a status or a member come from C: they are checked,
//!   never cast into a Rust enum (an unknown number is answered as such).
//!
//! One file per handle: `boundary` (panics, pointers, strings), `status`,
//! `trust`, `store` (the trust store and its load reports), `revocation`,
//! `rules` (rules and policy), `shc`, `qr` (camera frames), `sync` (the store directory kept by
//! healthpass-sync), `verifier`, `result`. This is the only crate of the workspace with `unsafe` code:
//! the pointer handling at the boundary.

#![allow(unsafe_code)]

// In the order the header presents them.
#[macro_use]
mod boundary;
mod qr;
mod result;
mod revocation;
mod rules;
mod shc;
mod status;
mod store;
mod sync;
mod trust;
mod verifier;

pub use boundary::HpStr;
pub use result::*;
pub use revocation::*;
pub use rules::*;
pub use shc::*;
pub use status::*;
pub use store::*;
pub use trust::*;
pub use verifier::*;
