//! Rule sets: the EU validation-rule format (one rule object, or an array of
//! them) and the Swiss rule-set format (`rules`, `valueSets`, `modeRules`,
//! `displayRules`), read strictly and compiled once.

use serde_json::{Map, Value as Json};

use super::expr::{self, Issue};
use super::Expression;
use crate::{Error, PassKind, UnixTime};

/// The largest rule file read (the largest real rule sets are well under
/// a megabyte).
pub const MAX_RULE_FILE: usize = 8 * 1024 * 1024;

/// Most rules in one set.
pub const MAX_RULES: usize = 4096;

/// Most display rules, and most scan modes, in one set (real sets have a
/// handful).
pub const MAX_DISPLAY_RULES: usize = 64;

/// Whether a rule admits (the arrival country's rules) or invalidates (the
/// issuing country's).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleType {
    /// Checked for the country of arrival (and region).
    Acceptance,
    /// Checked for the country that issued the pass.
    Invalidation,
}

/// Which passes a rule is for.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertificateType {
    /// Every pass.
    General,
    /// Test results.
    Test,
    /// Vaccinations.
    Vaccination,
    /// Recoveries.
    Recovery,
}

impl CertificateType {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "General" => Some(CertificateType::General),
            "Test" => Some(CertificateType::Test),
            "Vaccination" => Some(CertificateType::Vaccination),
            "Recovery" => Some(CertificateType::Recovery),
            _ => None,
        }
    }

    /// Whether a rule of this type applies to a pass of `kind`.
    pub(crate) fn applies_to(self, kind: PassKind) -> bool {
        matches!(
            (self, kind),
            (CertificateType::General, _)
                | (CertificateType::Test, PassKind::Test)
                | (CertificateType::Vaccination, PassKind::Vaccination)
                | (CertificateType::Recovery, PassKind::Recovery)
        )
    }
}

/// One validation rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub(crate) identifier: String,
    pub(crate) rule_type: RuleType,
    pub(crate) certificate_type: CertificateType,
    pub(crate) country: String,
    pub(crate) region: Option<String>,
    pub(crate) version: (u64, u64, u64),
    pub(crate) valid_from: UnixTime,
    pub(crate) valid_to: UnixTime,
    pub(crate) descriptions: Vec<(String, String)>,
    pub(crate) affected_fields: Vec<String>,
    pub(crate) logic: Expression,
    pub(crate) issues: Vec<Issue>,
}

impl Rule {
    /// The identifier (`VR-DE-0001`, …).
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// Acceptance or invalidation.
    pub fn rule_type(&self) -> RuleType {
        self.rule_type
    }

    /// Which passes it is for.
    pub fn certificate_type(&self) -> CertificateType {
        self.certificate_type
    }

    /// The country whose rule it is (ISO 3166-1 alpha-2).
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The region it is for, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Its version (major, minor, patch).
    pub fn version(&self) -> (u64, u64, u64) {
        self.version
    }

    /// From when it is in force.
    pub fn valid_from(&self) -> UnixTime {
        self.valid_from
    }

    /// Until when it is in force (exclusive).
    pub fn valid_to(&self) -> UnixTime {
        self.valid_to
    }

    /// The description in `language` (`en`, `de`, …; the first two letters
    /// of a tag like `de-ch` also match), else the English one.
    pub fn description(&self, language: &str) -> &str {
        let lang = language.to_ascii_lowercase();
        let short = lang.get(..2).unwrap_or(&lang);
        self.descriptions
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(&lang))
            .or_else(|| self.descriptions.iter().find(|(l, _)| l == short))
            .or_else(|| self.descriptions.iter().find(|(l, _)| l == "en"))
            .or_else(|| self.descriptions.first())
            .map_or("", |(_, d)| d.as_str())
    }

    /// The payload fields the rule reads (`v.0.dt`, …).
    pub fn affected_fields(&self) -> &[String] {
        &self.affected_fields
    }

    /// Whether the rule reads health data (any field but the holder's name,
    /// date of birth and the schema version): such a rule fails for a light
    /// pass, which carries none.
    pub(crate) fn needs_health_data(&self) -> bool {
        self.affected_fields.iter().any(|f| {
            let top = f.split('.').next().unwrap_or("");
            !matches!(top, "nam" | "dob" | "ver" | "")
        })
    }

    /// The compiled logic.
    pub fn logic(&self) -> &Expression {
        &self.logic
    }

    /// What the static validator finds wrong with the logic (empty for a
    /// sound rule); evaluating an unsound part fails the rule.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }
}

