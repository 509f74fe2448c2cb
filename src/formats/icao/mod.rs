//! ICAO Visible Digital Seals for non-constrained environments (VDS-NC):
//! the JSON seals of vaccination (`icao.vacc`) and test (`icao.test`)
//! some states print as QR codes.
//!
//! A seal is `{"data": {"hdr": {"t", "v", "is"}, "msg": {…}}, "sig":
//! {"alg", "cer", "sigvl"}}`. `sigvl` is the signature (ES256 or ES384,
//! r‖s) over the RFC 8785 canonical form of `data`; `cer` is the signer
//! certificate itself. Trust does not come from the seal: its certificate
//! must be one the verifier's [`TrustList`] pins, or be
//! issued by a configured country signing CA of the seal's country `is`
//! (ICAO master-list CSCAs, given to
//! [`VerifierBuilder::seal_cscas`](crate::VerifierBuilder::seal_cscas) or
//! as the trust list's own CSCAs in the chained mode), and be valid at the
//! time of verification.
//!
//! Seals are verified through
//! [`Verifier::verify`](crate::Verifier::verify) and
//! [`Verifier::verdict`](crate::Verifier::verdict), which recognise them
//! by their opening `{`. ES256, ES384 and ES512 (P-521: in the RustCrypto
//! backend with the `p521` feature) seals are verified.

mod countries;

use std::sync::Arc;

use base64ct::{Base64UrlUnpadded, Encoding as _};
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::Certificate;

use crate::crypto::{Algorithm, PublicKey};
use crate::formats::json::{self, Json};
use crate::holder::{Holder, PassForm};
use crate::trust::certs::{country_of, validity_of};
use crate::trust::chain::check_critical_extensions;
use crate::trust::list::kinds_of;
use crate::trust::{CscaList, PassKinds};
use crate::{Error, PassKind, TrustList, UnixTime};

/// Longest seal text accepted, in bytes (a QR code holds at most 7 089
/// digits or 4 296 alphanumerics; seals are under 3 KiB).
pub const MAX_SEAL_LEN: usize = 16 * 1024;

/// Longest signer certificate a seal may carry, in bytes of DER.
const MAX_CERTIFICATE_LEN: usize = 4096;

/// The seal types this crate reads.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SealType {
    /// `icao.vacc`: proof of vaccination.
    Vaccination,
    /// `icao.test`: proof of testing.
    Test,
}

impl SealType {
    /// `"icao.vacc"` or `"icao.test"`, as the seal's header writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SealType::Vaccination => "icao.vacc",
            SealType::Test => "icao.test",
        }
    }
}

/// A seal whose signature, signer and structure checked out.
///
/// Its `Debug` output leaves the health data out.
#[derive(Clone)]
pub struct VerifiedSeal {
    seal_type: SealType,
    country: String,
    holder: Holder,
    msg: Json,
    signer_country: Option<String>,
    algorithm: Algorithm,
}

impl core::fmt::Debug for VerifiedSeal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedSeal")
            .field("seal_type", &self.seal_type)
            .field("country", &self.country)
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

impl VerifiedSeal {
    /// The type of seal.
    pub fn seal_type(&self) -> SealType {
        self.seal_type
    }

    /// The form a verdict shows: `icao-vacc` or `icao-test`.
    pub fn form(&self) -> PassForm {
        match self.seal_type {
            SealType::Vaccination => PassForm::IcaoVaccination,
            SealType::Test => PassForm::IcaoTest,
        }
    }

    /// The issuing country as the seal names it (`hdr.is`, ICAO 9303
    /// three-letter code).
    pub fn issuing_country(&self) -> &str {
        &self.country
    }

    /// The holder (`msg.pid`: `n` and `dob`).
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// A seal carries no validity period of its own (the ICAO guidelines
    /// leave it to the receiving state): always `None`.
    pub fn valid_until(&self) -> Option<UnixTime> {
        None
    }

