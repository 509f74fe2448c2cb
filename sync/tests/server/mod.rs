//! Loopback servers that implement the publishers' APIs as their reference
//! code does (status codes, headers, paging, hashes, signatures), for the
//! sync tests: a small HTTP/1.1 server (one thread per connection,
//! `Connection: close`) and the three services on top of it, each with the
//! faults a test can switch on.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64ct::{Base64, Encoding as _};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{DerSignature, SigningKey};
use sha2::{Digest as _, Sha256};

/// One request, as the handler sees it.
pub struct Req {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One response, and how to misbehave while sending it.
#[derive(Default, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Declare this Content-Length but send the body as is (cut short).
    pub declared_len: Option<usize>,
}

impl Resp {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Resp {
            status,
            body: body.into(),
            ..Resp::default()
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Handler = Arc<dyn Fn(&Req) -> Resp + Send + Sync>;

/// A running server; stops accepting when dropped.
pub struct Server {
    pub url: String,
    pub requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(
            self.url
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap(),
        );
    }
}

pub fn serve(handler: Handler) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let (stop2, requests2) = (stop.clone(), requests.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stop2.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let handler = handler.clone();
            let requests = requests2.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &*handler, &requests);
            });
        }
    });
    Server {
        url,
        requests,
        stop,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// The server's clock, offset by this many seconds (for the skew test).
pub static CLOCK_OFFSET: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn http_date(offset: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + offset;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{wd}, {d:02} {mon} {y} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn answer(
    stream: TcpStream,
    handler: &dyn Fn(&Req) -> Resp,
    requests: &AtomicUsize,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some("GET"), Some(path)) = (parts.next(), parts.next()) else {
        return Ok(());
    };
    let path = path.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_owned(), v.trim().to_owned()));
        }
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let resp = handler(&Req { path, headers });
    if let Some(d) = resp.delay {
        std::thread::sleep(d);
    }
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    head.push_str(&format!(
        "Date: {}\r\n",
        http_date(CLOCK_OFFSET.load(Ordering::SeqCst))
    ));
    for (n, v) in &resp.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if resp.status != 204 && resp.status != 304 {
        let len = resp.declared_len.unwrap_or(resp.body.len());
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(&resp.body)?;
    out.flush()?;
    let _ = reader.read(&mut [0u8; 1]);
    Ok(())
}

/// The EU DCC verifier API (dgca-verifier-service): certificates in
/// insertion order, each with an id; `signercertificateUpdate` answers the
/// first certificate after the X-RESUME-TOKEN (the id of the last one
/// sent) with X-KID and X-RESUME-TOKEN, 204 after the last;
/// `signercertificateStatus` lists the valid kids.
#[derive(Default)]
pub struct Dgca {
    /// (id, kid as the header carries it, body: base64 DER).
    pub certs: Vec<(u64, String, String)>,
    /// Kids the status list names.
    pub valid: Vec<String>,
    pub next_id: u64,
    /// Faults.
    pub fail_status: Option<u16>,
    pub fail_update_after: Option<usize>,
    pub delay: Option<Duration>,
}

impl Dgca {
    pub fn add(&mut self, der: &[u8]) -> String {
        let kid = Base64::encode_string(&Sha256::digest(der)[..8]);
        self.add_with_kid(der, &kid);
        self.valid.push(kid.clone());
        kid
    }

    pub fn add_with_kid(&mut self, der: &[u8], kid: &str) {
        self.next_id += 1;
        self.certs
            .push((self.next_id, kid.to_owned(), Base64::encode_string(der)));
    }

    pub fn remove(&mut self, kid: &str) {
        self.valid.retain(|k| k != kid);
    }

    pub fn serve(state: Arc<Mutex<Dgca>>) -> Server {
        let served = Arc::new(AtomicUsize::new(0));
        serve(Arc::new(move |req: &Req| {
            let s = state.lock().unwrap();
            let mut resp = if let Some(status) = s.fail_status {
                Resp::new(status, "error")
            } else if req.path.ends_with("/signercertificateStatus") {
                Resp::new(200, serde_json::to_vec(&s.valid).unwrap())
                    .header("Content-Type", "application/json")
            } else if req.path.ends_with("/signercertificateUpdate") {
                let n = served.fetch_add(1, Ordering::SeqCst);
                if s.fail_update_after.is_some_and(|after| n >= after) {
                    Resp::new(500, "error")
                } else {
                    let after: u64 = req
                        .header("X-RESUME-TOKEN")
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0);
                    match s.certs.iter().find(|(id, _, _)| *id > after) {
                        Some((id, kid, raw)) => Resp::new(200, raw.clone())
                            .header("X-KID", kid)
                            .header("X-RESUME-TOKEN", &id.to_string())
                            .header("Content-Type", "text/plain"),
                        None => Resp::new(204, ""),
                    }
                }
            } else {
                Resp::new(404, "")
            };
            resp.delay = s.delay;
            resp
        }))
    }
}

/// The EU business-rule service (dgca-businessrule-service): `/rules`,
/// `/rules/{country}/{hash}`, `/valuesets`, `/valuesets/{hash}`, every
/// response signed (X-SIGNATURE: base64 of a DER ECDSA P-256 signature
/// over the body).
pub struct RuleService {
    pub key: SigningKey,
    /// (identifier, version, country, body).
    pub rules: Vec<(String, String, String, Vec<u8>)>,
    /// (id, body).
    pub value_sets: Vec<(String, Vec<u8>)>,
    /// Faults: sign with this other key; serve this body instead of the
    /// one hashed for a path; count requests per path.
    pub wrong_key: Option<SigningKey>,
    pub tampered: BTreeMap<String, Vec<u8>>,
    pub fetched: BTreeMap<String, usize>,
}

