//! Who a pass belongs to and what form it has: what every verdict shows,
//! whatever the pass format.

use serde::Serialize;

use crate::payload::HolderName;

/// The form of a pass: what a checker shows beside the name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PassForm {
    /// A full EU DCC (`HC1:`) with a vaccination, test or recovery entry.
    Full,
    /// A light pass (`LT1:`): name and date of birth, no health data.
    Light,
    /// A medical exemption (`HC1:` with an `e` entry).
    Exemption,
    /// A WHO DDCC, vaccination status.
    DdccVaccination,
    /// A WHO DDCC, test result.
    DdccTest,
    /// A Digital Vaccination Certificate (ICVP).
    Dvc,
    /// A SMART Health Card (`shc:/`).
    Shc,
    /// An ICAO visible digital seal of vaccination (`icao.vacc`).
    IcaoVaccination,
    /// An ICAO visible digital seal of a test (`icao.test`).
    IcaoTest,
}

impl PassForm {
    /// `"full"`, `"light"`, `"exemption"`, `"ddcc-vaccination"`,
    /// `"ddcc-test"`, `"dvc"`, `"shc"`, `"icao-vacc"` or `"icao-test"`: the
    /// `form` of the verdict in every binding.
    pub fn as_str(self) -> &'static str {
        match self {
            PassForm::Full => "full",
            PassForm::Light => "light",
            PassForm::Exemption => "exemption",
            PassForm::DdccVaccination => "ddcc-vaccination",
            PassForm::DdccTest => "ddcc-test",
            PassForm::Dvc => "dvc",
            PassForm::Shc => "shc",
            PassForm::IcaoVaccination => "icao-vacc",
            PassForm::IcaoTest => "icao-test",
        }
    }
}

impl core::fmt::Display for PassForm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PassForm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Who the pass belongs to, as the pass writes it. Any text here comes from
/// the pass: escape it before it reaches a terminal or a page.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    /// The name to show: given name(s) then family name(s), each as
    /// written, or where the pass has only the standardised form, that
    /// form with its `<` fillers read as spaces.
    pub name: String,
    /// Surname(s) as written (`fn`).
    pub family_name: Option<String>,
    /// Standardised surname(s) (`fnt`, ICAO 9303).
    pub family_name_std: Option<String>,
    /// Forename(s) as written (`gn`).
    pub given_name: Option<String>,
    /// Standardised forename(s) (`gnt`, ICAO 9303).
    pub given_name_std: Option<String>,
    /// Date of birth as written (`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty).
    pub date_of_birth: String,
}

impl Holder {
    /// A DDCC's or DVC's holder: one name, shown as written.
    pub(crate) fn full(name: String, date_of_birth: String) -> Holder {
        Holder {
            name: name.trim().to_owned(),
            family_name: None,
            family_name_std: None,
            given_name: None,
            given_name_std: None,
            date_of_birth,
        }
    }

    pub(crate) fn new(name: HolderName, date_of_birth: String) -> Holder {
        let part = |written: &Option<String>, std: &Option<String>| -> Option<String> {
            written
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .or_else(|| {
                    std.as_deref()
                        .map(|s| s.split('<').filter(|w| !w.is_empty()).collect::<Vec<_>>())
                        .filter(|words| !words.is_empty())
                        .map(|words| words.join(" "))
                })
        };
        let shown = [
            part(&name.given_name, &name.given_name_std),
            part(&name.family_name, &name.family_name_std),
        ];
        Holder {
            name: shown.into_iter().flatten().collect::<Vec<_>>().join(" "),
            family_name: name.family_name,
            family_name_std: name.family_name_std,
            given_name: name.given_name,
            given_name_std: name.given_name_std,
            date_of_birth,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(f: Option<&str>, fnt: Option<&str>, g: Option<&str>, gnt: Option<&str>) -> HolderName {
        HolderName {
            family_name: f.map(Into::into),
            family_name_std: fnt.map(Into::into),
            given_name: g.map(Into::into),
            given_name_std: gnt.map(Into::into),
        }
    }

    #[test]
    fn the_name_to_show_falls_back_to_the_standardised_form() {
        let h = Holder::new(
            name(Some("Musterfrau"), None, Some("Erika"), None),
            "".into(),
        );
        assert_eq!(h.name, "Erika Musterfrau");
        let h = Holder::new(
            name(
                None,
                Some("MUSTERFRAU<GOESSINGER"),
                None,
                Some("ERIKA<DOERTE"),
            ),
            "".into(),
        );
        assert_eq!(h.name, "ERIKA DOERTE MUSTERFRAU GOESSINGER");
        let h = Holder::new(name(Some(" "), Some("DOE"), None, None), "".into());
        assert_eq!(h.name, "DOE");
        let h = Holder::new(name(None, None, None, Some("<<")), "".into());
        assert_eq!(h.name, "");
    }
}
