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
//!   **Keys come only from what the proof covers**: each verification
//!   method is read from the signed graph (its IRI, its JWK literal, its
//!   domain, participant and usage codes), and a document whose JSON holds
//!   a verification method the graph lacks (an id that is not an absolute
//!   IRI drops out of JSON-LD, and so out of the signature) is refused
//!   whole.
//! - [`DidTrustList::select`]: the DSC keys of some domains (DCC, DDCC,
//!   RACSEL-DDVC, PH4H, …) and participants, each taken from `x5c[0]` (never
//!   from the JWK coordinates, which are Java BigInteger bytes and sometimes
//!   name no curve), its kid checked against the certificate, and chained to
//!   an SCA the list itself holds: one its participant lists (in any
//!   domain), or one in its own `x5c` that the list also holds as an SCA
//!   key, by the rules of [`crate::trust::CscaList`]. An SCA that only a
//!   key's own `x5c` names vouches for nothing. Keys that do not chain are
//!   reported with their reason and left out.
//!
//! Before any JSON-LD processing a document must look like a trust list:
//! at most [`MAX_DID_DOCUMENT_LEN`] bytes, [`MAX_DID_KEYS`] keys (and
//! array items), 12 levels deep, 200 000 JSON values, no JSON-LD keyword
//! but a top-level `@context` of bundled IRIs; and its graph at most 8
//! blank nodes. A hostile document fails in milliseconds, before the
//! canonicalisation whose cost it would drive.

mod proof;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use base64ct::{Base64, Base64UrlUnpadded, Encoding as _};

use crate::crypto::CryptoBackend;
use crate::trust::{kid_of, CscaList, Kid};
use crate::{Error, TrustList};

/// The largest DID document read (the dev list of 255 keys is 398 KB).
pub const MAX_DID_DOCUMENT_LEN: usize = 8 * 1024 * 1024;

/// The most verification methods read from one document (and the longest
/// array in it).
pub const MAX_DID_KEYS: usize = 4096;

/// The deepest JSON nesting read (the WHO lists nest 6 levels deep).
const MAX_DID_DEPTH: usize = 12;

/// The most JSON values (objects, arrays, scalars) in one document.
const MAX_DID_VALUES: usize = 200_000;

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
        let covered = proof::check(&doc, &signer.id, &signer.spki, &signer.backend)?;
        let mut list = read_signed(&doc, &covered.quads)?;
        list.created = Some(covered.created);
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
        // Every SCA certificate the list holds as an SCA key: the only ones
        // a key's own x5c may chain it to.
        let mut listed: HashSet<&[u8]> = HashSet::new();
        for key in self.keys.iter().filter(|k| k.usage == "SCA") {
            if let Some(first) = key.certificates.first() {
                let list = scas
                    .entry(&key.participant)
                    .or_insert_with(|| CscaList::with_backend(Arc::clone(&backend)));
                let _ = list.add_der(first);
                listed.insert(first);
            }
        }
        let mut trust = TrustList::with_backend(Arc::clone(&backend));
        let (mut chained, mut refused) = (Vec::new(), Vec::new());
        for key in self.keys.iter().filter(|k| selection.takes(k)) {
            match chain_one(key, scas.get(key.participant.as_str()), &listed, &backend)
                .and_then(|one| trust.absorb(one))
            {
                Ok(()) => chained.push(key.clone()),
                Err(e) => refused.push((key.clone(), e)),
            }
        }
        trust.stamp_source(&self.id.as_str().into());
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

