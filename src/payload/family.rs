//! The other members of the HCERT family: WHO DDCC (vaccination status and
//! test result) and the Digital Vaccination Certificate (DVC) of the ICVP.
//!
//! The hcert claim (-260) holds exactly one member under its key (WHO SMART
//! Trust HCert logical model 1.3.0):
//!
//! | key | member | payload |
//! |---|---|---|
//! | 1 | EU DCC | schema 1.3.3 (`ver`, `nam`, `dob`, `v`/`t`/`r`) |
//! | 3 | DDCC:VS | DDCC core data set, vaccination status |
//! | 4 | DDCC:TR | DDCC core data set, test result |
//! | -6 | DVC | the ICVP's digital vaccination certificate |
//!
//! Key 5 (health link) and anything else is unsupported; an older DDCC
//! draft used 2 for VS and 3 for TR, and nothing here guesses which draft a
//! pass follows.
//!
//! **DVC** (as the WHO GDHCN validator reads it, `HCertDVC` at
//! gdhcn-validator 17aa225, and as the GDHCN sample passes carry it): `n`
//! name, `dob`, `s` sex, `ntl` nationality, `nid` national id, `gn`
//! guardian, and one vaccination `v` (an object) {`dn` dose (a code such as
//! `"Primary"`, or a number), `tg` target disease, `vp` vaccine, `mp`
//! product, `ma` manufacturer, `mid` manufacturer id, `dt` date, `bo`
//! batch, `vls`/`vle` validity start and end, `cn` clinician, `is`
//! issuer}. Required: `n`, `dob`, `v` with `tg` or `vp`, and `dt`.
//!
//! **DDCC:VS / DDCC:TR** (WHO DDCC core data set, `DDCCCoreDataSet.VS` and
//! `.TR`): `name`, `birthDate`, `sex`, `identifier`, `certificate` {`hcid`,
//! `issuer`, `version`, `period` {`start`, `end`}}, and `vaccination`
//! {`vaccine`, `date`, `dose`, …} or `test` {`pathogen` or `type`, `date`,
//! `result`, …}. Codings are objects `{code, system}`; identifiers and
//! references are text or objects (`{value}`, `{identifier}`).
//!
//! Decoding is tolerant (fields not named here are kept in the payload's
//! JSON); the structure check is strict on the types of the fields it
//! names. Every check runs on the JSON form, for verification and for
//! issuing alike.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::kind::PassKind;
use super::member::Member;
use super::Payload;
use crate::error::{SchemaViolation, SchemaViolations};
use crate::{Error, UnixTime};

/// A DVC payload, for issuing ([`Dvc::to_payload`]); read a verified one
/// through its payload JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dvc {
    /// The holder's name (`n`).
    pub n: String,
    /// Date of birth, `YYYY-MM-DD` (`dob`).
    pub dob: String,
    /// Sex (`s`), a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<String>,
    /// Nationality (`ntl`), a country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntl: Option<String>,
    /// National identification document (`nid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nid: Option<String>,
    /// Parent or guardian (`gn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gn: Option<String>,
    /// The vaccination (`v`).
    pub v: DvcVaccination,
}

/// The vaccination of a DVC (`v`). `tg` or `vp`, and `dt`, are required.
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DvcVaccination {
    /// Dose (a code such as `"Primary"`, or a number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dn: Option<Json>,
    /// Disease or condition targeted (e.g. ICD-11 `1D47`, yellow fever).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Vaccine or prophylaxis code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vp: Option<String>,
    /// Product (trade item) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mp: Option<String>,
    /// Manufacturer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Manufacturer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    /// Date of vaccination, `YYYY-MM-DD`.
    pub dt: String,
    /// Batch number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bo: Option<String>,
    /// Validity start (a date or date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vls: Option<String>,
    /// Validity end (a date: to its last second; or a date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vle: Option<String>,
    /// Supervising clinician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cn: Option<String>,
    /// Issuer (organisation).
    #[serde(default, rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// A FHIR Coding: `{code, system}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    /// The code.
    pub code: String,
    /// The code system (a URI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// A display text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// What every DDCC carries besides its event: holder and certificate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ddcc {
    /// The holder's name.
    pub name: String,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(rename = "birthDate")]
    pub birth_date: String,
    /// Sex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Coding>,
    /// The holder's identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The certificate.
    pub certificate: DdccCertificate,
}

