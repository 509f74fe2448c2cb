//! `hp_result`: the verdict on one pass — valid or not, the error class and
//! reason, the holder, valid-until, what the rules decided — and, only on
//! request, the health data. Every string is an `hp_str` borrowed from the
//! result (valid until `hp_result_free`).

use std::sync::OnceLock;

use healthpass::rules::AdmissionStatus;
use healthpass::{AnyPass, PassForm, Verdict};

use crate::boundary::{drop_raw, guard, guard_or, HpStr, Out};
use crate::status::{status_of, HpStatus};

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

/// The verdict on one pass (opaque).
pub struct HpResult {
    pub(crate) verdict: Verdict,
    pub(crate) pass: Option<AnyPass>,
    /// The payload as JSON, made on the first request.
    pub(crate) payload_json: OnceLock<Option<String>>,
    /// When the verifier's trust data was last brought up to date.
    pub(crate) trust_as_of: Option<healthpass::UnixTime>,
}

/// Writes `text` as a borrowed string, or `HP_STATUS_NOT_AVAILABLE`.
fn give(out: Out<HpStr>, text: Option<&str>) -> HpStatus {
    match text {
        Some(s) => {
            out.set(HpStr::borrowed(s));
            HpStatus::Ok
        }
        None => HpStatus::NotAvailable,
    }
}

