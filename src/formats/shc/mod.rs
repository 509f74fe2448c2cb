//! SMART Health Cards (spec 1.x, smart-on-fhir/health-cards): `shc:/`
//! QR text, a compact JWS signed with ES256 over a raw-DEFLATE JSON payload
//! that carries a FHIR bundle.
//!
//! - **Text**: `shc:/` then digits, each pair one character of the JWS
//!   (value + 45). Deprecated chunked codes `shc:/C/N/…` are put together
//!   when every chunk is given (one per line or separated by white space),
//!   else refused as [`Error::Unsupported`].
//! - **JWS**: header `{"zip": "DEF", "alg": "ES256", "kid": …}` and nothing
//!   critical; signature r‖s; payload inflated with a cap of
//!   [`MAX_PAYLOAD_LEN`].
//! - **Trust**: [`ShcIssuers`], built from issuers' JWK sets (the content of
//!   their `.well-known/jwks.json`, as files: nothing is fetched), keyed by
//!   `kid` (the RFC 7638 thumbprint, checked on load), optionally bound to an
//!   issuer URL. With anchors, a key that carries an `x5c` chain must chain
//!   to one of them, name the card's `iss` in its subjectAltName, and be
//!   valid when the card is verified.
//! - **Revocation**: the issuers' revocation lists (`method: rid`), loaded
//!   with [`ShcIssuers::add_revocation_list`]: a card whose `vc.rid` is
//!   listed (and issued before the entry's cut-off, if it has one) is
//!   [`Error::Revoked`]; a list older than its key's `crlVersion` makes
//!   every card of that key `untrusted`.
//! - **Holder**: the bundle's Patient `name` and `birthDate`; the bundle
//!   itself is health data, given only on request.

mod card;
mod issuers;
mod numeric;

use crate::formats::json::Json;
use crate::holder::{Holder, PassForm};
use crate::{Error, UnixTime};

use card::{claims_of, parse};
use issuers::IssuerKey;

pub(crate) use card::is_issuer_url;
pub use card::{HEALTH_CARD_TYPE, MAX_PAYLOAD_LEN};
pub use issuers::{JwksLoad, KeyBinding, ShcIssuers, MAX_KEYS_PER_KID, MAX_LIST_LEN};
pub use numeric::MAX_TEXT_LEN;

/// A SMART Health Card whose signature, issuer key, structure, times and
/// revocation status checked out.
///
/// Its `Debug` output leaves the FHIR bundle out.
#[derive(Clone)]
pub struct VerifiedCard {
    kid: String,
    issuer: String,
    not_before: UnixTime,
    expires: Option<UnixTime>,
    holder: Holder,
    claims: Json,
}

impl core::fmt::Debug for VerifiedCard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedCard")
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .field("not_before", &self.not_before)
            .field("expires", &self.expires)
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

impl VerifiedCard {
    /// Always [`PassForm::Shc`].
    pub fn form(&self) -> PassForm {
        PassForm::Shc
    }

    /// The holder: the Patient's name and birth date.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// The issuer URL (`iss`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The signing key's kid (its thumbprint).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// When the card was issued (`nbf`).
    pub fn issued_at(&self) -> UnixTime {
        self.not_before
    }

    /// Until when the card is valid: its `exp`, if it has one.
    pub fn valid_until(&self) -> Option<UnixTime> {
        self.expires
    }

    /// Health data: the FHIR bundle, as JSON. Ask for it only when the use
    /// case needs it.
    pub fn fhir_bundle(&self) -> serde_json::Value {
        self.claims
            .get("vc")
            .and_then(|vc| vc.get("credentialSubject"))
            .and_then(|s| s.get("fhirBundle"))
            .map_or(serde_json::Value::Null, Json::to_serde)
    }
}

/// What an unverified card says, for inspection: its key id and its whole
/// payload (health data included).
#[derive(Debug, Clone)]
pub struct DecodedCard {
    /// The signing key's kid.
    pub kid: String,
    /// The JWS payload (iss, nbf, exp, vc with the FHIR bundle).
    pub payload: serde_json::Value,
}

