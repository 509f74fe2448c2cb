//! Signed trust lists: the signer certificates a verifier trusts, as a
//! document a network signs and distributes, so that a fleet of scanners
//! never takes its keys from an unauthenticated file.
//!
//! A trust list is a signed document (see [`crate::signed`]) with the
//! content type `application/vnd.healthpass.trust-list+cbor`, whose payload
//! is a CBOR map with integer keys:
//!
//! | key | field | |
//! |---|---|---|
//! | 1 | format version | uint, 1 |
//! | 2 | list id | text |
//! | 3 | sequence number | uint |
//! | 4 | base sequence | uint; present in a delta only |
//! | 5 | issued at | int, seconds |
//! | 6 | expires | int, seconds; after issued at |
//! | 7 | entries | array of maps `{1: kid (8 bytes), 2: country (text), 3: certificate (DER), 4: kinds (optional array of "v", "t", "r")}` |
//! | 8 | removals | array of kids (8 bytes); empty in a full list |
//!
//! No other key is allowed. Each entry's kid must be the certificate's
//! (SHA-256 of the DER, first 8 bytes) and its country the certificate's
//! subject `C`; `kinds`, when present, narrows what the signer may sign
//! (below its extended key usage, never above). A delta removes the
//! certificates of each removed kid, then adds its entries; it is applied
//! all or nothing.
//!
//! **Expiry** fails closed: a verifier whose trust list has expired refuses
//! every pass as `untrusted` ([`Error::TrustListExpired`]). **Replay**: as
//! for revocation lists, give the loader the last sequence you accepted
//! ([`TrustListLoader::min_sequence`]).

use crate::cbor::{self, Value};
use crate::payload::kind::PassKind;
use crate::signed::{self, Validity};
use crate::trust::{kid_of, Kid};
use crate::{Error, TrustList, UnixTime};

/// The format version this crate writes and reads.
pub const TRUST_LIST_FORMAT_VERSION: u64 = 1;

/// The content type of a signed trust list.
pub const TRUST_LIST_CONTENT_TYPE: &str = "application/vnd.healthpass.trust-list+cbor";

/// At most this many entries (or removals) in one document: a bound on what
/// a hostile list can make a verifier parse.
pub const MAX_TRUST_LIST_ENTRIES: usize = 100_000;

/// One signer of a trust list: its certificate, with the kid and country
/// read from it, and optionally the kinds of pass it may sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListEntry {
    kid: Kid,
    country: String,
    certificate: Vec<u8>,
    kinds: Option<Vec<PassKind>>,
}

impl TrustListEntry {
    /// An entry for a certificate (DER); kid and country come from it.
    ///
    /// # Errors
    /// [`Error::Certificate`] if it cannot be read or names no country.
    pub fn new(certificate_der: &[u8]) -> Result<Self, Error> {
        let country = crate::trust::certs::country_of_der(certificate_der)?
            .ok_or(Error::Certificate("a listed signer must name its country"))?;
        Ok(TrustListEntry {
            kid: kid_of(certificate_der),
            country,
            certificate: certificate_der.to_vec(),
            kinds: None,
        })
    }

    /// An entry for each certificate of a trust file (DER, PEM or base64,
    /// as [`TrustList::add_any`] reads them).
    ///
    /// # Errors
    /// As [`TrustListEntry::new`], for any certificate of the file.
    pub fn all_in(bytes: &[u8]) -> Result<Vec<Self>, Error> {
        crate::trust::certs::certificate_ders(bytes)?
            .map(|der| TrustListEntry::new(&der?))
            .collect()
    }

    /// Narrows the signer to these kinds (vaccination, test, recovery).
    ///
    /// # Errors
    /// [`Error::SignedDocument`] for none, or for exemption or light (no
    /// restriction names them: only an unrestricted signer signs them).
    pub fn kinds(mut self, kinds: &[PassKind]) -> Result<Self, Error> {
        if kinds.is_empty() || kinds.iter().any(|k| kind_code(*k).is_none()) {
            return Err(Error::SignedDocument(
                "entry kinds are some of vaccination, test, recovery",
            ));
        }
        self.kinds = Some(kinds.to_vec());
        Ok(self)
    }

    /// The kid.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// The country of the certificate's subject.
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The certificate (DER).
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// The kinds the entry narrows its signer to, if any.
    pub fn pass_kinds(&self) -> Option<&[PassKind]> {
        self.kinds.as_deref()
    }
}

impl TrustListEntry {
    fn as_parts(&self) -> (&[u8], Kid, Option<&[PassKind]>) {
        (&self.certificate, self.kid, self.kinds.as_deref())
    }
}

fn kind_code(kind: PassKind) -> Option<&'static str> {
    match kind {
        PassKind::Vaccination => Some("v"),
        PassKind::Test => Some("t"),
        PassKind::Recovery => Some("r"),
        _ => None,
    }
}

