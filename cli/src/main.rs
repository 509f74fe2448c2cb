//! `healthpass`: verify, inspect and issue health passes from the command
//! line; make signer keys and QR codes.
//!
//! Exit status: 0 success (valid pass), 1 rejected (for any reason), 2 usage
//! error (or output that cannot be written).

use std::io::Read as _;

use base64ct::{Base64, Encoding as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use healthpass::crypto::Algorithm;
use healthpass::formats::shc::{CardContent, ShcIssuers};
use healthpass::inspect::inspect_unverified;
use healthpass::issue::Credential;
use healthpass::issue::SigningKey;
use healthpass::issue::{
    certificate_pem, self_signed_certificate, CertificateParams, Issuer, DEFAULT_LIGHT_VALIDITY,
};
use healthpass::payload::{Member, Payload};
use healthpass::revocation::{
    hash_of_unverified, CountrySource, Revocation, RevocationHash, RevocationList,
    RevocationListDocument, RevocationListLoader, StoreMode, DEFAULT_FALSE_POSITIVE_RATE,
};
use healthpass::rules::{Policy, RuleSet};
use healthpass::signed::Validity;
use healthpass::trust::gdhcn::{DidTrustList, KeySelection, Selected, WhoSigner};
use healthpass::trust::signed_list::{TrustListDocument, TrustListEntry, TrustListLoader};
use healthpass::trust::{CscaList, Kid};
use healthpass::{Error, PassKind, TrustList, UnixTime, Verifier};
use serde_json::json;

mod text;

/// `println!` that survives a closed pipe (`healthpass inspect … | head`):
/// the rest of the output is dropped and the exit status still says what
/// happened. Any other write error (a full disk) ends the run with status 2.
macro_rules! out {
    ($($arg:tt)*) => {
        write_out(format_args!($($arg)*))
    };
}

fn write_out(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{args}").and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(
                std::io::stderr(),
                "healthpass: cannot write the output: {e}"
            );
            std::process::exit(2);
        }
    }
}

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
    /// Verify a pass (HC1:/LT1:, shc:/ or an ICAO seal): exit 0 if valid, 1 if rejected,
    /// 2 on usage errors.
    Verify(Box<VerifyArgs>),
    /// Decode a pass (HCERT, SMART Health Card or ICAO seal) WITHOUT verifying it and print
    /// its claims and payload as JSON.
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
        /// The payload: an EU DCC (schema 1.3.3 JSON with one v, t, r or e entry), or
        /// {"dvc": {…}}, {"ddcc-vaccination": {…}}, {"ddcc-test": {…}}; checked before signing.
        #[arg(long, value_name = "FILE.json", required_unless_present = "light")]
        payload: Option<PathBuf>,
        /// Issued at, RFC 3339 (default: now). With --light, also the time the source is verified at.
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        iat: Option<UnixTime>,
        /// Expires at, RFC 3339 (default: a year after iat). Not with --light.
        #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "light")]
        exp: Option<UnixTime>,
        /// Issue without exp (a DVC only; its own vls/vle bound it).
        #[arg(long, conflicts_with_all = ["exp", "light"])]
        no_exp: bool,
        /// Make a light pass (LT1:, name and date of birth only) from a verified pass.
        #[arg(long, requires_all = ["from", "trust"], conflicts_with = "payload")]
        light: bool,
        /// With --light: the source pass (text, `-` or `@PATH`).
        #[arg(long, value_name = "INPUT", requires = "light")]
        from: Option<String>,
        /// With --light: certificates that verify the source pass. Repeatable.
        #[arg(long = "trust", value_name = "FILE", requires = "light")]
        trust: Vec<String>,
        /// With --light: how long the light pass is valid (like 48h, 30m, 2d; default 48h,
        /// at most 7d), never beyond the source pass.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "light")]
        valid_for: Option<Duration>,
        /// With --light: revocation lists the source pass is checked against first.
        #[command(flatten)]
        lists: ListArgs,
    },
    /// SMART Health Cards: sign one (for tests and demos), print a key's public JWK set.
    #[command(subcommand)]
    Shc(ShcCommand),
    /// Build and check revocation lists.
    #[command(subcommand)]
    Revocation(RevocationCommand),
    /// Build signed trust lists.
    #[command(subcommand)]
    Trust(TrustCommand),
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
enum TrustCommand {
    /// Build a signed trust list of signer certificates: a full list, or with --delta-on a
    /// delta that removes kids and adds certificates.
    Build {
        /// Signer certificates (DER, PEM, base64), each with its country. Repeatable.
        #[arg(
            long = "in",
            value_name = "CERTS",
            required_unless_present = "delta_on"
        )]
        input: Vec<PathBuf>,
        /// Output list file.
        #[arg(long, value_name = "LIST")]
        out: PathBuf,
        /// Sign the list with this key (PKCS#8 PEM).
        #[arg(long, value_name = "KEY")]
        sign: PathBuf,
        /// The certificate of the signing key (PEM): verifiers give it as --trust-anchor.
        #[arg(long, value_name = "CERT")]
        cert: PathBuf,
        #[command(flatten)]
        meta: ListMeta,
        /// Make a delta on the list of this sequence.
        #[arg(long, value_name = "N")]
        delta_on: Option<u64>,
        /// With --delta-on: remove the certificates of this kid (base64). Repeatable.
        #[arg(long = "remove", value_name = "KID", requires = "delta_on")]
        remove: Vec<String>,
    },
    /// Verify a WHO GDHCN DID trust list's proof (offline), select its DSCs, chain each to
    /// its SCA, and write those that chain as PEM; each key left out is reported.
    Gdhcn {
        #[command(flatten)]
        source: GdhcnArgs,
        /// Output file (PEM certificates).
        #[arg(long, value_name = "FILE.pem")]
        out: PathBuf,
    },
}

