//! `hp_shc_issuers`: the SMART Health Card issuers a verifier trusts (their
//! JWK sets, anchors and revocation lists).

use healthpass::formats::shc::{KeyBinding, ShcIssuers};

use crate::boundary::{drop_raw, guard, guard_or, into_raw};
use crate::status::HpStatus;

/// SMART Health Card issuers: their JWK sets, anchors and revocation lists
/// (opaque).
pub struct HpShcIssuers {
    pub(crate) inner: ShcIssuers,
}

/// Makes an empty set of SMART Health Card issuers.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_new(out: *mut *mut HpShcIssuers) -> HpStatus {
    guard(|| {
        arg_out!(out).set(into_raw(HpShcIssuers {
            inner: ShcIssuers::new(),
        }));
        HpStatus::Ok
    })
}

/// Adds trust anchors (CA certificates: DER, PEM or base64 of DER): keys
/// added afterwards that carry an `x5c` chain must chain to one of them,
/// name the card's issuer and be valid when a card is verified.
/// `HP_STATUS_INVALID_ARGUMENT` for a certificate that is not a CA.
///
/// # Safety
/// `issuers` must come from `hp_shc_issuers_new`; `bytes` must point to
/// `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_add_anchors(
    issuers: *mut HpShcIssuers,
    bytes: *const u8,
    len: usize,
) -> HpStatus {
    guard(|| {
        let issuers = arg_mut!(issuers);
        match issuers.inner.add_anchors(arg_bytes!(bytes, len)) {
            Ok(_) => HpStatus::Ok,
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Adds the signing keys of one issuer's JWK set (`.well-known/jwks.json`,
/// `len` bytes of UTF-8) bound to that issuer: its keys verify only cards
/// whose `iss` is exactly `iss` (`iss_len` bytes). All or nothing:
/// `HP_STATUS_INVALID_ARGUMENT` for a set that cannot be read, holds a
/// private key, or any key that cannot be used (a kid that is not its
/// key's thumbprint, another curve); nothing is added then. (The trust
/// store, `hp_trust_store_load`, loads sets key by key with a report.)
///
/// # Safety
/// `issuers` must come from `hp_shc_issuers_new`; `json` must point to
/// `len` readable bytes, `iss` to `iss_len`.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_add_jwks(
    issuers: *mut HpShcIssuers,
    json: *const u8,
    len: usize,
    iss: *const u8,
    iss_len: usize,
) -> HpStatus {
    guard(|| {
        let issuers = arg_mut!(issuers);
        let json = arg_str!(json, len);
        let iss = arg_str!(iss, iss_len);
        match issuers.inner.add_jwks_strict(json, KeyBinding::Issuer(iss)) {
            Ok(_) => HpStatus::Ok,
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// As `hp_shc_issuers_add_jwks`, for a set whose issuer is not known: its
/// keys verify cards of **any** `iss` (unless another set binds them). The
/// explicit opt-in; prefer binding each set to its issuer.
///
/// # Safety
/// As `hp_shc_issuers_add_jwks`.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_add_jwks_any_issuer(
    issuers: *mut HpShcIssuers,
    json: *const u8,
    len: usize,
) -> HpStatus {
    guard(|| {
        let issuers = arg_mut!(issuers);
        let json = arg_str!(json, len);
        match issuers.inner.add_jwks_strict(json, KeyBinding::AnyIssuer) {
            Ok(_) => HpStatus::Ok,
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Loads an issuer's revocation list for one key (`.well-known/crl/<kid>.json`,
/// method `rid`): a card whose `rid` is listed is `HP_STATUS_REVOKED`; a
/// list older than its key's `crlVersion` makes that key's cards
/// `HP_STATUS_UNTRUSTED`.
///
/// # Safety
/// `issuers` must come from `hp_shc_issuers_new`; `json` must point to
/// `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_add_revocation_list(
    issuers: *mut HpShcIssuers,
    json: *const u8,
    len: usize,
) -> HpStatus {
    guard(|| {
        let issuers = arg_mut!(issuers);
        match issuers.inner.add_revocation_list(arg_str!(json, len)) {
            Ok(_) => HpStatus::Ok,
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// The number of keys (0 for NULL).
///
/// # Safety
/// `issuers` must be NULL or come from `hp_shc_issuers_new`.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_len(issuers: *const HpShcIssuers) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || {
        unsafe { issuers.as_ref() }.map_or(0, |i| i.inner.len())
    })
}

/// Frees a set of issuers. NULL is ignored.
///
/// # Safety
/// `issuers` must be NULL or come from `hp_shc_issuers_new`, and not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_free(issuers: *mut HpShcIssuers) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(issuers) });
}
