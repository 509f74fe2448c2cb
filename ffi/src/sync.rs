//! `hp_store`: a trust store directory kept current by healthpass-sync —
//! one sync call per source (each commits on its own; a failed source keeps
//! its previous state), a report per call, and a verifier made from what
//! the store holds, verified again, with its age. A sync may run on a
//! background thread while verifiers made earlier keep working: they hold
//! their own copy; a new verifier picks up the new state.

use std::time::Duration;

use healthpass::UnixTime;
use healthpass_sync::{HttpTransport, Retry, Source, SourceReport, Store};

use crate::boundary::{drop_raw, guard, guard_or, into_raw, HpStr, Out};
use crate::status::HpStatus;
use crate::verifier::HpVerifier;

/// A store directory (opaque): where a sync writes, what a verifier reads.
pub struct HpStore {
    inner: Store,
}

/// What one sync of one source did (opaque).
pub struct HpSyncReport {
    inner: SourceReport,
}

/// Opens (names) the store in directory `dir`; the first sync creates it.
///
/// # Safety
/// `dir` must point to `dir_len` readable bytes (UTF-8); `out` must be
/// valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_store_open(
    dir: *const u8,
    dir_len: usize,
    out: *mut *mut HpStore,
) -> HpStatus {
    guard(|| {
        let dir = arg_str!(dir, dir_len);
        let out = arg_out!(out);
        if dir.is_empty() {
            return HpStatus::InvalidArgument;
        }
        out.set(into_raw(HpStore {
            inner: Store::new(dir),
        }));
        HpStatus::Ok
    })
}

/// Runs one source's sync at the caller's time and writes its report.
fn sync(store: &HpStore, source: Source, unix_time: i64, out: Out<*mut HpSyncReport>) -> HpStatus {
    let transport = Retry::new(HttpTransport::default(), 3, Duration::from_millis(500));
    let reports = store
        .inner
        .sync(&[source], &transport, UnixTime::from_secs(unix_time));
    match reports.into_iter().next() {
        Some(inner) => {
            out.set(into_raw(HpSyncReport { inner }));
            HpStatus::Ok
        }
        None => HpStatus::Internal,
    }
}

/// Brings the store's EU DCC signers up to date from a national backend's
/// verifier API at `url` (signercertificateStatus, signercertificateUpdate),
/// at the caller's `unix_time`. `HP_STATUS_OK` means a report was written:
/// whether the source is up to date is `hp_sync_report_ok`.
///
/// # Safety
/// `store` must come from `hp_store_open`; `url` must point to `url_len`
/// readable bytes; `out` must be valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_store_sync_eu_dcc(
    store: *const HpStore,
    url: *const u8,
    url_len: usize,
    unix_time: i64,
    out: *mut *mut HpSyncReport,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let url = arg_str!(url, url_len).to_owned();
        let out = arg_out!(out);
        sync(store, Source::EuDcc { url }, unix_time, out)
    })
}

/// As `hp_store_sync_eu_dcc`, for the EU business-rule service at `url`,
/// every response's X-SIGNATURE checked against `key` (a P-256 certificate
/// or public key, PEM or DER).
///
/// # Safety
/// As `hp_store_sync_eu_dcc`; `key` must point to `key_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_store_sync_eu_rules(
    store: *const HpStore,
    url: *const u8,
    url_len: usize,
    key: *const u8,
    key_len: usize,
    unix_time: i64,
    out: *mut *mut HpSyncReport,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let url = arg_str!(url, url_len).to_owned();
        let key = arg_bytes!(key, key_len).to_vec();
        let out = arg_out!(out);
        sync(store, Source::EuRules { url, key }, unix_time, out)
    })
}

/// As `hp_store_sync_eu_dcc`, for a signed trust list (`healthpass trust
/// build`) served as a static file at `url`, checked against `anchors`
/// (certificates: PEM, DER or base64).
///
/// # Safety
/// As `hp_store_sync_eu_dcc`; `anchors` must point to `anchors_len`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_store_sync_trust_list(
    store: *const HpStore,
    url: *const u8,
    url_len: usize,
    anchors: *const u8,
    anchors_len: usize,
    unix_time: i64,
    out: *mut *mut HpSyncReport,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let url = arg_str!(url, url_len).to_owned();
        let anchors = arg_bytes!(anchors, anchors_len).to_vec();
        let out = arg_out!(out);
        sync(store, Source::TrustList { url, anchors }, unix_time, out)
    })
}

