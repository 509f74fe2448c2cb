//! CWT claims (RFC 8392) as the hcert spec uses them: `iss` (1), `exp` (4),
//! `iat` (6) and the health certificate claim `hcert` (-260) → {member key:
//! payload}, exactly one member (1 EU DCC, 3 DDCC:VS, 4 DDCC:TR, -6 DVC: see
//! [`Member`]), or, in a light pass, the claim -250 instead:
//!
//! ```text
//! -250 → { 1: {ver, nam, dob},
//!          2: { 1: UCI hash, 2: COUNTRYCODEUCI hash (co), 3: COUNTRYCODEUCI hash (iss),
//!               4: SIGNATURE hash },
//!          3: "v" | "t" | "r" | "e" }
//! ```
//!
//! Key 2 holds the revocation hashes (16 bytes each; 1–3 when the source
//! has a `ci`) of the pass the light pass was made from: identifiers, not
//! health data. A verifier with revocation lists looks them up too, so a
//! light pass dies with its source. Key 3 says which kind of pass the
//! source was (vaccination, test, recovery, exemption) and nothing more,
//! so that a gate's rules can refuse light passes made from tests; light
//! passes made before it was written lack it, and rules then know nothing
//! of their source.

// Some items serve only the tests and fuzz targets (feature `internals`).
#![cfg_attr(not(feature = "internals"), allow(dead_code))]

use crate::cbor::{self, Value};
use crate::cose::CoseSign1;
use crate::payload::family::{self, FamilyChecked};
use crate::payload::{lean, Member, Payload};
use crate::PassKind;
use crate::{Error, UnixTime};

const CLAIM_ISS: i64 = 1;
const CLAIM_EXP: i64 = 4;
const CLAIM_IAT: i64 = 6;
const CLAIM_HCERT: i64 = -260;
const CLAIM_LIGHT: i64 = -250;
const LIGHT_PAYLOAD: i64 = 1;
const LIGHT_SOURCE: i64 = 2;
const LIGHT_MADE_FROM: i64 = 3;

/// The revocation hashes of the pass a light pass was made from (see the
/// module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceHashes {
    pub(crate) uci: Option<[u8; 16]>,
    pub(crate) cc_uci_co: Option<[u8; 16]>,
    pub(crate) cc_uci_iss: Option<[u8; 16]>,
    pub(crate) signature: [u8; 16],
    /// The kind of the source (light claim key 3), when the light pass
    /// says it.
    pub(crate) made_from: Option<PassKind>,
}

/// The code of a source kind in the light claim (key 3).
fn made_from_code(kind: PassKind) -> Option<&'static str> {
    match kind {
        PassKind::Vaccination => Some("v"),
        PassKind::Test => Some("t"),
        PassKind::Recovery => Some("r"),
        PassKind::Exemption => Some("e"),
        _ => None,
    }
}

impl SourceHashes {
    fn encode(&self, e: &mut cbor::Encoder) {
        let fields = [
            (1, self.uci),
            (2, self.cc_uci_co),
            (3, self.cc_uci_iss),
            (4, Some(self.signature)),
        ];
        e.map(fields.iter().filter(|(_, h)| h.is_some()).count());
        for (k, h) in fields {
            if let Some(h) = h {
                e.int(k).bytes(&h);
            }
        }
    }

    fn decode(v: &Value<'_>) -> Result<Self, Error> {
        let bad = Error::Claims("bad source hashes in the light claim");
        let Value::Map(pairs) = v else {
            return Err(bad);
        };
        let mut out = [None; 4];
        for (k, h) in pairs {
            let slot = k
                .as_i64()
                .and_then(|k| usize::try_from(k - 1).ok())
                .and_then(|i| out.get_mut(i))
                .ok_or(bad.clone())?;
            let Value::Bytes(h) = h else {
                return Err(bad);
            };
            *slot = Some(<[u8; 16]>::try_from(h.as_ref()).map_err(|_| bad.clone())?);
        }
        let [uci, cc_uci_co, cc_uci_iss, signature] = out;
        Ok(SourceHashes {
            uci,
            cc_uci_co,
            cc_uci_iss,
            signature: signature.ok_or(bad)?,
            made_from: None,
        })
    }
}

