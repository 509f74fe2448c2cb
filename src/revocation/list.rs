//! Revocation lists: the signed document format, and a list as a verifier
//! holds it.
//!
//! A list is a signed document ([`crate::signed`]) with the content type
//! `application/vnd.healthpass.revocation-list+cbor`, whose payload is a
//! CBOR map with integer keys:
//!
//! | key | field | |
//! |---|---|---|
//! | 1 | format version | uint, 1 |
//! | 2 | hash type | text: `UCI`, `COUNTRYCODEUCI`, `SIGNATURE` |
//! | 3 | list id | text |
//! | 4 | sequence number | uint |
//! | 5 | base sequence | uint; present in a delta only |
//! | 6 | issued at | int, seconds |
//! | 7 | expires | int, seconds; after issued at |
//! | 8 | adds | bstr, the 16-byte hashes one after another |
//! | 9 | removes | bstr, likewise; empty in a full list |
//! | 10 | country source | text `co` or `iss`; `COUNTRYCODEUCI` lists only (absent: `co`) |
//!
//! No other key is allowed.
//!
//! **Replay.** A publisher raises the sequence number with every list. A
//! verifier that starts afresh cannot tell an old, validly signed list from
//! the newest one by itself: give the loader the last sequence you accepted
//! ([`ListLoader::min_sequence`]) and older lists are refused.
//!
//! **Expiry** is judged when passes are verified, not when a list is
//! loaded: a verifier holding an expired list refuses every pass as
//! `untrusted` ([`Error::RevocationListExpired`]), whether the list expired
//! before or after it was loaded (see [`super::ExpiredListPolicy`]).

use crate::cbor::{self, Value};
use crate::signed::{self, Validity};
use crate::{Error, TrustList, UnixTime};

use super::hash::with_unverified_inputs;
use super::{CountrySource, HashType, RevocationHash, Store, StoreMode};

/// The format version this crate writes and reads.
pub const LIST_FORMAT_VERSION: u64 = 1;

/// The content type of a signed revocation list.
pub const CONTENT_TYPE: &str = "application/vnd.healthpass.revocation-list+cbor";

/// The false-positive rate of the compact store a [`ListLoader`] builds by
/// default.
pub const DEFAULT_FALSE_POSITIVE_RATE: f64 = 1e-12;

/// The contents of a revocation list: a full list, or a delta on top of a
/// base sequence number. Build one with [`ListDocument::builder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDocument {
    hash_type: HashType,
    country_source: CountrySource,
    list_id: String,
    sequence: u64,
    base_sequence: Option<u64>,
    validity: Validity,
    adds: Vec<RevocationHash>,
    removes: Vec<RevocationHash>,
}

/// Builds a [`ListDocument`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListDocumentBuilder {
    hash_type: HashType,
    country_source: CountrySource,
    list_id: String,
    sequence: u64,
    base_sequence: Option<u64>,
    adds: Vec<RevocationHash>,
    removes: Vec<RevocationHash>,
}

impl ListDocumentBuilder {
    /// The sequence number (default 1); each new full list or delta has a
    /// higher one.
    pub fn sequence(mut self, sequence: u64) -> Self {
        self.sequence = sequence;
        self
    }

    /// Makes the document a delta on the list whose sequence is `base`.
    pub fn delta_on(mut self, base: u64) -> Self {
        self.base_sequence = Some(base);
        self
    }

    /// For `COUNTRYCODEUCI`: where the country code comes from (default the
    /// entry's `co`).
    pub fn country_source(mut self, source: CountrySource) -> Self {
        self.country_source = source;
        self
    }

    /// The hashes added (for a full list: all of them).
    pub fn adds(mut self, adds: Vec<RevocationHash>) -> Self {
        self.adds = adds;
        self
    }

    /// The hashes removed (a delta only).
    pub fn removes(mut self, removes: Vec<RevocationHash>) -> Self {
        self.removes = removes;
        self
    }

    /// The document, valid for `validity`.
    ///
    /// # Errors
    /// [`Error::Revocation`] for removes in a full list, or a delta whose
    /// base is not below its sequence.
    pub fn build(self, validity: Validity) -> Result<ListDocument, Error> {
        let doc = ListDocument {
            hash_type: self.hash_type,
            country_source: self.country_source,
            list_id: self.list_id,
            sequence: self.sequence,
            base_sequence: self.base_sequence,
            validity,
            adds: self.adds,
            removes: self.removes,
        };
        doc.check()?;
        Ok(doc)
    }
}

