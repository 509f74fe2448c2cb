//! The command line's arguments: every command, its flags and their value
//! parsers (clap derive).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use healthpass::payload::Member;
use healthpass::revocation::{CountrySource, HashType};
use healthpass::signed::Validity;
use healthpass::{Error, PassKind, UnixTime};

use crate::load::now;

#[derive(Parser)]
#[command(
    name = "healthpass",
    version,
    about = "Verify and inspect signed health passes (EU DCC format)"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Verify a pass (HC1:/LT1:, shc:/ or an ICAO seal): exit 0 if valid, 1 if rejected,
    /// 2 on usage errors.
    Verify(Box<VerifyArgs>),
    /// Decode a pass (HCERT, SMART Health Card or ICAO seal) WITHOUT verifying it and print
    /// its claims and payload as JSON.
    Inspect(InspectArgs),
    /// Make a signing key and a self-signed signer certificate: DIR/key.pem, DIR/cert.pem.
    Keygen(KeygenArgs),
    /// Sign a pass and print its text (HC1:… or LT1:…) on standard output, nothing else.
    Issue(Box<IssueArgs>),
    /// SMART Health Cards: sign one (for tests and demos), print a key's public JWK set.
    #[command(subcommand)]
    Shc(ShcCommand),
    /// Build and check revocation lists.
    #[command(subcommand)]
    Revocation(RevocationCommand),
    /// Build signed trust lists.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Build signed rule sets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Render a pass as a QR code image (alphanumeric mode, error correction Q).
    Qr(QrArgs),
    /// Bring a trust store directory up to date from the services that publish trust data,
    /// checking everything fetched: exit 0 when every source is up to date, 1 when one
    /// failed (its previous state kept), 2 on usage errors.
    Sync(Box<SyncArgs>),
    /// What a store kept by `sync` holds.
    #[command(subcommand)]
    Store(StoreCommand),
}

#[derive(Subcommand)]
pub(crate) enum StoreCommand {
    /// Write what the store trusts now (verified again) as signed lists for a fleet:
    /// OUT/trust-list.cbor and OUT/revocation.cbor, each with .seq and a delta from the
    /// last export in OUT, to serve as static files (`sync --trust-list`, `--revocation`).
    Export(StoreExportArgs),
}

/// What `store export` takes.
#[derive(Args)]
pub(crate) struct StoreExportArgs {
    /// The store directory kept by `healthpass sync`.
    #[arg(long, value_name = "DIR")]
    pub(crate) store: PathBuf,
    /// The key that signs the lists (PKCS#8 PEM).
    #[arg(long, value_name = "KEY")]
    pub(crate) sign: PathBuf,
    /// Its certificate (PEM): the fleet's --trust-anchor and --revocation-trust.
    #[arg(long, value_name = "CERT")]
    pub(crate) cert: PathBuf,
    /// The directory to write (created if needed; the last export in it gives the deltas).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// The trust list's id (the revocation list's is ID-revoked).
    #[arg(long, value_name = "ID", default_value = "healthpass-export")]
    pub(crate) list_id: String,
    /// How long the lists are valid (like 7d, 12h; default 7d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) valid_for: Option<Duration>,
    /// The time of the export, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) at: Option<UnixTime>,
    /// One JSON object per list written.
    #[arg(long)]
    pub(crate) json: bool,
}

