//! Loaders: what the flags name, read into the library's types — trust
//! files, country CAs, signed trust lists, GDHCN DID lists, SMART Health
//! Card issuers, revocation lists, rules, signing credentials — and the
//! verifier built from them. The clock is read here and only here.

use std::path::Path;

use healthpass::formats::shc::{KeyBinding, ShcIssuers};
use healthpass::issue::Credential;
use healthpass::payload::Member;
use healthpass::revocation::{
    Revocation, RevocationList, RevocationListDocument, RevocationListLoader, StoreMode,
    DEFAULT_FALSE_POSITIVE_RATE,
};
use healthpass::rules::{Policy, RuleSet, RuleSetLoader};
#[cfg(feature = "gdhcn")]
use healthpass::trust::gdhcn::Selected;
#[cfg(feature = "gdhcn")]
use healthpass::trust::gdhcn::{DidTrustList, KeySelection, WhoSigner};
use healthpass::trust::signed_list::TrustListLoader;
use healthpass::trust::store::{LoadOptions, LoadReport};
use healthpass::trust::CscaList;
use healthpass::{TrustList, TrustStore, UnixTime, Verifier, VerifierBuilder};

use crate::args::{DirectoryArgs, ListArgs, RulesArgs, VerifyArgs};
use crate::error::{CliError, Context as _};
use crate::io::{read_file, read_file_as, read_text};

/// The command line is where the clock is read; the library never does.
pub(crate) fn now() -> UnixTime {
    UnixTime::from(std::time::SystemTime::now())
}

/// The certificates of `trust_files` (signers only: a CA is an error).
pub(crate) fn trust(trust_files: &[String]) -> Result<TrustList, CliError> {
    trust_into(TrustList::new(), trust_files, None)
}

/// The certificates of `trust_files` into `trust`. With `cas`, the CAs
/// among them go there (verify's --trust: seal CSCAs); without, a CA is an
/// error.
fn trust_into(
    mut trust: TrustList,
    trust_files: &[String],
    mut cas: Option<&mut CscaList>,
) -> Result<TrustList, CliError> {
    for file in trust_files {
        let bytes = read_file_as("trust file", Path::new(file))?;
        match cas.as_deref_mut() {
            Some(cas) => trust.add_any_with_cas(&bytes, cas).map(|_| ()),
            None => trust.add_any(&bytes).map(|_| ()),
        }
        .context(format_args!("trust file {file}"))?;
    }
    Ok(trust)
}

/// The country signing CAs of the --csca files (all or nothing).
fn csca_list(csca_files: &[String]) -> Result<CscaList, CliError> {
    let mut cscas = CscaList::new();
    for file in csca_files {
        let bytes = read_file_as("csca file", Path::new(file))?;
        cscas
            .add_any(&bytes)
            .context(format_args!("csca file {file}"))?;
    }
    Ok(cscas)
}

/// The --trust certificates; with --csca files, in the chained mode.
pub(crate) fn chained_trust(
    trust_files: &[String],
    csca_files: &[String],
) -> Result<TrustList, CliError> {
    if csca_files.is_empty() {
        return trust_into(TrustList::new(), trust_files, Some(&mut CscaList::new()));
    }
    trust_into(
        TrustList::chained_to(csca_list(csca_files)?),
        trust_files,
        Some(&mut CscaList::new()),
    )
}

/// The signers of a signed trust list, verified against --trust-anchor (and
/// chained to --csca when given).
pub(crate) fn signed_trust(
    list: &Path,
    args: &VerifyArgs,
    now: UnixTime,
) -> Result<TrustList, CliError> {
    let bytes = read_file_as("trust list", list)?;
    let loader =
        TrustListLoader::new(trust(&args.trust_anchor)?).min_sequence(args.min_trust_sequence);
    let empty = chained_trust(&[], &args.csca)?;
    loader
        .load_into(empty, &bytes, now)
        .context(format_args!("trust list {}", list.display()))
}