/// A mode of a scan-mode rule set: its id and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    /// The id a verifier asks for (`THREE_G`, `2g`, …).
    pub id: String,
    /// The name to show.
    pub display_name: String,
}

/// The Swiss rule-set format's mode rules: the modes and the one logic that
/// gives each mode's outcome (`SUCCESS`, `SUCCESS_2G`, `IS_LIGHT`, …).
#[derive(Debug, Clone)]
pub(crate) struct ModeRules {
    pub(crate) modes: Vec<Mode>,
    pub(crate) logic: Expression,
}

/// A rule set: EU validation rules, or a Swiss-format set with scan modes.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) rules: Vec<Rule>,
    /// The value sets rules read: the set's own (Swiss format), else the
    /// bundled EU ones.
    pub(crate) value_sets: Json,
    pub(crate) modes: Option<ModeRules>,
    pub(crate) display: Vec<(String, Expression)>,
    /// A Swiss-format set: its rules are national rules, applied whatever
    /// the country of arrival.
    pub(crate) national: bool,
    /// Where a set from a signed rule-set document stands in its sequence
    /// (see [`RuleSetLoader`](crate::rules::RuleSetLoader)); `None` for a
    /// set read from JSON.
    pub(crate) published: Option<Box<Published>>,
}

/// The signed document a rule set came from: its list id, sequence,
/// expiry, and the set's frame (the JSON of a Swiss set without its rules),
/// which a delta must keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Published {
    pub(crate) list_id: String,
    pub(crate) sequence: u64,
    pub(crate) expires: UnixTime,
    pub(crate) frame: Option<String>,
}

/// The names of the built-in presets, in [`RuleSet::preset`].
pub const PRESETS: [&str; 4] = ["3g", "2g", "2g-plus", "vaccinated-recovered-exempt"];

fn bad(msg: impl Into<String>) -> Error {
    Error::Rules(msg.into())
}

/// Field readers for one rule object, in EU (`PascalCase`) or Swiss
/// (`camelCase`) spelling.
struct Fields<'a> {
    obj: &'a Map<String, Json>,
    swiss: bool,
    id: String,
}

impl<'a> Fields<'a> {
    fn get(&self, eu: &str) -> Option<&'a Json> {
        if self.swiss {
            let mut c = eu.chars();
            let camel: String = c
                .next()
                .map(|f| f.to_ascii_lowercase())
                .into_iter()
                .chain(c)
                .collect();
            self.obj.get(&camel)
        } else {
            self.obj.get(eu)
        }
    }

    fn text(&self, eu: &str) -> Result<&'a str, Error> {
        match self.get(eu) {
            Some(Json::String(s)) => Ok(s),
            Some(_) => Err(bad(format!("rule {}: {eu} is not text", self.id))),
            None => Err(bad(format!("rule {}: no {eu}", self.id))),
        }
    }

    fn fail(&self, what: &str) -> Error {
        bad(format!("rule {}: {what}", self.id))
    }
}

/// `major.minor.patch` at the start of the text (the schema's
/// `^\d+\.\d+\.\d+`; what follows is not compared).
fn semver(s: &str) -> Option<(u64, u64, u64)> {
    let mut rest = s;
    let mut take = |last: bool| -> Option<u64> {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        let v = rest.get(..n).filter(|d| !d.is_empty())?.parse().ok()?;
        rest = rest.get(n..)?;
        if !last {
            rest = rest.strip_prefix('.')?;
        }
        Some(v)
    };
    Some((take(false)?, take(false)?, take(true)?))
}

