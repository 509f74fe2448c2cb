//! `healthpass`: verify, inspect and issue health passes from the command
//! line; make signer keys and QR codes.
//!
//! Exit status: 0 success (valid pass), 1 rejected (for any reason), 2 usage
//! error.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use healthpass::crypto::Algorithm;
use healthpass::issue::{
    certificate_pem, self_signed_certificate, CertificateParams, Issuer, SigningKey,
    DEFAULT_LIGHT_VALIDITY,
};
use healthpass::payload::Payload;
use healthpass::revocation::{
    hash_of_unverified, CountrySource, ExpiredListPolicy, ListDocument, Revocation, RevocationHash,
    RevocationList, StoreMode,
};
use healthpass::trust::PassKind;
use healthpass::{inspect_unverified, TrustList, UnixTime, Verdict, Verifier};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "healthpass",
    version,
    about = "Verify and inspect signed health passes (EU DCC format)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a pass: exit 0 if valid, 1 if rejected, 2 on usage errors.
    Verify {
        /// Trusted signer certificates: DER, PEM (one or many) or base64 of DER. Repeatable; required.
        #[arg(long = "trust", value_name = "FILE")]
        trust: Vec<String>,
        /// Time of verification, RFC 3339 (default: now).
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        at: Option<UnixTime>,
        /// Print one JSON object instead of a sentence.
        #[arg(long)]
        json: bool,
        /// Revocation list (signed or not, from `revocation build`) to check the pass against. Repeatable.
        #[arg(long = "revocation", value_name = "LIST")]
        revocation: Vec<PathBuf>,
        /// Certificates that sign the revocation lists (default: the --trust certificates).
        #[arg(long = "revocation-trust", value_name = "FILE")]
        revocation_trust: Vec<String>,
        /// Read the pass from a QR code in this PNG image instead of INPUT.
        #[arg(long, value_name = "FILE.png", conflicts_with = "input")]
        image: Option<PathBuf>,
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        #[arg(required_unless_present = "image")]
        input: Option<String>,
    },
    /// Decode a pass WITHOUT verifying it and print its claims and payload as JSON.
    Inspect {
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        input: String,
    },
    /// Make a signing key and a self-signed signer certificate: DIR/key.pem, DIR/cert.pem.
    Keygen {
        /// Signature algorithm: es256 (P-256) or ps256 (RSA 3072, PSS).
        #[arg(long, value_enum)]
        alg: Alg,
        /// Country of the signer (ISO 3166-1 alpha-2), written as C= in the certificate.
        #[arg(long, value_name = "CC")]
        country: String,
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Restrict the signer to these pass kinds (extended key usage), e.g. `v,t`.
        /// Default: unrestricted (needed for exemption and light passes).
        #[arg(long, value_name = "v,t,r", value_delimiter = ',', value_parser = parse_kind)]
        kinds: Vec<PassKind>,
        /// Common name of the certificate.
        #[arg(long, value_name = "NAME", default_value = "healthpass signer")]
        name: String,
        /// Days the certificate is valid (from an hour ago).
        #[arg(long, value_name = "N", default_value_t = 730)]
        days: u32,
    },
    /// Sign a pass and print its text (HC1:… or LT1:…) on standard output, nothing else.
    Issue {
        /// The signing key (PKCS#8 PEM).
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// The signer certificate (PEM) that goes with the key.
        #[arg(long, value_name = "CERT")]
        cert: PathBuf,
        /// The payload (schema 1.3.3 JSON with one v, t, r or e entry); checked before signing.
        #[arg(long, value_name = "FILE.json", required_unless_present = "light")]
        payload: Option<PathBuf>,
        /// Issued at, RFC 3339 (default: now). With --light, also the time the source is verified at.
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        iat: Option<UnixTime>,
        /// Expires at, RFC 3339 (default: a year after iat). Not with --light.
        #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "light")]
        exp: Option<UnixTime>,
        /// Make a light pass (LT1:, name and date of birth only) from a verified pass.
        #[arg(long, requires_all = ["from", "trust"], conflicts_with = "payload")]
        light: bool,
        /// With --light: the source pass (text, `-` or `@PATH`).
        #[arg(long, value_name = "INPUT", requires = "light")]
        from: Option<String>,
        /// With --light: certificates that verify the source pass. Repeatable.
        #[arg(long = "trust", value_name = "FILE", requires = "light")]
        trust: Vec<String>,
        /// With --light: how long the light pass is valid (like 48h, 30m, 2d; default 48h),
        /// never beyond the source pass.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "light")]
        valid_for: Option<Duration>,
    },
    /// Build and check revocation lists.
    #[command(subcommand)]
    Revocation(RevocationCommand),
    /// Render a pass as a QR code image (alphanumeric mode, error correction Q).
    Qr {
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        input: String,
        /// Output file; the format follows the extension: .png or .svg.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum RevocationCommand {
    /// Build a revocation list from passes or hashes (one per line; `#` starts a comment).
    Build {
        /// What to hash: uci, cc-uci (country code + UCI) or signature.
        #[arg(long, value_name = "TYPE", value_parser = parse_hash_type)]
        hash_type: healthpass::revocation::HashType,
        /// Input: one pass text (HC1:/LT1:) or one hex hash (32 or 64 digits) per line.
        #[arg(long = "in", value_name = "FILE")]
        input: PathBuf,
        /// Output list file.
        #[arg(long, value_name = "LIST")]
        out: PathBuf,
        /// Sign the list with this key (PKCS#8 PEM); needs --cert.
        #[arg(long, value_name = "KEY", requires = "cert")]
        sign: Option<PathBuf>,
        /// The certificate of the signing key (PEM).
        #[arg(long, value_name = "CERT", requires = "sign")]
        cert: Option<PathBuf>,
        /// List id.
        #[arg(long, value_name = "ID", default_value = "default")]
        list_id: String,
        /// Sequence number.
        #[arg(long, value_name = "N", default_value_t = 1)]
        sequence: u64,
        /// How long the list is valid (like 7d, 12h; default 7d).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        valid_for: Option<Duration>,
        /// For cc-uci from pass texts: the country from the entry's co (default) or the CWT iss.
        #[arg(long, value_name = "co|iss", default_value = "co")]
        country_from: String,
    },
    /// Check one pass against a list: prints `revoked` (exit 1) or `not revoked` (exit 0).
    Check {
        /// The list file.
        #[arg(long, value_name = "LIST")]
        list: PathBuf,
        /// Certificates that sign the list (needed for a signed list).
        #[arg(long = "trust", value_name = "FILE")]
        trust: Vec<String>,
        /// For cc-uci: the country from the entry's co (default) or the CWT iss.
        #[arg(long, value_name = "co|iss", default_value = "co")]
        country_from: String,
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        input: String,
    },
}