/// The DSCs of a GDHCN DID trust list whose proof verifies, selected and
/// chained, with each key left out and why.
#[cfg(feature = "gdhcn")]
pub(crate) fn gdhcn_select(
    list: &Path,
    signer: &Path,
    domains: &[String],
    participants: &[String],
) -> Result<Selected, CliError> {
    let who = WhoSigner::from_did_document(&read_file(signer)?)
        .context(format_args!("gdhcn signer {}", signer.display()))?;
    let did = DidTrustList::verify(&read_file(list)?, &who)
        .context(format_args!("gdhcn list {}", list.display()))?;
    let mut selection = KeySelection::new();
    for d in domains {
        selection = selection.domain(d);
    }
    for p in participants {
        selection = selection.participant(p);
    }
    Ok(did.select(&selection))
}

/// What a build without the `gdhcn` feature says of GDHCN lists.
#[cfg(not(feature = "gdhcn"))]
pub(crate) fn no_gdhcn() -> CliError {
    CliError::usage(
        "gdhcn trust lists: this build lacks the gdhcn feature \
         (cargo build -p healthpass-cli --features gdhcn)",
    )
}

/// The DSCs a GDHCN DID list gives for `domains`, into the store; the
/// report names the keys left out.
fn gdhcn_into(
    store: &mut TrustStore,
    list: &Path,
    signer: &Path,
    domains: &[String],
) -> Result<LoadReport, CliError> {
    #[cfg(feature = "gdhcn")]
    {
        let selected = gdhcn_select(list, signer, domains, &[])?;
        Ok(store.add_gdhcn(selected)?)
    }
    #[cfg(not(feature = "gdhcn"))]
    {
        let _ = (store, list, signer, domains);
        Err(no_gdhcn())
    }
}

/// The SMART Health Card issuers of `args` into the store: anchors first
/// (keys are chained when they are loaded), then the JWK sets, then the
/// revocation lists.
fn shc_issuers(issuers: &mut ShcIssuers, args: &VerifyArgs) -> Result<(), CliError> {
    for path in &args.shc_anchor {
        issuers
            .add_anchors(&read_file(path)?)
            .context(format_args!("shc anchor {}", path.display()))?;
    }
    for arg in &args.shc_jwks {
        let (path, iss) = split_issuer(arg);
        let binding = match (iss, args.directories.shc_any_issuer) {
            (Some(iss), _) => KeyBinding::Issuer(iss),
            (None, true) => KeyBinding::AnyIssuer,
            (None, false) => {
                return Err(CliError::usage(format!(
                    "--shc-jwks {path}: give its issuer (FILE=ISSUER_URL), or --shc-any-issuer"
                )))
            }
        };
        issuers
            .add_jwks_strict(&read_text(Path::new(path))?, binding)
            .context(format_args!("shc jwk set {path}"))?;
    }
    for path in &args.shc_crl {
        issuers
            .add_revocation_list(&read_text(path)?)
            .context(format_args!("shc revocation list {}", path.display()))?;
    }
    Ok(())
}

/// `FILE=https://…` → the file and the issuer it is bound to.
fn split_issuer(arg: &str) -> (&str, Option<&str>) {
    match arg.find("=https://") {
        Some(i) => (arg.get(..i).unwrap_or(arg), arg.get(i + 1..)),
        None => (arg, None),
    }
}

/// Loads each trust directory into `store`, as `healthpass verify --trust`
/// and `trust check` read them; returns each file's report. A file that
/// cannot be read or loaded (or, with --strict-trust, holds a refused
/// entry) is a usage error.
pub(crate) fn directories(
    store: &mut TrustStore,
    files: &[String],
    args: &DirectoryArgs,
    now: UnixTime,
) -> Result<Vec<(String, LoadReport)>, CliError> {
    let vci_cert = match &args.vci_cert {
        Some(path) => Some(read_file_as("vci certificate", path)?),
        None => None,
    };
    let mut reports = Vec::with_capacity(files.len());
    for arg in files {
        let (file, iss) = split_issuer(arg);
        let bytes = read_file_as("trust file", Path::new(file))?;
        let mut options = LoadOptions::new(file).at(now);
        if let Some(iss) = iss {
            options = options.shc_issuer(iss);
        }
        if args.shc_any_issuer {
            options = options.shc_any_issuer();
        }
        if args.strict_trust {
            options = options.strict();
        }
        if let Some(cert) = &vci_cert {
            let sig = Path::new(file).with_extension("sig");
            if sig.is_file() {
                options = options.signed_by(read_file_as("signature", &sig)?, cert.clone());
            }
        }
        let report = store
            .load(&bytes, &options)
            .map_err(|e| CliError::usage(e.to_string()))?;
        reports.push((file.to_owned(), report));
    }
    Ok(reports)
}

