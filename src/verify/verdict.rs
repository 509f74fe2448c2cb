//! The verdict: what a checker shows, the same words in every binding.

use serde::ser::SerializeMap as _;
use serde::Serialize;

use crate::holder::{Holder, PassForm};
use crate::rules::Admission;
use crate::{Error, ErrorKind, UnixTime};

/// What a checker shows: valid or not, why not, whose pass and until when.
/// Never health data.
///
/// A valid verdict always has a holder, a form and a valid-until; an
/// invalid one always has an error class and a reason, and never the
/// holder (unverified data is never shown). As JSON (the same words in the
/// command line, C and JS; see the README's vocabulary table):
/// `{"valid", "error_kind", "reason", "holder": {"name", "family_name",
/// "family_name_std", "given_name", "given_name_std", "date_of_birth"},
/// "valid_until", "form"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict(Outcome);

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Valid {
        holder: Holder,
        form: PassForm,
        valid_until: Option<UnixTime>,
        admission: Option<Admission>,
        /// The issuer a SMART Health Card names (`iss`).
        issuer: Option<String>,
        /// Accepted on trust data outdated since then (an explicit policy).
        trust_outdated_since: Option<UnixTime>,
    },
    Invalid {
        kind: ErrorKind,
        reason: String,
        admission: Option<Admission>,
    },
}

impl Verdict {
    /// The verdict for a failure.
    pub fn from_error(e: &Error) -> Verdict {
        Verdict(Outcome::Invalid {
            kind: e.kind(),
            reason: e.to_string(),
            admission: None,
        })
    }

    /// A valid verdict.
    pub(crate) fn valid(
        holder: Holder,
        form: PassForm,
        valid_until: Option<UnixTime>,
        admission: Option<Admission>,
    ) -> Verdict {
        Verdict(Outcome::Valid {
            holder,
            form,
            valid_until,
            admission,
            issuer: None,
            trust_outdated_since: None,
        })
    }

    /// The verdict naming the issuer of a valid card (`iss`).
    pub(crate) fn issued_by(mut self, iss: Option<&str>) -> Verdict {
        if let Outcome::Valid { issuer, .. } = &mut self.0 {
            *issuer = iss.map(str::to_owned);
        }
        self
    }

    /// A valid verdict accepted on trust data outdated since `since`.
    pub(crate) fn trust_outdated(mut self, since: UnixTime) -> Verdict {
        if let Outcome::Valid {
            trust_outdated_since,
            ..
        } = &mut self.0
        {
            *trust_outdated_since = Some(since);
        }
        self
    }

    /// An invalid verdict whose pass the rules did not get to see.
    pub(crate) fn not_evaluated(mut self, reason: &'static str) -> Verdict {
        if let Outcome::Invalid { admission, .. } = &mut self.0 {
            *admission = Some(Admission::not_evaluated(reason));
        }
        self
    }

    /// The verdict on an authentic pass with what the rules decided: valid
    /// only when admitted, else of class [`ErrorKind::RejectedByRules`].
    pub(crate) fn admitted_or_not(
        holder: &Holder,
        form: PassForm,
        valid_until: Option<UnixTime>,
        admission: Admission,
    ) -> Verdict {
        if admission.is_admitted() {
            Verdict(Outcome::Valid {
                holder: holder.clone(),
                form,
                valid_until,
                admission: Some(admission),
                issuer: None,
                trust_outdated_since: None,
            })
        } else {
            Verdict(Outcome::Invalid {
                kind: ErrorKind::RejectedByRules,
                reason: admission.reason(),
                admission: Some(admission),
            })
        }
    }

    /// What the admission rules decided, when the verifier has rules.
    pub fn admission(&self) -> Option<&Admission> {
        match &self.0 {
            Outcome::Valid { admission, .. } | Outcome::Invalid { admission, .. } => {
                admission.as_ref()
            }
        }
    }

    /// The pass verified and is valid now.
    pub fn is_valid(&self) -> bool {
        matches!(self.0, Outcome::Valid { .. })
    }

    /// The class of the failure, for an invalid pass.
    pub fn error_kind(&self) -> Option<ErrorKind> {
        match &self.0 {
            Outcome::Invalid { kind, .. } => Some(*kind),
            Outcome::Valid { .. } => None,
        }
    }

    /// Why the pass is invalid, in short lowercase English (never health
    /// data).
    pub fn reason(&self) -> Option<&str> {
        match &self.0 {
            Outcome::Invalid { reason, .. } => Some(reason),
            Outcome::Valid { .. } => None,
        }
    }

    /// The holder, for a valid pass.
    pub fn holder(&self) -> Option<&Holder> {
        match &self.0 {
            Outcome::Valid { holder, .. } => Some(holder),
            Outcome::Invalid { .. } => None,
        }
    }

    /// The form of the pass, for a valid pass.
    pub fn form(&self) -> Option<PassForm> {
        match &self.0 {
            Outcome::Valid { form, .. } => Some(*form),
            Outcome::Invalid { .. } => None,
        }
    }

    /// Until when the pass is valid, for a valid pass.
    pub fn valid_until(&self) -> Option<UnixTime> {
        match &self.0 {
            Outcome::Valid { valid_until, .. } => *valid_until,
            Outcome::Invalid { .. } => None,
        }
    }

    /// For a valid pass accepted although the trust data is outdated (the
    /// explicit policy [`crate::VerifierBuilder::accept_outdated_trust`]),
    /// since when it is: show it to the person checking.
    pub fn trust_outdated_since(&self) -> Option<UnixTime> {
        match &self.0 {
            Outcome::Valid {
                trust_outdated_since,
                ..
            } => *trust_outdated_since,
            Outcome::Invalid { .. } => None,
        }
    }

    /// For a valid SMART Health Card, the issuer it names (`iss`, the URL
    /// its key is bound to; with the any-issuer opt-in, the only word on
    /// who issued it): show it, escaped. `None` for other passes.
    pub fn issuer(&self) -> Option<&str> {
        match &self.0 {
            Outcome::Valid { issuer, .. } => issuer.as_deref(),
            Outcome::Invalid { .. } => None,
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("valid", &self.is_valid())?;
        m.serialize_entry("error_kind", &self.error_kind().map(ErrorKind::as_str))?;
        m.serialize_entry("reason", &self.reason())?;
        m.serialize_entry("holder", &self.holder())?;
        m.serialize_entry("valid_until", &self.valid_until().map(|t| t.to_string()))?;
        m.serialize_entry("form", &self.form())?;
        if let Some(iss) = self.issuer() {
            m.serialize_entry("issuer", iss)?;
        }
        if let Some(a) = self.admission() {
            m.serialize_entry("admission", a)?;
        }
        if let Some(since) = self.trust_outdated_since() {
            m.serialize_entry("trust_outdated_since", &since.to_string())?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_json_has_every_key() {
        let v = Verdict::from_error(&Error::BadSignature);
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"valid": false, "error_kind": "bad_signature",
                "reason": "bad signature", "holder": null, "valid_until": null, "form": null})
        );
    }
}
