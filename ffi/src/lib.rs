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
//! - Strings are UTF-8 with explicit lengths. Nothing returned needs a free
//!   that this header does not name: strings handed out point into the
//!   handle they come from (valid until it is freed), or are static.
//! - A built `hp_verifier` is immutable: it is safe to share between threads
//!   and to call `hp_verify` on it from many at once. Trust lists and
//!   revocation handles are copied into the verifier when it is built.
//! - Integers that name a status come from C: they are checked, never cast
//!   into a Rust enum (an unknown number is answered as "unknown").
//!
//! This is the only crate of the workspace with `unsafe` code: the pointer
//! handling at the boundary, in small functions below.

#![allow(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use std::sync::OnceLock;

use healthpass::formats::shc::ShcIssuers;
use healthpass::payload::Member;
use healthpass::revocation::{Revocation, RevocationList, RevocationListLoader};
use healthpass::rules::{AdmissionStatus, Policy, RuleSet};
use healthpass::trust::CscaList;
use healthpass::{AnyPass, Error, ErrorKind, PassForm, TrustList, UnixTime, Verdict, Verifier};

/// The result of a call. The numbers are part of the ABI and never change
/// meaning; new ones may be added. Functions that take a status take it as
/// an `int32_t`, so that any number C passes is safe.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HpStatus {
    /// Success. For `hp_verify`: a verdict was made (valid or not).
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// An argument is not acceptable (bad certificate bytes, a list that
    /// does not verify …). The text of a pass is never an invalid
    /// argument: `hp_verify` judges any bytes, and bytes that are not UTF-8
    /// are a malformed pass.
    InvalidArgument = 2,
    /// The caller's buffer is too small; the needed length was written.
    BufferTooSmall = 3,
    /// The library panicked (a bug); the call had no effect.
    Panic = 4,
    /// The value asked for does not exist (a name the pass does not carry,
    /// the payload of an invalid pass).
    NotAvailable = 5,
    /// Verdict class: the input is not a well-formed pass.
    Malformed = 100,
    /// Verdict class: well-formed, but uses something not supported.
    Unsupported = 101,
    /// Verdict class: no trusted signer vouches for the pass.
    Untrusted = 102,
    /// Verdict class: the signature does not verify.
    BadSignature = 103,
    /// Verdict class: the pass is not valid yet.
    NotYetValid = 104,
    /// Verdict class: the pass has expired.
    Expired = 105,
    /// Verdict class: the pass is on a revocation list.
    Revoked = 106,
    /// Verdict class: something outside the input failed.
    Internal = 107,
    /// Verdict class: authentic and valid, but the admission rules do not
    /// admit the holder (a rule failed, the mode refused, or no rule
    /// applies).
    RejectedByRules = 108,
}

/// What the admission rules decided of a pass.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HpAdmission {
    /// The verifier has no rules.
    NoRules = 0,
    /// Every rule in force passed (and the mode said `SUCCESS`).
    Admitted = 1,
    /// A rule failed, or the mode refused.
    Refused = 2,
    /// Nothing decided: no rule in force for this pass here, an unknown
    /// mode, or a pass that did not verify. Not an admission.
    NotEvaluated = 3,
}

/// The form of a valid pass.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HpForm {
    /// No form: the pass is not valid.
    None = 0,
    /// A full health certificate (vaccination, test or recovery).
    Full = 1,
    /// A light pass: name and date of birth only.
    Light = 2,
    /// A medical exemption.
    Exemption = 3,
    /// A WHO DDCC, vaccination status.
    DdccVaccination = 4,
    /// A WHO DDCC, test result.
    DdccTest = 5,
    /// A Digital Vaccination Certificate (ICVP).
    Dvc = 6,
    /// A SMART Health Card (`shc:/`).
    Shc = 7,
    /// An ICAO visible digital seal of vaccination (`icao.vacc`).
    IcaoVaccination = 8,
    /// An ICAO visible digital seal of a test (`icao.test`).
    IcaoTest = 9,
}

/// Trusted signer certificates, and the country signing CAs ICAO seal
/// signers may chain to (opaque).
pub struct HpTrustList {
    inner: TrustList,
    seal_cas: CscaList,
}

/// SMART Health Card issuers: their JWK sets, anchors and revocation lists
/// (opaque).
pub struct HpShcIssuers {
    inner: ShcIssuers,
}

/// Revocation lists (opaque).
pub struct HpRevocation {
    lists: Vec<RevocationList>,
}

/// Admission rules (opaque): CertLogic rules or a built-in preset.
pub struct HpRules {
    inner: RuleSet,
}

/// Where and how passes are checked (opaque): country of arrival, region,
/// scan mode, language of rule descriptions.
pub struct HpPolicy {
    inner: Policy,
}

/// A verifier (opaque). Immutable once built; shareable between threads.
pub struct HpVerifier {
    inner: Verifier,
}

/// The verdict on one pass (opaque).
pub struct HpResult {
    verdict: Verdict,
    pass: Option<AnyPass>,
    /// The payload as JSON, made on the first request.
    payload_json: OnceLock<Option<String>>,
}

fn status_of(kind: ErrorKind) -> HpStatus {
    match kind {
        ErrorKind::Malformed => HpStatus::Malformed,
        ErrorKind::Unsupported => HpStatus::Unsupported,
        ErrorKind::Untrusted => HpStatus::Untrusted,
        ErrorKind::BadSignature => HpStatus::BadSignature,
        ErrorKind::NotYetValid => HpStatus::NotYetValid,
        ErrorKind::Expired => HpStatus::Expired,
        ErrorKind::Revoked => HpStatus::Revoked,
        ErrorKind::RejectedByRules => HpStatus::RejectedByRules,
        _ => HpStatus::Internal,
    }
}

/// Runs `f`, turning a panic into `HP_STATUS_PANIC`.
fn guard(f: impl FnOnce() -> HpStatus) -> HpStatus {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(HpStatus::Panic)
}

/// Runs `f`, turning a panic into `default`.
fn guard_or<T>(default: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}

/// A byte slice from a pointer and a length; `None` for a NULL pointer.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes that stay valid and
/// unchanged for the returned lifetime.
unsafe fn slice_from<'a>(ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes.
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Writes `value` through `out` (checked non-NULL by the caller).
///
/// # Safety
/// `out` must be valid for a write of `T`.
unsafe fn write<T>(out: *mut T, value: T) {
    // SAFETY: the caller checked `out` and promises it is writable.
    unsafe { out.write(value) }
}

