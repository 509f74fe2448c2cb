//! How documents are fetched: one small [`Transport`] trait (an app, or a C
//! caller, may bring its own HTTP stack), the default [`HttpTransport`]
//! (HTTPS with rustls and Mozilla's roots; plain `http://` only to a
//! loopback address; timeouts; no redirects; bounded bodies), and retry
//! with backoff.

use std::time::Duration;

use crate::SyncError;

/// One GET request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The absolute URL.
    pub url: String,
    /// Extra request headers (`X-RESUME-TOKEN`, `If-None-Match`, …).
    pub headers: Vec<(String, String)>,
    /// The largest body accepted, in bytes: a longer one is an error.
    pub max_body: usize,
}

impl Request {
    /// A GET of `url` with no extra header and the default body bound.
    pub fn get(url: impl Into<String>) -> Self {
        Request {
            url: url.into(),
            headers: Vec::new(),
            max_body: MAX_BODY,
        }
    }

    /// With one more request header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// The default bound on a response body: 16 MiB (the core's bound on a
/// trust directory).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// A response, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, at most the request's bound.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Fetches documents. Implementations must honour [`Request::max_body`]
/// (an error, not a truncated body, past it) and must not follow
/// redirects to another origin without the same checks.
pub trait Transport: Send + Sync {
    /// Performs one GET.
    ///
    /// # Errors
    /// [`SyncError::Transport`] when no response came (connection, TLS,
    /// timeout, a body over the bound or cut short).
    fn get(&self, request: &Request) -> Result<Response, SyncError>;
}

/// Timeouts of the default transport.
#[cfg(feature = "http")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To connect (and finish the TLS handshake), and to send the request.
    pub connect: Duration,
    /// For the response's head, and again for its body.
    pub request: Duration,
}

#[cfg(feature = "http")]
impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// The default transport: HTTPS (rustls, Mozilla's roots); `http://` only
/// to `127.0.0.0/8`, `::1` or `localhost`; redirects refused; timeouts.
#[cfg(feature = "http")]
#[derive(Debug, Clone)]
pub struct HttpTransport {
    agent: ureq::Agent,
}

#[cfg(feature = "http")]
impl HttpTransport {
    /// A transport with these timeouts.
    pub fn new(timeouts: Timeouts) -> Self {
        // Per phase, not one global deadline: with a global deadline ureq
        // resolves names on a thread of its own per request (to time the
        // lookup out), which outlives the call; the system resolver has its
        // own timeouts.
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(timeouts.connect))
            .timeout_send_request(Some(timeouts.connect))
            .timeout_recv_response(Some(timeouts.request))
            .timeout_recv_body(Some(timeouts.request))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("healthpass-sync/", env!("CARGO_PKG_VERSION")))
            .build();
        HttpTransport {
            agent: config.into(),
        }
    }
}

#[cfg(feature = "http")]
impl Default for HttpTransport {
    fn default() -> Self {
        HttpTransport::new(Timeouts::default())
    }
}

/// Whether `url` may be fetched: `https://`, or `http://` to a loopback
/// host.
///
/// # Errors
/// [`SyncError::Transport`] naming the URL otherwise.
pub fn check_url(url: &str) -> Result<(), SyncError> {
    if url.len() > 2048 || url.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return Err(SyncError::Transport(format!("{}: not a url", shorten(url))));
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return Err(SyncError::Transport(format!(
            "{}: only https:// (or http:// to loopback)",
            shorten(url)
        )));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(SyncError::Transport(format!(
            "{}: credentials in a url",
            shorten(url)
        )));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(SyncError::Transport(format!(
            "{}: plain http only to a loopback address",
            shorten(url)
        )))
    }
}

pub(crate) fn shorten(text: &str) -> String {
    let mut s: String = text.chars().take(120).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

#[cfg(feature = "http")]
impl Transport for HttpTransport {
    fn get(&self, request: &Request) -> Result<Response, SyncError> {
        check_url(&request.url)?;
        let failed =
            |e: ureq::Error| SyncError::Transport(format!("{}: {}", shorten(&request.url), e));
        let mut builder = self.agent.get(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let mut response = builder.call().map_err(failed)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let limit = u64::try_from(request.max_body).unwrap_or(u64::MAX);
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => SyncError::Transport(format!(
                    "{}: body larger than {} bytes",
                    shorten(&request.url),
                    request.max_body
                )),
                e => failed(e),
            })?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// Retries a transport's failures (no response, or a 5xx/429 status) with
/// exponential backoff.
pub struct Retry<T> {
    inner: T,
    attempts: u32,
    first_delay: Duration,
    sleep: fn(Duration),
}

impl<T: Transport> Retry<T> {
    /// `attempts` tries in all (at least one), waiting `first_delay`, then
    /// twice as long each time.
    pub fn new(inner: T, attempts: u32, first_delay: Duration) -> Self {
        Retry {
            inner,
            attempts: attempts.max(1),
            first_delay,
            sleep: std::thread::sleep,
        }
    }
}

impl<T> std::fmt::Debug for Retry<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retry")
            .field("attempts", &self.attempts)
            .field("first_delay", &self.first_delay)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Transport for Retry<T> {
    fn get(&self, request: &Request) -> Result<Response, SyncError> {
        let mut delay = self.first_delay;
        let mut tried = 1;
        loop {
            let result = self.inner.get(request);
            let again = match &result {
                Ok(r) => r.status >= 500 || r.status == 429,
                Err(_) => true,
            };
            if !again || tried >= self.attempts {
                return result;
            }
            (self.sleep)(delay);
            delay = delay.saturating_mul(2);
            tried += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "https://dgca-verifier.example/signercertificateStatus",
            "http://127.0.0.1:8080/x",
            "http://[::1]:9/x",
            "http://localhost/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.org/x",
            "http://10.0.0.1/x",
            "http://127.0.0.1.evil.example/x",
            "http://user@127.0.0.1/x",
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
            "https://a b",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