/// One line for a file's report: what loaded, and the reasons of what did
/// not (escaped: directories are input).
pub(crate) fn summary(file: &str, r: &LoadReport) -> String {
    let mut line = format!(
        "trust {}: {} accepted",
        crate::text::escape(file),
        r.accepted
    );
    for (n, what) in [
        (r.duplicates, "already held"),
        (r.withdrawn, "withdrawn"),
        (r.pruned, "pruned"),
    ] {
        if n > 0 {
            line.push_str(&format!(", {n} {what}"));
        }
    }
    line.push_str(&format!(", {} refused", r.refused.len()));
    let mut by_reason: Vec<(&str, usize)> = Vec::new();
    for refusal in &r.refused {
        match by_reason.iter_mut().find(|(k, _)| *k == refusal.reason) {
            Some((_, n)) => *n += 1,
            None => by_reason.push((&refusal.reason, 1)),
        }
    }
    if !by_reason.is_empty() {
        let reasons: Vec<String> = by_reason
            .iter()
            .map(|(reason, n)| format!("{} ({n})", crate::text::escape(reason)))
            .collect();
        line.push_str(": ");
        line.push_str(&reasons.join("; "));
    }
    line
}

/// The verifier `verify` asks for: its trust (the --trust files, a signed
/// trust list or a GDHCN DID list), revocation lists, other formats' issuers
/// and CSCAs, the exp policy, and the rules.
pub(crate) fn verifier(args: &VerifyArgs, now: UnixTime) -> Result<Verifier, CliError> {
    if let Some(list) = &args.trust_list {
        let builder = verifier_builder(
            signed_trust(list, args, now)?,
            &args.lists,
            now,
            args.clock_skew,
        )?;
        let builder = match args.shc_jwks.is_empty() {
            true => builder,
            false => {
                let mut issuers = ShcIssuers::new();
                shc_issuers(&mut issuers, args)?;
                builder.shc_issuers(issuers)
            }
        };
        return finish(builder, args, now);
    }
    // The --trust directories and a GDHCN list into one store: pass signers
    // (chained to the --csca files when given), country CAs, SMART Health
    // Card keys.
    let mut store = match args.csca.is_empty() {
        true => TrustStore::new(),
        false => TrustStore::chained_to(csca_list(&args.csca)?),
    };
    let mut reports = directories(&mut store, &args.trust, &args.directories, now)?;
    if let (Some(list), Some(signer)) = (&args.gdhcn_list, &args.gdhcn_signer) {
        let report = gdhcn_into(&mut store, list, signer, &args.domain)?;
        reports.push((list.display().to_string(), report));
    }
    for (file, report) in &reports {
        // Quiet when everything loaded; the refusals, when any.
        if !report.refused.is_empty() || report.withdrawn > 0 || report.pruned > 0 {
            eprintln!("{}", summary(file, report));
        }
    }
    shc_issuers(store.shc_issuers_mut(), args)?;
    if !reports.is_empty() && store.is_empty() {
        return Err(CliError::usage(
            "nothing usable in the trust given (see the refusals above)",
        ));
    }
    let builder = verifier_builder(TrustList::new(), &args.lists, now, args.clock_skew)?;
    finish(builder.trust_store(store), args, now)
}

/// The rest of `verify`'s verifier: the exp policy and the rules.
pub(crate) fn finish(
    mut builder: VerifierBuilder,
    args: &VerifyArgs,
    now: UnixTime,
) -> Result<Verifier, CliError> {
    if args.require_exp || !args.accept_missing_exp.is_empty() {
        for member in [Member::DdccVaccination, Member::DdccTest, Member::Dvc] {
            let accept = !args.require_exp
                && (member == Member::Dvc || args.accept_missing_exp.contains(&member));
            builder = builder.accept_missing_exp(member, accept);
        }
    }
    builder = with_rules(builder, &args.rules, now)?;
    Ok(builder.build()?)
}

