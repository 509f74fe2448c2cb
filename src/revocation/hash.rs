//! The revocation hashes of a pass: what they are computed from, and how.

use core::fmt;

use sha2::{Digest as _, Sha256};

use crate::crypto::Algorithm;
use crate::cwt::SourceHashes;
use crate::Error;

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

/// Where the country code of a `COUNTRYCODEUCI` hash comes from. A signed
/// list records its own.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum CountrySource {
    /// The entry's `co` (the EU reference implementation).
    #[default]
    PayloadCountry,
    /// The CWT `iss` claim (the German app).
    CwtIssuer,
}

impl CountrySource {
    /// `"co"` or `"iss"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CountrySource::PayloadCountry => "co",
            CountrySource::CwtIssuer => "iss",
        }
    }

    /// Parses `co` or `iss`.
    ///
    /// # Errors
    /// [`Error::Revocation`] for anything else.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "co" => Ok(CountrySource::PayloadCountry),
            "iss" => Ok(CountrySource::CwtIssuer),
            _ => Err(Error::Revocation("the country source is co or iss")),
        }
    }
}

/// What the hashes of one pass are computed from, whether or not it
/// verified.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HashInputs<'a> {
    /// The entry's `ci`.
    pub(crate) ci: Option<&'a str>,
    /// The entry's `co`.
    pub(crate) co: Option<&'a str>,
    /// The CWT `iss`.
    pub(crate) iss: Option<&'a str>,
    /// The signature algorithm.
    pub(crate) alg: Algorithm,
    /// The COSE signature.
    pub(crate) signature: &'a [u8],
    /// For a light pass: the hashes of the pass it was made from.
    pub(crate) source: Option<&'a SourceHashes>,
}

impl HashInputs<'_> {
    /// The pass's own hash of this type, or `None` when the pass lacks what
    /// it needs (a light pass has no `ci`).
    pub(crate) fn own(&self, ty: HashType, country: CountrySource) -> Option<RevocationHash> {
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
            HashType::Signature => Some(signature_hash(self.alg, self.signature)?),
        }
    }

    /// For a light pass: the hash of this type of the pass it was made from.
    pub(crate) fn source(&self, ty: HashType, country: CountrySource) -> Option<RevocationHash> {
        let s = self.source?;
        let h = match (ty, country) {
            (HashType::Uci, _) => s.uci?,
            (HashType::CountryCodeUci, CountrySource::PayloadCountry) => s.cc_uci_co?,
            (HashType::CountryCodeUci, CountrySource::CwtIssuer) => s.cc_uci_iss?,
            (HashType::Signature, _) => s.signature,
        };
        Some(RevocationHash(h))
    }

    /// Every hash of this type a list must look up: the pass's own, and for
    /// a light pass its source's.
    pub(crate) fn all(
        &self,
        ty: HashType,
        country: CountrySource,
    ) -> impl Iterator<Item = RevocationHash> {
        self.own(ty, country)
            .into_iter()
            .chain(self.source(ty, country))
    }

    /// What a light pass made from this pass carries so that lists can
    /// still catch it when this pass is revoked.
    #[cfg(feature = "rustcrypto")]
    pub(crate) fn source_hashes(&self) -> Option<SourceHashes> {
        let at = |ty, c| self.own(ty, c).map(|h: RevocationHash| h.0);
        Some(SourceHashes {
            uci: at(HashType::Uci, CountrySource::PayloadCountry),
            cc_uci_co: at(HashType::CountryCodeUci, CountrySource::PayloadCountry),
            cc_uci_iss: at(HashType::CountryCodeUci, CountrySource::CwtIssuer),
            signature: at(HashType::Signature, CountrySource::PayloadCountry)?,
            made_from: None,
        })
    }
}

/// The `SIGNATURE` hash: of `r` for ECDSA (the first half of r‖s), of the
/// whole signature for RSA.
fn signature_hash(alg: Algorithm, signature: &[u8]) -> Option<RevocationHash> {
    let part = match alg {
        Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es512 => {
            signature.get(..signature.len() / 2)?
        }
        Algorithm::Ps256 => signature,
    };
    Some(RevocationHash::of(part))
}

/// The revocation hash of a pass's text **without verifying it**: for
/// building lists of passes known to be sold or stolen. For a light pass,
/// its own hash (only `SIGNATURE` applies).
///
/// # Errors
/// Any decoding error of the pass.
pub fn hash_of_unverified(
    text: &str,
    ty: HashType,
    country: CountrySource,
) -> Result<Option<RevocationHash>, Error> {
    with_unverified_inputs(text, |inputs| inputs.own(ty, country))
}

/// Runs `f` on the hash inputs of a pass's text, decoded without
/// verification.
pub(crate) fn with_unverified_inputs<T>(
    text: &str,
    f: impl FnOnce(&HashInputs<'_>) -> T,
) -> Result<T, Error> {
    let (_, cose) = crate::transport::decode_any_text(text)?;
    let sign1 = crate::cose::CoseSign1::parse(&cose)?;
    let decoded = crate::cwt::decode(sign1.unverified_payload())?;
    let entry = decoded.payload.entry().ok();
    Ok(f(&HashInputs {
        ci: entry.as_ref().and_then(|e| e.certificate_id()),
        co: entry.as_ref().and_then(|e| e.country()),
        iss: decoded.claims.issuer.as_deref(),
        alg: sign1.algorithm(),
        signature: sign1.signature(),
        source: decoded.source.as_ref(),
    }))
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
            source: None,
        };
        let uci = inputs.own(HashType::Uci, CountrySource::default()).unwrap();
        assert_eq!(uci, RevocationHash::of(inputs.ci.unwrap().as_bytes()));
        let cc = inputs
            .own(HashType::CountryCodeUci, CountrySource::PayloadCountry)
            .unwrap();
        let mut text = String::from("AT");
        text.push_str(inputs.ci.unwrap());
        assert_eq!(cc, RevocationHash::of(text.as_bytes()));
        let iss = inputs
            .own(HashType::CountryCodeUci, CountrySource::CwtIssuer)
            .unwrap();
        assert_ne!(cc, iss);
        let sig = inputs
            .own(HashType::Signature, CountrySource::default())
            .unwrap();
        assert_eq!(sig, RevocationHash::of(&[7u8; 32]));
        let rsa = HashInputs {
            alg: Algorithm::Ps256,
            ..inputs
        };
        assert_eq!(
            rsa.own(HashType::Signature, CountrySource::default())
                .unwrap(),
            RevocationHash::of(&[7u8; 64])
        );
        // A light pass made from this pass: no ci of its own, its source's
        // hashes carried.
        let carried = inputs.source_hashes().unwrap();
        let light = HashInputs {
            ci: None,
            co: None,
            signature: &[9u8; 64],
            source: Some(&carried),
            ..inputs
        };
        assert_eq!(light.own(HashType::Uci, CountrySource::default()), None);
        let all: Vec<_> = light
            .all(HashType::CountryCodeUci, CountrySource::CwtIssuer)
            .collect();
        assert_eq!(all, vec![iss]);
        let all: Vec<_> = light
            .all(HashType::Signature, CountrySource::default())
            .collect();
        assert_eq!(all, vec![RevocationHash::of(&[9u8; 32]), sig]);
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
        for c in [CountrySource::PayloadCountry, CountrySource::CwtIssuer] {
            assert_eq!(CountrySource::parse(c.as_str()).unwrap(), c);
        }
    }
}
