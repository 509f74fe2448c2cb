//! `hp_rules` (CertLogic admission rules or a built-in preset) and
//! `hp_policy` (where and how they are applied).

use healthpass::rules::{Policy, RuleSet, RuleSetLoader};
use healthpass::UnixTime;

use crate::boundary::{drop_raw, guard, guard_or, into_raw};
use crate::status::HpStatus;
use crate::trust::HpTrustList;

/// Admission rules (opaque): CertLogic rules or a built-in preset.
pub struct HpRules {
    pub(crate) inner: RuleSet,
}

/// Where and how passes are checked (opaque): country of arrival, region,
/// scan mode, language of rule descriptions.
pub struct HpPolicy {
    pub(crate) inner: Policy,
}

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
        let text = arg_str!(json, json_len);
        let out = arg_out!(out);
        match RuleSet::from_json(text) {
            Ok(inner) => {
                out.set(into_raw(HpRules { inner }));
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Loads a signed rule set (from `healthpass rules build`, or any
/// publisher of the format), verified at `unix_time` against `anchors` (the
/// certificates that sign rule sets, never the pass signers): the way to
/// take rules from a file that someone else could replace. `min_sequence`
/// is the last sequence number you accepted (0 on a first start): an older
/// set is refused. A set past its expiry loads, and then admits nobody
/// (verdicts `HP_STATUS_REJECTED_BY_RULES`). Anything else — an unsigned
/// file, another signer, a changed byte — gives
/// `HP_STATUS_INVALID_ARGUMENT` and nothing is written.
///
/// # Safety
/// `anchors` must come from `hp_trust_list_new`; `bytes` must point to
/// `len` readable bytes; `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_rules_load_signed(
    anchors: *const HpTrustList,
    bytes: *const u8,
    len: usize,
    unix_time: i64,
    min_sequence: u64,
    out: *mut *mut HpRules,
) -> HpStatus {
    guard(|| {
        let anchors = arg_ref!(anchors);
        let data = arg_bytes!(bytes, len);
        let out = arg_out!(out);
        let loader = RuleSetLoader::new(anchors.inner.clone()).min_sequence(min_sequence);
        match loader.load(data, UnixTime::from_secs(unix_time)) {
            Ok(inner) => {
                out.set(into_raw(HpRules { inner }));
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
        let name = arg_str!(name, name_len);
        let out = arg_out!(out);
        match RuleSet::preset(name) {
            Ok(inner) => {
                out.set(into_raw(HpRules { inner }));
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// The number of rules in a set (0 for NULL).
///
/// # Safety
/// `rules` must be NULL or come from `hp_rules_load`, `hp_rules_load_signed`
/// or `hp_rules_preset`.
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
/// `rules` must be NULL or come from `hp_rules_load`, `hp_rules_load_signed`
/// or `hp_rules_preset`, and
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
        arg_out!(out).set(into_raw(HpPolicy {
            inner: Policy::new(),
        }));
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
        let p = arg_mut!(policy);
        let value = arg_str!(value, value_len);
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