fn parse_hash_type(s: &str) -> Result<healthpass::revocation::HashType, String> {
    healthpass::revocation::HashType::parse(s)
        .map_err(|_| format!("not a hash type: {s} (use uci, cc-uci or signature)"))
}

fn parse_country_source(s: &str) -> Result<CountrySource, String> {
    match s {
        "co" => Ok(CountrySource::PayloadCountry),
        "iss" => Ok(CountrySource::CwtIssuer),
        _ => Err(format!("--country-from must be co or iss, not {s}")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Alg {
    Es256,
    Ps256,
}

fn parse_kind(s: &str) -> Result<PassKind, String> {
    match s.trim() {
        "v" => Ok(PassKind::Vaccination),
        "t" => Ok(PassKind::Test),
        "r" => Ok(PassKind::Recovery),
        other => Err(format!("not a pass kind: {other} (use v, t, r)")),
    }
}

/// `48h`, `30m`, `90s`, `2d`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("not a duration: {s} (like 48h, 30m, 90s, 2d)");
    let unit_at = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = s.split_at(unit_at);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        _ => None,
    };
    secs.filter(|s| *s > 0)
        .map(Duration::from_secs)
        .ok_or_else(bad)
}

fn parse_time(s: &str) -> Result<UnixTime, String> {
    UnixTime::parse_rfc3339(s).map_err(|_| format!("not an RFC 3339 time: {s}"))
}

fn read_input(input: &str) -> Result<String, String> {
    let text = if input == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else if let Some(path) = input.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
    } else {
        input.to_string()
    };
    Ok(text.trim().to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify {
            trust,
            at,
            json,
            revocation,
            revocation_trust,
            image,
            input,
        } => verify(
            &trust,
            at,
            json,
            (&revocation, &revocation_trust),
            image.as_deref(),
            input.as_deref(),
        ),
        Command::Revocation(cmd) => revocation(cmd),
        Command::Inspect { input } => inspect(&input),
        Command::Keygen {
            alg,
            country,
            out,
            kinds,
            name,
            days,
        } => keygen(alg, &country, &out, kinds, &name, days),
        Command::Issue {
            key,
            cert,
            payload,
            iat,
            exp,
            light,
            from,
            trust,
            valid_for,
        } => {
            let issuer = match load_issuer(&key, &cert) {
                Ok(i) => i,
                Err(e) => return usage(&e),
            };
            let iat = iat.unwrap_or_else(now);
            match (light, payload, from) {
                (true, _, Some(from)) => issue_light(&issuer, &from, &trust, iat, valid_for),
                (false, Some(payload), _) => issue(&issuer, &payload, iat, exp),
                _ => usage("issue needs --payload FILE, or --light --from INPUT --trust FILE"),
            }
        }
        Command::Qr { input, out } => qr(&input, &out),
    }
}