/// Copies `text` into the caller's buffer (without a NUL) and writes its
/// length to `out_len`; `HP_STATUS_BUFFER_TOO_SMALL` (with the length
/// needed) if it does not fit.
///
/// # Safety
/// `buf` must be NULL or valid for `buf_len` bytes of writes; `out_len`
/// valid for a write.
unsafe fn copy_out(text: &str, buf: *mut u8, buf_len: usize, out_len: *mut usize) -> HpStatus {
    if out_len.is_null() || (buf.is_null() && buf_len > 0) {
        return HpStatus::NullArgument;
    }
    if buf_len < text.len() {
        // SAFETY: checked non-NULL above.
        unsafe { write(out_len, text.len()) };
        return HpStatus::BufferTooSmall;
    }
    if !text.is_empty() {
        // SAFETY: `buf` is non-NULL (buf_len ≥ text.len() > 0) and holds at
        // least `text.len()` bytes; the regions cannot overlap (`text` is
        // ours).
        unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len()) };
    }
    // SAFETY: checked non-NULL above.
    unsafe { write(out_len, text.len()) };
    HpStatus::Ok
}

/// Writes to `out` a new verifier: `verifier` with one setting changed by
/// `change`; `HP_STATUS_INVALID_ARGUMENT` if the builder refuses it.
///
/// # Safety
/// `out` must be non-NULL and valid for a write of a pointer.
unsafe fn derive(
    verifier: &HpVerifier,
    out: *mut *mut HpVerifier,
    change: impl FnOnce(healthpass::VerifierBuilder) -> healthpass::VerifierBuilder,
) -> HpStatus {
    match change(verifier.inner.to_builder()).build() {
        Ok(v) => {
            // SAFETY: the caller's promise.
            unsafe { write(out, into_raw(HpVerifier { inner: v })) };
            HpStatus::Ok
        }
        Err(_) => HpStatus::InvalidArgument,
    }
}

/// Moves a value to the heap and hands its pointer to C.
fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a value handed to C; NULL is ignored.
///
/// # Safety
/// `ptr` must be NULL or come from `into_raw::<T>` and not be used again.
unsafe fn drop_raw<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: made by `Box::into_raw` of a `T`, freed once (the caller's
        // promise).
        drop(unsafe { Box::from_raw(ptr) });
    }
}

// ---------------------------------------------------------------- trust list

/// Makes an empty trust list.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_new(out: *mut *mut HpTrustList) -> HpStatus {
    guard(|| {
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let list = into_raw(HpTrustList {
            inner: TrustList::new(),
            seal_cas: CscaList::new(),
        });
        // SAFETY: checked non-NULL.
        unsafe { write(out, list) };
        HpStatus::Ok
    })
}

/// Makes an empty trust list in the chained mode: every signer added later
/// must have been issued by one of the country signing CAs in `csca`
/// (DER, PEM or base64 of DER, as for `hp_trust_list_add`): a CA with
/// keyCertSign, of the signer's country, no unknown critical extension;
/// a signer is valid only while its CSCA is. `HP_STATUS_INVALID_ARGUMENT`
/// when a CSCA is not acceptable; `hp_trust_list_add` then refuses each
/// signer that does not chain with the same status.
///
/// # Safety
/// `csca` must point to `csca_len` readable bytes; `out` must be valid for
/// a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_new_chained(
    csca: *const u8,
    csca_len: usize,
    out: *mut *mut HpTrustList,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise on `csca`.
        let Some(data) = (unsafe { slice_from(csca, csca_len) }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let mut cscas = healthpass::trust::CscaList::new();
        if cscas.add_any(data).is_err() {
            return HpStatus::InvalidArgument;
        }
        let list = into_raw(HpTrustList {
            inner: TrustList::chained_to(cscas),
            seal_cas: CscaList::new(),
        });
        // SAFETY: checked non-NULL.
        unsafe { write(out, list) };
        HpStatus::Ok
    })
}

