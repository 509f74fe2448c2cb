//! WHO GDHCN DID trust lists (feature `gdhcn`): the signer keys of the WHO
//! Global Digital Health Certification Network, as DID documents signed
//! with JsonWebSignature2020.
//!
//! - [`WhoSigner`]: the WHO key that signs an environment's lists (its own
//!   DID document, `…:WHO:signing:DID`).
//! - [`DidTrustList::verify`]: reads a DID trust list (v2, embedded) and
//!   checks its proof **offline**: JSON-LD expanded with the bundled contexts
//!   only (a context that is not bundled is an error, never a download),
//!   URDNA2015 canonicalisation of the proof options (with the security v3
//!   context) and of the document without its proof, SHA-256 of each, ES256
//!   with an ASN.1 DER signature. A document whose proof does not verify is
//!   refused whole.
//! - [`DidTrustList::read_unauthenticated`]: the loudly named opt-in for a
//!   document whose proof cannot be checked (the v1 layout is signed by a key
//!   that is not published beside it). Pair it with pinned SCAs.
//! - [`DidTrustList::select`]: the DSC keys of some domains (DCC, DDCC,
//!   RACSEL-DDVC, PH4H, …) and participants, each taken from `x5c[0]` (never
//!   from the JWK coordinates, which are Java BigInteger bytes and sometimes
//!   name no curve), its kid checked against the certificate, and chained to
//!   an SCA: the one in its own `x5c`, or any SCA its participant lists (in
//!   any domain), by the rules of [`crate::trust::CscaList`]. Keys that do
//!   not chain are reported with their reason and left out.

mod proof;

use std::collections::HashMap;
use std::sync::Arc;

use base64ct::{Base64, Base64UrlUnpadded, Encoding as _};

use crate::crypto::CryptoBackend;
use crate::trust::{kid_of, CscaList, Kid};
use crate::{Error, TrustList};

/// The largest DID document read (the dev list of 255 keys is 398 KB).
pub const MAX_DID_DOCUMENT_LEN: usize = 16 * 1024 * 1024;

/// The most verification methods read from one document.
pub const MAX_DID_KEYS: usize = 20_000;

/// The most certificates in one key's `x5c`.
const MAX_X5C: usize = 8;

/// The WHO key that signs an environment's DID trust lists: a P-256 key
/// published as a JWK in its own DID document.
#[derive(Debug, Clone)]
pub struct WhoSigner {
    id: String,
    spki: Vec<u8>,
    backend: Arc<dyn CryptoBackend>,
}

impl WhoSigner {
    /// Reads the signer's DID document with the default crypto backend.
    ///
    /// # Errors
    /// [`Error::DidDocument`] if it is not a DID document with a P-256 JWK.
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn from_did_document(json: &[u8]) -> Result<Self, Error> {
        WhoSigner::with_backend(json, crate::crypto::default_backend())
    }

    /// As [`WhoSigner::from_did_document`], with the given backend.
    ///
    /// # Errors
    /// As [`WhoSigner::from_did_document`]; [`Error::Certificate`] if the
    /// backend refuses the key.
    pub fn with_backend(json: &[u8], backend: Arc<dyn CryptoBackend>) -> Result<Self, Error> {
        const BAD: Error = Error::DidDocument("the signer document has no P-256 key (JWK)");
        let doc = parse(json)?;
        let vm = at(&doc, "verificationMethod")
            .as_array()
            .and_then(|a| a.first())
            .ok_or(BAD)?;
        let id = at(vm, "id").as_str().ok_or(BAD)?.to_owned();
        let jwk = at(vm, "publicKeyJwk");
        if at(jwk, "kty") != "EC" || at(jwk, "crv") != "P-256" {
            return Err(BAD);
        }
        let coordinate = |k: &str| {
            at(jwk, k)
                .as_str()
                .and_then(|c| Base64UrlUnpadded::decode_vec(c).ok())
                .filter(|c| c.len() == 32)
                .ok_or(BAD)
        };
        // SubjectPublicKeyInfo for id-ecPublicKey, prime256v1, uncompressed.
        let mut spki = vec![
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
            0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
        ];
        spki.extend(coordinate("x")?);
        spki.extend(coordinate("y")?);
        backend.parse_public_key(&spki)?;
        Ok(WhoSigner { id, spki, backend })
    }

    /// The signer's DID (a proof names it as its verification method).
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// One key of a DID trust list, as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidKey {
    id: String,
    domain: String,
    participant: String,
    usage: String,
    kid: String,
    certificates: Vec<Vec<u8>>,
}

impl DidKey {
    /// The key's DID URL.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its trust domain (`DCC`, `DDCC`, `RACSEL-DDVC`, `PH4H`, …).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Its participant (a country or organisation code, like `CHL`).
    pub fn participant(&self) -> &str {
        &self.participant
    }

