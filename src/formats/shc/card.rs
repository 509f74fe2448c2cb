//! A card's text read up to its trust decision (the compact JWS and its
//! header), and its payload once signed (raw DEFLATE, the claims, the
//! FHIR bundle's Patient).

use base64ct::{Base64UrlUnpadded, Encoding as _};

use super::numeric;
use crate::formats::json::{self, Json};
use crate::holder::Holder;
use crate::{Error, UnixTime};

/// Largest inflated payload, in bytes (a card that fits QR codes inflates
/// to a few KiB).
pub const MAX_PAYLOAD_LEN: usize = 64 * 1024;

/// The credential type every SMART Health Card carries.
pub const HEALTH_CARD_TYPE: &str = "https://smarthealth.cards#health-card";

/// A card's parts before any trust decision.
pub(super) struct Parsed {
    pub(super) kid: String,
    /// `header.payload`, as signed.
    pub(super) signing_input: String,
    pub(super) signature: Vec<u8>,
    /// The payload as sent: raw DEFLATE, inflated only once signed.
    pub(super) compressed: Vec<u8>,
}

impl Parsed {
    /// Inflates and parses the payload.
    pub(super) fn claims(&self) -> Result<Json, Error> {
        let inflated = inflate_payload(&self.compressed)?;
        json::parse(core::str::from_utf8(&inflated).map_err(|_| Error::NotText)?)
    }
}

/// Decodes `shc:/…` text to its JWS and checks the header: everything but
/// the signature and the payload.
pub(super) fn parse(text: &str) -> Result<Parsed, Error> {
    let jws = numeric::decode(text)?;
    let signing_input = jws
        .rsplit_once('.')
        .map(|(input, _)| input.to_owned())
        .unwrap_or_default();
    let mut parts = jws.split('.');
    let (Some(h64), Some(p64), Some(s64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::Shc("not a compact jws (three parts)"));
    };
    let header = Base64UrlUnpadded::decode_vec(h64).map_err(|_| Error::Shc("bad jws header"))?;
    let header = json::parse(core::str::from_utf8(&header).map_err(|_| Error::NotText)?)?;
    let h = |k: &str| header.get(k).and_then(Json::as_str);
    if h("alg") != Some("ES256") {
        return Err(Error::Unsupported("jws algorithm (es256 only)"));
    }
    if h("zip") != Some("DEF") {
        return Err(Error::Shc("the jws header must say zip: DEF"));
    }
    if header.get("crit").is_some() {
        return Err(Error::Unsupported("critical jws header parameters"));
    }
    // The header a card has: zip, alg, kid (typ allowed). Anything else
    // (b64: false would change what the signature covers) is refused.
    if header.as_object().is_some_and(|members| {
        members
            .iter()
            .any(|(k, _)| !matches!(k.as_str(), "zip" | "alg" | "kid" | "typ"))
    }) {
        return Err(Error::Shc(
            "the jws header has a member other than zip, alg, kid and typ",
        ));
    }
    let kid = h("kid").ok_or(Error::MissingKid)?.to_owned();
    let signature =
        Base64UrlUnpadded::decode_vec(s64).map_err(|_| Error::Shc("bad jws signature"))?;
    let compressed =
        Base64UrlUnpadded::decode_vec(p64).map_err(|_| Error::Shc("bad jws payload"))?;
    Ok(Parsed {
        kid,
        signing_input,
        signature,
        compressed,
    })
}

/// Inflates a card's raw DEFLATE payload. Some issuers (a real Senegalese
/// card) follow the stream with a gzip trailer (CRC-32 and length of the
/// inflated bytes); exactly that trailer, when it matches, is allowed.
pub(super) fn inflate_payload(compressed: &[u8]) -> Result<Vec<u8>, Error> {
    let mut inflated = Vec::new();
    match crate::transport::inflate_raw_into(compressed, MAX_PAYLOAD_LEN, &mut inflated) {
        Err(Error::TrailingBytes { .. }) if compressed.len() > 8 => {
            let (stream, trailer) = compressed.split_at(compressed.len() - 8);
            crate::transport::inflate_raw_into(stream, MAX_PAYLOAD_LEN, &mut inflated)?;
            let mut expected = crc32(&inflated).to_le_bytes().to_vec();
            let len = u32::try_from(inflated.len()).unwrap_or(u32::MAX);
            expected.extend_from_slice(&len.to_le_bytes());
            if trailer == expected.as_slice() {
                Ok(inflated)
            } else {
                Err(Error::TrailingBytes {
                    after: "deflate stream",
                })
            }
        }
        other => other.map(|()| inflated),
    }
}

