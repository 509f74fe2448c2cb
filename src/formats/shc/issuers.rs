//! The issuers whose cards a verifier trusts: their JWK sets (keys by
//! thumbprint, optionally bound to an issuer URL), the CA anchors their
//! `x5c` chains must reach, and their revocation lists.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use base64ct::{Base64, Base64UrlUnpadded, Encoding as _};
use sha2::{Digest as _, Sha256};
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, SubjectAltName};
use x509_cert::Certificate;

use super::card::is_rid;
use crate::crypto::{CryptoBackend, PublicKey};
use crate::error::Withdrawal;
use crate::formats::json::{self, Json};
use crate::trust::certs::{certificate_ders, validity_of};
use crate::trust::chain::{check_critical_extensions, check_issued_by};
use crate::{Error, UnixTime};

/// Largest JWK set or revocation list text, in bytes.
pub const MAX_LIST_LEN: usize = 4 * 1024 * 1024;

/// At most this many keys may share one `kid` (the same key bound to
/// several issuers, or with several certificates).
pub const MAX_KEYS_PER_KID: usize = 8;

/// Longest `x5c` chain read, in certificates.
const MAX_CHAIN: usize = 4;

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
    pub(super) revocation: HashMap<String, RevocationList>,
    /// Kids a directory withdrew (revoked, terminated): they verify nothing.
    pub(super) withdrawn: HashMap<String, Withdrawal>,
}

/// Which issuers a key may sign for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyBinding<'a> {
    /// Only cards whose `iss` is exactly this URL (the issuer whose
    /// `.well-known/jwks.json` the set is, or whom a directory lists).
    Issuer(&'a str),
    /// Any `iss`: the explicit opt-in for a set whose issuer is not known.
    /// A key known bound elsewhere stays bound.
    AnyIssuer,
}

/// What loading a JWK set did: keys added, keys already held (their
/// bindings merged), and each key left out with why.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct JwksLoad {
    /// Keys new to the store.
    pub added: usize,
    /// Keys the store held already (the same point): their bindings merged.
    pub merged: usize,
    /// Each key left out (its kid, or its position), and why.
    pub refused: Vec<(String, Error)>,
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
pub(super) struct IssuerKey {
    /// The issuer URLs the key is bound to (a set: one vendor's key is
    /// listed under hundreds of issuers); `None`: any `iss` (the opt-in).
    pub(super) issuers: Option<BTreeSet<String>>,
    pub(super) key: Arc<dyn PublicKey>,
    /// The key's SubjectPublicKeyInfo: the same key from two sources is one.
    spki: Vec<u8>,
    pub(super) crl_version: Option<u64>,
    pub(super) pki: Option<Pki>,
    /// When a directory last saw the key at its issuer (the VCI snapshot's
    /// `lastRetrieved`), if it says.
    pub(super) retrieved: Option<UnixTime>,
}

impl IssuerKey {
    /// Whether the key may sign a card of `iss`.
    pub(super) fn signs_for(&self, iss: &str) -> bool {
        self.issuers
            .as_ref()
            .is_none_or(|bound| bound.contains(iss))
    }

    /// Takes in what another source says of the same key: a binding holds
    /// over "any issuer", bindings add up, a checked chain is kept.
    fn merge(&mut self, other: IssuerKey) {
        self.issuers = match (self.issuers.take(), other.issuers) {
            (Some(mut mine), Some(theirs)) => {
                mine.extend(theirs);
                Some(mine)
            }
            (Some(bound), None) | (None, Some(bound)) => Some(bound),
            (None, None) => None,
        };
        if self.pki.is_none() {
            self.pki = other.pki;
        }
        self.crl_version = self.crl_version.max(other.crl_version);
        self.retrieved = self.retrieved.max(other.retrieved);
    }
}

/// What a key's certificate chain established.
#[derive(Debug, Clone)]
pub(super) struct Pki {
    pub(super) not_before: UnixTime,
    pub(super) not_after: UnixTime,
    pub(super) uris: Vec<String>,
}

#[derive(Debug, Clone)]
pub(super) struct RevocationList {
    pub(super) ctr: u64,
    /// rid → cut-off (`None`: revoked whenever issued).
    pub(super) rids: HashMap<String, Option<i64>>,
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
            withdrawn: HashMap::new(),
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
    /// `.well-known/jwks.json`), each bound as `binding` says, key by key:
    /// a key that cannot be used is left out with its reason (not an ES256
    /// signing key, a kid that is not its RFC 7638 thumbprint, a bad point,
    /// with anchors an `x5c` chain that does not reach one), the others
    /// load. A key already held is merged, not counted twice: a binding
    /// holds over "any issuer", and bindings add up.
    ///
    /// # Errors
    /// [`Error::Shc`] (or [`Error::Json`]) for a set that cannot be read or
    /// holds a private key (`d`: the whole set is suspect);
    /// [`Error::InputTooLong`] beyond [`MAX_LIST_LEN`]. Nothing is added then.
    pub fn add_jwks(&mut self, jwks: &str, binding: KeyBinding<'_>) -> Result<JwksLoad, Error> {
        if jwks.len() > MAX_LIST_LEN {
            return Err(Error::InputTooLong {
                len: jwks.len(),
                max: MAX_LIST_LEN,
            });
        }
        if let KeyBinding::Issuer(iss) = binding {
            if !super::card::is_issuer_url(iss) {
                return Err(Error::Shc(
                    "the issuer a set is bound to is not an https url without a trailing /",
                ));
            }
        }
        let set = json::parse(jwks)?;
        let keys = set
            .get("keys")
            .and_then(Json::as_array)
            .ok_or(Error::Shc("a jwk set needs a keys array"))?;
        if keys.iter().any(|jwk| jwk.get("d").is_some()) {
            return Err(Error::Shc("a private key (d) in a jwk set"));
        }
        let mut load = JwksLoad::default();
        for (i, jwk) in keys.iter().enumerate() {
            let name = jwk
                .get("kid")
                .and_then(Json::as_str)
                .map_or_else(|| format!("key {}", i + 1), str::to_owned);
            match self.add_jwk(jwk, binding, None) {
                Ok(true) => load.added += 1,
                Ok(false) => load.merged += 1,
                Err(e) => load.refused.push((name, e)),
            }
        }
        Ok(load)
    }