/// What every signed list states about itself: its id, sequence and validity.
#[derive(Args)]
struct ListMeta {
    /// List id.
    #[arg(long, value_name = "ID", default_value = "default")]
    list_id: String,
    /// Sequence number.
    #[arg(long, value_name = "N", default_value_t = 1)]
    sequence: u64,
    /// How long the list is valid (like 7d, 12h; default 7d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    valid_for: Option<Duration>,
    /// Issued at, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    iat: Option<UnixTime>,
}

impl ListMeta {
    /// From --iat (default now) for --valid-for (default 7 days).
    fn validity(&self) -> Result<Validity, Error> {
        let valid = self.valid_for.unwrap_or(Duration::from_secs(7 * 86_400));
        Validity::starting(self.iat.unwrap_or_else(now), valid)
    }
}

/// A WHO GDHCN DID trust list and which of its keys to take.
#[derive(Args)]
struct GdhcnArgs {
    /// The DID trust list document (v2).
    #[arg(long = "list", id = "gdhcn_list", value_name = "DID.json")]
    list: PathBuf,
    /// The DID document of the WHO key that signs the list.
    #[arg(long = "signer", id = "gdhcn_signer", value_name = "SIGNER_DID.json")]
    signer: PathBuf,
    /// Take keys of this domain (DCC, DDCC, RACSEL-DDVC, PH4H, …). Repeatable; default all.
    #[arg(long = "domain", value_name = "D")]
    domain: Vec<String>,
    /// Take keys of this participant (like CHL). Repeatable; default all.
    #[arg(long = "participant", value_name = "P")]
    participant: Vec<String>,
    /// Key usage: only DSC keys sign passes.
    #[arg(long, value_name = "USAGE", default_value = "DSC", value_parser = ["DSC"])]
    usage: String,
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
        #[command(flatten)]
        meta: ListMeta,
        /// For cc-uci: the country from the entry's co (default) or the CWT iss; recorded in
        /// the list, which verifiers then follow.
        #[arg(long, value_name = "co|iss", default_value = "co", value_parser = parse_country_source)]
        country_from: CountrySource,
    },
    /// Check one pass (decoded, not verified) against a list: prints `revoked` (exit 1) or
    /// `not revoked` (exit 0).
    Check {
        /// The list file.
        #[arg(long, value_name = "LIST")]
        list: PathBuf,
        /// Certificates that sign the list. Required, unless --allow-unsigned-list.
        #[arg(long = "trust", value_name = "FILE")]
        trust: Vec<String>,
        /// Accept an unsigned list (anyone who can replace the file can un-revoke every pass).
        #[arg(long)]
        allow_unsigned_list: bool,
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        input: String,
    },
}

#[derive(Subcommand)]
enum ShcCommand {
    /// Sign a card and print its shc:/ text on standard output, nothing else.
    Sign {
        /// The ES256 signing key: a private JWK or JWK set (with --kid), or PKCS#8 PEM.
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// Which key of a private JWK set.
        #[arg(long, value_name = "KID")]
        kid: Option<String>,
        /// The issuer URL (https, no trailing /): the card's iss.
        #[arg(long, value_name = "URL")]
        iss: String,
        /// The FHIR bundle (JSON, with a Patient).
        #[arg(long, value_name = "FILE.json")]
        bundle: PathBuf,
        /// Issued at (nbf), RFC 3339 (default: now).
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        nbf: Option<UnixTime>,
        /// Expires at, RFC 3339 (default: no exp).
        #[arg(long, value_name = "TIME", value_parser = parse_time)]
        exp: Option<UnixTime>,
        /// The card's revocation id (vc.rid).
        #[arg(long, value_name = "RID")]
        rid: Option<String>,
    },
    /// Print the public JWK set of a signing key (what an issuer publishes as jwks.json).
    Jwks {
        /// The ES256 signing key: a private JWK or JWK set (with --kid), or PKCS#8 PEM.
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// Which key of a private JWK set.
        #[arg(long, value_name = "KID")]
        kid: Option<String>,
    },
}

