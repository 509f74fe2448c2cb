//! `TrustStore` (formats and GDHCN packages): trust directories as their
//! publishers ship them (certificate bundles, EU DCC signer lists, key
//! registries, JWK sets, the signed VCI snapshot), loaded entry by entry
//! with a report, then one verifier from everything they hold.

use healthpass::trust::store::{LoadOptions, TrustStore as Store};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::{js_error, time, to_js, Verifier};

#[wasm_bindgen(typescript_custom_section)]
const TS_STORE: &'static str = r#"
/** How one trust directory is loaded; every field optional. */
export interface LoadOptions {
  /** The file's name or URL: it names the entries of the report. */
  source?: string;
  /** Any entry refused refuses the whole file (nothing is added). */
  strict?: boolean;
  /** A JWK set's issuer (an https URL): its keys sign only cards whose `iss` is this. */
  issuer?: string;
  /** The explicit opt-in for a JWK set whose issuer is not known: its keys sign cards of any `iss`. */
  anyIssuer?: boolean;
}

/** What one load did: the command line's `trust check --json`, per file. */
export interface LoadReport {
  /** Entries added. */
  accepted: number;
  /** Entries left out, and why. */
  refused: { entry: string; reason: string }[];
  /** Entries added per framework. */
  frameworks: { hcert: number; shc: number; icao: number };
}
"#;

#[wasm_bindgen]
extern "C" {
    /// A `LoadOptions` object from JavaScript.
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    pub type LoadOptionsArg;
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LoadOptionsJs {
    source: Option<String>,
    #[serde(default)]
    strict: bool,
    issuer: Option<String>,
    #[serde(default)]
    any_issuer: bool,
}

fn options_of(value: Option<LoadOptionsArg>) -> Result<LoadOptions, JsError> {
    let o = match value.map(JsValue::from) {
        Some(v) if !v.is_undefined() && !v.is_null() => {
            // Through JSON, so that a misspelt key is refused.
            serde_wasm_bindgen::from_value::<serde_json::Value>(v)
                .map_err(|e| e.to_string())
                .and_then(|v| serde_json::from_value::<LoadOptionsJs>(v).map_err(|e| e.to_string()))
                .map_err(|e| JsError::new(&format!("load options: {e}")))?
        }
        _ => LoadOptionsJs::default(),
    };
    let mut options = o.source.map(LoadOptions::new).unwrap_or_default();
    if o.strict {
        options = options.strict();
    }
    if let Some(iss) = o.issuer {
        options = options.shc_issuer(iss);
    }
    if o.any_issuer {
        options = options.shc_any_issuer();
    }
    Ok(options)
}

/// A trust store for every framework: pass signers, country CAs, SMART
/// Health Card issuer keys, and the keys directories withdrew. Load the
/// directories, then make a verifier with `Verifier.fromStore`.
#[wasm_bindgen]
pub struct TrustStore {
    inner: Store,
}

#[wasm_bindgen]
impl TrustStore {
    /// An empty store.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> TrustStore {
        TrustStore {
            inner: Store::new(),
        }
    }

    /// Loads one directory (its bytes), recognised by its content: a
    /// certificate bundle (PEM, DER or base64), an EU DCC signer list or
    /// list of valid kids, a key registry (PathCheck `registry.json`), a
    /// JWK set (with `issuer` or `anyIssuer`). Entry by
    /// entry: returns the report. Throws, adding nothing, for a file in no
    /// format the store reads, over its bounds, or with `strict` any entry
    /// refused.
    #[wasm_bindgen(unchecked_return_type = "LoadReport")]
    pub fn load(
        &mut self,
        bytes: &[u8],
        options: Option<LoadOptionsArg>,
    ) -> Result<JsValue, JsError> {
        let options = options_of(options)?;
        let report = self.inner.load(bytes, &options).map_err(js_error)?;
        to_js(&report)
    }

    /// Loads a signed directory: the VCI snapshot (`bytes`) with its
    /// detached signature (`vci_snapshot.sig`) by the directory's
    /// certificate (`vci_snapshot.crt`), valid at `unixSeconds`. Throws,
    /// adding nothing, when the signature does not verify.
    #[wasm_bindgen(js_name = loadSigned, unchecked_return_type = "LoadReport")]
    pub fn load_signed(
        &mut self,
        bytes: &[u8],
        signature: &[u8],
        certificate: &[u8],
        unix_seconds: f64,
        options: Option<LoadOptionsArg>,
    ) -> Result<JsValue, JsError> {
        let options = options_of(options)?
            .signed_by(signature.to_vec(), certificate.to_vec())
            .at(time(unix_seconds)?);
        let report = self.inner.load(bytes, &options).map_err(js_error)?;
        to_js(&report)
    }

    /// Adds the DSCs of a WHO GDHCN DID trust list (its JSON text) whose
    /// proof verifies offline against the WHO signing key's DID document
    /// (`signerJson`): the keys of `domains` (empty or omitted: all), each
    /// chained to its SCA; the keys left out are the report's refusals.
    /// Throws, adding nothing, when the proof does not verify. Only in the
    /// GDHCN package.
    #[cfg(feature = "gdhcn")]
    #[wasm_bindgen(js_name = loadGdhcn, unchecked_return_type = "LoadReport")]
    pub fn load_gdhcn(
        &mut self,
        list_json: &str,
        signer_json: &str,
        domains: Option<Vec<String>>,
    ) -> Result<JsValue, JsError> {
        use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};
        let signer = WhoSigner::from_did_document(signer_json.as_bytes()).map_err(js_error)?;
        let did = DidTrustList::verify(list_json.as_bytes(), &signer).map_err(js_error)?;
        let selection = domains
            .unwrap_or_default()
            .into_iter()
            .fold(KeySelection::new(), KeySelection::domain);
        let report = self
            .inner
            .add_gdhcn(did.select(&selection))
            .map_err(js_error)?;
        to_js(&report)
    }

    /// The pass signers held.
    #[wasm_bindgen(getter, js_name = signerCount)]
    pub fn signer_count(&self) -> usize {
        self.inner.signers().len()
    }

    /// The country signing CAs held.
    #[wasm_bindgen(getter, js_name = cscaCount)]
    pub fn csca_count(&self) -> usize {
        self.inner.cscas().len()
    }
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier trusting everything `store` holds (pass signers, country
    /// CAs for seals, SMART Health Card issuers, withdrawn keys refused),
    /// with the given clock skew (default 0). The store is copied.
    #[wasm_bindgen(js_name = fromStore)]
    pub fn from_store(
        store: &TrustStore,
        clock_skew_secs: Option<u32>,
    ) -> Result<Verifier, JsError> {
        let inner = healthpass::Verifier::builder()
            .trust_store(store.inner.clone())
            .clock_skew_secs(clock_skew_secs.unwrap_or(0))
            .build()
            .map_err(js_error)?;
        Ok(Verifier {
            inner,
            left_out: 0,
            shc: store.inner.shc_issuers().clone(),
        })
    }
}