/// A DDCC's certificate data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DdccCertificate {
    /// Health certificate identifier (HCID): the id revocation hashes use.
    pub hcid: String,
    /// The issuing organisation (an identifier).
    pub issuer: String,
    /// The certificate schema version (e.g. `RC-2.0.0`).
    pub version: String,
    /// The validity period, `{start, end}` (dates or date-times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A validity period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// From (a date or date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Until (a date: to its last second; or a date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A DDCC:VS vaccination event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DdccVaccinationEvent {
    /// Vaccine or prophylaxis.
    pub vaccine: Coding,
    /// Date of vaccination.
    pub date: String,
    /// Dose number (from 1).
    pub dose: u32,
    /// Total doses in the series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_doses: Option<u32>,
    /// Brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<Coding>,
    /// Country of vaccination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Coding>,
    /// Disease or agent targeted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease: Option<Coding>,
    /// Lot number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Administering centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<String>,
}

/// A DDCC:TR test result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DdccTestEvent {
    /// The pathogen tested for (this or `type` is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pathogen: Option<Coding>,
    /// The type of test.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub test_type: Option<Coding>,
    /// Date and time of the sample.
    pub date: String,
    /// The result.
    pub result: Coding,
    /// Testing centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<String>,
    /// Country of the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Coding>,
}

fn build(member: Member, value: Result<Json, serde_json::Error>) -> Result<Payload, Error> {
    let value = value.map_err(|_| Error::Internal("a family payload did not serialise"))?;
    let payload = Payload::from_member_json(member, value)?;
    payload.validate_schema().map_err(Error::Schema)?;
    Ok(payload)
}

impl Dvc {
    /// The DVC payload, checked.
    ///
    /// # Errors
    /// [`Error::Schema`] for a missing `tg`/`vp` or a `vls`/`vle` that is
    /// not a date.
    pub fn to_payload(&self) -> Result<Payload, Error> {
        build(Member::Dvc, serde_json::to_value(self))
    }
}

impl Ddcc {
    /// A DDCC:VS payload: this holder and certificate, and `vaccination`.
    ///
    /// # Errors
    /// [`Error::Schema`] for a payload the checks refuse.
    pub fn vaccination(&self, vaccination: &DdccVaccinationEvent) -> Result<Payload, Error> {
        build(
            Member::DdccVaccination,
            self.with("vaccination", vaccination),
        )
    }

    /// A DDCC:TR payload: this holder and certificate, and `test`.
    ///
    /// # Errors
    /// [`Error::Schema`] for a payload the checks refuse (neither
    /// `pathogen` nor `type`).
    pub fn test(&self, test: &DdccTestEvent) -> Result<Payload, Error> {
        build(Member::DdccTest, self.with("test", test))
    }

    fn with(&self, key: &str, event: &impl Serialize) -> Result<Json, serde_json::Error> {
        let mut root = serde_json::to_value(self)?;
        if let Json::Object(m) = &mut root {
            m.insert(key.into(), serde_json::to_value(event)?);
        }
        Ok(root)
    }
}

/// What verification takes from a DDCC or DVC payload that passed the
/// checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FamilyChecked {
    /// The holder's name, one text (`n`, `name`).
    pub(crate) name: String,
    pub(crate) date_of_birth: String,
    pub(crate) kind: PassKind,
    /// The certificate's own validity bounds (`vls`/`vle`,
    /// `certificate.period`), when it has them.
    pub(crate) valid_from: Option<UnixTime>,
    pub(crate) valid_until: Option<UnixTime>,
    /// The certificate identifier (DDCC `certificate.hcid`); a DVC has
    /// none.
    pub(crate) certificate_id: Option<String>,
}

/// How a named field must be typed.
#[derive(Clone, Copy)]
enum Shape {
    /// A JSON string.
    Text,
    /// A string or a number (a dose written either way).
    TextOrNumber,
    /// A whole number (a FHIR positiveInt).
    Count,
    /// A FHIR Coding: an object with a text `code` (and text `system`,
    /// `display`, `version` if present).
    Coding,
    /// A FHIR Identifier or Reference: text, or an object.
    TextOrObject,
    /// A date or date-time that starts a validity window.
    Start,
    /// A date or date-time that ends a validity window.
    End,
}

/// Collects violations with their paths.
struct Check {
    member: Member,
    out: Vec<SchemaViolation>,
}

impl Check {
    fn fail(&mut self, path: String, message: &'static str) {
        self.out.push(SchemaViolation { path, message });
    }