    /// Its usage (`DSC`, `SCA`, …).
    pub fn usage(&self) -> &str {
        &self.usage
    }

    /// The kid as published (base64).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The `x5c` certificates (DER): the key's own first.
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }
}

/// A DID trust list: its keys, and whether its proof was verified.
#[derive(Debug, Clone)]
pub struct DidTrustList {
    id: String,
    created: Option<String>,
    keys: Vec<DidKey>,
}

/// Which keys to take from a list. By default: every domain, every
/// participant, usage `DSC`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct KeySelection {
    domains: Vec<String>,
    participants: Vec<String>,
}

impl Default for KeySelection {
    fn default() -> Self {
        KeySelection::new()
    }
}

impl KeySelection {
    /// Every domain and participant.
    pub fn new() -> Self {
        KeySelection {
            domains: Vec::new(),
            participants: Vec::new(),
        }
    }

    /// Only keys of these domains (repeatable; none given: all).
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domains.push(domain.into());
        self
    }

    /// Only keys of these participants (repeatable; none given: all).
    #[must_use]
    pub fn participant(mut self, participant: impl Into<String>) -> Self {
        self.participants.push(participant.into());
        self
    }

    fn takes(&self, key: &DidKey) -> bool {
        key.usage == "DSC"
            && (self.domains.is_empty() || self.domains.contains(&key.domain))
            && (self.participants.is_empty() || self.participants.contains(&key.participant))
    }
}

/// The signers selected from a DID trust list: a trust list of those that
/// chained, and each refused key with its reason.
#[derive(Debug)]
#[non_exhaustive]
pub struct Selected {
    /// The signers, ready for a [`crate::Verifier`].
    pub trust: TrustList,
    /// The keys that chained (their certificates are in `trust`).
    pub chained: Vec<DidKey>,
    /// Each selected key left out, with why.
    pub refused: Vec<(DidKey, Error)>,
}

impl DidTrustList {
    /// Reads a DID trust list and verifies its proof by `signer`. Nothing
    /// is returned unless the proof verifies.
    ///
    /// # Errors
    /// [`Error::DidDocument`] for a document that is not a DID trust list,
    /// uses a context that is not bundled, has no JsonWebSignature2020
    /// proof by `signer`, or breaks a bound; [`Error::BadSignature`] when
    /// the proof does not verify (any change to the document or to the
    /// proof options, `created` included).
    pub fn verify(json: &[u8], signer: &WhoSigner) -> Result<Self, Error> {
        let doc = parse(json)?;
        let created = proof::check(&doc, &signer.id, &signer.spki, &signer.backend)?;
        let mut list = read(&doc)?;
        list.created = Some(created);
        Ok(list)
    }

    /// Reads a DID trust list **without checking its proof**: anyone who can
    /// change the file can add keys. Only for documents whose signer cannot
    /// be checked offline (the deprecated v1 lists), and then with pinned
    /// SCAs: every selected key must still chain to an SCA the list names.
    ///
    /// # Errors
    /// [`Error::DidDocument`] as for [`DidTrustList::verify`], but for the
    /// proof.
    pub fn read_unauthenticated(json: &[u8]) -> Result<Self, Error> {
        read(&parse(json)?)
    }

    /// The list's DID.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When the proof was created (as written), for a verified list; `None`
    /// for one read without its proof.
    pub fn proof_created(&self) -> Option<&str> {
        self.created.as_deref()
    }

    /// Whether the proof was verified.
    pub fn is_authenticated(&self) -> bool {
        self.created.is_some()
    }

    /// Every key of the list.
    pub fn keys(&self) -> &[DidKey] {
        &self.keys
    }

    /// The DSC keys `selection` takes, each chained to an SCA of its own
    /// `x5c` or listed by its participant (any domain), as a trust list
    /// whose keys are parsed by `backend`.
    pub fn select_with(
        &self,
        selection: &KeySelection,
        backend: Arc<dyn CryptoBackend>,
    ) -> Selected {
        // Each participant's listed SCAs, read once. An SCA the chain rules
        // refuse (not a CA, a key not taken) is left out; a DSC it issued then
        // finds no issuer, with that reason.
        let mut scas: HashMap<&str, CscaList> = HashMap::new();
        for key in self.keys.iter().filter(|k| k.usage == "SCA") {
            if let Some(first) = key.certificates.first() {
                let list = scas
                    .entry(&key.participant)
                    .or_insert_with(|| CscaList::with_backend(Arc::clone(&backend)));
                let _ = list.add_der(first);
            }
        }
        let mut trust = TrustList::with_backend(Arc::clone(&backend));
        let (mut chained, mut refused) = (Vec::new(), Vec::new());
        for key in self.keys.iter().filter(|k| selection.takes(k)) {
            match chain_one(key, scas.get(key.participant.as_str()), &backend)
                .and_then(|one| trust.absorb(one))
            {
                Ok(()) => chained.push(key.clone()),
                Err(e) => refused.push((key.clone(), e)),
            }
        }
        Selected {
            trust,
            chained,
            refused,
        }
    }

