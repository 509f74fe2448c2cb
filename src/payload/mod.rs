//! The health payload (EU DCC schema 1.3.3): holder name, date of birth and
//! exactly one vaccination, test or recovery entry; or the payload of
//! another member of the HCERT family (WHO DDCC, the DVC of the ICVP: see
//! [`Member`]).
//!
//! Decoding is tolerant: whatever real issuers sent and can be represented
//! as JSON decodes, and converts back to the same JSON. Two stricter layers
//! sit on top: [`Payload::entry`] (what verification requires: a name, a date
//! of birth and exactly one well-typed entry) and [`Payload::validate_schema`]
//! (every rule of schema 1.3.3, plus the value sets).

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::cbor::{Encoder, Value};
use crate::Error;

mod convert;
mod entry;
pub(crate) mod family;
pub(crate) mod kind;
pub(crate) mod lean;
pub(crate) mod member;
mod schema;
pub(crate) mod valuesets;

pub use crate::error::{SchemaViolation, SchemaViolations};
pub use entry::{Dose, Entry, Exemption, HolderName, Recovery, Test, Vaccination};
pub use family::{
    Coding, Ddcc, DdccCertificate, DdccTestEvent, DdccVaccinationEvent, Dvc, DvcVaccination, Period,
};
pub use member::Member;
pub use valuesets::ValueSet;

use convert::{encode_map, to_json};
#[cfg(test)]
use kind::PassKind;

/// A decoded health payload: its JSON form and the member of the HCERT
/// family it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    /// Always a JSON object.
    value: Json,
    member: Member,
}

/// The empty object (what `as_json` would give for a payload that is not
/// an object, which `from_json` never makes).
fn empty_object() -> &'static Map<String, Json> {
    static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

const GROUPS: [&str; 4] = ["v", "t", "r", "e"];

impl Payload {
    /// An EU DCC payload from its JSON form.
    ///
    /// # Errors
    /// [`Error::Payload`] if the value is not a JSON object.
    pub fn from_json(json: Json) -> Result<Self, Error> {
        Payload::from_member_json(Member::EuDcc, json)
    }

    /// The payload of a member of the HCERT family from its JSON form (see
    /// [`Member`] for each member's fields).
    ///
    /// # Errors
    /// [`Error::Payload`] if the value is not a JSON object.
    pub fn from_member_json(member: Member, json: Json) -> Result<Self, Error> {
        match json {
            value @ Json::Object(_) => Ok(Payload { value, member }),
            _ => Err(Error::Payload("not an object")),
        }
    }

    /// A payload from a payload file's JSON: `{"<member>": {…}}` with one
    /// key naming the member (`"eu-dcc"`, `"ddcc-vaccination"`,
    /// `"ddcc-test"`, `"dvc"`; see [`Member::as_str`]), or a bare EU DCC
    /// payload (`{"ver", "nam", "dob", "v"…}`). Nothing is guessed from the
    /// fields: a DDCC or DVC payload must be wrapped.
    ///
    /// # Errors
    /// [`Error::Payload`] if the value, or the wrapped value, is not a JSON
    /// object.
    pub fn from_tagged_json(json: Json) -> Result<Self, Error> {
        if let Json::Object(m) = &json {
            if let [(name, _)] = m.iter().collect::<Vec<_>>().as_slice() {
                if let Some(member) = Member::from_name(name) {
                    let Json::Object(mut m) = json else {
                        return Err(Error::Payload("not an object"));
                    };
                    let inner = m.remove(member.as_str()).unwrap_or(Json::Null);
                    return Payload::from_member_json(member, inner);
                }
            }
        }
        Payload::from_json(json)
    }

    pub(crate) fn from_cbor(member: Member, v: &Value<'_>) -> Result<Self, Error> {
        Payload::from_member_json(member, to_json(v)?)
    }

    /// The member of the HCERT family.
    pub fn member(&self) -> Member {
        self.member
    }

    /// The payload as JSON, as the issuer wrote it (tags removed).
    pub fn to_json(&self) -> Json {
        self.value.clone()
    }

    /// The payload as a JSON object, borrowed.
    pub fn as_json(&self) -> &Map<String, Json> {
        match &self.value {
            Json::Object(m) => m,
            _ => empty_object(),
        }
    }

