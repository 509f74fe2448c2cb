//! Verification: scanned text of any format → verified pass →
//! privacy-minimal verdict.
//!
//! - [`Verifier`] and its [`VerifierBuilder`] (this file): what a verifier
//!   trusts and accepts, and the one entry point [`Verifier::verify`] that
//!   recognises the format;
//! - `hcert`: the HCERT pipeline ([`Verifier::verify_hcert`]);
//! - `verified`: [`VerifiedPass`] and [`AnyPass`], made only by verification;
//! - `verdict`: [`Verdict`], what a checker shows.

use std::sync::Arc;

#[cfg(feature = "icao")]
use crate::formats::icao;
#[cfg(feature = "shc")]
use crate::formats::shc::{self, ShcIssuers};
use crate::payload::Member;
use crate::revocation::Revocation;
use crate::rules::{Admission, Policy, RuleSet};
use crate::transport;
#[cfg(feature = "icao")]
use crate::trust::CscaList;
use crate::{Error, TrustList, UnixTime};

mod hcert;
mod verdict;
mod verified;

pub use verdict::Verdict;
pub use verified::{AnyPass, VerifiedPass};

/// Largest clock skew a verifier accepts (one day).
pub const MAX_CLOCK_SKEW_SECS: u32 = 86_400;

/// Verifies passes against a trust list. Build one with
/// [`Verifier::builder`], then share it: it is `Send + Sync` and verifying
/// does not mutate it.
#[derive(Debug, Clone)]
pub struct Verifier {
    trust: TrustList,
    skew: i64,
    revocation: Option<Revocation>,
    rules: Option<Arc<RuleSet>>,
    policy: Policy,
    missing_exp: MissingExp,
    freshness: Option<Freshness>,
    /// Outdated trust data flags the verdict instead of failing it.
    stale_ok: bool,
    #[cfg(feature = "shc")]
    shc: Option<Arc<ShcIssuers>>,
    #[cfg(feature = "icao")]
    seal_cscas: Option<Arc<CscaList>>,
}

/// When the trust data was last brought up to date, and until when it may
/// be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Freshness {
    as_of: UnixTime,
    until: UnixTime,
}

/// The family members whose passes may lack an `exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MissingExp {
    ddcc_vaccination: bool,
    ddcc_test: bool,
    dvc: bool,
}

impl Default for MissingExp {
    /// A DVC may lack an `exp` (an ICVP vaccination can be valid for
    /// life, and the GDHCN's own DVC samples have none); a DDCC may not.
    fn default() -> Self {
        MissingExp {
            ddcc_vaccination: false,
            ddcc_test: false,
            dvc: true,
        }
    }
}

impl MissingExp {
    fn slot(&mut self, member: Member) -> Option<&mut bool> {
        match member {
            Member::DdccVaccination => Some(&mut self.ddcc_vaccination),
            Member::DdccTest => Some(&mut self.ddcc_test),
            Member::Dvc => Some(&mut self.dvc),
            _ => None,
        }
    }

    fn accepts(mut self, member: Member) -> bool {
        self.slot(member).is_some_and(|b| *b)
    }
}

/// Builds a [`Verifier`].
#[derive(Debug, Default)]
#[must_use]
pub struct VerifierBuilder {
    trust: Option<TrustList>,
    skew: u32,
    revocation: Option<Revocation>,
    rules: Option<Arc<RuleSet>>,
    policy: Policy,
    missing_exp: MissingExp,
    /// An EU DCC was asked to go without `exp`: refused by `build`.
    eu_without_exp: bool,
    freshness: Option<Freshness>,
    /// Outdated trust data flags the verdict instead of failing it.
    stale_ok: bool,
    #[cfg(feature = "shc")]
    shc: Option<Arc<ShcIssuers>>,
    #[cfg(feature = "icao")]
    seal_cscas: Option<Arc<CscaList>>,
}

impl VerifierBuilder {
    /// The trusted signers. Required.
    pub fn trust_list(mut self, trust: TrustList) -> Self {
        self.trust = Some(trust);
        self
    }

    /// Everything a [`TrustStore`](crate::trust::store::TrustStore) holds:
    /// its pass signers as the trust list, its country CAs as the seal
    /// CSCAs, its SMART Health Card issuers, in place of any given before.
    pub fn trust_store(mut self, store: crate::trust::store::TrustStore) -> Self {
        self.trust = Some(store.signers);
        #[cfg(feature = "icao")]
        {
            self.seal_cscas = (!store.cscas.is_empty()).then(|| Arc::new(store.cscas));
        }
        #[cfg(feature = "shc")]
        {
            self.shc =
                (!store.shc.is_empty() || store.shc.has_withdrawn()).then(|| Arc::new(store.shc));
        }
        self
    }

