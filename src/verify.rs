//! Verification: text → verified pass → privacy-minimal verdict.

use std::sync::{Arc, OnceLock};

use serde::ser::SerializeMap as _;
use serde::Serialize;

use crate::crypto::Algorithm;
use crate::cwt::{self, CheckedPayload, Claims, SourceHashes};
use crate::holder::{Holder, PassForm};
#[cfg(feature = "icao")]
use crate::icao::{self, VerifiedSeal};
use crate::payload::kind::PassKind;
use crate::payload::lean;
use crate::payload::{Entry, Member, Payload};
use crate::revocation::{CountrySource, HashInputs, HashType, Revocation, RevocationHash};
use crate::rules::{Admission, PassFacts, Policy, RuleSet};
#[cfg(feature = "shc")]
use crate::shc::{self, ShcIssuers, VerifiedCard};
use crate::transport;
#[cfg(feature = "icao")]
use crate::trust::CscaList;
use crate::trust::{Kid, Signer};
use crate::{Error, ErrorKind, TrustList, UnixTime};

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
    #[cfg(feature = "shc")]
    shc: Option<Arc<ShcIssuers>>,
    #[cfg(feature = "icao")]
    seal_cscas: Option<Arc<CscaList>>,
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
    /// of class [`ErrorKind::RejectedByRules`].
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

    /// The privacy-minimal verdict on a scanned text at time `now`, whatever
    /// its format ([`Verifier::verify_any`]): the one call from scanned text
    /// to what a checker shows — authentic and valid, and with rules,
    /// admitted under the verifier's policy.
    pub fn verdict(&self, text: &str, now: UnixTime) -> Verdict {
        self.verdict_with(text, now, &self.policy)
    }

    /// As [`Verifier::verdict`], with the rules applied under `policy`.
    pub fn verdict_with(&self, text: &str, now: UnixTime, policy: &Policy) -> Verdict {
        self.verdict_for_any(&self.verify_any(text, now), now, policy)
    }

    /// The verdict on the outcome of [`Verifier::verify_any`], with the
    /// rules applied under `policy`. The admission rules are CertLogic over
    /// HCERT payloads: a verifier with rules admits no SMART Health Card or
    /// ICAO seal (its verdict is `rejected_by_rules`, the admission
    /// `not_evaluated`).
    pub fn verdict_for_any(
        &self,
        result: &Result<AnyPass, Error>,
        now: UnixTime,
        policy: &Policy,
    ) -> Verdict {
        match result {
            Ok(AnyPass::Hcert(pass)) => self.verdict_of_pass(pass, now, policy),
            Err(e) => self.verdict_of_error(e),
            #[allow(unreachable_patterns)] // without the shc and icao features
            Ok(other) => match &self.rules {
                None => other.verdict(),
                Some(_) => Verdict::admitted_or_not(
                    other.holder(),
                    other.form(),
                    other.valid_until(),
                    Admission::not_evaluated("the admission rules read hcert passes only"),
                ),
            },
        }
    }

    /// Verifies a scanned text of any format this crate reads, recognised
    /// by its start: `HC1:`/`LT1:` (as [`Verifier::verify`]), `shc:/` (a
    /// SMART Health Card, against the [`shc_issuers`](VerifierBuilder::shc_issuers);
    /// see [`crate::shc`]) or `{` (an ICAO seal, against the pinned signers
    /// of the trust list and the [`seal_cscas`](VerifierBuilder::seal_cscas);
    /// see [`crate::icao`]). ASCII white space around the text is ignored.
    ///
    /// # Errors
    /// [`Error::UnknownFormat`] (class `unsupported`) for any other text;
    /// else the first check that fails, as for each format.
    pub fn verify_any(&self, text: &str, now: UnixTime) -> Result<AnyPass, Error> {
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
            return self.verify(text, now).map(AnyPass::Hcert);
        }
        Err(Error::UnknownFormat)
    }

    /// The verdict on a verification's outcome (of [`Verifier::verify`] or
    /// [`Verifier::verify_bytes`], or an error met before, such as a QR
    /// image without a code), with the rules applied under `policy`: for
    /// callers that keep the [`VerifiedPass`] beside the verdict.
    pub fn verdict_for(
        &self,
        result: &Result<VerifiedPass, Error>,
        now: UnixTime,
        policy: &Policy,
    ) -> Verdict {
        match result {
            Ok(pass) => self.verdict_of_pass(pass, now, policy),
            Err(e) => self.verdict_of_error(e),
        }
    }

    fn verdict_of_pass(&self, pass: &VerifiedPass, now: UnixTime, policy: &Policy) -> Verdict {
        match &self.rules {
            None => pass.verdict(),
            Some(rules) => Verdict::with_admission(pass, pass.admission(rules, policy, now)),
        }
    }

    fn verdict_of_error(&self, e: &Error) -> Verdict {
        let mut v = Verdict::from_error(e);
        if self.rules.is_some() {
            if let Outcome::Invalid { admission, .. } = &mut v.0 {
                *admission = Some(Admission::not_evaluated("the pass did not verify"));
            }
        }
        v
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
            #[cfg(feature = "shc")]
            shc: self.shc.clone(),
            #[cfg(feature = "icao")]
            seal_cscas: self.seal_cscas.clone(),
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

    /// Verifies the text of a pass (`HC1:…` or a light pass `LT1:…`) at
    /// time `now`. ASCII white space around the text (a scanner's line end)
    /// is ignored; a valid pass's text never ends in a space.
    ///
    /// In order: transport (prefix, Base45, zlib), COSE structure, signature
    /// against the signers with the pass's kid, claims and payload
    /// structure, the signer's validity now and at the pass's `iat`, its
    /// allowed kinds, then `iat` and `exp`, and for an exemption its
    /// `df`/`du` window, then the revocation lists. The prefix must match
    /// the signed content (`LT1:` exactly for a light pass).
    ///
    /// # Errors
    /// The first check that fails; see [`Error::kind`] for its class.
    pub fn verify(&self, text: &str, now: UnixTime) -> Result<VerifiedPass, Error> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let (prefix, cose) = transport::decode_any_text(text)?;
        let pass = self.verify_cose(&cose, now)?;
        let light = pass.form() == PassForm::Light;
        if light != (prefix == transport::Prefix::Lt1) {
            return Err(Error::PrefixMismatch);
        }
        Ok(pass)
    }

    /// As [`Verifier::verify`], for text that arrives as bytes (a scanner's
    /// buffer): bytes that are not UTF-8 are [`Error::NotText`].
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub fn verify_bytes(&self, bytes: &[u8], now: UnixTime) -> Result<VerifiedPass, Error> {
        let text = std::str::from_utf8(bytes).map_err(|_| Error::NotText)?;
        self.verify(text, now)
    }

    /// Verifies the COSE_Sign1 bytes of a pass at time `now` (the pipeline of
    /// [`Verifier::verify`] after transport).
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub fn verify_cose(&self, cose: &[u8], now: UnixTime) -> Result<VerifiedPass, Error> {
        let sign1 = cwt::parse_sign1(cose)?;
        if let Some(expired_at) = self.trust.expires().filter(|&e| now > e) {
            return Err(Error::TrustListExpired { expired_at });
        }
        let mut sig_structure = Vec::new();
        sign1.write_sig_structure(&mut sig_structure);
        let signers = self.trust.candidates(&sign1.kid(), sign1.algorithm())?;

        let mut first_error = None;
        let mut decoded: Option<cwt::Checked> = None;
        let mut chosen = None;
        for signer in signers {
            if signer
                .key()
                .verify(&sig_structure, sign1.signature())
                .is_err()
            {
                continue;
            }
            // Only a payload whose signature verified is decoded, and once.
            let checked = match &decoded {
                Some(c) => c,
                None => decoded.insert(cwt::decode_checked(sign1.unverified_payload())?),
            };
            match self.check_signer(signer, checked, now) {
                Ok(()) => {
                    chosen = Some(signer);
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let (Some(signer), Some(decoded)) = (chosen, decoded) else {
            return Err(first_error.unwrap_or(Error::BadSignature));
        };
        let cwt::Checked {
            claims,
            member,
            payload,
            source,
        } = decoded;
        if claims.expires.is_none() && !self.missing_exp.accepts(member) {
            return Err(Error::MissingExpiry {
                member: member.as_str(),
            });
        }
        self.check_window(Some(claims.issued_at), claims.expires, now)?;
        let (holder, kind, bounds, ci, co, prefilled) = match payload {
            CheckedPayload::Eu(lean::Checked {
                name,
                date_of_birth,
                kind,
                window,
                ci,
                co,
            }) => (
                Holder::new(name, date_of_birth),
                kind,
                Bounds {
                    from: window.map(|w| w.0),
                    until: window.map(|w| w.1),
                },
                ci,
                co,
                None,
            ),
            CheckedPayload::Family(f, payload) => (
                Holder::full(f.name, f.date_of_birth),
                f.kind,
                Bounds {
                    from: f.valid_from,
                    until: f.valid_until,
                },
                f.certificate_id,
                None,
                Some(payload),
            ),
        };
        self.check_window(bounds.from, bounds.until, now)?;
        let decoded_payload = OnceLock::new();
        if let Some(p) = prefilled {
            let _ = decoded_payload.set(Ok((p, None)));
        }
        let pass = VerifiedPass {
            holder,
            kind,
            member,
            bounds,
            ci,
            co,
            source,
            claims,
            cwt: sign1.unverified_payload().into(),
            payload: decoded_payload,
            kid: signer.kid(),
            signer_country: signer.country().map(str::to_owned),
            alg: sign1.algorithm(),
            signature: sign1.signature().into(),
        };
        if let Some(revocation) = &self.revocation {
            revocation.check(&pass.hash_inputs(), now)?;
        }
        Ok(pass)
    }

    /// Checks only the signature of a parsed COSE_Sign1: no payload decoding,
    /// no time, no key usage. Returns the signer whose key verified it.
    /// (The conformance runner's `EXPECTEDVERIFY`; feature `internals`.)
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn verify_signature(&self, sign1: &crate::cose::CoseSign1<'_>) -> Result<&Signer, Error> {
        let mut sig_structure = Vec::new();
        sign1.write_sig_structure(&mut sig_structure);
        self.trust
            .candidates(&sign1.kid(), sign1.algorithm())?
            .find(|s| s.key().verify(&sig_structure, sign1.signature()).is_ok())
            .ok_or(Error::BadSignature)
    }

    /// The signer may vouch for this pass: valid now and when the pass says
    /// it was issued, and allowed to sign its kind.
    fn check_signer(
        &self,
        signer: &Signer,
        pass: &cwt::Checked,
        now: UnixTime,
    ) -> Result<(), Error> {
        if !signer.valid_at(now, self.skew) {
            return Err(Error::SignerNotValid { at: now });
        }
        // The pass-kind key usages are the EU DCC's: they restrict EU DCC
        // and light passes only.
        if let CheckedPayload::Eu(payload) = &pass.payload {
            if !signer.kinds().allows(payload.kind) {
                return Err(Error::KindNotAllowed);
            }
        }
        let issued_at = pass.claims.issued_at;
        if !signer.valid_at(issued_at, self.skew) {
            return Err(Error::IssuedOutsideSignerValidity { issued_at });
        }
        Ok(())
    }

    fn check_window(
        &self,
        from: Option<UnixTime>,
        until: Option<UnixTime>,
        now: UnixTime,
    ) -> Result<(), Error> {
        if let Some(from) = from.filter(|&f| now.saturating_add(self.skew) < f) {
            return Err(Error::NotYetValid {
                at: now,
                valid_from: from,
            });
        }
        if let Some(until) = until.filter(|&u| now.saturating_sub(self.skew) > u) {
            return Err(Error::Expired {
                at: now,
                expired_at: until,
            });
        }
        Ok(())
    }
}

/// A pass whose signature, signer, structure and times all checked out.
///
/// Only [`Verifier::verify`] makes one. [`VerifiedPass::verdict`] is what a
/// checker should show; the health details need an explicit call
/// ([`VerifiedPass::entry`], [`VerifiedPass::payload`]). Its `Debug` output
/// leaves the health data out, so that logging a pass does not leak it.
#[derive(Clone)]
pub struct VerifiedPass {
    holder: Holder,
    kind: PassKind,
    member: Member,
    /// The payload's own validity: an exemption's `df`/`du`, a DVC's
    /// `vls`/`vle`, a DDCC's `certificate.period`.
    bounds: Bounds,
    ci: Option<String>,
    co: Option<String>,
    source: Option<SourceHashes>,
    claims: Claims,
    /// The signed CWT bytes; the payload's JSON and typed forms are built
    /// from them only when asked for.
    cwt: Box<[u8]>,
    payload: OnceLock<Result<(Payload, Option<Entry>), Error>>,
    kid: Kid,
    signer_country: Option<String>,
    alg: Algorithm,
    signature: Box<[u8]>,
}

/// A validity window whose ends may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Bounds {
    from: Option<UnixTime>,
    until: Option<UnixTime>,
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
        Verdict(Outcome::Valid {
            holder: self.holder.clone(),
            form: self.form(),
            valid_until: self.valid_until(),
            admission: None,
        })
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
/// ([`Verifier::verify_any`]).
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

impl AnyPass {
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

    /// The privacy-minimal verdict: holder, form, valid until.
    pub fn verdict(&self) -> Verdict {
        Verdict(Outcome::Valid {
            holder: self.holder().clone(),
            form: self.form(),
            valid_until: self.valid_until(),
            admission: None,
        })
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
    },
    Invalid {
        kind: ErrorKind,
        reason: String,
        admission: Option<Admission>,
    },
}

impl Verdict {
    /// The verdict for a verification result.
    pub fn from_result(result: &Result<VerifiedPass, Error>) -> Verdict {
        match result {
            Ok(pass) => pass.verdict(),
            Err(e) => Verdict::from_error(e),
        }
    }

    /// The verdict for a failure.
    pub fn from_error(e: &Error) -> Verdict {
        Verdict(Outcome::Invalid {
            kind: e.kind(),
            reason: e.to_string(),
            admission: None,
        })
    }

    /// The verdict on an authentic pass with what the rules decided: valid
    /// only when admitted, else of class [`ErrorKind::RejectedByRules`].
    fn with_admission(pass: &VerifiedPass, admission: Admission) -> Verdict {
        Verdict::admitted_or_not(pass.holder(), pass.form(), pass.valid_until(), admission)
    }

    fn admitted_or_not(
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
        if let Some(a) = self.admission() {
            m.serialize_entry("admission", a)?;
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
