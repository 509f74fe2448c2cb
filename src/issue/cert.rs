//! Self-signed signer certificates (DSC) for a [`SigningKey`]: subject
//! `C=<country>, CN=<name>`, a validity period, and an extended key usage
//! naming the pass kinds when the signer is restricted to some.

use std::str::FromStr as _;
use std::time::Duration;

use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::CertificateBuilder;
use x509_cert::certificate::TbsCertificate;
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension as _};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use x509_cert::time::Time;

use super::signing_key::SigningKey;
use crate::signed::Validity;
use crate::trust::eku_oid;
use crate::{Error, PassKind, UnixTime};

/// What goes into a self-signed signer certificate.
#[derive(Debug, Clone)]
#[must_use]
pub struct CertificateParams {
    country: String,
    common_name: String,
    validity: Validity,
    kinds: Vec<PassKind>,
}

impl CertificateParams {
    /// A certificate for `country` (ISO 3166-1 alpha-2, written as `C=`;
    /// verifiers show it as the signer's country) named `common_name`
    /// (`CN=`), valid from the validity's start to its end, unrestricted.
    pub fn new(
        country: impl Into<String>,
        common_name: impl Into<String>,
        validity: Validity,
    ) -> Self {
        CertificateParams {
            country: country.into(),
            common_name: common_name.into(),
            validity,
            kinds: Vec::new(),
        }
    }

    /// Restricts the signer to these pass kinds, written as extended key
    /// usages. Empty (the default): unrestricted (no pass-kind EKU), which
    /// exemption and light passes require.
    pub fn kinds(mut self, kinds: Vec<PassKind>) -> Self {
        self.kinds = kinds;
        self
    }
}

struct SelfSigned {
    subject: Name,
    kinds: Vec<PassKind>,
}

impl BuilderProfile for SelfSigned {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut out = Vec::new();
        let usage = KeyUsage(KeyUsages::DigitalSignature.into());
        out.push((&usage).to_extension(tbs.subject(), &[])?);
        let oids: Vec<_> = self.kinds.iter().filter_map(|k| eku_oid(*k)).collect();
        if !oids.is_empty() {
            out.push((&ExtendedKeyUsage(oids)).to_extension(tbs.subject(), &[])?);
        }
        Ok(out)
    }
}

fn x509_time(t: UnixTime) -> Result<Time, Error> {
    let secs = u64::try_from(t.as_secs()).map_err(|_| Error::Certificate("time before 1970"))?;
    let dt = x509_cert::der::DateTime::from_unix_duration(Duration::from_secs(secs))
        .map_err(|_| Error::Certificate("time out of range"))?;
    Ok(Time::from(dt))
}

/// Builds a self-signed certificate for `key` and returns its DER.
///
/// # Errors
/// [`Error::Certificate`] for a country that is not two letters A–Z or a
/// name that cannot be encoded;
/// [`Error::Key`] / [`Error::Random`] if signing fails.
pub fn self_signed_certificate(
    key: &SigningKey,
    params: &CertificateParams,
) -> Result<Vec<u8>, Error> {
    let cc = params.country.as_bytes();
    if cc.len() != 2 || !cc.iter().all(u8::is_ascii_uppercase) {
        return Err(Error::Certificate("the country must be two letters A-Z"));
    }
    if params.common_name.is_empty()
        || params
            .common_name
            .chars()
            .any(|c| matches!(c, ',' | '+' | '=' | '\\' | '"' | '<' | '>' | ';') || c.is_control())
    {
        return Err(Error::Certificate(
            "the common name must be non-empty, without , + = \\ \" < > ; or control characters",
        ));
    }
    let subject = Name::from_str(&format!("CN={},C={}", params.common_name, params.country))
        .map_err(|_| Error::Certificate("cannot encode the subject name"))?;
    let spki_der = key.public_key_der()?;
    let spki = SubjectPublicKeyInfo::from_der(&spki_der)
        .map_err(|_| Error::Key("cannot encode the public key"))?;
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|_| Error::Random)?;
    serial[0] &= 0x7F; // positive
    serial[0] |= 0x01; // and no leading zero byte
    let serial =
        SerialNumber::new(&serial).map_err(|_| Error::Certificate("cannot encode the serial"))?;
    let validity = x509_cert::time::Validity::new(
        x509_time(params.validity.issued_at())?,
        x509_time(params.validity.expires())?,
    );
    let profile = SelfSigned {
        subject,
        kinds: params.kinds.clone(),
    };
    let builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|_| Error::Certificate("cannot build the certificate"))?;
    let cert = key.self_sign(builder)?;
    cert.to_der()
        .map_err(|_| Error::Certificate("cannot encode the certificate"))
}

/// Wraps DER certificate bytes in PEM (`-----BEGIN CERTIFICATE-----`).
pub fn certificate_pem(der: &[u8]) -> String {
    use base64ct::{Base64, Encoding as _};
    let b64 = Base64::encode_string(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(core::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}
