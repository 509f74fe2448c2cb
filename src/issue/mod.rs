//! Issuing passes: full (vaccination, test, recovery), exemption and light;
//! the keys and certificates that sign them ([`SigningKey`], zeroized on
//! drop, and [`Credential`]: a key with its certificate, which also signs
//! revocation and trust lists).
//!
//! An [`Issuer`] holds a [`Credential`]: a signing key and its signer
//! certificate (the kid is derived from the certificate, as verifiers
//! derive it). What it emits is checked before it is signed: the payload
//! against schema 1.3.3 ([`Payload::validate_schema`]), the pass kind
//! against the certificate's extended key usage, `iat` against the
//! certificate's validity, `exp` after `iat` ([`Validity`]). The output is deterministic but for the signature:
//! COSE_Sign1 with tag 18, `alg` and `kid` in the protected header, CBOR
//! with definite lengths and shortest integers, zlib at level 9, Base45 and
//! the prefix.
//!
//! Needs the `rustcrypto` feature (on by default).
//!
//! ```
//! use healthpass::issue::{Issuer, PayloadBuilder};
//! use healthpass::payload::{HolderName, Test};
//! use healthpass::signed::Validity;
//! use healthpass::{UnixTime, Verifier};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let issuer = Issuer::from_pem(
//!     &std::fs::read_to_string("demo/TEST-ONLY-key.pem")?,
//!     &std::fs::read_to_string("demo/trust.pem")?,
//! )?;
//! let payload = PayloadBuilder::new(
//!     HolderName { given_name_std: Some("JANE".into()), ..Default::default() },
//!     "1990-04-01",
//! )
//! .test(Test {
//!     tg: Some("840539006".into()),
//!     tt: Some("LP217198-3".into()),
//!     ma: Some("1232".into()),
//!     sc: Some("2026-12-01T08:00:00Z".into()),
//!     tr: Some("260415000".into()),
//!     co: Some("AT".into()),
//!     issuer: Some("Demo test centre".into()),
//!     ci: Some(healthpass::uvci::build("AT", "DEMO/0001")?),
//!     ..Default::default()
//! })
//! .build()?;
//! let iat = UnixTime::parse_rfc3339("2026-12-01T09:00:00Z")?;
//! let text = issuer.issue(&payload, Validity::new(iat, iat.saturating_add(72 * 3600))?)?;
//! assert!(text.starts_with("HC1:"));
//!
//! let verifier = Verifier::builder().trust_list(issuer.trust_list()?).build()?;
//! let pass = verifier.verify_hcert(&text, iat.saturating_add(3600))?;
//! assert_eq!(pass.payload()?, &payload);
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use serde_json::{Map, Value as Json};

use crate::cose;
use crate::crypto::Algorithm;
use crate::cwt::{self, Claims};
use crate::payload::{Entry, Exemption, HolderName, Member, Payload, Recovery, Test, Vaccination};
use crate::signed::Validity;
use crate::transport::{self, Prefix};
use crate::trust::Kid;
use crate::{Error, PassKind, TrustList, UnixTime, VerifiedPass};

mod cert;
mod credential;
mod signing_key;

pub use cert::{certificate_pem, self_signed_certificate, CertificateParams};
pub use credential::Credential;
pub use signing_key::{SigningKey, DEFAULT_RSA_BITS};

/// The schema version written into payloads this crate builds.
pub const SCHEMA_VERSION: &str = "1.3.0";

/// How long a light pass is valid by default (48 hours).
pub const DEFAULT_LIGHT_VALIDITY: Duration = Duration::from_secs(48 * 3600);

/// The longest a light pass may be valid (7 days): light passes are
/// short-lived by design, so that one made from a pass that is later
/// revoked dies soon even where no list reaches.
pub const MAX_LIGHT_VALIDITY: Duration = Duration::from_secs(7 * 86_400);

/// Signs passes with one key and its signer certificate.
///
/// Its `Debug` output shows the kid and algorithm, never key material.
#[derive(Debug)]
pub struct Issuer {
    credential: Credential,
}

