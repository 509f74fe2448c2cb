//! Signed rule sets: admission rules as a document a network signs and
//! distributes, so that whoever can replace a rule file no longer decides
//! who enters.
//!
//! A signed rule set is a signed list (see [`crate::signed::list`]: the
//! header, builder and loader every signed list shares) with the content
//! type `application/vnd.healthpass.rule-set+cbor`, whose payload is a CBOR
//! map with integer keys:
//!
//! | key | field | |
//! |---|---|---|
//! | 1 | format version | uint, 1 |
//! | 2 | list id | text |
//! | 3 | sequence number | uint |
//! | 4 | base sequence | uint; present in a delta only |
//! | 5 | issued at | int, seconds |
//! | 6 | expires | int, seconds; after issued at |
//! | 7 | adds | array of text: one rule each, as its JSON (EU or Swiss spelling) |
//! | 8 | removes | array of text: identifiers whose every version a delta removes |
//! | 9 | frame | text, optional: the JSON of a Swiss-format set without its `rules` (`valueSets`, `modeRules`, `displayRules`) |
//!
//! No other key is allowed. Every rule is checked against the
//! validation-rule schema when a document is built and when it is read; a
//! full document must make a rule set ([`RuleSet::from_json`]'s rules: an
//! identifier names its country, no identifier and version twice). A delta
//! keeps the frame of the set it applies to and is applied all or nothing.
//!
//! **Expiry** fails closed: a verifier whose signed rule set has expired
//! admits nobody (the admission is not evaluated). **Replay**: give the
//! loader the last sequence you accepted ([`RuleSetLoader::min_sequence`]).
//!
//! ```no_run
//! # use healthpass::rules::{RuleSetDocument, RuleSetLoader};
//! # use healthpass::issue::Credential;
//! # use healthpass::signed::Validity;
//! # use healthpass::{TrustList, UnixTime, Verifier};
//! # fn f(credential: &Credential, anchors: TrustList, trust: TrustList, rules_json: &str,
//! #      validity: Validity, now: UnixTime) -> Result<(), healthpass::Error> {
//! // The publisher signs its rule file…
//! let signed = RuleSetDocument::builder_from_json("AT-rules", rules_json)?
//!     .sequence(7)
//!     .build(validity)?
//!     .sign(credential)?;
//! // …and each gate loads it against the publisher's certificate only.
//! let rules = RuleSetLoader::new(anchors).min_sequence(6).load(&signed, now)?;
//! let verifier = Verifier::builder().trust_list(trust).rules(rules).build()?;
//! # Ok(()) }
//! ```

use serde_json::{Map, Value as Json};

use super::ruleset::{distinct, rule_of, Published, RuleSet, MAX_RULES, MAX_RULE_FILE};
use crate::cbor::Value;
use crate::signed::list::sealed::{HeaderKeys, Texts};
use crate::signed::list::{drop_ref, encoded};
use crate::signed::{ListBuilder, ListDocument, ListKind, ListLoader};
use crate::{Error, UnixTime};

/// The content type of a signed rule set.
pub const RULE_SET_CONTENT_TYPE: &str = "application/vnd.healthpass.rule-set+cbor";

/// Rule sets, as a kind of signed list ([`ListKind`]): they add rules (each
/// its JSON) and remove identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedRules {}

/// A signed rule set's contents: a full set or a delta.
pub type RuleSetDocument = ListDocument<SignedRules>;

/// Verifies and loads signed rule sets: against the anchors given for rule
/// sets (never the pass signers), not older than the caller's last
/// sequence, issued neither in the future nor outside the signer
/// certificate's validity.
pub type RuleSetLoader = ListLoader<SignedRules>;

impl ListKind for SignedRules {
    /// The frame of a Swiss-format set (its JSON without `rules`), or
    /// `None` for EU rules.
    type Params = Option<String>;
    /// One rule, as its JSON text.
    type Add = String;
    /// An identifier: a delta removes every version of it.
    type Remove = String;
    type Held = RuleSet;
    type Options = ();
    const MAX_ITEMS: usize = MAX_RULES;
}