/// What `verify` takes.
#[derive(Args)]
struct VerifyArgs {
    /// Trusted signer certificates: DER, PEM (one or many) or base64 of DER. Repeatable. Also
    /// ICAO seal signers (pinned) and country signing CAs (seal signers they issued are trusted).
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<String>,
    /// A SMART Health Card issuer's JWK set (its .well-known/jwks.json). Repeatable.
    #[arg(long = "shc-jwks", value_name = "FILE")]
    shc_jwks: Vec<PathBuf>,
    /// CA certificates that SMART Health Card keys with an x5c chain must chain to. Repeatable.
    #[arg(long = "shc-anchor", value_name = "FILE", requires = "shc_jwks")]
    shc_anchor: Vec<PathBuf>,
    /// A SMART Health Card issuer's revocation list (.well-known/crl/KID.json). Repeatable.
    #[arg(long = "shc-crl", value_name = "FILE", requires = "shc_jwks")]
    shc_crl: Vec<PathBuf>,
    /// Country signing CAs: with them, every --trust (or --trust-list) certificate must have
    /// been issued by one (same country, CA with keyCertSign, valid at verification time).
    #[arg(long = "csca", value_name = "FILE")]
    csca: Vec<String>,
    /// A signed trust list (`healthpass trust build`) instead of --trust; needs --trust-anchor.
    #[arg(
        long,
        value_name = "LIST",
        conflicts_with = "trust",
        requires = "trust_anchor"
    )]
    trust_list: Option<PathBuf>,
    /// A WHO GDHCN DID trust list instead of --trust; needs --gdhcn-signer.
    #[arg(long, value_name = "DID.json", conflicts_with_all = ["trust", "trust_list", "csca"],
          requires = "gdhcn_signer_file")]
    gdhcn_list: Option<PathBuf>,
    /// The DID document of the WHO key that signs the --gdhcn-list.
    #[arg(
        long = "gdhcn-signer",
        id = "gdhcn_signer_file",
        value_name = "SIGNER_DID.json",
        requires = "gdhcn_list"
    )]
    gdhcn_signer: Option<PathBuf>,
    /// With --gdhcn-list: take keys of this domain only. Repeatable; default all.
    #[arg(long = "domain", value_name = "D", requires = "gdhcn_list")]
    domain: Vec<String>,
    /// Certificates that sign trust lists. Repeatable.
    #[arg(long = "trust-anchor", value_name = "FILE", requires = "trust_list")]
    trust_anchor: Vec<String>,
    /// Refuse a trust list older than this sequence (the last one you accepted).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "trust_list")]
    min_trust_sequence: u64,
    /// Time of verification, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<UnixTime>,
    /// Print one JSON object instead of a sentence.
    #[arg(long)]
    json: bool,
    /// Tolerance for clocks that disagree, in seconds (at most 86400).
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    clock_skew: u32,
    /// Refuse DDCC and DVC passes without exp (by default a DVC may lack one).
    #[arg(long)]
    require_exp: bool,
    /// Accept passes of this member without exp: dvc, ddcc-vaccination, ddcc-test. Repeatable.
    #[arg(long, value_name = "MEMBER", value_parser = parse_member, conflicts_with = "require_exp")]
    accept_missing_exp: Vec<Member>,
    #[command(flatten)]
    lists: ListArgs,
    #[command(flatten)]
    rules: RulesArgs,
    /// Read the pass from a QR code in this PNG image instead of INPUT.
    #[arg(long, value_name = "FILE.png", conflicts_with = "input")]
    image: Option<PathBuf>,
    /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
    #[arg(required_unless_present = "image")]
    input: Option<String>,
}

/// Revocation lists to check passes against, and how to trust them.
#[derive(Args, Default)]
struct ListArgs {
    /// Revocation list (from `revocation build`) to check the pass against. Repeatable.
    #[arg(long = "revocation", value_name = "LIST")]
    revocation: Vec<PathBuf>,
    /// Certificates that sign the revocation lists. Required with --revocation, unless
    /// --allow-unsigned-list: lists are never verified against the pass signers.
    #[arg(long = "revocation-trust", value_name = "FILE")]
    revocation_trust: Vec<String>,
    /// Accept unsigned lists (anyone who can replace the file can un-revoke every pass).
    #[arg(long)]
    allow_unsigned_list: bool,
    /// The last list sequence number accepted: older lists are refused (replay protection).
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_sequence: u64,
}

/// Admission rules, and the policy they are applied under.
#[derive(Args, Default)]
struct RulesArgs {
    /// Admission rules (CertLogic JSON: EU business rules, one or an array, or a set with
    /// scan modes). The pass is then valid only if the rules admit it.
    #[arg(long, value_name = "FILE.json")]
    rules: Option<PathBuf>,
    /// A built-in rule set instead of --rules: 3g, 2g, 2g-plus, vaccinated-recovered-exempt.
    #[arg(long, value_name = "NAME", conflicts_with = "rules")]
    preset: Option<String>,
    /// The country of arrival, whose acceptance rules apply (ISO 3166-1 alpha-2).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// The region of arrival (rules that name a region apply only there).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// The scan mode of the rule set; without --rules or --preset, a built-in preset by name
    /// (3g, 2g, 2g-plus, vaccinated-recovered-exempt).
    #[arg(long, value_name = "MODE")]
    mode: Option<String>,
    /// The language of the failed rules' descriptions (fallback en).
    #[arg(long, value_name = "LANG", default_value = "en")]
    language: String,
}

fn parse_member(s: &str) -> Result<Member, String> {
    match Member::from_name(s) {
        Some(Member::EuDcc) => Err("an eu dcc always needs exp".into()),
        Some(m) => Ok(m),
        None => Err(format!(
            "not a member: {s} (use dvc, ddcc-vaccination or ddcc-test)"
        )),
    }
}

fn parse_hash_type(s: &str) -> Result<healthpass::revocation::HashType, String> {
    healthpass::revocation::HashType::parse(s)
        .map_err(|_| format!("not a hash type: {s} (use uci, cc-uci or signature)"))
}