/// Makes a trust list from a signed trust list document (`healthpass trust
/// build`), verified at `now` (Unix seconds) against `anchors` (the
/// certificates that sign trust lists, loaded with `hp_trust_list_add`),
/// and not older than `min_sequence` (the last sequence you accepted; 0 for
/// none). `HP_STATUS_INVALID_ARGUMENT` when the list does not verify, is
/// older, issued in the future, or holds a signer the list refuses. A
/// verifier built from it gives `HP_STATUS_UNTRUSTED` verdicts once the list
/// has expired.
///
/// # Safety
/// `list` must point to `list_len` readable bytes; `anchors` must come from
/// `hp_trust_list_new`; `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_load_signed(
    list: *const u8,
    list_len: usize,
    anchors: *const HpTrustList,
    now: i64,
    min_sequence: u64,
    out: *mut *mut HpTrustList,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises on `list` and `anchors`.
        let (Some(bytes), Some(anchors)) = (unsafe { slice_from(list, list_len) }, unsafe {
            anchors.as_ref()
        }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let loader = healthpass::trust::signed_list::TrustListLoader::new(anchors.inner.clone())
            .min_sequence(min_sequence);
        match loader.load(bytes, UnixTime::from_secs(now)) {
            Ok(inner) => {
                let list = into_raw(HpTrustList {
                    inner,
                    seal_cas: CscaList::new(),
                });
                // SAFETY: checked non-NULL.
                unsafe { write(out, list) };
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Makes a trust list from a WHO GDHCN DID trust list (`list`, JSON) whose
/// proof verifies offline against the WHO signing key's DID document
/// (`signer`, JSON): its DSC keys of `domain` (a NUL-terminated code such as
/// "DCC", or NULL for all domains), each chained to its SCA. Keys that do not
/// chain are left out; their number is written to `left_out` (may be NULL).
/// `HP_STATUS_INVALID_ARGUMENT` when the proof does not verify or a document
/// cannot be read.
///
/// # Safety
/// `list` and `signer` must point to `list_len` and `signer_len` readable
/// bytes; `domain` must be NULL or a NUL-terminated string; `left_out` NULL
/// or valid for a write; `out` valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_load_gdhcn(
    list: *const u8,
    list_len: usize,
    signer: *const u8,
    signer_len: usize,
    domain: *const std::ffi::c_char,
    left_out: *mut usize,
    out: *mut *mut HpTrustList,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises on `list` and `signer`.
        let (Some(list), Some(signer)) = (unsafe { slice_from(list, list_len) }, unsafe {
            slice_from(signer, signer_len)
        }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let mut selection = healthpass::trust::gdhcn::KeySelection::new();
        if !domain.is_null() {
            // SAFETY: the caller promises a NUL-terminated string.
            let Ok(d) = unsafe { std::ffi::CStr::from_ptr(domain) }.to_str() else {
                return HpStatus::InvalidArgument;
            };
            selection = selection.domain(d);
        }
        let selected = healthpass::trust::gdhcn::WhoSigner::from_did_document(signer)
            .and_then(|s| healthpass::trust::gdhcn::DidTrustList::verify(list, &s))
            .map(|did| did.select(&selection));
        let Ok(selected) = selected else {
            return HpStatus::InvalidArgument;
        };
        if !left_out.is_null() {
            // SAFETY: checked non-NULL; the caller promises it is writable.
            unsafe { write(left_out, selected.refused.len()) };
        }
        let list = into_raw(HpTrustList {
            inner: selected.trust,
            seal_cas: CscaList::new(),
        });
        // SAFETY: checked non-NULL.
        unsafe { write(out, list) };
        HpStatus::Ok
    })
}

/// Adds signer certificates: DER, PEM (one or many) or base64 of DER (one
/// per line). Pass signers and ICAO seal signers are pinned; certification
/// authorities among them become the country signing CAs seal signers may
/// chain to (as the command line's `--trust`). On error the signers are
/// unchanged.
///
/// # Safety
/// `list` must come from `hp_trust_list_new`; `bytes` must point to `len`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_add(
    list: *mut HpTrustList,
    bytes: *const u8,
    len: usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises on `list` and `bytes`.
        let (Some(list), Some(data)) =
            (unsafe { list.as_mut() }, unsafe { slice_from(bytes, len) })
        else {
            return HpStatus::NullArgument;
        };
        match list.inner.add_any_with_cas(data, &mut list.seal_cas) {
            Ok(_) => HpStatus::Ok,
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// The number of certificates in the list (0 for NULL).
///
/// # Safety
/// `list` must be NULL or come from `hp_trust_list_new`.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_len(list: *const HpTrustList) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || unsafe { list.as_ref() }.map_or(0, |l| l.inner.len()))
}

/// Frees a trust list. NULL is ignored.
///
/// # Safety
/// `list` must be NULL or come from `hp_trust_list_new`, and not be used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_free(list: *mut HpTrustList) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(list) });
}

// ---------------------------------------------------------------- revocation

/// Makes an empty set of revocation lists.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_revocation_new(out: *mut *mut HpRevocation) -> HpStatus {
    guard(|| {
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        // SAFETY: checked non-NULL.
        unsafe { write(out, into_raw(HpRevocation { lists: Vec::new() })) };
        HpStatus::Ok
    })
}

/// Adds a signed revocation list (from `healthpass revocation build
/// --sign`, or any publisher of the format), verified at `unix_time`
/// against `anchors` (the certificates that sign lists: never the pass
/// signers by default). `min_sequence` is the last sequence number you
/// accepted for this list (0 on a first start): an older list is refused,
/// so that an old list cannot be replayed. A list issued after `unix_time`
/// is refused. An expired list is added: every verdict of a verifier that
/// holds it is then `HP_STATUS_UNTRUSTED`, the same as when a list expires
/// after it was added. The hashes are kept compact at a false-positive
/// rate of 1e-12. On error nothing is added.
///
/// # Safety
/// `revocation` must come from `hp_revocation_new`; `anchors` from
/// `hp_trust_list_new`; `bytes` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_revocation_add(
    revocation: *mut HpRevocation,
    anchors: *const HpTrustList,
    bytes: *const u8,
    len: usize,
    unix_time: i64,
    min_sequence: u64,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises.
        let (Some(revocation), Some(anchors), Some(data)) = (
            unsafe { revocation.as_mut() },
            unsafe { anchors.as_ref() },
            unsafe { slice_from(bytes, len) },
        ) else {
            return HpStatus::NullArgument;
        };
        let loader = RevocationListLoader::new(anchors.inner.clone()).min_sequence(min_sequence);
        match loader.load(data, UnixTime::from_secs(unix_time)) {
            Ok(list) => {
                revocation.lists.push(list);
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// The number of lists (0 for NULL).
///
/// # Safety
/// `revocation` must be NULL or come from `hp_revocation_new`.
#[no_mangle]
pub unsafe extern "C" fn hp_revocation_len(revocation: *const HpRevocation) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || {
        unsafe { revocation.as_ref() }.map_or(0, |r| r.lists.len())
    })
}

/// Frees revocation lists. NULL is ignored.
///
/// # Safety
/// `revocation` must be NULL or come from `hp_revocation_new`, and not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_revocation_free(revocation: *mut HpRevocation) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(revocation) });
}

// ---------------------------------------------------------------- rules

/// Loads admission rules from CertLogic JSON (`json_len` bytes, UTF-8): an
/// EU business rule, an array of them, or a set with scan modes. Rules that
/// do not pass the schema, or a file over the limits, give
/// `HP_STATUS_INVALID_ARGUMENT` and nothing is written.
///
/// # Safety
/// `json` must point to `json_len` readable bytes; `out` must be valid for
/// a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_rules_load(
    json: *const u8,
    json_len: usize,
    out: *mut *mut HpRules,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(bytes) = (unsafe { slice_from(json, json_len) }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return HpStatus::InvalidArgument;
        };
        match RuleSet::from_json(text) {
            Ok(inner) => {
                // SAFETY: checked non-NULL.
                unsafe { write(out, into_raw(HpRules { inner })) };
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// A built-in rule set by name (`name_len` bytes): `3g`, `2g`, `2g-plus`
/// or `vaccinated-recovered-exempt`. Each has one scan mode of its own
/// name, applied when the policy names none. `HP_STATUS_INVALID_ARGUMENT`
/// for another name.
///
/// # Safety
/// `name` must point to `name_len` readable bytes; `out` must be valid for
/// a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_rules_preset(
    name: *const u8,
    name_len: usize,
    out: *mut *mut HpRules,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(bytes) = (unsafe { slice_from(name, name_len) }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let Some(inner) = std::str::from_utf8(bytes)
            .ok()
            .and_then(|n| RuleSet::preset(n).ok())
        else {
            return HpStatus::InvalidArgument;
        };
        // SAFETY: checked non-NULL.
        unsafe { write(out, into_raw(HpRules { inner })) };
        HpStatus::Ok
    })
}