/// The registered claims of a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Issuing country (ISO 3166-1 alpha-2), or whatever the issuer wrote.
    pub issuer: Option<String>,
    /// Issued at.
    pub issued_at: UnixTime,
    /// Expires at. Always there in an EU DCC and a light pass (decoding
    /// refuses one without); DDCC and DVC passes may lack it, and the
    /// verifier's policy decides.
    pub expires: Option<UnixTime>,
}

/// A CWT decoded without verification.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The registered claims.
    pub claims: Claims,
    /// The payload.
    pub payload: Payload,
    /// For a light pass: its source's revocation hashes.
    pub(crate) source: Option<SourceHashes>,
}

/// Decodes the CWT claims and the health payload from the COSE payload
/// bytes.
///
/// # Errors
/// [`Error::Cbor`] / [`Error::TrailingBytes`] for bad CBOR,
/// [`Error::Claims`] for missing or mistyped claims, [`Error::Payload`] for a
/// payload that cannot be represented (see [`Payload`]).
pub fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
    let v = cbor::decode_exact(bytes, "cwt claims")?;
    let claims = claims_of(&v)?;
    let found = payload_of(&v)?;
    Ok(Decoded {
        claims,
        payload: Payload::from_cbor(found.member, found.payload)?,
        source: found.source,
    })
}

/// Decodes the claims and checks the payload's structure exactly as
/// verification does, without building its JSON form (the verification
/// path's claims-and-payload stage, on its own).
///
/// # Errors
/// As [`decode`].
pub fn check(bytes: &[u8]) -> Result<Claims, Error> {
    decode_checked(bytes).map(|c| c.claims)
}

/// What verification takes from the CWT: the claims, the payload checked
/// (an EU DCC on the CBOR tree, no JSON built; a DDCC or DVC on its JSON)
/// with the holder taken out, and a light pass's source hashes.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub(crate) claims: Claims,
    pub(crate) member: Member,
    pub(crate) payload: CheckedPayload,
    pub(crate) source: Option<SourceHashes>,
}

/// A checked payload, by member.
#[derive(Debug, Clone)]
pub(crate) enum CheckedPayload {
    /// An EU DCC or a light pass.
    Eu(lean::Checked),
    /// A DDCC or DVC, with the payload (its JSON was built for the check).
    Family(FamilyChecked, Payload),
}

/// The verification path's decoding.
pub(crate) fn decode_checked(bytes: &[u8]) -> Result<Checked, Error> {
    let v = cbor::decode_exact(bytes, "cwt claims")?;
    let claims = claims_of(&v)?;
    let found = payload_of(&v)?;
    let payload = match found.member {
        Member::EuDcc => CheckedPayload::Eu(lean::check(found.payload, found.source.is_some())?),
        member => {
            let payload = Payload::from_cbor(member, found.payload)?;
            let checked = family::check(member, payload.as_value())?;
            CheckedPayload::Family(checked, payload)
        }
    };
    Ok(Checked {
        claims,
        member: found.member,
        payload,
        source: found.source,
    })
}

/// Where the payload is, of which member, and for a light pass its source
/// hashes.
struct Found<'v, 'a> {
    member: Member,
    payload: &'v Value<'a>,
    source: Option<SourceHashes>,
}

