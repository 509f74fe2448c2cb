//! `hp_trust_list`: the signers a verifier trusts — certificate files,
//! signed trust lists, WHO GDHCN DID lists — and the country CAs ICAO seal
//! signers may chain to.

use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};
use healthpass::trust::signed_list::TrustListLoader;
use healthpass::trust::CscaList;
use healthpass::{TrustList, UnixTime};

use crate::boundary::{drop_raw, guard, guard_or, into_raw};
use crate::status::HpStatus;

/// Trusted signer certificates, and the country signing CAs ICAO seal
/// signers may chain to (opaque).
pub struct HpTrustList {
    pub(crate) inner: TrustList,
    pub(crate) seal_cas: CscaList,
}

impl HpTrustList {
    fn of(inner: TrustList) -> *mut HpTrustList {
        into_raw(HpTrustList {
            inner,
            seal_cas: CscaList::new(),
        })
    }
}

/// Makes an empty trust list.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_new(out: *mut *mut HpTrustList) -> HpStatus {
    guard(|| {
        arg_out!(out).set(HpTrustList::of(TrustList::new()));
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
        let data = arg_bytes!(csca, csca_len);
        let out = arg_out!(out);
        let mut cscas = CscaList::new();
        if cscas.add_any(data).is_err() {
            return HpStatus::InvalidArgument;
        }
        out.set(HpTrustList::of(TrustList::chained_to(cscas)));
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
        let bytes = arg_bytes!(list, list_len);
        let anchors = arg_ref!(anchors);
        let out = arg_out!(out);
        let loader = TrustListLoader::new(anchors.inner.clone()).min_sequence(min_sequence);
        match loader.load(bytes, UnixTime::from_secs(now)) {
            Ok(inner) => {
                out.set(HpTrustList::of(inner));
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Makes a trust list from a WHO GDHCN DID trust list (`list`, JSON) whose
/// proof verifies offline against the WHO signing key's DID document
/// (`signer`, JSON): its DSC keys of `domain` (`domain_len` bytes of UTF-8,
/// such as "DCC"; NULL for all domains), each chained to its SCA. Keys that
/// do not chain are left out; their number is written to `left_out` (may be
/// NULL). `HP_STATUS_INVALID_ARGUMENT` when the proof does not verify or a
/// document cannot be read.
///
/// # Safety
/// `list` and `signer` must point to `list_len` and `signer_len` readable
/// bytes; `domain` must be NULL or point to `domain_len` readable bytes;
/// `left_out` NULL or valid for a write; `out` valid for a write of a
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_list_load_gdhcn(
    list: *const u8,
    list_len: usize,
    signer: *const u8,
    signer_len: usize,
    domain: *const u8,
    domain_len: usize,
    left_out: *mut usize,
    out: *mut *mut HpTrustList,
) -> HpStatus {
    guard(|| {
        let list = arg_bytes!(list, list_len);
        let signer = arg_bytes!(signer, signer_len);
        let out = arg_out!(out);
        let mut selection = KeySelection::new();
        if !domain.is_null() {
            selection = selection.domain(arg_str!(domain, domain_len));
        }
        let selected = WhoSigner::from_did_document(signer)
            .and_then(|s| DidTrustList::verify(list, &s))
            .map(|did| did.select(&selection));
        let Ok(selected) = selected else {
            return HpStatus::InvalidArgument;
        };
        if let Some(left_out) = crate::boundary::Out::new(left_out) {
            left_out.set(selected.refused.len());
        }
        out.set(HpTrustList::of(selected.trust));
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
        let list = arg_mut!(list);
        let data = arg_bytes!(bytes, len);
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