fn parse_country_source(s: &str) -> Result<CountrySource, String> {
    CountrySource::parse(s).map_err(|_| format!("--country-from must be co or iss, not {s}"))
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

/// The pass as bytes (a pass that is not UTF-8 is a malformed pass, judged
/// by the verifier, not a usage error).
fn read_input_bytes(input: &str) -> Result<Vec<u8>, String> {
    let bytes = if input == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        b
    } else if let Some(path) = input.strip_prefix('@') {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?
    } else {
        input.as_bytes().to_vec()
    };
    Ok(bytes.trim_ascii().to_vec())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => verify(&args),
        Command::Revocation(cmd) => revocation(cmd),
        Command::Shc(cmd) => shc_command(cmd),
        Command::Trust(cmd) => trust_command(cmd),
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
            no_exp,
            light,
            from,
            trust,
            valid_for,
            lists,
        } => {
            let issuer = match load_credential(&key, &cert) {
                Ok(c) => Issuer::new(c),
                Err(e) => return usage(&e),
            };
            let iat = iat.unwrap_or_else(now);
            match (light, payload, from) {
                (true, _, Some(from)) => {
                    issue_light(&issuer, &from, &trust, &lists, iat, valid_for)
                }
                (false, Some(payload), _) => issue(&issuer, &payload, iat, exp, no_exp),
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
    load_trust_into(TrustList::new(), trust_files, None)
}

/// The --trust certificates; with --csca files, in the chained mode.
fn load_chained_trust(trust_files: &[String], csca_files: &[String]) -> Result<TrustList, String> {
    if csca_files.is_empty() {
        return load_trust_into(TrustList::new(), trust_files, Some(&mut CscaList::new()));
    }
    let mut cscas = CscaList::new();
    for file in csca_files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("cannot read csca file {file}: {e}"))?;
        cscas
            .add_any(&bytes)
            .map_err(|e| format!("csca file {file}: {e}"))?;
    }
    load_trust_into(
        TrustList::chained_to(cscas),
        trust_files,
        Some(&mut CscaList::new()),
    )
}

/// The signers of a signed trust list, verified against --trust-anchor (and
/// chained to --csca when given).
fn load_signed_trust(list: &Path, args: &VerifyArgs, now: UnixTime) -> Result<TrustList, String> {
    let bytes = std::fs::read(list)
        .map_err(|e| format!("cannot read trust list {}: {e}", list.display()))?;
    let loader =
        TrustListLoader::new(load_trust(&args.trust_anchor)?).min_sequence(args.min_trust_sequence);
    let empty = load_chained_trust(&[], &args.csca)?;
    loader
        .load_into(empty, &bytes, now)
        .map_err(|e| format!("trust list {}: {e}", list.display()))
}

/// The certificates of `trust_files` into `trust`. With `cas`, the CAs
/// among them go there (verify's --trust: seal CSCAs, `trust_cas_into`);
/// without, a CA is an error.
fn load_trust_into(
    mut trust: TrustList,
    trust_files: &[String],
    mut cas: Option<&mut CscaList>,
) -> Result<TrustList, String> {
    for file in trust_files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("cannot read trust file {file}: {e}"))?;
        match cas.as_deref_mut() {
            Some(cas) => trust.add_any_with_cas(&bytes, cas).map(|_| ()),
            None => trust.add_any(&bytes).map(|_| ()),
        }
        .map_err(|e| format!("trust file {file}: {e}"))?;
    }
    Ok(trust)
}

/// The certification authorities of the --trust files, as ICAO seal CSCAs.
fn trust_cas_into(cscas: &mut CscaList, trust_files: &[String]) -> Result<(), String> {
    for file in trust_files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("cannot read trust file {file}: {e}"))?;
        TrustList::new()
            .add_any_with_cas(&bytes, cscas)
            .map_err(|e| format!("trust file {file}: {e}"))?;
    }
    Ok(())
}

/// `verifier` with the SMART Health Card issuers of `args` and the seal
/// CSCAs found among the --trust files.
fn with_other_formats(
    verifier: Verifier,
    args: &VerifyArgs,
    seal_cscas: CscaList,
) -> Result<Verifier, String> {
    let mut builder = verifier.to_builder();
    if !seal_cscas.is_empty() {
        builder = builder.seal_cscas(seal_cscas);
    }
    if !args.shc_jwks.is_empty() {
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let mut issuers = ShcIssuers::new();
        for path in &args.shc_anchor {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            issuers
                .add_anchors(&bytes)
                .map_err(|e| format!("shc anchor {}: {e}", path.display()))?;
        }
        for path in &args.shc_jwks {
            issuers
                .add_jwks(&read(path)?, None)
                .map_err(|e| format!("shc jwk set {}: {e}", path.display()))?;
        }
        for path in &args.shc_crl {
            issuers
                .add_revocation_list(&read(path)?)
                .map_err(|e| format!("shc revocation list {}: {e}", path.display()))?;
        }
        builder = builder.shc_issuers(issuers);
    }
    builder.build().map_err(|e| e.to_string())
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("healthpass: {msg}");
    ExitCode::from(2)
}