    /// As [`DidTrustList::select_with`], with the default crypto backend.
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn select(&self, selection: &KeySelection) -> Selected {
        self.select_with(selection, crate::crypto::default_backend())
    }
}

/// A trust list of one key, chained to the SCA of its `x5c` or one its
/// participant lists.
fn chain_one(
    key: &DidKey,
    listed: Option<&CscaList>,
    backend: &Arc<dyn CryptoBackend>,
) -> Result<TrustList, Error> {
    let (dsc, own_chain) = key
        .certificates
        .split_first()
        .ok_or(Error::DidDocument("the key has no certificate (x5c)"))?;
    let kid: Kid = Base64::decode_vec(&key.kid)
        .ok()
        .and_then(|k| Kid::try_from(k).ok())
        .filter(|k| *k == kid_of(dsc))
        .ok_or(Error::DidDocument("the kid is not the certificate's"))?;
    let mut cscas = listed
        .cloned()
        .unwrap_or_else(|| CscaList::with_backend(Arc::clone(backend)));
    for sca in own_chain {
        // As for the listed SCAs: one the rules refuse is left out.
        let _ = cscas.add_der(sca);
    }
    let mut one = TrustList::chained_to(cscas);
    one.add_der_with_kid(dsc, kid)?;
    Ok(one)
}

/// The member `key` of a JSON object (null when absent or not an object).
fn at<'a>(v: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    v.get(key).unwrap_or(&serde_json::Value::Null)
}

fn parse(json: &[u8]) -> Result<serde_json::Value, Error> {
    if json.len() > MAX_DID_DOCUMENT_LEN {
        return Err(Error::DidDocument("the document is too large"));
    }
    // serde_json bounds nesting (128 levels).
    serde_json::from_slice(json).map_err(|_| Error::DidDocument("the document is not json"))
}

/// The keys of a DID trust list (v2 embedded, or v1): every verification
/// method with a `publicKeyJwk`.
fn read(doc: &serde_json::Value) -> Result<DidTrustList, Error> {
    const BAD: fn(&'static str) -> Error = Error::DidDocument;
    let id = at(doc, "id")
        .as_str()
        .ok_or(BAD("the document has no id"))?;
    let methods = at(doc, "verificationMethod")
        .as_array()
        .ok_or(BAD("the document has no verificationMethod"))?;
    if methods.len() > MAX_DID_KEYS {
        return Err(BAD("the document has too many keys"));
    }
    let mut keys = Vec::new();
    for m in methods.iter().filter(|m| m.is_object()) {
        let key_id = at(m, "id").as_str().ok_or(BAD("a key has no id"))?;
        let (path, fragment) = key_id.split_once('#').unwrap_or((key_id, ""));
        // The DID path names domain, participant and usage (`…:trustlist:
        // DCC:CHL:DSC`); a sub-document for all domains says `-`, and then
        // the key's own `domain` code says which. (Its `keyusage` code may
        // say CSCA where the path says SCA: the path is taken.)
        let mut segments = path.rsplit(':');
        let [usage, participant, domain] = [segments.next(), segments.next(), segments.next()];
        let code = |field: &str, from_path: Option<&str>| {
            from_path
                .filter(|s| *s != "-")
                .or_else(|| {
                    at(at(m, field), "code")
                        .as_str()
                        .map(|c| c.trim_start_matches('#'))
                })
                .unwrap_or_default()
                .to_owned()
        };
        let jwk = at(m, "publicKeyJwk");
        let x5c = match at(jwk, "x5c").as_array() {
            None => Vec::new(),
            Some(a) if a.len() > MAX_X5C => return Err(BAD("a key's x5c is too long")),
            Some(a) => a
                .iter()
                .map(|c| {
                    c.as_str()
                        .and_then(|c| Base64::decode_vec(c).ok())
                        .ok_or(BAD("a key's x5c is not base64"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        keys.push(DidKey {
            id: key_id.to_owned(),
            usage: code("keyusage", usage).replace("CSCA", "SCA"),
            participant: code("participant", participant),
            domain: code("domain", domain),
            kid: at(jwk, "kid").as_str().unwrap_or(fragment).to_owned(),
            certificates: x5c,
        });
    }
    Ok(DidTrustList {
        id: id.to_owned(),
        created: None,
        keys,
    })
}