/// The contents of a trust list: a full list, or a delta on a base
/// sequence. Build one with [`TrustListDocument::builder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListDocument {
    list_id: String,
    sequence: u64,
    base_sequence: Option<u64>,
    validity: Validity,
    entries: Vec<TrustListEntry>,
    removals: Vec<Kid>,
}

/// Builds a [`TrustListDocument`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TrustListDocumentBuilder {
    list_id: String,
    sequence: u64,
    base_sequence: Option<u64>,
    entries: Vec<TrustListEntry>,
    removals: Vec<Kid>,
}

impl TrustListDocumentBuilder {
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

    /// The signers (for a full list: all of them; for a delta: those added).
    pub fn entries(mut self, entries: Vec<TrustListEntry>) -> Self {
        self.entries = entries;
        self
    }

    /// The kids whose certificates a delta removes.
    pub fn removals(mut self, kids: Vec<Kid>) -> Self {
        self.removals = kids;
        self
    }

    /// The document, valid for `validity`.
    ///
    /// # Errors
    /// [`Error::SignedDocument`] for removals in a full list, a delta whose
    /// base is not below its sequence, a full list without entries, or more
    /// than [`MAX_TRUST_LIST_ENTRIES`] entries or removals.
    pub fn build(self, validity: Validity) -> Result<TrustListDocument, Error> {
        let doc = TrustListDocument {
            list_id: self.list_id,
            sequence: self.sequence,
            base_sequence: self.base_sequence,
            validity,
            entries: self.entries,
            removals: self.removals,
        };
        doc.check()?;
        Ok(doc)
    }
}

impl TrustListDocument {
    /// Starts a full list under the id `list_id`.
    pub fn builder(list_id: impl Into<String>) -> TrustListDocumentBuilder {
        TrustListDocumentBuilder {
            list_id: list_id.into(),
            sequence: 1,
            base_sequence: None,
            entries: Vec::new(),
            removals: Vec::new(),
        }
    }

    fn check(&self) -> Result<(), Error> {
        if self.entries.len() > MAX_TRUST_LIST_ENTRIES
            || self.removals.len() > MAX_TRUST_LIST_ENTRIES
        {
            return Err(Error::SignedDocument("too many entries in the trust list"));
        }
        match self.base_sequence {
            None if !self.removals.is_empty() => {
                Err(Error::SignedDocument("a full trust list has no removals"))
            }
            None if self.entries.is_empty() => {
                Err(Error::SignedDocument("a full trust list needs entries"))
            }
            Some(base) if base >= self.sequence => Err(Error::SignedDocument(
                "a delta's base sequence must be below its own",
            )),
            _ => Ok(()),
        }
    }

    /// Which list this is.
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

    /// The signers it lists (a delta: adds).
    pub fn entries(&self) -> &[TrustListEntry] {
        &self.entries
    }

    /// The kids a delta removes.
    pub fn removals(&self) -> &[Kid] {
        &self.removals
    }

    /// The document as CBOR (definite lengths, shortest integers).
    pub fn to_cbor(&self) -> Vec<u8> {
        let mut e = cbor::Encoder::new();
        e.map(7 + usize::from(self.base_sequence.is_some()));
        e.int(1).uint(TRUST_LIST_FORMAT_VERSION);
        e.int(2).text(&self.list_id);
        e.int(3).uint(self.sequence);
        if let Some(base) = self.base_sequence {
            e.int(4).uint(base);
        }
        e.int(5).int(self.validity.issued_at().as_secs());
        e.int(6).int(self.validity.expires().as_secs());
        e.int(7).array(self.entries.len());
        for entry in &self.entries {
            e.map(3 + usize::from(entry.kinds.is_some()));
            e.int(1).bytes(&entry.kid);
            e.int(2).text(&entry.country);
            e.int(3).bytes(&entry.certificate);
            if let Some(kinds) = &entry.kinds {
                e.int(4).array(kinds.len());
                for code in kinds.iter().filter_map(|k| kind_code(*k)) {
                    e.text(code);
                }
            }
        }
        e.int(8).array(self.removals.len());
        for kid in &self.removals {
            e.bytes(kid);
        }
        e.into_bytes()
    }