impl Issuer {
    /// An issuer signing with `credential` (a key and its certificate).
    pub fn new(credential: Credential) -> Self {
        Issuer { credential }
    }

    /// An issuer from a PKCS#8 PEM key and a PEM certificate (the first
    /// certificate in the text).
    ///
    /// # Errors
    /// As [`Credential::from_pem`].
    pub fn from_pem(key_pem: &str, cert_pem: &str) -> Result<Self, Error> {
        Credential::from_pem(key_pem, cert_pem).map(Issuer::new)
    }

    /// The key and certificate this issuer signs with.
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// The kid passes from this issuer carry.
    pub fn kid(&self) -> Kid {
        self.credential.kid()
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.credential.algorithm()
    }

    /// A trust list holding just this issuer's certificate.
    ///
    /// # Errors
    /// None in practice (the certificate was read once already).
    pub fn trust_list(&self) -> Result<TrustList, Error> {
        self.credential.trust_list()
    }

    /// Issues a full pass (vaccination, test, recovery or exemption) and
    /// returns its text (`HC1:…`), ready for a QR code.
    ///
    /// # Errors
    /// [`Error::Schema`] if the payload breaks a rule of schema 1.3.3;
    /// [`Error::KindNotAllowed`] if the certificate may not sign this kind;
    /// [`Error::SignerNotValid`] if the issue time is outside the
    /// certificate's validity; signing errors.
    pub fn issue(&self, payload: &Payload, validity: Validity) -> Result<String, Error> {
        let cose = self.sign_payload(payload, validity)?;
        transport::encode_text(&cose)
    }

    /// As [`Issuer::issue`], returning the COSE_Sign1 bytes.
    ///
    /// # Errors
    /// As [`Issuer::issue`].
    pub fn sign_payload(&self, payload: &Payload, validity: Validity) -> Result<Vec<u8>, Error> {
        self.sign_with_claims(payload, self.claims(validity))
    }

    /// Issues a Digital Vaccination Certificate without `exp`, as the
    /// GDHCN's DVC passes are (an ICVP vaccination can be valid for life;
    /// its own `vls`/`vle` bound it). Verifiers accept such a pass only
    /// under their policy ([`crate::VerifierBuilder::accept_missing_exp`],
    /// on for DVC by default).
    ///
    /// # Errors
    /// [`Error::Issuing`] for any payload but a DVC; as [`Issuer::issue`].
    pub fn issue_without_expiry(
        &self,
        payload: &Payload,
        issued_at: UnixTime,
    ) -> Result<String, Error> {
        if payload.member() != Member::Dvc {
            return Err(Error::Issuing("only a dvc may be issued without exp"));
        }
        let claims = Claims {
            issuer: self.credential.signer().country().map(str::to_owned),
            issued_at,
            expires: None,
        };
        let cose = self.sign_with_claims(payload, claims)?;
        transport::encode_text(&cose)
    }

    fn sign_with_claims(&self, payload: &Payload, claims: Claims) -> Result<Vec<u8>, Error> {
        payload.validate_schema().map_err(Error::Schema)?;
        match payload.member() {
            // The pass-kind key usages are the EU DCC's.
            Member::EuDcc => {
                check_plausible(payload.as_json(), claims.issued_at)?;
                self.check(Some(payload.entry()?.kind()), claims.issued_at)?;
            }
            _ => self.check(None, claims.issued_at)?,
        }
        let body = cwt::encode(&claims, payload);
        self.sign_cwt(&body)
    }

