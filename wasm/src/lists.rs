//! What a page needs to keep this crate's signed lists current with the
//! browser's `fetch` (`sync.mjs`, formats and GDHCN packages): deltas
//! applied in Rust to the lists a verifier holds, and where each list
//! stands (id, sequence, entries) so that the next sync refuses a replay.
//! Every check stays in Rust; JS only fetches and caches bytes.

use base64ct::{Base64, Encoding as _};
use healthpass::revocation::{Revocation, RevocationListLoader};
use healthpass::trust::signed_list::TrustListLoader;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{js_error, time, to_js, trust_list, Verifier};

#[wasm_bindgen(typescript_custom_section)]
const TS_LISTS: &'static str = r#"
/** Where the signed lists a verifier holds stand (`Verifier.lists`). */
export interface ListsInfo {
  /** The signed trust list, if the verifier came from one. */
  trustList?: { listId: string; sequence: number; expires?: number; kids: string[] };
  /** Its revocation lists, in the order given. */
  revocation: { listId: string; sequence: number; expires?: number; entries: number }[];
}
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrustInfo {
    list_id: String,
    sequence: u64,
    expires: Option<i64>,
    kids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RevocationInfo {
    list_id: String,
    sequence: u64,
    expires: Option<i64>,
    entries: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info {
    #[serde(skip_serializing_if = "Option::is_none")]
    trust_list: Option<TrustInfo>,
    revocation: Vec<RevocationInfo>,
}

#[wasm_bindgen]
impl Verifier {
    /// Where the signed lists this verifier holds stand: the trust list's
    /// id, sequence, expiry and kids (base64); each revocation list's id,
    /// sequence, expiry and number of entries.
    #[wasm_bindgen(getter, unchecked_return_type = "ListsInfo")]
    pub fn lists(&self) -> Result<JsValue, JsError> {
        let trust = self.inner.trust_list();
        let info = Info {
            trust_list: trust.published().map(|(id, sequence)| TrustInfo {
                list_id: id.to_owned(),
                sequence,
                expires: trust.expires().map(|t| t.as_secs()),
                kids: trust.kids().map(|k| Base64::encode_string(k)).collect(),
            }),
            revocation: self
                .inner
                .revocation()
                .map(|r| r.lists())
                .unwrap_or_default()
                .iter()
                .map(|l| RevocationInfo {
                    list_id: l.list_id().to_owned(),
                    sequence: l.sequence(),
                    expires: l.expires().map(|t| t.as_secs()),
                    entries: l.store().len(),
                })
                .collect(),
        };
        to_js(&info)
    }

    /// A verifier like this one that knows how old its trust data is: it
    /// was brought up to date at `asOf` (Unix seconds, the time of the last
    /// successful sync) and may be used for `maxAgeSecs` after it. Past
    /// that every pass is `untrusted` ("trust data outdated since …"), or,
    /// with `staleOk` (an explicit policy for a long outage), still
    /// verified with `trustOutdatedSince` in a valid verdict.
    #[wasm_bindgen(js_name = withTrustDataAsOf)]
    pub fn with_trust_data_as_of(
        &self,
        as_of: f64,
        max_age_secs: f64,
        stale_ok: bool,
    ) -> Result<Verifier, JsError> {
        if !(0.0..=9_007_199_254_740_991.0).contains(&max_age_secs) {
            return Err(JsError::new("maxAgeSecs must be a number ≥ 0"));
        }
        self.derive(
            self.inner
                .to_builder()
                .trust_data_as_of(time(as_of)?, max_age_secs as u64)
                .accept_outdated_trust(stale_ok),
        )
    }

    /// When the trust data was last brought up to date (Unix seconds), as
    /// told to `withTrustDataAsOf`; `undefined` otherwise.
    #[wasm_bindgen(getter, js_name = trustAsOf)]
    pub fn trust_as_of(&self) -> Option<f64> {
        self.inner.trust_data_as_of().map(|t| t.as_secs() as f64)
    }

    /// A verifier like this one with a signed delta (a `healthpass trust
    /// build --delta-on` or `store export` file) applied to its trust
    /// list: verified at `unixSeconds` against `anchors`, of the same list,
    /// on its current sequence. Throws, changing nothing, otherwise.
    #[wasm_bindgen(js_name = withTrustListDelta)]
    pub fn with_trust_list_delta(
        &self,
        delta: &[u8],
        anchors: Vec<String>,
        unix_seconds: f64,
    ) -> Result<Verifier, JsError> {
        let mut trust = self.inner.trust_list().clone();
        TrustListLoader::new(trust_list(&anchors)?)
            .apply(&mut trust, delta, time(unix_seconds)?)
            .map_err(js_error)?;
        self.derive(self.inner.to_builder().trust_list(trust))
    }

    /// A verifier like this one with a signed delta applied to its last
    /// revocation list (as `withTrustListDelta`).
    #[wasm_bindgen(js_name = withRevocationDelta)]
    pub fn with_revocation_delta(
        &self,
        delta: &[u8],
        anchors: Vec<String>,
        unix_seconds: f64,
    ) -> Result<Verifier, JsError> {
        let mut lists: Vec<_> = self
            .inner
            .revocation()
            .map(|r| r.lists().to_vec())
            .unwrap_or_default();
        let Some(last) = lists.last_mut() else {
            return Err(JsError::new("no revocation list to apply a delta to"));
        };
        RevocationListLoader::new(trust_list(&anchors)?)
            .apply(last, delta, time(unix_seconds)?)
            .map_err(js_error)?;
        let revocation = lists
            .into_iter()
            .fold(Revocation::new(), Revocation::with_list);
        self.derive(self.inner.to_builder().revocation(revocation))
    }
}
