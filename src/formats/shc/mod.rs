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

mod numeric;

use std::collections::HashMap;
use std::sync::Arc;

use base64ct::{Base64, Base64UrlUnpadded, Encoding as _};
use sha2::{Digest as _, Sha256};
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, SubjectAltName};
use x509_cert::Certificate;

use crate::crypto::{CryptoBackend, PublicKey};
use crate::formats::json::{self, Json};
use crate::holder::{Holder, PassForm};
use crate::trust::certs::{certificate_ders, validity_of};
use crate::trust::chain::{check_critical_extensions, check_issued_by};
use crate::{Error, UnixTime};

pub use numeric::MAX_TEXT_LEN;

/// Largest inflated payload, in bytes (a card that fits QR codes inflates
/// to a few KiB).
pub const MAX_PAYLOAD_LEN: usize = 64 * 1024;

/// Largest JWK set or revocation list text, in bytes.
pub const MAX_LIST_LEN: usize = 4 * 1024 * 1024;

/// At most this many keys may share one `kid` (the same key bound to
/// several issuers, or with several certificates).
pub const MAX_KEYS_PER_KID: usize = 8;

/// Longest `x5c` chain read, in certificates.
const MAX_CHAIN: usize = 4;

/// The credential type every SMART Health Card carries.
pub const HEALTH_CARD_TYPE: &str = "https://smarthealth.cards#health-card";

/// The P-256 SubjectPublicKeyInfo DER prefix, before the 65-byte point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// The trusted issuer keys of SMART Health Cards, their anchors and
/// revocation lists.
#[derive(Debug, Clone)]
pub struct ShcIssuers {
    backend: Arc<dyn CryptoBackend>,
    anchors: Vec<Anchor>,
    by_kid: HashMap<String, Vec<IssuerKey>>,
    revocation: HashMap<String, RevocationList>,
}

#[derive(Debug, Clone)]
struct Anchor {
    subject: Vec<u8>,
    spki: Vec<u8>,
    digest: [u8; 32],
    not_before: UnixTime,
    not_after: UnixTime,
}

#[derive(Debug, Clone)]
struct IssuerKey {
    /// The issuer URL the key is bound to; `None`: any `iss`.
    issuer: Option<String>,
    key: Arc<dyn PublicKey>,
    crl_version: Option<u64>,
    pki: Option<Pki>,
}

/// What a key's certificate chain established.
#[derive(Debug, Clone)]
struct Pki {
    not_before: UnixTime,
    not_after: UnixTime,
    uris: Vec<String>,
}

#[derive(Debug, Clone)]
struct RevocationList {
    ctr: u64,
    /// rid → cut-off (`None`: revoked whenever issued).
    rids: HashMap<String, Option<i64>>,
}

#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
impl Default for ShcIssuers {
    fn default() -> Self {
        ShcIssuers::with_backend(crate::crypto::default_backend())
    }
}

impl ShcIssuers {
    /// No keys yet, the default crypto backend, no anchors: the keys of
    /// the JWK sets given are trusted as they are (`x5c` is not read).
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn new() -> Self {
        ShcIssuers::default()
    }

    /// As [`ShcIssuers::new`], with keys parsed by `backend`.
    pub fn with_backend(backend: Arc<dyn CryptoBackend>) -> Self {
        ShcIssuers {
            backend,
            anchors: Vec::new(),
            by_kid: HashMap::new(),
            revocation: HashMap::new(),
        }
    }

    /// Adds trust anchors (CA certificates, in the forms
    /// [`TrustList::add_any`](crate::TrustList::add_any) reads). Keys added
    /// afterwards that carry an `x5c` chain must chain to one of them; keys
    /// without `x5c` are trusted as given. Returns how many were added.
    ///
    /// # Errors
    /// [`Error::Certificate`] for a certificate that cannot be read or is
    /// not a CA; nothing is added then.
    pub fn add_anchors(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        let mut staged = Vec::new();
        for der in certificate_ders(bytes)? {
            let der = der?;
            let cert = Certificate::from_der(&der).map_err(|_| Error::Certificate("bad der"))?;
            check_critical_extensions(&cert)?;
            if !is_ca(&cert) {
                return Err(Error::Certificate(
                    "an anchor must be a ca (basicConstraints)",
                ));
            }
            let tbs = cert.tbs_certificate();
            let window = validity_of(&cert);
            staged.push(Anchor {
                subject: tbs
                    .subject()
                    .to_der()
                    .map_err(|_| Error::Certificate("bad subject"))?,
                spki: tbs
                    .subject_public_key_info()
                    .to_der()
                    .map_err(|_| Error::Certificate("bad subject public key info"))?,
                digest: Sha256::digest(&der).into(),
                not_before: window.not_before,
                not_after: window.not_after,
            });
        }
        let n = staged.len();
        self.anchors.extend(staged);
        Ok(n)
    }