fn payload_of<'v, 'a>(v: &'v Value<'a>) -> Result<Found<'v, 'a>, Error> {
    match (v.map_get_int(CLAIM_HCERT), v.map_get_int(CLAIM_LIGHT)) {
        (Some(hcert), None) => {
            let Value::Map(members) = hcert else {
                return Err(Error::Claims("hcert claim is not a map"));
            };
            let [(key, payload)] = members.as_slice() else {
                return Err(Error::Claims(if members.is_empty() {
                    "no member in the hcert claim"
                } else {
                    "more than one member in the hcert claim"
                }));
            };
            let key = key
                .as_i64()
                .ok_or(Error::Claims("an hcert member key is not an integer"))?;
            Ok(Found {
                member: Member::from_claim_key(key)?,
                payload,
                source: None,
            })
        }
        (None, Some(light)) => {
            let Value::Map(pairs) = light else {
                return Err(Error::Claims("light claim is not a map"));
            };
            if pairs.iter().any(|(k, _)| {
                !matches!(
                    k.as_i64(),
                    Some(LIGHT_PAYLOAD | LIGHT_SOURCE | LIGHT_MADE_FROM)
                )
            }) {
                return Err(Error::Claims("unknown key in the light claim"));
            }
            let payload = light
                .map_get_int(LIGHT_PAYLOAD)
                .ok_or(Error::Claims("no payload (1) in the light claim"))?;
            let source = light
                .map_get_int(LIGHT_SOURCE)
                .ok_or(Error::Claims("no source hashes (2) in the light claim"))?;
            let mut source = SourceHashes::decode(source)?;
            source.made_from = match light.map_get_int(LIGHT_MADE_FROM) {
                None => None,
                Some(Value::Text(t)) => Some(match t.as_ref() {
                    "v" => PassKind::Vaccination,
                    "t" => PassKind::Test,
                    "r" => PassKind::Recovery,
                    "e" => PassKind::Exemption,
                    _ => return Err(Error::Claims("the light claim's source kind (3) is not v, t, r or e")),
                }),
                Some(_) => return Err(Error::Claims("the light claim's source kind (3) is not text")),
            };
            Ok(Found {
                member: Member::EuDcc,
                payload,
                source: Some(source),
            })
        }
        (None, None) => Err(Error::Claims("no hcert claim (-260)")),
        (Some(_), Some(_)) => Err(Error::Claims(
            "both an hcert (-260) and a light (-250) claim",
        )),
    }
}

/// A legacy DDCC QR's CWT: the DDCC data set under text keys, no CWT
/// claims at all.
fn is_legacy_ddcc(v: &Value<'_>) -> bool {
    let Value::Map(pairs) = v else {
        return false;
    };
    !pairs.is_empty()
        && pairs.iter().all(|(k, _)| matches!(k, Value::Text(_)))
        && pairs.iter().any(|(k, _)| {
            matches!(k, Value::Text(t) if matches!(t.as_ref(), "name" | "birthDate" | "hcid" | "vaccine"))
        })
}

/// Parses the COSE_Sign1 of a pass; one with a short kid whose payload is
/// a legacy DDCC QR's CWT is said to be that ([`Error::LegacyDdcc`]).
pub(crate) fn parse_sign1(cose: &[u8]) -> Result<CoseSign1<'_>, Error> {
    CoseSign1::parse(cose).map_err(|e| match e {
        Error::InvalidKid { .. }
            if crate::cose::payload_unchecked(cose).is_some_and(|p| {
                cbor::decode_exact(&p, "cwt claims").is_ok_and(|v| is_legacy_ddcc(&v))
            }) =>
        {
            Error::LegacyDdcc
        }
        e => e,
    })
}

/// Whether the hcert claim holds one DDCC or DVC member: the only passes
/// that may lack an `exp`.
fn holds_family_member(v: &Value<'_>) -> bool {
    match v.map_get_int(CLAIM_HCERT) {
        Some(Value::Map(members)) => matches!(
            members.as_slice(),
            [(k, _)] if k.as_i64().and_then(|k| Member::from_claim_key(k).ok())
                .is_some_and(|m| m != Member::EuDcc)
        ),
        _ => false,
    }
}

