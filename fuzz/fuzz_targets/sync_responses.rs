//! HTTP responses are input too: every source of healthpass-sync syncs
//! into a scratch store from a transport that answers with the fuzzer's
//! bytes (statuses, the headers each API uses, bodies), then the store is
//! opened and verified again. Nothing may panic or hang; whatever a sync
//! committed must open, or be refused with an error.
//!
//! Input: responses separated by `\n--\n`; in each, byte 0 picks the
//! status, byte 1 which headers are set (X-KID, X-RESUME-TOKEN,
//! X-SIGNATURE, ETag, Date, each from the next 12 bytes), the rest is the
//! body.
#![no_main]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use healthpass::UnixTime;
use healthpass_sync::{Request, Response, Source, Store, SyncError, Transport};
use libfuzzer_sys::fuzz_target;

const SEPARATOR: &[u8] = b"\n--\n";
const STATUSES: [u16; 8] = [200, 200, 200, 204, 304, 404, 500, 200];
const LIST_ANCHOR: &[u8] = include_bytes!("../../tests/data/chains/dsc-p384.pem");
const VCI_CERT: &[u8] = include_bytes!("../../tests/data/directories/vci/vci_snapshot.crt");
// The P-256 key of secret [7; 32] (the sync tests' rule service; seeds are
// signed with it).
const RULES_KEY: &[u8] = b"-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHhhTL9R1TALzBB2cdc6zO4P/2BrH
zk/ogsyxyYvFiW6kbDEcTi/0DdlqNlPm5FRF0y3+SG7O11x6kMahiIHAow==
-----END PUBLIC KEY-----
";

struct Scripted(Mutex<VecDeque<Response>>);

impl Transport for Scripted {
    fn get(&self, request: &Request) -> Result<Response, SyncError> {
        let next = self.0.lock().unwrap().pop_front();
        match next {
            Some(r) if r.body.len() <= request.max_body => Ok(r),
            Some(_) => Err(SyncError::Transport("body over the bound".into())),
            None => Err(SyncError::Transport("no more responses".into())),
        }
    }
}

fn responses(data: &[u8]) -> VecDeque<Response> {
    let mut out = VecDeque::new();
    let mut rest = data;
    while !rest.is_empty() && out.len() < 64 {
        let (chunk, tail) = match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(at) => (&rest[..at], &rest[at + SEPARATOR.len()..]),
            None => (rest, &[][..]),
        };
        rest = tail;
        let status = STATUSES[usize::from(chunk.first().copied().unwrap_or(0) & 7)];
        let mask = chunk.get(1).copied().unwrap_or(0);
        let mut body = chunk.get(2..).unwrap_or_default();
        let mut headers = Vec::new();
        for (bit, name) in ["x-kid", "x-resume-token", "x-signature", "etag", "date"]
            .iter()
            .enumerate()
        {
            if mask & (1 << bit) != 0 {
                let n = body.len().min(12);
                let value = String::from_utf8_lossy(&body[..n]).into_owned();
                body = &body[n..];
                headers.push(((*name).to_owned(), value));
            }
        }
        out.push_back(Response {
            status,
            headers,
            body: body.to_vec(),
        });
    }
    out
}

static RUN: AtomicUsize = AtomicUsize::new(0);

fuzz_target!(|data: &[u8]| {
    let base = std::env::var_os("HP_FUZZ_STORE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("/dev/shm"));
    let dir = base.join(format!(
        "hp-fuzz-store-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let store = Store::new(&dir);
    let now = UnixTime::from_secs(1_796_000_000);
    let sources = [
        Source::EuDcc {
            url: "http://127.0.0.1/dgca".into(),
        },
        Source::EuRules {
            url: "http://127.0.0.1/rules".into(),
            key: RULES_KEY.to_vec(),
        },
        Source::TrustList {
            url: "http://127.0.0.1/list.cose".into(),
            anchors: LIST_ANCHOR.to_vec(),
        },
        Source::Revocation {
            url: "http://127.0.0.1/revoked.cose".into(),
            anchors: LIST_ANCHOR.to_vec(),
        },
        Source::Vci {
            url: "http://127.0.0.1/vci_snapshot.json".into(),
            certificate: VCI_CERT.to_vec(),
        },
    ];
    // Each source takes responses from the same script, in turn; then a
    // second sync on what is left (updates against a held state).
    let transport = Scripted(Mutex::new(responses(data)));
    for _ in 0..2 {
        let reports = store.sync(&sources, &transport, now);
        assert_eq!(reports.len(), sources.len());
        for r in &reports {
            assert_eq!(r.ok, r.error.is_none());
        }
        let _ = store.snapshot(now);
    }
    let _ = std::fs::remove_dir_all(&dir);
});
