//! healthpass in JavaScript (browser and Node), through wasm-bindgen.
//!
//! ```js
//! const verifier = new Verifier([pemText]);          // PEM or base64 of DER, one per string
//! const verdict = verifier.verify(text, Date.now() / 1000);
//! // {valid, errorKind, reason, holder: {name, familyName, familyNameStd, givenName,
//! //  givenNameStd, dateOfBirth}, validUntil, form}: nothing medical
//! const gate = verifier.withPreset("2g");             // or withRules(certLogicJson)
//! gate.verify(text, Date.now() / 1000, { country: "AT" });
//! // … and admission: {admitted, failedRules, modeResult}
//! const payload = verifier.payload(text, Date.now() / 1000); // health data, only when asked for
//! const text2 = decodeQrImage(pngBytes);
//! ```
//!
//! The verdict is the library's, in its words (camelCased): the same
//! fields, values and classes as the command line's JSON and the C
//! accessors. A `Verifier` never changes once made: `with…` and
//! `acceptMissingExp` return a new one that differs in that setting (as
//! the C ABI derives verifiers, and as the Rust builder does). Uses the RustCrypto backend. No network, no clock: the caller
//! passes the time.

#[cfg(feature = "formats")]
use healthpass::formats::shc::{KeyBinding, ShcIssuers};
use healthpass::payload::Member;
use healthpass::revocation::{Revocation, RevocationListLoader};
use healthpass::rules::{Policy, RuleSet, RuleSetLoader};
use healthpass::trust::signed_list::TrustListLoader;
use healthpass::{TrustList, UnixTime};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

// The trust store costs the default package 14 KiB gzipped (362 KiB
// against its 350 KiB budget): it ships with the formats packages, which
// read every framework its directories hold.
// The list positions, deltas and trust age of `sync.mjs` (the formats
// packages: the default package has no room left in its budget).
#[cfg(feature = "sync")]
mod lists;
#[cfg(feature = "formats")]
mod store;
#[cfg(feature = "formats")]
pub use store::TrustStore;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Who the pass belongs to, as the pass writes it (text from the pass: escape it). */
export interface Holder {
  /** The name to show: given then family name, each as written or else standardised. */
  name: string;
  familyName: string | null;
  familyNameStd: string | null;
  givenName: string | null;
  givenNameStd: string | null;
  dateOfBirth: string;
}

/** What admission rules decided (present only when the verifier has rules). */
export interface Admission {
  /** Whether the holder may enter: every rule in force passed (and the mode said "SUCCESS"). */
  admitted: boolean;
  /** The identifiers of the rules that failed. */
  failedRules: string[];
  /** The scan mode's outcome ("SUCCESS", "INVALID", "IS_LIGHT", …), or null. */
  modeResult: string | null;
}

/** Where and how a pass is checked; every field optional. */
export interface Policy {
  /** The country of arrival (ISO 3166-1 alpha-2), whose acceptance rules apply. */
  country?: string;
  /** The region of arrival: rules that name a region apply only there. */
  region?: string;
  /** The scan mode of the rule set (a preset applies its own). */
  mode?: string;
  /** The language of rule descriptions (fallback "en"). */
  language?: string;
}

/** The privacy-minimal verdict: nothing medical. */
export interface Verdict {
  valid: boolean;
  /** "malformed" | "unsupported" | "untrusted" | "bad_signature" | "not_yet_valid" | "expired" | "revoked" | "rejected_by_rules" | "internal"; null when valid. */
  errorKind: string | null;
  /** Why the pass is invalid (short English, never health data); null when valid. */
  reason: string | null;
  /** Only for a valid pass. */
  holder: Holder | null;
  /** RFC 3339, only for a valid pass (null too for a pass valid without end: a DVC without exp or vle). */
  validUntil: string | null;
  /** Only for a valid pass: an EU DCC ("full", "light", "exemption"), a WHO DDCC, a DVC (ICVP), a SMART Health Card ("shc") or an ICAO seal ("icao-vacc", "icao-test"). */
  form: "full" | "light" | "exemption" | "ddcc-vaccination" | "ddcc-test" | "dvc" | "shc" | "icao-vacc" | "icao-test" | null;
  /** Only for a valid SMART Health Card: the issuer it names (`iss`, the URL its key is bound to). */
  issuer?: string;
  /** Only when the verifier has rules: then valid means authentic, valid and admitted. */
  admission?: Admission;
}
"#;