    /// The signer certificate's country (`C`).
    pub fn signer_country(&self) -> Option<&str> {
        self.signer_country.as_deref()
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Health data: the seal's whole `msg` (vaccination events or test
    /// result, with the holder's identifiers), as JSON. Ask for it only
    /// when the use case needs it.
    pub fn message_json(&self) -> serde_json::Value {
        self.msg.to_serde()
    }
}

/// What an unverified seal says, for inspection (health data included).
#[derive(Debug, Clone)]
pub struct DecodedSeal {
    /// The seal type as written (`hdr.t`).
    pub seal_type: String,
    /// The issuing country as written (`hdr.is`).
    pub country: String,
    /// The signature algorithm as written (`sig.alg`).
    pub algorithm: String,
    /// The signer certificate's country (`C`), if `sig.cer` is a
    /// certificate that names one.
    pub signer_country: Option<String>,
    /// The seal's `msg`.
    pub message: serde_json::Value,
}

/// Decodes a seal without verifying it (for `inspect`): neither the
/// signature nor the signer is checked.
///
/// # Errors
/// [`Error::InputTooLong`], [`Error::Json`], [`Error::Seal`].
pub fn decode(text_in: &str) -> Result<DecodedSeal, Error> {
    let text_in = text_in.trim();
    if text_in.len() > MAX_SEAL_LEN {
        return Err(Error::InputTooLong {
            len: text_in.len(),
            max: MAX_SEAL_LEN,
        });
    }
    let seal = json::parse(text_in)?;
    let data = field(&seal, "data", "no data")?;
    let hdr = field(data, "hdr", "no data.hdr")?;
    let sig = field(&seal, "sig", "no sig")?;
    let signer_country = sig
        .get("cer")
        .and_then(Json::as_str)
        .and_then(base64url)
        .and_then(|der| Certificate::from_der(&der).ok())
        .and_then(|c| country_of(&c));
    Ok(DecodedSeal {
        seal_type: text(hdr, "t", "no data.hdr.t")?.to_owned(),
        country: text(hdr, "is", "no data.hdr.is")?.to_owned(),
        algorithm: text(sig, "alg", "no sig.alg")?.to_owned(),
        signer_country,
        message: field(data, "msg", "no data.msg")?.to_serde(),
    })
}

/// Decodes base64url, with or without padding (seals carry both).
pub(crate) fn base64url(text: &str) -> Option<Vec<u8>> {
    Base64UrlUnpadded::decode_vec(text.trim_end_matches('=')).ok()
}

/// What the trust decision needs: where CSCAs come from, the clock.
pub(crate) struct SealTrust<'a> {
    pub(crate) pinned: &'a TrustList,
    pub(crate) cscas: &'a [&'a CscaList],
    pub(crate) now: UnixTime,
    pub(crate) skew: i64,
}

fn field<'a>(v: &'a Json, key: &str, what: &'static str) -> Result<&'a Json, Error> {
    v.get(key).ok_or(Error::Seal(what))
}

fn text<'a>(v: &'a Json, key: &str, what: &'static str) -> Result<&'a str, Error> {
    field(v, key, what)?.as_str().ok_or(Error::Seal(what))
}

/// Verifies a seal's text.
pub(crate) fn verify(text_in: &str, trust: &SealTrust<'_>) -> Result<VerifiedSeal, Error> {
    if text_in.len() > MAX_SEAL_LEN {
        return Err(Error::InputTooLong {
            len: text_in.len(),
            max: MAX_SEAL_LEN,
        });
    }
    let seal = json::parse(text_in)?;
    let members = seal.as_object().ok_or(Error::Seal("not a json object"))?;
    if members.iter().any(|(k, _)| k != "data" && k != "sig") {
        return Err(Error::Seal("a member other than data and sig"));
    }
    let data = field(&seal, "data", "no data")?;
    let sig = field(&seal, "sig", "no sig")?;
    // The signature covers data only: nothing unsigned rides beside it.
    let sig_members = sig.as_object().ok_or(Error::Seal("sig is not an object"))?;
    if sig_members
        .iter()
        .any(|(k, _)| !matches!(k.as_str(), "alg" | "cer" | "sigvl"))
    {
        return Err(Error::Seal("a member of sig other than alg, cer and sigvl"));
    }
    let hdr = field(data, "hdr", "no data.hdr")?;
    let msg = field(data, "msg", "no data.msg")?;
    if msg.as_object().is_none() {
        return Err(Error::Seal("data.msg is not an object"));
    }
    let seal_type = match text(hdr, "t", "no data.hdr.t")? {
        "icao.vacc" => SealType::Vaccination,
        "icao.test" => SealType::Test,
        _ => {
            return Err(Error::Unsupported(
                "icao seal type (icao.vacc and icao.test are read)",
            ))
        }
    };
    if field(hdr, "v", "no data.hdr.v")?.as_f64() != Some(1.0) {
        return Err(Error::Unsupported("icao seal version (1 is read)"));
    }
    let country = text(hdr, "is", "no data.hdr.is")?;
    let country2 = countries::alpha2(country).ok_or(Error::Seal("unknown issuing country"))?;

    let (algorithm, sig_len) = match text(sig, "alg", "no sig.alg")? {
        "ES256" => (Algorithm::Es256, 64),
        "ES384" => (Algorithm::Es384, 96),
        "ES512" => (Algorithm::Es512, 132),
        _ => return Err(Error::Unsupported("seal signature algorithm")),
    };
    let der = base64url(text(sig, "cer", "no sig.cer")?)
        .ok_or(Error::Seal("sig.cer is not base64url"))?;
    if der.len() > MAX_CERTIFICATE_LEN {
        return Err(Error::Seal("sig.cer is too long"));
    }
    let signature = base64url(text(sig, "sigvl", "no sig.sigvl")?)
        .ok_or(Error::Seal("sig.sigvl is not base64url"))?;

    let TrustedSigner {
        key,
        country: signer_country,
        kinds,
    } = trusted_key(&der, country2, trust)?;
    if key.algorithm() != algorithm {
        return Err(Error::AlgorithmKeyMismatch);
    }
    if signature.len() != sig_len {
        return Err(Error::BadSignature);
    }
    key.verify(data.canonical().as_bytes(), &signature)?;
    // A signer restricted to some kinds of pass (its extended key usage, or
    // a signed trust list's entry) signs seals of those kinds only.
    let kind = match seal_type {
        SealType::Vaccination => PassKind::Vaccination,
        SealType::Test => PassKind::Test,
    };
    if !kinds.allows(kind) {
        return Err(Error::KindNotAllowed);
    }

    let pid = field(msg, "pid", "no msg.pid")?;
    let name = text(pid, "n", "no msg.pid.n")?;
    if name.trim().is_empty() {
        return Err(Error::Seal("msg.pid.n is empty"));
    }
    let dob = match pid.get("dob") {
        None => "",
        Some(d) => d.as_str().ok_or(Error::Seal("msg.pid.dob is not text"))?,
    };
    match seal_type {
        SealType::Vaccination => {
            let ve = field(msg, "ve", "no msg.ve")?.as_array();
            if ve.is_none_or(<[Json]>::is_empty) {
                return Err(Error::Seal("msg.ve is not a list of vaccinations"));
            }
        }
        SealType::Test => {
            if field(msg, "tr", "no msg.tr")?.as_object().is_none() {
                return Err(Error::Seal("msg.tr is not an object"));
            }
        }
    }
    Ok(VerifiedSeal {
        seal_type,
        country: country.to_owned(),
        holder: Holder::full(name.to_owned(), dob.to_owned()),
        msg: msg.clone(),
        signer_country,
        algorithm,
    })
}

