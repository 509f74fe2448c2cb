//! The rules of EU DCC schema 1.3.3, written out, plus the value sets.
//!
//! Choices where the schema leaves room:
//! - `format` is asserted. A `date` field accepts an RFC 3339 full-date, and
//!   also a full RFC 3339 date-time (several issuers wrote one; JSON Schema
//!   2020-12 makes `format` an annotation by default, and the EU corpus
//!   treats these passes as schema-valid). A `date-time` field must be RFC
//!   3339.
//! - Coded fields (`tg`, `vp`, `mp`, `ma` of a vaccination, `co`, `tt`, `tr`)
//!   must be in the bundled value sets. The test device list (`ma` of a
//!   test) is not enforced: the bundled one is only an example of a list the
//!   JRC updates continually.
//! - Unknown properties are allowed, as the schema allows them, but for a
//!   top-level `h`: rules read the verifier's headers at `payload.h`.

use serde_json::{Map, Value as Json};

use super::ValueSet;
use crate::error::{SchemaViolation, SchemaViolations};
use crate::time::{parse_date_time, parse_full_date};

struct Checker {
    out: Vec<SchemaViolation>,
}

#[derive(Clone, Copy)]
enum Rule {
    /// Any string of at most this many characters.
    Text(usize),
    /// A string in a value set.
    Code(ValueSet),
    /// A country code: matches `[A-Z]{1,10}` somewhere, and in the value set.
    Country,
    /// A string that is a date (see the module docs).
    Date,
    /// A string that is an RFC 3339 date-time.
    DateTime,
    /// A string of at most 80 characters matching `^[A-Z<]*$`.
    Standardised,
    /// An integer ≥ 1.
    PositiveInt,
}

/// The rules of an object's fields: name, rule, required.
type Rules = &'static [(&'static str, Rule, bool)];

const VACCINATION: Rules = &[
    ("tg", Rule::Code(ValueSet::DiseaseAgentTargeted), true),
    ("vp", Rule::Code(ValueSet::VaccineProphylaxis), true),
    ("mp", Rule::Code(ValueSet::VaccineMedicinalProduct), true),
    ("ma", Rule::Code(ValueSet::VaccineManufacturer), true),
    ("dn", Rule::PositiveInt, true),
    ("sd", Rule::PositiveInt, true),
    ("dt", Rule::Date, true),
    ("co", Rule::Country, true),
    ("is", Rule::Text(80), true),
    ("ci", Rule::Text(80), true),
];

const TEST: Rules = &[
    ("tg", Rule::Code(ValueSet::DiseaseAgentTargeted), true),
    ("tt", Rule::Code(ValueSet::TestType), true),
    ("nm", Rule::Text(80), false),
    ("ma", Rule::Text(usize::MAX), false),
    ("sc", Rule::DateTime, true),
    ("tr", Rule::Code(ValueSet::TestResult), true),
    ("tc", Rule::Text(80), false),
    ("co", Rule::Country, true),
    ("is", Rule::Text(80), true),
    ("ci", Rule::Text(80), true),
];

const RECOVERY: Rules = &[
    ("tg", Rule::Code(ValueSet::DiseaseAgentTargeted), true),
    ("fr", Rule::Date, true),
    ("co", Rule::Country, true),
    ("is", Rule::Text(80), true),
    ("df", Rule::Date, true),
    ("du", Rule::Date, true),
    ("ci", Rule::Text(80), true),
];

/// The exemption entry (`e`, an extension beside schema 1.3.3, as Italy's
/// exemption certificates carry it).
const EXEMPTION: Rules = &[
    ("tg", Rule::Code(ValueSet::DiseaseAgentTargeted), true),
    ("co", Rule::Country, true),
    ("is", Rule::Text(80), true),
    ("ci", Rule::Text(80), true),
    ("df", Rule::Date, true),
    ("du", Rule::Date, true),
];

const GROUPS: [(&str, Rules); 4] = [
    ("v", VACCINATION),
    ("t", TEST),
    ("r", RECOVERY),
    ("e", EXEMPTION),
];

const NAME: Rules = &[
    ("fn", Rule::Text(80), false),
    ("fnt", Rule::Standardised, false),
    ("gn", Rule::Text(80), false),
    ("gnt", Rule::Standardised, false),
];

