//! What verification gives: a [`VerifiedPass`] (HCERT) or an [`AnyPass`]
//! (any format), made only by a successful verification. The health data
//! is reached through them, on request.

use std::sync::OnceLock;

use crate::crypto::Algorithm;
use crate::cwt::{self, Claims, SourceHashes};
#[cfg(feature = "icao")]
use crate::formats::icao::VerifiedSeal;
#[cfg(feature = "shc")]
use crate::formats::shc::VerifiedCard;
use crate::holder::{Holder, PassForm};
use crate::payload::kind::PassKind;
use crate::payload::{Entry, Member, Payload};
use crate::revocation::{CountrySource, HashInputs, HashType, RevocationHash};
use crate::rules::{Admission, PassFacts, Policy, RuleSet};
use crate::trust::Kid;
use crate::{Error, UnixTime};

use super::verdict::Verdict;

/// A pass whose signature, signer, structure and times all checked out.
///
/// Only verification ([`Verifier::verify_hcert`](super::Verifier::verify_hcert), or
/// [`Verifier::verify`](super::Verifier::verify) as [`AnyPass::Hcert`]) makes one. [`VerifiedPass::verdict`] is what a
/// checker should show; the health details need an explicit call
/// ([`VerifiedPass::entry`], [`VerifiedPass::payload`]). Its `Debug` output
/// leaves the health data out, so that logging a pass does not leak it.
#[derive(Clone)]
pub struct VerifiedPass {
    pub(super) holder: Holder,
    pub(super) kind: PassKind,
    pub(super) member: Member,
    /// The payload's own validity: an exemption's `df`/`du`, a DVC's
    /// `vls`/`vle`, a DDCC's `certificate.period`.
    pub(super) bounds: Bounds,
    pub(super) ci: Option<String>,
    pub(super) co: Option<String>,
    pub(super) source: Option<SourceHashes>,
    pub(super) claims: Claims,
    /// The signed CWT bytes; the payload's JSON and typed forms are built
    /// from them only when asked for.
    pub(super) cwt: Box<[u8]>,
    pub(super) payload: OnceLock<Result<(Payload, Option<Entry>), Error>>,
    pub(super) kid: Kid,
    pub(super) signer_country: Option<String>,
    pub(super) alg: Algorithm,
    pub(super) signature: Box<[u8]>,
}

/// A validity window whose ends may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Bounds {
    pub(super) from: Option<UnixTime>,
    pub(super) until: Option<UnixTime>,
}

/// The decoded-payload cell of a pass, filled already when verification
/// decoded the whole payload (a DDCC or DVC).
pub(super) fn prefilled_payload(
    payload: Option<Payload>,
) -> OnceLock<Result<(Payload, Option<Entry>), Error>> {
    let cell = OnceLock::new();
    if let Some(p) = payload {
        let _ = cell.set(Ok((p, None)));
    }
    cell
}