/// The number of rules in a set (0 for NULL).
///
/// # Safety
/// `rules` must be NULL or come from `hp_rules_load`/`hp_rules_preset`.
#[no_mangle]
pub unsafe extern "C" fn hp_rules_len(rules: *const HpRules) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || {
        unsafe { rules.as_ref() }.map_or(0, |r| r.inner.rules().len())
    })
}

/// Frees a rule set. NULL is ignored.
///
/// # Safety
/// `rules` must be NULL or come from `hp_rules_load`/`hp_rules_preset`, and
/// not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_rules_free(rules: *mut HpRules) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(rules) });
}

/// Makes a policy: no country, region or mode; descriptions in English.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_policy_new(out: *mut *mut HpPolicy) -> HpStatus {
    guard(|| {
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        // SAFETY: checked non-NULL.
        unsafe {
            write(
                out,
                into_raw(HpPolicy {
                    inner: Policy::new(),
                }),
            )
        };
        HpStatus::Ok
    })
}

/// Which setting of a policy a setter sets.
#[derive(Clone, Copy)]
enum Setting {
    Country,
    Region,
    Mode,
    Language,
}

/// # Safety
/// As the public setters.
unsafe fn policy_set(
    policy: *mut HpPolicy,
    setting: Setting,
    value: *const u8,
    value_len: usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises.
        let (Some(p), Some(bytes)) = (unsafe { policy.as_mut() }, unsafe {
            slice_from(value, value_len)
        }) else {
            return HpStatus::NullArgument;
        };
        let Ok(value) = std::str::from_utf8(bytes) else {
            return HpStatus::InvalidArgument;
        };
        let old = std::mem::take(&mut p.inner);
        p.inner = match setting {
            Setting::Country => old.country(value),
            Setting::Region => old.region(value),
            Setting::Mode => old.mode(value),
            Setting::Language => old.language(value),
        };
        HpStatus::Ok
    })
}

/// Sets the country of arrival (ISO 3166-1 alpha-2, `value_len` bytes of
/// UTF-8), whose acceptance rules apply.
///
/// # Safety
/// `policy` must come from `hp_policy_new` and not be in use by another
/// thread; `value` must point to `value_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_policy_set_country(
    policy: *mut HpPolicy,
    value: *const u8,
    value_len: usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { policy_set(policy, Setting::Country, value, value_len) }
}

/// Sets the region of arrival: rules that name a region apply only there.
///
/// # Safety
/// As `hp_policy_set_country`.
#[no_mangle]
pub unsafe extern "C" fn hp_policy_set_region(
    policy: *mut HpPolicy,
    value: *const u8,
    value_len: usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { policy_set(policy, Setting::Region, value, value_len) }
}

/// Sets the scan mode (a mode of the rule set, e.g. `2g`). A mode the rule
/// set does not have gives results of class `HP_STATUS_REJECTED_BY_RULES`
/// (not evaluated).
///
/// # Safety
/// As `hp_policy_set_country`.
#[no_mangle]
pub unsafe extern "C" fn hp_policy_set_mode(
    policy: *mut HpPolicy,
    value: *const u8,
    value_len: usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { policy_set(policy, Setting::Mode, value, value_len) }
}

/// Sets the language of failed rules' descriptions (fallback `en`).
///
/// # Safety
/// As `hp_policy_set_country`.
#[no_mangle]
pub unsafe extern "C" fn hp_policy_set_language(
    policy: *mut HpPolicy,
    value: *const u8,
    value_len: usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { policy_set(policy, Setting::Language, value, value_len) }
}

/// Frees a policy. NULL is ignored.
///
/// # Safety
/// `policy` must be NULL or come from `hp_policy_new`, and not be used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_policy_free(policy: *mut HpPolicy) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(policy) });
}

// ---------------------------------------------------------------- smart health cards

/// Makes an empty set of SMART Health Card issuers.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_new(out: *mut *mut HpShcIssuers) -> HpStatus {
    guard(|| {
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let issuers = into_raw(HpShcIssuers {
            inner: ShcIssuers::new(),
        });
        // SAFETY: checked non-NULL.
        unsafe { write(out, issuers) };
        HpStatus::Ok
    })
}

