//! healthpass in JavaScript (browser and Node), through wasm-bindgen.
//!
//! ```js
//! const verifier = new Verifier([pemText]);          // PEM or base64 of DER, one per string
//! const verdict = verifier.verify(text, Date.now() / 1000);
//! // {valid, errorKind, holder: {names: {familyName, familyNameStd, givenName, givenNameStd}, dob},
//! //  validUntil, kind: "full" | "light" | "exemption"}: nothing medical
//! const payload = verifier.payload(text, Date.now() / 1000); // health data, only when asked for
//! const text2 = decodeQrImage(pngBytes);
//! ```
//!
//! Uses the RustCrypto backend. No network, no clock: the caller passes the
//! time.

use healthpass::revocation::{ExpiredListPolicy, RevocationList, StoreMode};
use healthpass::verify::PassForm;
use healthpass::{TrustList, UnixTime};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The holder's names as the pass writes them (any may be null). */
export interface HolderNames {
  familyName: string | null;
  familyNameStd: string | null;
  givenName: string | null;
  givenNameStd: string | null;
}

/** The privacy-minimal verdict: nothing medical. */
export interface Verdict {
  valid: boolean;
  /** "malformed" | "unsupported" | "untrusted" | "bad_signature" | "not_yet_valid" | "expired" | "revoked" | "internal"; null when valid. */
  errorKind: string | null;
  /** Only for a valid pass. */
  holder: { names: HolderNames; dob: string } | null;
  /** RFC 3339, only for a valid pass. */
  validUntil: string | null;
  /** Only for a valid pass. */
  kind: "full" | "light" | "exemption" | null;
}
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Names {
    family_name: Option<String>,
    family_name_std: Option<String>,
    given_name: Option<String>,
    given_name_std: Option<String>,
}

#[derive(Serialize)]
struct HolderOut {
    names: Names,
    dob: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerdictOut {
    valid: bool,
    error_kind: Option<&'static str>,
    holder: Option<HolderOut>,
    valid_until: Option<String>,
    kind: Option<&'static str>,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_error)
}

fn time(unix_seconds: f64) -> Result<UnixTime, JsError> {
    if !unix_seconds.is_finite() {
        return Err(JsError::new("the time must be a finite number of seconds"));
    }
    Ok(UnixTime::from_secs(unix_seconds.floor() as i64))
}

/// Verifies passes against a fixed set of signer certificates.
#[wasm_bindgen]
pub struct Verifier {
    inner: healthpass::Verifier,
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier trusting `certs`: each string a PEM text (one or more
    /// certificates) or the base64 of one DER certificate.
    #[wasm_bindgen(constructor)]
    pub fn new(certs: Vec<String>) -> Result<Verifier, JsError> {
        let mut trust = TrustList::new();
        for cert in &certs {
            trust.add_any(cert.as_bytes()).map_err(js_error)?;
        }
        let inner = healthpass::Verifier::builder()
            .trust_list(trust)
            .build()
            .map_err(js_error)?;
        Ok(Verifier { inner })
    }

    /// The number of trusted certificates.
    #[wasm_bindgen(getter, js_name = certificateCount)]
    pub fn certificate_count(&self) -> usize {
        self.inner.trust_list().len()
    }

    /// Loads a signed revocation list (bytes of a `healthpass revocation
    /// build --sign` file), verified against `anchors` (PEM or base64
    /// strings) at `unixSeconds`; passes on it are then rejected as
    /// "revoked". An expired or untrusted list throws and changes nothing.
    #[wasm_bindgen(js_name = loadRevocationList)]
    pub fn load_revocation_list(
        &mut self,
        list: &[u8],
        anchors: Vec<String>,
        unix_seconds: f64,
    ) -> Result<(), JsError> {
        let mut signers = TrustList::new();
        for a in &anchors {
            signers.add_any(a.as_bytes()).map_err(js_error)?;
        }
        let list = RevocationList::from_signed(
            list,
            &signers,
            time(unix_seconds)?,
            StoreMode::Compact {
                false_positive_rate: 1e-12,
            },
            ExpiredListPolicy::FailClosed,
        )
        .map_err(js_error)?;
        let revocation = self
            .inner
            .revocation()
            .cloned()
            .unwrap_or_default()
            .with_list(list);
        self.inner = healthpass::Verifier::builder()
            .trust_list(self.inner.trust_list().clone())
            .revocation(revocation)
            .build()
            .map_err(js_error)?;
        Ok(())
    }

    /// Verifies a pass's text at `unixSeconds` and returns the
    /// privacy-minimal verdict (never throws for a bad pass).
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn verify(&self, text: &str, unix_seconds: f64) -> Result<JsValue, JsError> {
        let result = self.inner.verify(text.trim(), time(unix_seconds)?);
        let out = match &result {
            Ok(pass) => {
                let n = pass.holder_name();
                VerdictOut {
                    valid: true,
                    error_kind: None,
                    holder: Some(HolderOut {
                        names: Names {
                            family_name: n.family_name.clone(),
                            family_name_std: n.family_name_std.clone(),
                            given_name: n.given_name.clone(),
                            given_name_std: n.given_name_std.clone(),
                        },
                        dob: pass.date_of_birth().to_string(),
                    }),
                    valid_until: Some(pass.valid_until().to_string()),
                    kind: Some(match pass.form() {
                        PassForm::Light => "light",
                        PassForm::Exemption => "exemption",
                        _ => "full",
                    }),
                }
            }
            Err(e) => VerdictOut {
                valid: false,
                error_kind: Some(e.kind().as_str()),
                holder: None,
                valid_until: None,
                kind: None,
            },
        };
        to_js(&out)
    }

    /// **Health data.** The whole payload of a valid pass as a plain object;
    /// throws (with the reason) for a pass that does not verify.
    pub fn payload(&self, text: &str, unix_seconds: f64) -> Result<JsValue, JsError> {
        let pass = self
            .inner
            .verify(text.trim(), time(unix_seconds)?)
            .map_err(js_error)?;
        to_js(pass.payload().as_json())
    }
}

/// Reads the text of the QR code in an image (PNG bytes).
#[wasm_bindgen(js_name = decodeQrImage)]
pub fn decode_qr_image(bytes: &[u8]) -> Result<String, JsError> {
    healthpass::qr::decode_image(bytes).map_err(js_error)
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