    /// The payload as a JSON value (an object), borrowed.
    pub(crate) fn as_value(&self) -> &Json {
        &self.value
    }

    /// The schema version the issuer claims (`ver`).
    pub fn version(&self) -> Option<&str> {
        self.as_json().get("ver").and_then(Json::as_str)
    }

    /// The holder's date of birth (`dob`; a DDCC's `birthDate`) as written:
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty.
    pub fn date_of_birth(&self) -> Option<&str> {
        let key = match self.member {
            Member::DdccVaccination | Member::DdccTest => "birthDate",
            _ => "dob",
        };
        self.as_json().get(key).and_then(Json::as_str)
    }

    fn eu_only(&self) -> Result<(), Error> {
        match self.member {
            Member::EuDcc => Ok(()),
            _ => Err(Error::Payload(
                "not an eu dcc payload: read a ddcc or dvc payload as json",
            )),
        }
    }

    /// The holder's name (EU DCC).
    ///
    /// # Errors
    /// [`Error::Payload`] if `nam` is missing or not an object of strings,
    /// or for another member.
    pub fn name(&self) -> Result<HolderName, Error> {
        self.eu_only()?;
        let nam = self.as_json().get("nam").ok_or(Error::Payload("no nam"))?;
        if !nam.is_object() {
            return Err(Error::Payload("nam is not an object"));
        }
        HolderName::deserialize(nam)
            .map_err(|_| Error::Payload("nam has a field of the wrong type"))
    }

    /// The single entry, typed.
    ///
    /// # Errors
    /// [`Error::Payload`] unless exactly one of `v`, `t`, `r`, `e` is present
    /// (a `null` counts as absent), holding an array of exactly one object
    /// whose fields have the right types; and for a member other than the
    /// EU DCC.
    pub fn entry(&self) -> Result<Entry, Error> {
        self.eu_only()?;
        let mut present = GROUPS.iter().filter_map(|g| {
            self.as_json()
                .get(*g)
                .filter(|v| !v.is_null())
                .map(|v| (*g, v))
        });
        let (group, value) = present
            .next()
            .ok_or(Error::Payload("no v, t, r or e entry"))?;
        if present.next().is_some() {
            return Err(Error::Payload("more than one of v, t, r and e"));
        }
        let Json::Array(items) = value else {
            return Err(Error::Payload("entry group is not an array"));
        };
        let [item] = items.as_slice() else {
            return Err(Error::Payload("not exactly one entry"));
        };
        if !item.is_object() {
            return Err(Error::Payload("entry is not an object"));
        }
        let wrong = |_| Error::Payload("entry has a field of the wrong type");
        Ok(match group {
            "v" => Entry::Vaccination(Vaccination::deserialize(item).map_err(wrong)?),
            "t" => Entry::Test(Test::deserialize(item).map_err(wrong)?),
            "e" => Entry::Exemption(Exemption::deserialize(item).map_err(wrong)?),
            _ => Entry::Recovery(Recovery::deserialize(item).map_err(wrong)?),
        })
    }

    /// Checks what verification requires of the payload's structure: a
    /// name object, a date of birth string and exactly one entry. The
    /// reference for `lean::check`, which must agree with it on every input.
    #[cfg(test)]
    pub(crate) fn check_structure(&self) -> Result<(HolderName, Entry), Error> {
        let name = self.name()?;
        match self.as_json().get("dob") {
            Some(Json::String(s)) if lean::is_date_of_birth(s) => {}
            Some(Json::String(_)) => {
                return Err(Error::Payload(
                    "dob is not a date of birth (YYYY-MM-DD, YYYY-MM, YYYY or empty)",
                ))
            }
            Some(_) => return Err(Error::Payload("dob is not a string")),
            None => return Err(Error::Payload("no dob")),
        }
        let entry = self.entry()?;
        if let Entry::Exemption(e) = &entry {
            exemption_window(e.df.as_deref(), e.du.as_deref())?;
        }
        Ok((name, entry))
    }