/// `len` bytes at `bytes` as UTF-8 text; `None` for NULL.
///
/// # Safety
/// As `slice_from`: `bytes` must be NULL or point to `len` readable bytes
/// that outlive `'a`.
unsafe fn text_of<'a>(bytes: *const u8, len: usize) -> Option<Result<&'a str, HpStatus>> {
    // SAFETY: the caller's promise.
    let data = unsafe { slice_from(bytes, len) }?;
    Some(std::str::from_utf8(data).map_err(|_| HpStatus::InvalidArgument))
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
        // SAFETY: the caller's promises.
        let (Some(issuers), Some(data)) = (unsafe { issuers.as_mut() }, unsafe {
            slice_from(bytes, len)
        }) else {
            return HpStatus::NullArgument;
        };
        match issuers.inner.add_anchors(data) {
            Ok(_) => HpStatus::Ok,
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Adds the ES256 signing keys of an issuer's JWK set (its
/// `.well-known/jwks.json`, UTF-8 JSON), trusted for any `iss` (the kid is
/// the key's thumbprint). All or nothing; `HP_STATUS_INVALID_ARGUMENT` for
/// a set that cannot be read, holds a private key, or a kid that is not its
/// key's thumbprint.
///
/// # Safety
/// `issuers` must come from `hp_shc_issuers_new`; `json` must point to
/// `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_shc_issuers_add_jwks(
    issuers: *mut HpShcIssuers,
    json: *const u8,
    len: usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises.
        let (Some(issuers), Some(text)) =
            (unsafe { issuers.as_mut() }, unsafe { text_of(json, len) })
        else {
            return HpStatus::NullArgument;
        };
        match text.map(|t| issuers.inner.add_jwks(t, None)) {
            Ok(Ok(_)) => HpStatus::Ok,
            Ok(Err(_)) => HpStatus::InvalidArgument,
            Err(status) => status,
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
        // SAFETY: the caller's promises.
        let (Some(issuers), Some(text)) =
            (unsafe { issuers.as_mut() }, unsafe { text_of(json, len) })
        else {
            return HpStatus::NullArgument;
        };
        match text.map(|t| issuers.inner.add_revocation_list(t)) {
            Ok(Ok(_)) => HpStatus::Ok,
            Ok(Err(_)) => HpStatus::InvalidArgument,
            Err(status) => status,
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

/// Makes a verifier like `verifier` that also trusts the SMART Health
/// Cards of `issuers` (copied: it may be freed afterwards). Without it,
/// every card is `HP_STATUS_UNTRUSTED`.
///
/// # Safety
/// `verifier` must come from `hp_verifier_new*`; `issuers` from
/// `hp_shc_issuers_new`; `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_with_shc_issuers(
    verifier: *const HpVerifier,
    issuers: *const HpShcIssuers,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises.
        let (Some(verifier), Some(issuers)) =
            (unsafe { verifier.as_ref() }, unsafe { issuers.as_ref() })
        else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        // SAFETY: checked non-NULL.
        unsafe { derive(verifier, out, |b| b.shc_issuers(issuers.inner.clone())) }
    })
}

// ---------------------------------------------------------------- verifier

/// Builds a verifier from a trust list and, optionally, revocation lists
/// (NULL for none), with a clock skew tolerance in seconds (at most a day).
/// Both are copied: they may be freed afterwards.
///
/// # Safety
/// `trust` must come from `hp_trust_list_new`; `revocation` must be NULL or
/// come from `hp_revocation_new`; `out` must be valid for a write of a
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_new(
    trust: *const HpTrustList,
    revocation: *const HpRevocation,
    clock_skew_secs: u32,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe {
        hp_verifier_new_with_rules(
            trust,
            revocation,
            std::ptr::null(),
            std::ptr::null(),
            clock_skew_secs,
            out,
        )
    }
}

/// As `hp_verifier_new`, with admission rules (NULL for none) and the
/// policy they are applied under (NULL: no country, region or mode;
/// English). With rules, a result is valid only when the rules admit the
/// pass; else its class is `HP_STATUS_REJECTED_BY_RULES`. Everything is
/// copied: the handles may be freed afterwards.
///
/// # Safety
/// As `hp_verifier_new`; `rules` must be NULL or come from
/// `hp_rules_load`/`hp_rules_preset`; `policy` NULL or from
/// `hp_policy_new`.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_new_with_rules(
    trust: *const HpTrustList,
    revocation: *const HpRevocation,
    rules: *const HpRules,
    policy: *const HpPolicy,
    clock_skew_secs: u32,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises.
        let Some(trust) = (unsafe { trust.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let mut builder = Verifier::builder()
            .trust_list(trust.inner.clone())
            .clock_skew_secs(clock_skew_secs);
        if !trust.seal_cas.is_empty() {
            builder = builder.seal_cscas(trust.seal_cas.clone());
        }
        // SAFETY: the caller's promise (NULL allowed).
        if let Some(r) = unsafe { revocation.as_ref() } {
            let lists = r
                .lists
                .iter()
                .cloned()
                .fold(Revocation::new(), Revocation::with_list);
            builder = builder.revocation(lists);
        }
        // SAFETY: the caller's promise (NULL allowed).
        if let Some(r) = unsafe { rules.as_ref() } {
            builder = builder.rules(r.inner.clone());
        }
        // SAFETY: the caller's promise (NULL allowed).
        if let Some(p) = unsafe { policy.as_ref() } {
            builder = builder.policy(p.inner.clone());
        }
        match builder.build() {
            Ok(v) => {
                // SAFETY: checked non-NULL.
                unsafe { write(out, into_raw(HpVerifier { inner: v })) };
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Makes a verifier like `verifier` but for whether passes of the member
/// of form `form` (`HP_FORM_DVC`, `HP_FORM_DDCC_VACCINATION`,
/// `HP_FORM_DDCC_TEST`) may lack an `exp`. By default a DVC may (an ICVP
/// vaccination can be valid for life), a DDCC may not; an EU DCC never
/// may. Such a pass is valid until its own validity ends, or without end.
/// `HP_STATUS_INVALID_ARGUMENT` for any other form number (checked, never
/// cast).
///
/// # Safety
/// `verifier` must come from `hp_verifier_new*`; `out` must be valid for a
/// write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_accept_missing_exp(
    verifier: *const HpVerifier,
    form: i32,
    accept: bool,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(verifier) = (unsafe { verifier.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        let member = match form {
            f if f == HpForm::Dvc as i32 => Member::Dvc,
            f if f == HpForm::DdccVaccination as i32 => Member::DdccVaccination,
            f if f == HpForm::DdccTest as i32 => Member::DdccTest,
            _ => return HpStatus::InvalidArgument,
        };
        // SAFETY: checked non-NULL.
        unsafe { derive(verifier, out, |b| b.accept_missing_exp(member, accept)) }
    })
}

/// Frees a verifier. NULL is ignored.
///
/// # Safety
/// `verifier` must be NULL or come from `hp_verifier_new`, and not be used
/// afterwards (by any thread).
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_free(verifier: *mut HpVerifier) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(verifier) });
}

/// Verifies the text of a pass of any format (`HC1:…`, `LT1:…`, a SMART
/// Health Card `shc:/…`, an ICAO seal `{…}`; `text_len` bytes, no NUL
/// needed; spaces and line ends around it are ignored; an unknown format
/// is `HP_STATUS_UNSUPPORTED`) at `unix_time`
/// (seconds since 1970, UTC). On `HP_STATUS_OK` a result is written to
/// `out`, valid or not: read it with the `hp_result_*` functions and free
/// it with `hp_result_free`. Any bytes are judged: bytes that are not UTF-8
/// give a result whose class is `HP_STATUS_MALFORMED`. With rules, the
/// verifier's policy applies. Thread-safe.
///
/// # Safety
/// `verifier` must come from `hp_verifier_new`; `text` must point to
/// `text_len` readable bytes; `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verify(
    verifier: *const HpVerifier,
    text: *const u8,
    text_len: usize,
    unix_time: i64,
    out: *mut *mut HpResult,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { hp_verify_with(verifier, std::ptr::null(), text, text_len, unix_time, out) }
}

