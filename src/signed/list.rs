//! The signed-list core: one header, one builder and one loader for every
//! kind of signed list.
//!
//! A signed list is a signed document ([`crate::signed`]) whose CBOR payload
//! is a map with integer keys: a format version (1), the **header** every
//! kind shares ([`ListHeader`]: list id, sequence number, base sequence for
//! a delta, issue time and expiry), and the kind's own fields, among them
//! the items it **adds** and the items it **removes** (a full list adds all
//! of its items and removes none; a delta applies to the list whose sequence
//! is its base). A [`ListKind`] says what the items are, which keys the
//! header's fields have in its format, and how a verifier holds the list.
//!
//! The rules every kind follows, checked here once:
//! - **Authenticity**: a signature by one of the loader's anchors, under the
//!   kind's protected content type (a document of one kind never passes for
//!   another), the anchor valid now.
//! - **Issue time**: neither in the future nor outside the signing
//!   certificate's validity.
//! - **Replay**: a sequence below the loader's minimum
//!   ([`ListLoader::min_sequence`], the last one the caller accepted) is
//!   refused; an update must move the sequence forward, and a delta must
//!   apply to the sequence held.
//! - **Atomicity**: [`ListLoader::apply`] leaves the held list as it was on
//!   any error.
//! - **Bounds**: at most [`ListKind::MAX_ITEMS`] adds and removes each; no
//!   unknown field.

use core::fmt::Debug;

use crate::cbor::{self, Value};
use crate::signed::{self, Validity};
use crate::{Error, TrustList, UnixTime};

/// The format version every kind of list writes and reads.
pub const LIST_FORMAT_VERSION: u64 = 1;

/// The CBOR map key of the format version, in every kind.
const KEY_VERSION: i64 = 1;

/// One CBOR item, as `write` encodes it.
pub(crate) fn encoded(write: impl FnOnce(&mut cbor::Encoder)) -> Vec<u8> {
    let mut e = cbor::Encoder::new();
    write(&mut e);
    e.into_bytes()
}

/// Ends an encoder call chain.
pub(crate) fn drop_ref(_: &mut cbor::Encoder) {}

pub(crate) mod sealed {
    use super::{ListDocument, ListKind};
    use crate::cbor::Value;
    use crate::Error;

    /// The map keys of the header's fields in one kind's format.
    #[derive(Debug, Clone, Copy)]
    pub struct HeaderKeys {
        pub list_id: i64,
        pub sequence: i64,
        pub base_sequence: i64,
        pub issued_at: i64,
        pub expires: i64,
    }

    /// What a kind's errors say (each kind has its own words and error
    /// variant, which callers match on).
    #[derive(Debug, Clone, Copy)]
    pub struct Texts {
        pub not_a_map: &'static str,
        pub unknown_field: &'static str,
        pub version: &'static str,
        pub expires_before_issue: &'static str,
        pub full_with_removes: &'static str,
        pub delta_needs_list: &'static str,
        pub another_list: &'static str,
        pub not_from_list: &'static str,
        pub too_many: &'static str,
    }