fn concat(hashes: &[RevocationHash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

fn split(bytes: &[u8]) -> Result<Vec<RevocationHash>, Error> {
    if !bytes.len().is_multiple_of(16) {
        return Err(Error::Revocation(
            "a hash list is not a multiple of 16 bytes",
        ));
    }
    Ok(bytes
        .chunks_exact(16)
        .map(|c| {
            let mut h = [0u8; 16];
            h.copy_from_slice(c);
            RevocationHash(h)
        })
        .collect())
}

impl ListDocument {
    /// Starts a full list of `hash_type` hashes under the id `list_id`.
    pub fn builder(hash_type: HashType, list_id: impl Into<String>) -> ListDocumentBuilder {
        ListDocumentBuilder {
            hash_type,
            country_source: CountrySource::default(),
            list_id: list_id.into(),
            sequence: 1,
            base_sequence: None,
            adds: Vec::new(),
            removes: Vec::new(),
        }
    }

    fn check(&self) -> Result<(), Error> {
        match self.base_sequence {
            None if !self.removes.is_empty() => {
                Err(Error::Revocation("a full list has no removes"))
            }
            Some(base) if base >= self.sequence => Err(Error::Revocation(
                "a delta's base sequence must be below its own",
            )),
            _ => Ok(()),
        }
    }

    /// The hash type of every hash in it.
    pub fn hash_type(&self) -> HashType {
        self.hash_type
    }

    /// Where `COUNTRYCODEUCI` hashes take their country code from.
    pub fn country_source(&self) -> CountrySource {
        self.country_source
    }

    /// Which list this is (a publisher may run several).
    pub fn list_id(&self) -> &str {
        &self.list_id
    }

    /// Its sequence number.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// For a delta: the sequence number it applies to.
    pub fn base_sequence(&self) -> Option<u64> {
        self.base_sequence
    }

    /// When it was issued and until when it is valid.
    pub fn validity(&self) -> Validity {
        self.validity
    }

    /// Hashes added (for a full list: all of them).
    pub fn adds(&self) -> &[RevocationHash] {
        &self.adds
    }

    /// Hashes removed (a delta only).
    pub fn removes(&self) -> &[RevocationHash] {
        &self.removes
    }

    /// The document as CBOR (definite lengths, shortest integers).
    pub fn to_cbor(&self) -> Vec<u8> {
        let with_country = self.hash_type == HashType::CountryCodeUci;
        let mut e = cbor::Encoder::new();
        e.map(8 + usize::from(self.base_sequence.is_some()) + usize::from(with_country));
        e.int(1).uint(LIST_FORMAT_VERSION);
        e.int(2).text(self.hash_type.as_str());
        e.int(3).text(&self.list_id);
        e.int(4).uint(self.sequence);
        if let Some(base) = self.base_sequence {
            e.int(5).uint(base);
        }
        e.int(6).int(self.validity.issued_at().as_secs());
        e.int(7).int(self.validity.expires().as_secs());
        e.int(8).bytes(&concat(&self.adds));
        e.int(9).bytes(&concat(&self.removes));
        if with_country {
            e.int(10).text(self.country_source.as_str());
        }
        e.into_bytes()
    }

    /// Reads a document from CBOR.
    ///
    /// # Errors
    /// [`Error::Cbor`] for bad CBOR; [`Error::Revocation`] for a missing,
    /// mistyped or unknown field, another format version, removes in a full
    /// list, or an expiry not after the issue time.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, Error> {
        let v = cbor::decode_exact(bytes, "revocation list")?;
        let Value::Map(pairs) = &v else {
            return Err(Error::Revocation("the list is not a map"));
        };
        if pairs
            .iter()
            .any(|(k, _)| !k.as_i64().is_some_and(|k| (1..=10).contains(&k)))
        {
            return Err(Error::Revocation("unknown field in the list"));
        }
        let uint = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Uint(n)) => Ok(*n),
            _ => Err(Error::Revocation(what)),
        };
        let int = |k: i64, what: &'static str| {
            v.map_get_int(k)
                .and_then(Value::as_i64)
                .map(UnixTime::from_secs)
                .ok_or(Error::Revocation(what))
        };
        let bytes_of = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Bytes(b)) => split(b),
            _ => Err(Error::Revocation(what)),
        };
        if uint(1, "no format version")? != LIST_FORMAT_VERSION {
            return Err(Error::Revocation("unsupported list format version"));
        }
        let hash_type = match v.map_get_int(2) {
            Some(Value::Text(t)) => HashType::parse(t)?,
            _ => return Err(Error::Revocation("no hash type")),
        };
        let list_id = match v.map_get_int(3) {
            Some(Value::Text(t)) => t.to_string(),
            _ => return Err(Error::Revocation("no list id")),
        };
        let base_sequence = match v.map_get_int(5) {
            None => None,
            Some(Value::Uint(n)) => Some(*n),
            Some(_) => return Err(Error::Revocation("base sequence is not a number")),
        };
        let country_source = match (v.map_get_int(10), hash_type) {
            (None, _) => CountrySource::default(),
            (Some(Value::Text(t)), HashType::CountryCodeUci) => CountrySource::parse(t)?,
            _ => return Err(Error::Revocation("bad country source")),
        };
        let validity = Validity::new(int(6, "no issued-at time")?, int(7, "no expiry time")?)
            .map_err(|_| Error::Revocation("the list expires before it is issued"))?;
        let doc = ListDocument {
            hash_type,
            country_source,
            list_id,
            sequence: uint(4, "no sequence number")?,
            base_sequence,
            validity,
            adds: bytes_of(8, "no adds")?,
            removes: bytes_of(9, "no removes")?,
        };
        doc.check()?;
        Ok(doc)
    }

    /// Signs the document (COSE_Sign1, tag 18, with the list content type).
    ///
    /// # Errors
    /// [`Error::SignerNotValid`] if the list's issue time is outside the
    /// certificate's validity; signing errors.
    #[cfg(feature = "rustcrypto")]
    pub fn sign(&self, credential: &signed::Credential) -> Result<Vec<u8>, Error> {
        credential.sign_document(CONTENT_TYPE, self.validity.issued_at(), &self.to_cbor())
    }
}

