//! Revocation: the EU DCC revocation hashes, a compact store for millions
//! of them, signed lists (full and delta) that feed it, and readers for the
//! two slice formats of the EU distribution service.
//!
//! A verifier given a [`Revocation`] checks every configured hash type after
//! the signature and time checks; a hit is [`Error::Revoked`], whose class
//! says only "revoked".
//!
//! The three hash types (each the first 16 bytes of a SHA-256):
//! - `UCI`: of the entry's `ci` as written;
//! - `COUNTRYCODEUCI`: of a country code followed by `ci`; the EU reference
//!   takes the payload's `co`, the German app the CWT `iss`
//!   ([`CountrySource`], default `co`);
//! - `SIGNATURE`: of the COSE signature; for ECDSA only its first half, `r`
//!   (32 bytes for ES256), for RSA all of it.

use core::fmt;

use sha2::{Digest as _, Sha256};

use crate::crypto::Algorithm;
use crate::verify::VerifiedPass;
use crate::{Error, UnixTime};

pub mod bloom;
mod list;
pub mod pvhf;
mod store;

pub use list::{ListDocument, LIST_FORMAT_VERSION};
pub use store::{Store, StoreMode};

/// A revocation hash: the first 16 bytes of a SHA-256.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RevocationHash(pub [u8; 16]);

impl fmt::Debug for RevocationHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RevocationHash({self})")
    }
}

impl fmt::Display for RevocationHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl RevocationHash {
    /// The first 16 bytes of the SHA-256 of `data`.
    pub fn of(data: &[u8]) -> Self {
        Self::of_parts(&[data])
    }

    fn of_parts(parts: &[&[u8]]) -> Self {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p);
        }
        let digest = h.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(digest.get(..16).unwrap_or(&[0; 16]));
        RevocationHash(out)
    }

    /// Parses 32 hex digits (a 16-byte hash), or 64 (a full SHA-256, whose
    /// first 16 bytes are kept).
    ///
    /// # Errors
    /// [`Error::Revocation`] for anything else.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        let t = text.trim();
        if !(t.len() == 32 || t.len() == 64) || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Revocation("a hash is 32 or 64 hex digits"));
        }
        let mut out = [0u8; 16];
        for (i, o) in out.iter_mut().enumerate() {
            let pair = t.get(2 * i..2 * i + 2).unwrap_or("00");
            *o = u8::from_str_radix(pair, 16).unwrap_or(0);
        }
        Ok(RevocationHash(out))
    }
}

/// What a revocation hash is computed from.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashType {
    /// SHA-256 of the `ci`.
    Uci,
    /// SHA-256 of a country code and the `ci`.
    CountryCodeUci,
    /// SHA-256 of the signature (ECDSA: `r` only).
    Signature,
}

impl HashType {
    /// The EU name: `UCI`, `COUNTRYCODEUCI`, `SIGNATURE`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashType::Uci => "UCI",
            HashType::CountryCodeUci => "COUNTRYCODEUCI",
            HashType::Signature => "SIGNATURE",
        }
    }

    /// Parses the EU name or the command line's short name (`uci`, `cc-uci`,
    /// `signature`), in any case.
    ///
    /// # Errors
    /// [`Error::Revocation`] for another name.
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name.to_ascii_lowercase().as_str() {
            "uci" => Ok(HashType::Uci),
            "countrycodeuci" | "cc-uci" => Ok(HashType::CountryCodeUci),
            "signature" => Ok(HashType::Signature),
            _ => Err(Error::Revocation("unknown hash type")),
        }
    }
}

/// Where the country code of a `COUNTRYCODEUCI` hash comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountrySource {
    /// The entry's `co` (the EU reference implementation).
    #[default]
    PayloadCountry,
    /// The CWT `iss` claim (the German app).
    CwtIssuer,
}

/// What the hashes are computed from, whether or not the pass verified.
#[derive(Debug, Clone, Copy)]
pub struct HashInputs<'a> {
    /// The entry's `ci`.
    pub ci: Option<&'a str>,
    /// The entry's `co`.
    pub co: Option<&'a str>,
    /// The CWT `iss`.
    pub iss: Option<&'a str>,
    /// The signature algorithm.
    pub alg: Algorithm,
    /// The COSE signature.
    pub signature: &'a [u8],
}

impl HashInputs<'_> {
    /// The hash of this type, or `None` when the pass lacks what it needs
    /// (a light pass has no `ci`).
    pub fn hash(&self, ty: HashType, country: CountrySource) -> Option<RevocationHash> {
        match ty {
            HashType::Uci => self.ci.map(|ci| RevocationHash::of(ci.as_bytes())),
            HashType::CountryCodeUci => {
                let cc = match country {
                    CountrySource::PayloadCountry => self.co?,
                    CountrySource::CwtIssuer => self.iss?,
                };
                let ci = self.ci?;
                Some(RevocationHash::of_parts(&[cc.as_bytes(), ci.as_bytes()]))
            }
            HashType::Signature => {
                let part = match self.alg {
                    Algorithm::Es256 | Algorithm::Es384 => {
                        self.signature.get(..self.signature.len() / 2)?
                    }
                    Algorithm::Ps256 => self.signature,
                };
                Some(RevocationHash::of(part))
            }
        }
    }

    /// The inputs of a verified pass.
    pub fn of_pass(pass: &VerifiedPass) -> HashInputs<'_> {
        HashInputs {
            ci: pass.certificate_id(),
            co: pass.entry_country(),
            iss: pass.claims().issuer.as_deref(),
            alg: pass.algorithm(),
            signature: pass.signature(),
        }
    }
}

