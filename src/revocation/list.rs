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
//! No other key is allowed. The header (list id, sequence, base sequence,
//! validity), the builder and the loader are the signed-list core's
//! ([`crate::signed::list`]); this module is the revocation body of it.
//!
//! **Replay.** A publisher raises the sequence number with every list. A
//! verifier that starts afresh cannot tell an old, validly signed list from
//! the newest one by itself: give the loader the last sequence you accepted
//! ([`ListLoader::min_sequence`](crate::signed::ListLoader::min_sequence))
//! and older lists are refused.
//!
//! **Expiry** is judged when passes are verified, not when a list is
//! loaded: a verifier holding an expired list refuses every pass as
//! `untrusted` ([`Error::RevocationListExpired`]), whether the list expired
//! before or after it was loaded (see [`super::ExpiredListPolicy`]).

use crate::cbor::Value;
use crate::signed::list::sealed::{HeaderKeys, Texts};
use crate::signed::list::{drop_ref, encoded};
use crate::signed::{ListBuilder, ListDocument, ListKind, ListLoader};
use crate::{Error, TrustList};

use super::hash::with_unverified_inputs;
use super::{CountrySource, HashType, RevocationHash, Store, StoreMode};

pub use crate::signed::list::LIST_FORMAT_VERSION;

/// The content type of a signed revocation list.
pub const CONTENT_TYPE: &str = "application/vnd.healthpass.revocation-list+cbor";

/// The false-positive rate of the compact store a [`RevocationListLoader`]
/// builds by default.
pub const DEFAULT_FALSE_POSITIVE_RATE: f64 = 1e-12;

/// The most hashes a list adds or removes (a 1 GiB document; a real
/// national list holds a few million).
pub const MAX_LIST_HASHES: usize = 1 << 26;

/// Revocation lists, as a kind of signed list ([`ListKind`]): they add and
/// remove [`RevocationHash`]es of one [`HashType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocations {}

/// What a revocation list says of all its hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevocationParams {
    /// The hash type of every hash in it.
    pub hash_type: HashType,
    /// Where `COUNTRYCODEUCI` hashes take their country code from.
    pub country_source: CountrySource,
}

/// A signed revocation list's contents: a full list or a delta.
pub type RevocationListDocument = ListDocument<Revocations>;

/// Verifies and loads signed revocation lists.
///
/// ```no_run
/// # use healthpass::revocation::{Revocation, RevocationListLoader};
/// # use healthpass::{TrustList, UnixTime, Verifier};
/// # fn f(anchors: TrustList, trust: TrustList, full: &[u8], delta: &[u8], now: UnixTime) -> Result<(), healthpass::Error> {
/// let loader = RevocationListLoader::new(anchors).min_sequence(41); // the last sequence you accepted
/// let mut list = loader.load(full, now)?;
/// loader.apply(&mut list, delta, now)?;                              // untouched on error
/// let verifier = Verifier::builder()
///     .trust_list(trust)
///     .revocation(Revocation::new().with_list(list))
///     .build()?;
/// # Ok(()) }
/// ```
pub type RevocationListLoader = ListLoader<Revocations>;

impl ListKind for Revocations {
    type Params = RevocationParams;
    type Add = RevocationHash;
    type Remove = RevocationHash;
    type Held = RevocationList;
    type Options = StoreMode;
    const MAX_ITEMS: usize = MAX_LIST_HASHES;
}

impl crate::signed::list::sealed::Kind for Revocations {
    const CONTENT_TYPE: &'static str = CONTENT_TYPE;
    const WHAT: &'static str = "revocation list";
    const KEYS: HeaderKeys = HeaderKeys {
        list_id: 3,
        sequence: 4,
        base_sequence: 5,
        issued_at: 6,
        expires: 7,
    };
    const MAX_KEY: i64 = 10;
    const TEXTS: Texts = Texts {
        not_a_map: "the list is not a map",
        unknown_field: "unknown field in the list",
        version: "unsupported list format version",
        expires_before_issue: "the list expires before it is issued",
        full_with_removes: "a full list has no removes",
        delta_needs_list: "a delta needs a list to apply to",
        another_list: "another list (id, hash type or country)",
        not_from_list: "another list (id, hash type or country)",
        too_many: "too many hashes in the list",
    };

    fn error(reason: &'static str) -> Error {
        Error::Revocation(reason)
    }

    fn check(_: &RevocationListDocument) -> Result<(), Error> {
        Ok(())
    }

    fn body_fields(doc: &RevocationListDocument) -> Vec<(i64, Vec<u8>)> {
        let p = doc.params();
        let mut fields = vec![
            (2, encoded(|e| drop_ref(e.text(p.hash_type.as_str())))),
            (8, encoded(|e| drop_ref(e.bytes(&concat(doc.adds()))))),
            (9, encoded(|e| drop_ref(e.bytes(&concat(doc.removes()))))),
        ];
        if p.hash_type == HashType::CountryCodeUci {
            fields.push((10, encoded(|e| drop_ref(e.text(p.country_source.as_str())))));
        }
        fields
    }