    /// Checks `obj[key]` against `shape`; `required` fields must be there
    /// (a `null` counts as absent).
    fn field(
        &mut self,
        obj: &Map<String, Json>,
        at: &str,
        key: &str,
        shape: Shape,
        required: bool,
    ) -> Option<UnixTime> {
        let path = format!("{at}/{key}");
        let Some(v) = obj.get(key).filter(|v| !v.is_null()) else {
            if required {
                self.fail(path, "missing");
            }
            return None;
        };
        match shape {
            Shape::Text if !v.is_string() => self.fail(path, "not text"),
            Shape::TextOrNumber if !(v.is_string() || v.is_number()) => {
                self.fail(path, "not text or a number")
            }
            Shape::Count if v.as_u64().is_none_or(|n| n < 1) => {
                self.fail(path, "not a whole number of at least 1")
            }
            Shape::TextOrObject if !(v.is_string() || v.is_object()) => {
                self.fail(path, "not text or an object")
            }
            Shape::Coding => self.coding(v, path),
            Shape::Start | Shape::End => {
                let parsed = v.as_str().and_then(|s| match shape {
                    Shape::Start => crate::time::window_start(s),
                    _ => crate::time::window_end(s),
                });
                if parsed.is_none() {
                    self.fail(path, "not a date or date-time");
                }
                return parsed;
            }
            _ => {}
        }
        None
    }

    fn coding(&mut self, v: &Json, path: String) {
        let Json::Object(c) = v else {
            self.fail(path, "not a coding object {code, system}");
            return;
        };
        self.field(c, &path, "code", Shape::Text, true);
        for key in ["system", "display", "version"] {
            self.field(c, &path, key, Shape::Text, false);
        }
    }

    /// An object at `obj[key]`, checked to be one.
    fn object<'j>(
        &mut self,
        obj: &'j Map<String, Json>,
        at: &str,
        key: &str,
        required: bool,
    ) -> Option<&'j Map<String, Json>> {
        match obj.get(key).filter(|v| !v.is_null()) {
            Some(Json::Object(m)) => Some(m),
            Some(_) => {
                self.fail(format!("{at}/{key}"), "not an object");
                None
            }
            None => {
                if required {
                    self.fail(format!("{at}/{key}"), "missing");
                }
                None
            }
        }
    }
}

fn text(obj: &Map<String, Json>, key: &str) -> Option<String> {
    obj.get(key).and_then(Json::as_str).map(str::to_owned)
}

/// An identifier as text: itself, or an object's `value`.
fn identifier(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        Json::Object(m) => text(m, "value"),
        _ => None,
    }
}