/// Validates a full payload (`light` false: exactly one of `v`, `t`, `r`,
/// `e`) or a light pass's payload (`light`: none of them).
pub(super) fn validate(root: &Map<String, Json>, light: bool) -> Result<(), SchemaViolations> {
    let mut c = Checker { out: Vec::new() };
    for key in ["ver", "nam", "dob"] {
        if !root.contains_key(key) {
            c.fail(format!("/{key}"), "required");
        }
    }
    // `payload.h` is where rules read the verifier's headers (isLight,
    // mode, iat…): a pass that carried an `h` of its own would speak for
    // the verifier.
    if root.contains_key("h") {
        c.fail(
            "/h".into(),
            "reserved: rules read the verifier's headers there (payload.h)",
        );
    }
    let groups = GROUPS.iter().filter(|(g, _)| root.contains_key(*g)).count();
    if light && groups != 0 {
        c.fail(String::new(), "a light pass holds no v, t, r or e");
    } else if !light && groups != 1 {
        c.fail(String::new(), "must have exactly one of v, t, r and e");
    }
    if let Some(ver) = root.get("ver") {
        match ver.as_str() {
            Some(s) if is_semver_pattern(s) => {}
            Some(_) => c.fail("/ver".into(), "does not match ^\\d+.\\d+.\\d+$"),
            None => c.fail("/ver".into(), "not a string"),
        }
    }
    if let Some(nam) = root.get("nam") {
        match nam.as_object() {
            Some(n) => {
                if !n.contains_key("fnt") && !n.contains_key("gnt") {
                    c.fail("/nam".into(), "needs fnt or gnt");
                }
                c.object("/nam", n, NAME);
            }
            None => c.fail("/nam".into(), "not an object"),
        }
    }
    if let Some(dob) = root.get("dob") {
        match dob.as_str() {
            Some(s) if is_dob(s) => {}
            Some(_) => c.fail(
                "/dob".into(),
                "not a date of birth (YYYY-MM-DD, YYYY-MM, YYYY or empty, 1900-2099)",
            ),
            None => c.fail("/dob".into(), "not a string"),
        }
    }
    for (group, rules) in GROUPS {
        let Some(value) = root.get(group) else {
            continue;
        };
        let path = format!("/{group}");
        let Some(items) = value.as_array() else {
            c.fail(path, "not an array");
            continue;
        };
        if items.len() != 1 {
            c.fail(path.clone(), "must hold exactly one entry");
        }
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}/{i}");
            match item.as_object() {
                Some(o) => {
                    c.object(&p, o, rules);
                    if group == "e" {
                        c.window(&p, o);
                    }
                }
                None => c.fail(p, "not an object"),
            }
        }
    }
    if c.out.is_empty() {
        Ok(())
    } else {
        Err(SchemaViolations(c.out))
    }
}

impl Checker {
    fn fail(&mut self, path: String, message: &'static str) {
        self.out.push(SchemaViolation { path, message });
    }

    /// An exemption's `du` must not be before its `df`.
    fn window(&mut self, path: &str, o: &Map<String, Json>) {
        if let (Some(df), Some(du)) = (
            o.get("df").and_then(Json::as_str),
            o.get("du").and_then(Json::as_str),
        ) {
            let parses = |s: &str| check(&Json::String(s.into()), Rule::Date).is_none();
            if parses(df) && parses(du) && crate::time::validity_window(df, du).is_none() {
                self.fail(format!("{path}/du"), "before df");
            }
        }
    }

    fn object(&mut self, path: &str, o: &Map<String, Json>, rules: &[(&str, Rule, bool)]) {
        for (key, rule, required) in rules {
            let p = || format!("{path}/{key}");
            match o.get(*key) {
                None if *required => self.fail(p(), "required"),
                None => {}
                Some(v) => {
                    if let Some(msg) = check(v, *rule) {
                        self.fail(p(), msg);
                    }
                }
            }
        }
    }
}