/// What `sync` takes.
#[derive(Args)]
pub(crate) struct SyncArgs {
    /// The store directory (created by the first sync).
    #[arg(long, value_name = "DIR")]
    pub(crate) store: PathBuf,
    /// An EU DCC national backend's verifier API (signercertificateStatus/Update).
    #[arg(long, value_name = "URL")]
    pub(crate) eu_dcc: Option<String>,
    /// The EU business-rule service (rules and value sets).
    #[arg(long, value_name = "URL", requires = "eu_rules_key")]
    pub(crate) eu_rules: Option<String>,
    /// The key that signs the business-rule service's responses (X-SIGNATURE): a P-256
    /// certificate or public key, PEM.
    #[arg(long, value_name = "PEM", requires = "eu_rules")]
    pub(crate) eu_rules_key: Option<PathBuf>,
    /// An EU revocation distribution service.
    #[arg(long, value_name = "URL")]
    pub(crate) eu_revocation: Option<String>,
    /// A WHO GDHCN DID trust list (did.json).
    #[arg(long, value_name = "URL", requires = "gdhcn_signer")]
    pub(crate) gdhcn: Option<String>,
    /// The DID document of the key that signs the --gdhcn list.
    #[arg(long, value_name = "FILE", requires = "gdhcn")]
    pub(crate) gdhcn_signer: Option<PathBuf>,
    /// With --gdhcn: take keys of this domain only. Repeatable.
    #[arg(long = "domain", value_name = "D", requires = "gdhcn")]
    pub(crate) domain: Vec<String>,
    /// The VCI directory snapshot of SMART Health Card issuers.
    #[arg(long, value_name = "URL", requires = "vci_cert")]
    pub(crate) vci: Option<String>,
    /// The certificate that signs the VCI snapshot.
    #[arg(long, value_name = "PEM", requires = "vci")]
    pub(crate) vci_cert: Option<PathBuf>,
    /// A signed trust list (`healthpass trust build`) served as a static file.
    #[arg(long, value_name = "URL", requires = "trust_anchor")]
    pub(crate) trust_list: Option<String>,
    /// Certificates that sign the --trust-list.
    #[arg(long, value_name = "PEM", requires = "trust_list")]
    pub(crate) trust_anchor: Option<PathBuf>,
    /// A signed revocation list (`healthpass revocation build`) served as a static file
    /// (with URL.seq and deltas URL.delta-N when published, as `store export` writes them).
    #[arg(long, value_name = "URL", requires = "revocation_trust")]
    pub(crate) revocation: Option<String>,
    /// Certificates that sign the --revocation list.
    #[arg(long, value_name = "PEM", requires = "revocation")]
    pub(crate) revocation_trust: Option<PathBuf>,
    /// SHA-256 pins of the servers' public keys (SubjectPublicKeyInfo, base64). Repeatable.
    #[arg(long = "pin", value_name = "SHA256")]
    pub(crate) pin: Vec<String>,
    /// The time of this sync, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) at: Option<UnixTime>,
    /// Print one JSON object per source instead of sentences.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Subcommand)]
pub(crate) enum TrustCommand {
    /// Build a signed trust list of signer certificates: a full list, or with --delta-on a
    /// delta that removes kids and adds certificates.
    Build(TrustBuildArgs),
    /// Verify a WHO GDHCN DID trust list's proof (offline), select its DSCs, chain each to
    /// its SCA, and write those that chain as PEM; each key left out is reported.
    Gdhcn(TrustGdhcnArgs),
    /// Load trust directories as verify --trust does and report what loaded, per framework,
    /// and each entry left out with why: exit 0 if anything is usable, 1 if nothing.
    Check(TrustCheckArgs),
}

#[derive(Subcommand)]
pub(crate) enum RulesCommand {
    /// Sign a rule file (CertLogic JSON: EU rules or a set with scan modes) as a signed rule
    /// set, which verifiers load with --rules FILE --rules-anchor CERT.
    Build(RulesBuildArgs),
}

/// What `rules build` takes.
#[derive(Args)]
pub(crate) struct RulesBuildArgs {
    /// The rule file (CertLogic JSON), checked as verifiers read it.
    #[arg(long = "in", value_name = "FILE.json")]
    pub(crate) input: PathBuf,
    /// Output file (the signed rule set).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) signer: ListSigner,
    #[command(flatten)]
    pub(crate) meta: ListMeta,
}

/// Who signs a list: a key and its certificate, which verifiers take as the
/// list's anchor (--trust-anchor, --rules-anchor, --revocation-trust).
#[derive(Args)]
pub(crate) struct ListSigner {
    /// Sign with this key (PKCS#8 PEM).
    #[arg(long, value_name = "KEY")]
    pub(crate) sign: PathBuf,
    /// The certificate of the signing key (PEM): what verifiers give as the list's anchor.
    #[arg(long, value_name = "CERT")]
    pub(crate) cert: PathBuf,
}

/// How trust directories load.
#[derive(Args, Default)]
pub(crate) struct DirectoryArgs {
    /// The certificate of the VCI directory (vci_snapshot.crt): a VCI snapshot given in --trust
    /// is checked against it, with its detached signature read from the .sig file beside it.
    #[arg(long, value_name = "CERT")]
    pub(crate) vci_cert: Option<PathBuf>,
    /// Refuse a trust directory in which any entry is refused (by default they are left out
    /// and reported).
    #[arg(long)]
    pub(crate) strict_trust: bool,
    /// Let JWK sets given without an issuer verify cards of any iss (a key bound elsewhere stays
    /// bound).
    #[arg(long)]
    pub(crate) shc_any_issuer: bool,
}

/// What `trust check` takes.
#[derive(Args)]
pub(crate) struct TrustCheckArgs {
    /// Trust directories, as verify's --trust takes them. Repeatable.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<String>,
    #[command(flatten)]
    pub(crate) directories: DirectoryArgs,
    /// The time a signed directory's certificate must be valid at, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) at: Option<UnixTime>,
    /// Print one JSON object: {"accepted", "refused": [{"entry", "reason"}], "frameworks"}.
    #[arg(long)]
    pub(crate) json: bool,
}

/// What every signed list states about itself: its id, sequence and validity.
#[derive(Args)]
pub(crate) struct ListMeta {
    /// List id.
    #[arg(long, value_name = "ID", default_value = "default")]
    pub(crate) list_id: String,
    /// Sequence number.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) sequence: u64,
    /// How long the list is valid (like 7d, 12h; default 7d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) valid_for: Option<Duration>,
    /// Issued at, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) iat: Option<UnixTime>,
}

impl ListMeta {
    /// From --iat (default now) for --valid-for (default 7 days).
    pub(crate) fn validity(&self) -> Result<Validity, Error> {
        let valid = self.valid_for.unwrap_or(Duration::from_secs(7 * 86_400));
        Validity::starting(self.iat.unwrap_or_else(now), valid)
    }
}

/// A WHO GDHCN DID trust list and which of its keys to take.
#[derive(Args)]
pub(crate) struct GdhcnArgs {
    /// The DID trust list document (v2).
    #[arg(long = "list", id = "gdhcn_list", value_name = "DID.json")]
    pub(crate) list: PathBuf,
    /// The DID document of the WHO key that signs the list.
    #[arg(long = "signer", id = "gdhcn_signer", value_name = "SIGNER_DID.json")]
    pub(crate) signer: PathBuf,
    /// Take keys of this domain (DCC, DDCC, RACSEL-DDVC, PH4H, …). Repeatable; default all.
    #[arg(long = "domain", value_name = "D")]
    pub(crate) domain: Vec<String>,
    /// Take keys of this participant (like CHL). Repeatable; default all.
    #[arg(long = "participant", value_name = "P")]
    pub(crate) participant: Vec<String>,
    /// Key usage: only DSC keys sign passes.
    #[arg(long, value_name = "USAGE", default_value = "DSC", value_parser = ["DSC"])]
    pub(crate) usage: String,
}

#[derive(Subcommand)]
pub(crate) enum RevocationCommand {
    /// Build a revocation list from passes or hashes (one per line; `#` starts a comment).
    Build(RevocationBuildArgs),
    /// Check one pass (decoded, not verified) against a list: prints `revoked` (exit 1) or
    /// `not revoked` (exit 0).
    Check(RevocationCheckArgs),
}

#[derive(Subcommand)]
pub(crate) enum ShcCommand {
    /// Sign a card and print its shc:/ text on standard output, nothing else.
    Sign(ShcSignArgs),
    /// Print the public JWK set of a signing key (what an issuer publishes as jwks.json).
    Jwks(ShcJwksArgs),
}

/// What `verify` takes.
#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// Trust directories, recognised by content: certificates (DER, PEM, base64: pass and seal
    /// signers; CAs are country CAs), a key registry (registry.json), the VCI snapshot (with
    /// --vci-cert), an EU DCC signer list or list of valid kids, a JWK set as
    /// FILE=ISSUER_URL. Loaded entry by entry; refusals summarised on stderr. Repeatable.
    #[arg(long = "trust", value_name = "FILE")]
    pub(crate) trust: Vec<String>,
    #[command(flatten)]
    pub(crate) directories: DirectoryArgs,
    /// A SMART Health Card issuer's JWK set (its .well-known/jwks.json) as FILE=ISSUER_URL: its
    /// keys verify only cards of that iss. A bare FILE needs --shc-any-issuer. Repeatable.
    #[arg(long = "shc-jwks", value_name = "FILE=ISSUER_URL")]
    pub(crate) shc_jwks: Vec<String>,
    /// CA certificates that SMART Health Card keys with an x5c chain must chain to. Repeatable.
    #[arg(long = "shc-anchor", value_name = "FILE", requires = "shc_jwks")]
    pub(crate) shc_anchor: Vec<PathBuf>,
    /// A SMART Health Card issuer's revocation list (.well-known/crl/KID.json). Repeatable.
    #[arg(long = "shc-crl", value_name = "FILE", requires = "shc_jwks")]
    pub(crate) shc_crl: Vec<PathBuf>,
    /// Country signing CAs: with them, every --trust (or --trust-list) certificate must have
    /// been issued by one (same country, CA with keyCertSign, valid at verification time).
    #[arg(long = "csca", value_name = "FILE")]
    pub(crate) csca: Vec<String>,
    /// A signed trust list (`healthpass trust build`) instead of --trust; needs --trust-anchor.
    #[arg(
        long,
        value_name = "LIST",
        conflicts_with = "trust",
        requires = "trust_anchor"
    )]
    pub(crate) trust_list: Option<PathBuf>,
    /// A WHO GDHCN DID trust list (its proof checked against --gdhcn-signer): its selected
    /// DSCs join the --trust directories, if any.
    #[arg(long, value_name = "DID.json", conflicts_with_all = ["trust_list", "csca"],
          requires = "gdhcn_signer_file")]
    pub(crate) gdhcn_list: Option<PathBuf>,
    /// The DID document of the WHO key that signs the --gdhcn-list.
    #[arg(
        long = "gdhcn-signer",
        id = "gdhcn_signer_file",
        value_name = "SIGNER_DID.json",
        requires = "gdhcn_list"
    )]
    pub(crate) gdhcn_signer: Option<PathBuf>,
    /// With --gdhcn-list: take keys of this domain only. Repeatable; default all.
    #[arg(long = "domain", value_name = "D", requires = "gdhcn_list")]
    pub(crate) domain: Vec<String>,
    /// Certificates that sign trust lists. Repeatable.
    #[arg(long = "trust-anchor", value_name = "FILE", requires = "trust_list")]
    pub(crate) trust_anchor: Vec<String>,
    /// Refuse a trust list older than this sequence (the last one you accepted).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "trust_list")]
    pub(crate) min_trust_sequence: u64,
    /// A trust store directory kept by `healthpass sync`: its signers (and its rules, with
    /// --country), every document verified again.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["trust_list", "gdhcn_list"])]
    pub(crate) store: Option<PathBuf>,
    /// With --store: the oldest trust data accepted (default 72h): older, every pass is
    /// untrusted ("trust data outdated since …"). As 90m, 72h or 3d.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "store")]
    pub(crate) max_age: Option<Duration>,
    /// With --store: past --max-age, verify anyway and flag the verdict
    /// ("trust_outdated_since"): an explicit policy for a long outage.
    #[arg(long, requires = "store")]
    pub(crate) stale_ok: bool,
    /// Time of verification, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) at: Option<UnixTime>,
    /// Print one JSON object instead of a sentence.
    #[arg(long)]
    pub(crate) json: bool,
    /// Tolerance for clocks that disagree, in seconds (at most 86400).
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub(crate) clock_skew: u32,
    /// Refuse DDCC and DVC passes without exp (by default a DVC may lack one).
    #[arg(long)]
    pub(crate) require_exp: bool,
    /// Accept passes of this member without exp: dvc, ddcc-vaccination, ddcc-test. Repeatable.
    #[arg(long, value_name = "MEMBER", value_parser = parse_member, conflicts_with = "require_exp")]
    pub(crate) accept_missing_exp: Vec<Member>,
    #[command(flatten)]
    pub(crate) lists: ListArgs,
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
    /// Read the pass from a QR code in this PNG image instead of INPUT.
    #[arg(long, value_name = "FILE.png", conflicts_with = "input")]
    pub(crate) image: Option<PathBuf>,
    /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
    #[arg(required_unless_present = "image")]
    pub(crate) input: Option<String>,
}