    /// Checks what verification requires of a light pass's payload: a name
    /// object, a date of birth string and no health entry at all. The
    /// reference for `lean::check` on light passes.
    #[cfg(test)]
    pub(crate) fn check_light_structure(&self) -> Result<HolderName, Error> {
        let name = self.name()?;
        match self.as_json().get("dob") {
            Some(Json::String(s)) if lean::is_date_of_birth(s) => {}
            Some(Json::String(_)) => {
                return Err(Error::Payload(
                    "dob is not a date of birth (YYYY-MM-DD, YYYY-MM, YYYY or empty)",
                ))
            }
            Some(_) => return Err(Error::Payload("dob is not a string")),
            None => return Err(Error::Payload("no dob")),
        }
        if GROUPS
            .iter()
            .any(|g| self.as_json().get(*g).is_some_and(|v| !v.is_null()))
        {
            return Err(Error::Payload("health data in a light pass"));
        }
        Ok(name)
    }

    /// Checks every rule of schema 1.3.3 (types, required fields, patterns,
    /// lengths, formats) and that coded fields use the bundled value sets.
    /// An exemption entry (`e`, outside 1.3.3) is accepted in place of `v`,
    /// `t` or `r`, with `tg`, `co`, `is`, `ci`, `df` and `du` required and
    /// `du` not before `df`. For a DDCC or DVC payload: the fields its
    /// member requires, and the types of those it names (see [`Member`]).
    ///
    /// # Errors
    /// [`SchemaViolations`], listing each violation with its JSON path.
    pub fn validate_schema(&self) -> Result<(), SchemaViolations> {
        match self.member {
            Member::EuDcc => schema::validate(self.as_json(), false),
            m => family::validate(m, self.as_json()),
        }
    }

    /// Checks the payload of a light pass: `ver`, `nam` and `dob` under the
    /// rules of schema 1.3.3, and no health entry at all.
    ///
    /// # Errors
    /// [`SchemaViolations`], listing each violation with its JSON path.
    pub fn validate_light_schema(&self) -> Result<(), SchemaViolations> {
        if self.member != Member::EuDcc {
            return Err(SchemaViolations(vec![SchemaViolation {
                path: String::new(),
                message: "a light pass is made from an eu dcc payload",
            }]));
        }
        schema::validate(self.as_json(), true)
    }

    /// Appends the payload as CBOR (definite lengths, shortest integers).
    pub(crate) fn encode_cbor(&self, e: &mut Encoder) {
        encode_map(e, self.as_json());
    }

    /// The payload as CBOR bytes (definite lengths, shortest integers).
    pub fn to_cbor(&self) -> Vec<u8> {
        let mut e = Encoder::new();
        self.encode_cbor(&mut e);
        e.into_bytes()
    }

    /// Decodes a payload from its CBOR bytes (the CBOR field of the EU test
    /// corpus).
    ///
    /// # Errors
    /// [`Error::Cbor`] for bad CBOR, [`Error::Payload`] for CBOR that is not
    /// a JSON-representable object.
    pub fn from_cbor_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let v = crate::cbor::decode_exact(bytes, "payload")?;
        Payload::from_cbor(Member::EuDcc, &v)
    }
}

