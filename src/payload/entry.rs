//! The entries of an EU DCC payload: the holder's name and the one
//! vaccination, test, recovery or exemption entry.

use serde::{Deserialize, Serialize};

use super::kind::PassKind;

/// The holder's name, in the issuer's spelling and ICAO 9303 standardised
/// form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderName {
    /// Surname(s) (`fn`).
    #[serde(rename = "fn", default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Standardised surname(s) (`fnt`), `A-Z` and `<`.
    #[serde(rename = "fnt", default, skip_serializing_if = "Option::is_none")]
    pub family_name_std: Option<String>,
    /// Forename(s) (`gn`).
    #[serde(rename = "gn", default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Standardised forename(s) (`gnt`).
    #[serde(rename = "gnt", default, skip_serializing_if = "Option::is_none")]
    pub given_name_std: Option<String>,
}

/// A vaccination entry (`v`).
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Vaccination {
    /// Disease or agent targeted.
    pub tg: Option<String>,
    /// Vaccine or prophylaxis.
    pub vp: Option<String>,
    /// Medicinal product.
    pub mp: Option<String>,
    /// Marketing authorisation holder or manufacturer.
    pub ma: Option<String>,
    /// Dose number.
    pub dn: Option<Dose>,
    /// Total doses in the series.
    pub sd: Option<Dose>,
    /// Date of vaccination.
    pub dt: Option<String>,
    /// Country of vaccination.
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    pub ci: Option<String>,
}

/// A test entry (`t`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Test {
    /// Disease or agent targeted.
    pub tg: Option<String>,
    /// Type of test.
    pub tt: Option<String>,
    /// NAA test name.
    pub nm: Option<String>,
    /// RAT device identifier.
    pub ma: Option<String>,
    /// Date and time of sample collection.
    pub sc: Option<String>,
    /// Test result.
    pub tr: Option<String>,
    /// Testing centre.
    pub tc: Option<String>,
    /// Country of test.
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    pub ci: Option<String>,
}

/// A recovery entry (`r`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recovery {
    /// Disease or agent targeted.
    pub tg: Option<String>,
    /// Date of the first positive test.
    pub fr: Option<String>,
    /// Country of test.
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is")]
    pub issuer: Option<String>,
    /// Certificate valid from.
    pub df: Option<String>,
    /// Certificate valid until.
    pub du: Option<String>,
    /// Unique certificate identifier (UVCI).
    pub ci: Option<String>,
}

/// A medical exemption entry (`e`), as Italy's exemption certificates
/// carry it in the hcert payload. Not part of EU schema 1.3.3; this crate
/// checks it with the same kinds of rules as a recovery entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Exemption {
    /// Disease or agent targeted.
    pub tg: Option<String>,
    /// Country of issue.
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    pub ci: Option<String>,
    /// Exemption valid from (a date: from its first second, UTC).
    pub df: Option<String>,
    /// Exemption valid until (a date: to its last second, UTC).
    pub du: Option<String>,
}

/// A dose count. Some issuers wrote it as a float (`1.0`); it is kept as
/// written when it is a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dose {
    /// Written as an integer.
    Int(i64),
    /// Written as a float.
    Float(f64),
}

/// The one entry of a payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// `v`.
    Vaccination(Vaccination),
    /// `t`.
    Test(Test),
    /// `r`.
    Recovery(Recovery),
    /// `e`.
    Exemption(Exemption),
}

impl Entry {
    /// The kind of pass this entry makes.
    pub fn kind(&self) -> PassKind {
        match self {
            Entry::Vaccination(_) => PassKind::Vaccination,
            Entry::Test(_) => PassKind::Test,
            Entry::Recovery(_) => PassKind::Recovery,
            Entry::Exemption(_) => PassKind::Exemption,
        }
    }

    /// The country of the entry (`co`).
    pub fn country(&self) -> Option<&str> {
        match self {
            Entry::Vaccination(v) => v.co.as_deref(),
            Entry::Test(t) => t.co.as_deref(),
            Entry::Recovery(r) => r.co.as_deref(),
            Entry::Exemption(e) => e.co.as_deref(),
        }
    }

    /// The unique certificate identifier.
    pub fn certificate_id(&self) -> Option<&str> {
        match self {
            Entry::Vaccination(v) => v.ci.as_deref(),
            Entry::Test(t) => t.ci.as_deref(),
            Entry::Recovery(r) => r.ci.as_deref(),
            Entry::Exemption(e) => e.ci.as_deref(),
        }
    }
}