    /// Turns a verified pass into a light pass (`LT1:…`): the holder's name
    /// and date of birth, no health data, issued at `now` and valid for
    /// `valid_for` (see [`DEFAULT_LIGHT_VALIDITY`]; at most
    /// [`MAX_LIGHT_VALIDITY`]) but never beyond the original's validity.
    ///
    /// The light pass carries the source's revocation hashes (see the
    /// [`crate::revocation`] docs), so that a list revoking the source
    /// catches it too. Verify the source with the revocation lists you
    /// enforce: a revoked source never verifies, so it never gets here.
    ///
    /// # Errors
    /// [`Error::Issuing`] for a source that is itself a light pass or a
    /// validity of zero or above [`MAX_LIGHT_VALIDITY`];
    /// [`Error::Expired`] if the original is no longer valid at `now`;
    /// [`Error::Schema`] if its name or date of birth break the schema;
    /// [`Error::KindNotAllowed`] if this issuer's certificate is restricted
    /// to some pass kinds (light passes need an unrestricted signer);
    /// as [`Issuer::issue`] otherwise.
    pub fn issue_light(
        &self,
        source: &VerifiedPass,
        now: UnixTime,
        valid_for: Duration,
    ) -> Result<String, Error> {
        if source.kind() == PassKind::Light {
            return Err(Error::Issuing("the source is already a light pass"));
        }
        if source.member() != Member::EuDcc {
            return Err(Error::Issuing("light passes are made from eu dcc passes"));
        }
        if valid_for > MAX_LIGHT_VALIDITY {
            return Err(Error::Issuing("a light pass is valid for at most 7 days"));
        }
        let wanted = Validity::starting(now, valid_for)?;
        let until = source.valid_until().unwrap_or(wanted.expires());
        if now > until {
            return Err(Error::Expired {
                at: now,
                expired_at: until,
            });
        }
        let validity = Validity::new(now, wanted.expires().min(until))?;
        let mut hashes = source
            .hash_inputs()
            .source_hashes()
            .ok_or(Error::Issuing("the source has no signature to hash"))?;
        hashes.made_from = Some(source.kind());
        let holder = source.holder();
        let name = HolderName {
            family_name: holder.family_name.clone(),
            family_name_std: holder.family_name_std.clone(),
            given_name: holder.given_name.clone(),
            given_name_std: holder.given_name_std.clone(),
        };
        let payload = light_payload(&name, &holder.date_of_birth)?;
        payload.validate_light_schema().map_err(Error::Schema)?;
        self.check(Some(PassKind::Light), now)?;
        let body = cwt::encode_light(&self.claims(validity), &payload, &hashes);
        let cose = self.sign_cwt(&body)?;
        transport::encode_text_with(Prefix::Lt1, &cose)
    }

    /// As [`Issuer::issue_light`], at a gate that admits under `rules` and
    /// `policy`: the source must be admitted there at `now`, and so must
    /// the light pass made from it (checked by verifying it), so that a
    /// light pass never carries past the gate what the gate refuses (a
    /// test too old, a vaccination outside the policy's window). The light
    /// pass records which kind of pass it was made from (see
    /// [`VerifiedPass::light_source`]), and the presets admit light passes
    /// made from tests nowhere: a light pass outlives its test.
    ///
    /// # Errors
    /// [`Error::Issuing`] when the rules do not admit the source under the
    /// policy (see [`VerifiedPass::admission`] for why), or would not admit
    /// the light pass; as [`Issuer::issue_light`].
    pub fn issue_light_admitted(
        &self,
        source: &VerifiedPass,
        rules: &crate::rules::RuleSet,
        policy: &crate::rules::Policy,
        now: UnixTime,
        valid_for: Duration,
    ) -> Result<String, Error> {
        if !source.admission(rules, policy, now).is_admitted() {
            return Err(Error::Issuing(
                "the source is not admitted under the policy",
            ));
        }
        let light = self.issue_light(source, now, valid_for)?;
        let own = crate::Verifier::builder()
            .trust_list(self.trust_list()?)
            .build()?;
        if !own
            .verify_hcert(&light, now)?
            .admission(rules, policy, now)
            .is_admitted()
        {
            return Err(Error::Issuing(
                "the policy does not admit a light pass made from this source",
            ));
        }
        Ok(light)
    }

