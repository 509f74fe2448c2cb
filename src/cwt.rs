//! CWT claims (RFC 8392) as the hcert spec uses them: `iss` (1), `exp` (4),
//! `iat` (6) and the health certificate claim `hcert` (-260) → {1: payload},
//! or, in a light pass, the claim -250 → {1: {ver, nam, dob}} instead.

use crate::cbor::{self, Value};
use crate::payload::{lean, Payload};
use crate::{Error, UnixTime};

const CLAIM_ISS: i64 = 1;
const CLAIM_EXP: i64 = 4;
const CLAIM_IAT: i64 = 6;
const CLAIM_HCERT: i64 = -260;
const CLAIM_LIGHT: i64 = -250;
const HCERT_EU_DCC_V1: i64 = 1;

/// The registered claims of a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Issuing country (ISO 3166-1 alpha-2), or whatever the issuer wrote.
    pub issuer: Option<String>,
    /// Issued at.
    pub issued_at: UnixTime,
    /// Expires at.
    pub expires: UnixTime,
}

/// Decodes the CWT claims and the health payload from the COSE payload
/// bytes.
///
/// # Errors
/// [`Error::Cbor`] / [`Error::TrailingBytes`] for bad CBOR,
/// [`Error::Claims`] for missing or mistyped claims, [`Error::Payload`] for a
/// payload that cannot be represented (see [`Payload`]).
pub fn decode(bytes: &[u8]) -> Result<(Claims, Payload), Error> {
    let v = cbor::decode_exact(bytes, "cwt claims")?;
    let claims = claims_of(&v)?;
    Ok((claims, Payload::from_cbor(payload_of(&v)?.0)?))
}

/// Decodes the claims and checks the payload's structure exactly as
/// verification does, without building its JSON form (the verification
/// path's claims-and-payload stage, on its own).
///
/// # Errors
/// As [`decode`].
pub fn check(bytes: &[u8]) -> Result<Claims, Error> {
    decode_checked(bytes).map(|(claims, _)| claims)
}

/// The verification path: claims, and the payload checked on the CBOR tree
/// (no JSON built) with the holder taken out.
pub(crate) fn decode_checked(bytes: &[u8]) -> Result<(Claims, lean::Checked), Error> {
    let v = cbor::decode_exact(bytes, "cwt claims")?;
    let claims = claims_of(&v)?;
    let (payload, light) = payload_of(&v)?;
    Ok((claims, lean::check(payload, light)?))
}

/// The payload, and whether it is a light pass's (claim -250).
fn payload_of<'v, 'a>(v: &'v Value<'a>) -> Result<(&'v Value<'a>, bool), Error> {
    let (container, light) = match (v.map_get_int(CLAIM_HCERT), v.map_get_int(CLAIM_LIGHT)) {
        (Some(hcert), None) => (hcert, false),
        (None, Some(light)) => (light, true),
        (None, None) => return Err(Error::Claims("no hcert claim (-260)")),
        (Some(_), Some(_)) => {
            return Err(Error::Claims(
                "both an hcert (-260) and a light (-250) claim",
            ))
        }
    };
    if !matches!(container, Value::Map(_)) {
        return Err(Error::Claims("hcert claim is not a map"));
    }
    let payload = container
        .map_get_int(HCERT_EU_DCC_V1)
        .ok_or(Error::Claims("no eu dcc (1) in the hcert claim"))?;
    Ok((payload, light))
}

fn claims_of(v: &Value<'_>) -> Result<Claims, Error> {
    if !matches!(v, Value::Map(_)) {
        return Err(Error::Claims("not a map"));
    }
    let issuer = match v.map_get_int(CLAIM_ISS) {
        None => None,
        Some(Value::Text(s)) => Some(s.to_string()),
        Some(_) => return Err(Error::Claims("iss is not text")),
    };
    let time = |key: i64, name: &'static str| -> Result<UnixTime, Error> {
        match v.map_get_int(key) {
            None => Err(Error::Claims(name)),
            Some(t) => seconds(t.untagged(), key == CLAIM_EXP)
                .map(UnixTime::from_secs)
                .ok_or(Error::Claims("iat or exp is not a number of seconds")),
        }
    };
    Ok(Claims {
        issuer,
        issued_at: time(CLAIM_IAT, "no iat")?,
        expires: time(CLAIM_EXP, "no exp")?,
    })
}

/// Seconds from an integer, or from a finite float (some issuers wrote
/// fractional seconds): rounded towards the stricter side, down for `exp`
/// and up for `iat`.
fn seconds(v: &Value<'_>, round_down: bool) -> Option<i64> {
    match v {
        Value::Float(f) if f.is_finite() && f.abs() < 9.0e15 => {
            let r = if round_down { f.floor() } else { f.ceil() };
            Some(r as i64)
        }
        other => other.as_i64(),
    }
}