/// Checks a family member's payload; every violation, with its path.
fn run(member: Member, root: &Map<String, Json>) -> (Vec<SchemaViolation>, Option<FamilyChecked>) {
    let mut c = Check {
        member,
        out: Vec::new(),
    };
    let (name_key, dob_key) = match member {
        Member::Dvc => ("n", "dob"),
        _ => ("name", "birthDate"),
    };
    c.field(root, "", name_key, Shape::Text, true);
    c.field(root, "", dob_key, Shape::Text, true);
    let mut bounds = (None, None);
    let mut bounds_at = "";
    let mut certificate_id = None;
    match member {
        Member::Dvc => {
            for key in ["s", "ntl", "nid", "gn"] {
                c.field(root, "", key, Shape::Text, false);
            }
            if let Some(v) = c.object(root, "", "v", true) {
                c.field(v, "/v", "dn", Shape::TextOrNumber, false);
                for key in ["tg", "vp", "mp", "ma", "mid", "bo", "cn", "is"] {
                    c.field(v, "/v", key, Shape::Text, false);
                }
                let has = |k: &str| v.get(k).is_some_and(|x| !x.is_null());
                if !has("tg") && !has("vp") {
                    c.fail("/v/tg".into(), "missing (tg or vp is required)");
                }
                c.field(v, "/v", "dt", Shape::Text, true);
                bounds = (
                    c.field(v, "/v", "vls", Shape::Start, false),
                    c.field(v, "/v", "vle", Shape::End, false),
                );
                bounds_at = "/v/vle";
            }
        }
        Member::DdccVaccination | Member::DdccTest => {
            c.field(root, "", "sex", Shape::Coding, false);
            c.field(root, "", "identifier", Shape::TextOrObject, false);
            if let Some(cert) = c.object(root, "", "certificate", true) {
                c.field(cert, "/certificate", "hcid", Shape::TextOrObject, true);
                c.field(cert, "/certificate", "issuer", Shape::TextOrObject, true);
                c.field(cert, "/certificate", "version", Shape::Text, true);
                c.field(cert, "/certificate", "ddccid", Shape::TextOrObject, false);
                c.field(cert, "/certificate", "kid", Shape::Text, false);
                certificate_id = identifier(cert.get("hcid"));
                if let Some(period) = c.object(cert, "/certificate", "period", false) {
                    bounds = (
                        c.field(period, "/certificate/period", "start", Shape::Start, false),
                        c.field(period, "/certificate/period", "end", Shape::End, false),
                    );
                    bounds_at = "/certificate/period/end";
                }
            }
            if member == Member::DdccVaccination {
                if let Some(v) = c.object(root, "", "vaccination", true) {
                    let at = "/vaccination";
                    c.field(v, at, "vaccine", Shape::Coding, true);
                    c.field(v, at, "date", Shape::Text, true);
                    c.field(v, at, "dose", Shape::Count, true);
                    c.field(v, at, "total_doses", Shape::Count, false);
                    for key in ["brand", "maholder", "country", "disease"] {
                        c.field(v, at, key, Shape::Coding, false);
                    }
                    c.field(v, at, "manufacturer", Shape::TextOrObject, false);
                    c.field(v, at, "practitioner", Shape::TextOrObject, false);
                    for key in ["lot", "centre", "validFrom", "nextDose"] {
                        c.field(v, at, key, Shape::Text, false);
                    }
                }
            } else if let Some(t) = c.object(root, "", "test", true) {
                let at = "/test";
                let has = |k: &str| t.get(k).is_some_and(|x| !x.is_null());
                if !has("pathogen") && !has("type") {
                    c.fail(
                        "/test/pathogen".into(),
                        "missing (pathogen or type is required)",
                    );
                }
                for key in [
                    "pathogen",
                    "type",
                    "brand",
                    "manufacturer",
                    "origin",
                    "country",
                ] {
                    c.field(t, at, key, Shape::Coding, false);
                }
                c.field(t, at, "date", Shape::Text, true);
                c.field(t, at, "result", Shape::Coding, true);
                c.field(t, at, "centre", Shape::Text, false);
            }
        }
        Member::EuDcc => {}
    }
    if let (Some(from), Some(until)) = bounds {
        if until < from {
            c.fail(bounds_at.into(), "the validity ends before it starts");
        }
    }
    let member = c.member;
    if !c.out.is_empty() {
        return (c.out, None);
    }
    let checked = FamilyChecked {
        name: text(root, name_key).unwrap_or_default(),
        date_of_birth: text(root, dob_key).unwrap_or_default(),
        kind: member.family_kind().unwrap_or(PassKind::Vaccination),
        valid_from: bounds.0,
        valid_until: bounds.1,
        certificate_id,
    };
    (Vec::new(), Some(checked))
}

/// Checks a family member's payload as verification requires: the first
/// violation is the error.
pub(crate) fn check(member: Member, root: &Json) -> Result<FamilyChecked, Error> {
    let Json::Object(root) = root else {
        return Err(Error::PayloadField {
            member: member.as_str(),
            path: String::new(),
            message: "not an object",
        });
    };
    match run(member, root) {
        (_, Some(checked)) => Ok(checked),
        (violations, None) => {
            let first = violations.into_iter().next();
            Err(Error::PayloadField {
                member: member.as_str(),
                path: first.as_ref().map(|v| v.path.clone()).unwrap_or_default(),
                message: first.map_or("invalid", |v| v.message),
            })
        }
    }
}