pub fn sha256_hex(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl RuleService {
    pub fn new(key: SigningKey) -> Self {
        RuleService {
            key,
            rules: Vec::new(),
            value_sets: Vec::new(),
            wrong_key: None,
            tampered: BTreeMap::new(),
            fetched: BTreeMap::new(),
        }
    }

    fn signed(&self, body: Vec<u8>) -> Resp {
        let key = self.wrong_key.as_ref().unwrap_or(&self.key);
        let sig: DerSignature = key.sign(&body);
        Resp::new(200, body)
            .header("Content-Type", "application/json")
            .header("X-SIGNATURE", &Base64::encode_string(sig.as_bytes()))
    }

    pub fn serve(state: Arc<Mutex<RuleService>>) -> Server {
        serve(Arc::new(move |req: &Req| {
            let mut s = state.lock().unwrap();
            *s.fetched.entry(req.path.clone()).or_default() += 1;
            let path = req.path.as_str();
            if let Some(body) = s.tampered.get(path).cloned() {
                return s.signed(body);
            }
            if path.ends_with("/rules") {
                let list: Vec<_> = s
                    .rules
                    .iter()
                    .map(|(id, v, c, b)| {
                        serde_json::json!({"identifier": id, "version": v, "country": c, "hash": sha256_hex(b)})
                    })
                    .collect();
                return s.signed(serde_json::to_vec(&list).unwrap());
            }
            if path.ends_with("/valuesets") {
                let list: Vec<_> = s
                    .value_sets
                    .iter()
                    .map(|(id, b)| serde_json::json!({"id": id, "hash": sha256_hex(b)}))
                    .collect();
                return s.signed(serde_json::to_vec(&list).unwrap());
            }
            let hash = path.rsplit('/').next().unwrap_or_default().to_owned();
            if path.contains("/rules/") {
                if let Some((_, _, _, b)) = s.rules.iter().find(|r| sha256_hex(&r.3) == hash) {
                    let b = b.clone();
                    return s.signed(b);
                }
            }
            if path.contains("/valuesets/") {
                if let Some((_, b)) = s.value_sets.iter().find(|v| sha256_hex(&v.1) == hash) {
                    let b = b.clone();
                    return s.signed(b);
                }
            }
            Resp::new(404, "")
        }))
    }
}

/// A static file with an ETag (a CDN): 304 to a matching If-None-Match.
/// Static files by path, as a web server or CDN serves them: an `ETag`
/// per file, 304 to a matching `If-None-Match`, 404 for what is not there.
#[derive(Default)]
pub struct StaticFiles {
    pub files: BTreeMap<String, Vec<u8>>,
    /// The paths requested, in order.
    pub log: Vec<String>,
}

impl StaticFiles {
    pub fn serve(state: Arc<Mutex<StaticFiles>>) -> Server {
        serve(Arc::new(move |req: &Req| {
            let mut s = state.lock().unwrap();
            s.log.push(req.path.clone());
            let Some(body) = s.files.get(&req.path) else {
                return Resp::new(404, "");
            };
            let etag = format!("\"{}\"", &sha256_hex(body)[..16]);
            if req.header("If-None-Match") == Some(etag.as_str()) {
                return Resp::new(304, "").header("ETag", &etag);
            }
            Resp::new(200, body.clone()).header("ETag", &etag)
        }))
    }

    pub fn put(&mut self, path: &str, body: impl Into<Vec<u8>>) {
        self.files.insert(path.to_owned(), body.into());
    }
}

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The real business rules of four countries (dgc-business-rules-testdata).
pub fn rule_files() -> Vec<(String, String, String, Vec<u8>)> {
    rules_of(&["AT", "DE", "NL", "CZ"])
}

/// Every real business rule of the test data (194, 14 countries and EU).
pub fn rule_files_all() -> Vec<(String, String, String, Vec<u8>)> {
    let base = format!("{ROOT}/tests/data/dgc-business-rules-testdata");
    let mut countries: Vec<String> = std::fs::read_dir(&base)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    countries.sort();
    let refs: Vec<&str> = countries.iter().map(String::as_str).collect();
    rules_of(&refs)
}

fn rules_of(countries: &[&str]) -> Vec<(String, String, String, Vec<u8>)> {
    let base = format!("{ROOT}/tests/data/dgc-business-rules-testdata");
    let mut rules = Vec::new();
    for country in countries {
        let mut ids: Vec<_> = std::fs::read_dir(format!("{base}/{country}"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("rule.json").exists())
            .collect();
        ids.sort();
        for dir in ids {
            let body = std::fs::read(dir.join("rule.json")).unwrap();
            let rule: serde_json::Value = serde_json::from_slice(&body).unwrap();
            rules.push((
                rule["Identifier"].as_str().unwrap().to_owned(),
                rule["Version"].as_str().unwrap().to_owned(),
                rule["Country"].as_str().unwrap().to_owned(),
                body,
            ));
        }
    }
    rules
}

/// The real value sets, as the service serves each.
pub fn value_sets() -> Vec<(String, Vec<u8>)> {
    let text = std::fs::read_to_string(format!(
        "{ROOT}/tests/data/dgc-business-rules-testdata/valueSets.json"
    ))
    .unwrap();
    let sets: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    sets.into_iter()
        .map(|(id, codes)| {
            let values: serde_json::Map<_, _> = codes
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c.as_str().unwrap().to_owned(),
                        serde_json::json!({"display": c, "lang": "en", "active": true, "version": "", "system": ""}),
                    )
                })
                .collect();
            let doc = serde_json::json!({"valueSetId": id, "valueSetDate": "2021-10-01", "valueSetValues": values});
            (id, serde_json::to_vec(&doc).unwrap())
        })
        .collect()
}