fn check(v: &Json, rule: Rule) -> Option<&'static str> {
    if let Rule::PositiveInt = rule {
        // JSON Schema: an integer is any number with a zero fractional part.
        return match v.as_f64() {
            Some(f) if f.fract() == 0.0 && f >= 1.0 => None,
            Some(f) if f.fract() == 0.0 => Some("must be at least 1"),
            _ => Some("not an integer"),
        };
    }
    let Some(s) = v.as_str() else {
        return Some("not a string");
    };
    let chars = s.chars().count();
    match rule {
        Rule::Text(max) if chars > max => Some("longer than 80 characters"),
        Rule::Text(_) => None,
        Rule::Code(set) if set.contains(s) => None,
        Rule::Code(_) => Some("not in the value set"),
        Rule::Country => {
            if !has_upper_run(s) {
                Some("does not match [A-Z]{1,10}")
            } else if !ValueSet::Country.contains(s) {
                Some("not in the value set")
            } else {
                None
            }
        }
        Rule::Date => {
            let b = s.as_bytes();
            if parse_full_date(b).is_some() || parse_date_time(b).is_some() {
                None
            } else {
                Some("not a date")
            }
        }
        Rule::DateTime => parse_date_time(s.as_bytes())
            .is_none()
            .then_some("not a date-time"),
        Rule::Standardised if chars > 80 => Some("longer than 80 characters"),
        Rule::Standardised => (!s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<'))
            .then_some("does not match ^[A-Z<]*$"),
        Rule::PositiveInt => None,
    }
}

/// `^\d+.\d+.\d+$` with ECMA-262 semantics: `.` is any character but a line
/// terminator.
fn is_semver_pattern(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let digits =
        |r: Option<&[char]>| r.is_some_and(|r| !r.is_empty() && r.iter().all(char::is_ascii_digit));
    let any = |ch: Option<&char>| {
        ch.is_some_and(|ch| !matches!(ch, '\n' | '\r' | '\u{2028}' | '\u{2029}'))
    };
    (1..c.len()).any(|i| {
        (i + 2..c.len()).any(|j| {
            digits(c.get(..i))
                && any(c.get(i))
                && digits(c.get(i + 1..j))
                && any(c.get(j))
                && digits(c.get(j + 1..))
        })
    })
}

/// `^((19|20)\d\d(-\d\d){0,2}){0,1}$`.
fn is_dob(s: &str) -> bool {
    let d = |c: &u8| c.is_ascii_digit();
    let year = |a: &u8, b: &u8, c: &u8, e: &u8| {
        matches!((a, b), (b'1', b'9') | (b'2', b'0')) && d(c) && d(e)
    };
    match s.as_bytes() {
        [] => true,
        [a, b, c, e] => year(a, b, c, e),
        [a, b, c, e, b'-', m1, m2] => year(a, b, c, e) && d(m1) && d(m2),
        [a, b, c, e, b'-', m1, m2, b'-', d1, d2] => {
            year(a, b, c, e) && d(m1) && d(m2) && d(d1) && d(d2)
        }
        _ => false,
    }
}