/// As `hp_store_sync_eu_dcc`, for a signed revocation list (`healthpass
/// revocation build`) served as a static file at `url`, checked against
/// `anchors` (the certificates that sign revocation lists: PEM, DER or
/// base64). With `url.seq` and deltas `url.delta-N` published beside it,
/// a sync fetches only what changed. A verifier from the store then
/// refuses the passes it lists as `HP_STATUS_REVOKED`.
///
/// # Safety
/// As `hp_store_sync_eu_dcc`; `anchors` must point to `anchors_len`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_store_sync_revocation(
    store: *const HpStore,
    url: *const u8,
    url_len: usize,
    anchors: *const u8,
    anchors_len: usize,
    unix_time: i64,
    out: *mut *mut HpSyncReport,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let url = arg_str!(url, url_len).to_owned();
        let anchors = arg_bytes!(anchors, anchors_len).to_vec();
        let out = arg_out!(out);
        sync(store, Source::Revocation { url, anchors }, unix_time, out)
    })
}

/// As `hp_store_sync_eu_dcc`, for the VCI directory snapshot at `url`
/// (its detached signature beside it, `….sig`), checked against the
/// directory's `certificate`.
///
/// # Safety
/// As `hp_store_sync_eu_dcc`; `certificate` must point to
/// `certificate_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hp_store_sync_vci(
    store: *const HpStore,
    url: *const u8,
    url_len: usize,
    certificate: *const u8,
    certificate_len: usize,
    unix_time: i64,
    out: *mut *mut HpSyncReport,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let url = arg_str!(url, url_len).to_owned();
        let certificate = arg_bytes!(certificate, certificate_len).to_vec();
        let out = arg_out!(out);
        sync(store, Source::Vci { url, certificate }, unix_time, out)
    })
}

/// As `hp_store_sync_eu_dcc`, for a WHO GDHCN DID trust list at `url`, its
/// proof checked against the WHO `signer`'s DID document, keys of `domain`
/// only (NULL: every domain).
///
/// # Safety
/// As `hp_store_sync_eu_dcc`; `signer` must point to `signer_len` readable
/// bytes; `domain` must be NULL or point to `domain_len` readable bytes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hp_store_sync_gdhcn(
    store: *const HpStore,
    url: *const u8,
    url_len: usize,
    signer: *const u8,
    signer_len: usize,
    domain: *const u8,
    domain_len: usize,
    unix_time: i64,
    out: *mut *mut HpSyncReport,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let url = arg_str!(url, url_len).to_owned();
        let signer = arg_bytes!(signer, signer_len).to_vec();
        let domains = match domain.is_null() {
            true => Vec::new(),
            false => vec![arg_str!(domain, domain_len).to_owned()],
        };
        let out = arg_out!(out);
        let source = Source::Gdhcn {
            url,
            signer,
            domains,
        };
        sync(store, source, unix_time, out)
    })
}

/// A verifier from everything the store holds now — its pass signers and
/// SMART Health Card issuers, its business rules (applied under a policy
/// given per call, `hp_verify_with`), every document verified again at
/// `unix_time` — that refuses every pass as `HP_STATUS_UNTRUSTED` ("trust
/// data outdated since …") once the oldest source's last sync is more than
/// `max_age_secs` old. `HP_STATUS_NOT_AVAILABLE` when no source was ever
/// synced; `HP_STATUS_INVALID_ARGUMENT` when the store no longer verifies.
///
/// # Safety
/// `store` must come from `hp_store_open`; `out` must be valid for a write
/// of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_verifier_from_store(
    store: *const HpStore,
    unix_time: i64,
    max_age_secs: u64,
    clock_skew_secs: u32,
    out: *mut *mut HpVerifier,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let out = arg_out!(out);
        let snapshot = match store.inner.snapshot(UnixTime::from_secs(unix_time)) {
            Ok(s) => s,
            Err(healthpass_sync::SyncError::Store(_))
                if !store.inner.dir().join("current").exists() =>
            {
                return HpStatus::NotAvailable
            }
            Err(_) => return HpStatus::InvalidArgument,
        };
        match snapshot
            .verifier_builder(max_age_secs)
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