    /// The trust data was brought up to date at `as_of` (the time of the
    /// caller's last successful sync) and may be used for `max_age_secs`
    /// after it: past that, every pass is refused as `untrusted`
    /// ([`Error::TrustOutdated`]), whatever its signature (fail closed).
    pub fn trust_data_as_of(mut self, as_of: UnixTime, max_age_secs: u64) -> Self {
        let until = UnixTime::from_secs(
            as_of
                .as_secs()
                .saturating_add(i64::try_from(max_age_secs).unwrap_or(i64::MAX)),
        );
        self.freshness = Some(Freshness { as_of, until });
        self
    }

    /// An explicit policy for outdated trust data (default `false`: fail
    /// closed). With `true`, passes are still verified once the trust data
    /// is past its allowance ([`VerifierBuilder::trust_data_as_of`]), and
    /// the verdict says so ([`Verdict::trust_outdated_since`]): for a
    /// checker that must keep working through a long outage and shows the
    /// flag to the person checking.
    pub fn accept_outdated_trust(mut self, stale_ok: bool) -> Self {
        self.stale_ok = stale_ok;
        self
    }

    /// Tolerance, in seconds, for clocks that disagree: a pass issued up to
    /// this far in the future, or expired up to this long ago, is accepted,
    /// and likewise for the signer certificate's validity. Default 0; capped
    /// at [`MAX_CLOCK_SKEW_SECS`].
    pub fn clock_skew_secs(mut self, secs: u32) -> Self {
        self.skew = secs.min(MAX_CLOCK_SKEW_SECS);
        self
    }

    /// Revocation lists to check every pass against, after its signature
    /// and times: a hit is [`Error::Revoked`].
    pub fn revocation(mut self, revocation: Revocation) -> Self {
        self.revocation = Some(revocation);
        self
    }

    /// Whether passes of a family `member` may lack an `exp` (the GDHCN
    /// spec says it SHALL be there; real DVC passes go without). Default:
    /// accepted for [`Member::Dvc`], refused for the DDCC members. An EU
    /// DCC always needs one: asking otherwise makes [`build`] fail. A pass
    /// without `exp` is valid until its own validity ends (a DVC's `vle`, a
    /// DDCC's `certificate.period.end`), or without end.
    ///
    /// [`build`]: VerifierBuilder::build
    pub fn accept_missing_exp(mut self, member: Member, accept: bool) -> Self {
        match self.missing_exp.slot(member) {
            Some(slot) => *slot = accept,
            None => self.eu_without_exp |= accept,
        }
        self
    }

    /// Admission rules: every verdict then says whether the holder may
    /// enter ([`Verdict::admission`]); a pass the rules refuse is invalid,
    /// of class [`ErrorKind::RejectedByRules`](crate::ErrorKind::RejectedByRules).
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.rules = Some(Arc::new(rules));
        self
    }

    /// The policy [`Verifier::verdict`] applies the rules under (country of
    /// arrival, region, mode, language); [`Verifier::verdict_with`] takes
    /// one per call.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The issuers whose SMART Health Cards are trusted (their JWK sets,
    /// anchors and revocation lists). Without them every card is
    /// `untrusted`.
    #[cfg(feature = "shc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "shc")))]
    pub fn shc_issuers(mut self, issuers: ShcIssuers) -> Self {
        self.shc = Some(Arc::new(issuers));
        self
    }

    /// Country signing CAs (an ICAO master list's CSCAs) that may issue
    /// ICAO seal signers: a seal whose signer certificate one of them
    /// issued, of the seal's country, is trusted. (Signer certificates in
    /// the trust list are trusted as pinned; in the chained mode the trust
    /// list's CSCAs count too.)
    #[cfg(feature = "icao")]
    #[cfg_attr(docsrs, doc(cfg(feature = "icao")))]
    pub fn seal_cscas(mut self, cscas: CscaList) -> Self {
        self.seal_cscas = Some(Arc::new(cscas));
        self
    }

    /// Builds the verifier.
    ///
    /// # Errors
    /// [`Error::NoTrustList`] if no trust list was given: a verifier never
    /// trusts anything by default. [`Error::Rules`] if the policy names a
    /// scan mode the rules do not have (a policy given per call with such
    /// a mode gives verdicts that admit no one). [`Error::MissingExpiry`]
    /// if EU DCC passes were to be accepted without `exp`.
    pub fn build(self) -> Result<Verifier, Error> {
        let trust = self.trust.ok_or(Error::NoTrustList)?;
        if self.eu_without_exp {
            return Err(Error::MissingExpiry {
                member: Member::EuDcc.as_str(),
            });
        }
        if let (Some(rules), Some(mode)) = (&self.rules, self.policy.scan_mode()) {
            if !rules.modes().iter().any(|m| m.id == mode) {
                let known: Vec<&str> = rules.modes().iter().map(|m| m.id.as_str()).collect();
                return Err(Error::Rules(if known.is_empty() {
                    format!("the rule set has no scan modes, so not {mode}")
                } else {
                    format!(
                        "the rule set has no scan mode {mode} (it has {})",
                        known.join(", ")
                    )
                }));
            }
        }
        Ok(Verifier {
            trust,
            skew: i64::from(self.skew),
            revocation: self.revocation,
            rules: self.rules,
            policy: self.policy,
            missing_exp: self.missing_exp,
            freshness: self.freshness,
            stale_ok: self.stale_ok,
            #[cfg(feature = "shc")]
            shc: self.shc,
            #[cfg(feature = "icao")]
            seal_cscas: self.seal_cscas,
        })
    }
}

