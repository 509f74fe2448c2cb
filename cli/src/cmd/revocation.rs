//! `healthpass revocation build` and `revocation check`.

use healthpass::revocation::{
    hash_of_unverified, RevocationHash, RevocationListDocument, RevocationListLoader,
};
use healthpass::Error;

use crate::args::{RevocationBuildArgs, RevocationCheckArgs, RevocationCommand};
use crate::error::{CliError, CliResult, Done};
use crate::io::{read_input, read_text, write_file};
use crate::load;

pub(crate) fn run(cmd: &RevocationCommand) -> CliResult {
    match cmd {
        RevocationCommand::Build(args) => build(args),
        RevocationCommand::Check(args) => check(args),
    }
}

/// The hashes of the input file: one pass text or one hex hash per line,
/// `#` starting a comment (neither Base45 nor hex has one); sorted, once
/// each.
fn hashes(args: &RevocationBuildArgs) -> Result<Vec<RevocationHash>, CliError> {
    let text = read_text(&args.input)?;
    let mut adds = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let at_line = |e: Error| CliError::usage(format!("line {}: {e}", n + 1));
        let hash = if line.starts_with("HC1:") || line.starts_with("LT1:") {
            hash_of_unverified(line, args.hash_type, args.country_from)
                .map_err(at_line)?
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "line {}: the pass has nothing to hash for {}",
                        n + 1,
                        args.hash_type.as_str()
                    ))
                })?
        } else {
            RevocationHash::from_hex(line).map_err(at_line)?
        };
        adds.push(hash);
    }
    adds.sort_unstable();
    adds.dedup();
    Ok(adds)
}

fn build(args: &RevocationBuildArgs) -> CliResult {
    let adds = hashes(args)?;
    let count = adds.len();
    let doc = args
        .meta
        .validity()
        .and_then(|validity| {
            RevocationListDocument::builder(args.hash_type, args.meta.list_id.as_str())
                .sequence(args.meta.sequence)
                .country_source(args.country_from)
                .adds(adds)
                .build(validity)
        })
        .map_err(CliError::Refused)?;
    let bytes = match (&args.sign, &args.cert) {
        (Some(key), Some(cert)) => doc
            .sign(&load::credential(key, cert)?)
            .map_err(CliError::Refused)?,
        _ => doc.to_cbor(),
    };
    write_file(&args.out, bytes)?;
    out!(
        "wrote {} ({count} {} hashes)",
        args.out.display(),
        args.hash_type.as_str()
    );
    Ok(Done::Ok)
}

fn check(args: &RevocationCheckArgs) -> CliResult {
    if args.trust.is_empty() && !args.allow_unsigned_list {
        return Err(CliError::usage(
            "revocation check needs --trust FILE (the certificates that sign \
             lists), or --allow-unsigned-list",
        ));
    }
    let now = args.at.unwrap_or_else(load::now);
    let loader = RevocationListLoader::new(load::trust(&args.trust)?);
    let list = load::revocation_list(&args.list, &loader, args.allow_unsigned_list, now)?;
    let text = String::from_utf8(read_input(&args.input)?)
        .map_err(|_| CliError::CannotDecode(Error::NotText))?;
    if list.expires().is_some_and(|t| now > t) {
        out!("untrusted: the revocation list has expired");
        return Ok(Done::Rejected);
    }
    if list
        .matches_unverified(&text)
        .map_err(CliError::CannotDecode)?
    {
        out!("revoked");
        Ok(Done::Rejected)
    } else {
        out!("not revoked");
        Ok(Done::Ok)
    }
}