    /// Reads a document from CBOR.
    ///
    /// # Errors
    /// [`Error::Cbor`] for bad CBOR; [`Error::SignedDocument`] for a
    /// missing, mistyped or unknown field, another format version, an
    /// entry whose kid or country is not its certificate's, or the
    /// [`TrustListDocumentBuilder::build`] rules; [`Error::Certificate`] for
    /// a certificate that cannot be read.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, Error> {
        const BAD: fn(&'static str) -> Error = Error::SignedDocument;
        let v = cbor::decode_exact(bytes, "trust list")?;
        let Value::Map(pairs) = &v else {
            return Err(BAD("the trust list is not a map"));
        };
        if pairs
            .iter()
            .any(|(k, _)| !k.as_i64().is_some_and(|k| (1..=8).contains(&k)))
        {
            return Err(BAD("unknown field in the trust list"));
        }
        let uint = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Uint(n)) => Ok(*n),
            _ => Err(BAD(what)),
        };
        let time = |k: i64, what: &'static str| {
            v.map_get_int(k)
                .and_then(Value::as_i64)
                .map(UnixTime::from_secs)
                .ok_or(BAD(what))
        };
        let array = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Array(items)) if items.len() <= MAX_TRUST_LIST_ENTRIES => Ok(items),
            _ => Err(BAD(what)),
        };
        if uint(1, "no format version")? != TRUST_LIST_FORMAT_VERSION {
            return Err(BAD("unsupported trust list format version"));
        }
        let list_id = match v.map_get_int(2) {
            Some(Value::Text(t)) => t.to_string(),
            _ => return Err(BAD("no list id")),
        };
        let base_sequence = match v.map_get_int(4) {
            None => None,
            Some(Value::Uint(n)) => Some(*n),
            Some(_) => return Err(BAD("base sequence is not a number")),
        };
        let validity = Validity::new(time(5, "no issued-at time")?, time(6, "no expiry time")?)
            .map_err(|_| BAD("the trust list expires before it is issued"))?;
        let entries = array(7, "no entries (or too many)")?
            .iter()
            .map(entry_from_cbor)
            .collect::<Result<Vec<_>, _>>()?;
        let removals = array(8, "no removals (or too many)")?
            .iter()
            .map(|k| match k {
                Value::Bytes(b) => Kid::try_from(&**b).map_err(|_| BAD("a removal is not a kid")),
                _ => Err(BAD("a removal is not a kid")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let doc = TrustListDocument {
            list_id,
            sequence: uint(3, "no sequence number")?,
            base_sequence,
            validity,
            entries,
            removals,
        };
        doc.check()?;
        Ok(doc)
    }

    /// Signs the document (COSE_Sign1, tag 18, with the trust list content
    /// type).
    ///
    /// # Errors
    /// [`Error::SignerNotValid`] if the list's issue time is outside the
    /// certificate's validity; signing errors.
    #[cfg(feature = "rustcrypto")]
    pub fn sign(&self, credential: &signed::Credential) -> Result<Vec<u8>, Error> {
        credential.sign_document(
            TRUST_LIST_CONTENT_TYPE,
            self.validity.issued_at(),
            &self.to_cbor(),
        )
    }
}

fn entry_from_cbor(v: &Value<'_>) -> Result<TrustListEntry, Error> {
    const BAD: fn(&'static str) -> Error = Error::SignedDocument;
    let Value::Map(pairs) = v else {
        return Err(BAD("an entry is not a map"));
    };
    if pairs
        .iter()
        .any(|(k, _)| !k.as_i64().is_some_and(|k| (1..=4).contains(&k)))
    {
        return Err(BAD("unknown field in an entry"));
    }
    let (Some(Value::Bytes(kid)), Some(Value::Text(country)), Some(Value::Bytes(der))) =
        (v.map_get_int(1), v.map_get_int(2), v.map_get_int(3))
    else {
        return Err(BAD("an entry needs kid, country and certificate"));
    };
    let entry = TrustListEntry::new(der)?;
    if **kid != entry.kid {
        return Err(BAD("an entry's kid is not its certificate's"));
    }
    if **country != *entry.country {
        return Err(BAD("an entry's country is not its certificate's"));
    }
    match v.map_get_int(4) {
        None => Ok(entry),
        Some(Value::Array(codes)) => {
            let kinds = codes
                .iter()
                .map(|c| match c {
                    Value::Text(t) if &**t == "v" => Ok(PassKind::Vaccination),
                    Value::Text(t) if &**t == "t" => Ok(PassKind::Test),
                    Value::Text(t) if &**t == "r" => Ok(PassKind::Recovery),
                    _ => Err(BAD("an entry's kinds are some of \"v\", \"t\", \"r\"")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            entry.kinds(&kinds)
        }
        Some(_) => Err(BAD("an entry's kinds are not an array")),
    }
}

/// Verifies and loads signed trust lists: against the anchors given for
/// trust lists, not older than the caller's last sequence, issued neither
/// in the future nor outside the signer certificate's validity.
///
/// ```no_run
/// # use healthpass::signed::trust_list::TrustListLoader;
/// # use healthpass::{TrustList, UnixTime, Verifier};
/// # fn f(anchors: TrustList, full: &[u8], delta: &[u8], now: UnixTime) -> Result<(), healthpass::Error> {
/// let loader = TrustListLoader::new(anchors).min_sequence(41); // the last sequence you accepted
/// let mut trust = loader.load(full, now)?;
/// loader.apply(&mut trust, delta, now)?;                        // untouched on error
/// let verifier = Verifier::builder().trust_list(trust).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct TrustListLoader {
    anchors: TrustList,
    min_sequence: u64,
}

impl TrustListLoader {
    /// A loader trusting lists signed by `anchors` (the network's
    /// list-signing certificates, not pass signers).
    pub fn new(anchors: TrustList) -> Self {
        TrustListLoader {
            anchors,
            min_sequence: 0,
        }
    }

    /// Refuses lists whose sequence number is below `sequence`.
    pub fn min_sequence(mut self, sequence: u64) -> Self {
        self.min_sequence = sequence;
        self
    }

    /// Verifies a signed trust list or delta and reads it.
    ///
    /// # Errors
    /// As [`crate::signed`] verification ([`Error::UnknownKid`],
    /// [`Error::BadSignature`], [`Error::SignerNotValid`],
    /// [`Error::SignedDocument`] for another content type); the
    /// [`TrustListDocument::from_cbor`] errors; [`Error::SignedDocument`]
    /// for a sequence below the minimum or an issue time in the future or
    /// outside the signer's validity.
    pub fn read(&self, bytes: &[u8], now: UnixTime) -> Result<TrustListDocument, Error> {
        let verified = signed::verify(bytes, TRUST_LIST_CONTENT_TYPE, &self.anchors, now)?;
        let doc = TrustListDocument::from_cbor(&verified.payload)?;
        signed::check_issue(
            doc.validity.issued_at(),
            verified.signer,
            now,
            doc.sequence,
            self.min_sequence,
        )
        .map_err(Error::SignedDocument)?;
        Ok(doc)
    }

    /// Verifies a signed full list and makes the trust list it holds (with
    /// the default crypto backend), which expires with the document.
    ///
    /// # Errors
    /// As [`TrustListLoader::read`]; [`Error::SignedDocument`] for a delta;
    /// [`Error::Certificate`] for an entry the trust list refuses (a CA, a
    /// key it does not take): the whole list is refused.
    #[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
    pub fn load(&self, bytes: &[u8], now: UnixTime) -> Result<TrustList, Error> {
        self.load_into(TrustList::new(), bytes, now)
    }

    /// As [`TrustListLoader::load`], into an empty trust list of your
    /// choice (another backend, or [`TrustList::chained_to`] so that every
    /// listed signer must also chain to a country CA).
    ///
    /// # Errors
    /// As [`TrustListLoader::load`]; [`Error::SignedDocument`] if `empty`
    /// holds certificates.
    pub fn load_into(
        &self,
        mut empty: TrustList,
        bytes: &[u8],
        now: UnixTime,
    ) -> Result<TrustList, Error> {
        if !empty.is_empty() {
            return Err(Error::SignedDocument(
                "a signed trust list loads into an empty list",
            ));
        }
        let doc = self.read(bytes, now)?;
        if doc.base_sequence.is_some() {
            return Err(Error::SignedDocument(
                "a delta needs a trust list to apply to",
            ));
        }
        empty.apply_entries(&[], doc.entries.iter().map(TrustListEntry::as_parts))?;
        empty.set_published(doc.list_id, doc.sequence, doc.validity.expires());
        Ok(empty)
    }

    /// Applies a signed full list or delta to `trust` (a list loaded from a
    /// signed document). On any error `trust` is left as it was.
    ///
    /// # Errors
    /// As [`TrustListLoader::read`]; [`Error::SignedDocument`] for a trust
    /// list that did not come from a signed document, another list id, a
    /// sequence that does not move forward, or a delta whose base is not
    /// the current sequence; [`Error::Certificate`] for an entry refused.
    pub fn apply(&self, trust: &mut TrustList, bytes: &[u8], now: UnixTime) -> Result<(), Error> {
        let doc = self.read(bytes, now)?;
        let Some((list_id, sequence)) = trust.published() else {
            return Err(Error::SignedDocument(
                "the trust list did not come from a signed document",
            ));
        };
        if doc.list_id != list_id {
            return Err(Error::SignedDocument("another trust list (id)"));
        }
        signed::check_next(doc.sequence, doc.base_sequence, sequence)
            .map_err(Error::SignedDocument)?;
        let mut next = match doc.base_sequence {
            Some(_) => trust.clone(),
            None => trust.emptied(),
        };
        next.apply_entries(
            &doc.removals,
            doc.entries.iter().map(TrustListEntry::as_parts),
        )?;
        next.set_published(doc.list_id, doc.sequence, doc.validity.expires());
        *trust = next;
        Ok(())
    }
}