/// A verifier builder for `trust`, with the revocation lists of `lists`
/// loaded at `now`.
pub(crate) fn verifier_builder(
    trust: TrustList,
    lists: &ListArgs,
    now: UnixTime,
    clock_skew: u32,
) -> Result<VerifierBuilder, CliError> {
    let mut builder = Verifier::builder()
        .trust_list(trust)
        .clock_skew_secs(clock_skew);
    if let Some(revocation) = revocation_lists(lists, now)? {
        builder = builder.revocation(revocation);
    }
    Ok(builder)
}

/// `builder` with the rules and policy of `args`, if any are asked for (a
/// signed rule set checked at `now` against its anchors).
pub(crate) fn with_rules(
    builder: VerifierBuilder,
    args: &RulesArgs,
    now: UnixTime,
) -> Result<VerifierBuilder, CliError> {
    let set = match (&args.rules, &args.preset) {
        (Some(path), _) => {
            let bytes = read_file_as("rules", path)?;
            if !args.rules_anchor.is_empty() {
                // Only a set the anchors signed: an unsigned file is refused.
                RuleSetLoader::new(trust(&args.rules_anchor)?)
                    .min_sequence(args.min_rules_sequence)
                    .load(&bytes, now)
                    .context(format_args!("rules {}", path.display()))?
            } else {
                let text = std::str::from_utf8(&bytes).map_err(|_| {
                    CliError::usage(format!(
                        "rules {}: not UTF-8 (a signed rule set needs --rules-anchor)",
                        path.display()
                    ))
                })?;
                RuleSet::from_json(text).context(format_args!("rules {}", path.display()))?
            }
        }
        (None, Some(name)) => RuleSet::preset(name)?,
        // `--mode NAME` alone: the built-in preset of that name.
        (None, None) => match &args.mode {
            Some(name) => RuleSet::preset(name).context("--mode")?,
            None if args.country.is_some() || args.region.is_some() => {
                return Err(CliError::usage(
                    "--country and --region need --rules FILE, --preset NAME or --mode PRESET",
                ));
            }
            None => return Ok(builder),
        },
    };
    Ok(builder.rules(set).policy(policy(args)))
}

/// The policy `args` ask for: country, region, scan mode, language.
pub(crate) fn policy(args: &RulesArgs) -> Policy {
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
    policy
}

/// The revocation lists of `lists`, or `None` when none is given.
fn revocation_lists(lists: &ListArgs, now: UnixTime) -> Result<Option<Revocation>, CliError> {
    if lists.revocation.is_empty() {
        return Ok(None);
    }
    if lists.revocation_trust.is_empty() && !lists.allow_unsigned_list {
        return Err(CliError::usage(
            "--revocation needs --revocation-trust FILE (the certificates that sign \
             lists), or --allow-unsigned-list",
        ));
    }
    let loader =
        RevocationListLoader::new(trust(&lists.revocation_trust)?).min_sequence(lists.min_sequence);
    let mut revocation = Revocation::new();
    for path in &lists.revocation {
        revocation = revocation.with_list(revocation_list(
            path,
            &loader,
            lists.allow_unsigned_list,
            now,
        )?);
    }
    Ok(Some(revocation))
}

/// Reads a list file: a signed list (COSE_Sign1, verified by `loader`), or
/// with `allow_unsigned` an unsigned list document.
pub(crate) fn revocation_list(
    path: &Path,
    loader: &RevocationListLoader,
    allow_unsigned: bool,
    now: UnixTime,
) -> Result<RevocationList, CliError> {
    let bytes = read_file(path)?;
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
    list.context(format_args!("revocation list {}", path.display()))
}

/// A signing key (PKCS#8 PEM) and its certificate (PEM).
pub(crate) fn credential(key: &Path, cert: &Path) -> Result<Credential, CliError> {
    let key_pem = zeroize::Zeroizing::new(read_text(key)?);
    let cert_pem = read_text(cert)?;
    Ok(Credential::from_pem(&key_pem, &cert_pem)?)
}
