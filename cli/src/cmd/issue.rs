//! `healthpass issue`: sign a pass (any member of the HCERT family), or
//! make a light pass from a verified one.

use healthpass::issue::{Issuer, DEFAULT_LIGHT_VALIDITY};
use healthpass::payload::Payload;
use healthpass::signed::Validity;
use healthpass::{Error, UnixTime};

use crate::args::IssueArgs;
use crate::error::{CliError, CliResult, Done};
use crate::io::{read_input, read_text};
use crate::load;

pub(crate) fn run(args: &IssueArgs) -> CliResult {
    let issuer = Issuer::new(load::credential(&args.key, &args.cert)?);
    let iat = args.iat.unwrap_or_else(load::now);
    let text = match (args.light, &args.payload, &args.from) {
        (true, _, Some(from)) => light(&issuer, from, args, iat)?,
        (false, Some(payload), _) => full(&issuer, payload, iat, args)?,
        _ => {
            return Err(CliError::usage(
                "issue needs --payload FILE, or --light --from INPUT --trust FILE",
            ))
        }
    };
    out!("{text}");
    Ok(Done::Ok)
}

fn full(
    issuer: &Issuer,
    payload: &std::path::Path,
    iat: UnixTime,
    args: &IssueArgs,
) -> Result<String, CliError> {
    let json = read_text(payload)?;
    let json: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| CliError::usage(format!("{} is not JSON: {e}", payload.display())))?;
    let payload = Payload::from_tagged_json(json).map_err(CliError::Refused)?;
    if args.no_exp {
        return issuer
            .issue_without_expiry(&payload, iat)
            .map_err(CliError::Refused);
    }
    let exp = args.exp.unwrap_or(iat.saturating_add(365 * 86_400));
    let validity = Validity::new(iat, exp).map_err(CliError::Refused)?;
    issuer.issue(&payload, validity).map_err(CliError::Refused)
}

/// A light pass from `from`, verified first with the given trust and
/// revocation lists: a revoked pass is refused here, before any light pass
/// is made from it.
fn light(issuer: &Issuer, from: &str, args: &IssueArgs, now: UnixTime) -> Result<String, CliError> {
    let builder = load::verifier_builder(load::trust(&args.trust)?, &args.lists, now, 0)?;
    let verifier = load::with_rules(builder, &args.rules, now)?.build()?;
    let text = read_input(from)?;
    let pass = std::str::from_utf8(&text)
        .map_err(|_| Error::NotText)
        .and_then(|t| verifier.verify_hcert(t, now))
        .map_err(CliError::Refused)?;
    let valid_for = args.valid_for.unwrap_or(DEFAULT_LIGHT_VALIDITY);
    match verifier.rules() {
        // Under a policy: the source must be admitted, with the reason when
        // it is not.
        Some(rules) => {
            let admission = pass.admission(rules, verifier.policy(), now);
            if !admission.is_admitted() {
                eprintln!("healthpass: the source: {}", admission.reason());
            }
            issuer.issue_light_admitted(&pass, rules, verifier.policy(), now, valid_for)
        }
        None => issuer.issue_light(&pass, now, valid_for),
    }
    .map_err(CliError::Refused)
}