/// Revocation lists to check passes against, and how to trust them.
#[derive(Args, Default)]
pub(crate) struct ListArgs {
    /// Revocation list (from `revocation build`) to check the pass against. Repeatable.
    #[arg(long = "revocation", value_name = "LIST")]
    pub(crate) revocation: Vec<PathBuf>,
    /// Certificates that sign the revocation lists. Required with --revocation, unless
    /// --allow-unsigned-list: lists are never verified against the pass signers.
    #[arg(long = "revocation-trust", value_name = "FILE")]
    pub(crate) revocation_trust: Vec<String>,
    /// Accept unsigned lists (anyone who can replace the file can un-revoke every pass).
    #[arg(long)]
    pub(crate) allow_unsigned_list: bool,
    /// The last list sequence number accepted: older lists are refused (replay protection).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) min_sequence: u64,
}

/// Admission rules, and the policy they are applied under.
#[derive(Args, Default)]
pub(crate) struct RulesArgs {
    /// Admission rules (CertLogic JSON: EU business rules, one or an array, or a set with
    /// scan modes). The pass is then valid only if the rules admit it.
    #[arg(long, value_name = "FILE.json")]
    pub(crate) rules: Option<PathBuf>,
    /// A built-in rule set instead of --rules: 3g, 2g, 2g-plus, vaccinated-recovered-exempt.
    #[arg(long, value_name = "NAME", conflicts_with = "rules")]
    pub(crate) preset: Option<String>,
    /// The country of arrival, whose acceptance rules apply (ISO 3166-1 alpha-2).
    #[arg(long, value_name = "CC")]
    pub(crate) country: Option<String>,
    /// The region of arrival (rules that name a region apply only there).
    #[arg(long, value_name = "REGION")]
    pub(crate) region: Option<String>,
    /// The scan mode of the rule set; without --rules or --preset, a built-in preset by name
    /// (3g, 2g, 2g-plus, vaccinated-recovered-exempt).
    #[arg(long, value_name = "MODE")]
    pub(crate) mode: Option<String>,
    /// The language of the failed rules' descriptions (fallback en).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub(crate) language: String,
    /// Certificates that sign rule sets: --rules must then be a signed rule set (from
    /// `rules build`), and an unsigned rule file is refused. Repeatable.
    #[arg(long = "rules-anchor", value_name = "CERT", requires = "rules")]
    pub(crate) rules_anchor: Vec<String>,
    /// Refuse a signed rule set older than this sequence (the last one you accepted).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "rules_anchor")]
    pub(crate) min_rules_sequence: u64,
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

fn parse_hash_type(s: &str) -> Result<HashType, String> {
    HashType::parse(s).map_err(|_| format!("not a hash type: {s} (use uci, cc-uci or signature)"))
}

fn parse_country_source(s: &str) -> Result<CountrySource, String> {
    CountrySource::parse(s).map_err(|_| format!("--country-from must be co or iss, not {s}"))
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Alg {
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

/// What `keygen` takes.
#[derive(Args)]
pub(crate) struct KeygenArgs {
    /// Signature algorithm: es256 (P-256) or ps256 (RSA 3072, PSS).
    #[arg(long, value_enum)]
    pub(crate) alg: Alg,
    /// Country of the signer (ISO 3166-1 alpha-2), written as C= in the certificate.
    #[arg(long, value_name = "CC")]
    pub(crate) country: String,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Restrict the signer to these pass kinds (extended key usage), e.g. `v,t`.
    /// Default: unrestricted (needed for exemption and light passes).
    #[arg(long, value_name = "v,t,r", value_delimiter = ',', value_parser = parse_kind)]
    pub(crate) kinds: Vec<PassKind>,
    /// Common name of the certificate.
    #[arg(long, value_name = "NAME", default_value = "healthpass signer")]
    pub(crate) name: String,
    /// Days the certificate is valid (from an hour ago).
    #[arg(long, value_name = "N", default_value_t = 730)]
    pub(crate) days: u32,
}

/// What `issue` takes.
#[derive(Args)]
pub(crate) struct IssueArgs {
    /// The signing key (PKCS#8 PEM).
    #[arg(long, value_name = "KEY")]
    pub(crate) key: PathBuf,
    /// The signer certificate (PEM) that goes with the key.
    #[arg(long, value_name = "CERT")]
    pub(crate) cert: PathBuf,
    /// The payload: an EU DCC (schema 1.3.3 JSON with one v, t, r or e entry), or
    /// {"dvc": {…}}, {"ddcc-vaccination": {…}}, {"ddcc-test": {…}}; checked before signing.
    #[arg(long, value_name = "FILE.json", required_unless_present = "light")]
    pub(crate) payload: Option<PathBuf>,
    /// Issued at, RFC 3339 (default: now). With --light, also the time the source is verified at.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) iat: Option<UnixTime>,
    /// Expires at, RFC 3339 (default: a year after iat). Not with --light.
    #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "light")]
    pub(crate) exp: Option<UnixTime>,
    /// Issue without exp (a DVC only; its own vls/vle bound it).
    #[arg(long, conflicts_with_all = ["exp", "light"])]
    pub(crate) no_exp: bool,
    /// Make a light pass (LT1:, name and date of birth only) from a verified pass.
    #[arg(long, requires_all = ["from", "trust"], conflicts_with = "payload")]
    pub(crate) light: bool,
    /// With --light: the source pass (text, `-` or `@PATH`).
    #[arg(long, value_name = "INPUT", requires = "light")]
    pub(crate) from: Option<String>,
    /// With --light: certificates that verify the source pass. Repeatable.
    #[arg(long = "trust", value_name = "FILE", requires = "light")]
    pub(crate) trust: Vec<String>,
    /// With --light: how long the light pass is valid (like 48h, 30m, 2d; default 48h,
    /// at most 7d), never beyond the source pass.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "light")]
    pub(crate) valid_for: Option<Duration>,
    /// With --light: revocation lists the source pass is checked against first.
    #[command(flatten)]
    pub(crate) lists: ListArgs,
    /// With --light: the gate's policy (--rules/--preset/--mode, --country…); a source it
    /// does not admit gets no light pass.
    #[command(flatten)]
    pub(crate) rules: RulesArgs,
}

/// What `inspect` takes.
#[derive(Args)]
pub(crate) struct InspectArgs {
    /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
    pub(crate) input: String,
}

/// What `qr` takes.
#[derive(Args)]
pub(crate) struct QrArgs {
    /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
    pub(crate) input: String,
    /// Output file; the format follows the extension: .png or .svg.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
}

/// What `trust build` takes.
#[derive(Args)]
pub(crate) struct TrustBuildArgs {
    /// Signer certificates (DER, PEM, base64), each with its country. Repeatable.
    #[arg(
        long = "in",
        value_name = "CERTS",
        required_unless_present = "delta_on"
    )]
    pub(crate) input: Vec<PathBuf>,
    /// Output list file.
    #[arg(long, value_name = "LIST")]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) signer: ListSigner,
    #[command(flatten)]
    pub(crate) meta: ListMeta,
    /// Make a delta on the list of this sequence.
    #[arg(long, value_name = "N")]
    pub(crate) delta_on: Option<u64>,
    /// With --delta-on: remove the certificates of this kid (base64). Repeatable.
    #[arg(long = "remove", value_name = "KID", requires = "delta_on")]
    pub(crate) remove: Vec<String>,
}

/// What `trust gdhcn` takes.
#[derive(Args)]
pub(crate) struct TrustGdhcnArgs {
    #[command(flatten)]
    pub(crate) source: GdhcnArgs,
    /// Output file (PEM certificates).
    #[arg(long, value_name = "FILE.pem")]
    pub(crate) out: PathBuf,
}

/// What `revocation build` takes.
#[derive(Args)]
pub(crate) struct RevocationBuildArgs {
    /// What to hash: uci, cc-uci (country code + UCI) or signature.
    #[arg(long, value_name = "TYPE", value_parser = parse_hash_type)]
    pub(crate) hash_type: HashType,
    /// Input: one pass text (HC1:/LT1:) or one hex hash (32 or 64 digits) per line.
    #[arg(long = "in", value_name = "FILE")]
    pub(crate) input: PathBuf,
    /// Output list file.
    #[arg(long, value_name = "LIST")]
    pub(crate) out: PathBuf,
    /// Sign the list with this key (PKCS#8 PEM); needs --cert.
    #[arg(long, value_name = "KEY", requires = "cert")]
    pub(crate) sign: Option<PathBuf>,
    /// The certificate of the signing key (PEM).
    #[arg(long, value_name = "CERT", requires = "sign")]
    pub(crate) cert: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) meta: ListMeta,
    /// For cc-uci: the country from the entry's co (default) or the CWT iss; recorded in
    /// the list, which verifiers then follow.
    #[arg(long, value_name = "co|iss", default_value = "co", value_parser = parse_country_source)]
    pub(crate) country_from: CountrySource,
}