/// `YYYY-MM-DDThh:mm:ss` with `Z` or `±hh:mm` (the schema's timestamp),
/// exactly: an uppercase `T` and `Z`, no fraction, seconds up to 59.
fn timestamp(s: &str) -> Option<UnixTime> {
    let b = s.as_bytes();
    let zone_ok = match b.len() {
        20 => b.get(19) == Some(&b'Z'),
        25 => matches!(b.get(19), Some(b'+' | b'-')) && b.get(22) == Some(&b':'),
        _ => false,
    };
    let seconds_ok = matches!(b.get(17..19), Some([s1, s2]) if s1.is_ascii_digit() && *s1 <= b'5' && s2.is_ascii_digit());
    if !zone_ok || b.get(10) != Some(&b'T') || !seconds_ok {
        return None;
    }
    UnixTime::parse_rfc3339(s).ok()
}

fn is_upper2(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The rules, refused if two share an identifier and a version: which of
/// them applies would depend on their order in the file.
pub(super) fn distinct(rules: Vec<Rule>) -> Result<Vec<Rule>, Error> {
    let mut seen = std::collections::HashSet::with_capacity(rules.len());
    for r in &rules {
        if !seen.insert((r.identifier.as_str(), r.version)) {
            let (a, b, c) = r.version;
            return Err(bad(format!(
                "rule {}: version {a}.{b}.{c} is given twice",
                r.identifier
            )));
        }
    }
    Ok(rules)
}

/// Reads one rule, checked against the EU validation-rule schema: the 13
/// fields, their types and patterns.
pub(super) fn rule_of(j: &Json, swiss: bool) -> Result<Rule, Error> {
    let Json::Object(obj) = j else {
        return Err(bad("a rule is not an object"));
    };
    let mut f = Fields {
        obj,
        swiss,
        id: String::from("?"),
    };
    let id = f.text("Identifier")?.to_string();
    f.id = id.clone();
    let id_ok = {
        let parts: Vec<&str> = id.split('-').collect();
        matches!(parts.as_slice(), [kind, cc, n]
            if matches!(*kind, "GR" | "VR" | "TR" | "RR" | "IR")
                && is_upper2(cc)
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if !id_ok {
        return Err(f.fail("identifier does not match (GR|VR|TR|RR|IR)-CC-digits"));
    }
    let rule_type = match f.text("Type")? {
        "Acceptance" => RuleType::Acceptance,
        "Invalidation" => RuleType::Invalidation,
        _ => return Err(f.fail("type is not Acceptance or Invalidation")),
    };
    let country = f.text("Country")?;
    if !is_upper2(country) {
        return Err(f.fail("country is not two letters A-Z"));
    }
    // The identifier names its country: a rule of another country cannot
    // take the place of this one's by reusing its identifier.
    if id.get(3..5) != Some(country) {
        return Err(f.fail("the identifier names another country than Country"));
    }
    let version =
        semver(f.text("Version")?).ok_or_else(|| f.fail("version is not major.minor.patch"))?;
    for semver_field in ["SchemaVersion", "EngineVersion"] {
        semver(f.text(semver_field)?)
            .ok_or_else(|| f.fail("a version is not major.minor.patch"))?;
    }
    if !f.text("Engine")?.eq_ignore_ascii_case("CERTLOGIC") {
        return Err(f.fail("engine is not CERTLOGIC"));
    }
    let certificate_type = CertificateType::parse(f.text("CertificateType")?)
        .ok_or_else(|| f.fail("certificate type is not General, Test, Vaccination or Recovery"))?;
    let descriptions = match f.get("Description") {
        Some(Json::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|d| match (d.get("lang"), d.get("desc")) {
                (Some(Json::String(l)), Some(Json::String(t))) => Ok((l.clone(), t.clone())),
                _ => Err(f.fail("a description is not {lang, desc}")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(f.fail("no description")),
    };
    let lang_ok = |l: &str| {
        let b = l.as_bytes();
        let lower2 = |x: &[u8]| x.len() == 2 && x.iter().all(u8::is_ascii_lowercase);
        lower2(b)
            || (b.len() == 5
                && b.get(2) == Some(&b'-')
                && b.get(..2).is_some_and(lower2)
                && b.get(3..).is_some_and(lower2))
    };
    if descriptions
        .iter()
        .any(|(l, d)| !lang_ok(l) || d.chars().count() < 20)
    {
        return Err(f.fail(
            "a description's language is not like en or de-ch, or its text is under 20 characters",
        ));
    }
    if !descriptions.iter().any(|(l, _)| l == "en") {
        return Err(f.fail("no English description"));
    }
    let valid_from =
        timestamp(f.text("ValidFrom")?).ok_or_else(|| f.fail("ValidFrom is not a timestamp"))?;
    let valid_to =
        timestamp(f.text("ValidTo")?).ok_or_else(|| f.fail("ValidTo is not a timestamp"))?;
    let affected_fields = match f.get("AffectedFields") {
        Some(Json::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| f.fail("an affected field is not text"))?,
        _ => return Err(f.fail("no affected fields")),
    };
    let logic_json = match f.get("Logic") {
        Some(l @ Json::Object(m)) if !m.is_empty() => l,
        _ => return Err(f.fail("logic is not a non-empty object")),
    };
    let region = match f.get("Region") {
        None | Some(Json::Null) => None,
        Some(Json::String(r)) if r.is_empty() => None,
        Some(Json::String(r)) => Some(r.clone()),
        Some(_) => return Err(f.fail("region is not text")),
    };
    let logic = Expression::compile(logic_json)?;
    Ok(Rule {
        identifier: id,
        rule_type,
        certificate_type,
        country: country.to_string(),
        region,
        version,
        valid_from,
        valid_to,
        descriptions,
        affected_fields,
        issues: expr::validate(logic_json),
        logic,
    })
}

impl RuleSet {
    /// Reads a rule set: an EU validation rule (an object), an array of
    /// them, or a Swiss-format set (`{rules, valueSets, modeRules,
    /// displayRules}`).
    ///
    /// # Errors
    /// [`Error::Rules`] for a file over [`MAX_RULE_FILE`], text that is not
    /// JSON, a rule that breaks the validation-rule schema, or logic nested
    /// deeper or larger than the engine allows.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        if text.len() > MAX_RULE_FILE {
            return Err(bad("rule file larger than 8 MiB"));
        }
        let j: Json = serde_json::from_str(text).map_err(|e| bad(format!("not json: {e}")))?;
        Self::from_value(&j)
    }

    /// As [`RuleSet::from_json`], from parsed JSON.
    ///
    /// # Errors
    /// As [`RuleSet::from_json`].
    pub fn from_value(j: &Json) -> Result<Self, Error> {
        match j {
            Json::Array(items) => Self::eu(items),
            Json::Object(m) if m.contains_key("rules") => Self::swiss(m),
            Json::Object(_) => Self::eu(std::slice::from_ref(j)),
            _ => Err(bad(
                "a rule set is a rule, an array of rules, or {rules, …}",
            )),
        }
    }

    fn eu(items: &[Json]) -> Result<Self, Error> {
        if items.len() > MAX_RULES {
            return Err(bad("more rules than allowed"));
        }
        Ok(RuleSet {
            rules: distinct(
                items
                    .iter()
                    .map(|r| rule_of(r, false))
                    .collect::<Result<_, _>>()?,
            )?,
            value_sets: crate::payload::valuesets::rule_value_sets(),
            modes: None,
            display: Vec::new(),
            national: false,
            published: None,
        })
    }

    fn swiss(m: &Map<String, Json>) -> Result<Self, Error> {
        let rules = match m.get("rules") {
            Some(Json::Array(items)) if items.len() <= MAX_RULES => items
                .iter()
                .map(|r| {
                    // Rules in either spelling.
                    let swiss = r.get("identifier").is_some();
                    rule_of(r, swiss)
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(bad("rules is not an array (of at most 4096)")),
        };
        let rules = distinct(rules)?;
        let value_sets = match m.get("valueSets") {
            None => None,
            Some(v @ Json::Object(sets)) => {
                if !sets
                    .values()
                    .all(|s| s.as_array().is_some_and(|a| a.iter().all(Json::is_string)))
                {
                    return Err(bad("a value set is not an array of codes"));
                }
                Some(v.clone())
            }
            Some(_) => return Err(bad("valueSets is not an object")),
        };
        let modes = match m.get("modeRules") {
            None | Some(Json::Null) => None,
            Some(Json::Object(mr)) => {
                let mut modes: Vec<Mode> = Vec::new();
                for key in ["activeModes", "verifierActiveModes", "walletActiveModes"] {
                    match mr.get(key) {
                        None | Some(Json::Null) => {}
                        Some(Json::Array(list)) => {
                            for entry in list {
                                let id = entry.get("id").and_then(Json::as_str);
                                let name = entry.get("displayName").and_then(Json::as_str);
                                let (Some(id), Some(name)) = (id, name) else {
                                    return Err(bad(format!(
                                        "{key}: a mode is not {{id, displayName}}"
                                    )));
                                };
                                if !modes.iter().any(|m| m.id == id) {
                                    modes.push(Mode {
                                        id: id.to_string(),
                                        display_name: name.to_string(),
                                    });
                                }
                            }
                        }
                        Some(_) => return Err(bad(format!("{key} is not an array"))),
                    }
                }
                if modes.len() > MAX_DISPLAY_RULES {
                    return Err(bad(format!("more than {MAX_DISPLAY_RULES} scan modes")));
                }
                let logic = mr
                    .get("logic")
                    .ok_or_else(|| bad("modeRules has no logic"))?;
                Some(ModeRules {
                    modes,
                    logic: Expression::compile(logic)?,
                })
            }
            Some(_) => return Err(bad("modeRules is not an object")),
        };
        let display = match m.get("displayRules") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) if items.len() > MAX_DISPLAY_RULES => {
                return Err(bad(format!("more than {MAX_DISPLAY_RULES} display rules")))
            }
            Some(Json::Array(items)) => items
                .iter()
                .map(
                    |d| match (d.get("id").and_then(Json::as_str), d.get("logic")) {
                        (Some(id), Some(logic)) => {
                            Ok((id.to_string(), Expression::compile(logic)?))
                        }
                        _ => Err(bad("a display rule is not {id, logic}")),
                    },
                )
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(bad("displayRules is not an array")),
        };
        Ok(RuleSet {
            rules,
            value_sets: value_sets.unwrap_or_else(crate::payload::valuesets::rule_value_sets),
            modes,
            display,
            national: true,
            published: None,
        })
    }

    /// A built-in preset, shipped as rule data in the Swiss format (see the
    /// module docs): `3g`, `2g`, `2g-plus` or `vaccinated-recovered-exempt`.
    /// Each has one mode, of the preset's name.
    ///
    /// # Errors
    /// [`Error::Rules`] for another name.
    pub fn preset(name: &str) -> Result<Self, Error> {
        let text = match name {
            "3g" => include_str!("presets/3g.json"),
            "2g" => include_str!("presets/2g.json"),
            "2g-plus" => include_str!("presets/2g-plus.json"),
            "vaccinated-recovered-exempt" => {
                include_str!("presets/vaccinated-recovered-exempt.json")
            }
            _ => {
                return Err(bad(format!(
                    "no preset named {name:?} (there are: {})",
                    PRESETS.join(", ")
                )))
            }
        };
        Self::from_json(text)
    }

    /// Every rule of the set, every version.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// For a set from a signed rule-set document: its list id and the
    /// sequence of the last document applied (keep it, and give it to
    /// [`RuleSetLoader::min_sequence`](crate::rules::RuleSetLoader::min_sequence)
    /// next time). `None` for a set read from JSON.
    pub fn published(&self) -> Option<(&str, u64)> {
        self.published
            .as_deref()
            .map(|p| (p.list_id.as_str(), p.sequence))
    }

    /// When a set from a signed document expires: after that, it admits
    /// nobody (fail closed). `None` for a set read from JSON.
    pub fn expires(&self) -> Option<UnixTime> {
        self.published.as_deref().map(|p| p.expires)
    }

    /// The scan modes the set defines (empty for EU rules).
    pub fn modes(&self) -> &[Mode] {
        self.modes.as_ref().map_or(&[], |m| m.modes.as_slice())
    }

    /// The ids of the set's display rules (e.g. `display-until-date`).
    pub fn display_rules(&self) -> impl Iterator<Item = &str> {
        self.display.iter().map(|(id, _)| id.as_str())
    }

    /// The rules in force at `now` for a pass of `kind`: of each rule (its
    /// identifier, type, certificate type, country and region), the version
    /// valid at `now` (from `ValidFrom`, until before `ValidTo`) with the
    /// highest version number; acceptance rules of
    /// `arrival` (and `region`, when the rule names one), invalidation rules
    /// of `issuer`. A Swiss-format set's rules are national: they apply
    /// whatever the country.
    pub(crate) fn in_force(
        &self,
        now: UnixTime,
        kind: PassKind,
        arrival: Option<&str>,
        region: Option<&str>,
        issuer: Option<&str>,
    ) -> Vec<&Rule> {
        let mut chosen: Vec<&Rule> = Vec::new();
        for r in &self.rules {
            if !(r.valid_from <= now && now < r.valid_to && r.certificate_type.applies_to(kind)) {
                continue;
            }
            let wanted = self.national
                || match r.rule_type {
                    RuleType::Acceptance => {
                        arrival == Some(r.country.as_str())
                            && r.region.as_deref().is_none_or(|rr| region == Some(rr))
                    }
                    RuleType::Invalidation => issuer == Some(r.country.as_str()),
                };
            if !wanted {
                continue;
            }
            // Versions compete only within one rule: the same identifier,
            // type, certificate type, country and region. A rule never
            // displaces another that differs in any of them.
            let same_rule = |c: &&Rule| {
                c.identifier == r.identifier
                    && c.rule_type == r.rule_type
                    && c.certificate_type == r.certificate_type
                    && c.country == r.country
                    && c.region == r.region
            };
            match chosen.iter_mut().find(|c| same_rule(c)) {
                Some(c) if c.version < r.version => *c = r,
                Some(_) => {}
                None => chosen.push(r),
            }
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_and_timestamps() {
        assert_eq!(semver("1.0.0"), Some((1, 0, 0)));
        assert_eq!(semver("1.10.2-beta"), Some((1, 10, 2)));
        assert_eq!(semver("1.0"), None);
        assert_eq!(semver("1.2.3.4"), Some((1, 2, 3)));
        assert_eq!(semver("x1.2.3"), None);
        assert!(timestamp("2021-06-01T00:00:00Z").is_some());
        assert!(timestamp("2021-06-01T00:00:00+02:00").is_some());
        assert!(timestamp("2021-06-01").is_none());
        assert!(timestamp("2021-06-01T00:00:00.5Z").is_none());
        // Issue 22.14: only the schema's exact form.
        assert!(timestamp("2021-06-01 00:00:00Z").is_none());
        assert!(timestamp("2021-06-01T00:00:00z").is_none());
        assert!(timestamp("2021-06-01t00:00:00Z").is_none());
        assert!(timestamp("2021-06-01T00:00:60Z").is_none());
        assert!(timestamp("2021-06-01T00:00:00+0200").is_none());
        assert!(timestamp("2021-06-01T23:59:59-05:30").is_some());
    }

    #[test]
    fn presets_load() {
        for p in PRESETS {
            let set = RuleSet::preset(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert_eq!(set.modes().len(), 1, "{p}");
            assert_eq!(set.modes()[0].id, p);
            assert!(set.rules().iter().all(|r| r.issues().is_empty()), "{p}");
        }
        assert!(RuleSet::preset("4g").is_err());
    }
}
