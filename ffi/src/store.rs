//! `hp_trust_store`: one trust store for every framework, loaded from
//! directories as their publishers ship them (certificate bundles, key
//! registries, the VCI snapshot, EU DCC signer lists, JWK sets), entry by
//! entry, with an `hp_load_report` per load.

use healthpass::trust::store::{LoadOptions, LoadReport, TrustStore};
use healthpass::{UnixTime, Verifier};

use crate::boundary::{drop_raw, guard, guard_or, into_raw, HpStr, Out};
use crate::status::HpStatus;
use crate::verifier::HpVerifier;

/// A trust store (opaque): pass signers, country CAs, SMART Health Card
/// issuer keys, and the keys directories withdrew.
pub struct HpTrustStore {
    inner: TrustStore,
}

/// What one load did (opaque): entries accepted, per framework, and each
/// entry left out with why.
pub struct HpLoadReport {
    inner: LoadReport,
}

/// Load flag: any entry refused refuses the whole file (nothing added).
pub const HP_LOAD_STRICT: u32 = 1;
/// Load flag: a JWK set given without its issuer verifies cards of any
/// `iss` (the explicit opt-in; a key bound elsewhere stays bound).
pub const HP_LOAD_SHC_ANY_ISSUER: u32 = 2;
const KNOWN_FLAGS: u32 = HP_LOAD_STRICT | HP_LOAD_SHC_ANY_ISSUER;

/// The HCERT pass signers, in `hp_load_report_framework`.
pub const HP_FRAMEWORK_HCERT: u32 = 1;
/// The SMART Health Card issuer keys, in `hp_load_report_framework`.
pub const HP_FRAMEWORK_SHC: u32 = 2;
/// The country signing CAs (ICAO seal CSCAs), in
/// `hp_load_report_framework`.
pub const HP_FRAMEWORK_ICAO: u32 = 3;

/// Makes an empty trust store.
///
/// # Safety
/// `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_store_new(out: *mut *mut HpTrustStore) -> HpStatus {
    guard(|| {
        arg_out!(out).set(into_raw(HpTrustStore {
            inner: TrustStore::new(),
        }));
        HpStatus::Ok
    })
}

/// The options of one load: the file's name (none: unnamed), the flags
/// (checked) and the issuer a JWK set is bound to (`iss`, `iss_len`; NULL
/// for none).
fn options(source: Option<&str>, flags: u32, iss: Option<&str>) -> Option<LoadOptions> {
    if flags & !KNOWN_FLAGS != 0 {
        return None;
    }
    let mut o = source.map(LoadOptions::new).unwrap_or_default();
    if flags & HP_LOAD_STRICT != 0 {
        o = o.strict();
    }
    if flags & HP_LOAD_SHC_ANY_ISSUER != 0 {
        o = o.shc_any_issuer();
    }
    if let Some(iss) = iss {
        o = o.shc_issuer(iss);
    }
    Some(o)
}

fn load(
    store: &mut HpTrustStore,
    bytes: &[u8],
    options: &LoadOptions,
    out: Out<*mut HpLoadReport>,
) -> HpStatus {
    match store.inner.load(bytes, options) {
        Ok(inner) => {
            out.set(into_raw(HpLoadReport { inner }));
            HpStatus::Ok
        }
        Err(_) => HpStatus::InvalidArgument,
    }
}

/// Loads a trust directory (`len` bytes), recognised by its content: a
/// certificate bundle (DER, PEM or base64: CAs become country CAs, others
/// pass signers), a key registry (PathCheck `registry.json`), an EU DCC
/// signer list (`[{"kid", "rawData"}]`) or list of valid kids, a JWK set
/// (bound to `iss`, `iss_len` bytes; or with `HP_LOAD_SHC_ANY_ISSUER`).
/// Entry by entry: what cannot be used is left out, in the report written
/// to `out`. `source` (`source_len` bytes, NULL for none) names the file: in
/// errors, and in the reason of a pass whose signer it withdrew. `HP_STATUS_INVALID_ARGUMENT` (nothing added) for a file in no
/// format the store reads, over its bounds, a JWK set without its issuer,
/// an unknown flag, or with `HP_LOAD_STRICT` any entry refused.
///
/// # Safety
/// `store` must come from `hp_trust_store_new`; `source` must be NULL or
/// point to `source_len` bytes; `bytes` must point to `len` readable bytes;
/// `iss` must be NULL or point to `iss_len` bytes; `out` must be valid for
/// a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_store_load(
    store: *mut HpTrustStore,
    source: *const u8,
    source_len: usize,
    bytes: *const u8,
    len: usize,
    iss: *const u8,
    iss_len: usize,
    flags: u32,
    out: *mut *mut HpLoadReport,
) -> HpStatus {
    guard(|| {
        let store = arg_mut!(store);
        let data = arg_bytes!(bytes, len);
        let out = arg_out!(out);
        let iss = match iss.is_null() {
            true => None,
            false => Some(arg_str!(iss, iss_len)),
        };
        let source = match source.is_null() {
            true => None,
            false => Some(arg_str!(source, source_len)),
        };
        let Some(options) = options(source, flags, iss) else {
            return HpStatus::InvalidArgument;
        };
        load(store, data, &options, out)
    })
}

