//! Signed trust lists: the signer certificates a verifier trusts, as a
//! document a network signs and distributes, so that a fleet of scanners
//! never takes its keys from an unauthenticated file.
//!
//! A trust list is a signed list (see [`crate::signed::list`]: the header,
//! builder and loader every signed list shares) with the
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
//! | 7 | adds | array of signer entries, maps `{1: kid (8 bytes), 2: country (text), 3: certificate (DER), 4: kinds (optional array of "v", "t", "r")}` |
//! | 8 | removes | array of kids (8 bytes); empty in a full list |
//!
//! No other key is allowed. Each entry's kid must be the certificate's
//! (SHA-256 of the DER, first 8 bytes) and its country the certificate's
//! subject `C`; `kinds`, when present, narrows what the signer may sign
//! (below its extended key usage, never above). A delta removes the
//! certificates of each removed kid, then adds its entries; it is applied
//! all or nothing. A document holds at most [`MAX_TRUST_LIST_ENTRIES`]
//! adds (and removes).
//!
//! **Expiry** fails closed: a verifier whose trust list has expired refuses
//! every pass as `untrusted` ([`Error::TrustListExpired`]). **Replay**: as
//! for revocation lists, give the loader the last sequence you accepted
//! ([`TrustListLoader::min_sequence`]).

use crate::cbor::Value;
use crate::payload::kind::PassKind;
use crate::signed::list::encoded;
use crate::signed::list::sealed::{HeaderKeys, Texts};
use crate::signed::{ListBuilder, ListDocument, ListKind, ListLoader};
use crate::trust::{kid_of, Kid};
use crate::{Error, TrustList, UnixTime};

pub use crate::signed::list::LIST_FORMAT_VERSION as TRUST_LIST_FORMAT_VERSION;

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

/// Trust lists, as a kind of signed list ([`ListKind`]): they add
/// [`TrustListEntry`] signers and remove kids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustSigners {}

/// A signed trust list's contents: a full list or a delta.
pub type TrustListDocument = ListDocument<TrustSigners>;

/// Verifies and loads signed trust lists: against the anchors given for
/// trust lists, not older than the caller's last sequence, issued neither
/// in the future nor outside the signer certificate's validity.
///
/// ```no_run
/// # use healthpass::trust::signed_list::TrustListLoader;
/// # use healthpass::{TrustList, UnixTime, Verifier};
/// # fn f(anchors: TrustList, full: &[u8], delta: &[u8], now: UnixTime) -> Result<(), healthpass::Error> {
/// let loader = TrustListLoader::new(anchors).min_sequence(41); // the last sequence you accepted
/// let mut trust = loader.load(full, now)?;
/// loader.apply(&mut trust, delta, now)?;                        // untouched on error
/// let verifier = Verifier::builder().trust_list(trust).build()?;
/// # Ok(()) }
/// ```
pub type TrustListLoader = ListLoader<TrustSigners>;

impl ListKind for TrustSigners {
    type Params = ();
    type Add = TrustListEntry;
    type Remove = Kid;
    type Held = TrustList;
    type Options = ();
    const MAX_ITEMS: usize = MAX_TRUST_LIST_ENTRIES;
}

impl crate::signed::list::sealed::Kind for TrustSigners {
    const CONTENT_TYPE: &'static str = TRUST_LIST_CONTENT_TYPE;
    const WHAT: &'static str = "trust list";
    const KEYS: HeaderKeys = HeaderKeys {
        list_id: 2,
        sequence: 3,
        base_sequence: 4,
        issued_at: 5,
        expires: 6,
    };
    const MAX_KEY: i64 = 8;
    const TEXTS: Texts = Texts {
        not_a_map: "the trust list is not a map",
        unknown_field: "unknown field in the trust list",
        version: "unsupported trust list format version",
        expires_before_issue: "the trust list expires before it is issued",
        full_with_removes: "a full trust list has no removes",
        delta_needs_list: "a delta needs a trust list to apply to",
        another_list: "another trust list (id)",
        not_from_list: "the trust list did not come from a signed document",
        too_many: "too many entries in the trust list",
    };

    fn error(reason: &'static str) -> Error {
        Error::SignedDocument(reason)
    }

    fn check(doc: &TrustListDocument) -> Result<(), Error> {
        if doc.base_sequence().is_none() && doc.adds().is_empty() {
            return Err(Error::SignedDocument("a full trust list needs entries"));
        }
        Ok(())
    }

    fn body_fields(doc: &TrustListDocument) -> Vec<(i64, Vec<u8>)> {
        let adds = encoded(|e| {
            e.array(doc.adds().len());
            for entry in doc.adds() {
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
        });
        let removes = encoded(|e| {
            e.array(doc.removes().len());
            for kid in doc.removes() {
                e.bytes(kid);
            }
        });
        vec![(7, adds), (8, removes)]
    }

    fn read_body(v: &Value<'_>) -> Result<((), Vec<TrustListEntry>, Vec<Kid>), Error> {
        const BAD: fn(&'static str) -> Error = Error::SignedDocument;
        let array = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Array(items)) if items.len() <= MAX_TRUST_LIST_ENTRIES => Ok(items),
            _ => Err(BAD(what)),
        };
        let adds = array(7, "no entries (or too many)")?
            .iter()
            .map(entry_from_cbor)
            .collect::<Result<Vec<_>, _>>()?;
        let removes = array(8, "no removes (or too many)")?
            .iter()
            .map(|k| match k {
                Value::Bytes(b) => Kid::try_from(&**b).map_err(|_| BAD("a remove is not a kid")),
                _ => Err(BAD("a remove is not a kid")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(((), adds, removes))
    }

    fn position(held: &TrustList) -> Option<(&str, u64)> {
        held.published()
    }

    fn same_list(held: &TrustList, doc: &TrustListDocument) -> bool {
        held.published().is_some_and(|(id, _)| id == doc.list_id())
    }

    fn apply(held: &mut TrustList, doc: TrustListDocument, _: &()) -> Result<(), Error> {
        let (header, ((), adds, removes)) = doc.into_parts();
        let mut next = match header.base_sequence() {
            Some(_) => held.clone(),
            None => held.emptied(),
        };
        next.apply_entries(&removes, adds.iter().map(TrustListEntry::as_parts))?;
        next.set_published(
            header.list_id().to_owned(),
            header.sequence(),
            header.validity().expires(),
        );
        *held = next;
        Ok(())
    }
}

impl TrustListDocument {
    /// Starts a full list under the id `list_id`.
    pub fn builder(list_id: impl Into<String>) -> ListBuilder<TrustSigners> {
        ListBuilder::new(list_id.into(), ())
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

impl TrustListLoader {
    /// A loader trusting lists signed by `anchors` (the network's
    /// list-signing certificates, not pass signers).
    pub fn new(anchors: TrustList) -> Self {
        ListLoader::with_options(anchors, ())
    }

    /// Verifies a signed full list and makes the trust list it holds (with
    /// the default crypto backend), which expires with the document.
    ///
    /// # Errors
    /// As [`ListLoader::read`]; [`Error::SignedDocument`] for a delta;
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
        let doc = self.read_full(bytes, now)?;
        let (header, ((), adds, _)) = doc.into_parts();
        empty.apply_entries(&[], adds.iter().map(TrustListEntry::as_parts))?;
        empty.set_published(
            header.list_id().to_owned(),
            header.sequence(),
            header.validity().expires(),
        );
        Ok(empty)
    }
}
