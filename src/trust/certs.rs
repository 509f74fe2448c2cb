//! Reading certificates: the files that hold them (DER, PEM, base64) and
//! the fields the trust modes need (validity, country).

use base64ct::{Base64, Encoding as _};
use x509_cert::der::Decode as _;
use x509_cert::Certificate;

use crate::{Error, UnixTime};

/// The DER of every certificate in a PEM text, one block at a time. Only
/// `CERTIFICATE` blocks are accepted: a private key or anything else in a
/// trust file is an error, not something to skip.
pub(crate) fn pem_blocks(pem: &str) -> impl Iterator<Item = Result<Vec<u8>, Error>> + '_ {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "-----END ";
    let mut rest = pem;
    std::iter::from_fn(move || {
        let start = rest.find(BEGIN)?;
        let after = rest.get(start + BEGIN.len()..).unwrap_or_default();
        let label_end = match after.find("-----") {
            Some(i) => i,
            None => {
                rest = "";
                return Some(Err(Error::Certificate("bad pem")));
            }
        };
        let label = after.get(..label_end).unwrap_or_default();
        let body_and_rest = after.get(label_end + 5..).unwrap_or_default();
        let Some(end) = body_and_rest.find(END) else {
            rest = "";
            return Some(Err(Error::Certificate("bad pem: no end line")));
        };
        let body = body_and_rest.get(..end).unwrap_or_default();
        let tail = body_and_rest.get(end + END.len()..).unwrap_or_default();
        let closing = format!("{label}-----");
        if !tail.starts_with(&closing) {
            rest = "";
            return Some(Err(Error::Certificate("bad pem: end line does not match")));
        }
        rest = tail.get(closing.len()..).unwrap_or_default();
        if label != "CERTIFICATE" {
            return Some(Err(Error::Certificate("pem block is not a certificate")));
        }
        let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        Some(Base64::decode_vec(&compact).map_err(|_| Error::Certificate("bad pem base64")))
    })
}

/// Certificates (DER) read one at a time from a trust file.
pub(crate) type Ders<'a> = Box<dyn Iterator<Item = Result<Vec<u8>, Error>> + 'a>;

/// The DER of every certificate a trust file holds: DER, PEM (one or
/// many), base64 of one DER, or one base64 DER per line; at least one.
/// PEM is read one block at a time.
pub(crate) fn certificate_ders(bytes: &[u8]) -> Result<Ders<'_>, Error> {
    if bytes.first() == Some(&0x30) {
        return Ok(Box::new(std::iter::once(Ok(bytes.to_vec()))));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| Error::Certificate("not der, pem or base64"))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.contains("-----BEGIN") {
        let mut blocks = pem_blocks(text).peekable();
        if blocks.peek().is_none() {
            return Err(Error::Certificate("no certificate in pem"));
        }
        return Ok(Box::new(blocks));
    }
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if let Ok(der) = Base64::decode_vec(&compact) {
        if Certificate::from_der(&der).is_ok() {
            return Ok(Box::new(std::iter::once(Ok(der))));
        }
    }
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Base64::decode_vec(l).map_err(|_| Error::Certificate("not der, pem or base64")))
        .peekable();
    if lines.peek().is_none() {
        return Err(Error::Certificate("no certificate"));
    }
    Ok(Box::new(lines))
}

/// The DER of every certificate in a PEM text (at least one).
#[cfg(feature = "rustcrypto")]
pub(crate) fn pem_certificates(pem: &str) -> Result<Vec<Vec<u8>>, Error> {
    let ders = pem_blocks(pem).collect::<Result<Vec<_>, _>>()?;
    if ders.is_empty() {
        return Err(Error::Certificate("no certificate in pem"));
    }
    Ok(ders)
}

/// A validity window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) not_before: UnixTime,
    pub(crate) not_after: UnixTime,
}

/// The validity of a certificate.
pub(crate) fn validity_of(cert: &Certificate) -> Window {
    let validity = cert.tbs_certificate().validity();
    let secs = |t: x509_cert::time::Time| {
        UnixTime::from_secs(i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX))
    };
    Window {
        not_before: secs(validity.not_before),
        not_after: secs(validity.not_after),
    }
}

/// The country (`C`) of the subject of a DER certificate.
pub(crate) fn country_of_der(der: &[u8]) -> Result<Option<String>, Error> {
    let cert = Certificate::from_der(der).map_err(|_| Error::Certificate("bad der"))?;
    Ok(country_of(&cert))
}

/// The country (`C`) of a certificate's subject.
pub(crate) fn country_of(cert: &Certificate) -> Option<String> {
    cert.tbs_certificate()
        .subject()
        .country()
        .ok()
        .flatten()
        .map(|c| c.as_str().to_owned())
}