impl Verifier {
    /// Starts building a verifier.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// The revocation lists in use, if any.
    pub fn revocation(&self) -> Option<&Revocation> {
        self.revocation.as_ref()
    }

    /// The trust list in use.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// The clock skew tolerated, in seconds.
    pub fn clock_skew_secs(&self) -> u32 {
        u32::try_from(self.skew).unwrap_or(MAX_CLOCK_SKEW_SECS)
    }

    /// The admission rules in use, if any.
    pub fn rules(&self) -> Option<&RuleSet> {
        self.rules.as_deref()
    }

    /// The SMART Health Card issuers trusted, if any.
    #[cfg(feature = "shc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "shc")))]
    pub fn shc_issuers(&self) -> Option<&ShcIssuers> {
        self.shc.as_deref()
    }

    /// The CSCAs ICAO seal signers may chain to, if any.
    #[cfg(feature = "icao")]
    #[cfg_attr(docsrs, doc(cfg(feature = "icao")))]
    pub fn seal_cscas(&self) -> Option<&CscaList> {
        self.seal_cscas.as_deref()
    }

    /// Verifies a scanned text of any format this crate reads, recognised
    /// by its start: `HC1:`/`LT1:` (HCERT, as [`Verifier::verify_hcert`]),
    /// `shc:/` (a SMART Health Card, against the
    /// [`shc_issuers`](VerifierBuilder::shc_issuers); see
    /// [`crate::formats::shc`]) or `{` (an ICAO seal, against the pinned
    /// signers of the trust list and the
    /// [`seal_cscas`](VerifierBuilder::seal_cscas); see
    /// [`crate::formats::icao`]). ASCII white space around the text is
    /// ignored.
    ///
    /// # Errors
    /// [`Error::UnknownFormat`] (class `unsupported`) for any other text;
    /// else the first check that fails, as for each format.
    pub fn verify(&self, text: &str, now: UnixTime) -> Result<AnyPass, Error> {
        self.check_fresh(now)?;
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if text
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("shc:/"))
        {
            #[cfg(feature = "shc")]
            return shc::verify(self.shc.as_deref(), text, now, self.skew).map(AnyPass::Shc);
            #[cfg(not(feature = "shc"))]
            return Err(Error::Unsupported(
                "smart health cards (this build lacks the shc feature)",
            ));
        }
        if text.starts_with('{') {
            #[cfg(feature = "icao")]
            {
                let mut cscas: Vec<&CscaList> = Vec::with_capacity(2);
                cscas.extend(self.seal_cscas.as_deref());
                cscas.extend(self.trust.cscas());
                let trust = icao::SealTrust {
                    pinned: &self.trust,
                    cscas: &cscas,
                    now,
                    skew: self.skew,
                };
                return icao::verify(text, &trust).map(AnyPass::Seal);
            }
            #[cfg(not(feature = "icao"))]
            return Err(Error::Unsupported(
                "icao seals (this build lacks the icao feature)",
            ));
        }
        if transport::split_prefix(text).is_ok() {
            return self.verify_hcert(text, now).map(AnyPass::Hcert);
        }
        Err(Error::UnknownFormat)
    }

    /// The privacy-minimal verdict on a scanned text of any format at time
    /// `now` ([`Verifier::verify`]): the one call from scanned text to what
    /// a checker shows — authentic and valid, and with rules, admitted
    /// under the verifier's policy.
    pub fn verdict(&self, text: &str, now: UnixTime) -> Verdict {
        self.verdict_with(text, now, &self.policy)
    }

    /// As [`Verifier::verdict`], with the rules applied under `policy`.
    pub fn verdict_with(&self, text: &str, now: UnixTime, policy: &Policy) -> Verdict {
        self.verdict_of(&self.verify(text, now), now, policy)
    }

    /// The verdict on the outcome of a verification (or of an error met
    /// before one, such as a QR image without a code), with the rules
    /// applied under `policy`: for callers that keep the pass beside the
    /// verdict. The admission rules are CertLogic over HCERT payloads: a
    /// verifier with rules admits no SMART Health Card or ICAO seal (its
    /// verdict is `rejected_by_rules`, the admission `not_evaluated`).
    pub fn verdict_of(
        &self,
        result: &Result<AnyPass, Error>,
        now: UnixTime,
        policy: &Policy,
    ) -> Verdict {
        let verdict = self.verdict_unflagged(result, now, policy);
        match self.trust_outdated_since(now) {
            Some(since) => verdict.trust_outdated(since),
            None => verdict,
        }
    }

    fn verdict_unflagged(
        &self,
        result: &Result<AnyPass, Error>,
        now: UnixTime,
        policy: &Policy,
    ) -> Verdict {
        let pass = match result {
            Ok(pass) => pass,
            Err(e) => {
                let v = Verdict::from_error(e);
                return match self.rules {
                    Some(_) => v.not_evaluated("the pass did not verify"),
                    None => v,
                };
            }
        };
        let Some(rules) = &self.rules else {
            return pass.verdict();
        };
        let admission = match pass.as_hcert() {
            Some(hcert) => hcert.admission(rules, policy, now),
            None => Admission::not_evaluated("the admission rules read hcert passes only"),
        };
        Verdict::admitted_or_not(pass.holder(), pass.form(), pass.valid_until(), admission)
            .issued_by(pass.shc_issuer())
    }

    /// A builder that starts from this verifier's trust list, revocation
    /// lists, rules, policy and clock skew: to make a verifier that differs
    /// in one of them.
    pub fn to_builder(&self) -> VerifierBuilder {
        VerifierBuilder {
            trust: Some(self.trust.clone()),
            skew: self.clock_skew_secs(),
            revocation: self.revocation.clone(),
            rules: self.rules.clone(),
            policy: self.policy.clone(),
            missing_exp: self.missing_exp,
            eu_without_exp: false,
            freshness: self.freshness,
            stale_ok: self.stale_ok,
            #[cfg(feature = "shc")]
            shc: self.shc.clone(),
            #[cfg(feature = "icao")]
            seal_cscas: self.seal_cscas.clone(),
        }
    }

    /// When the trust data was last brought up to date, as the builder was
    /// told ([`VerifierBuilder::trust_data_as_of`]).
    pub fn trust_data_as_of(&self) -> Option<UnixTime> {
        self.freshness.map(|f| f.as_of)
    }

    /// Since when the trust data is outdated at `now`, if it is: past the
    /// allowance given to [`VerifierBuilder::trust_data_as_of`].
    pub fn trust_outdated_since(&self, now: UnixTime) -> Option<UnixTime> {
        self.freshness
            .and_then(|f| (now > f.until).then_some(f.until))
    }

    /// Fails closed once the trust data is older than its allowance,
    /// unless outdated trust data is accepted.
    pub(crate) fn check_fresh(&self, now: UnixTime) -> Result<(), Error> {
        match self.trust_outdated_since(now) {
            Some(since) if !self.stale_ok => Err(Error::TrustOutdated { since }),
            _ => Ok(()),
        }
    }

    /// Whether passes of `member` may lack an `exp` (see
    /// [`VerifierBuilder::accept_missing_exp`]).
    pub fn accepts_missing_exp(&self, member: Member) -> bool {
        self.missing_exp.accepts(member)
    }

    /// The policy [`Verifier::verdict`] applies the rules under.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
}