/// CRC-32 (IEEE 802.3, as gzip uses it), bit by bit: only for the rare
/// gzip trailer, on at most [`MAX_PAYLOAD_LEN`] bytes (a table-driven CRC
/// would put kilobytes of tables into the WASM package).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// What a card's payload says.
pub(super) struct Claims {
    pub(super) issuer: String,
    pub(super) not_before: UnixTime,
    pub(super) expires: Option<UnixTime>,
    pub(super) rid: Option<String>,
    pub(super) holder: Holder,
}

pub(super) fn time_of(v: &Json, what: &'static str) -> Result<UnixTime, Error> {
    let n = v.as_f64().ok_or(Error::Shc(what))?;
    if !(0.0..1.0e11).contains(&n) {
        return Err(Error::Shc(what));
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok(UnixTime::from_secs(n.floor() as i64))
}

/// An issuer URL as the SMART Health Cards framework requires it: `https://`,
/// a host, no trailing `/`, no white space or control characters.
pub(crate) fn is_issuer_url(iss: &str) -> bool {
    let Some(rest) = iss.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    !host.is_empty()
        && !iss.ends_with('/')
        && iss.len() <= 2048
        && !iss.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub(super) fn claims_of(claims: &Json) -> Result<Claims, Error> {
    let issuer = claims
        .get("iss")
        .and_then(Json::as_str)
        .ok_or(Error::Shc("no iss"))?;
    if !is_issuer_url(issuer) {
        return Err(Error::Shc("iss is not an https url without a trailing /"));
    }
    let not_before = time_of(claims.get("nbf").ok_or(Error::Shc("no nbf"))?, "bad nbf")?;
    let expires = claims
        .get("exp")
        .map(|e| time_of(e, "bad exp"))
        .transpose()?;
    let vc = claims.get("vc").ok_or(Error::Shc("no vc"))?;
    let types = vc
        .get("type")
        .and_then(Json::as_array)
        .ok_or(Error::Shc("no vc.type"))?;
    if !types.iter().any(|t| t.as_str() == Some(HEALTH_CARD_TYPE)) {
        return Err(Error::Shc(
            "vc.type lacks https://smarthealth.cards#health-card",
        ));
    }
    let rid = match vc.get("rid") {
        None => None,
        Some(r) => Some(
            r.as_str()
                .filter(|r| is_rid(r))
                .ok_or(Error::Shc("bad vc.rid"))?
                .to_owned(),
        ),
    };
    let subject = vc
        .get("credentialSubject")
        .ok_or(Error::Shc("no vc.credentialSubject"))?;
    if subject.get("fhirVersion").and_then(Json::as_str).is_none() {
        return Err(Error::Shc("no fhirVersion"));
    }
    let bundle = subject
        .get("fhirBundle")
        .ok_or(Error::Shc("no fhirBundle"))?;
    Ok(Claims {
        issuer: issuer.to_owned(),
        not_before,
        expires,
        rid,
        holder: patient_of(bundle)?,
    })
}

/// The bundle's Patient: name (given names, then family) and birthDate.
pub(super) fn patient_of(bundle: &Json) -> Result<Holder, Error> {
    let entries = bundle
        .get("entry")
        .and_then(Json::as_array)
        .ok_or(Error::Shc("the fhir bundle has no entries"))?;
    let patient = entries
        .iter()
        .filter_map(|e| e.get("resource"))
        .find(|r| r.get("resourceType").and_then(Json::as_str) == Some("Patient"))
        .ok_or(Error::Shc("the fhir bundle has no patient"))?;
    let name = patient
        .get("name")
        .and_then(Json::as_array)
        .and_then(<[Json]>::first);
    let mut words: Vec<&str> = Vec::new();
    if let Some(name) = name {
        if let Some(given) = name.get("given").and_then(Json::as_array) {
            words.extend(given.iter().filter_map(Json::as_str));
        }
        match name.get("family") {
            Some(Json::String(f)) => words.push(f),
            Some(Json::Array(fs)) => words.extend(fs.iter().filter_map(Json::as_str)),
            _ => {}
        }
        if words.is_empty() {
            words.extend(name.get("text").and_then(Json::as_str));
        }
    }
    let words: Vec<&str> = words
        .into_iter()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err(Error::Shc("the patient has no name"));
    }
    let dob = match patient.get("birthDate") {
        None => "",
        Some(d) => d.as_str().ok_or(Error::Shc("birthDate is not text"))?,
    };
    Ok(Holder::full(words.join(" "), dob.to_owned()))
}

pub(super) fn is_rid(rid: &str) -> bool {
    !rid.is_empty()
        && rid.len() <= 24
        && rid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_check_value() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(super::crc32(b""), 0);
    }
}