impl crate::signed::list::sealed::Kind for SignedRules {
    const CONTENT_TYPE: &'static str = RULE_SET_CONTENT_TYPE;
    const WHAT: &'static str = "rule set";
    const MAX_LEN: usize = MAX_RULE_FILE;
    const KEYS: HeaderKeys = HeaderKeys {
        list_id: 2,
        sequence: 3,
        base_sequence: 4,
        issued_at: 5,
        expires: 6,
    };
    const MAX_KEY: i64 = 9;
    const TEXTS: Texts = Texts {
        not_a_map: "the rule set is not a map",
        unknown_field: "unknown field in the rule set",
        version: "unsupported rule set format version",
        expires_before_issue: "the rule set expires before it is issued",
        full_with_removes: "a full rule set has no removes",
        delta_needs_list: "a delta needs a rule set to apply to",
        another_list: "another rule set (id or frame)",
        not_from_list: "the rule set did not come from a signed document",
        too_many: "too many rules in the rule set",
    };

    fn error(reason: &'static str) -> Error {
        Error::SignedDocument(reason)
    }

    fn check(doc: &RuleSetDocument) -> Result<(), Error> {
        if doc.base_sequence().is_some() {
            // A delta's rules are checked one by one; the set they make is
            // checked when the delta is applied.
            compiled(doc.adds()).map(|_| ())
        } else {
            assemble(doc.params().as_deref(), doc.adds()).map(|_| ())
        }
    }

    fn body_fields(doc: &RuleSetDocument) -> Vec<(i64, Vec<u8>)> {
        let texts = |items: &[String]| {
            encoded(|e| {
                e.array(items.len());
                for t in items {
                    e.text(t);
                }
            })
        };
        let mut fields = vec![(7, texts(doc.adds())), (8, texts(doc.removes()))];
        if let Some(frame) = doc.params() {
            fields.push((9, encoded(|e| drop_ref(e.text(frame)))));
        }
        fields
    }

    fn read_body(v: &Value<'_>) -> Result<(Option<String>, Vec<String>, Vec<String>), Error> {
        const BAD: fn(&'static str) -> Error = Error::SignedDocument;
        let texts = |k: i64, what: &'static str| match v.map_get_int(k) {
            Some(Value::Array(items)) if items.len() <= MAX_RULES => items
                .iter()
                .map(|i| match i {
                    Value::Text(t) => Ok(t.to_string()),
                    _ => Err(BAD(what)),
                })
                .collect::<Result<Vec<_>, _>>(),
            _ => Err(BAD(what)),
        };
        let frame = match v.map_get_int(9) {
            None => None,
            Some(Value::Text(t)) => Some(t.to_string()),
            Some(_) => return Err(BAD("the rule set's frame is not text")),
        };
        Ok((
            frame,
            texts(7, "no rules (or too many, or not text)")?,
            texts(8, "no removes (or too many, or not text)")?,
        ))
    }

    fn position(held: &RuleSet) -> Option<(&str, u64)> {
        held.published()
    }

    fn same_list(held: &RuleSet, doc: &RuleSetDocument) -> bool {
        held.published
            .as_deref()
            .is_some_and(|p| p.list_id == doc.list_id() && &p.frame == doc.params())
    }

    fn apply(held: &mut RuleSet, doc: RuleSetDocument, _: &()) -> Result<(), Error> {
        let (header, (frame, adds, removes)) = doc.into_parts();
        let mut next = match header.base_sequence() {
            Some(_) => {
                let mut next = held.clone();
                next.rules.retain(|r| !removes.contains(&r.identifier));
                next.rules.extend(compiled(&adds)?);
                next.rules = distinct(std::mem::take(&mut next.rules))?;
                if next.rules.len() > MAX_RULES {
                    return Err(Error::SignedDocument("too many rules in the rule set"));
                }
                next
            }
            None => assemble(frame.as_deref(), &adds)?,
        };
        next.published = Some(Box::new(Published {
            list_id: header.list_id().to_owned(),
            sequence: header.sequence(),
            expires: header.validity().expires(),
            frame,
        }));
        *held = next;
        Ok(())
    }
}

/// The JSON of one rule: an object.
fn rule_json(text: &str) -> Result<Json, Error> {
    match serde_json::from_str::<Json>(text) {
        Ok(j @ Json::Object(_)) => Ok(j),
        _ => Err(Error::SignedDocument(
            "a rule of the rule set is not a json object",
        )),
    }
}