/// Writes what the store trusts now (verified again at `unix_time`) into
/// the directory `out_dir` as signed lists for a fleet, signed by the key
/// `key_pem` (PKCS#8 PEM) whose certificate is `cert_pem`: `trust-list.cbor`
/// and, when the store holds a revocation list, `revocation.cbor`, each
/// with `.seq` and a delta from the last export in `out_dir`, valid for
/// `valid_for_secs` (as `healthpass store export`). `HP_STATUS_NOT_AVAILABLE`
/// when no source was ever synced; `HP_STATUS_UNTRUSTED` when `out_dir`
/// holds a list this certificate did not sign, or of another id (nothing is
/// written); `HP_STATUS_INVALID_ARGUMENT` for a key or certificate that
/// cannot be read, a zero validity, a store that no longer verifies or a
/// directory that cannot be written.
///
/// # Safety
/// `store` must come from `hp_store_open`; each pointer must point to its
/// length of readable bytes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hp_store_export(
    store: *const HpStore,
    key_pem: *const u8,
    key_pem_len: usize,
    cert_pem: *const u8,
    cert_pem_len: usize,
    out_dir: *const u8,
    out_dir_len: usize,
    valid_for_secs: u64,
    unix_time: i64,
) -> HpStatus {
    guard(|| {
        let store = arg_ref!(store);
        let key = arg_str!(key_pem, key_pem_len);
        let cert = arg_str!(cert_pem, cert_pem_len);
        let out_dir = arg_str!(out_dir, out_dir_len);
        if out_dir.is_empty() || valid_for_secs == 0 {
            return HpStatus::InvalidArgument;
        }
        let Ok(signer) = healthpass::issue::Credential::from_pem(key, cert) else {
            return HpStatus::InvalidArgument;
        };
        let options = healthpass_sync::ExportOptions::default().valid_for_secs(valid_for_secs);
        match store.inner.export(
            std::path::Path::new(out_dir),
            &signer,
            &options,
            UnixTime::from_secs(unix_time),
        ) {
            Ok(_) => HpStatus::Ok,
            Err(healthpass_sync::SyncError::Rejected(_)) => HpStatus::Untrusted,
            Err(healthpass_sync::SyncError::Store(_))
                if !store.inner.dir().join("current").exists() =>
            {
                HpStatus::NotAvailable
            }
            Err(_) => HpStatus::InvalidArgument,
        }
    })
}

/// Whether the source is up to date (false for NULL).
///
/// # Safety
/// `report` must be NULL or come from an `hp_store_sync_…` call.
#[no_mangle]
pub unsafe extern "C" fn hp_sync_report_ok(report: *const HpSyncReport) -> bool {
    // SAFETY: the caller's promise.
    guard_or(false, || {
        unsafe { report.as_ref() }.is_some_and(|r| r.inner.ok)
    })
}

/// The entries (certificates, rules, value sets, issuers) the sync added,
/// removed and kept (0 for NULL), as `which` is 0, 1 or 2; 0 for another
/// number.
///
/// # Safety
/// `report` must be NULL or come from an `hp_store_sync_…` call.
#[no_mangle]
pub unsafe extern "C" fn hp_sync_report_count(report: *const HpSyncReport, which: i32) -> usize {
    // SAFETY: the caller's promise.
    guard_or(0, || match unsafe { report.as_ref() } {
        Some(r) => match which {
            0 => r.inner.added,
            1 => r.inner.removed,
            2 => r.inner.unchanged,
            _ => 0,
        },
        None => 0,
    })
}

/// The source's name (`eu-dcc`, `eu-rules`, `trust-list`, `vci`, `gdhcn`),
/// borrowed from the report.
///
/// # Safety
/// `report` must come from an `hp_store_sync_…` call; `out` must be valid
/// for a write of an `hp_str`.
#[no_mangle]
pub unsafe extern "C" fn hp_sync_report_source(
    report: *const HpSyncReport,
    out: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let report = arg_ref!(report);
        arg_out!(out).set(HpStr::borrowed(&report.inner.source));
        HpStatus::Ok
    })
}

/// Why the source failed (the command line's `error`), borrowed from the
/// report; `HP_STATUS_NOT_AVAILABLE` when it did not.
///
/// # Safety
/// As `hp_sync_report_source`.
#[no_mangle]
pub unsafe extern "C" fn hp_sync_report_error(
    report: *const HpSyncReport,
    out: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let report = arg_ref!(report);
        let out = arg_out!(out);
        match &report.inner.error {
            Some(e) => {
                out.set(HpStr::borrowed(e));
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

/// Frees a sync report (NULL is fine).
///
/// # Safety
/// `report` must be NULL or come from an `hp_store_sync_…` call, not freed
/// before.
#[no_mangle]
pub unsafe extern "C" fn hp_sync_report_free(report: *mut HpSyncReport) {
    // SAFETY: forwarded.
    unsafe { drop_raw(report) }
}

/// Frees a store handle (NULL is fine); the directory stays.
///
/// # Safety
/// `store` must be NULL or come from `hp_store_open`, not freed before.
#[no_mangle]
pub unsafe extern "C" fn hp_store_free(store: *mut HpStore) {
    // SAFETY: forwarded.
    unsafe { drop_raw(store) }
}