/// Decodes a card without verifying it (for `inspect`): the signature and
/// the issuer are not checked.
///
/// # Errors
/// As the decoding steps of verification: [`Error::Shc`],
/// [`Error::Json`], [`Error::Unsupported`], [`Error::Zlib`] …
pub fn decode(text: &str) -> Result<DecodedCard, Error> {
    let parsed = parse(text.trim())?;
    Ok(DecodedCard {
        payload: parsed.claims()?.to_serde(),
        kid: parsed.kid,
    })
}

/// Verifies a card's text at `now`.
pub(crate) fn verify(
    issuers: Option<&ShcIssuers>,
    text: &str,
    now: UnixTime,
    skew: i64,
) -> Result<VerifiedCard, Error> {
    let parsed = parse(text)?;
    if let Some(how) = issuers.and_then(|i| i.withdrawn.get(&parsed.kid)) {
        return Err(how.error());
    }
    let keys = issuers.map_or(&[][..], |i| i.keys(&parsed.kid));
    if keys.is_empty() {
        return Err(Error::UnknownKid);
    }
    if parsed.signature.len() != 64 {
        return Err(Error::BadSignature);
    }
    let verified: Vec<&IssuerKey> = keys
        .iter()
        .filter(|k| {
            k.key
                .verify(parsed.signing_input.as_bytes(), &parsed.signature)
                .is_ok()
        })
        .collect();
    if verified.is_empty() {
        return Err(Error::BadSignature);
    }
    // Only a signed payload is inflated and read.
    let payload = parsed.claims()?;
    let claims = claims_of(&payload)?;
    let in_window = |from: UnixTime, to: UnixTime, t: UnixTime| {
        t.saturating_add(skew) >= from && t.saturating_sub(skew) <= to
    };
    // Of the keys that verified, one bound to this issuer (or to none),
    // whose certificate chain, if checked, names the issuer and is valid.
    let mut refusal = Error::UntrustedSigner("the key is bound to another issuer");
    let chosen = verified.into_iter().find(|k| {
        if !k.signs_for(&claims.issuer) {
            return false;
        }
        if let Some(pki) = &k.pki {
            if !pki.uris.contains(&claims.issuer) {
                refusal =
                    Error::UntrustedSigner("the key's certificate does not name the card's issuer");
                return false;
            }
            if !in_window(pki.not_before, pki.not_after, now) {
                refusal = Error::SignerNotValid { at: now };
                return false;
            }
        }
        true
    });
    let Some(key) = chosen else {
        return Err(refusal);
    };
    if now.saturating_add(skew) < claims.not_before {
        return Err(Error::NotYetValid {
            at: now,
            valid_from: claims.not_before,
        });
    }
    if let Some(exp) = claims.expires.filter(|&e| now.saturating_sub(skew) > e) {
        return Err(Error::Expired {
            at: now,
            expired_at: exp,
        });
    }
    let list = issuers.and_then(|i| i.revocation.get(&parsed.kid));
    // A key that announces a revocation list (crlVersion) is checked
    // against one: without it, a revoked card would pass (fail closed).
    if key.crl_version.is_some() && list.is_none() {
        return Err(Error::RevocationListMissing);
    }
    if let Some(list) = list {
        if let Some(current) = key.crl_version.filter(|&v| v > list.ctr) {
            return Err(Error::RevocationListOutdated {
                loaded: list.ctr,
                current,
            });
        }
        if let Some(rid) = &claims.rid {
            match list.rids.get(rid) {
                Some(None) => return Err(Error::Revoked),
                Some(Some(cutoff)) if claims.not_before.as_secs() < *cutoff => {
                    return Err(Error::Revoked)
                }
                _ => {}
            }
        }
    }
    Ok(VerifiedCard {
        kid: parsed.kid,
        issuer: claims.issuer,
        not_before: claims.not_before,
        expires: claims.expires,
        holder: claims.holder,
        claims: payload,
    })
}

#[cfg(feature = "rustcrypto")]
mod sign;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use sign::{public_jwks, signing_key_from_jwk, CardContent};