/// What `revocation check` takes.
#[derive(Args)]
pub(crate) struct RevocationCheckArgs {
    /// The list file.
    #[arg(long, value_name = "LIST")]
    pub(crate) list: PathBuf,
    /// Certificates that sign the list. Required, unless --allow-unsigned-list.
    #[arg(long = "trust", value_name = "FILE")]
    pub(crate) trust: Vec<String>,
    /// Accept an unsigned list (anyone who can replace the file can un-revoke every pass).
    #[arg(long)]
    pub(crate) allow_unsigned_list: bool,
    /// Time of the check, RFC 3339 (default: now): the list must be valid then.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) at: Option<UnixTime>,
    /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
    pub(crate) input: String,
}

/// What `shc sign` takes.
#[derive(Args)]
pub(crate) struct ShcSignArgs {
    /// The ES256 signing key: a private JWK or JWK set (with --kid), or PKCS#8 PEM.
    #[arg(long, value_name = "KEY")]
    pub(crate) key: PathBuf,
    /// Which key of a private JWK set.
    #[arg(long, value_name = "KID")]
    pub(crate) kid: Option<String>,
    /// The issuer URL (https, no trailing /): the card's iss.
    #[arg(long, value_name = "URL")]
    pub(crate) iss: String,
    /// The FHIR bundle (JSON, with a Patient).
    #[arg(long, value_name = "FILE.json")]
    pub(crate) bundle: PathBuf,
    /// Issued at (nbf), RFC 3339 (default: now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) nbf: Option<UnixTime>,
    /// Expires at, RFC 3339 (default: no exp).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) exp: Option<UnixTime>,
    /// The card's revocation id (vc.rid).
    #[arg(long, value_name = "RID")]
    pub(crate) rid: Option<String>,
}

/// What `shc jwks` takes.
#[derive(Args)]
pub(crate) struct ShcJwksArgs {
    /// The ES256 signing key: a private JWK or JWK set (with --kid), or PKCS#8 PEM.
    #[arg(long, value_name = "KEY")]
    pub(crate) key: PathBuf,
    /// Which key of a private JWK set.
    #[arg(long, value_name = "KID")]
    pub(crate) kid: Option<String>,
}
