//! The sources a store syncs from, each as its publisher serves it.

mod eu_dcc;
mod eu_rules;
#[cfg(feature = "gdhcn")]
mod gdhcn;
mod signed_file;
mod vci;

use serde::Serialize;

use healthpass::UnixTime;

use crate::http::{shorten, Request, Response, Transport};
use crate::store::Staging;
use crate::SyncError;

pub(crate) use eu_dcc::{certificates as eu_dcc_certificates, open as open_eu_dcc};
pub(crate) use eu_rules::open as open_eu_rules;
#[cfg(feature = "gdhcn")]
pub(crate) use gdhcn::{certificates as gdhcn_certificates, open as open_gdhcn};
pub(crate) use signed_file::{documents, open as open_signed_file, Revocation, Trust};
pub(crate) use vci::open as open_vci;

/// A clock difference between a server and the caller above this is
/// reported (the Swiss SDK's rule): 2 hours.
pub const MAX_SERVER_SKEW_SECS: i64 = 2 * 3600;

/// One source of trust data.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An EU DCC national backend's verifier API (dgca-verifier-service):
    /// `url` is its base, under which `signercertificateStatus` and
    /// `signercertificateUpdate` are found.
    EuDcc {
        /// The API's base URL.
        url: String,
    },
    /// The EU business-rule service (dgca-businessrule-service): rules
    /// and value sets, each document's hash and `X-SIGNATURE` checked.
    EuRules {
        /// The service's base URL.
        url: String,
        /// The key that signs its responses: a certificate or a public key
        /// (PEM or DER; P-256).
        key: Vec<u8>,
    },
    /// The VCI directory snapshot of SMART Health Card issuers: `url` is
    /// the snapshot's (`…/vci_snapshot.json`); its detached signature is
    /// fetched beside it (`…/vci_snapshot.sig`).
    Vci {
        /// The snapshot's URL.
        url: String,
        /// The directory's certificate (`vci_snapshot.crt`), PEM or DER.
        certificate: Vec<u8>,
    },
    /// A WHO GDHCN DID trust list (`did.json`), its proof checked against
    /// the WHO signer's DID document, its DSCs selected by domain.
    #[cfg(feature = "gdhcn")]
    Gdhcn {
        /// The list's URL.
        url: String,
        /// The DID document of the key that signs the list.
        signer: Vec<u8>,
        /// Take keys of these domains only (all when empty).
        domains: Vec<String>,
    },
    /// This crate's own signed trust list, served as a static file (with,
    /// optionally, `URL.seq` and deltas `URL.delta-N`, as
    /// `healthpass store export` writes them).
    TrustList {
        /// The list's URL.
        url: String,
        /// The certificates that sign it (PEM, DER or base64).
        anchors: Vec<u8>,
    },
    /// This crate's own signed revocation list, served as a static file
    /// like [`Source::TrustList`].
    Revocation {
        /// The list's URL.
        url: String,
        /// The certificates that sign it (PEM, DER or base64).
        anchors: Vec<u8>,
    },
}

impl Source {
    /// Its name in reports and in the store: `eu-dcc`, `eu-rules`, `vci`,
    /// `gdhcn`, `trust-list`, `revocation`.
    pub fn name(&self) -> &'static str {
        match self {
            Source::EuDcc { .. } => "eu-dcc",
            Source::EuRules { .. } => "eu-rules",
            Source::Vci { .. } => "vci",
            #[cfg(feature = "gdhcn")]
            Source::Gdhcn { .. } => "gdhcn",
            Source::TrustList { .. } => "trust-list",
            Source::Revocation { .. } => "revocation",
        }
    }

    pub(crate) fn sync(
        &self,
        staging: &mut Staging,
        transport: &dyn Transport,
        now: UnixTime,
    ) -> Result<SourceReport, SyncError> {
        let mut fetch = Fetch {
            transport,
            now,
            skew: None,
        };
        let mut report = match self {
            Source::EuDcc { url } => eu_dcc::sync(url, staging, &mut fetch),
            Source::EuRules { url, key } => eu_rules::sync(url, key, staging, &mut fetch),
            Source::Vci { url, certificate } => vci::sync(url, certificate, staging, &mut fetch),
            #[cfg(feature = "gdhcn")]
            Source::Gdhcn {
                url,
                signer,
                domains,
            } => gdhcn::sync(url, signer, domains, staging, &mut fetch),
            Source::TrustList { url, anchors } => {
                signed_file::sync::<Trust>(url, anchors, staging, &mut fetch)
            }
            Source::Revocation { url, anchors } => {
                signed_file::sync::<Revocation>(url, anchors, staging, &mut fetch)
            }
        }?;
        report.clock_skew_secs = fetch.skew;
        Ok(report)
    }
}

/// What one source's sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The source's name ([`Source::name`]).
    pub source: String,
    /// Brought up to date.
    pub ok: bool,
    /// Entries (certificates, rules, value sets) that are new.
    pub added: usize,
    /// Entries that left the source.
    pub removed: usize,
    /// Entries kept as they were.
    pub unchanged: usize,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// Entries the source sent that were left out, and why (a certificate
    /// whose `X-KID` is not its kid, say).
    #[serde(skip)]
    pub refused: Vec<String>,
    /// How far the server's `Date` was from the caller's time, in seconds
    /// (server minus caller), when above [`MAX_SERVER_SKEW_SECS`].
    #[serde(skip)]
    pub clock_skew_secs: Option<i64>,
}

impl SourceReport {
    pub(crate) fn ok(source: &str) -> Self {
        SourceReport {
            source: source.to_owned(),
            ok: true,
            added: 0,
            removed: 0,
            unchanged: 0,
            error: None,
            refused: Vec::new(),
            clock_skew_secs: None,
        }
    }

    pub(crate) fn failed(source: &str, e: &SyncError) -> Self {
        SourceReport {
            ok: false,
            error: Some(e.to_string()),
            ..SourceReport::ok(source)
        }
    }
}

/// One source's fetching: the transport, the caller's time, the clock
/// skew seen.
pub(crate) struct Fetch<'t> {
    transport: &'t dyn Transport,
    pub(crate) now: UnixTime,
    skew: Option<i64>,
}

impl Fetch<'_> {
    /// GETs `request`; any status but those in `expected` is an error.
    pub(crate) fn get(
        &mut self,
        request: &Request,
        expected: &[u16],
    ) -> Result<Response, SyncError> {
        let response = self.transport.get(request)?;
        if let Some(date) = response.header("date").and_then(parse_http_date) {
            let skew = date.as_secs().saturating_sub(self.now.as_secs());
            if skew.abs() > MAX_SERVER_SKEW_SECS {
                self.skew = Some(skew);
            }
        }
        if expected.contains(&response.status) {
            Ok(response)
        } else {
            Err(SyncError::Source(format!(
                "{}: status {}",
                shorten(&request.url),
                response.status
            )))
        }
    }
}

/// `base` joined with `path` (one slash between).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// An HTTP date (IMF-fixdate, RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_http_date(text: &str) -> Option<UnixTime> {
    let mut parts = text.split_ascii_whitespace();
    let _weekday = parts.next()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| Some(*m) == parts.clone().next())?
        + 1;
    let _ = parts.next();
    let year: u32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || time.len() != 8 {
        return None;
    }
    UnixTime::parse_rfc3339(&format!("{year:04}-{month:02}-{day:02}T{time}Z")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").map(UnixTime::as_secs),
            Some(784_111_777)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
