//! Verification: text → verified pass → privacy-minimal verdict.

use std::sync::OnceLock;

use serde::Serialize;

use crate::cose::CoseSign1;
use crate::crypto::Algorithm;
use crate::cwt::{self, Claims};
use crate::payload::lean::Checked;
use crate::payload::{Entry, HolderName, Payload};
use crate::revocation::Revocation;
use crate::transport;
use crate::trust::{Kid, PassKind, Signer, TrustList};
use crate::{Error, ErrorKind, UnixTime};

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
}

/// Builds a [`Verifier`].
#[derive(Debug, Default)]
#[must_use]
pub struct VerifierBuilder {
    trust: Option<TrustList>,
    skew: u32,
    revocation: Option<Revocation>,
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

    /// Builds the verifier.
    ///
    /// # Errors
    /// [`Error::NoTrustList`] if no trust list was given: a verifier never
    /// trusts anything by default.
    pub fn build(self) -> Result<Verifier, Error> {
        let trust = self.trust.ok_or(Error::NoTrustList)?;
        Ok(Verifier {
            trust,
            skew: i64::from(self.skew),
            revocation: self.revocation,
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

    /// Verifies the text of a pass (`HC1:…` or a light pass `LT1:…`) at
    /// time `now`.
    ///
    /// In order: transport (prefix, Base45, zlib), COSE structure, signature
    /// against the signers with the pass's kid, claims and payload structure,
    /// the signer's validity and allowed kinds, then `iat` and `exp`, and
    /// for an exemption its `df`/`du` window, then the revocation lists. The prefix must match the
    /// signed content (`LT1:` exactly for a light pass).
    ///
    /// # Errors
    /// The first check that fails; see [`Error::kind`] for its class.
    pub fn verify(&self, text: &str, now: UnixTime) -> Result<VerifiedPass, Error> {
        let (prefix, cose) = transport::decode_any_text(text)?;
        let pass = self.verify_cose(&cose, now)?;
        let light = pass.form() == PassForm::Light;
        if light != (prefix == transport::Prefix::Lt1) {
            return Err(Error::PrefixMismatch);
        }
        Ok(pass)
    }

    /// Verifies the COSE_Sign1 bytes of a pass at time `now` (the pipeline of
    /// [`Verifier::verify`] after transport).
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub fn verify_cose(&self, cose: &[u8], now: UnixTime) -> Result<VerifiedPass, Error> {
        let sign1 = CoseSign1::parse(cose)?;
        let mut sig_structure = Vec::new();
        sign1.write_sig_structure(&mut sig_structure);
        let signers = self.candidates(&sign1)?;

        let mut first_error = None;
        let mut decoded: Option<(Claims, Checked)> = None;
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
            let kind = match &decoded {
                Some((_, checked)) => checked.kind,
                None => {
                    decoded
                        .insert(cwt::decode_checked(sign1.unverified_payload())?)
                        .1
                        .kind
                }
            };
            match self.check_signer(signer, kind, now) {
                Ok(()) => {
                    chosen = Some(signer);
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let (Some(signer), Some((claims, checked))) = (chosen, decoded) else {
            return Err(first_error.unwrap_or(Error::BadSignature));
        };
        self.check_window(claims.issued_at, claims.expires, now)?;
        if let Some((from, until)) = checked.window {
            self.check_window(from, until, now)?;
        }
        let pass = VerifiedPass {
            claims,
            checked,
            cwt: sign1.unverified_payload().into(),
            payload: OnceLock::new(),
            kid: signer.kid(),
            signer_country: signer.country().map(str::to_owned),
            alg: sign1.algorithm(),
            signature: sign1.signature().into(),
        };
        if let Some(revocation) = &self.revocation {
            revocation.check(&pass, now)?;
        }
        Ok(pass)
    }

    /// Checks only the signature of a parsed COSE_Sign1: no payload decoding,
    /// no time, no key usage. Returns the signer whose key verified it.
    ///
    /// # Errors
    /// [`Error::UnknownKid`], [`Error::AlgorithmKeyMismatch`] or
    /// [`Error::BadSignature`].
    pub fn verify_signature(&self, sign1: &CoseSign1<'_>) -> Result<&Signer, Error> {
        let mut sig_structure = Vec::new();
        sign1.write_sig_structure(&mut sig_structure);
        self.candidates(sign1)?
            .find(|s| s.key().verify(&sig_structure, sign1.signature()).is_ok())
            .ok_or(Error::BadSignature)
    }

    fn candidates<'s>(
        &'s self,
        sign1: &CoseSign1<'_>,
    ) -> Result<impl Iterator<Item = &'s Signer> + 's, Error> {
        let all = self.trust.signers(&sign1.kid());
        if all.is_empty() {
            return Err(Error::UnknownKid);
        }
        let alg = sign1.algorithm();
        if !all.iter().any(|s| s.key().algorithm() == alg) {
            return Err(Error::AlgorithmKeyMismatch);
        }
        Ok(all.iter().filter(move |s| s.key().algorithm() == alg))
    }

    fn check_signer(&self, signer: &Signer, kind: PassKind, now: UnixTime) -> Result<(), Error> {
        let from = signer.not_before().saturating_sub(self.skew);
        let until = signer.not_after().saturating_add(self.skew);
        if now < from || now > until {
            return Err(Error::SignerNotValid { at: now });
        }
        if !signer.kinds().allows(kind) {
            return Err(Error::KindNotAllowed);
        }
        Ok(())
    }

    fn check_window(&self, from: UnixTime, until: UnixTime, now: UnixTime) -> Result<(), Error> {
        if now.saturating_add(self.skew) < from {
            return Err(Error::NotYetValid {
                at: now,
                valid_from: from,
            });
        }
        if now.saturating_sub(self.skew) > until {
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
    claims: Claims,
    checked: Checked,
    /// The signed CWT bytes; the payload's JSON and typed forms are built
    /// from them only when asked for.
    cwt: Box<[u8]>,
    payload: OnceLock<(Payload, Option<Entry>)>,
    kid: Kid,
    signer_country: Option<String>,
    alg: Algorithm,
    signature: Box<[u8]>,
}

impl core::fmt::Debug for VerifiedPass {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedPass")
            .field("claims", &self.claims)
            .field("holder", &self.checked.name)
            .field("kid", &self.kid)
            .field("signer_country", &self.signer_country)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl VerifiedPass {
    /// The form of the pass: full, light or exemption.
    pub fn form(&self) -> PassForm {
        match self.checked.kind {
            PassKind::Light => PassForm::Light,
            PassKind::Exemption => PassForm::Exemption,
            _ => PassForm::Full,
        }
    }

    /// The kind of pass (vaccination, test, recovery, exemption or light).
    pub fn kind(&self) -> PassKind {
        self.checked.kind
    }

    /// Until when the pass is valid: its `exp`, or for an exemption the end
    /// of its `du` if that comes first.
    pub fn valid_until(&self) -> UnixTime {
        match self.checked.window {
            Some((_, until)) => until.min(self.claims.expires),
            None => self.claims.expires,
        }
    }

    /// The holder's date of birth as written (`YYYY-MM-DD`, `YYYY-MM`,
    /// `YYYY` or empty).
    pub fn date_of_birth(&self) -> &str {
        &self.checked.date_of_birth
    }

    /// The privacy-minimal verdict: holder name, date of birth, valid until.
    /// Nothing medical.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            valid: true,
            error_kind: None,
            holder: Some(Holder {
                family_name: self.checked.name.family_name.clone(),
                family_name_std: self.checked.name.family_name_std.clone(),
                given_name: self.checked.name.given_name.clone(),
                given_name_std: self.checked.name.given_name_std.clone(),
                date_of_birth: self.checked.date_of_birth.clone(),
            }),
            valid_until: Some(self.valid_until()),
            form: Some(self.form()),
        }
    }

    /// The holder's name.
    pub fn holder_name(&self) -> &HolderName {
        &self.checked.name
    }

    /// The CWT claims (issuer country, issued at, expires).
    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// Health data: the vaccination, test, recovery or exemption entry;
    /// `None` for a light pass. Ask for it only when the use case needs it
    /// (it is decoded on the first request).
    pub fn entry(&self) -> Option<&Entry> {
        self.decoded().1.as_ref()
    }

    /// Health data: the whole payload (convertible to JSON), decoded on the
    /// first request.
    pub fn payload(&self) -> &Payload {
        &self.decoded().0
    }

    fn decoded(&self) -> &(Payload, Option<Entry>) {
        self.payload.get_or_init(|| {
            // Verification checked that these conversions succeed; the
            // fallbacks are unreachable and keep this free of panics.
            match cwt::decode(&self.cwt) {
                Ok((_, payload)) => {
                    let entry = payload.entry().ok();
                    debug_assert_eq!(entry.as_ref().map(Entry::kind), {
                        let kind = self.checked.kind;
                        (kind != PassKind::Light).then_some(kind)
                    });
                    (payload, entry)
                }
                Err(_) => (Payload::empty(), None),
            }
        })
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
        self.checked.ci.as_deref()
    }

    /// The entry's country (`co`), if it has one.
    pub fn entry_country(&self) -> Option<&str> {
        self.checked.co.as_deref()
    }
}

/// The form of a pass.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PassForm {
    /// A full EU DCC (`HC1:`) with a vaccination, test or recovery entry.
    Full,
    /// A light pass (`LT1:`): name and date of birth, no health data.
    Light,
    /// A medical exemption (`HC1:` with an `e` entry).
    Exemption,
}

impl PassForm {
    /// `"full"`, `"light"` or `"exemption"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PassForm::Full => "full",
            PassForm::Light => "light",
            PassForm::Exemption => "exemption",
        }
    }
}

/// Who the pass belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
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

/// What a checker shows: valid or not, why not, whose pass and until when.
/// Never health data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The pass verified and is valid now.
    pub valid: bool,
    /// The class of the failure, for an invalid pass.
    #[serde(serialize_with = "ser_kind")]
    pub error_kind: Option<ErrorKind>,
    /// The holder, for a valid pass (unverified data is never shown).
    pub holder: Option<Holder>,
    /// Until when the pass is valid (its `exp`; for an exemption the end of
    /// `du` if earlier), for a valid pass.
    #[serde(serialize_with = "ser_time")]
    pub valid_until: Option<UnixTime>,
    /// The form of the pass, for a valid pass.
    pub form: Option<PassForm>,
}

impl Verdict {
    /// The verdict for a verification result.
    pub fn from_result(result: &Result<VerifiedPass, Error>) -> Verdict {
        match result {
            Ok(pass) => pass.verdict(),
            Err(e) => Verdict {
                valid: false,
                error_kind: Some(e.kind()),
                holder: None,
                valid_until: None,
                form: None,
            },
        }
    }
}

fn ser_kind<S: serde::Serializer>(k: &Option<ErrorKind>, s: S) -> Result<S::Ok, S::Error> {
    match k {
        Some(k) => s.serialize_str(k.as_str()),
        None => s.serialize_none(),
    }
}

fn ser_time<S: serde::Serializer>(t: &Option<UnixTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(t),
        None => s.serialize_none(),
    }
}