/// When the trust data this verdict used was last brought up to date (Unix
/// seconds, the caller's time of the store's oldest sync: a verifier from
/// `hp_verifier_from_store`); `HP_STATUS_NOT_AVAILABLE` for a verifier
/// whose trust was given directly.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write of
/// an `int64_t`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_trust_as_of(result: *const HpResult, out: *mut i64) -> HpStatus {
    guard(|| {
        let result = arg_ref!(result);
        let out = arg_out!(out);
        match result.trust_as_of {
            Some(t) => {
                out.set(t.as_secs());
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

/// For a valid pass accepted on outdated trust data (a verifier made with
/// `hp_verifier_accept_outdated_trust`), since when the data is outdated
/// (Unix seconds): show it to the person checking.
/// `HP_STATUS_NOT_AVAILABLE` otherwise.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write of
/// an `int64_t`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_trust_outdated_since(
    result: *const HpResult,
    out: *mut i64,
) -> HpStatus {
    guard(|| {
        let result = arg_ref!(result);
        let out = arg_out!(out);
        match result.verdict.trust_outdated_since() {
            Some(t) => {
                out.set(t.as_secs());
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

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
        let r = arg_ref!(result);
        r.verdict.error_kind().map_or(HpStatus::Ok, status_of)
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
        let r = arg_ref!(result);
        let out = arg_out!(out);
        match r.verdict.valid_until() {
            Some(t) => {
                out.set(t.as_secs());
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
unsafe fn holder_field(result: *const HpResult, field: Field, out: *mut HpStr) -> HpStatus {
    guard(|| {
        let r = arg_ref!(result);
        let out = arg_out!(out);
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
        give(out, value)
    })
}

/// The holder's name to show: given name(s) then surname(s) as written,
/// each falling back to its standardised form (`<` read as a space) when
/// the pass has only that. Text from the pass: escape control characters
/// before it reaches a display. `HP_STATUS_NOT_AVAILABLE` for an invalid
/// pass.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_name(result: *const HpResult, out: *mut HpStr) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::Name, out) }
}

/// The holder's surname(s) as written (`fn`). `HP_STATUS_NOT_AVAILABLE`
/// for an invalid pass or a field the pass does not carry.
///
/// # Safety
/// As `hp_result_name`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_family_name(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::FamilyName, out) }
}

/// The holder's standardised surname(s) (`fnt`, ICAO 9303).
/// `HP_STATUS_NOT_AVAILABLE` for an invalid pass or a field the pass does
/// not carry.
///
/// # Safety
/// As `hp_result_name`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_family_name_std(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::FamilyNameStd, out) }
}

/// The holder's forename(s) as written (`gn`). `HP_STATUS_NOT_AVAILABLE`
/// for an invalid pass or a field the pass does not carry.
///
/// # Safety
/// As `hp_result_name`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_given_name(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::GivenName, out) }
}

/// The holder's standardised forename(s) (`gnt`).
/// `HP_STATUS_NOT_AVAILABLE` for an invalid pass or a field the pass does
/// not carry.
///
/// # Safety
/// As `hp_result_name`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_given_name_std(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::GivenNameStd, out) }
}

/// The holder's date of birth as written (`YYYY-MM-DD`, `YYYY-MM`,
/// `YYYY` or empty). `HP_STATUS_NOT_AVAILABLE` for an invalid pass.
///
/// # Safety
/// As `hp_result_name`.
#[no_mangle]
pub unsafe extern "C" fn hp_result_date_of_birth(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    // SAFETY: forwarded.
    unsafe { holder_field(result, Field::DateOfBirth, out) }
}

/// The issuer a valid SMART Health Card names (`iss`: the URL its key is
/// bound to); text from the pass, escape it to show it.
/// `HP_STATUS_NOT_AVAILABLE` for other passes and invalid ones.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_issuer(result: *const HpResult, out: *mut HpStr) -> HpStatus {
    guard(|| {
        let r = arg_ref!(result);
        let out = arg_out!(out);
        match r.verdict.issuer() {
            Some(iss) => {
                out.set(HpStr::borrowed(iss));
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

/// The reason a pass was rejected, in short English (never health data);
/// empty for a valid pass.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_reason(result: *const HpResult, out: *mut HpStr) -> HpStatus {
    guard(|| {
        let r = arg_ref!(result);
        let out = arg_out!(out);
        out.set(r.verdict.reason().map_or(HpStr::EMPTY, HpStr::borrowed));
        HpStatus::Ok
    })
}

/// **Health data.** The whole payload of a valid pass as JSON (made on the
/// first request, kept in the result). Ask for it only when the use case
/// needs it. `HP_STATUS_NOT_AVAILABLE` for an invalid pass;
/// `HP_STATUS_INTERNAL` if the payload cannot be given (never an empty
/// text).
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_payload_json(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let r = arg_ref!(result);
        let out = arg_out!(out);
        let Some(pass) = &r.pass else {
            return HpStatus::NotAvailable;
        };
        let json = r.payload_json.get_or_init(|| {
            let health = pass.health_json().ok()?;
            serde_json::to_string(&health).ok()
        });
        match json {
            Some(json) => {
                out.set(HpStr::borrowed(json));
                HpStatus::Ok
            }
            None => HpStatus::Internal,
        }
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
/// `hp_result_failed_rule_count`), e.g. `VR-AT-0001`, and its description
/// in the policy's language (`description` may be NULL to skip it).
/// `HP_STATUS_NOT_AVAILABLE` for an index past the end.
///
/// # Safety
/// `result` must come from `hp_verify`; `id` must be valid for a write;
/// `description` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_failed_rule(
    result: *const HpResult,
    index: usize,
    id: *mut HpStr,
    description: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let r = arg_ref!(result);
        let id = arg_out!(id);
        let Some(rule) = r
            .verdict
            .admission()
            .and_then(|a| a.failed_rules().get(index))
        else {
            return HpStatus::NotAvailable;
        };
        id.set(HpStr::borrowed(&rule.identifier));
        if let Some(description) = Out::new(description) {
            description.set(HpStr::borrowed(&rule.description));
        }
        HpStatus::Ok
    })
}

/// The scan mode's outcome (`SUCCESS`, `INVALID`, `IS_LIGHT`, …).
/// `HP_STATUS_NOT_AVAILABLE` when no mode was evaluated.
///
/// # Safety
/// `result` must come from `hp_verify`; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_result_mode_result(
    result: *const HpResult,
    out: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let r = arg_ref!(result);
        let out = arg_out!(out);
        give(out, r.verdict.admission().and_then(|a| a.mode_result()))
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