/// Whether `s` contains a run of 1 to 10 uppercase ASCII letters (the
/// schema's pattern is unanchored, so any such run matches).
fn has_upper_run(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::Payload;
    use serde_json::json;

    fn violations(v: Json) -> Vec<(String, &'static str)> {
        match Payload::from_json(v).unwrap().validate_schema() {
            Ok(()) => vec![],
            Err(SchemaViolations(v)) => v.into_iter().map(|x| (x.path, x.message)).collect(),
        }
    }

    fn vacc() -> Json {
        json!({
            "ver": "1.3.0",
            "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
            "dob": "1964-08-12",
            "v": [{
                "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-05-29",
                "co": "AT", "is": "Ministry of Health, Austria",
                "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"
            }]
        })
    }

    #[test]
    fn valid_vaccination() {
        assert_eq!(violations(vacc()), vec![]);
    }

    #[test]
    fn each_rule_fires() {
        let cases: Vec<(&str, Json, &str, &str)> = vec![
            (
                "/ver",
                json!("1.3"),
                "/ver",
                "does not match ^\\d+.\\d+.\\d+$",
            ),
            (
                "/dob",
                json!("1850-01-01"),
                "/dob",
                "not a date of birth (YYYY-MM-DD, YYYY-MM, YYYY or empty, 1900-2099)",
            ),
            (
                "/nam/fnt",
                json!("Muster"),
                "/nam/fnt",
                "does not match ^[A-Z<]*$",
            ),
            (
                "/nam/fn",
                json!("x".repeat(81)),
                "/nam/fn",
                "longer than 80 characters",
            ),
            ("/v/0/dn", json!(0), "/v/0/dn", "must be at least 1"),
            ("/v/0/sd", json!(1.5), "/v/0/sd", "not an integer"),
            ("/v/0/dt", json!("2021-02-30"), "/v/0/dt", "not a date"),
            ("/v/0/co", json!("XY"), "/v/0/co", "not in the value set"),
            (
                "/v/0/co",
                json!("at"),
                "/v/0/co",
                "does not match [A-Z]{1,10}",
            ),
            (
                "/v/0/mp",
                json!("Sputnik"),
                "/v/0/mp",
                "not in the value set",
            ),
            ("/v/0/is", json!(5), "/v/0/is", "not a string"),
        ];
        for (ptr, value, path, msg) in cases {
            let mut j = vacc();
            *j.pointer_mut(ptr).unwrap() = value;
            assert_eq!(violations(j), vec![(path.to_string(), msg)], "{ptr}");
        }
    }

    #[test]
    fn structure_rules() {
        let mut j = vacc();
        j["t"] = json!([]);
        let v = violations(j);
        assert!(v.contains(&(String::new(), "must have exactly one of v, t, r and e")));
        assert!(v.contains(&("/t".to_string(), "must hold exactly one entry")));
        let mut j = vacc();
        j["nam"] = json!({"fn": "Only"});
        assert_eq!(
            violations(j),
            vec![("/nam".to_string(), "needs fnt or gnt")]
        );
        let mut j = vacc();
        j.as_object_mut().unwrap().remove("dob");
        assert_eq!(violations(j), vec![("/dob".to_string(), "required")]);
    }

    #[test]
    fn patterns() {
        assert!(is_semver_pattern("1.3.0"));
        assert!(is_semver_pattern("10x2y33"));
        assert!(!is_semver_pattern("1.3"));
        assert!(!is_semver_pattern("v1.3.0"));
        for ok in ["", "1990", "2099-12", "1900-01-01"] {
            assert!(is_dob(ok), "{ok}");
        }
        for bad in ["1899", "21-01-01", "1990-1-01", "1990-01-01T00:00", " 1990"] {
            assert!(!is_dob(bad), "{bad}");
        }
    }

    #[test]
    fn test_and_recovery_entries() {
        let t = json!({"ver":"1.3.0","nam":{"fnt":"A"},"dob":"1990","t":[{
            "tg":"840539006","tt":"LP6464-4","sc":"2021-05-29T19:21:13+02:00",
            "tr":"260415000","co":"AT","is":"X","ci":"Y","ma":"anything"}]});
        assert_eq!(violations(t), vec![]);
        let r = json!({"ver":"1.3.0","nam":{"gnt":"A"},"dob":"1990-01","r":[{
            "tg":"840539006","fr":"2021-05-01","co":"AT","is":"X","df":"2021-05-12",
            "du":"2021-11-01T00:00:00Z","ci":"Y"}]});
        assert_eq!(violations(r), vec![]);
        let bad = json!({"ver":"1.3.0","nam":{"gnt":"A"},"dob":"1990","t":[{
            "tg":"840539006","tt":"LP6464-4","sc":"2021-05-29","tr":"NEGATIVE","co":"AT","is":"X"}]});
        assert_eq!(
            violations(bad),
            vec![
                ("/t/0/sc".to_string(), "not a date-time"),
                ("/t/0/tr".to_string(), "not in the value set"),
                ("/t/0/ci".to_string(), "required"),
            ]
        );
    }

    #[test]
    fn exemption_and_light_payloads() {
        let e = json!({"ver":"1.3.0","nam":{"gnt":"A"},"dob":"1990","e":[{
            "tg":"840539006","co":"IT","is":"Ministero della Salute","ci":"Y",
            "df":"2026-11-01","du":"2027-05-01"}]});
        assert_eq!(violations(e.clone()), vec![]);
        let mut late = e.clone();
        late["e"][0]["du"] = json!("2026-10-31");
        assert_eq!(violations(late), vec![("/e/0/du".to_string(), "before df")]);
        let mut missing = e.clone();
        missing["e"][0].as_object_mut().unwrap().remove("du");
        assert_eq!(
            violations(missing),
            vec![("/e/0/du".to_string(), "required")]
        );
        let mut two = e;
        two["v"] = json!([{}]);
        assert!(
            violations(two).contains(&(String::new(), "must have exactly one of v, t, r and e"))
        );

        let light = |j: Json| Payload::from_json(j).unwrap().validate_light_schema();
        assert_eq!(
            light(json!({"ver":"1.3.0","nam":{"gnt":"A"},"dob":"1990"})),
            Ok(())
        );
        let with_health = light(json!({"ver":"1.3.0","nam":{"gnt":"A"},"dob":"1990","t":[]}));
        assert!(with_health
            .unwrap_err()
            .0
            .iter()
            .any(|v| v.message == "a light pass holds no v, t, r or e"));
        assert!(light(json!({"nam":{"gnt":"A"},"dob":"1990"})).is_err());
    }
}