/// As `hp_verify`, with the rules applied under `policy` (NULL: the
/// verifier's own) instead of the verifier's policy: one verifier for
/// several gates. Thread-safe.
///
/// # Safety
/// As `hp_verify`; `policy` must be NULL or come from `hp_policy_new`.
#[no_mangle]
pub unsafe extern "C" fn hp_verify_with(
    verifier: *const HpVerifier,
    policy: *const HpPolicy,
    text: *const u8,
    text_len: usize,
    unix_time: i64,
    out: *mut *mut HpResult,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promises.
        let (Some(verifier), Some(text)) = (unsafe { verifier.as_ref() }, unsafe {
            slice_from(text, text_len)
        }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        // SAFETY: the caller's promise (NULL allowed).
        let policy = unsafe { policy.as_ref() }.map_or(verifier.inner.policy(), |p| &p.inner);
        let now = UnixTime::from_secs(unix_time);
        let result = std::str::from_utf8(text)
            .map_err(|_| Error::NotText)
            .and_then(|text| verifier.inner.verify(text, now));
        let verdict = verifier.inner.verdict_of(&result, now, policy);
        let result = into_raw(HpResult {
            verdict,
            pass: result.ok(),
            payload_json: OnceLock::new(),
        });
        // SAFETY: checked non-NULL.
        unsafe { write(out, result) };
        HpStatus::Ok
    })
}

// ---------------------------------------------------------------- result

/// Whether the pass is valid (false for NULL).
///
/// # Safety
/// `result` must be NULL or come from `hp_verify`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_valid(result: *const HpResult) -> bool {
    // SAFETY: the caller's promise.
    guard_or(false, || {
        unsafe { result.as_ref() }.is_some_and(|r| r.verdict.is_valid())
    })
}

/// The class of the failure, the verdict's `error_kind`
/// (`HP_STATUS_MALFORMED` … `HP_STATUS_INTERNAL`; `hp_status_name` gives
/// its name), `HP_STATUS_OK` for a valid pass, `HP_STATUS_NULL_ARGUMENT`
/// for NULL.
///
/// # Safety
/// `result` must be NULL or come from `hp_verify`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_error_kind(result: *const HpResult) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        match unsafe { result.as_ref() } {
            None => HpStatus::NullArgument,
            Some(r) => r.verdict.error_kind().map_or(HpStatus::Ok, status_of),
        }
    })
}

/// The form of a valid pass; `HP_FORM_NONE` for an invalid one or NULL.
///
/// # Safety
/// `result` must be NULL or come from `hp_verify`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_form(result: *const HpResult) -> HpForm {
    guard_or(HpForm::None, || {
        // SAFETY: the caller's promise.
        match unsafe { result.as_ref() }.and_then(|r| r.verdict.form()) {
            Some(PassForm::Full) => HpForm::Full,
            Some(PassForm::Light) => HpForm::Light,
            Some(PassForm::Exemption) => HpForm::Exemption,
            Some(PassForm::DdccVaccination) => HpForm::DdccVaccination,
            Some(PassForm::DdccTest) => HpForm::DdccTest,
            Some(PassForm::Dvc) => HpForm::Dvc,
            Some(PassForm::Shc) => HpForm::Shc,
            Some(PassForm::IcaoVaccination) => HpForm::IcaoVaccination,
            Some(PassForm::IcaoTest) => HpForm::IcaoTest,
            _ => HpForm::None,
        }
    })
}