/// The validity window of an exemption: from the first second of `df` to
/// the last second of `du` (UTC; date-times are taken as written).
pub(crate) fn exemption_window(
    df: Option<&str>,
    du: Option<&str>,
) -> Result<(crate::UnixTime, crate::UnixTime), Error> {
    let (Some(df), Some(du)) = (df, du) else {
        return Err(Error::Payload("exemption without df and du"));
    };
    crate::time::validity_window(df, du).ok_or(Error::Payload(
        "exemption df/du are not dates, or du is before df",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Json) -> Payload {
        Payload::from_json(v).unwrap()
    }

    #[test]
    fn structure() {
        let ok = p(json!({"ver":"1.3.0","nam":{"fnt":"A"},"dob":"","t":[{"tg":"840539006"}]}));
        let (_, e) = ok.check_structure().unwrap();
        assert_eq!(e.kind(), PassKind::Test);
        let nulls = p(json!({"nam":{"fnt":"A"},"dob":"","v":null,"r":[{}],"t":null}));
        assert_eq!(nulls.entry().unwrap().kind(), PassKind::Recovery);
        for (bad, why) in [
            (json!({"dob":"","v":[{}]}), "no nam"),
            (json!({"nam":"A","dob":"","v":[{}]}), "nam is not an object"),
            (
                json!({"nam":{"fnt":1},"dob":"","v":[{}]}),
                "nam has a field of the wrong type",
            ),
            (json!({"nam":{},"v":[{}]}), "no dob"),
            (json!({"nam":{},"dob":1990,"v":[{}]}), "dob is not a string"),
            (json!({"nam":{},"dob":""}), "no v, t, r or e entry"),
            (
                json!({"nam":{},"dob":"","v":[{}],"t":[{}]}),
                "more than one of v, t, r and e",
            ),
            (
                json!({"nam":{},"dob":"","v":[{},{}]}),
                "not exactly one entry",
            ),
            (json!({"nam":{},"dob":"","v":[]}), "not exactly one entry"),
            (
                json!({"nam":{},"dob":"","v":{}}),
                "entry group is not an array",
            ),
            (
                json!({"nam":{},"dob":"","v":["x"]}),
                "entry is not an object",
            ),
            (
                json!({"nam":{},"dob":"","v":[{"dn":"one"}]}),
                "entry has a field of the wrong type",
            ),
            (
                json!({"nam":{},"dob":"","e":[{"df":"2026-01-01"}]}),
                "exemption without df and du",
            ),
            (
                json!({"nam":{},"dob":"","e":[{"df":"2026-01-02","du":"2026-01-01"}]}),
                "exemption df/du are not dates, or du is before df",
            ),
        ] {
            assert_eq!(p(bad).check_structure().unwrap_err(), Error::Payload(why));
        }
    }

    mod lean_agrees {
        use super::*;
        use crate::payload::lean;
        use proptest::prelude::*;
        use std::borrow::Cow;

        static ACCEPTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

        #[test]
        fn the_generators_reach_accepted_payloads() {
            lean_check_agrees_with_the_json_path();
            assert!(ACCEPTED.load(std::sync::atomic::Ordering::Relaxed) > 100);
        }

        const KEYS: &[&str] = &[
            "nam", "dob", "v", "t", "r", "e", "fn", "fnt", "gn", "gnt", "dn", "sd", "tg", "ci",
            "df", "du", "x",
        ];

        fn leaf() -> impl Strategy<Value = Value<'static>> {
            prop_oneof![
                "[A-Z<]{0,6}".prop_map(|s| Value::Text(Cow::Owned(s))),
                any::<u64>().prop_map(Value::Uint),
                any::<u64>().prop_map(Value::Nint),
                any::<f64>().prop_map(Value::Float),
                any::<bool>().prop_map(Value::Bool),
                Just(Value::Null),
                Just(Value::Undefined),
                Just(Value::Simple(5)),
                proptest::collection::vec(any::<u8>(), 0..3)
                    .prop_map(|b| Value::Bytes(Cow::Owned(b))),
            ]
        }

        fn tree() -> impl Strategy<Value = Value<'static>> {
            leaf().prop_recursive(5, 48, 5, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                    proptest::collection::vec(
                        (
                            prop_oneof![
                                9 => proptest::sample::select(KEYS).prop_map(|k| Value::Text(Cow::Borrowed(k))),
                                1 => any::<u8>().prop_map(|n| Value::Uint(u64::from(n))),
                            ],
                            inner.clone()
                        ),
                        0..6
                    )
                    .prop_map(|pairs| {
                        // the decoder never yields duplicate keys
                        let mut out: Vec<(Value<'static>, Value<'static>)> = Vec::new();
                        for (k, v) in pairs {
                            if !out.iter().any(|(e, _)| *e == k) {
                                out.push((k, v));
                            }
                        }
                        Value::Map(out)
                    }),
                    inner.prop_map(|v| Value::Tag(0, Box::new(v))),
                ]
            })
        }

        fn text(s: &'static str) -> Value<'static> {
            Value::Text(Cow::Borrowed(s))
        }

        /// Mostly well-formed payloads with random parts, so that both
        /// verdicts (accepted and refused) are common.
        fn skeleton() -> impl Strategy<Value = Value<'static>> {
            let name_field = prop_oneof![
                4 => "[A-Z]{1,5}".prop_map(|s| Value::Text(Cow::Owned(s))),
                1 => leaf(),
            ];
            let nam = proptest::collection::vec(
                (
                    proptest::sample::select(&["fn", "fnt", "gn", "gnt", "x"][..]),
                    name_field,
                ),
                0..4,
            );
            let field = prop_oneof![
                4 => "[0-9A-Z]{1,5}".prop_map(|s| Value::Text(Cow::Owned(s))),
                2 => proptest::sample::select(&["2026-01-02", "2026-02-30", "2025-12-31T10:00:00Z"][..])
                    .prop_map(|s| Value::Text(Cow::Borrowed(s))),
                2 => any::<u8>().prop_map(|n| Value::Uint(u64::from(n))),
                1 => leaf(),
            ];
            let entry = proptest::collection::vec((proptest::sample::select(KEYS), field), 0..5);
            let groups = proptest::collection::vec(
                (
                    proptest::sample::select(&["v", "t", "r", "e"][..]),
                    proptest::collection::vec(entry, 0..3),
                ),
                0..3,
            );
            (
                nam,
                prop_oneof![4 => Just(text("1990-01-02")), 1 => leaf()],
                groups,
                any::<bool>(),
            )
                .prop_map(|(nam, dob, groups, tagged)| {
                    let mut root: Vec<(Value<'static>, Value<'static>)> = Vec::new();
                    let push =
                        |root: &mut Vec<(Value<'static>, Value<'static>)>, k: Value<'static>, v| {
                            if !root.iter().any(|(e, _)| *e == k) {
                                root.push((k, v));
                            }
                        };
                    let mut n = Vec::new();
                    for (k, v) in nam {
                        push(&mut n, text(k), v);
                    }
                    push(&mut root, text("nam"), Value::Map(n));
                    push(&mut root, text("dob"), dob);
                    for (g, entries) in groups {
                        let items = entries
                            .into_iter()
                            .map(|fields| {
                                let mut m = Vec::new();
                                for (k, v) in fields {
                                    push(&mut m, text(k), v);
                                }
                                Value::Map(m)
                            })
                            .collect();
                        push(&mut root, text(g), Value::Array(items));
                    }
                    let map = Value::Map(root);
                    if tagged {
                        Value::Tag(1004, Box::new(map))
                    } else {
                        map
                    }
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4096))]
            #[test]
            fn lean_check_agrees_with_the_json_path(v in prop_oneof![tree(), skeleton()]) {
                let lean = lean::check(&v, false);
                let json = Payload::from_cbor(Member::EuDcc, &v).and_then(|p| {
                    let (name, entry) = p.check_structure()?;
                    Ok((name, p.date_of_birth().map(str::to_owned), entry.kind()))
                });
                let light = lean::check(&v, true);
                let light_json = Payload::from_cbor(Member::EuDcc, &v).and_then(|p| p.check_light_structure());
                match (&light, &light_json) {
                    (Ok(l), Ok(name)) => {
                        prop_assert_eq!(&l.name, name);
                        prop_assert_eq!(l.kind, PassKind::Light);
                    }
                    (Err(_), Err(_)) => {}
                    _ => prop_assert!(false, "light: lean {:?} vs json {:?} on {:?}", light, light_json, v),
                }
                if lean.is_ok() {
                    ACCEPTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                match (&lean, &json) {
                    (Ok(l), Ok((name, dob, kind))) => {
                        prop_assert_eq!(&l.name, name);
                        prop_assert_eq!(Some(&l.date_of_birth), dob.as_ref());
                        prop_assert_eq!(l.kind, *kind);
                    }
                    (Err(_), Err(_)) => {}
                    _ => prop_assert!(false, "lean {:?} vs json {:?} on {:?}", lean, json, v),
                }
            }
        }
    }

    #[test]
    fn cbor_json_round_trip() {
        let j = json!({"a":[1,-2,1.5,true,null,"x",{"b":{}}]});
        let pl = p(j.clone());
        assert_eq!(
            Payload::from_cbor_bytes(&pl.to_cbor()).unwrap().to_json(),
            j
        );
    }

    #[test]
    fn unrepresentable_cbor() {
        // {"a": h'01'}
        assert_eq!(
            Payload::from_cbor_bytes(&[0xA1, 0x61, b'a', 0x41, 1]).unwrap_err(),
            Error::Payload("byte string in payload")
        );
        // {1: 2}
        assert_eq!(
            Payload::from_cbor_bytes(&[0xA1, 1, 2]).unwrap_err(),
            Error::Payload("map key is not text")
        );
        // [1] is not an object
        assert_eq!(
            Payload::from_cbor_bytes(&[0x81, 1]).unwrap_err(),
            Error::Payload("not an object")
        );
    }
}
