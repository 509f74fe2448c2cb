//! The status every call returns, the verdict classes among them, and
//! their names.

use healthpass::ErrorKind;

use crate::boundary::HpStr;

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
    /// No longer returned (strings are handed out as `hp_str`, never copied
    /// into a caller's buffer); the number stays reserved.
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

/// The status of a verdict's error class.
pub(crate) fn status_of(kind: ErrorKind) -> HpStatus {
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
/// is no status. Static (and NUL-terminated).
#[no_mangle]
pub extern "C" fn hp_status_name(status: i32) -> HpStr {
    HpStr::static_nul(match status_from(status) {
        Some(HpStatus::Ok) => "ok\0",
        Some(HpStatus::NullArgument) => "null_argument\0",
        Some(HpStatus::InvalidArgument) => "invalid_argument\0",
        Some(HpStatus::BufferTooSmall) => "buffer_too_small\0",
        Some(HpStatus::Panic) => "panic\0",
        Some(HpStatus::NotAvailable) => "not_available\0",
        Some(HpStatus::Malformed) => "malformed\0",
        Some(HpStatus::Unsupported) => "unsupported\0",
        Some(HpStatus::Untrusted) => "untrusted\0",
        Some(HpStatus::BadSignature) => "bad_signature\0",
        Some(HpStatus::NotYetValid) => "not_yet_valid\0",
        Some(HpStatus::Expired) => "expired\0",
        Some(HpStatus::Revoked) => "revoked\0",
        Some(HpStatus::Internal) => "internal\0",
        Some(HpStatus::RejectedByRules) => "rejected_by_rules\0",
        None => "unknown\0",
    })
}

/// A sentence describing a status number; "unknown status" for a number
/// that is no status. Static (and NUL-terminated).
#[no_mangle]
pub extern "C" fn hp_status_message(status: i32) -> HpStr {
    HpStr::static_nul(match status_from(status) {
        Some(HpStatus::Ok) => "success\0",
        Some(HpStatus::NullArgument) => "a required pointer argument was NULL\0",
        Some(HpStatus::InvalidArgument) => "an argument is not acceptable\0",
        Some(HpStatus::BufferTooSmall) => "the buffer is too small\0",
        Some(HpStatus::Panic) => "internal error (panic) in healthpass\0",
        Some(HpStatus::NotAvailable) => "the value is not available\0",
        Some(HpStatus::Malformed) => "the pass is malformed\0",
        Some(HpStatus::Unsupported) => "the pass uses something not supported\0",
        Some(HpStatus::Untrusted) => "no trusted signer vouches for the pass\0",
        Some(HpStatus::BadSignature) => "the signature does not verify\0",
        Some(HpStatus::NotYetValid) => "the pass is not valid yet\0",
        Some(HpStatus::Expired) => "the pass has expired\0",
        Some(HpStatus::Revoked) => "the pass has been revoked\0",
        Some(HpStatus::Internal) => "internal error\0",
        Some(HpStatus::RejectedByRules) => "the admission rules do not admit the pass\0",
        None => "unknown status\0",
    })
}

/// The library version. Static (and NUL-terminated).
#[no_mangle]
pub extern "C" fn hp_version() -> HpStr {
    HpStr::static_nul(concat!(env!("CARGO_PKG_VERSION"), "\0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: HpStr) -> &'static str {
        // SAFETY: statics of `len` bytes followed by a NUL.
        let bytes = unsafe { std::slice::from_raw_parts(s.ptr, s.len + 1) };
        assert_eq!(bytes.last(), Some(&0));
        std::str::from_utf8(&bytes[..s.len]).unwrap()
    }

    #[test]
    fn status_names_are_static_and_unknown_numbers_named_so() {
        for s in [
            HpStatus::Ok,
            HpStatus::Expired,
            HpStatus::Revoked,
            HpStatus::Panic,
        ] {
            assert!(!text(hp_status_name(s as i32)).is_empty());
            assert_eq!(status_from(s as i32), Some(s));
        }
        assert_eq!(text(hp_status_name(HpStatus::Expired as i32)), "expired");
        for unknown in [-1, 6, 99, 109, i32::MAX, i32::MIN] {
            assert_eq!(text(hp_status_name(unknown)), "unknown");
            assert_eq!(text(hp_status_message(unknown)), "unknown status");
        }
        assert_eq!(text(hp_version()), env!("CARGO_PKG_VERSION"));
    }
}