/// Encodes claims and a payload as the CWT bytes (definite lengths,
/// shortest integers), the COSE payload of a pass.
pub fn encode(claims: &Claims, payload: &Payload) -> Vec<u8> {
    encode_with(claims, CLAIM_HCERT, payload)
}

/// Encodes claims and a light pass's payload (`ver`, `nam`, `dob`) under
/// the claim -250.
pub fn encode_light(claims: &Claims, payload: &Payload) -> Vec<u8> {
    encode_with(claims, CLAIM_LIGHT, payload)
}

fn encode_with(claims: &Claims, claim: i64, payload: &Payload) -> Vec<u8> {
    let mut e = cbor::Encoder::new();
    let n = 3 + usize::from(claims.issuer.is_some());
    e.map(n);
    if let Some(iss) = &claims.issuer {
        e.int(CLAIM_ISS).text(iss);
    }
    e.int(CLAIM_EXP).int(claims.expires.as_secs());
    e.int(CLAIM_IAT).int(claims.issued_at.as_secs());
    e.int(claim).map(1).int(HCERT_EU_DCC_V1);
    payload.encode_cbor(&mut e);
    e.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> Payload {
        Payload::from_json(serde_json::json!({
            "ver": "1.3.0",
            "nam": {"fnt": "DOE", "gnt": "JANE"},
            "dob": "1990-01-01",
            "v": [{"tg": "840539006", "dn": 1}]
        }))
        .unwrap()
    }

    #[test]
    fn round_trip() {
        let c = Claims {
            issuer: Some("AT".into()),
            issued_at: UnixTime::from_secs(1_600_000_000),
            expires: UnixTime::from_secs(1_700_000_000),
        };
        let p = payload();
        let b = encode(&c, &p);
        let (c2, p2) = decode(&b).unwrap();
        assert_eq!(c, c2);
        assert_eq!(p.to_json(), p2.to_json());
    }

    #[test]
    fn fractional_seconds_round_to_the_strict_side() {
        let mut e = cbor::Encoder::new();
        e.map(3)
            .int(CLAIM_EXP)
            .float(1_700_000_000.75)
            .int(CLAIM_IAT)
            .float(1_600_000_000.25);
        e.int(CLAIM_HCERT).map(1).int(1).map(0);
        let (c, _) = decode(&e.into_bytes()).unwrap();
        assert_eq!(c.expires.as_secs(), 1_700_000_000);
        assert_eq!(c.issued_at.as_secs(), 1_600_000_001);
        let mut e = cbor::Encoder::new();
        e.map(2)
            .int(CLAIM_EXP)
            .float(f64::NAN)
            .int(CLAIM_IAT)
            .int(1);
        assert!(matches!(decode(&e.into_bytes()), Err(Error::Claims(_))));
    }

    #[test]
    fn light_claim() {
        let c = Claims {
            issuer: Some("XX".into()),
            issued_at: UnixTime::from_secs(1_600_000_000),
            expires: UnixTime::from_secs(1_600_172_800),
        };
        let light = Payload::from_json(serde_json::json!({
            "ver": "1.3.0", "nam": {"gnt": "JANE"}, "dob": "1990-01-01"
        }))
        .unwrap();
        let (c2, checked) = decode_checked(&encode_light(&c, &light)).unwrap();
        assert_eq!(c, c2);
        assert_eq!(checked.kind, crate::trust::PassKind::Light);
        // A full payload under the light claim carries health data: refused.
        assert_eq!(
            decode_checked(&encode_light(&c, &payload())).unwrap_err(),
            Error::Payload("health data in a light pass")
        );
        // Both claims at once: refused.
        let mut e = cbor::Encoder::new();
        e.map(4).int(CLAIM_EXP).int(2).int(CLAIM_IAT).int(1);
        e.int(CLAIM_HCERT).map(1).int(1);
        payload().encode_cbor(&mut e);
        e.int(CLAIM_LIGHT).map(1).int(1);
        light.encode_cbor(&mut e);
        assert!(matches!(decode(&e.into_bytes()), Err(Error::Claims(_))));
    }

    #[test]
    fn missing_and_mistyped_claims() {
        let mut e = cbor::Encoder::new();
        e.map(1).int(CLAIM_EXP).int(1);
        assert_eq!(
            decode(&e.into_bytes()).unwrap_err(),
            Error::Claims("no iat")
        );
        let mut e = cbor::Encoder::new();
        e.map(2).int(CLAIM_EXP).text("soon").int(CLAIM_IAT).int(1);
        assert!(matches!(decode(&e.into_bytes()), Err(Error::Claims(_))));
        let mut e = cbor::Encoder::new();
        e.map(2).int(CLAIM_EXP).int(2).int(CLAIM_IAT).int(1);
        assert_eq!(
            decode(&e.into_bytes()).unwrap_err(),
            Error::Claims("no hcert claim (-260)")
        );
        let mut e = cbor::Encoder::new();
        e.array(0);
        assert_eq!(
            decode(&e.into_bytes()).unwrap_err(),
            Error::Claims("not a map")
        );
    }
}