/// A policy from JavaScript: `{country, region, mode, language}`, each
/// optional; anything else is refused (a misspelt key must not silently
/// mean "no country").
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PolicyJs {
    country: Option<String>,
    region: Option<String>,
    mode: Option<String>,
    language: Option<String>,
}

#[wasm_bindgen]
extern "C" {
    /// A `Policy` object from JavaScript.
    #[wasm_bindgen(typescript_type = "Policy")]
    pub type PolicyArg;
}

fn policy_of(value: Option<PolicyArg>) -> Result<Option<Policy>, JsError> {
    let Some(value) = value.map(JsValue::from) else {
        return Ok(None);
    };
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    // Through JSON: serde-wasm-bindgen reads only the fields it knows, and
    // a misspelt key must be refused.
    let p: PolicyJs = serde_wasm_bindgen::from_value::<serde_json::Value>(value)
        .map_err(|e| e.to_string())
        .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
        .map_err(|e| JsError::new(&format!("policy: {e}")))?;
    let mut policy = Policy::new();
    if let Some(c) = p.country {
        policy = policy.country(c);
    }
    if let Some(r) = p.region {
        policy = policy.region(r);
    }
    if let Some(m) = p.mode {
        policy = policy.mode(m);
    }
    if let Some(l) = p.language {
        policy = policy.language(l);
    }
    Ok(Some(policy))
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// snake_case → camelCase.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The library's JSON with its keys camelCased, all the way down.
fn camel_keys(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.into_iter()
                .map(|(k, v)| (camel(&k), camel_keys(v)))
                .collect(),
        ),
        other => other,
    }
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
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