    /// The wire format and the held form of a kind: implemented in this
    /// crate only.
    pub trait Kind: Sized {
        const CONTENT_TYPE: &'static str;
        /// The CBOR "what" of decoding errors.
        const WHAT: &'static str;
        /// The largest signed document read, in bytes.
        const MAX_LEN: usize = usize::MAX;
        const KEYS: HeaderKeys;
        /// Every map key of the format (header and body).
        const MAX_KEY: i64;
        const TEXTS: Texts;
        fn error(reason: &'static str) -> Error;
        /// The kind's own checks of a whole document (beyond the header's).
        fn check(doc: &ListDocument<Self>) -> Result<(), Error>
        where
            Self: ListKind;
        /// The body's map entries: each key with its encoded value.
        fn body_fields(doc: &ListDocument<Self>) -> Vec<(i64, Vec<u8>)>
        where
            Self: ListKind;
        /// Reads the body from the document's map.
        fn read_body(map: &Value<'_>) -> Result<super::Body<Self>, Error>
        where
            Self: ListKind;
        /// The list id and sequence of a held list, if it came from a
        /// signed list of this kind.
        fn position(held: &<Self as ListKind>::Held) -> Option<(&str, u64)>
        where
            Self: ListKind;
        /// Whether `doc` is an update of `held` (same list id, same
        /// parameters).
        fn same_list(held: &<Self as ListKind>::Held, doc: &ListDocument<Self>) -> bool
        where
            Self: ListKind;
        /// Applies a checked full list or delta to `held`, all or nothing.
        fn apply(
            held: &mut <Self as ListKind>::Held,
            doc: ListDocument<Self>,
            options: &<Self as ListKind>::Options,
        ) -> Result<(), Error>
        where
            Self: ListKind;
    }
}

/// A kind of signed list: revocation lists
/// ([`Revocations`](crate::revocation::Revocations)), trust lists
/// ([`TrustSigners`](crate::trust::signed_list::TrustSigners)) and rule sets
/// ([`SignedRules`](crate::rules::SignedRules)). Sealed: its wire format is
/// this crate's.
pub trait ListKind: sealed::Kind + Debug + Clone + PartialEq + Eq {
    /// What the list says of itself as a whole (a revocation list: its hash
    /// type and country source; a trust list: nothing).
    type Params: Debug + Clone + PartialEq + Eq;
    /// An item it adds (a revocation hash; a signer entry).
    type Add: Debug + Clone + PartialEq + Eq;
    /// An item a delta removes (a revocation hash; a signer's kid).
    type Remove: Debug + Clone + PartialEq + Eq;
    /// The form a verifier holds the list in.
    type Held;
    /// What a loader needs besides its anchors to make the held form.
    type Options: Debug + Clone;
    /// The most adds (and the most removes) in one document.
    const MAX_ITEMS: usize;
}

/// A list's body: its parameters, adds and removes.
pub(crate) type Body<K> = (
    <K as ListKind>::Params,
    Vec<<K as ListKind>::Add>,
    Vec<<K as ListKind>::Remove>,
);

/// The header every signed list carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListHeader {
    list_id: String,
    sequence: u64,
    base_sequence: Option<u64>,
    validity: Validity,
}

impl ListHeader {
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
}

/// The contents of a signed list of kind `K`: a full list, or a delta on a
/// base sequence. Build one with [`ListBuilder`] (each kind's document type
/// has a `builder`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDocument<K: ListKind> {
    header: ListHeader,
    params: K::Params,
    adds: Vec<K::Add>,
    removes: Vec<K::Remove>,
}

/// Builds a [`ListDocument`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBuilder<K: ListKind> {
    list_id: String,
    sequence: u64,
    base_sequence: Option<u64>,
    pub(crate) params: K::Params,
    adds: Vec<K::Add>,
    removes: Vec<K::Remove>,
}

impl<K: ListKind> ListBuilder<K> {
    /// A full list under `list_id`, sequence 1, with nothing in it yet.
    pub(crate) fn new(list_id: String, params: K::Params) -> Self {
        ListBuilder {
            list_id,
            sequence: 1,
            base_sequence: None,
            params,
            adds: Vec::new(),
            removes: Vec::new(),
        }
    }

    /// The sequence number (default 1); each new list or delta has a
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

    /// The items added (for a full list: all of them).
    pub fn adds(mut self, adds: Vec<K::Add>) -> Self {
        self.adds = adds;
        self
    }

    /// The items a delta removes.
    pub fn removes(mut self, removes: Vec<K::Remove>) -> Self {
        self.removes = removes;
        self
    }

    /// The document, valid for `validity`.
    ///
    /// # Errors
    /// The kind's error for removes in a full list, a delta whose base is
    /// not below its sequence, more than [`ListKind::MAX_ITEMS`] adds or
    /// removes, or what the kind itself refuses (a full trust list without
    /// signers).
    pub fn build(self, validity: Validity) -> Result<ListDocument<K>, Error> {
        let doc = ListDocument {
            header: ListHeader {
                list_id: self.list_id,
                sequence: self.sequence,
                base_sequence: self.base_sequence,
                validity,
            },
            params: self.params,
            adds: self.adds,
            removes: self.removes,
        };
        doc.check()?;
        Ok(doc)
    }
}

impl<K: ListKind> ListDocument<K> {
    fn check(&self) -> Result<(), Error> {
        let texts = K::TEXTS;
        if self.adds.len() > K::MAX_ITEMS || self.removes.len() > K::MAX_ITEMS {
            return Err(K::error(texts.too_many));
        }
        match self.header.base_sequence {
            None if !self.removes.is_empty() => return Err(K::error(texts.full_with_removes)),
            Some(base) if base >= self.header.sequence => {
                return Err(K::error("a delta's base sequence must be below its own"))
            }
            _ => {}
        }
        K::check(self)
    }