fn verify(args: &VerifyArgs) -> ExitCode {
    if args.trust.is_empty()
        && args.trust_list.is_none()
        && args.gdhcn_list.is_none()
        && args.shc_jwks.is_empty()
    {
        return usage(
            "verify needs --trust FILE, --trust-list LIST --trust-anchor FILE, \
             --gdhcn-list DID.json --gdhcn-signer SIGNER_DID.json, or --shc-jwks FILE \
             (no key is trusted by default)",
        );
    }
    let now = args.at.unwrap_or_else(now);
    let trust = match (&args.trust_list, &args.gdhcn_list, &args.gdhcn_signer) {
        (Some(list), _, _) => load_signed_trust(list, args, now),
        (None, Some(list), Some(signer)) => {
            gdhcn_select(list, signer, &args.domain, &[]).map(|selected| {
                if !selected.refused.is_empty() {
                    eprintln!(
                        "healthpass: {} keys of the gdhcn list left out (see `healthpass trust gdhcn`)",
                        selected.refused.len()
                    );
                }
                selected.trust
            })
        }
        _ => load_chained_trust(&args.trust, &args.csca),
    };
    let mut seal_cscas = CscaList::new();
    let trust = trust.and_then(|trust| {
        if args.trust_list.is_some() || args.gdhcn_list.is_some() {
            Ok(trust)
        } else {
            // --trust files again, for the CAs among them (seal CSCAs).
            trust_cas_into(&mut seal_cscas, &args.trust).map(|()| trust)
        }
    });
    let verifier = match trust
        .and_then(|trust| verifier_with(trust, &args.lists, now, args.clock_skew))
        .and_then(|verifier| with_other_formats(verifier, args, seal_cscas))
        .and_then(|verifier| with_exp_policy(verifier, args))
        .and_then(|verifier| with_rules(verifier, &args.rules))
    {
        Ok(v) => v,
        Err(e) => return usage(&e),
    };
    let text = match (&args.image, &args.input) {
        (Some(path), _) => match std::fs::read(path) {
            // An image without a readable code is a rejected pass, not a usage error.
            Ok(bytes) => healthpass::qr::decode_image(&bytes).map(String::into_bytes),
            Err(e) => return usage(&format!("cannot read {}: {e}", path.display())),
        },
        (None, Some(input)) => match read_input_bytes(input) {
            Ok(t) => Ok(t),
            Err(e) => return usage(&e),
        },
        (None, None) => return usage("verify needs INPUT or --image FILE.png"),
    };
    let result = text.and_then(|text| {
        let text = String::from_utf8(text).map_err(|_| Error::NotText)?;
        verifier.verify(&text, now)
    });
    let verdict = verifier.verdict_of(&result, now, verifier.policy());
    if args.json {
        match serde_json::to_string(&verdict) {
            Ok(line) => out!("{line}"),
            Err(e) => return usage(&e.to_string()),
        }
    } else {
        out!("{}", text::verdict_line(&verdict));
        if let Some(admission) = verdict.admission() {
            for failed in admission.failed_rules() {
                out!("{}", text::failed_rule_line(failed));
            }
        }
    }
    if verdict.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A verifier for `trust`, with the revocation lists of `lists` loaded at
/// `now`.
fn verifier_with(
    trust: TrustList,
    lists: &ListArgs,
    now: UnixTime,
    clock_skew: u32,
) -> Result<Verifier, String> {
    let mut builder = Verifier::builder()
        .trust_list(trust)
        .clock_skew_secs(clock_skew);
    if let Some(revocation) = load_lists(lists, now)? {
        builder = builder.revocation(revocation);
    }
    builder.build().map_err(|e| e.to_string())
}

/// `verifier` with the members whose passes may lack an exp.
fn with_exp_policy(verifier: Verifier, args: &VerifyArgs) -> Result<Verifier, String> {
    if !args.require_exp && args.accept_missing_exp.is_empty() {
        return Ok(verifier);
    }
    let mut builder = verifier.to_builder();
    for member in [Member::DdccVaccination, Member::DdccTest, Member::Dvc] {
        let accept = !args.require_exp
            && (member == Member::Dvc || args.accept_missing_exp.contains(&member));
        builder = builder.accept_missing_exp(member, accept);
    }
    builder.build().map_err(|e| e.to_string())
}

/// `verifier` with the rules and policy of `args`, if any are asked for.
fn with_rules(verifier: Verifier, args: &RulesArgs) -> Result<Verifier, String> {
    let set = match (&args.rules, &args.preset) {
        (Some(path), _) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read rules {}: {e}", path.display()))?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| format!("rules {}: not UTF-8", path.display()))?;
            RuleSet::from_json(text).map_err(|e| format!("rules {}: {e}", path.display()))?
        }
        (None, Some(name)) => RuleSet::preset(name).map_err(|e| e.to_string())?,
        // `--mode NAME` alone: the built-in preset of that name.
        (None, None) => match &args.mode {
            Some(name) => RuleSet::preset(name).map_err(|e| format!("--mode: {e}"))?,
            None if args.country.is_some() || args.region.is_some() => {
                return Err(
                    "--country and --region need --rules FILE, --preset NAME or --mode PRESET"
                        .into(),
                );
            }
            None => return Ok(verifier),
        },
    };
    let mut policy = Policy::new().language(args.language.as_str());
    if let Some(c) = &args.country {
        policy = policy.country(c.as_str());
    }
    if let Some(r) = &args.region {
        policy = policy.region(r.as_str());
    }
    if let Some(m) = &args.mode {
        policy = policy.mode(m.as_str());
    }
    verifier
        .to_builder()
        .rules(set)
        .policy(policy)
        .build()
        .map_err(|e| e.to_string())
}