/// Loads a signed directory: the VCI snapshot (`bytes`) with its detached
/// signature (`signature`, the `vci_snapshot.sig` file) by the directory's
/// certificate (`certificate`: DER, PEM or base64), valid at `unix_time`.
/// A signature that does not verify loads nothing
/// (`HP_STATUS_INVALID_ARGUMENT`); else as `hp_trust_store_load`.
///
/// # Safety
/// As `hp_trust_store_load`; `signature` and `certificate` must point to
/// `signature_len` and `certificate_len` readable bytes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hp_trust_store_load_signed(
    store: *mut HpTrustStore,
    bytes: *const u8,
    len: usize,
    signature: *const u8,
    signature_len: usize,
    certificate: *const u8,
    certificate_len: usize,
    unix_time: i64,
    flags: u32,
    out: *mut *mut HpLoadReport,
) -> HpStatus {
    guard(|| {
        let store = arg_mut!(store);
        let data = arg_bytes!(bytes, len);
        let signature = arg_bytes!(signature, signature_len);
        let certificate = arg_bytes!(certificate, certificate_len);
        let out = arg_out!(out);
        let Some(options) = options(None, flags, None) else {
            return HpStatus::InvalidArgument;
        };
        let options = options
            .signed_by(signature.to_vec(), certificate.to_vec())
            .at(UnixTime::from_secs(unix_time));
        load(store, data, &options, out)
    })
}

/// Adds the DSCs of a WHO GDHCN DID trust list (`list`, JSON) whose proof
/// verifies offline against the WHO signing key's DID document (`signer`,
/// JSON): its keys of `domain` (`domain_len` bytes, such as "DCC"; NULL for
/// all), each chained to its SCA. The keys left out are the report's
/// refusals. `HP_STATUS_INVALID_ARGUMENT` (nothing added) when the proof
/// does not verify or a document cannot be read.
///
/// # Safety
/// `store` must come from `hp_trust_store_new`; `list` and `signer` must
/// point to `list_len` and `signer_len` readable bytes; `domain` NULL or
/// `domain_len` readable bytes; `out` valid for a write of a pointer.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hp_trust_store_load_gdhcn(
    store: *mut HpTrustStore,
    list: *const u8,
    list_len: usize,
    signer: *const u8,
    signer_len: usize,
    domain: *const u8,
    domain_len: usize,
    out: *mut *mut HpLoadReport,
) -> HpStatus {
    use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};
    guard(|| {
        let store = arg_mut!(store);
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
        match selected.and_then(|selected| store.inner.add_gdhcn(selected)) {
            Ok(inner) => {
                out.set(into_raw(HpLoadReport { inner }));
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Builds a verifier from everything the store holds (pass signers,
/// country CAs as seal CSCAs, SMART Health Card issuers, withdrawn keys),
/// with a clock skew tolerance in seconds. The store is copied: it may be
/// freed afterwards.
///
/// # Safety
/// `store` must come from `hp_trust_store_new`; `out` must be valid for a
/// write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_new_from_store(
    store: *const HpTrustStore,
    clock_skew_secs: u32,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let out = arg_out!(out);
        match Verifier::builder()
            .trust_store(store.inner.clone())
            .clock_skew_secs(clock_skew_secs)
            .build()
        {
            Ok(inner) => {
                out.set(into_raw(HpVerifier { inner }));
                HpStatus::Ok
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Entries the load added (0 for NULL).
///
/// # Safety
/// `report` must be NULL or come from a load.
#[no_mangle]
pub unsafe extern "C" fn hp_load_report_accepted(report: *const HpLoadReport) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || {
        unsafe { report.as_ref() }.map_or(0, |r| r.inner.accepted)
    })
}

/// Entries the load added to one framework: `HP_FRAMEWORK_HCERT`,
/// `HP_FRAMEWORK_SHC` or `HP_FRAMEWORK_ICAO` (checked; 0 for another number
/// or NULL).
///
/// # Safety
/// `report` must be NULL or come from a load.
#[no_mangle]
pub unsafe extern "C" fn hp_load_report_framework(
    report: *const HpLoadReport,
    framework: u32,
) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || {
        let Some(r) = (unsafe { report.as_ref() }) else {
            return 0;
        };
        let f = r.inner.frameworks;
        match framework {
            HP_FRAMEWORK_HCERT => f.hcert,
            HP_FRAMEWORK_SHC => f.shc,
            HP_FRAMEWORK_ICAO => f.icao,
            _ => 0,
        }
    })
}

/// Entries left out (0 for NULL).
///
/// # Safety
/// `report` must be NULL or come from a load.
#[no_mangle]
pub unsafe extern "C" fn hp_load_report_refused_count(report: *const HpLoadReport) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || {
        unsafe { report.as_ref() }.map_or(0, |r| r.inner.refused.len())
    })
}

/// The entry left out at `index` and why (borrowed from the report).
/// `HP_STATUS_NOT_AVAILABLE` past the last; `reason` may be NULL.
///
/// # Safety
/// `report` must come from a load; `entry` must be valid for a write;
/// `reason` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_load_report_refused(
    report: *const HpLoadReport,
    index: usize,
    entry: *mut HpStr,
    reason: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let r = arg_ref!(report);
        let entry = arg_out!(entry);
        let Some(refusal) = r.inner.refused.get(index) else {
            return HpStatus::NotAvailable;
        };
        entry.set(HpStr::borrowed(&refusal.entry));
        if let Some(reason) = Out::new(reason) {
            reason.set(HpStr::borrowed(&refusal.reason));
        }
        HpStatus::Ok
    })
}

/// Frees a load report. NULL is ignored.
///
/// # Safety
/// `report` must be NULL or come from a load, and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_load_report_free(report: *mut HpLoadReport) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(report) });
}

/// Frees a trust store. NULL is ignored.
///
/// # Safety
/// `store` must be NULL or come from `hp_trust_store_new`, and not be used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn hp_trust_store_free(store: *mut HpTrustStore) {
    // SAFETY: the caller's promise.
    guard_or((), || unsafe { drop_raw(store) });
}