/// A seal signer the verifier trusts: its key, country, and the kinds of
/// pass it may sign.
struct TrustedSigner {
    key: Arc<dyn PublicKey>,
    country: Option<String>,
    kinds: PassKinds,
}

/// The seal signer, if the verifier trusts its certificate now: a pinned
/// certificate, or one a CSCA of the seal's country issued.
fn trusted_key(der: &[u8], country2: &str, trust: &SealTrust<'_>) -> Result<TrustedSigner, Error> {
    let in_window = |not_before: UnixTime, not_after: UnixTime| {
        trust.now.saturating_add(trust.skew) >= not_before
            && trust.now.saturating_sub(trust.skew) <= not_after
    };
    let wrong_country =
        || Error::UntrustedSigner("the seal's country is not its signer certificate's");
    // A pinned signer: found by its digest, parsed when it was loaded.
    if let Some(signer) = trust.pinned.signer_of_certificate(der) {
        if signer.country() != Some(country2) {
            return Err(wrong_country());
        }
        if !in_window(signer.not_before(), signer.not_after()) {
            return Err(Error::SignerNotValid { at: trust.now });
        }
        return Ok(TrustedSigner {
            key: Arc::clone(&signer.key),
            country: signer.country().map(str::to_owned),
            kinds: signer.kinds(),
        });
    }
    let cert =
        Certificate::from_der(der).map_err(|_| Error::Seal("sig.cer is not a certificate"))?;
    let signer_country = country_of(&cert);
    if signer_country.as_deref() != Some(country2) {
        return Err(wrong_country());
    }
    if trust.cscas.iter().all(|c| c.is_empty()) {
        return Err(Error::UntrustedSigner(
            "the seal's signer certificate is not pinned, and no csca is configured",
        ));
    }
    check_critical_extensions(&cert)?;
    if let Ok(Some((_, bc))) = cert.tbs_certificate().get_extension::<BasicConstraints>() {
        if bc.ca {
            return Err(Error::UntrustedSigner("a ca certificate cannot sign seals"));
        }
    }
    let own = validity_of(&cert);
    let mut last = Error::UntrustedSigner("no configured csca issued the seal's signer");
    for cscas in trust.cscas {
        match cscas.chain(der, &cert) {
            Ok(ca) => {
                let not_before = own.not_before.max(ca.not_before);
                let not_after = own.not_after.min(ca.not_after);
                if !in_window(not_before, not_after) {
                    return Err(Error::SignerNotValid { at: trust.now });
                }
                let spki = cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .map_err(|_| Error::Seal("bad signer key"))?;
                let key = trust.pinned.backend().parse_public_key(&spki)?;
                return Ok(TrustedSigner {
                    key,
                    country: signer_country,
                    kinds: kinds_of(&cert)?,
                });
            }
            Err(Error::Certificate(reason)) => last = Error::UntrustedSigner(reason),
            Err(e) => last = e,
        }
    }
    Err(last)
}