    /// As [`ShcIssuers::add_jwks`], all or nothing: any key left out
    /// refuses the whole set (then nothing is added).
    ///
    /// # Errors
    /// As [`ShcIssuers::add_jwks`]; the first key's refusal.
    pub fn add_jwks_strict(&mut self, jwks: &str, binding: KeyBinding<'_>) -> Result<usize, Error> {
        let mut next = self.clone();
        let load = next.add_jwks(jwks, binding)?;
        if let Some((_, e)) = load.refused.into_iter().next() {
            return Err(e);
        }
        *self = next;
        Ok(load.added + load.merged)
    }

    /// Adds one signing key (a parsed JWK) bound as `binding` says, seen at
    /// its issuer at `retrieved` if known: `true` when new, `false` when
    /// merged into a key held.
    ///
    /// # Errors
    /// Why the key cannot be used (see [`ShcIssuers::add_jwks`]).
    pub(crate) fn add_jwk(
        &mut self,
        jwk: &Json,
        binding: KeyBinding<'_>,
        retrieved: Option<UnixTime>,
    ) -> Result<bool, Error> {
        let s = |k: &str| jwk.get(k).and_then(Json::as_str);
        if jwk.get("d").is_some() {
            return Err(Error::Shc("a private key (d)"));
        }
        if s("kty") != Some("EC")
            || s("alg") != Some("ES256")
            || jwk.get("use").is_some_and(|u| u.as_str() != Some("sig"))
        {
            return Err(Error::Shc(
                "not an es256 signing key (kty EC, alg ES256, use sig)",
            ));
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
        let issuers = match binding {
            KeyBinding::Issuer(iss) => Some(BTreeSet::from([iss.to_owned()])),
            KeyBinding::AnyIssuer => None,
        };
        if let Some(held) = self
            .by_kid
            .get_mut(&kid)
            .and_then(|keys| keys.iter_mut().find(|k| k.spki == spki))
        {
            let key = Arc::clone(&held.key);
            held.merge(IssuerKey {
                issuers,
                key,
                spki,
                crl_version,
                pki,
                retrieved,
            });
            return Ok(false);
        }
        if self.by_kid.get(&kid).map_or(0, Vec::len) >= MAX_KEYS_PER_KID {
            return Err(Error::Shc("too many keys share one kid"));
        }
        let key = self.backend.parse_public_key(&spki)?;
        self.by_kid.entry(kid).or_default().push(IssuerKey {
            issuers,
            key,
            spki,
            crl_version,
            pki,
            retrieved,
        });
        Ok(true)
    }

    /// Withdraws a key (a directory revoked or terminated it): no card it
    /// signed verifies, whoever else lists it.
    pub(crate) fn withdraw(&mut self, kid: &str, how: Withdrawal) {
        self.withdrawn.entry(kid.to_owned()).or_insert(how);
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
            // One counter, one list: a list that un-revokes must move ctr.
            if old.ctr == ctr && old.rids != rids {
                return Err(Error::Shc(
                    "a revocation list with the loaded one's ctr but other entries",
                ));
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

    /// Whether a directory withdrew a key.
    pub(crate) fn has_withdrawn(&self) -> bool {
        !self.withdrawn.is_empty()
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
            if !signs_certificates(next) {
                return Err(Error::Shc(
                    "an x5c intermediate may not sign certificates (keyUsage keyCertSign)",
                ));
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

    pub(super) fn keys(&self, kid: &str) -> &[IssuerKey] {
        self.by_kid.get(kid).map_or(&[], Vec::as_slice)
    }
}

fn is_ca(cert: &Certificate) -> bool {
    matches!(
        cert.tbs_certificate().get_extension::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    )
}

/// Whether a CA may sign certificates, as RFC 5280 path validation asks
/// (6.1.4 (n)): a keyUsage that is present must say keyCertSign. (The SMART
/// Health Cards specification's own example CAs carry no keyUsage.)
fn signs_certificates(cert: &Certificate) -> bool {
    match cert.tbs_certificate().get_extension::<KeyUsage>() {
        Ok(Some((_, ku))) => ku.key_cert_sign(),
        Ok(None) => true,
        Err(_) => false,
    }
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

/// A non-negative integer counter: a number, or a string of decimal digits
/// (as one publisher writes `"crlVersion": "1"` and `"ctr": "1"`).
fn counter(v: &Json) -> Option<u64> {
    if let Some(text) = v.as_str() {
        return text
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse().ok())
            .flatten()
            .filter(|n| *n < 9_000_000_000_000_000);
    }
    let n = v.as_f64()?;
    if n >= 0.0 && n.fract() == 0.0 && n < 9.0e15 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(n as u64)
    } else {
        None
    }
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
pub(super) fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    Base64UrlUnpadded::encode_string(&Sha256::digest(canonical.as_bytes()))
}