    /// Adds the signing keys of a JWK set (an issuer's
    /// `.well-known/jwks.json`), bound to `issuer` when given (the card's
    /// `iss` must then be exactly it), else trusted for any `iss`. Keys
    /// that are not ES256 signing keys (`kty` EC, `alg` ES256, `use` sig
    /// when present) are skipped. Returns how many keys were added.
    ///
    /// # Errors
    /// [`Error::Shc`] (or [`Error::Json`]) for a set that cannot be read,
    /// holds a private key (`d`), a key whose `kid` is not its thumbprint,
    /// a bad point, or, with anchors, an `x5c` chain that does not chain to
    /// one or does not match its key; [`Error::InputTooLong`] beyond
    /// [`MAX_LIST_LEN`]. Nothing is added then.
    pub fn add_jwks(&mut self, jwks: &str, issuer: Option<&str>) -> Result<usize, Error> {
        if jwks.len() > MAX_LIST_LEN {
            return Err(Error::InputTooLong {
                len: jwks.len(),
                max: MAX_LIST_LEN,
            });
        }
        let set = json::parse(jwks)?;
        let keys = set
            .get("keys")
            .and_then(Json::as_array)
            .ok_or(Error::Shc("a jwk set needs a keys array"))?;
        let mut staged: Vec<(String, IssuerKey)> = Vec::new();
        for jwk in keys {
            let s = |k: &str| jwk.get(k).and_then(Json::as_str);
            if jwk.get("d").is_some() {
                return Err(Error::Shc("a private key (d) in a jwk set"));
            }
            if s("kty") != Some("EC")
                || s("alg") != Some("ES256")
                || jwk.get("use").is_some_and(|u| u.as_str() != Some("sig"))
            {
                continue;
            }
            let (kid, spki) = key_of_jwk(jwk)?;
            let crl_version = match jwk.get("crlVersion") {
                None => None,
                Some(v) => Some(counter(v).ok_or(Error::Shc("bad crlVersion"))?),
            };
            let pki = match jwk.get("x5c") {
                Some(x5c) if !self.anchors.is_empty() => Some(self.chain(x5c, &spki)?),
                _ => None,
            };
            let key = self.backend.parse_public_key(&spki)?;
            staged.push((
                kid,
                IssuerKey {
                    issuer: issuer.map(str::to_owned),
                    key,
                    crl_version,
                    pki,
                },
            ));
        }
        for (kid, _) in &staged {
            let held = self.by_kid.get(kid).map_or(0, Vec::len)
                + staged.iter().filter(|(k, _)| k == kid).count();
            if held > MAX_KEYS_PER_KID {
                return Err(Error::Shc("too many keys share one kid"));
            }
        }
        let n = staged.len();
        for (kid, key) in staged {
            self.by_kid.entry(kid).or_default().push(key);
        }
        Ok(n)
    }

    /// Loads an issuer's revocation list for one key (the content of
    /// `.well-known/crl/<kid>.json`: `{"kid", "method": "rid", "ctr",
    /// "rids"}`); replaces an older list for the same key. Returns the
    /// number of entries.
    ///
    /// # Errors
    /// [`Error::Shc`] (or [`Error::Json`]) for a list that cannot be read,
    /// another method than `rid`, an entry that is not a rid (base64url, at
    /// most 24 characters) with an optional `.timestamp`; a list whose
    /// `ctr` is below the one loaded; [`Error::InputTooLong`] beyond
    /// [`MAX_LIST_LEN`].
    pub fn add_revocation_list(&mut self, crl: &str) -> Result<usize, Error> {
        if crl.len() > MAX_LIST_LEN {
            return Err(Error::InputTooLong {
                len: crl.len(),
                max: MAX_LIST_LEN,
            });
        }
        let doc = json::parse(crl)?;
        let kid = doc
            .get("kid")
            .and_then(Json::as_str)
            .ok_or(Error::Shc("a revocation list needs a kid"))?;
        if doc.get("method").and_then(Json::as_str) != Some("rid") {
            return Err(Error::Shc("a revocation list's method must be rid"));
        }
        let ctr = doc
            .get("ctr")
            .and_then(counter)
            .ok_or(Error::Shc("a revocation list needs a ctr"))?;
        let entries = doc
            .get("rids")
            .and_then(Json::as_array)
            .ok_or(Error::Shc("a revocation list needs a rids array"))?;
        let mut rids = HashMap::with_capacity(entries.len());
        for entry in entries {
            let entry = entry.as_str().ok_or(Error::Shc("a rid is not text"))?;
            let (rid, cutoff) = match entry.split_once('.') {
                None => (entry, None),
                Some((rid, ts)) => {
                    let ts: i64 = ts
                        .parse()
                        .ok()
                        .filter(|_| ts.bytes().all(|b| b.is_ascii_digit()))
                        .ok_or(Error::Shc("a rid's timestamp is not a number"))?;
                    (rid, Some(ts))
                }
            };
            if !is_rid(rid) {
                return Err(Error::Shc(
                    "a rid is not base64url of at most 24 characters",
                ));
            }
            // The same rid twice: the widest revocation wins.
            let slot = rids.entry(rid.to_owned()).or_insert(cutoff);
            *slot = match (*slot, cutoff) {
                (None, _) | (_, None) => None,
                (Some(a), Some(b)) => Some(a.max(b)),
            };
        }
        if let Some(old) = self.revocation.get(kid) {
            if old.ctr > ctr {
                return Err(Error::Shc("a revocation list older than the one loaded"));
            }
        }
        let n = rids.len();
        self.revocation
            .insert(kid.to_owned(), RevocationList { ctr, rids });
        Ok(n)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.by_kid.values().map(Vec::len).sum()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.by_kid.is_empty()
    }