/// Until when a valid pass is valid (seconds since 1970).
/// `HP_STATUS_NOT_AVAILABLE` for an invalid pass, and for a valid pass
/// without an end (a DVC without `exp` or `vle`, as the verifier's policy
/// allows).
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_valid_until(result: *const HpResult, out: *mut i64) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(r) = (unsafe { result.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() {
            return HpStatus::NullArgument;
        }
        match r.verdict.valid_until() {
            Some(t) => {
                // SAFETY: checked non-NULL.
                unsafe { write(out, t.as_secs()) };
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

/// Which holder field a string accessor reads.
#[derive(Clone, Copy)]
enum Field {
    Name,
    FamilyName,
    FamilyNameStd,
    GivenName,
    GivenNameStd,
    DateOfBirth,
}

/// # Safety
/// As the public accessors.
unsafe fn holder_field(
    result: *const HpResult,
    field: Field,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(r) = (unsafe { result.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() || out_len.is_null() {
            return HpStatus::NullArgument;
        }
        let Some(h) = r.verdict.holder() else {
            return HpStatus::NotAvailable;
        };
        let value = match field {
            Field::Name => Some(h.name.as_str()),
            Field::FamilyName => h.family_name.as_deref(),
            Field::FamilyNameStd => h.family_name_std.as_deref(),
            Field::GivenName => h.given_name.as_deref(),
            Field::GivenNameStd => h.given_name_std.as_deref(),
            Field::DateOfBirth => Some(h.date_of_birth.as_str()),
        };
        match value {
            Some(s) => {
                // SAFETY: both checked non-NULL; the string lives in `r`.
                unsafe {
                    write(out, s.as_ptr());
                    write(out_len, s.len());
                }
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

/// The holder's name to show: given name(s) then surname(s) as written,
/// each falling back to its standardised form (`<` read as a space) when
/// the pass has only that. Text from the pass: escape control characters
/// before it reaches a display.
///
/// Writes a pointer to UTF-8 bytes (not NUL-terminated, valid until the
/// result is freed) and their length. `HP_STATUS_NOT_AVAILABLE` for an
/// invalid pass.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_name(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::Name, out, out_len) }
}

/// The holder's surname(s) as written (`fn`).
///
/// Writes a pointer to UTF-8 bytes (not NUL-terminated, valid until the
/// result is freed) and their length. `HP_STATUS_NOT_AVAILABLE` for an
/// invalid pass or a field the pass does not carry.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_family_name(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::FamilyName, out, out_len) }
}

/// The holder's standardised surname(s) (`fnt`, ICAO 9303).
///
/// Writes a pointer to UTF-8 bytes (not NUL-terminated, valid until the
/// result is freed) and their length. `HP_STATUS_NOT_AVAILABLE` for an
/// invalid pass or a field the pass does not carry.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_family_name_std(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::FamilyNameStd, out, out_len) }
}

/// The holder's forename(s) as written (`gn`).
///
/// Writes a pointer to UTF-8 bytes (not NUL-terminated, valid until the
/// result is freed) and their length. `HP_STATUS_NOT_AVAILABLE` for an
/// invalid pass or a field the pass does not carry.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_given_name(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::GivenName, out, out_len) }
}

/// The holder's standardised forename(s) (`gnt`).
///
/// Writes a pointer to UTF-8 bytes (not NUL-terminated, valid until the
/// result is freed) and their length. `HP_STATUS_NOT_AVAILABLE` for an
/// invalid pass or a field the pass does not carry.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_given_name_std(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::GivenNameStd, out, out_len) }
}

/// The holder's date of birth as written (`YYYY-MM-DD`, `YYYY-MM`,
/// `YYYY` or empty).
///
/// Writes a pointer to UTF-8 bytes (not NUL-terminated, valid until the
/// result is freed) and their length. `HP_STATUS_NOT_AVAILABLE` for an
/// invalid pass or a field the pass does not carry.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_date_of_birth(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::DateOfBirth, out, out_len) }
}

/// The reason a pass was rejected, in short English (never health data),
/// copied into `buf` (no NUL); empty for a valid pass. On
/// `HP_STATUS_BUFFER_TOO_SMALL` the needed length is in `out_len`.
///
/// # Safety
/// `result` must come from `hp_verify`; `buf` must be valid for `buf_len`
/// bytes of writes (NULL with `buf_len` 0 asks for the length);
/// `out_len` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_reason(
    result: *const HpResult,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(r) = (unsafe { result.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        let reason = r.verdict.reason().unwrap_or_default();
        // SAFETY: the caller's promises on `buf` and `out_len`.
        unsafe { copy_out(reason, buf, buf_len, out_len) }
    })
}

/// **Health data.** The whole payload of a valid pass as JSON, copied into
/// `buf` (no NUL). Ask for it only when the use case needs it.
/// `HP_STATUS_NOT_AVAILABLE` for an invalid pass; `HP_STATUS_INTERNAL` if
/// the payload cannot be given (never an empty text); on
/// `HP_STATUS_BUFFER_TOO_SMALL` the needed length is in `out_len`.
///
/// # Safety
/// As `hp_result_reason`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_payload_json(
    result: *const HpResult,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(r) = (unsafe { result.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        let Some(pass) = &r.pass else {
            return HpStatus::NotAvailable;
        };
        let json = r.payload_json.get_or_init(|| {
            let health = pass.health_json().ok()?;
            serde_json::to_string(&health).ok()
        });
        let Some(json) = json else {
            return HpStatus::Internal;
        };
        // SAFETY: the caller's promises on `buf` and `out_len`.
        unsafe { copy_out(json, buf, buf_len, out_len) }
    })
}

/// What the admission rules decided (`HP_ADMISSION_NO_RULES` for a
/// verifier without rules, and for NULL).
///
/// # Safety
/// `result` must be NULL or come from `hp_verify`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_admission(result: *const HpResult) -> HpAdmission {
    guard_or(HpAdmission::NoRules, || {
        // SAFETY: the caller's promise.
        let Some(a) = unsafe { result.as_ref() }.and_then(|r| r.verdict.admission()) else {
            return HpAdmission::NoRules;
        };
        match a.status() {
            AdmissionStatus::Admitted => HpAdmission::Admitted,
            AdmissionStatus::Refused => HpAdmission::Refused,
            _ => HpAdmission::NotEvaluated,
        }
    })
}

/// The number of rules that failed (0 without rules, and for NULL).
///
/// # Safety
/// `result` must be NULL or come from `hp_verify`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_failed_rule_count(result: *const HpResult) -> usize {
    guard_or(0, || {
        // SAFETY: the caller's promise.
        unsafe { result.as_ref() }
            .and_then(|r| r.verdict.admission())
            .map_or(0, |a| a.failed_rules().len())
    })
}

/// The identifier of the failed rule at `index` (below
/// `hp_result_failed_rule_count`), e.g. `VR-AT-0001`; its description in
/// the policy's language is in `description` (NULL to skip). Pointers to
/// UTF-8 bytes (not NUL-terminated, valid until the result is freed) and
/// their lengths. `HP_STATUS_NOT_AVAILABLE` for an index past the end.
///
/// # Safety
/// `result` must come from `hp_verify`; `id` and `id_len` must be valid for
/// writes; `description` and `description_len` both NULL or both valid for
/// writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_failed_rule(
    result: *const HpResult,
    index: usize,
    id: *mut *const u8,
    id_len: *mut usize,
    description: *mut *const u8,
    description_len: *mut usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(r) = (unsafe { result.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        if id.is_null() || id_len.is_null() || description.is_null() != description_len.is_null() {
            return HpStatus::NullArgument;
        }
        let Some(rule) = r
            .verdict
            .admission()
            .and_then(|a| a.failed_rules().get(index))
        else {
            return HpStatus::NotAvailable;
        };
        // SAFETY: checked non-NULL; the strings live in `r`.
        unsafe {
            write(id, rule.identifier.as_ptr());
            write(id_len, rule.identifier.len());
            if !description.is_null() {
                write(description, rule.description.as_ptr());
                write(description_len, rule.description.len());
            }
        }
        HpStatus::Ok
    })
}

/// The scan mode's outcome (`SUCCESS`, `INVALID`, `IS_LIGHT`, …): a
/// pointer to UTF-8 bytes (valid until the result is freed) and their
/// length. `HP_STATUS_NOT_AVAILABLE` when no mode was evaluated.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` and `out_len` must be valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn hp_result_mode_result(
    result: *const HpResult,
    out: *mut *const u8,
    out_len: *mut usize,
) -> HpStatus {
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(r) = (unsafe { result.as_ref() }) else {
            return HpStatus::NullArgument;
        };
        if out.is_null() || out_len.is_null() {
            return HpStatus::NullArgument;
        }
        let Some(mode) = r.verdict.admission().and_then(|a| a.mode_result()) else {
            return HpStatus::NotAvailable;
        };
        // SAFETY: checked non-NULL; the string lives in `r`.
        unsafe {
            write(out, mode.as_ptr());
            write(out_len, mode.len());
        }
        HpStatus::Ok
    })
}

/// Frees a result. NULL is ignored.
///
/// # Safety
/// `result` must be NULL or come from `hp_verify`, and not be used
/// afterwards (nor the strings read from it).
#[no_mangle]
pub unsafe extern "C" fn hp_result_free(result: *mut HpResult) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(result) });
}