    /// The header: list id, sequence, base sequence, validity.
    pub fn header(&self) -> &ListHeader {
        &self.header
    }

    /// Which list this is.
    pub fn list_id(&self) -> &str {
        &self.header.list_id
    }

    /// Its sequence number.
    pub fn sequence(&self) -> u64 {
        self.header.sequence
    }

    /// For a delta: the sequence number it applies to.
    pub fn base_sequence(&self) -> Option<u64> {
        self.header.base_sequence
    }

    /// When it was issued and until when it is valid.
    pub fn validity(&self) -> Validity {
        self.header.validity
    }

    /// What the list says of itself as a whole.
    pub fn params(&self) -> &K::Params {
        &self.params
    }

    /// The items added (for a full list: all of them).
    pub fn adds(&self) -> &[K::Add] {
        &self.adds
    }

    /// The items a delta removes.
    pub fn removes(&self) -> &[K::Remove] {
        &self.removes
    }

    pub(crate) fn into_parts(self) -> (ListHeader, Body<K>) {
        (self.header, (self.params, self.adds, self.removes))
    }

    /// The document as CBOR (definite lengths, shortest integers, keys in
    /// ascending order).
    pub fn to_cbor(&self) -> Vec<u8> {
        let keys = K::KEYS;
        let h = &self.header;
        let (iat, exp) = (h.validity.issued_at(), h.validity.expires());
        let mut fields: Vec<(i64, Vec<u8>)> = vec![
            (
                KEY_VERSION,
                encoded(|e| drop_ref(e.uint(LIST_FORMAT_VERSION))),
            ),
            (keys.list_id, encoded(|e| drop_ref(e.text(&h.list_id)))),
            (keys.sequence, encoded(|e| drop_ref(e.uint(h.sequence)))),
            (keys.issued_at, encoded(|e| drop_ref(e.int(iat.as_secs())))),
            (keys.expires, encoded(|e| drop_ref(e.int(exp.as_secs())))),
        ];
        if let Some(base) = h.base_sequence {
            fields.push((keys.base_sequence, encoded(|e| drop_ref(e.uint(base)))));
        }
        fields.extend(K::body_fields(self));
        fields.sort_by_key(|(k, _)| *k);
        let mut e = cbor::Encoder::new();
        e.map(fields.len());
        for (k, value) in &fields {
            e.int(*k).raw(value);
        }
        e.into_bytes()
    }

    /// Reads a document from CBOR.
    ///
    /// # Errors
    /// [`Error::Cbor`] for bad CBOR; the kind's error for a missing,
    /// mistyped or unknown field, another format version, an expiry not
    /// after the issue time, or the [`ListBuilder::build`] rules.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, Error> {
        let texts = K::TEXTS;
        let bad = K::error;
        let v = cbor::decode_exact_with_arrays(bytes, K::WHAT, K::MAX_ITEMS)?;
        let Value::Map(pairs) = &v else {
            return Err(bad(texts.not_a_map));
        };
        if pairs
            .iter()
            .any(|(k, _)| !k.as_i64().is_some_and(|k| (1..=K::MAX_KEY).contains(&k)))
        {
            return Err(bad(texts.unknown_field));
        }
        let keys = K::KEYS;
        let uint = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Uint(n)) => Ok(*n),
            _ => Err(bad(what)),
        };
        let time = |k: i64, what: &'static str| {
            v.map_get_int(k)
                .and_then(Value::as_i64)
                .map(UnixTime::from_secs)
                .ok_or(bad(what))
        };
        if uint(KEY_VERSION, "no format version")? != LIST_FORMAT_VERSION {
            return Err(bad(texts.version));
        }
        let (params, adds, removes) = K::read_body(&v)?;
        let list_id = match v.map_get_int(keys.list_id) {
            Some(Value::Text(t)) => t.to_string(),
            _ => return Err(bad("no list id")),
        };
        let base_sequence = match v.map_get_int(keys.base_sequence) {
            None => None,
            Some(Value::Uint(n)) => Some(*n),
            Some(_) => return Err(bad("base sequence is not a number")),
        };
        let validity = Validity::new(
            time(keys.issued_at, "no issued-at time")?,
            time(keys.expires, "no expiry time")?,
        )
        .map_err(|_| bad(texts.expires_before_issue))?;
        let doc = ListDocument {
            header: ListHeader {
                list_id,
                sequence: uint(keys.sequence, "no sequence number")?,
                base_sequence,
                validity,
            },
            params,
            adds,
            removes,
        };
        doc.check()?;
        Ok(doc)
    }

    /// Signs the document (COSE_Sign1, tag 18, with the kind's content
    /// type).
    ///
    /// # Errors
    /// [`Error::SignerNotValid`] if the list's issue time is outside the
    /// certificate's validity; signing errors.
    #[cfg(feature = "rustcrypto")]
    #[cfg_attr(docsrs, doc(cfg(feature = "rustcrypto")))]
    pub fn sign(&self, credential: &crate::issue::Credential) -> Result<Vec<u8>, Error> {
        signed::sign(
            credential,
            K::CONTENT_TYPE,
            self.header.validity.issued_at(),
            &self.to_cbor(),
        )
    }
}

