//! `hp_verifier`: built once from trust, revocation lists and rules, then
//! immutable and shared by any number of threads; a verifier that differs
//! in one setting is derived from it (a new handle), never changed in
//! place. `hp_verify` reads a pass of any format.

use std::sync::OnceLock;

use healthpass::payload::Member;
use healthpass::revocation::Revocation;
use healthpass::{Error, UnixTime, Verifier, VerifierBuilder};

use crate::boundary::{drop_raw, guard, guard_or, into_raw, Out};
use crate::result::HpResult;
use crate::revocation::HpRevocation;
use crate::rules::{HpPolicy, HpRules};
use crate::shc::HpShcIssuers;
use crate::status::HpStatus;
use crate::trust::HpTrustList;

/// A verifier (opaque). Immutable once built; shareable between threads.
pub struct HpVerifier {
    pub(crate) inner: Verifier,
}

/// A member of the HCERT family, for the settings that differ by member.
/// Taken from C as an `int32_t` and checked, never cast.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HpMember {
    /// The EU Digital COVID Certificate (and its light and exemption passes).
    EuDcc = 0,
    /// A WHO DDCC, vaccination status.
    DdccVaccination = 1,
    /// A WHO DDCC, test result.
    DdccTest = 2,
    /// A Digital Vaccination Certificate (ICVP).
    Dvc = 3,
}

/// The member with this number, if there is one.
fn member_from(n: i32) -> Option<Member> {
    [
        (HpMember::EuDcc, Member::EuDcc),
        (HpMember::DdccVaccination, Member::DdccVaccination),
        (HpMember::DdccTest, Member::DdccTest),
        (HpMember::Dvc, Member::Dvc),
    ]
    .into_iter()
    .find(|(m, _)| *m as i32 == n)
    .map(|(_, member)| member)
}

/// Writes a built verifier to `out`; `HP_STATUS_INVALID_ARGUMENT` if the
/// builder refuses.
fn build(builder: VerifierBuilder, out: Out<*mut HpVerifier>) -> HpStatus {
    match builder.build() {
        Ok(inner) => {
            out.set(into_raw(HpVerifier { inner }));
            HpStatus::Ok
        }
        Err(_) => HpStatus::InvalidArgument,
    }
}

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
        let trust = arg_ref!(trust);
        let out = arg_out!(out);
        let mut builder = Verifier::builder()
            .trust_list(trust.inner.clone())
            .clock_skew_secs(clock_skew_secs);
        if !trust.seal_cas.is_empty() {
            builder = builder.seal_cscas(trust.seal_cas.clone());
        }
        // SAFETY: NULL or a live handle (the caller's promise).
        if let Some(r) = unsafe { revocation.as_ref() } {
            let lists = r
                .lists
                .iter()
                .cloned()
                .fold(Revocation::new(), Revocation::with_list);
            builder = builder.revocation(lists);
        }
        // SAFETY: NULL or a live handle (the caller's promise).
        if let Some(r) = unsafe { rules.as_ref() } {
            builder = builder.rules(r.inner.clone());
        }
        // SAFETY: NULL or a live handle (the caller's promise).
        if let Some(p) = unsafe { policy.as_ref() } {
            builder = builder.policy(p.inner.clone());
        }
        build(builder, out)
    })
}

/// Makes a verifier like `verifier` but for whether passes of `member`
/// (`HP_MEMBER_DVC`, `HP_MEMBER_DDCC_VACCINATION`, `HP_MEMBER_DDCC_TEST`)
/// may lack an `exp`. By default a DVC may (an ICVP vaccination can be
/// valid for life), a DDCC may not; an EU DCC never may
/// (`HP_MEMBER_EU_DCC` with `accept` gives `HP_STATUS_INVALID_ARGUMENT`).
/// Such a pass is valid until its own validity ends, or without end.
/// `HP_STATUS_INVALID_ARGUMENT` for any other member number (checked,
/// never cast). `verifier` is unchanged.
///
/// # Safety
/// `verifier` must come from `hp_verifier_new*`; `out` must be valid for a
/// write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_accept_missing_exp(
    verifier: *const HpVerifier,
    member: i32,
    accept: bool,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        let verifier = arg_ref!(verifier);
        let out = arg_out!(out);
        let Some(member) = member_from(member) else {
            return HpStatus::InvalidArgument;
        };
        build(
            verifier
                .inner
                .to_builder()
                .accept_missing_exp(member, accept),
            out,
        )
    })
}

/// Makes a verifier like `verifier` but for its policy on outdated trust
/// data (`hp_verifier_from_store`'s `max_age_secs`): with `accept`, passes
/// are still verified once the trust data is past its allowance, and a
/// valid result says since when it is outdated
/// (`hp_result_trust_outdated_since`); without (the default), every pass is
/// `HP_STATUS_UNTRUSTED`. `verifier` is unchanged.
///
/// # Safety
/// `verifier` must come from `hp_verifier_new*` or `hp_verifier_from_store`;
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_accept_outdated_trust(
    verifier: *const HpVerifier,
    accept: bool,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        let verifier = arg_ref!(verifier);
        let out = arg_out!(out);
        build(
            verifier.inner.to_builder().accept_outdated_trust(accept),
            out,
        )
    })
}

/// Makes a verifier like `verifier` that also trusts the SMART Health
/// Cards of `issuers` (copied: it may be freed afterwards). Without it,
/// every card is `HP_STATUS_UNTRUSTED`. `verifier` is unchanged.
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
        let verifier = arg_ref!(verifier);
        let issuers = arg_ref!(issuers);
        let out = arg_out!(out);
        build(
            verifier
                .inner
                .to_builder()
                .shc_issuers(issuers.inner.clone()),
            out,
        )
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
        let verifier = arg_ref!(verifier);
        let text = arg_bytes!(text, text_len);
        let out = arg_out!(out);
        // SAFETY: NULL or a live handle (the caller's promise).
        let policy = unsafe { policy.as_ref() }.map_or(verifier.inner.policy(), |p| &p.inner);
        let now = UnixTime::from_secs(unix_time);
        let result = std::str::from_utf8(text)
            .map_err(|_| Error::NotText)
            .and_then(|text| verifier.inner.verify(text, now));
        let verdict = verifier.inner.verdict_of(&result, now, policy);
        out.set(into_raw(HpResult {
            verdict,
            pass: result.ok(),
            payload_json: OnceLock::new(),
            trust_as_of: verifier.inner.trust_data_as_of(),
        }));
        HpStatus::Ok
    })
}
