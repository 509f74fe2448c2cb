//! One file per command.

pub(crate) mod inspect;
pub(crate) mod issue;
pub(crate) mod keygen;
pub(crate) mod qr;
pub(crate) mod revocation;
pub(crate) mod rules;
pub(crate) mod shc;
pub(crate) mod sync;
pub(crate) mod trust;
pub(crate) mod verify;