/// The revocation hash of a verified pass.
pub fn hash_of(
    pass: &VerifiedPass,
    ty: HashType,
    country: CountrySource,
) -> Option<RevocationHash> {
    HashInputs::of_pass(pass).hash(ty, country)
}

/// The revocation hash of a pass's text **without verifying it**: for
/// building lists of passes known to be sold or stolen.
///
/// # Errors
/// Any decoding error of the pass.
pub fn hash_of_unverified(
    text: &str,
    ty: HashType,
    country: CountrySource,
) -> Result<Option<RevocationHash>, Error> {
    let (_, cose) = crate::transport::decode_any_text(text)?;
    let sign1 = crate::cose::CoseSign1::parse(&cose)?;
    let (claims, payload) = crate::cwt::decode(sign1.unverified_payload())?;
    let entry = payload.entry().ok();
    Ok(HashInputs {
        ci: entry.as_ref().and_then(|e| e.certificate_id()),
        co: entry.as_ref().and_then(|e| e.country()),
        iss: claims.issuer.as_deref(),
        alg: sign1.algorithm(),
        signature: sign1.signature(),
    }
    .hash(ty, country))
}

/// What to do when a revocation list is past its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpiredListPolicy {
    /// Refuse: loading fails, and a verifier holding it rejects every pass
    /// ([`Error::RevocationListExpired`]). The default.
    #[default]
    FailClosed,
    /// Keep using the last list.
    UseLast,
}

/// One revocation list as a verifier holds it: its hash type, store, and
/// where it stands in its signed sequence.
#[derive(Debug, Clone)]
pub struct RevocationList {
    hash_type: HashType,
    list_id: String,
    sequence: u64,
    expires: Option<UnixTime>,
    store: Store,
    /// How full lists applied later are stored.
    mode: StoreMode,
}

impl RevocationList {
    /// A local list (not from a signed document; no expiry).
    pub fn local(hash_type: HashType, store: Store) -> Self {
        RevocationList {
            hash_type,
            list_id: String::new(),
            sequence: 0,
            expires: None,
            mode: store.mode(),
            store,
        }
    }

    /// A list from a signed full list, verified against `anchors` at `now`.
    ///
    /// # Errors
    /// As [`ListDocument::verify`]; [`Error::Revocation`] for a delta;
    /// [`Error::RevocationListExpired`] for an expired list under
    /// [`ExpiredListPolicy::FailClosed`].
    pub fn from_signed(
        cose: &[u8],
        anchors: &crate::TrustList,
        now: UnixTime,
        mode: StoreMode,
        policy: ExpiredListPolicy,
    ) -> Result<Self, Error> {
        let doc = ListDocument::verify(cose, anchors, now)?;
        Self::from_document(doc, now, mode, policy)
    }

    /// A list from a full list document the caller already trusts (read
    /// from local storage, or verified by other means).
    ///
    /// # Errors
    /// [`Error::Revocation`] for a delta; [`Error::RevocationListExpired`]
    /// for an expired list under [`ExpiredListPolicy::FailClosed`].
    pub fn from_document(
        doc: ListDocument,
        now: UnixTime,
        mode: StoreMode,
        policy: ExpiredListPolicy,
    ) -> Result<Self, Error> {
        check_expiry(&doc, now, policy)?;
        if doc.base_sequence.is_some() {
            return Err(Error::Revocation("a delta needs a list to apply to"));
        }
        Ok(RevocationList {
            hash_type: doc.hash_type,
            list_id: doc.list_id,
            sequence: doc.sequence,
            expires: Some(doc.expires),
            store: Store::build(doc.adds, mode)?,
            mode,
        })
    }

    /// Applies a signed full list or delta. On any error the list is left
    /// as it was.
    ///
    /// # Errors
    /// As [`ListDocument::verify`]; [`Error::Revocation`] for another list
    /// id or hash type, a delta whose base is not this list's sequence, or a
    /// sequence that does not move forward; [`Error::RevocationListExpired`]
    /// as in [`RevocationList::from_signed`].
    pub fn apply_signed(
        &mut self,
        cose: &[u8],
        anchors: &crate::TrustList,
        now: UnixTime,
        policy: ExpiredListPolicy,
    ) -> Result<(), Error> {
        let doc = ListDocument::verify(cose, anchors, now)?;
        check_expiry(&doc, now, policy)?;
        if doc.list_id != self.list_id || doc.hash_type != self.hash_type {
            return Err(Error::Revocation("another list (id or hash type)"));
        }
        if doc.sequence <= self.sequence {
            return Err(Error::Revocation(
                "the sequence number does not move forward",
            ));
        }
        let store = match doc.base_sequence {
            Some(base) if base != self.sequence => {
                return Err(Error::Revocation(
                    "the delta's base is not the current sequence",
                ))
            }
            Some(_) => self.store.merge(&doc.adds, &doc.removes),
            None => Store::build(doc.adds, self.mode)?,
        };
        self.store = store;
        self.sequence = doc.sequence;
        self.expires = Some(doc.expires);
        Ok(())
    }

