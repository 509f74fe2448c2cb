//! The EU DCC value sets (eHealth Network, bundled copy): the codes a
//! payload may use, and their display names.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// One of the bundled value sets.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueSet {
    /// Disease or agent targeted (`tg`).
    DiseaseAgentTargeted,
    /// Vaccine or prophylaxis (`vp`).
    VaccineProphylaxis,
    /// Vaccine medicinal product (`mp`).
    VaccineMedicinalProduct,
    /// Vaccine marketing authorisation holder or manufacturer (`ma` in `v`).
    VaccineManufacturer,
    /// Country (`co`), ISO 3166-1 alpha-2.
    Country,
    /// Type of test (`tt`).
    TestType,
    /// Test result (`tr`).
    TestResult,
    /// Rapid antigen test device (`ma` in `t`). The bundled list is the
    /// example published with the value sets; the live list comes from the
    /// JRC database, so schema validation does not enforce it.
    TestManufacturer,
}

const ALL: [(ValueSet, &str); 8] = [
    (
        ValueSet::DiseaseAgentTargeted,
        include_str!("valuesets/disease-agent-targeted.json"),
    ),
    (
        ValueSet::VaccineProphylaxis,
        include_str!("valuesets/vaccine-prophylaxis.json"),
    ),
    (
        ValueSet::VaccineMedicinalProduct,
        include_str!("valuesets/vaccine-medicinal-product.json"),
    ),
    (
        ValueSet::VaccineManufacturer,
        include_str!("valuesets/vaccine-mah-manf.json"),
    ),
    (
        ValueSet::Country,
        include_str!("valuesets/country-2-codes.json"),
    ),
    (ValueSet::TestType, include_str!("valuesets/test-type.json")),
    (
        ValueSet::TestResult,
        include_str!("valuesets/test-result.json"),
    ),
    (
        ValueSet::TestManufacturer,
        include_str!("valuesets/test-manf-example.json"),
    ),
];

#[derive(Deserialize)]
struct File {
    #[serde(rename = "valueSetValues")]
    values: HashMap<String, Entry>,
}

/// The bundled value sets as the EU business-rule engine hands them to
/// rules (`external.valueSets`): value set id → sorted array of codes.
/// Made afresh for each rule set that uses it (a millisecond, at load),
/// and owned by it: no process-wide cache that outlives the last verifier
/// (which memory checkers in C programs would report).
pub(crate) fn rule_value_sets() -> serde_json::Value {
    #[derive(Deserialize)]
    struct Codes {
        #[serde(rename = "valueSetId")]
        id: String,
        #[serde(rename = "valueSetValues")]
        values: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
    }
    let mut out = serde_json::Map::new();
    for (_, json) in ALL {
        // Compiled in and checked by the tests below.
        let Ok(Codes { id, values }) = serde_json::from_str::<Codes>(json) else {
            continue;
        };
        let codes = values.into_keys().map(serde_json::Value::String).collect();
        out.insert(id, serde_json::Value::Array(codes));
    }
    serde_json::Value::Object(out)
}

#[derive(Deserialize)]
struct Entry {
    display: String,
}

type Tables = HashMap<ValueSet, HashMap<String, String>>;

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        ALL.iter()
            .map(|(set, json)| {
                // The files are compiled in and checked by the tests below;
                // an unreadable one would only make its set empty.
                let values = serde_json::from_str::<File>(json)
                    .map(|f| f.values.into_iter().map(|(k, v)| (k, v.display)).collect())
                    .unwrap_or_default();
                (*set, values)
            })
            .collect()
    })
}

impl ValueSet {
    /// Whether `code` is in the bundled value set.
    pub fn contains(self, code: &str) -> bool {
        tables().get(&self).is_some_and(|t| t.contains_key(code))
    }

    /// The display name of `code` (e.g. "Comirnaty" for "EU/1/20/1528").
    pub fn display(self, code: &str) -> Option<&'static str> {
        tables()
            .get(&self)
            .and_then(|t| t.get(code))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_set_loads() {
        for (set, _) in ALL {
            assert!(!tables()[&set].is_empty(), "{set:?}");
        }
        assert_eq!(
            ValueSet::VaccineMedicinalProduct.display("EU/1/20/1528"),
            Some("Comirnaty")
        );
        assert!(ValueSet::Country.contains("AT"));
        let sets = rule_value_sets();
        for id in [
            "country-2-codes",
            "disease-agent-targeted",
            "covid-19-lab-test-manufacturer-and-name",
            "covid-19-lab-result",
            "covid-19-lab-test-type",
            "vaccines-covid-19-auth-holders",
            "vaccines-covid-19-names",
            "sct-vaccines-covid-19",
        ] {
            assert!(sets[id].as_array().is_some_and(|a| !a.is_empty()), "{id}");
        }
        assert!(!ValueSet::Country.contains("XY"));
        assert_eq!(
            ValueSet::DiseaseAgentTargeted.display("840539006"),
            Some("COVID-19")
        );
    }
}