    /// Checks an `x5c` chain to the anchors: each certificate issued by
    /// the next, the last (or an earlier one) by an anchor, or itself an
    /// anchor; the leaf's key is the JWK's. Returns the overlap of the
    /// validities and the leaf's subjectAltName URIs.
    fn chain(&self, x5c: &Json, spki: &[u8]) -> Result<Pki, Error> {
        const BAD: Error = Error::Shc("bad x5c");
        let items = x5c.as_array().ok_or(BAD)?;
        if items.is_empty() || items.len() > MAX_CHAIN {
            return Err(Error::Shc("an x5c chain of 1 to 4 certificates is read"));
        }
        let mut ders = Vec::with_capacity(items.len());
        for item in items {
            ders.push(Base64::decode_vec(item.as_str().ok_or(BAD)?).map_err(|_| BAD)?);
        }
        let certs = ders
            .iter()
            .map(|d| Certificate::from_der(d).map_err(|_| BAD))
            .collect::<Result<Vec<_>, _>>()?;
        let leaf = certs.first().ok_or(BAD)?;
        let leaf_spki = leaf
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|_| BAD)?;
        if leaf_spki != spki {
            return Err(Error::Shc("the x5c certificate's key is not the jwk's"));
        }
        if is_ca(leaf) {
            return Err(Error::Shc("the x5c leaf is a ca"));
        }
        let mut window = validity_of(leaf);
        let narrow = |w: &mut crate::trust::certs::Window, from: UnixTime, to: UnixTime| {
            w.not_before = w.not_before.max(from);
            w.not_after = w.not_after.min(to);
        };
        for (i, (der, cert)) in ders.iter().zip(&certs).enumerate() {
            check_critical_extensions(cert)?;
            let digest: [u8; 32] = Sha256::digest(der).into();
            if let Some(a) = self.anchors.iter().find(|a| a.digest == digest) {
                narrow(&mut window, a.not_before, a.not_after);
                return Ok(Pki {
                    not_before: window.not_before,
                    not_after: window.not_after,
                    uris: san_uris(leaf),
                });
            }
            let issuer = cert.tbs_certificate().issuer().to_der().map_err(|_| BAD)?;
            for a in self.anchors.iter().filter(|a| a.subject == issuer) {
                if check_issued_by(&*self.backend, der, cert, &a.spki).is_ok() {
                    narrow(&mut window, a.not_before, a.not_after);
                    return Ok(Pki {
                        not_before: window.not_before,
                        not_after: window.not_after,
                        uris: san_uris(leaf),
                    });
                }
            }
            let (Some(next_der), Some(next)) = (ders.get(i + 1), certs.get(i + 1)) else {
                break;
            };
            let _ = next_der;
            let tbs = next.tbs_certificate();
            if tbs.subject().to_der().map_err(|_| BAD)? != issuer || !is_ca(next) {
                return Err(Error::Shc("the x5c chain is out of order"));
            }
            let next_spki = tbs.subject_public_key_info().to_der().map_err(|_| BAD)?;
            check_issued_by(&*self.backend, der, cert, &next_spki)
                .map_err(|_| Error::Shc("a certificate of the x5c chain does not verify"))?;
            let w = validity_of(next);
            narrow(&mut window, w.not_before, w.not_after);
        }
        Err(Error::Shc(
            "the x5c chain does not reach a configured anchor",
        ))
    }

    fn keys(&self, kid: &str) -> &[IssuerKey] {
        self.by_kid.get(kid).map_or(&[], Vec::as_slice)
    }
}