/// Verifies and loads signed revocation lists: against the anchors given
/// for lists (never the pass signers by default), not older than the
/// caller's last sequence, issued neither in the future nor outside the
/// signer certificate's validity.
///
/// ```no_run
/// # use healthpass::revocation::{ListLoader, Revocation};
/// # use healthpass::{TrustList, UnixTime, Verifier};
/// # fn f(anchors: TrustList, trust: TrustList, full: &[u8], delta: &[u8], now: UnixTime) -> Result<(), healthpass::Error> {
/// let loader = ListLoader::new(anchors).min_sequence(41); // the last sequence you accepted
/// let mut list = loader.load(full, now)?;
/// loader.apply(&mut list, delta, now)?;                    // untouched on error
/// let verifier = Verifier::builder()
///     .trust_list(trust)
///     .revocation(Revocation::new().with_list(list))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListLoader {
    anchors: TrustList,
    min_sequence: u64,
    mode: StoreMode,
}

impl ListLoader {
    /// A loader trusting lists signed by `anchors` (signer certificates
    /// for lists). The store is compact at a false-positive rate of
    /// [`DEFAULT_FALSE_POSITIVE_RATE`].
    pub fn new(anchors: TrustList) -> Self {
        ListLoader {
            anchors,
            min_sequence: 0,
            mode: StoreMode::Compact {
                false_positive_rate: DEFAULT_FALSE_POSITIVE_RATE,
            },
        }
    }

    /// Refuses lists whose sequence number is below `sequence`: pass the
    /// last sequence you accepted, so that an older list cannot be replayed
    /// after a restart.
    pub fn min_sequence(mut self, sequence: u64) -> Self {
        self.min_sequence = sequence;
        self
    }

    /// How lists are stored (default compact at 1e-12).
    pub fn store_mode(mut self, mode: StoreMode) -> Self {
        self.mode = mode;
        self
    }

    /// Verifies a signed list or delta and reads it.
    ///
    /// # Errors
    /// As [`crate::signed`] verification ([`Error::UnknownKid`],
    /// [`Error::BadSignature`], [`Error::SignerNotValid`],
    /// [`Error::SignedDocument`]); [`Error::Revocation`] for a bad
    /// document, a sequence below the minimum, an issue time in the future
    /// or outside the signer's validity.
    pub fn read(&self, bytes: &[u8], now: UnixTime) -> Result<ListDocument, Error> {
        let verified = signed::verify(bytes, CONTENT_TYPE, &self.anchors, now)?;
        let doc = ListDocument::from_cbor(&verified.payload)?;
        signed::check_issue(
            doc.validity.issued_at(),
            verified.signer,
            now,
            doc.sequence,
            self.min_sequence,
        )
        .map_err(Error::Revocation)?;
        Ok(doc)
    }