/// Rules compiled from their JSON texts (EU or Swiss spelling, by their
/// identifier field).
fn compiled(texts: &[String]) -> Result<Vec<super::Rule>, Error> {
    texts
        .iter()
        .map(|t| {
            let j = rule_json(t)?;
            let swiss = j.get("identifier").is_some();
            rule_of(&j, swiss)
        })
        .collect()
}

/// The rule set a full document makes: the frame's Swiss set with these
/// rules, or EU rules.
fn assemble(frame: Option<&str>, rules: &[String]) -> Result<RuleSet, Error> {
    let rules: Vec<Json> = rules
        .iter()
        .map(|t| rule_json(t))
        .collect::<Result<_, _>>()?;
    match frame {
        None => RuleSet::from_value(&Json::Array(rules)),
        Some(frame) => {
            let mut set = frame_of(frame)?;
            set.insert("rules".into(), Json::Array(rules));
            RuleSet::from_value(&Json::Object(set))
        }
    }
}

/// A frame: the members of a Swiss-format set but its rules.
fn frame_of(text: &str) -> Result<Map<String, Json>, Error> {
    let Ok(Json::Object(m)) = serde_json::from_str::<Json>(text) else {
        return Err(Error::SignedDocument(
            "the rule set's frame is not a json object",
        ));
    };
    if m.keys()
        .any(|k| !matches!(k.as_str(), "valueSets" | "modeRules" | "displayRules"))
    {
        return Err(Error::SignedDocument(
            "the rule set's frame holds a member other than valueSets, modeRules and displayRules",
        ));
    }
    Ok(m)
}

impl RuleSetDocument {
    /// Starts a full rule set of EU rules (no frame) under the id `list_id`;
    /// give the rules with [`ListBuilder::adds`], one JSON text each.
    pub fn builder(list_id: impl Into<String>) -> ListBuilder<SignedRules> {
        ListBuilder::new(list_id.into(), None)
    }

    /// Starts a full rule set under the id `list_id` from a rule file as
    /// [`RuleSet::from_json`] reads it: an EU rule, an array of them, or a
    /// Swiss-format set (whose members but `rules` become the frame).
    ///
    /// # Errors
    /// [`Error::Rules`] for a file that is not a rule set (over
    /// [`MAX_RULE_FILE`], not JSON, a rule the schema refuses…).
    pub fn builder_from_json(
        list_id: impl Into<String>,
        text: &str,
    ) -> Result<ListBuilder<SignedRules>, Error> {
        // The whole set is checked as a verifier will read it.
        RuleSet::from_json(text)?;
        let j: Json =
            serde_json::from_str(text).map_err(|e| Error::Rules(format!("not json: {e}")))?;
        let (frame, rules) = match j {
            Json::Array(items) => (None, items),
            Json::Object(mut m) if m.contains_key("rules") => {
                let rules = match m.remove("rules") {
                    Some(Json::Array(items)) => items,
                    _ => return Err(Error::Rules("rules is not an array".into())),
                };
                (Some(Json::Object(m).to_string()), rules)
            }
            one @ Json::Object(_) => (None, vec![one]),
            _ => {
                return Err(Error::Rules(
                    "a rule set is a rule, an array of rules, or {rules, …}".into(),
                ))
            }
        };
        Ok(ListBuilder::new(list_id.into(), frame)
            .adds(rules.iter().map(Json::to_string).collect()))
    }
}

impl RuleSetLoader {
    /// A loader of rule sets signed by one of `anchors`: the certificates
    /// of the rule publishers, never the pass signers.
    pub fn new(anchors: crate::TrustList) -> Self {
        ListLoader::with_options(anchors, ())
    }

    /// Verifies a signed full rule set and makes the rule set it holds,
    /// which admits nobody once the document has expired.
    ///
    /// # Errors
    /// As [`ListLoader::read`]; [`Error::SignedDocument`] for a delta, or
    /// rules that do not make a rule set.
    pub fn load(&self, bytes: &[u8], now: UnixTime) -> Result<RuleSet, Error> {
        let doc = self.read_full(bytes, now)?;
        let mut set = RuleSet::from_value(&Json::Array(Vec::new()))?;
        set.published = Some(Box::new(Published {
            list_id: doc.list_id().to_owned(),
            sequence: 0,
            expires: doc.validity().expires(),
            frame: doc.params().clone(),
        }));
        <SignedRules as crate::signed::list::sealed::Kind>::apply(&mut set, doc, &())?;
        Ok(set)
    }
}