    /// The hash type.
    pub fn hash_type(&self) -> HashType {
        self.hash_type
    }

    /// The list id ("" for a local list).
    pub fn list_id(&self) -> &str {
        &self.list_id
    }

    /// The sequence number of the last list applied (0 for a local list).
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// When the list expires (`None` for a local list).
    pub fn expires(&self) -> Option<UnixTime> {
        self.expires
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

fn check_expiry(doc: &ListDocument, now: UnixTime, policy: ExpiredListPolicy) -> Result<(), Error> {
    if now > doc.expires && policy == ExpiredListPolicy::FailClosed {
        return Err(Error::RevocationListExpired {
            expired_at: doc.expires,
        });
    }
    Ok(())
}

/// The revocation lists a verifier checks.
#[derive(Debug, Clone, Default)]
pub struct Revocation {
    lists: Vec<RevocationList>,
    country: CountrySource,
    policy: ExpiredListPolicy,
}

impl Revocation {
    /// No lists yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a list (several lists of one hash type are all checked).
    #[must_use]
    pub fn with_list(mut self, list: RevocationList) -> Self {
        self.lists.push(list);
        self
    }

    /// Where `COUNTRYCODEUCI` takes its country from (default: the entry's
    /// `co`).
    #[must_use]
    pub fn country_source(mut self, source: CountrySource) -> Self {
        self.country = source;
        self
    }

    /// What to do when a list has expired at verification time (default:
    /// fail closed).
    #[must_use]
    pub fn expired_policy(mut self, policy: ExpiredListPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The lists.
    pub fn lists(&self) -> &[RevocationList] {
        &self.lists
    }

    /// Checks a verified pass against every list at `now`.
    ///
    /// # Errors
    /// [`Error::Revoked`] on a hit; [`Error::RevocationListExpired`] when a
    /// list has expired and the policy fails closed.
    pub fn check(&self, pass: &VerifiedPass, now: UnixTime) -> Result<(), Error> {
        let inputs = HashInputs::of_pass(pass);
        for list in &self.lists {
            if let Some(expires) = list.expires {
                if now > expires && self.policy == ExpiredListPolicy::FailClosed {
                    return Err(Error::RevocationListExpired {
                        expired_at: expires,
                    });
                }
            }
            if let Some(h) = inputs.hash(list.hash_type, self.country) {
                if list.store.contains(&h) {
                    return Err(Error::Revoked);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_types_and_hex() {
        let inputs = HashInputs {
            ci: Some("URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"),
            co: Some("AT"),
            iss: Some("DE"),
            alg: Algorithm::Es256,
            signature: &[7u8; 64],
        };
        let uci = inputs
            .hash(HashType::Uci, CountrySource::default())
            .unwrap();
        assert_eq!(uci, RevocationHash::of(inputs.ci.unwrap().as_bytes()));
        let cc = inputs
            .hash(HashType::CountryCodeUci, CountrySource::PayloadCountry)
            .unwrap();
        let mut text = String::from("AT");
        text.push_str(inputs.ci.unwrap());
        assert_eq!(cc, RevocationHash::of(text.as_bytes()));
        let iss = inputs
            .hash(HashType::CountryCodeUci, CountrySource::CwtIssuer)
            .unwrap();
        assert_ne!(cc, iss);
        let sig = inputs
            .hash(HashType::Signature, CountrySource::default())
            .unwrap();
        assert_eq!(sig, RevocationHash::of(&[7u8; 32]));
        let rsa = HashInputs {
            alg: Algorithm::Ps256,
            ..inputs
        };
        assert_eq!(
            rsa.hash(HashType::Signature, CountrySource::default())
                .unwrap(),
            RevocationHash::of(&[7u8; 64])
        );
        let light = HashInputs {
            ci: None,
            co: None,
            ..inputs
        };
        assert_eq!(light.hash(HashType::Uci, CountrySource::default()), None);
        // hex: 32 digits, or 64 (truncated)
        let hex = uci.to_string();
        assert_eq!(RevocationHash::from_hex(&hex).unwrap(), uci);
        assert_eq!(
            RevocationHash::from_hex(&format!("{hex}{hex}")).unwrap(),
            uci
        );
        assert!(RevocationHash::from_hex("abc").is_err());
        assert!(RevocationHash::from_hex(&"g".repeat(32)).is_err());
        for t in [HashType::Uci, HashType::CountryCodeUci, HashType::Signature] {
            assert_eq!(HashType::parse(t.as_str()).unwrap(), t);
        }
        assert_eq!(HashType::parse("cc-uci").unwrap(), HashType::CountryCodeUci);
    }
}