/// The command line is where the clock is read; the library never does.
fn now() -> UnixTime {
    UnixTime::from(std::time::SystemTime::now())
}

fn load_trust(trust_files: &[String]) -> Result<TrustList, String> {
    let mut trust = TrustList::new();
    for file in trust_files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("cannot read trust file {file}: {e}"))?;
        trust
            .add_any(&bytes)
            .map_err(|e| format!("trust file {file}: {e}"))?;
    }
    Ok(trust)
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("healthpass: {msg}");
    ExitCode::from(2)
}

fn verify(
    trust_files: &[String],
    at: Option<UnixTime>,
    as_json: bool,
    (lists, list_trust): (&[PathBuf], &[String]),
    image: Option<&Path>,
    input: Option<&str>,
) -> ExitCode {
    if trust_files.is_empty() {
        return usage("verify needs at least one --trust FILE (no key is trusted by default)");
    }
    let trust = match load_trust(trust_files) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let now = at.unwrap_or_else(now);
    let mut builder = Verifier::builder().trust_list(trust);
    if !lists.is_empty() {
        let anchors = if list_trust.is_empty() {
            trust_files
        } else {
            list_trust
        };
        let mut revocation = Revocation::new();
        for path in lists {
            match load_list(path, anchors, now) {
                Ok(list) => revocation = revocation.with_list(list),
                Err(e) => return usage(&e),
            }
        }
        builder = builder.revocation(revocation);
    }
    let verifier = match builder.build() {
        Ok(v) => v,
        Err(e) => return usage(&e.to_string()),
    };
    let text = match (image, input) {
        (Some(path), _) => match std::fs::read(path) {
            // An image without a readable code is a rejected pass, not a usage error.
            Ok(bytes) => healthpass::qr::decode_image(&bytes),
            Err(e) => return usage(&format!("cannot read {}: {e}", path.display())),
        },
        (None, Some(input)) => match read_input(input) {
            Ok(t) => Ok(t),
            Err(e) => return usage(&e),
        },
        (None, None) => return usage("verify needs INPUT or --image FILE.png"),
    };
    let result = text.and_then(|text| verifier.verify(&text, now));
    let verdict = Verdict::from_result(&result);
    if as_json {
        let mut v = serde_json::to_value(&verdict).unwrap_or_default();
        if let (Err(e), Some(obj)) = (&result, v.as_object_mut()) {
            obj.insert("reason".into(), json!(e.to_string()));
        }
        println!("{v}");
    } else {
        match (&result, &verdict.holder) {
            (Ok(_), Some(h)) => {
                let name = [&h.given_name, &h.family_name]
                    .iter()
                    .filter_map(|n| n.as_deref())
                    .collect::<Vec<_>>()
                    .join(" ");
                let until = verdict
                    .valid_until
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let form = match verdict.form {
                    Some(f) if f != healthpass::verify::PassForm::Full => format!(" ({f:?} pass)"),
                    _ => String::new(),
                }
                .to_lowercase();
                println!(
                    "valid{form}: {name}, born {}, valid until {until}",
                    h.date_of_birth
                );
            }
            (Err(e), _) => println!("invalid {}: {e}", e.kind()),
            (Ok(_), None) => println!("valid"),
        }
    }
    if verdict.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn keygen(
    alg: Alg,
    country: &str,
    out: &Path,
    kinds: Vec<PassKind>,
    name: &str,
    days: u32,
) -> ExitCode {
    let alg = match alg {
        Alg::Es256 => Algorithm::Es256,
        Alg::Ps256 => Algorithm::Ps256,
    };
    let key = match SigningKey::generate(alg) {
        Ok(k) => k,
        Err(e) => return usage(&e.to_string()),
    };
    // Valid from an hour ago: passes issued right away, with an iat from a
    // clock a little behind, are within the certificate's validity.
    let not_before = now().saturating_sub(3600);
    let params = CertificateParams {
        country: country.to_string(),
        common_name: name.to_string(),
        not_before,
        not_after: not_before.saturating_add(i64::from(days) * 86_400),
        kinds,
    };
    let cert = match self_signed_certificate(&key, &params) {
        Ok(c) => c,
        Err(e) => return usage(&e.to_string()),
    };
    let pem = match key.to_pkcs8_pem() {
        Ok(p) => p,
        Err(e) => return usage(&e.to_string()),
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        return usage(&format!("cannot create {}: {e}", out.display()));
    }
    let key_path = out.join("key.pem");
    let cert_path = out.join("cert.pem");
    if let Err(e) = write_private(&key_path, pem.as_bytes()) {
        return usage(&format!("cannot write {}: {e}", key_path.display()));
    }
    if let Err(e) = std::fs::write(&cert_path, certificate_pem(&cert)) {
        return usage(&format!("cannot write {}: {e}", cert_path.display()));
    }
    let kid: String = healthpass::trust::kid_of(&cert)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!(
        "wrote {} and {} (kid {kid})",
        key_path.display(),
        cert_path.display()
    );
    ExitCode::SUCCESS
}

/// Writes a file only its owner can read (on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

fn load_issuer(key: &Path, cert: &Path) -> Result<Issuer, String> {
    let key_pem = zeroize::Zeroizing::new(
        std::fs::read_to_string(key).map_err(|e| format!("cannot read {}: {e}", key.display()))?,
    );
    let cert_pem = std::fs::read_to_string(cert)
        .map_err(|e| format!("cannot read {}: {e}", cert.display()))?;
    Issuer::from_pem(&key_pem, &cert_pem).map_err(|e| e.to_string())
}

/// Exit 1 with the reason on standard error: the request was refused.
fn refused(e: &healthpass::Error) -> ExitCode {
    eprintln!("healthpass: refused: {e}");
    ExitCode::from(1)
}

fn issue(issuer: &Issuer, payload: &Path, iat: UnixTime, exp: Option<UnixTime>) -> ExitCode {
    let json = match std::fs::read_to_string(payload) {
        Ok(s) => s,
        Err(e) => return usage(&format!("cannot read {}: {e}", payload.display())),
    };
    let json: serde_json::Value = match serde_json::from_str(&json) {
        Ok(v) => v,
        Err(e) => return usage(&format!("{} is not JSON: {e}", payload.display())),
    };
    let payload = match Payload::from_json(json) {
        Ok(p) => p,
        Err(e) => return refused(&e),
    };
    let exp = exp.unwrap_or(iat.saturating_add(365 * 86_400));
    match issuer.issue(&payload, iat, exp) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => refused(&e),
    }
}

