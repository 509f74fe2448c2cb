//! `hp_revocation`: signed revocation lists a verifier checks passes
//! against.

use healthpass::revocation::{RevocationList, RevocationListLoader};
use healthpass::UnixTime;

use crate::boundary::{drop_raw, guard, guard_or, into_raw};
use crate::status::HpStatus;
use crate::trust::HpTrustList;

/// Revocation lists (opaque).
pub struct HpRevocation {
    pub(crate) lists: Vec<RevocationList>,
}

/// Makes an empty set of revocation lists.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_revocation_new(out: *mut *mut HpRevocation) -> HpStatus {
    guard(|| {
        arg_out!(out).set(into_raw(HpRevocation { lists: Vec::new() }));
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
        let revocation = arg_mut!(revocation);
        let anchors = arg_ref!(anchors);
        let data = arg_bytes!(bytes, len);
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