/// Every violation of a family member's payload (for issuing).
pub(crate) fn validate(member: Member, root: &Map<String, Json>) -> Result<(), SchemaViolations> {
    match run(member, root) {
        (v, _) if v.is_empty() => Ok(()),
        (v, _) => Err(SchemaViolations(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dvc() -> Json {
        json!({"n": "Aulo Agerio", "dob": "1905-08-23", "s": "M", "ntl": "CL",
               "v": {"dn": "Primary", "tg": "1D47", "vp": "XM0N24", "dt": "2024-08-23",
                     "vls": "2024-09-02", "vle": "2034-09-01", "bo": "123"}})
    }

    #[test]
    fn members_and_keys() {
        for m in Member::ALL {
            assert_eq!(Member::from_claim_key(m.claim_key()), Ok(m));
            assert_eq!(Member::from_name(m.as_str()), Some(m));
        }
        assert_eq!(Member::from_claim_key(2), Err(Error::UnsupportedMember(2)));
        assert_eq!(Member::from_claim_key(5), Err(Error::UnsupportedMember(5)));
    }

    #[test]
    fn a_dvc_checks_and_gives_its_window() {
        let c = check(Member::Dvc, &dvc()).unwrap();
        assert_eq!(c.name, "Aulo Agerio");
        assert_eq!(c.date_of_birth, "1905-08-23");
        assert_eq!(c.kind, PassKind::Vaccination);
        assert_eq!(c.valid_from.unwrap().to_string(), "2024-09-02T00:00:00Z");
        assert_eq!(c.valid_until.unwrap().to_string(), "2034-09-01T23:59:59Z");
        assert_eq!(c.certificate_id, None);
    }

    #[test]
    fn violations_name_their_field() {
        let cases = [
            (json!({"dob": "1990"}), "/n"),
            (
                json!({"n": 1, "dob": "1990", "v": {"tg": "x", "dt": "2020-01-01"}}),
                "/n",
            ),
            (
                json!({"n": "A", "dob": "1990", "v": [{"tg": "x", "dt": "2020-01-01"}]}),
                "/v",
            ),
            (
                json!({"n": "A", "dob": "1990", "v": {"dt": "2020-01-01"}}),
                "/v/tg",
            ),
            (json!({"n": "A", "dob": "1990", "v": {"tg": "x"}}), "/v/dt"),
            (
                json!({"n": "A", "dob": "1990", "v": {"tg": "x", "dt": "d", "dn": []}}),
                "/v/dn",
            ),
            (
                json!({"n": "A", "dob": "1990", "v": {"tg": "x", "dt": "d", "vle": "soon"}}),
                "/v/vle",
            ),
            (
                json!({"n": "A", "dob": "1990", "v": {"tg": "x", "dt": "d", "vls": "2020-01-02", "vle": "2020-01-01"}}),
                "/v/vle",
            ),
        ];
        for (payload, path) in cases {
            match check(Member::Dvc, &payload) {
                Err(Error::PayloadField { path: p, .. }) => assert_eq!(p, path, "{payload}"),
                other => panic!("{payload}: {other:?}"),
            }
        }
    }

    #[test]
    fn ddcc_members() {
        let base = |extra: (&str, Json)| {
            let mut m = json!({"name": "Jane Doe", "birthDate": "1990-04-01",
                "certificate": {"hcid": {"value": "HCID-1"}, "issuer": {"identifier": {"value": "XX"}},
                                "version": "RC-2.0.0", "period": {"start": "2024-01-01", "end": "2025-01-01"}}});
            m[extra.0] = extra.1;
            m
        };
        let vs = base((
            "vaccination",
            json!({"vaccine": {"code": "XM68M6", "system": "http://id.who.int/icd11/mms"},
                                              "date": "2024-01-01", "dose": 1}),
        ));
        let c = check(Member::DdccVaccination, &vs).unwrap();
        assert_eq!(
            (c.name.as_str(), c.kind),
            ("Jane Doe", PassKind::Vaccination)
        );
        assert_eq!(c.certificate_id.as_deref(), Some("HCID-1"));
        assert!(c.valid_until.is_some());
        let tr = base((
            "test",
            json!({"pathogen": {"code": "840539006"}, "date": "2024-01-01T10:00:00Z",
                                       "result": {"code": "260415000"}}),
        ));
        assert_eq!(check(Member::DdccTest, &tr).unwrap().kind, PassKind::Test);
        // The vaccination is not a test, and codings are objects.
        assert!(check(Member::DdccTest, &vs).is_err());
        let bad = base((
            "vaccination",
            json!({"vaccine": "XM68M6", "date": "2024-01-01", "dose": 1}),
        ));
        let err = validate(Member::DdccVaccination, bad.as_object().unwrap()).unwrap_err();
        assert_eq!(err.0[0].path, "/vaccination/vaccine");
        let bad = base((
            "vaccination",
            json!({"vaccine": {"code": "x"}, "date": "2024-01-01", "dose": 0}),
        ));
        assert!(check(Member::DdccVaccination, &bad).is_err());
    }
}