impl core::fmt::Debug for VerifiedPass {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedPass")
            .field("form", &self.form())
            .field("holder", &self.holder)
            .field("claims", &self.claims)
            .field("kid", &self.kid)
            .field("signer_country", &self.signer_country)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl VerifiedPass {
    /// The form of the pass: full, light or exemption (EU DCC), or the
    /// DDCC or DVC member.
    pub fn form(&self) -> PassForm {
        match (self.member, self.kind) {
            (Member::DdccVaccination, _) => PassForm::DdccVaccination,
            (Member::DdccTest, _) => PassForm::DdccTest,
            (Member::Dvc, _) => PassForm::Dvc,
            (_, PassKind::Light) => PassForm::Light,
            (_, PassKind::Exemption) => PassForm::Exemption,
            _ => PassForm::Full,
        }
    }

    /// The member of the HCERT family (a light pass is made from an EU DCC
    /// and counts as one).
    pub fn member(&self) -> Member {
        self.member
    }

    /// The kind of pass (vaccination, test, recovery, exemption or light).
    pub fn kind(&self) -> PassKind {
        self.kind
    }

    /// Until when the pass is valid: the earliest of its `exp` and the end
    /// of its own validity (an exemption's `du`, a DVC's `vle`, a DDCC's
    /// `certificate.period.end`); `None` for a pass without either (a DVC
    /// without `exp`, as the verifier's policy allowed).
    pub fn valid_until(&self) -> Option<UnixTime> {
        match (self.claims.expires, self.bounds.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whose pass it is: names and date of birth.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// The privacy-minimal verdict: holder name, date of birth, valid until.
    /// Nothing medical.
    pub fn verdict(&self) -> Verdict {
        Verdict::valid(self.holder.clone(), self.form(), self.valid_until(), None)
    }

    /// The issuing country the CWT names (`iss`), if any.
    pub fn issuer_country(&self) -> Option<&str> {
        self.claims.issuer.as_deref()
    }

    /// When the pass was issued (`iat`).
    pub fn issued_at(&self) -> UnixTime {
        self.claims.issued_at
    }

    /// When the pass expires (`exp`), if it says.
    pub fn expires(&self) -> Option<UnixTime> {
        self.claims.expires
    }

    /// Health data: the vaccination, test, recovery or exemption entry;
    /// `None` for a light pass, and for a DDCC or DVC (read its
    /// [`payload`](VerifiedPass::payload) JSON). Ask for it only when the
    /// use case needs it (it is decoded on the first request).
    ///
    /// # Errors
    /// [`Error::Payload`] or [`Error::Cbor`] if the signed payload cannot be
    /// decoded (verification checked that it can: this does not happen).
    pub fn entry(&self) -> Result<Option<&Entry>, Error> {
        self.decoded().map(|(_, e)| e.as_ref())
    }

    /// Health data: the whole payload (convertible to JSON), decoded on the
    /// first request.
    ///
    /// # Errors
    /// As [`VerifiedPass::entry`].
    pub fn payload(&self) -> Result<&Payload, Error> {
        self.decoded().map(|(p, _)| p)
    }

    fn decoded(&self) -> Result<&(Payload, Option<Entry>), Error> {
        self.payload
            .get_or_init(|| {
                let payload = cwt::decode(&self.cwt)?.payload;
                let entry = if self.kind == PassKind::Light || self.member != Member::EuDcc {
                    None
                } else {
                    Some(payload.entry()?)
                };
                Ok((payload, entry))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The kid of the certificate that verified the signature.
    pub fn signer_kid(&self) -> Kid {
        self.kid
    }

    /// The country of the signer certificate, if it names one.
    pub fn signer_country(&self) -> Option<&str> {
        self.signer_country.as_deref()
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The COSE signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The entry's unique certificate identifier (`ci`), if it has one.
    pub fn certificate_id(&self) -> Option<&str> {
        self.ci.as_deref()
    }

    /// The entry's country (`co`), if it has one.
    pub fn entry_country(&self) -> Option<&str> {
        self.co.as_deref()
    }

    /// For a light pass: the kind of pass it was made from (vaccination,
    /// test, recovery or exemption), when it says so (light passes made by
    /// earlier versions of this crate do not). `None` for any other pass.
    pub fn light_source(&self) -> Option<PassKind> {
        self.source.as_ref().and_then(|s| s.made_from)
    }

    /// What `rules` decide of this pass under `policy` at `now`.
    pub fn admission(&self, rules: &RuleSet, policy: &Policy, now: UnixTime) -> Admission {
        let Ok(payload) = self.payload() else {
            return Admission::not_evaluated("the payload cannot be read");
        };
        let facts = PassFacts {
            payload: payload.as_value(),
            kind: self.kind,
            issued_at: self.claims.issued_at,
            expires: self.claims.expires,
            issuer_country: self.claims.issuer.as_deref(),
            kid: self.kid,
            light_source: self.light_source(),
        };
        crate::rules::admit(rules, &facts, policy, now)
    }

    /// The pass's own revocation hash of a type, or `None` when the pass
    /// lacks what it needs (a light pass has no `ci`).
    pub fn revocation_hash(&self, ty: HashType, country: CountrySource) -> Option<RevocationHash> {
        self.hash_inputs().own(ty, country)
    }

    pub(crate) fn hash_inputs(&self) -> HashInputs<'_> {
        HashInputs {
            ci: self.ci.as_deref(),
            co: self.co.as_deref(),
            iss: self.claims.issuer.as_deref(),
            alg: self.alg,
            signature: &self.signature,
            source: self.source.as_ref(),
        }
    }
}

/// A pass of any format this crate reads, verified
/// ([`Verifier::verify`](super::Verifier::verify)).
#[non_exhaustive]
#[derive(Debug, Clone)]
// One per verification, mostly HCERT: boxing it would add an allocation to
// the common case.
#[allow(clippy::large_enum_variant)]
pub enum AnyPass {
    /// An HCERT pass (`HC1:`, `LT1:`): EU DCC, light pass, DDCC, DVC.
    Hcert(VerifiedPass),
    /// A SMART Health Card (`shc:/`).
    #[cfg(feature = "shc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "shc")))]
    Shc(VerifiedCard),
    /// An ICAO visible digital seal (VDS-NC).
    #[cfg(feature = "icao")]
    #[cfg_attr(docsrs, doc(cfg(feature = "icao")))]
    Seal(VerifiedSeal),
}

impl From<VerifiedPass> for AnyPass {
    fn from(pass: VerifiedPass) -> Self {
        AnyPass::Hcert(pass)
    }
}

impl AnyPass {
    /// The HCERT pass, if it is one.
    pub fn as_hcert(&self) -> Option<&VerifiedPass> {
        match self {
            AnyPass::Hcert(p) => Some(p),
            #[allow(unreachable_patterns)] // without the shc and icao features
            _ => None,
        }
    }

    /// The HCERT pass, if it is one.
    pub fn into_hcert(self) -> Option<VerifiedPass> {
        match self {
            AnyPass::Hcert(p) => Some(p),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Whose pass it is.
    pub fn holder(&self) -> &Holder {
        match self {
            AnyPass::Hcert(p) => p.holder(),
            #[cfg(feature = "shc")]
            AnyPass::Shc(c) => c.holder(),
            #[cfg(feature = "icao")]
            AnyPass::Seal(s) => s.holder(),
        }
    }

    /// The form a verdict shows.
    pub fn form(&self) -> PassForm {
        match self {
            AnyPass::Hcert(p) => p.form(),
            #[cfg(feature = "shc")]
            AnyPass::Shc(c) => c.form(),
            #[cfg(feature = "icao")]
            AnyPass::Seal(s) => s.form(),
        }
    }

    /// Until when the pass is valid, if it says.
    pub fn valid_until(&self) -> Option<UnixTime> {
        match self {
            AnyPass::Hcert(p) => p.valid_until(),
            #[cfg(feature = "shc")]
            AnyPass::Shc(c) => c.valid_until(),
            #[cfg(feature = "icao")]
            AnyPass::Seal(s) => s.valid_until(),
        }
    }

    /// The issuer a SMART Health Card names (`iss`); `None` for other
    /// passes.
    pub fn shc_issuer(&self) -> Option<&str> {
        match self {
            #[cfg(feature = "shc")]
            AnyPass::Shc(c) => Some(c.issuer()),
            _ => None,
        }
    }

    /// The privacy-minimal verdict: holder, form, valid until (and a card's
    /// issuer).
    pub fn verdict(&self) -> Verdict {
        Verdict::valid(self.holder().clone(), self.form(), self.valid_until(), None)
            .issued_by(self.shc_issuer())
    }

    /// Health data, as JSON: an HCERT pass's payload, a card's FHIR bundle,
    /// a seal's `msg`. Ask for it only when the use case needs it.
    ///
    /// # Errors
    /// As [`VerifiedPass::payload`].
    pub fn health_json(&self) -> Result<serde_json::Value, Error> {
        match self {
            AnyPass::Hcert(p) => Ok(p.payload()?.to_json()),
            #[cfg(feature = "shc")]
            AnyPass::Shc(c) => Ok(c.fhir_bundle()),
            #[cfg(feature = "icao")]
            AnyPass::Seal(s) => Ok(s.message_json()),
        }
    }
}