fn issue_light(
    issuer: &Issuer,
    from: &str,
    trust: &[String],
    now: UnixTime,
    valid_for: Option<Duration>,
) -> ExitCode {
    let verifier = match load_trust(trust).and_then(|t| {
        Verifier::builder()
            .trust_list(t)
            .build()
            .map_err(|e| e.to_string())
    }) {
        Ok(v) => v,
        Err(e) => return usage(&e),
    };
    let text = match read_input(from) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let pass = match verifier.verify(&text, now) {
        Ok(p) => p,
        Err(e) => return refused(&e),
    };
    match issuer.issue_light(&pass, now, valid_for.unwrap_or(DEFAULT_LIGHT_VALIDITY)) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => refused(&e),
    }
}

fn qr(input: &str, out: &Path) -> ExitCode {
    let text = match read_input(input) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let rendered = match ext.as_deref() {
        Some("png") => healthpass::qr::to_png(&text),
        Some("svg") => healthpass::qr::to_svg(&text).map(String::into_bytes),
        _ => return usage("--out must end in .png or .svg"),
    };
    let bytes = match rendered {
        Ok(b) => b,
        Err(e) => return refused(&e),
    };
    if let Err(e) = std::fs::write(out, bytes) {
        return usage(&format!("cannot write {}: {e}", out.display()));
    }
    ExitCode::SUCCESS
}

/// Compact stores at this false-positive rate when a list is loaded.
const LIST_RATE: f64 = 1e-12;

/// Reads a list file: a signed list (COSE_Sign1, verified against
/// `anchors`) or an unsigned list document (trusted as a local file).
fn load_list(path: &Path, anchors: &[String], now: UnixTime) -> Result<RevocationList, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mode = StoreMode::Compact {
        false_positive_rate: LIST_RATE,
    };
    let policy = ExpiredListPolicy::FailClosed;
    let list = if bytes.first() == Some(&0xD2) {
        let trust = load_trust(anchors)?;
        RevocationList::from_signed(&bytes, &trust, now, mode, policy)
    } else {
        ListDocument::from_cbor(&bytes)
            .and_then(|doc| RevocationList::from_document(doc, now, mode, policy))
    };
    list.map_err(|e| format!("revocation list {}: {e}", path.display()))
}

