//! Admission: a verified pass against a rule set under a policy (country of
//! arrival, region, scan mode, language).

use base64ct::{Base64, Encoding as _};
use serde::ser::SerializeMap as _;
use serde::Serialize;
use serde_json::Value as Json;

use super::eval::{self, Budget, Data, Environment};
use super::ruleset::RuleSet;
use super::value::{Val, Value};
use crate::{PassKind, UnixTime};

/// Where and how a pass is checked: the country of arrival (and region)
/// whose rules apply, the scan mode, and the language of the rule
/// descriptions given back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Policy {
    country: Option<String>,
    region: Option<String>,
    mode: Option<String>,
    language: String,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            country: None,
            region: None,
            mode: None,
            language: "en".into(),
        }
    }
}

impl Policy {
    /// No country, region or mode; descriptions in English.
    pub fn new() -> Self {
        Policy::default()
    }

    /// The country of arrival (ISO 3166-1 alpha-2), whose acceptance rules
    /// apply.
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    /// The region of arrival: rules that name a region apply only there.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The scan mode (a mode of the rule set, e.g. `2g`).
    pub fn mode(mut self, mode: impl Into<String>) -> Self {
        self.mode = Some(mode.into());
        self
    }

    /// The language of the failed rules' descriptions (fallback `en`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = language.into();
        self
    }

    /// The country of arrival, if set.
    pub fn country_code(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// The scan mode, if set.
    pub fn scan_mode(&self) -> Option<&str> {
        self.mode.as_deref()
    }
}

/// The outcome of the rules.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdmissionStatus {
    /// Every rule in force passed (and the mode, if any, said `SUCCESS`).
    Admitted,
    /// A rule failed, or the mode said anything but `SUCCESS`.
    Refused,
    /// Nothing to decide with: no rule in force for this pass, an unknown
    /// mode, or a pass that did not verify. Not an admission.
    NotEvaluated,
}

/// A rule that failed: its identifier, its description, and when the rule
/// could not be evaluated, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRule {
    /// The rule's identifier.
    pub identifier: String,
    /// Its description in the policy's language (fallback English).
    pub description: String,
    /// Why it could not be evaluated (a rule that fails to evaluate counts
    /// as failed), if that is what happened.
    pub error: Option<String>,
}

/// What the rules decided of a pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Admission {
    status: AdmissionStatus,
    failed: Vec<FailedRule>,
    mode_result: Option<String>,
    display: Vec<(String, Value)>,
    note: Option<&'static str>,
}

impl Admission {
    /// Nothing evaluated (for a pass that did not verify).
    pub(crate) fn not_evaluated(note: &'static str) -> Admission {
        Admission {
            status: AdmissionStatus::NotEvaluated,
            failed: Vec::new(),
            mode_result: None,
            display: Vec::new(),
            note: Some(note),
        }
    }

    /// Admitted, refused or not evaluated.
    pub fn status(&self) -> AdmissionStatus {
        self.status
    }

    /// Whether the holder may enter.
    pub fn is_admitted(&self) -> bool {
        self.status == AdmissionStatus::Admitted
    }

    /// The rules that failed.
    pub fn failed_rules(&self) -> &[FailedRule] {
        &self.failed
    }

    /// The scan mode's outcome (`SUCCESS`, `SUCCESS_2G`, `IS_LIGHT`, …),
    /// when a mode was asked for.
    pub fn mode_result(&self) -> Option<&str> {
        self.mode_result.as_deref()
    }

    /// The value of a display rule (e.g. `display-until-date`), when the
    /// set has it and it evaluated.
    pub fn display(&self, id: &str) -> Option<&Value> {
        self.display.iter().find(|(i, _)| i == id).map(|(_, v)| v)
    }

    /// Why the pass is not admitted, in short lowercase English.
    pub fn reason(&self) -> String {
        match (self.status, self.note) {
            (AdmissionStatus::Admitted, _) => "admitted".into(),
            (_, Some(note)) => note.to_string(),
            (_, None) if !self.failed.is_empty() => format!(
                "refused by rules: {}",
                self.failed
                    .iter()
                    .map(|f| f.identifier.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (_, None) => format!(
                "refused in this mode: {}",
                self.mode_result.as_deref().unwrap_or("no outcome")
            ),
        }
    }
}

impl Serialize for Admission {
    /// `{"admitted", "failed_rules": [identifiers], "mode_result"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("admitted", &self.is_admitted())?;
        let ids: Vec<&str> = self.failed.iter().map(|f| f.identifier.as_str()).collect();
        m.serialize_entry("failed_rules", &ids)?;
        m.serialize_entry("mode_result", &self.mode_result)?;
        m.end()
    }
}

/// What the rules read of a verified pass besides its payload.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PassFacts<'a> {
    pub(crate) payload: &'a Json,
    pub(crate) kind: PassKind,
    pub(crate) issued_at: UnixTime,
    pub(crate) expires: Option<UnixTime>,
    pub(crate) issuer_country: Option<&'a str>,
    pub(crate) kid: [u8; 8],
    /// For a light pass: the kind it was made from, when it says so.
    pub(crate) light_source: Option<PassKind>,
}

fn text(s: &str) -> Json {
    Json::String(s.to_string())
}

fn opt_text(s: Option<&str>) -> Json {
    s.map_or(Json::Null, text)
}