/// The registered claims. `exp` may be missing only in a DDCC or DVC pass.
fn claims_of(v: &Value<'_>) -> Result<Claims, Error> {
    if is_legacy_ddcc(v) {
        return Err(Error::LegacyDdcc);
    }
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
    let issued_at = time(CLAIM_IAT, "no iat")?;
    let expires = match v.map_get_int(CLAIM_EXP) {
        None if holds_family_member(v) => None,
        _ => Some(time(CLAIM_EXP, "no exp")?),
    };
    Ok(Claims {
        issuer,
        issued_at,
        expires,
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
/// shortest integers), the COSE payload of a pass: the payload under its
/// member's key of the hcert claim.
pub fn encode(claims: &Claims, payload: &Payload) -> Vec<u8> {
    let mut e = encode_claims(claims);
    e.int(CLAIM_HCERT).map(1).int(payload.member().claim_key());
    payload.encode_cbor(&mut e);
    e.into_bytes()
}

/// Encodes claims and a light pass's payload (`ver`, `nam`, `dob`) and its
/// source's revocation hashes under the claim -250.
pub(crate) fn encode_light(claims: &Claims, payload: &Payload, source: &SourceHashes) -> Vec<u8> {
    let made_from = source.made_from.and_then(made_from_code);
    let mut e = encode_claims(claims);
    e.int(CLAIM_LIGHT)
        .map(2 + usize::from(made_from.is_some()))
        .int(LIGHT_PAYLOAD);
    payload.encode_cbor(&mut e);
    e.int(LIGHT_SOURCE);
    source.encode(&mut e);
    if let Some(code) = made_from {
        e.int(LIGHT_MADE_FROM).text(code);
    }
    e.into_bytes()
}

/// The claims map's header and registered claims; the caller appends the
/// one health claim.
fn encode_claims(claims: &Claims) -> cbor::Encoder {
    let mut e = cbor::Encoder::new();
    let n = 2 + usize::from(claims.issuer.is_some()) + usize::from(claims.expires.is_some());
    e.map(n);
    if let Some(iss) = &claims.issuer {
        e.int(CLAIM_ISS).text(iss);
    }
    if let Some(exp) = claims.expires {
        e.int(CLAIM_EXP).int(exp.as_secs());
    }
    e.int(CLAIM_IAT).int(claims.issued_at.as_secs());
    e
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
            expires: Some(UnixTime::from_secs(1_700_000_000)),
        };
        let p = payload();
        let b = encode(&c, &p);
        let d = decode(&b).unwrap();
        assert_eq!(c, d.claims);
        assert_eq!(p.to_json(), d.payload.to_json());
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
        let c = decode(&e.into_bytes()).unwrap().claims;
        assert_eq!(c.expires.map(UnixTime::as_secs), Some(1_700_000_000));
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
            expires: Some(UnixTime::from_secs(1_600_172_800)),
        };
        let light = Payload::from_json(serde_json::json!({
            "ver": "1.3.0", "nam": {"gnt": "JANE"}, "dob": "1990-01-01"
        }))
        .unwrap();
        let source = SourceHashes {
            uci: Some([1; 16]),
            cc_uci_co: None,
            cc_uci_iss: Some([3; 16]),
            signature: [4; 16],
            made_from: None,
        };
        let checked = decode_checked(&encode_light(&c, &light, &source)).unwrap();
        assert_eq!(c, checked.claims);
        assert!(
            matches!(&checked.payload, CheckedPayload::Eu(p) if p.kind == crate::PassKind::Light)
        );
        assert_eq!(checked.source, Some(source));
        // The kind of its source (key 3), when the light pass says it.
        for kind in [
            PassKind::Vaccination,
            PassKind::Test,
            PassKind::Recovery,
            PassKind::Exemption,
        ] {
            let from = SourceHashes {
                made_from: Some(kind),
                ..source
            };
            let checked = decode_checked(&encode_light(&c, &light, &from)).unwrap();
            assert_eq!(checked.source.and_then(|s| s.made_from), Some(kind));
        }
        // Key 3 must be one of v, t, r, e.
        let mut e = cbor::Encoder::new();
        e.map(3).int(CLAIM_EXP).int(2).int(CLAIM_IAT).int(1);
        e.int(CLAIM_LIGHT).map(3).int(LIGHT_PAYLOAD);
        light.encode_cbor(&mut e);
        e.int(LIGHT_SOURCE);
        source.encode(&mut e);
        e.int(LIGHT_MADE_FROM).text("x");
        assert!(matches!(decode(&e.into_bytes()), Err(Error::Claims(_))));
        // A full payload under the light claim carries health data: refused.
        assert_eq!(
            decode_checked(&encode_light(&c, &payload(), &source)).unwrap_err(),
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
        // A light claim without source hashes, with a short hash, or with
        // an unknown key: refused.
        for (extra, hashes) in [
            (None, None),
            (None, Some(&[0u8; 15][..])),
            (Some(9), Some(&[0u8; 16][..])),
        ] {
            let mut e = encode_claims(&c);
            let n = 1 + usize::from(hashes.is_some()) + usize::from(extra.is_some());
            e.int(CLAIM_LIGHT).map(n).int(LIGHT_PAYLOAD);
            light.encode_cbor(&mut e);
            if let Some(h) = hashes {
                e.int(LIGHT_SOURCE).map(1).int(4).bytes(h);
            }
            if let Some(k) = extra {
                e.int(k).null();
            }
            assert!(
                matches!(decode_checked(&e.into_bytes()), Err(Error::Claims(_))),
                "{extra:?} {hashes:?}"
            );
        }
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