/// A trust list of one key, chained to an SCA its participant lists, or to
/// one of its own `x5c` that the list holds as an SCA key (`listed`).
fn chain_one(
    key: &DidKey,
    participant_scas: Option<&CscaList>,
    listed: &HashSet<&[u8]>,
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
    let mut cscas = participant_scas
        .cloned()
        .unwrap_or_else(|| CscaList::with_backend(Arc::clone(backend)));
    for sca in own_chain.iter().filter(|c| listed.contains(c.as_slice())) {
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
    // serde_json bounds nesting (128 levels); the shape check, more.
    let doc =
        serde_json::from_slice(json).map_err(|_| Error::DidDocument("the document is not json"))?;
    check_shape(&doc)?;
    Ok(doc)
}

/// Refuses, before any JSON-LD processing, a document that does not look
/// like a DID trust list (see the module docs): too deep, too many values,
/// too long an array, or JSON-LD keywords (`@list`, `@graph`, a context
/// object…) that no list uses and that drive the cost of expansion.
fn check_shape(doc: &serde_json::Value) -> Result<(), Error> {
    use serde_json::Value;
    const BAD: fn(&'static str) -> Error = Error::DidDocument;
    let mut stack = vec![(doc, 0usize)];
    let mut values = 0usize;
    while let Some((v, depth)) = stack.pop() {
        values += 1;
        if values > MAX_DID_VALUES {
            return Err(BAD("the document has too many json values"));
        }
        if depth > MAX_DID_DEPTH {
            return Err(BAD("the document nests too deeply"));
        }
        match v {
            Value::Array(items) => {
                if items.len() > MAX_DID_KEYS {
                    return Err(BAD("the document has too long an array"));
                }
                stack.extend(items.iter().map(|i| (i, depth + 1)));
            }
            Value::Object(members) => {
                for (k, child) in members {
                    if k.starts_with('@') {
                        let top_context = depth == 0
                            && k == "@context"
                            && match child {
                                Value::String(_) => true,
                                Value::Array(a) => a.iter().all(Value::is_string),
                                _ => false,
                            };
                        if !top_context {
                            return Err(BAD(
                                "the document uses json-ld keywords a trust list does not",
                            ));
                        }
                    }
                    stack.push((child, depth + 1));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A DID trust list's id and its verification methods (at most
/// [`MAX_DID_KEYS`]).
fn id_and_methods(doc: &serde_json::Value) -> Result<(&str, &[serde_json::Value]), Error> {
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
    Ok((id, methods))
}

/// The predicates of the signed graph that a key's facts are read from.
const SEC_VERIFICATION_METHOD: &str = "https://w3id.org/security#verificationMethod";
const SEC_PUBLIC_KEY_JWK: &str = "https://w3id.org/security#publicKeyJwk";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
/// The WHO value sets the `domain`, `participant` and `keyusage` codes
/// expand into (`…/ValueSet-Domains-DEV.jsonld#DCC`), in every environment.
const VALUE_SETS: [(&str, Code); 3] = [
    ("https://smart.who.int/trust/ValueSet-Domains", Code::Domain),
    (
        "https://smart.who.int/trust/ValueSet-Participants",
        Code::Participant,
    ),
    ("https://smart.who.int/trust/ValueSet-KeyUsage", Code::Usage),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Code {
    Domain,
    Participant,
    Usage,
}

/// What the signed graph says of one verification method.
#[derive(Default)]
struct SignedMethod<'q> {
    jwks: Vec<&'q str>,
    codes: Vec<(Code, &'q str)>,
}

/// The keys of a verified DID trust list, read from the signed graph
/// `quads` only. The JSON gives the order of the keys and nothing else;
/// a verification method of the JSON that the graph lacks refuses the
/// document.
fn read_signed(doc: &serde_json::Value, quads: &[oxrdf::Quad]) -> Result<DidTrustList, Error> {
    const BAD: fn(&'static str) -> Error = Error::DidDocument;
    let (id, methods) = id_and_methods(doc)?;
    // The verification methods the signed graph links to the document,
    // and what it says of each.
    let mut signed: HashMap<&str, SignedMethod<'_>> = HashMap::new();
    for q in quads {
        let (oxrdf::Subject::NamedNode(s), p) = (&q.subject, q.predicate.as_str()) else {
            continue;
        };
        match (&q.object, p) {
            (oxrdf::Term::Literal(l), SEC_PUBLIC_KEY_JWK) if l.datatype().as_str() == RDF_JSON => {
                signed.entry(s.as_str()).or_default().jwks.push(l.value());
            }
            (oxrdf::Term::NamedNode(o), p) => {
                if let Some((_, code)) = VALUE_SETS.iter().find(|(vs, _)| p.starts_with(vs)) {
                    if let Some((_, fragment)) = o.as_str().split_once('#') {
                        signed
                            .entry(s.as_str())
                            .or_default()
                            .codes
                            .push((*code, fragment));
                    }
                }
            }
            _ => {}
        }
    }
    let linked: HashSet<&str> = quads
        .iter()
        .filter_map(|q| match (&q.subject, q.predicate.as_str(), &q.object) {
            (oxrdf::Subject::NamedNode(s), SEC_VERIFICATION_METHOD, oxrdf::Term::NamedNode(o))
                if s.as_str() == id =>
            {
                Some(o.as_str())
            }
            _ => None,
        })
        .collect();
    let mut keys = Vec::new();
    let mut seen = HashSet::new();
    for m in methods {
        // A DID string in place of a method (the v1 layout's references)
        // is a reference, not a key.
        if !m.is_object() {
            continue;
        }
        let key_id = at(m, "id")
            .as_str()
            .filter(|k| linked.contains(k))
            .ok_or(BAD(
                "a key is not covered by the proof (its id is not an absolute iri of the list)",
            ))?;
        if !seen.insert(key_id) {
            return Err(BAD("two keys share an id"));
        }
        let none = SignedMethod::default();
        let facts = signed.get(key_id).unwrap_or(&none);
        let jwk = match facts.jwks.as_slice() {
            [one] => serde_json::from_str::<serde_json::Value>(one)
                .map_err(|_| BAD("a key's signed jwk is not json"))?,
            // A method without a JWK: no certificate, refused when selected.
            [] => serde_json::Value::Null,
            _ => return Err(BAD("a key has more than one jwk")),
        };
        let (path, fragment) = key_id.split_once('#').unwrap_or((key_id, ""));
        let code = |which: Code, from_path: Option<&str>| -> Result<String, Error> {
            if let Some(p) = from_path.filter(|p| *p != "-") {
                return Ok(p.to_owned());
            }
            let mut found = facts.codes.iter().filter(|(c, _)| *c == which);
            match (found.next(), found.next()) {
                (Some((_, v)), None) => Ok((*v).to_owned()),
                (None, _) => Ok(String::new()),
                (Some(_), Some(_)) => Err(BAD("a key has two codes of one kind")),
            }
        };
        let mut segments = path.rsplit(':');
        let [usage, participant, domain] = [segments.next(), segments.next(), segments.next()];
        keys.push(DidKey {
            id: key_id.to_owned(),
            usage: code(Code::Usage, usage)?.replace("CSCA", "SCA"),
            participant: code(Code::Participant, participant)?,
            domain: code(Code::Domain, domain)?,
            kid: at(&jwk, "kid").as_str().unwrap_or(fragment).to_owned(),
            certificates: x5c_of(&jwk)?,
        });
    }
    Ok(DidTrustList {
        id: id.to_owned(),
        created: None,
        keys,
    })
}

/// The `x5c` certificates of a JWK (DER), at most [`MAX_X5C`].
fn x5c_of(jwk: &serde_json::Value) -> Result<Vec<Vec<u8>>, Error> {
    const BAD: fn(&'static str) -> Error = Error::DidDocument;
    match at(jwk, "x5c").as_array() {
        None => Ok(Vec::new()),
        Some(a) if a.len() > MAX_X5C => Err(BAD("a key's x5c is too long")),
        Some(a) => a
            .iter()
            .map(|c| {
                c.as_str()
                    .and_then(|c| Base64::decode_vec(c).ok())
                    .ok_or(BAD("a key's x5c is not base64"))
            })
            .collect(),
    }
}

/// The keys of a DID trust list read from its JSON, for a list whose proof
/// is not checked (v1): every verification method with a `publicKeyJwk`.
fn read(doc: &serde_json::Value) -> Result<DidTrustList, Error> {
    const BAD: fn(&'static str) -> Error = Error::DidDocument;
    let (id, methods) = id_and_methods(doc)?;
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
        let x5c = x5c_of(jwk)?;
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
