//! The members of the HCERT family: what the hcert claim (-260) carries.

use super::kind::PassKind;
use crate::Error;

/// A member of the HCERT family: what the hcert claim (-260) carries.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Member {
    /// The EU Digital COVID Certificate (key 1).
    EuDcc,
    /// WHO DDCC, vaccination status (key 3).
    DdccVaccination,
    /// WHO DDCC, test result (key 4).
    DdccTest,
    /// The Digital Vaccination Certificate of the ICVP (key -6).
    Dvc,
}

impl Member {
    /// Every member, in key order.
    pub const ALL: [Member; 4] = [
        Member::EuDcc,
        Member::DdccVaccination,
        Member::DdccTest,
        Member::Dvc,
    ];

    /// `"eu-dcc"`, `"ddcc-vaccination"`, `"ddcc-test"` or `"dvc"`: the
    /// member's name in payload files and, for the last three, the `form`
    /// of a verdict.
    pub fn as_str(self) -> &'static str {
        match self {
            Member::EuDcc => "eu-dcc",
            Member::DdccVaccination => "ddcc-vaccination",
            Member::DdccTest => "ddcc-test",
            Member::Dvc => "dvc",
        }
    }

    /// The member named `name` (as [`Member::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<Member> {
        Member::ALL.into_iter().find(|m| m.as_str() == name)
    }

    /// Its key in the hcert claim.
    pub fn claim_key(self) -> i64 {
        match self {
            Member::EuDcc => 1,
            Member::DdccVaccination => 3,
            Member::DdccTest => 4,
            Member::Dvc => -6,
        }
    }

    /// The member under this key of the hcert claim.
    ///
    /// # Errors
    /// [`Error::UnsupportedMember`] for any other key.
    pub fn from_claim_key(key: i64) -> Result<Member, Error> {
        Member::ALL
            .into_iter()
            .find(|m| m.claim_key() == key)
            .ok_or(Error::UnsupportedMember(key))
    }

    /// The kind of pass it attests, for a family member (the EU DCC's kind
    /// is its entry's).
    pub(crate) fn family_kind(self) -> Option<PassKind> {
        match self {
            Member::EuDcc => None,
            Member::DdccVaccination | Member::Dvc => Some(PassKind::Vaccination),
            Member::DdccTest => Some(PassKind::Test),
        }
    }
}

impl core::fmt::Display for Member {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}
