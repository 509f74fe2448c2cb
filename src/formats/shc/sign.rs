//! Issuing SMART Health Cards (feature `rustcrypto`): for tests, demos and
//! small issuers. The card is the spec's: header `{"zip":"DEF","alg":
//! "ES256","kid":<thumbprint>}`, raw-DEFLATE payload, `shc:/` text.

use base64ct::{Base64UrlUnpadded, Encoding as _};

use super::card::{is_rid, patient_of, HEALTH_CARD_TYPE};
use super::issuers::thumbprint;
use super::numeric;
use crate::crypto::Algorithm;
use crate::formats::json::{self, Json};
use crate::issue::SigningKey;
use crate::{Error, UnixTime};

/// What a card says: issuer, issue time, optional expiry and revocation
/// id, and the FHIR bundle (which must hold a Patient).
#[derive(Debug, Clone)]
pub struct CardContent {
    issuer: String,
    issued_at: UnixTime,
    expires: Option<UnixTime>,
    rid: Option<String>,
    bundle: serde_json::Value,
}

impl CardContent {
    /// A card of `issuer` (an `https` URL without a trailing `/`), issued at
    /// `issued_at` (its `nbf`), carrying `fhir_bundle`.
    pub fn new(issuer: &str, issued_at: UnixTime, fhir_bundle: serde_json::Value) -> Self {
        CardContent {
            issuer: issuer.to_owned(),
            issued_at,
            expires: None,
            rid: None,
            bundle: fhir_bundle,
        }
    }

    /// The card expires at `exp`.
    #[must_use]
    pub fn expires(mut self, exp: UnixTime) -> Self {
        self.expires = Some(exp);
        self
    }

    /// The card's revocation identifier (`vc.rid`: base64url, at most 24
    /// characters).
    #[must_use]
    pub fn rid(mut self, rid: &str) -> Self {
        self.rid = Some(rid.to_owned());
        self
    }

    /// Signs the card with an ES256 key; returns its `shc:/` text.
    ///
    /// # Errors
    /// [`Error::Issuing`] for an issuer that is not an `https` URL without a
    /// trailing `/`, a bad rid, or a bundle without a named Patient;
    /// [`Error::Key`] for a key that is not ES256.
    pub fn sign(&self, key: &SigningKey) -> Result<String, Error> {
        if key.algorithm() != Algorithm::Es256 {
            return Err(Error::Key("smart health cards are signed with es256"));
        }
        if !self.issuer.starts_with("https://") || self.issuer.ends_with('/') {
            return Err(Error::Issuing(
                "the issuer must be an https url without a trailing /",
            ));
        }
        if self.rid.as_deref().is_some_and(|r| !is_rid(r)) {
            return Err(Error::Issuing(
                "a rid is base64url of at most 24 characters",
            ));
        }
        let bundle = json::parse(&self.bundle.to_string())?;
        patient_of(&bundle).map_err(|_| Error::Issuing("the bundle needs a named patient"))?;
        let mut vc = serde_json::Map::new();
        vc.insert("type".into(), serde_json::json!([HEALTH_CARD_TYPE]));
        vc.insert(
            "credentialSubject".into(),
            serde_json::json!({"fhirVersion": "4.0.1", "fhirBundle": self.bundle}),
        );
        if let Some(rid) = &self.rid {
            vc.insert("rid".into(), rid.clone().into());
        }
        let mut payload = serde_json::Map::new();
        payload.insert("iss".into(), self.issuer.clone().into());
        payload.insert("nbf".into(), self.issued_at.as_secs().into());
        if let Some(exp) = self.expires {
            payload.insert("exp".into(), exp.as_secs().into());
        }
        payload.insert("vc".into(), vc.into());
        let payload = serde_json::Value::Object(payload);
        let (x, y) = public_xy(key)?;
        let header = format!(
            r#"{{"zip":"DEF","alg":"ES256","kid":"{}"}}"#,
            thumbprint(&x, &y)
        );
        let compressed = crate::transport::deflate_raw(payload.to_string().as_bytes())?;
        let signing_input = format!(
            "{}.{}",
            Base64UrlUnpadded::encode_string(header.as_bytes()),
            Base64UrlUnpadded::encode_string(&compressed)
        );
        let signature = key.sign(signing_input.as_bytes())?;
        let jws = format!(
            "{signing_input}.{}",
            Base64UrlUnpadded::encode_string(&signature)
        );
        Ok(numeric::encode(&jws))
    }
}

/// The base64url x and y of an ES256 key's public point.
fn public_xy(key: &SigningKey) -> Result<(String, String), Error> {
    let spki = key.public_key_der()?;
    let point = spki
        .len()
        .checked_sub(64)
        .and_then(|at| spki.get(at..))
        .ok_or(Error::Key("bad public key"))?;
    let (x, y) = point.split_at(32);
    Ok((
        Base64UrlUnpadded::encode_string(x),
        Base64UrlUnpadded::encode_string(y),
    ))
}

/// The public JWK set of an ES256 key, as an issuer publishes it at
/// `.well-known/jwks.json` (kid = its thumbprint).
///
/// # Errors
/// [`Error::Key`] for a key that is not ES256.
pub fn public_jwks(key: &SigningKey) -> Result<String, Error> {
    if key.algorithm() != Algorithm::Es256 {
        return Err(Error::Key("smart health cards are signed with es256"));
    }
    let (x, y) = public_xy(key)?;
    Ok(serde_json::json!({"keys": [{
        "kty": "EC", "kid": thumbprint(&x, &y), "use": "sig", "alg": "ES256",
        "crv": "P-256", "x": x, "y": y,
    }]})
    .to_string())
}

/// The signing key of a private JWK, or of the key `kid` of a private JWK
/// set (the spec's example issuer publishes one for making examples).
///
/// # Errors
/// [`Error::Key`] if there is no such P-256 private key, or `kid` is not
/// its thumbprint; [`Error::Json`] for text that is not JSON.
pub fn signing_key_from_jwk(jwk: &str, kid: Option<&str>) -> Result<SigningKey, Error> {
    let doc = json::parse(jwk)?;
    let candidates: Vec<&Json> = match doc.get("keys").and_then(Json::as_array) {
        Some(keys) => keys.iter().collect(),
        None => vec![&doc],
    };
    let s = |k: &Json, name: &str| k.get(name).and_then(Json::as_str).map(str::to_owned);
    let chosen = candidates
        .into_iter()
        .filter(|k| s(k, "d").is_some() && s(k, "crv").as_deref() == Some("P-256"))
        .find(|k| kid.is_none() || s(k, "kid").as_deref() == kid)
        .ok_or(Error::Key("no p-256 private jwk (with that kid)"))?;
    let d = s(chosen, "d").unwrap_or_default();
    let secret = Base64UrlUnpadded::decode_vec(&d).map_err(|_| Error::Key("bad d"))?;
    let key = SigningKey::from_p256_secret(&secret)?;
    let (x, y) = public_xy(&key)?;
    if let Some(given) = s(chosen, "kid") {
        if given != thumbprint(&x, &y) {
            return Err(Error::Key("the jwk's kid is not its thumbprint"));
        }
    }
    Ok(key)
}