/// Verifies and loads signed lists of kind `K`: against the anchors given
/// for lists of that kind (never the pass signers by default), not older
/// than the caller's last sequence, issued neither in the future nor
/// outside the signer certificate's validity.
#[derive(Debug, Clone)]
#[must_use]
pub struct ListLoader<K: ListKind> {
    anchors: TrustList,
    min_sequence: u64,
    pub(crate) options: K::Options,
}

impl<K: ListKind> ListLoader<K> {
    /// A loader with these options.
    pub(crate) fn with_options(anchors: TrustList, options: K::Options) -> Self {
        ListLoader {
            anchors,
            min_sequence: 0,
            options,
        }
    }

    /// Refuses lists whose sequence number is below `sequence`: pass the
    /// last sequence you accepted, so that an older list cannot be replayed
    /// after a restart.
    pub fn min_sequence(mut self, sequence: u64) -> Self {
        self.min_sequence = sequence;
        self
    }

    /// Verifies a signed full list or delta and reads it.
    ///
    /// # Errors
    /// As [`crate::signed`] verification ([`Error::UnknownKid`],
    /// [`Error::BadSignature`], [`Error::SignerNotValid`],
    /// [`Error::SignedDocument`] for another content type); the
    /// [`ListDocument::from_cbor`] errors; the kind's error for a sequence
    /// below the minimum, or an issue time in the future or outside the
    /// signer's validity.
    pub fn read(&self, bytes: &[u8], now: UnixTime) -> Result<ListDocument<K>, Error> {
        if bytes.len() > K::MAX_LEN {
            return Err(K::error("the document is larger than this kind allows"));
        }
        let verified = signed::verify(bytes, K::CONTENT_TYPE, &self.anchors, now)?;
        let doc = ListDocument::<K>::from_cbor(&verified.payload)?;
        let issued_at = doc.header.validity.issued_at();
        let reason = if issued_at > now {
            Some("the list is issued in the future")
        } else if !verified.signer.valid_at(issued_at, 0) {
            Some("the list is issued outside its signer certificate's validity")
        } else if doc.header.sequence < self.min_sequence {
            Some("the list is older than the last one accepted (sequence)")
        } else {
            None
        };
        match reason {
            Some(r) => Err(K::error(r)),
            None => Ok(doc),
        }
    }

    /// As [`ListLoader::read`], for a full list only.
    pub(crate) fn read_full(&self, bytes: &[u8], now: UnixTime) -> Result<ListDocument<K>, Error> {
        let doc = self.read(bytes, now)?;
        if doc.header.base_sequence.is_some() {
            return Err(K::error(K::TEXTS.delta_needs_list));
        }
        Ok(doc)
    }

    /// Applies a signed full list or delta to `held` (a list loaded from a
    /// signed list of this kind). On any error `held` is left as it was.
    ///
    /// # Errors
    /// As [`ListLoader::read`]; the kind's error for a list that did not
    /// come from a signed document, another list (id or parameters), a
    /// sequence that does not move forward, or a delta whose base is not
    /// the current sequence; what applying the items refuses.
    pub fn apply(&self, held: &mut K::Held, bytes: &[u8], now: UnixTime) -> Result<(), Error> {
        let doc = self.read(bytes, now)?;
        let Some((_, current)) = K::position(held) else {
            return Err(K::error(K::TEXTS.not_from_list));
        };
        if !K::same_list(held, &doc) {
            return Err(K::error(K::TEXTS.another_list));
        }
        if doc.header.sequence <= current {
            return Err(K::error("the sequence number does not move forward"));
        }
        if doc.header.base_sequence.is_some_and(|base| base != current) {
            return Err(K::error("the delta's base is not the current sequence"));
        }
        K::apply(held, doc, &self.options)
    }
}