    fn read_body(
        v: &Value<'_>,
    ) -> Result<(RevocationParams, Vec<RevocationHash>, Vec<RevocationHash>), Error> {
        let hash_type = match v.map_get_int(2) {
            Some(Value::Text(t)) => HashType::parse(t)?,
            _ => return Err(Error::Revocation("no hash type")),
        };
        let country_source = match (v.map_get_int(10), hash_type) {
            (None, _) => CountrySource::default(),
            (Some(Value::Text(t)), HashType::CountryCodeUci) => CountrySource::parse(t)?,
            _ => return Err(Error::Revocation("bad country source")),
        };
        let hashes = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Bytes(b)) => split(b),
            _ => Err(Error::Revocation(what)),
        };
        Ok((
            RevocationParams {
                hash_type,
                country_source,
            },
            hashes(8, "no adds")?,
            hashes(9, "no removes")?,
        ))
    }

    fn position(held: &RevocationList) -> Option<(&str, u64)> {
        Some((&held.list_id, held.sequence))
    }

    fn same_list(held: &RevocationList, doc: &RevocationListDocument) -> bool {
        doc.list_id() == held.list_id
            && doc.params().hash_type == held.hash_type
            && doc.params().country_source == held.country_source
    }

    fn apply(
        held: &mut RevocationList,
        doc: RevocationListDocument,
        mode: &StoreMode,
    ) -> Result<(), Error> {
        let (header, (_, adds, removes)) = doc.into_parts();
        let store = match header.base_sequence() {
            Some(_) => held.store.merge(&adds, &removes),
            None => Store::build(adds, *mode)?,
        };
        held.store = store;
        held.sequence = header.sequence();
        held.expires = Some(header.validity().expires());
        Ok(())
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

impl RevocationListDocument {
    /// Starts a full list of `hash_type` hashes under the id `list_id`
    /// (country source: the entry's `co`).
    pub fn builder(hash_type: HashType, list_id: impl Into<String>) -> ListBuilder<Revocations> {
        ListBuilder::new(
            list_id.into(),
            RevocationParams {
                hash_type,
                country_source: CountrySource::default(),
            },
        )
    }

    /// The hash type of every hash in it.
    pub fn hash_type(&self) -> HashType {
        self.params().hash_type
    }

    /// Where `COUNTRYCODEUCI` hashes take their country code from.
    pub fn country_source(&self) -> CountrySource {
        self.params().country_source
    }
}

impl ListBuilder<Revocations> {
    /// For `COUNTRYCODEUCI`: where the country code comes from (default the
    /// entry's `co`).
    pub fn country_source(mut self, source: CountrySource) -> Self {
        self.params.country_source = source;
        self
    }
}

impl RevocationListLoader {
    /// A loader trusting lists signed by `anchors` (signer certificates
    /// for lists). The store is compact at a false-positive rate of
    /// [`DEFAULT_FALSE_POSITIVE_RATE`].
    pub fn new(anchors: TrustList) -> Self {
        ListLoader::with_options(
            anchors,
            StoreMode::Compact {
                false_positive_rate: DEFAULT_FALSE_POSITIVE_RATE,
            },
        )
    }

    /// How lists are stored (default compact at 1e-12).
    pub fn store_mode(mut self, mode: StoreMode) -> Self {
        self.options = mode;
        self
    }

    /// Verifies and loads a signed full list.
    ///
    /// # Errors
    /// As [`ListLoader::read`]; [`Error::Revocation`] for a delta.
    pub fn load(&self, bytes: &[u8], now: crate::UnixTime) -> Result<RevocationList, Error> {
        let doc = self.read_full(bytes, now)?;
        RevocationList::from_document(doc, self.options)
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
    pub(super) expires: Option<crate::UnixTime>,
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
        doc: RevocationListDocument,
        mode: StoreMode,
    ) -> Result<Self, Error> {
        if doc.base_sequence().is_some() {
            return Err(Error::Revocation("a delta needs a list to apply to"));
        }
        RevocationList::from_document(doc, mode)
    }

    fn from_document(doc: RevocationListDocument, mode: StoreMode) -> Result<Self, Error> {
        let (header, (params, adds, _)) = doc.into_parts();
        Ok(RevocationList {
            hash_type: params.hash_type,
            country_source: params.country_source,
            list_id: header.list_id().to_owned(),
            sequence: header.sequence(),
            expires: Some(header.validity().expires()),
            store: Store::build(adds, mode)?,
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
    pub fn expires(&self) -> Option<crate::UnixTime> {
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