/// A sequence number from JS: a whole number, exactly representable.
fn sequence(n: Option<f64>) -> Result<u64, JsError> {
    match n {
        None => Ok(0),
        Some(n) if (0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0 => Ok(n as u64),
        Some(_) => Err(JsError::new("minSequence must be a whole number ≥ 0")),
    }
}

fn trust_list(certs: &[String]) -> Result<TrustList, JsError> {
    add_certs(TrustList::new(), certs)
}

fn add_certs(mut trust: TrustList, certs: &[String]) -> Result<TrustList, JsError> {
    for cert in certs {
        trust.add_any(cert.as_bytes()).map_err(js_error)?;
    }
    Ok(trust)
}

/// Verifies passes of every format (HCERT, SMART Health Cards, ICAO
/// seals) against a fixed set of signers.
#[wasm_bindgen]
pub struct Verifier {
    inner: healthpass::Verifier,
    /// GDHCN keys left out when this verifier was made (0 otherwise).
    left_out: usize,
    /// The SMART Health Card issuers it trusts (the JS side adds to them
    /// by deriving).
    #[cfg(feature = "formats")]
    shc: ShcIssuers,
}

/// A verifier of `trust` with the given clock skew (default 0).
fn verifier_of(trust: TrustList, clock_skew_secs: Option<u32>) -> Result<Verifier, JsError> {
    let inner = healthpass::Verifier::builder()
        .trust_list(trust)
        .clock_skew_secs(clock_skew_secs.unwrap_or(0))
        .build()
        .map_err(js_error)?;
    Ok(Verifier {
        inner,
        left_out: 0,
        #[cfg(feature = "formats")]
        shc: ShcIssuers::new(),
    })
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier trusting `certs`: each string a PEM text (one or more
    /// certificates) or the base64 of one DER certificate. `clockSkewSecs`
    /// (optional, default 0, at most 86400) tolerates clocks that disagree.
    ///
    /// In the formats and GDHCN packages, certificates of certification
    /// authorities among them are the country signing CAs that ICAO seal
    /// signers may chain to (as the command line's `--trust`); seal signers
    /// themselves are pinned.
    #[wasm_bindgen(constructor)]
    pub fn new(certs: Vec<String>, clock_skew_secs: Option<u32>) -> Result<Verifier, JsError> {
        #[cfg(not(feature = "formats"))]
        return verifier_of(trust_list(&certs)?, clock_skew_secs);
        #[cfg(feature = "formats")]
        {
            let mut trust = TrustList::new();
            let mut cas = healthpass::trust::CscaList::new();
            for cert in &certs {
                trust
                    .add_any_with_cas(cert.as_bytes(), &mut cas)
                    .map_err(js_error)?;
            }
            let mut v = verifier_of(trust, clock_skew_secs)?;
            if !cas.is_empty() {
                v.inner = v
                    .inner
                    .to_builder()
                    .seal_cscas(cas)
                    .build()
                    .map_err(js_error)?;
            }
            Ok(v)
        }
    }

    /// A verifier like this one with the signing keys of one SMART Health
    /// Card issuer's JWK set (the JSON of its `.well-known/jwks.json`)
    /// bound to that issuer: they verify only cards whose `iss` is exactly
    /// `issuer`. All or nothing: throws for a set that cannot be read,
    /// holds a private key, or any key that cannot be used.
    #[cfg(feature = "formats")]
    #[wasm_bindgen(js_name = withShcJwks)]
    pub fn with_shc_jwks(&self, json: &str, issuer: &str) -> Result<Verifier, JsError> {
        let mut shc = self.shc.clone();
        shc.add_jwks_strict(json, KeyBinding::Issuer(issuer))
            .map_err(js_error)?;
        self.with_shc(shc)
    }

    /// As `withShcJwks`, for a set whose issuer is not known: its keys
    /// verify cards of **any** `iss` (unless another set binds them). The
    /// explicit opt-in.
    #[cfg(feature = "formats")]
    #[wasm_bindgen(js_name = withShcJwksAnyIssuer)]
    pub fn with_shc_jwks_any_issuer(&self, json: &str) -> Result<Verifier, JsError> {
        let mut shc = self.shc.clone();
        shc.add_jwks_strict(json, KeyBinding::AnyIssuer)
            .map_err(js_error)?;
        self.with_shc(shc)
    }

    /// A verifier like this one with trust anchors (PEM or base64 CA
    /// certificates) for SMART Health Card keys: keys added afterwards that
    /// carry an `x5c` chain must chain to one, name the card's issuer and
    /// be valid at verification.
    #[cfg(feature = "formats")]
    #[wasm_bindgen(js_name = withShcAnchors)]
    pub fn with_shc_anchors(&self, pem: &str) -> Result<Verifier, JsError> {
        let mut shc = self.shc.clone();
        shc.add_anchors(pem.as_bytes()).map_err(js_error)?;
        self.with_shc(shc)
    }

    /// A verifier like this one with an issuer's SMART Health Card
    /// revocation list for one key (the JSON of `.well-known/crl/<kid>.json`):
    /// a listed card is "revoked"; a list older than its key's `crlVersion`
    /// makes that key's cards "untrusted".
    #[cfg(feature = "formats")]
    #[wasm_bindgen(js_name = withShcRevocationList)]
    pub fn with_shc_revocation_list(&self, json: &str) -> Result<Verifier, JsError> {
        let mut shc = self.shc.clone();
        shc.add_revocation_list(json).map_err(js_error)?;
        self.with_shc(shc)
    }

    /// The number of SMART Health Card keys trusted.
    #[cfg(feature = "formats")]
    #[wasm_bindgen(getter, js_name = shcKeyCount)]
    pub fn shc_key_count(&self) -> usize {
        self.shc.len()
    }

    /// A verifier in the chained mode: each of `certs` must have been
    /// issued by one of the country signing CAs `cscas` (PEM or base64
    /// strings): a CA with keyCertSign, of the signer's country, without
    /// unknown critical extensions. A signer is valid only while its CSCA
    /// is. Throws when a CSCA is not acceptable or a signer does not chain.
    pub fn chained(
        certs: Vec<String>,
        cscas: Vec<String>,
        clock_skew_secs: Option<u32>,
    ) -> Result<Verifier, JsError> {
        let mut list = healthpass::trust::CscaList::new();
        for csca in &cscas {
            list.add_any(csca.as_bytes()).map_err(js_error)?;
        }
        verifier_of(
            add_certs(TrustList::chained_to(list), &certs)?,
            clock_skew_secs,
        )
    }

    /// A verifier trusting the signers of a signed trust list (bytes of a
    /// `healthpass trust build` file), verified at `unixSeconds` against
    /// `anchors` (PEM or base64 strings: the certificates that sign trust
    /// lists) and not older than `minSequence` (optional: the last sequence
    /// you accepted). Throws when the list does not verify; once it has
    /// expired, every verdict is "untrusted".
    #[wasm_bindgen(js_name = fromTrustList)]
    pub fn from_trust_list(
        list: &[u8],
        anchors: Vec<String>,
        unix_seconds: f64,
        min_sequence: Option<f64>,
        clock_skew_secs: Option<u32>,
    ) -> Result<Verifier, JsError> {
        let trust = TrustListLoader::new(trust_list(&anchors)?)
            .min_sequence(sequence(min_sequence)?)
            .load(list, time(unix_seconds)?)
            .map_err(js_error)?;
        verifier_of(trust, clock_skew_secs)
    }

    /// A verifier trusting the DSCs of a WHO GDHCN DID trust list (its JSON
    /// text) whose proof verifies offline against the WHO signing key's DID
    /// document (`signerJson`): the keys of `domains` (e.g. `["DCC"]`; empty
    /// or omitted: all), each chained to its SCA. Throws when the proof does
    /// not verify; keys that do not chain are left out (`gdhcnLeftOut` says
    /// how many). Only in the `gdhcn` package (JSON-LD makes it larger).
    #[cfg(feature = "gdhcn")]
    #[wasm_bindgen(js_name = fromGdhcn)]
    pub fn from_gdhcn(
        list_json: &str,
        signer_json: &str,
        domains: Option<Vec<String>>,
        clock_skew_secs: Option<u32>,
    ) -> Result<Verifier, JsError> {
        use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};
        let signer = WhoSigner::from_did_document(signer_json.as_bytes()).map_err(js_error)?;
        let did = DidTrustList::verify(list_json.as_bytes(), &signer).map_err(js_error)?;
        let selection = domains
            .unwrap_or_default()
            .into_iter()
            .fold(KeySelection::new(), KeySelection::domain);
        let selected = did.select(&selection);
        let mut v = verifier_of(selected.trust, clock_skew_secs)?;
        v.left_out = selected.refused.len();
        Ok(v)
    }

    /// For a verifier made by `fromGdhcn`: how many selected keys were left
    /// out because they do not chain (0 otherwise).
    #[wasm_bindgen(getter, js_name = gdhcnLeftOut)]
    pub fn gdhcn_left_out(&self) -> usize {
        self.left_out
    }

    /// The number of trusted certificates.
    #[wasm_bindgen(getter, js_name = certificateCount)]
    pub fn certificate_count(&self) -> usize {
        self.inner.trust_list().len()
    }

    /// The clock skew tolerated, in seconds.
    #[wasm_bindgen(getter, js_name = clockSkewSecs)]
    pub fn clock_skew_secs(&self) -> u32 {
        self.inner.clock_skew_secs()
    }

    /// A verifier like this one that also checks a signed revocation list
    /// (bytes of a `healthpass revocation build --sign` file), verified at
    /// `unixSeconds` against `anchors` (PEM or base64 strings: the
    /// certificates that sign lists, never the pass signers by default).
    /// `minSequence` (optional) is the last sequence number accepted for
    /// this list: an older one is refused. Passes on it are then rejected as
    /// "revoked". A list that does not verify throws; an expired list is
    /// taken, and every verdict is then "untrusted" (as in the command line
    /// and C).
    #[wasm_bindgen(js_name = withRevocationList)]
    pub fn with_revocation_list(
        &self,
        list: &[u8],
        anchors: Vec<String>,
        unix_seconds: f64,
        min_sequence: Option<f64>,
    ) -> Result<Verifier, JsError> {
        let list = RevocationListLoader::new(trust_list(&anchors)?)
            .min_sequence(sequence(min_sequence)?)
            .load(list, time(unix_seconds)?)
            .map_err(js_error)?;
        let revocation = self
            .inner
            .revocation()
            .cloned()
            .unwrap_or_else(Revocation::new)
            .with_list(list);
        self.derive(self.inner.to_builder().revocation(revocation))
    }

    /// A verifier like this one but for whether passes of a family member
    /// (`"dvc"`, `"ddcc-vaccination"`, `"ddcc-test"`) may lack an `exp`. By
    /// default a DVC may, a DDCC may not; an EU DCC never may (throws). Such
    /// a pass is valid until its own validity ends, or without end.
    #[wasm_bindgen(js_name = acceptMissingExp)]
    pub fn accept_missing_exp(&self, member: &str, accept: bool) -> Result<Verifier, JsError> {
        let member = match Member::from_name(member) {
            Some(Member::EuDcc) | None => {
                return Err(JsError::new(
                    "the member must be \"dvc\", \"ddcc-vaccination\" or \"ddcc-test\"",
                ))
            }
            Some(m) => m,
        };
        self.derive(self.inner.to_builder().accept_missing_exp(member, accept))
    }

    /// A verifier like this one with admission rules from CertLogic JSON
    /// text (an EU business rule, an array of them, or a set with scan
    /// modes), in place of any it had: every verdict then carries
    /// `admission`, and `valid` means admitted. `policy` (optional) is the
    /// default for `verify`. Throws for rules that do not pass the schema.
    #[wasm_bindgen(js_name = withRules)]
    pub fn with_rules(&self, json: &str, policy: Option<PolicyArg>) -> Result<Verifier, JsError> {
        let rules = RuleSet::from_json(json).map_err(js_error)?;
        self.with_rule_set(rules, policy)
    }

    /// A verifier like this one with admission rules from a signed rule set
    /// (the bytes `healthpass rules build` writes), verified at
    /// `unixSeconds` against `anchors` (PEM or base64 certificates of the
    /// rule publishers, never the pass signers) and not older than
    /// `minSequence` (the last one you accepted; default 0): rules no one
    /// can replace on the way. Past its expiry the set admits nobody.
    /// Throws for an unsigned file, another signer, a changed byte or an
    /// older sequence. As `withRules` otherwise.
    #[wasm_bindgen(js_name = withSignedRules)]
    pub fn with_signed_rules(
        &self,
        bytes: &[u8],
        anchors: Vec<String>,
        unix_seconds: f64,
        min_sequence: Option<f64>,
        policy: Option<PolicyArg>,
    ) -> Result<Verifier, JsError> {
        let rules = RuleSetLoader::new(trust_list(&anchors)?)
            .min_sequence(sequence(min_sequence)?)
            .load(bytes, time(unix_seconds)?)
            .map_err(js_error)?;
        self.with_rule_set(rules, policy)
    }

    /// A verifier like this one with a built-in rule set: "3g", "2g",
    /// "2g-plus" or "vaccinated-recovered-exempt" (each applies its own scan
    /// mode), as `withRules`.
    #[wasm_bindgen(js_name = withPreset)]
    pub fn with_preset(&self, name: &str, policy: Option<PolicyArg>) -> Result<Verifier, JsError> {
        let rules = RuleSet::preset(name).map_err(js_error)?;
        self.with_rule_set(rules, policy)
    }

    /// The number of admission rules in use (0 without rules).
    #[wasm_bindgen(getter, js_name = ruleCount)]
    pub fn rule_count(&self) -> usize {
        self.inner.rules().map_or(0, |r| r.rules().len())
    }

    /// Verifies a pass's text at `unixSeconds` and returns the
    /// privacy-minimal verdict (never throws for a bad pass). With rules,
    /// they are applied under `policy` (optional: the one given with the
    /// rules).
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn verify(
        &self,
        text: &str,
        unix_seconds: f64,
        policy: Option<PolicyArg>,
    ) -> Result<JsValue, JsError> {
        let now = time(unix_seconds)?;
        let verdict = match policy_of(policy)? {
            Some(p) => self.inner.verdict_with(text, now, &p),
            None => self.inner.verdict(text, now),
        };
        let json = serde_json::to_value(&verdict).map_err(js_error)?;
        to_js(&camel_keys(json))
    }

    /// **Health data.** The whole payload of a valid pass as a plain object
    /// (an HCERT payload, a SMART Health Card's FHIR bundle, an ICAO seal's
    /// `msg`); throws (with the reason) for a pass that does not verify.
    pub fn payload(&self, text: &str, unix_seconds: f64) -> Result<JsValue, JsError> {
        let pass = self
            .inner
            .verify(text, time(unix_seconds)?)
            .map_err(js_error)?;
        to_js(&pass.health_json().map_err(js_error)?)
    }
}

impl Verifier {
    /// A verifier built from `builder`, keeping what the JS side holds.
    fn derive(&self, builder: healthpass::VerifierBuilder) -> Result<Verifier, JsError> {
        Ok(Verifier {
            inner: builder.build().map_err(js_error)?,
            left_out: self.left_out,
            #[cfg(feature = "formats")]
            shc: self.shc.clone(),
        })
    }

    #[cfg(feature = "formats")]
    fn with_shc(&self, shc: ShcIssuers) -> Result<Verifier, JsError> {
        let mut v = self.derive(self.inner.to_builder().shc_issuers(shc.clone()))?;
        v.shc = shc;
        Ok(v)
    }

    fn with_rule_set(
        &self,
        rules: RuleSet,
        policy: Option<PolicyArg>,
    ) -> Result<Verifier, JsError> {
        let policy = policy_of(policy)?.unwrap_or_default();
        self.derive(self.inner.to_builder().rules(rules).policy(policy))
    }
}

/// Reads the text of the QR code in an image (PNG bytes).
#[wasm_bindgen(js_name = decodeQrImage)]
pub fn decode_qr_image(bytes: &[u8]) -> Result<String, JsError> {
    healthpass::qr::decode_image(bytes).map_err(js_error)
}

#[wasm_bindgen]
extern "C" {
    /// A camera frame: an `ImageData`, or any `{data, width, height}`
    /// with RGBA bytes.
    #[wasm_bindgen(
        typescript_type = "{ data: Uint8ClampedArray | Uint8Array; width: number; height: number }"
    )]
    pub type FrameArg;
    #[wasm_bindgen(method, getter, structural)]
    fn data(this: &FrameArg) -> wasm_bindgen::Clamped<Vec<u8>>;
    #[wasm_bindgen(method, getter, structural)]
    fn width(this: &FrameArg) -> u32;
    #[wasm_bindgen(method, getter, structural)]
    fn height(this: &FrameArg) -> u32;
}

/// Reads the text of the first QR code in a camera frame: the `ImageData`
/// a canvas's `getImageData` gives (RGBA), with no PNG round trip; the code
/// anywhere in the frame, dark on light or light on dark. Throws "no qr
/// code found" (and the like) otherwise.
#[wasm_bindgen(js_name = decodeQrFrame)]
pub fn decode_qr_frame(frame: &FrameArg) -> Result<String, JsError> {
    let (width, height) = (frame.width() as usize, frame.height() as usize);
    let data = frame.data().0;
    healthpass::qr::decode_rgba(&data, width, height, width.saturating_mul(4)).map_err(js_error)
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_camel_cased() {
        assert_eq!(camel("family_name_std"), "familyNameStd");
        assert_eq!(camel("valid"), "valid");
        let v =
            camel_keys(serde_json::json!({"error_kind": null, "holder": {"date_of_birth": "x"}}));
        assert_eq!(
            v,
            serde_json::json!({"errorKind": null, "holder": {"dateOfBirth": "x"}})
        );
    }
}