    fn claims(&self, validity: Validity) -> Claims {
        Claims {
            issuer: self.credential.signer().country().map(str::to_owned),
            issued_at: validity.issued_at(),
            expires: Some(validity.expires()),
        }
    }

    /// The signer may sign a pass of this kind (`None`: a DDCC or DVC, to
    /// which the pass-kind key usages do not apply) issued at `issued_at`.
    fn check(&self, kind: Option<PassKind>, issued_at: UnixTime) -> Result<(), Error> {
        let signer = self.credential.signer();
        if kind.is_some_and(|k| !signer.kinds().allows(k)) {
            return Err(Error::KindNotAllowed);
        }
        if !signer.valid_at(issued_at, 0) {
            return Err(Error::SignerNotValid { at: issued_at });
        }
        Ok(())
    }

    fn sign_cwt(&self, body: &[u8]) -> Result<Vec<u8>, Error> {
        // What a verifier will check of the structure, checked here first.
        cwt::check(body)?;
        let protected = cose::protected_header(self.algorithm(), &self.kid());
        self.credential.sign_with_protected(&protected, body)
    }
}

/// What an EU DCC must say to be issued, beyond schema 1.3.3 (which
/// verifiers apply to passes as written, and which allows these): a schema
/// version of the 1.x family this crate writes (at most 1.3), doses from 1
/// to 9 (the bound of the earlier schemas), and the event — vaccination,
/// sample, first positive test — not after the issue time (a day's leeway
/// for time zones). Validity windows (`df`, `du`) may lie ahead.
fn check_plausible(root: &Map<String, Json>, issued_at: UnixTime) -> Result<(), Error> {
    let ver = root.get("ver").and_then(Json::as_str).unwrap_or_default();
    let mut parts = ver.split('.').map(str::parse::<u32>);
    if !matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(Ok(1)), Some(Ok(0..=3)), Some(Ok(_)), None)
    ) {
        return Err(Error::Issuing(
            "ver is not a schema version of this family (1.0.0 to 1.3.x)",
        ));
    }
    let latest = issued_at.saturating_add(86_400);
    for (group, dates) in [("v", &["dt"][..]), ("t", &["sc"]), ("r", &["fr"])] {
        let Some(entry) = root
            .get(group)
            .and_then(Json::as_array)
            .and_then(|a| a.first())
        else {
            continue;
        };
        if group == "v" {
            for dose in ["dn", "sd"] {
                if !entry
                    .get(dose)
                    .and_then(Json::as_f64)
                    .is_some_and(|d| (1.0..=9.0).contains(&d))
                {
                    return Err(Error::Issuing("dn and sd must be from 1 to 9"));
                }
            }
        }
        for field in dates {
            let Some(text) = entry.get(*field).and_then(Json::as_str) else {
                continue;
            };
            let b = text.as_bytes();
            let at = crate::time::parse_date_time(b).or_else(|| {
                crate::time::parse_full_date(b.get(..10)?)
                    .map(|days| UnixTime::from_secs(days.saturating_mul(86_400)))
            });
            if at.is_some_and(|at| at > latest) {
                return Err(Error::Issuing(
                    "the vaccination, test or first positive test is dated after the issue time",
                ));
            }
        }
    }
    Ok(())
}

fn light_payload(name: &HolderName, dob: &str) -> Result<Payload, Error> {
    let mut root = Map::new();
    root.insert("ver".into(), Json::String(SCHEMA_VERSION.into()));
    root.insert(
        "nam".into(),
        serde_json::to_value(name).map_err(|_| Error::Issuing("cannot encode the name"))?,
    );
    root.insert("dob".into(), Json::String(dob.into()));
    Payload::from_json(Json::Object(root))
}

/// Builds a payload (schema 1.3.3) from typed parts, and checks it.
///
/// Fields left `None` are left out of the payload.
#[derive(Debug, Clone)]
#[must_use]
pub struct PayloadBuilder {
    name: HolderName,
    date_of_birth: String,
    version: String,
    entry: Option<Entry>,
}