fn revocation(cmd: RevocationCommand) -> ExitCode {
    match cmd {
        RevocationCommand::Build {
            hash_type,
            input,
            out,
            sign,
            cert,
            list_id,
            sequence,
            valid_for,
            country_from,
        } => {
            let country = match parse_country_source(&country_from) {
                Ok(c) => c,
                Err(e) => return usage(&e),
            };
            let text = match std::fs::read_to_string(&input) {
                Ok(t) => t,
                Err(e) => return usage(&format!("cannot read {}: {e}", input.display())),
            };
            let mut adds = Vec::new();
            for (n, line) in text.lines().enumerate() {
                // Neither Base45 nor hex has a '#': it starts a comment.
                let line = line.split('#').next().unwrap_or_default().trim();
                if line.is_empty() {
                    continue;
                }
                let hash = if line.starts_with("HC1:") || line.starts_with("LT1:") {
                    match hash_of_unverified(line, hash_type, country) {
                        Ok(Some(h)) => h,
                        Ok(None) => {
                            return usage(&format!(
                                "line {}: the pass has nothing to hash for {}",
                                n + 1,
                                hash_type.as_str()
                            ))
                        }
                        Err(e) => return usage(&format!("line {}: {e}", n + 1)),
                    }
                } else {
                    match RevocationHash::from_hex(line) {
                        Ok(h) => h,
                        Err(e) => return usage(&format!("line {}: {e}", n + 1)),
                    }
                };
                adds.push(hash);
            }
            adds.sort_unstable();
            adds.dedup();
            let issued_at = now();
            let valid = valid_for.unwrap_or(Duration::from_secs(7 * 86_400));
            let doc = ListDocument {
                hash_type,
                list_id,
                sequence,
                base_sequence: None,
                issued_at,
                expires: issued_at
                    .saturating_add(i64::try_from(valid.as_secs()).unwrap_or(i64::MAX)),
                adds,
                removes: Vec::new(),
            };
            let bytes = match (sign, cert) {
                (Some(key), Some(cert)) => {
                    let issuer = match load_issuer(&key, &cert) {
                        Ok(i) => i,
                        Err(e) => return usage(&e),
                    };
                    match doc.sign(&issuer) {
                        Ok(b) => b,
                        Err(e) => return refused(&e),
                    }
                }
                _ => doc.to_cbor(),
            };
            if let Err(e) = std::fs::write(&out, bytes) {
                return usage(&format!("cannot write {}: {e}", out.display()));
            }
            println!(
                "wrote {} ({} {} hashes)",
                out.display(),
                doc.adds.len(),
                doc.hash_type.as_str()
            );
            ExitCode::SUCCESS
        }
        RevocationCommand::Check {
            list,
            trust,
            country_from,
            input,
        } => {
            let country = match parse_country_source(&country_from) {
                Ok(c) => c,
                Err(e) => return usage(&e),
            };
            let list = match load_list(&list, &trust, now()) {
                Ok(l) => l,
                Err(e) => return usage(&e),
            };
            let text = match read_input(&input) {
                Ok(t) => t,
                Err(e) => return usage(&e),
            };
            match hash_of_unverified(&text, list.hash_type(), country) {
                Ok(Some(h)) if list.store().contains(&h) => {
                    println!("revoked");
                    ExitCode::from(1)
                }
                Ok(_) => {
                    println!("not revoked");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("healthpass: cannot decode: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn inspect(input: &str) -> ExitCode {
    let text = match read_input(input) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    match inspect_unverified(&text) {
        Ok(u) => {
            let kid: String = u.kid.iter().map(|b| format!("{b:02x}")).collect();
            let out = json!({
                "unverified": true,
                "warning": "decoded without checking the signature, signer or validity: do not trust",
                "alg": u.algorithm.name(),
                "kid": kid,
                "claims": {
                    "iss": u.claims.issuer,
                    "iat": u.claims.issued_at.to_string(),
                    "exp": u.claims.expires.to_string(),
                },
                "payload": u.payload.to_json(),
            });
            match serde_json::to_string_pretty(&out) {
                Ok(s) => println!("{s}"),
                Err(e) => return usage(&e.to_string()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("healthpass: cannot decode: {e}");
            ExitCode::from(1)
        }
    }
}