/// The outcome strings of a mode that admit on their own.
const ADMITTING: &str = "SUCCESS";

/// Evaluates `set` on a pass under `policy` at `now`.
pub(crate) fn admit(
    set: &RuleSet,
    pass: &PassFacts<'_>,
    policy: &Policy,
    now: UnixTime,
) -> Admission {
    // A signed set past its expiry vouches for nothing: fail closed.
    if set.expires().is_some_and(|t| now > t) {
        return Admission::not_evaluated("the signed rule set has expired");
    }
    let value_sets = &set.value_sets;
    let light = pass.kind == PassKind::Light;
    // A set with one mode applies it when the policy names none (a preset
    // means its mode); with several, the policy must choose.
    let mode = match (&policy.mode, &set.modes) {
        (Some(m), _) => Some(m.as_str()),
        (None, Some(modes)) => match modes.modes.as_slice() {
            [only] => Some(only.id.as_str()),
            _ => None,
        },
        (None, None) => None,
    };
    let midnight = UnixTime::from_secs(now.as_secs().div_euclid(86_400) * 86_400);
    let kid = Base64::encode_string(&pass.kid);
    let env = Environment {
        value_sets,
        external: vec![
            ("validationClock", text(&now.to_string())),
            ("validationClockAtStartOfDay", text(&midnight.to_string())),
            ("countryCode", opt_text(policy.country.as_deref())),
            ("region", opt_text(policy.region.as_deref())),
            (
                "exp",
                pass.expires.map_or(Json::Null, |t| text(&t.to_string())),
            ),
            ("iat", text(&pass.issued_at.to_string())),
            ("issuerCountryCode", opt_text(pass.issuer_country)),
            ("kid", text(&kid)),
        ],
        headers: vec![
            ("iat", text(&pass.issued_at.to_string())),
            (
                "exp",
                pass.expires.map_or(Json::Null, |t| text(&t.to_string())),
            ),
            ("isLight", Json::Bool(light)),
            (
                "lightSource",
                opt_text(pass.light_source.and_then(|k| match k {
                    PassKind::Vaccination => Some("v"),
                    PassKind::Test => Some("t"),
                    PassKind::Recovery => Some("r"),
                    PassKind::Exemption => Some("e"),
                    _ => None,
                })),
            ),
            ("mode", opt_text(mode)),
            ("iss", opt_text(pass.issuer_country)),
            ("kid", text(&kid)),
        ],
    };
    let data = Data::Pass {
        payload: pass.payload,
        env: &env,
    };

    // One budget for everything the set evaluates on this pass.
    let mut budget = Budget::per_verification();
    let mut failed = Vec::new();
    let mut evaluated = 0usize;
    // A Swiss-format set's national rules are not applied to light passes
    // (their modes say what a light pass is worth); EU rules are, and those
    // that read health data fail.
    if !(set.national && light) {
        let rules = set.in_force(
            now,
            pass.kind,
            policy.country.as_deref(),
            policy.region.as_deref(),
            pass.issuer_country,
        );
        for rule in rules {
            evaluated += 1;
            let error = if light && rule.needs_health_data() {
                Some("needs health data, which a light pass does not carry".to_string())
            } else {
                match rule.logic.eval(data, &mut budget) {
                    Ok(v) if v.truthiness() == Some(true) => continue,
                    Ok(_) => None,
                    Err(e) => Some(e.to_string()),
                }
            };
            failed.push(FailedRule {
                identifier: rule.identifier.clone(),
                description: rule.description(&policy.language).to_string(),
                error,
            });
        }
    }

    let mut display = Vec::new();
    for (id, e) in &set.display {
        if let Ok(v) = e
            .eval(data, &mut budget)
            .and_then(|v| eval::to_value(&v, &mut budget))
        {
            display.push((id.clone(), v));
        }
    }

    let (mode_result, note) = match (mode, &set.modes) {
        (None, None) => (None, None),
        (None, Some(_)) => (
            None,
            Some("the rule set has several scan modes and none was chosen"),
        ),
        (Some(_), None) => (None, Some("the rule set has no scan modes")),
        (Some(m), Some(modes)) if !modes.modes.iter().any(|x| x.id == m) => {
            (None, Some("the rule set has no such scan mode"))
        }
        (Some(_), Some(modes)) => match modes.logic.eval(data, &mut budget) {
            Ok(Val::Str(s)) => (Some(s.to_string()), None),
            Ok(_) => (None, Some("the mode logic gave no outcome")),
            Err(_) => (None, Some("the mode logic failed to evaluate")),
        },
    };

    let status = if note.is_some() {
        AdmissionStatus::NotEvaluated
    } else if !failed.is_empty() {
        AdmissionStatus::Refused
    } else if let Some(r) = &mode_result {
        if r == ADMITTING {
            AdmissionStatus::Admitted
        } else {
            AdmissionStatus::Refused
        }
    } else if evaluated == 0 {
        AdmissionStatus::NotEvaluated
    } else {
        AdmissionStatus::Admitted
    };
    let note = note.or(match status {
        AdmissionStatus::NotEvaluated => Some("no rule applies to this pass here"),
        _ => None,
    });
    Admission {
        status,
        failed,
        mode_result,
        display,
        note,
    }
}
