//! The boundary with C: panics stopped at the edge, pointers checked before
//! use, handles moved to and from the heap, and the one way strings are
//! handed out ([`HpStr`]). The `unsafe` of the crate lives here and in the
//! one-line uses of these helpers.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::status::HpStatus;

/// A string handed to C: a pointer to UTF-8 bytes and their length, not
/// NUL-terminated, **borrowed** — from the handle it was read from (valid
/// until that handle is freed) or static (valid forever; static strings
/// also end in a NUL, so they can be printed with `%s`). Never freed by
/// the caller. An empty string may have a NULL pointer.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct HpStr {
    /// The first byte.
    pub ptr: *const u8,
    /// The number of bytes.
    pub len: usize,
}

impl HpStr {
    /// A borrowed string: the caller keeps `text` alive as long as C may
    /// read it.
    pub(crate) fn borrowed(text: &str) -> HpStr {
        HpStr {
            ptr: text.as_ptr(),
            len: text.len(),
        }
    }

    /// A static string with a NUL after its last byte (`text` ends in
    /// `\0`, which `len` does not count).
    pub(crate) fn static_nul(text: &'static str) -> HpStr {
        HpStr {
            ptr: text.as_ptr(),
            len: text.len().saturating_sub(1),
        }
    }

    /// The empty string.
    pub(crate) const EMPTY: HpStr = HpStr {
        ptr: c"".as_ptr().cast(),
        len: 0,
    };
}

/// Runs `f`, turning a panic into `HP_STATUS_PANIC`.
pub(crate) fn guard(f: impl FnOnce() -> HpStatus) -> HpStatus {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(HpStatus::Panic)
}

/// Runs `f`, turning a panic into `default`.
pub(crate) fn guard_or<T>(default: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}

/// A byte slice from a pointer and a length; `None` for a NULL pointer.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes that stay valid and
/// unchanged for the returned lifetime.
pub(crate) unsafe fn slice_from<'a>(ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes.
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An output pointer C gave, checked non-NULL: written once, on success.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    /// `None` for NULL.
    pub(crate) fn new(ptr: *mut T) -> Option<Self> {
        (!ptr.is_null()).then_some(Out(ptr))
    }

    /// Writes `value` (the caller of the C function promised the pointer
    /// is valid for a write of `T`).
    pub(crate) fn set(self, value: T) {
        // SAFETY: non-NULL (checked in `new`), and valid for a write: the
        // promise every public function documents for its outputs.
        unsafe { self.0.write(value) }
    }
}

/// Moves a value to the heap and hands its pointer to C.
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a value handed to C; NULL is ignored.
///
/// # Safety
/// `ptr` must be NULL or come from `into_raw::<T>` and not be used again.
pub(crate) unsafe fn drop_raw<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: made by `Box::into_raw` of a `T`, freed once (the caller's
        // promise).
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// A handle argument as `&T`, or return `HP_STATUS_NULL_ARGUMENT`.
/// (The caller of the C function promised it came from this library.)
macro_rules! arg_ref {
    ($ptr:expr) => {
        // SAFETY: NULL or a live handle of this type: the documented promise.
        match unsafe { $ptr.as_ref() } {
            Some(r) => r,
            None => return $crate::status::HpStatus::NullArgument,
        }
    };
}

/// A handle argument as `&mut T`, or return `HP_STATUS_NULL_ARGUMENT`.
macro_rules! arg_mut {
    ($ptr:expr) => {
        // SAFETY: NULL or a live handle, not in use elsewhere: the promise.
        match unsafe { $ptr.as_mut() } {
            Some(r) => r,
            None => return $crate::status::HpStatus::NullArgument,
        }
    };
}

/// A `(pointer, length)` argument as `&[u8]`, or return
/// `HP_STATUS_NULL_ARGUMENT`.
macro_rules! arg_bytes {
    ($ptr:expr, $len:expr) => {
        // SAFETY: NULL or `len` readable bytes: the documented promise.
        match unsafe { $crate::boundary::slice_from($ptr, $len) } {
            Some(b) => b,
            None => return $crate::status::HpStatus::NullArgument,
        }
    };
}

/// A `(pointer, length)` argument as UTF-8 `&str`: NULL gives
/// `HP_STATUS_NULL_ARGUMENT`, bytes that are not UTF-8
/// `HP_STATUS_INVALID_ARGUMENT`.
macro_rules! arg_str {
    ($ptr:expr, $len:expr) => {
        match std::str::from_utf8(arg_bytes!($ptr, $len)) {
            Ok(s) => s,
            Err(_) => return $crate::status::HpStatus::InvalidArgument,
        }
    };
}

/// An output pointer, checked: an [`Out`], or return
/// `HP_STATUS_NULL_ARGUMENT`.
macro_rules! arg_out {
    ($ptr:expr) => {
        match $crate::boundary::Out::new($ptr) {
            Some(o) => o,
            None => return $crate::status::HpStatus::NullArgument,
        }
    };
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
    fn strings_borrow_and_statics_end_in_nul() {
        let owned = String::from("abc");
        let s = HpStr::borrowed(&owned);
        assert_eq!((s.ptr, s.len), (owned.as_ptr(), 3));
        let st = HpStr::static_nul("ok\0");
        assert_eq!(st.len, 2);
        // SAFETY: a static of three bytes.
        assert_eq!(unsafe { std::slice::from_raw_parts(st.ptr, 3) }, b"ok\0");
        assert_eq!(HpStr::EMPTY.len, 0);
        assert!(Out::<u8>::new(std::ptr::null_mut()).is_none());
    }
}