    /// Verifies and loads a signed full list.
    ///
    /// # Errors
    /// As [`ListLoader::read`]; [`Error::Revocation`] for a delta.
    pub fn load(&self, bytes: &[u8], now: UnixTime) -> Result<RevocationList, Error> {
        let doc = self.read(bytes, now)?;
        if doc.base_sequence.is_some() {
            return Err(Error::Revocation("a delta needs a list to apply to"));
        }
        RevocationList::from_document(doc, self.mode)
    }

    /// Applies a signed full list or delta to `list`. On any error the list
    /// is left as it was.
    ///
    /// # Errors
    /// As [`ListLoader::read`]; [`Error::Revocation`] for another list id
    /// or hash type, a delta whose base is not the list's sequence, or a
    /// sequence that does not move forward.
    pub fn apply(
        &self,
        list: &mut RevocationList,
        bytes: &[u8],
        now: UnixTime,
    ) -> Result<(), Error> {
        let doc = self.read(bytes, now)?;
        if doc.list_id != list.list_id
            || doc.hash_type != list.hash_type
            || doc.country_source != list.country_source
        {
            return Err(Error::Revocation("another list (id, hash type or country)"));
        }
        signed::check_next(doc.sequence, doc.base_sequence, list.sequence)
            .map_err(Error::Revocation)?;
        let store = match doc.base_sequence {
            Some(_) => list.store.merge(&doc.adds, &doc.removes),
            None => Store::build(doc.adds, self.mode)?,
        };
        list.store = store;
        list.sequence = doc.sequence;
        list.expires = Some(doc.validity.expires());
        Ok(())
    }
}

/// One revocation list as a verifier holds it: its hash type, store, and
/// where it stands in its signed sequence.
#[derive(Debug, Clone)]
pub struct RevocationList {
    pub(super) hash_type: HashType,
    pub(super) country_source: CountrySource,
    list_id: String,
    sequence: u64,
    pub(super) expires: Option<UnixTime>,
    pub(super) store: Store,
}

impl RevocationList {
    /// A local list (not from a signed document; no expiry), with the
    /// country of `COUNTRYCODEUCI` hashes taken from the entry's `co`.
    pub fn local(hash_type: HashType, store: Store) -> Self {
        RevocationList {
            hash_type,
            country_source: CountrySource::default(),
            list_id: String::new(),
            sequence: 0,
            expires: None,
            store,
        }
    }

    /// Where `COUNTRYCODEUCI` hashes take their country from (for a local
    /// list; a signed list says it itself).
    #[must_use]
    pub fn with_country_source(mut self, source: CountrySource) -> Self {
        self.country_source = source;
        self
    }

    /// A list from a full list document **that nothing authenticates**:
    /// anyone who can replace the file can un-revoke every pass. Only for
    /// lists the caller authenticated by other means; signed lists go
    /// through [`ListLoader`].
    ///
    /// # Errors
    /// [`Error::Revocation`] for a delta or a bad rate.
    pub fn from_unauthenticated_document(
        doc: ListDocument,
        mode: StoreMode,
    ) -> Result<Self, Error> {
        if doc.base_sequence.is_some() {
            return Err(Error::Revocation("a delta needs a list to apply to"));
        }
        RevocationList::from_document(doc, mode)
    }

    fn from_document(doc: ListDocument, mode: StoreMode) -> Result<Self, Error> {
        Ok(RevocationList {
            hash_type: doc.hash_type,
            country_source: doc.country_source,
            list_id: doc.list_id,
            sequence: doc.sequence,
            expires: Some(doc.validity.expires()),
            store: Store::build(doc.adds, mode)?,
        })
    }

    /// The hash type.
    pub fn hash_type(&self) -> HashType {
        self.hash_type
    }

    /// Where `COUNTRYCODEUCI` hashes take their country from.
    pub fn country_source(&self) -> CountrySource {
        self.country_source
    }

    /// The list id ("" for a local list).
    pub fn list_id(&self) -> &str {
        &self.list_id
    }

    /// The sequence number of the last list applied (0 for a local list):
    /// keep it, and give it to [`ListLoader::min_sequence`] next time.
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

    /// Whether a pass's text, decoded **without verification**, is on this
    /// list (its own hash, or for a light pass its source's). For tools
    /// that check lists; verification uses the verifier's lists.
    ///
    /// # Errors
    /// Any decoding error of the pass.
    pub fn matches_unverified(&self, text: &str) -> Result<bool, Error> {
        with_unverified_inputs(text, |inputs| {
            inputs
                .all(self.hash_type, self.country_source)
                .any(|h| self.store.contains(&h))
        })
    }
}