// ---------------------------------------------------------------- status

/// The status with this number, if there is one.
fn status_from(n: i32) -> Option<HpStatus> {
    const ALL: [HpStatus; 15] = [
        HpStatus::Ok,
        HpStatus::NullArgument,
        HpStatus::InvalidArgument,
        HpStatus::BufferTooSmall,
        HpStatus::Panic,
        HpStatus::NotAvailable,
        HpStatus::Malformed,
        HpStatus::Unsupported,
        HpStatus::Untrusted,
        HpStatus::BadSignature,
        HpStatus::NotYetValid,
        HpStatus::Expired,
        HpStatus::Revoked,
        HpStatus::Internal,
        HpStatus::RejectedByRules,
    ];
    ALL.into_iter().find(|s| *s as i32 == n)
}

/// A short stable name for a status number (`"ok"`, `"expired"`,
/// `"bad_signature"`, …; the verdict classes are the `error_kind` of the
/// command line's JSON and the JS verdict); `"unknown"` for a number that
/// is no status. Static, NUL-terminated: never freed.
#[no_mangle]
pub extern "C" fn hp_status_name(status: i32) -> *const std::ffi::c_char {
    let s: &'static [u8] = match status_from(status) {
        Some(HpStatus::Ok) => b"ok\0",
        Some(HpStatus::NullArgument) => b"null_argument\0",
        Some(HpStatus::InvalidArgument) => b"invalid_argument\0",
        Some(HpStatus::BufferTooSmall) => b"buffer_too_small\0",
        Some(HpStatus::Panic) => b"panic\0",
        Some(HpStatus::NotAvailable) => b"not_available\0",
        Some(HpStatus::Malformed) => b"malformed\0",
        Some(HpStatus::Unsupported) => b"unsupported\0",
        Some(HpStatus::Untrusted) => b"untrusted\0",
        Some(HpStatus::BadSignature) => b"bad_signature\0",
        Some(HpStatus::NotYetValid) => b"not_yet_valid\0",
        Some(HpStatus::Expired) => b"expired\0",
        Some(HpStatus::Revoked) => b"revoked\0",
        Some(HpStatus::Internal) => b"internal\0",
        Some(HpStatus::RejectedByRules) => b"rejected_by_rules\0",
        None => b"unknown\0",
    };
    s.as_ptr().cast()
}

/// A sentence describing a status number, copied into `buf` (no NUL);
/// "unknown status" for a number that is no status. On
/// `HP_STATUS_BUFFER_TOO_SMALL` the needed length is in `out_len`.
///
/// # Safety
/// `buf` must be valid for `buf_len` bytes of writes (NULL with `buf_len`
/// 0 asks for the length); `out_len` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_status_message(
    status: i32,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> HpStatus {
    let text = match status_from(status) {
        Some(HpStatus::Ok) => "success",
        Some(HpStatus::NullArgument) => "a required pointer argument was NULL",
        Some(HpStatus::InvalidArgument) => "an argument is not acceptable",
        Some(HpStatus::BufferTooSmall) => "the buffer is too small",
        Some(HpStatus::Panic) => "internal error (panic) in healthpass",
        Some(HpStatus::NotAvailable) => "the value is not available",
        Some(HpStatus::Malformed) => "the pass is malformed",
        Some(HpStatus::Unsupported) => "the pass uses something not supported",
        Some(HpStatus::Untrusted) => "no trusted signer vouches for the pass",
        Some(HpStatus::BadSignature) => "the signature does not verify",
        Some(HpStatus::NotYetValid) => "the pass is not valid yet",
        Some(HpStatus::Expired) => "the pass has expired",
        Some(HpStatus::Revoked) => "the pass has been revoked",
        Some(HpStatus::Internal) => "internal error",
        Some(HpStatus::RejectedByRules) => "the admission rules do not admit the pass",
        None => "unknown status",
    };
    // SAFETY: the caller's promises.
    guard(|| unsafe { copy_out(text, buf, buf_len, out_len) })
}

/// The library version (static, NUL-terminated: never freed).
#[no_mangle]
pub extern "C" fn hp_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status() {
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        assert_eq!(guard(|| panic!("bug")), HpStatus::Panic);
        assert!(!guard_or(false, || panic!("bug")));
        std::panic::set_hook(quiet);
    }

    #[test]
    fn copy_out_follows_the_buffer_protocol() {
        let mut buf = [0u8; 4];
        let mut len = 0usize;
        unsafe {
            assert_eq!(
                copy_out("abcdef", buf.as_mut_ptr(), 4, &mut len),
                HpStatus::BufferTooSmall
            );
            assert_eq!((len, buf), (6, [0; 4]));
            assert_eq!(copy_out("abc", buf.as_mut_ptr(), 4, &mut len), HpStatus::Ok);
            assert_eq!((len, &buf[..3]), (3, b"abc".as_slice()));
            assert_eq!(copy_out("", ptr_null(), 0, &mut len), HpStatus::Ok);
            assert_eq!(len, 0);
            assert_eq!(
                copy_out("x", ptr_null(), 0, &mut len),
                HpStatus::BufferTooSmall
            );
            assert_eq!(
                copy_out("x", ptr_null(), 1, &mut len),
                HpStatus::NullArgument
            );
            assert_eq!(
                copy_out("x", buf.as_mut_ptr(), 1, std::ptr::null_mut()),
                HpStatus::NullArgument
            );
        }
    }

    fn ptr_null() -> *mut u8 {
        std::ptr::null_mut()
    }

    #[test]
    fn status_names_are_nul_terminated() {
        for s in [
            HpStatus::Ok,
            HpStatus::Expired,
            HpStatus::Revoked,
            HpStatus::Panic,
        ] {
            let name = unsafe { std::ffi::CStr::from_ptr(hp_status_name(s as i32)) };
            assert!(!name.to_bytes().is_empty());
            assert_eq!(status_from(s as i32), Some(s));
        }
        for unknown in [-1, 6, 99, 109, i32::MAX, i32::MIN] {
            let name = unsafe { std::ffi::CStr::from_ptr(hp_status_name(unknown)) };
            assert_eq!(name.to_bytes(), b"unknown");
        }
        let v = unsafe { std::ffi::CStr::from_ptr(hp_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
