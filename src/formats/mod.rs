//! The pass formats beside HCERT that a scanner meets, read by the same
//! [`Verifier::verify`](crate::Verifier::verify) and answered with the same
//! verdict:
//!
//! - [`shc`]: SMART Health Cards (`shc:/`), feature `shc`;
//! - [`icao`]: ICAO visible digital seals (VDS-NC), feature `icao`;
//! - `json`: the strict I-JSON reader and the RFC 8785 canonical form both
//!   are signed over (internal).

internal_modules!(
    #[cfg(any(feature = "shc", feature = "icao"))]
    json
);

#[cfg(feature = "icao")]
#[cfg_attr(docsrs, doc(cfg(feature = "icao")))]
pub mod icao;
#[cfg(feature = "shc")]
#[cfg_attr(docsrs, doc(cfg(feature = "shc")))]
pub mod shc;