fn is_ca(cert: &Certificate) -> bool {
    matches!(
        cert.tbs_certificate().get_extension::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    )
}

fn san_uris(cert: &Certificate) -> Vec<String> {
    match cert.tbs_certificate().get_extension::<SubjectAltName>() {
        Ok(Some((_, san))) => san
            .0
            .iter()
            .filter_map(|n| match n {
                GeneralName::UniformResourceIdentifier(u) => Some(u.as_str().to_owned()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A non-negative integer counter.
fn counter(v: &Json) -> Option<u64> {
    let n = v.as_f64()?;
    if n >= 0.0 && n.fract() == 0.0 && n < 9.0e15 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(n as u64)
    } else {
        None
    }
}

fn is_rid(rid: &str) -> bool {
    !rid.is_empty()
        && rid.len() <= 24
        && rid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A P-256 JWK's kid (checked to be its RFC 7638 thumbprint) and its key as
/// a SubjectPublicKeyInfo.
fn key_of_jwk(jwk: &Json) -> Result<(String, Vec<u8>), Error> {
    let s = |k: &str| jwk.get(k).and_then(Json::as_str);
    if s("crv") != Some("P-256") {
        return Err(Error::Shc("an ES256 key must be on P-256"));
    }
    let (x, y) = match (s("x"), s("y")) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(Error::Shc("a key needs x and y")),
    };
    let xb = Base64UrlUnpadded::decode_vec(x).map_err(|_| Error::Shc("bad x"))?;
    let yb = Base64UrlUnpadded::decode_vec(y).map_err(|_| Error::Shc("bad y"))?;
    if xb.len() != 32 || yb.len() != 32 {
        return Err(Error::Shc("x and y must be 32 bytes"));
    }
    let kid = thumbprint(x, y);
    if s("kid") != Some(kid.as_str()) {
        return Err(Error::Shc("a key's kid is not its rfc 7638 thumbprint"));
    }
    let mut spki = P256_SPKI_PREFIX.to_vec();
    spki.push(0x04);
    spki.extend_from_slice(&xb);
    spki.extend_from_slice(&yb);
    Ok((kid, spki))
}

/// The RFC 7638 thumbprint of a P-256 key (x, y in base64url).
fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    Base64UrlUnpadded::encode_string(&Sha256::digest(canonical.as_bytes()))
}

/// A card's parts before any trust decision.
struct Parsed {
    kid: String,
    /// `header.payload`, as signed.
    signing_input: String,
    signature: Vec<u8>,
    /// The payload as sent: raw DEFLATE, inflated only once signed.
    compressed: Vec<u8>,
}

impl Parsed {
    /// Inflates and parses the payload.
    fn claims(&self) -> Result<Json, Error> {
        let inflated = inflate_payload(&self.compressed)?;
        json::parse(core::str::from_utf8(&inflated).map_err(|_| Error::NotText)?)
    }
}

/// Decodes `shc:/…` text to its JWS and checks the header: everything but
/// the signature and the payload.
fn parse(text: &str) -> Result<Parsed, Error> {
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
fn inflate_payload(compressed: &[u8]) -> Result<Vec<u8>, Error> {
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
struct Claims {
    issuer: String,
    not_before: UnixTime,
    expires: Option<UnixTime>,
    rid: Option<String>,
    holder: Holder,
}

fn time_of(v: &Json, what: &'static str) -> Result<UnixTime, Error> {
    let n = v.as_f64().ok_or(Error::Shc(what))?;
    if !(0.0..1.0e11).contains(&n) {
        return Err(Error::Shc(what));
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok(UnixTime::from_secs(n.floor() as i64))
}

fn claims_of(claims: &Json) -> Result<Claims, Error> {
    let issuer = claims
        .get("iss")
        .and_then(Json::as_str)
        .ok_or(Error::Shc("no iss"))?;
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
fn patient_of(bundle: &Json) -> Result<Holder, Error> {
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
        if k.issuer.as_deref().is_some_and(|i| i != claims.issuer) {
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
    if let Some(list) = issuers.and_then(|i| i.revocation.get(&parsed.kid)) {
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

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_check_value() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(super::crc32(b""), 0);
    }
}

#[cfg(feature = "rustcrypto")]
mod sign;
#[cfg(feature = "rustcrypto")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
pub use sign::{public_jwks, signing_key_from_jwk, CardContent};