impl PayloadBuilder {
    /// Starts a payload for a holder born on `date_of_birth` (`YYYY-MM-DD`,
    /// `YYYY-MM`, `YYYY` or empty).
    pub fn new(name: HolderName, date_of_birth: impl Into<String>) -> Self {
        PayloadBuilder {
            name,
            date_of_birth: date_of_birth.into(),
            version: SCHEMA_VERSION.into(),
            entry: None,
        }
    }

    /// The schema version to write (default [`SCHEMA_VERSION`]).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// The entry: a vaccination.
    pub fn vaccination(self, v: Vaccination) -> Self {
        self.entry(Entry::Vaccination(v))
    }

    /// The entry: a test.
    pub fn test(self, t: Test) -> Self {
        self.entry(Entry::Test(t))
    }

    /// The entry: a recovery.
    pub fn recovery(self, r: Recovery) -> Self {
        self.entry(Entry::Recovery(r))
    }

    /// The entry: a medical exemption.
    pub fn exemption(self, e: Exemption) -> Self {
        self.entry(Entry::Exemption(e))
    }

    /// The entry (replaces any set before).
    pub fn entry(mut self, entry: Entry) -> Self {
        self.entry = Some(entry);
        self
    }

    /// The payload, checked against schema 1.3.3 and the value sets.
    ///
    /// # Errors
    /// [`Error::Schema`] listing every violation (a missing entry among
    /// them).
    pub fn build(self) -> Result<Payload, Error> {
        let mut root = Map::new();
        root.insert("ver".into(), Json::String(self.version));
        root.insert("nam".into(), to_object(&self.name)?);
        root.insert("dob".into(), Json::String(self.date_of_birth));
        if let Some(entry) = &self.entry {
            let (group, value) = match entry {
                Entry::Vaccination(v) => ("v", to_object(v)?),
                Entry::Test(t) => ("t", to_object(t)?),
                Entry::Recovery(r) => ("r", to_object(r)?),
                Entry::Exemption(e) => ("e", to_object(e)?),
            };
            root.insert(group.into(), Json::Array(vec![value]));
        }
        let payload = Payload::from_json(Json::Object(root))?;
        payload.validate_schema().map_err(Error::Schema)?;
        Ok(payload)
    }
}

/// A struct as a JSON object without its `None` fields.
fn to_object<T: serde::Serialize>(value: &T) -> Result<Json, Error> {
    match serde_json::to_value(value) {
        Ok(Json::Object(mut m)) => {
            m.retain(|_, v| !v.is_null());
            Ok(Json::Object(m))
        }
        _ => Err(Error::Issuing("cannot encode the payload")),
    }
}

#[cfg(test)]
mod tests {
    use super::SigningKey;
    use super::*;
    use crate::trust::kid_of;

    fn params() -> CertificateParams {
        let validity =
            Validity::new(UnixTime::from_secs(0), UnixTime::from_secs(4_000_000_000)).unwrap();
        CertificateParams::new("XX", "t", validity)
    }

    #[test]
    fn kid_is_derived_from_the_certificate() {
        let key = SigningKey::generate(Algorithm::Es256).unwrap();
        let der = self_signed_certificate(&key, &params()).unwrap();
        let issuer = Issuer::new(Credential::new(key, &der).unwrap());
        assert_eq!(issuer.kid(), kid_of(&der));
        let debug = format!("{issuer:?}");
        assert!(!debug.contains("Es256(") && debug.contains("SigningKey { alg: Es256, .. }"));
    }

    #[test]
    fn a_certificate_for_another_key_is_refused() {
        let key = SigningKey::generate(Algorithm::Es256).unwrap();
        let other = SigningKey::generate(Algorithm::Es256).unwrap();
        let der = self_signed_certificate(&other, &params()).unwrap();
        assert_eq!(
            Credential::new(key, &der).unwrap_err(),
            Error::Key("the certificate is not for this key")
        );
    }
}