/// The revocation lists of `lists`, or `None` when none is given.
fn load_lists(lists: &ListArgs, now: UnixTime) -> Result<Option<Revocation>, String> {
    if lists.revocation.is_empty() {
        return Ok(None);
    }
    if lists.revocation_trust.is_empty() && !lists.allow_unsigned_list {
        return Err(
            "--revocation needs --revocation-trust FILE (the certificates that sign \
                    lists), or --allow-unsigned-list"
                .into(),
        );
    }
    let loader = RevocationListLoader::new(load_trust(&lists.revocation_trust)?)
        .min_sequence(lists.min_sequence);
    let mut revocation = Revocation::new();
    for path in &lists.revocation {
        revocation =
            revocation.with_list(load_list(path, &loader, lists.allow_unsigned_list, now)?);
    }
    Ok(Some(revocation))
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
    let validity = match Validity::new(
        not_before,
        not_before.saturating_add(i64::from(days.max(1)) * 86_400),
    ) {
        Ok(v) => v,
        Err(e) => return usage(&e.to_string()),
    };
    let params = CertificateParams::new(country, name, validity).kinds(kinds);
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
    out!(
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

fn load_credential(key: &Path, cert: &Path) -> Result<Credential, String> {
    let key_pem = zeroize::Zeroizing::new(
        std::fs::read_to_string(key).map_err(|e| format!("cannot read {}: {e}", key.display()))?,
    );
    let cert_pem = std::fs::read_to_string(cert)
        .map_err(|e| format!("cannot read {}: {e}", cert.display()))?;
    Credential::from_pem(&key_pem, &cert_pem).map_err(|e| e.to_string())
}

/// Exit 1 with the reason on standard error: the request was refused.
fn refused(e: &Error) -> ExitCode {
    eprintln!("healthpass: refused: {e}");
    ExitCode::from(1)
}

fn issue(
    issuer: &Issuer,
    payload: &Path,
    iat: UnixTime,
    exp: Option<UnixTime>,
    no_exp: bool,
) -> ExitCode {
    let json = match std::fs::read_to_string(payload) {
        Ok(s) => s,
        Err(e) => return usage(&format!("cannot read {}: {e}", payload.display())),
    };
    let json: serde_json::Value = match serde_json::from_str(&json) {
        Ok(v) => v,
        Err(e) => return usage(&format!("{} is not JSON: {e}", payload.display())),
    };
    let payload = match Payload::from_tagged_json(json) {
        Ok(p) => p,
        Err(e) => return refused(&e),
    };
    if no_exp {
        return match issuer.issue_without_expiry(&payload, iat) {
            Ok(text) => {
                out!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => refused(&e),
        };
    }
    let exp = exp.unwrap_or(iat.saturating_add(365 * 86_400));
    let validity = match Validity::new(iat, exp) {
        Ok(v) => v,
        Err(e) => return refused(&e),
    };
    match issuer.issue(&payload, validity) {
        Ok(text) => {
            out!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => refused(&e),
    }
}

fn issue_light(
    issuer: &Issuer,
    from: &str,
    trust: &[String],
    lists: &ListArgs,
    now: UnixTime,
    valid_for: Option<Duration>,
) -> ExitCode {
    // The source is verified with the given revocation lists: a revoked
    // pass is refused here, before any light pass is made from it.
    let verifier = match load_trust(trust).and_then(|t| verifier_with(t, lists, now, 0)) {
        Ok(v) => v,
        Err(e) => return usage(&e),
    };
    let text = match read_input_bytes(from) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let pass = match std::str::from_utf8(&text)
        .map_err(|_| Error::NotText)
        .and_then(|t| verifier.verify_hcert(t, now))
    {
        Ok(p) => p,
        Err(e) => return refused(&e),
    };
    match issuer.issue_light(&pass, now, valid_for.unwrap_or(DEFAULT_LIGHT_VALIDITY)) {
        Ok(text) => {
            out!("{text}");
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

/// Reads a list file: a signed list (COSE_Sign1, verified by `loader`), or
/// with `allow_unsigned` an unsigned list document.
fn load_list(
    path: &Path,
    loader: &RevocationListLoader,
    allow_unsigned: bool,
    now: UnixTime,
) -> Result<RevocationList, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let signed = loader.load(&bytes, now);
    let list = match (signed, allow_unsigned) {
        (Ok(list), _) => Ok(list),
        (Err(e), true) => match RevocationListDocument::from_cbor(&bytes) {
            Ok(doc) => RevocationList::from_unauthenticated_document(
                doc,
                StoreMode::Compact {
                    false_positive_rate: DEFAULT_FALSE_POSITIVE_RATE,
                },
            ),
            Err(_) => Err(e),
        },
        (Err(e), false) => Err(e),
    };
    list.map_err(|e| format!("revocation list {}: {e}", path.display()))
}

/// The DSCs of a GDHCN DID trust list whose proof verifies, selected and
/// chained, with each key left out and why.
fn gdhcn_select(
    list: &Path,
    signer: &Path,
    domains: &[String],
    participants: &[String],
) -> Result<Selected, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let signer = WhoSigner::from_did_document(&read(signer)?)
        .map_err(|e| format!("gdhcn signer {}: {e}", signer.display()))?;
    let did = DidTrustList::verify(&read(list)?, &signer)
        .map_err(|e| format!("gdhcn list {}: {e}", list.display()))?;
    let mut selection = KeySelection::new();
    for d in domains {
        selection = selection.domain(d);
    }
    for p in participants {
        selection = selection.participant(p);
    }
    Ok(did.select(&selection))
}

fn trust_command(cmd: TrustCommand) -> ExitCode {
    match cmd {
        TrustCommand::Gdhcn { source, out } => trust_gdhcn(&source, &out),
        build @ TrustCommand::Build { .. } => trust_build(build),
    }
}

/// `trust gdhcn`: the selected, verified, chained DSCs as PEM.
fn trust_gdhcn(source: &GdhcnArgs, out: &Path) -> ExitCode {
    let selected = gdhcn_select(
        &source.list,
        &source.signer,
        &source.domain,
        &source.participant,
    );
    let selected = match selected {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    let mut pem = String::new();
    for key in &selected.chained {
        if let Some(der) = key.certificates().first() {
            pem.push_str(&format!("# {}\n", text::escape(key.id())));
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            let b64 = Base64::encode_string(der);
            for line in b64.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
    }
    if let Err(e) = std::fs::write(out, pem) {
        return usage(&format!("cannot write {}: {e}", out.display()));
    }
    for (key, e) in &selected.refused {
        eprintln!("left out {}: {e}", text::escape(key.id()));
    }
    out!(
        "gdhcn: proof verified; {} DSCs chained to their SCAs written to {}, {} left out",
        selected.chained.len(),
        out.display(),
        selected.refused.len()
    );
    ExitCode::SUCCESS
}

fn trust_build(cmd: TrustCommand) -> ExitCode {
    let TrustCommand::Build {
        input,
        out,
        sign,
        cert,
        meta,
        delta_on,
        remove,
    } = cmd
    else {
        return usage("not a trust build command");
    };
    let mut entries = Vec::new();
    for file in &input {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return usage(&format!("cannot read {}: {e}", file.display())),
        };
        match TrustListEntry::all_in(&bytes) {
            Ok(more) => entries.extend(more),
            Err(e) => return usage(&format!("{}: {e}", file.display())),
        }
    }
    let mut removals = Vec::new();
    for kid in &remove {
        match Base64::decode_vec(kid)
            .ok()
            .and_then(|k| Kid::try_from(k).ok())
        {
            Some(k) => removals.push(k),
            None => return usage(&format!("--remove {kid}: not a base64 kid of 8 bytes")),
        }
    }
    let count = entries.len();
    let doc = meta.validity().and_then(|validity| {
        let builder = TrustListDocument::builder(meta.list_id)
            .sequence(meta.sequence)
            .adds(entries)
            .removes(removals);
        match delta_on {
            Some(base) => builder.delta_on(base),
            None => builder,
        }
        .build(validity)
    });
    let doc = match doc {
        Ok(d) => d,
        Err(e) => return usage(&e.to_string()),
    };
    let bytes =
        match load_credential(&sign, &cert).and_then(|c| doc.sign(&c).map_err(|e| e.to_string())) {
            Ok(b) => b,
            Err(e) => return usage(&e),
        };
    if let Err(e) = std::fs::write(&out, bytes) {
        return usage(&format!("cannot write {}: {e}", out.display()));
    }
    out!(
        "trust list {}: {count} signers{}, sequence {}, valid until {}",
        out.display(),
        doc.base_sequence().map_or(String::new(), |b| format!(
            " added on sequence {b}, {} kids removed",
            doc.removes().len()
        )),
        doc.sequence(),
        doc.validity().expires()
    );
    ExitCode::SUCCESS
}

fn revocation(cmd: RevocationCommand) -> ExitCode {
    match cmd {
        RevocationCommand::Build {
            hash_type,
            input,
            out,
            sign,
            cert,
            meta,
            country_from,
        } => {
            let country = country_from;
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
            let count = adds.len();
            let doc = meta.validity().and_then(|validity| {
                RevocationListDocument::builder(hash_type, meta.list_id)
                    .sequence(meta.sequence)
                    .country_source(country)
                    .adds(adds)
                    .build(validity)
            });
            let doc = match doc {
                Ok(d) => d,
                Err(e) => return refused(&e),
            };
            let bytes = match (sign, cert) {
                (Some(key), Some(cert)) => {
                    let credential = match load_credential(&key, &cert) {
                        Ok(c) => c,
                        Err(e) => return usage(&e),
                    };
                    match doc.sign(&credential) {
                        Ok(b) => b,
                        Err(e) => return refused(&e),
                    }
                }
                _ => doc.to_cbor(),
            };
            if let Err(e) = std::fs::write(&out, bytes) {
                return usage(&format!("cannot write {}: {e}", out.display()));
            }
            out!(
                "wrote {} ({count} {} hashes)",
                out.display(),
                hash_type.as_str()
            );
            ExitCode::SUCCESS
        }
        RevocationCommand::Check {
            list,
            trust,
            allow_unsigned_list,
            input,
        } => {
            if trust.is_empty() && !allow_unsigned_list {
                return usage(
                    "revocation check needs --trust FILE (the certificates that sign \
                              lists), or --allow-unsigned-list",
                );
            }
            let now = now();
            let list = match load_trust(&trust).and_then(|anchors| {
                load_list(
                    &list,
                    &RevocationListLoader::new(anchors),
                    allow_unsigned_list,
                    now,
                )
            }) {
                Ok(l) => l,
                Err(e) => return usage(&e),
            };
            let text = match read_input_bytes(&input) {
                Ok(t) => t,
                Err(e) => return usage(&e),
            };
            let Ok(text) = String::from_utf8(text) else {
                return cannot_decode(&Error::NotText);
            };
            if list.expires().is_some_and(|t| now > t) {
                out!("untrusted: the revocation list has expired");
                return ExitCode::from(1);
            }
            match list.matches_unverified(&text) {
                Ok(true) => {
                    out!("revoked");
                    ExitCode::from(1)
                }
                Ok(false) => {
                    out!("not revoked");
                    ExitCode::SUCCESS
                }
                Err(e) => cannot_decode(&e),
            }
        }
    }
}

fn inspect(input: &str) -> ExitCode {
    let text = match read_input_bytes(input) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let Ok(text) = String::from_utf8(text) else {
        return cannot_decode(&Error::NotText);
    };
    let trimmed = text.trim();
    let other = if trimmed
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("shc:/"))
    {
        Some(healthpass::formats::shc::decode(trimmed).map(|c| {
            json!({"unverified": true, "warning": UNVERIFIED, "format": "shc",
                   "kid": c.kid, "payload": c.payload})
        }))
    } else if trimmed.starts_with('{') {
        Some(healthpass::formats::icao::decode(trimmed).map(|d| {
            json!({"unverified": true, "warning": UNVERIFIED, "format": "icao",
                   "type": d.seal_type, "country": d.country, "alg": d.algorithm,
                   "signer_country": d.signer_country, "payload": d.message})
        }))
    } else {
        None
    };
    if let Some(decoded) = other {
        return match decoded {
            Ok(out) => match serde_json::to_string_pretty(&out) {
                Ok(s) => {
                    out!("{s}");
                    ExitCode::SUCCESS
                }
                Err(e) => usage(&e.to_string()),
            },
            Err(e) => cannot_decode(&e),
        };
    }
    match inspect_unverified(&text) {
        Ok(u) => {
            let kid: String = u.kid().iter().map(|b| format!("{b:02x}")).collect();
            let out = json!({
                "unverified": true,
                "warning": UNVERIFIED,
                "format": "hcert",
                "alg": u.algorithm().name(),
                "kid": kid,
                "claims": {
                    "iss": u.issuer(),
                    "iat": u.issued_at().to_string(),
                    "exp": u.expires().map(|t| t.to_string()),
                },
                "member": u.payload().member().as_str(),
                "payload": u.payload().to_json(),
            });
            match serde_json::to_string_pretty(&out) {
                Ok(s) => out!("{s}"),
                Err(e) => return usage(&e.to_string()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => cannot_decode(&e),
    }
}

/// An ES256 key from a private JWK (set) or PKCS#8 PEM.
fn load_shc_key(path: &Path, kid: Option<&str>) -> Result<SigningKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let key = if text.trim_start().starts_with('{') {
        healthpass::formats::shc::signing_key_from_jwk(&text, kid)
    } else {
        SigningKey::from_pkcs8_pem(&text)
    };
    key.map_err(|e| format!("{}: {e}", path.display()))
}

fn shc_command(cmd: ShcCommand) -> ExitCode {
    match cmd {
        ShcCommand::Sign {
            key,
            kid,
            iss,
            bundle,
            nbf,
            exp,
            rid,
        } => {
            let key = match load_shc_key(&key, kid.as_deref()) {
                Ok(k) => k,
                Err(e) => return usage(&e),
            };
            let bundle = match std::fs::read_to_string(&bundle)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            {
                Ok(b) => b,
                Err(e) => return usage(&format!("bundle {}: {e}", bundle.display())),
            };
            let mut card = CardContent::new(&iss, nbf.unwrap_or_else(now), bundle);
            if let Some(exp) = exp {
                card = card.expires(exp);
            }
            if let Some(rid) = &rid {
                card = card.rid(rid);
            }
            match card.sign(&key) {
                Ok(text) => {
                    out!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => refused(&e),
            }
        }
        ShcCommand::Jwks { key, kid } => {
            match load_shc_key(&key, kid.as_deref())
                .and_then(|k| healthpass::formats::shc::public_jwks(&k).map_err(|e| e.to_string()))
            {
                Ok(jwks) => {
                    out!("{jwks}");
                    ExitCode::SUCCESS
                }
                Err(e) => usage(&e),
            }
        }
    }
}

/// What `inspect` says of everything it prints.
const UNVERIFIED: &str = "decoded without checking the signature, signer or validity: do not trust";

/// Exit 1: the input is not a pass that decodes (the same in every command).
fn cannot_decode(e: &Error) -> ExitCode {
    eprintln!("healthpass: cannot decode: {} ({})", e, e.kind());
    ExitCode::from(1)
}
