//! `healthpass verify`: one pass of any format, one verdict (a sentence or
//! `--json`); exit 0 valid, 1 rejected, 2 usage.

use healthpass::Error;

use crate::args::VerifyArgs;
use crate::error::{CliError, CliResult, Done};
use crate::io::{read_file, read_input};
use crate::{load, text};

pub(crate) fn run(args: &VerifyArgs) -> CliResult {
    if args.trust.is_empty()
        && args.store.is_none()
        && args.trust_list.is_none()
        && args.gdhcn_list.is_none()
        && args.shc_jwks.is_empty()
    {
        return Err(CliError::usage(
            "verify needs --trust FILE, --trust-list LIST --trust-anchor FILE, \
             --gdhcn-list DID.json --gdhcn-signer SIGNER_DID.json, --store DIR, or --shc-jwks FILE \
             (no key is trusted by default)",
        ));
    }
    let now = args.at.unwrap_or_else(load::now);
    let verifier = match &args.store {
        #[cfg(feature = "sync")]
        Some(dir) => crate::cmd::sync::store_verifier(args, dir, now)?,
        #[cfg(not(feature = "sync"))]
        Some(_) => return Err(crate::cmd::sync::no_sync()),
        None => load::verifier(args, now)?,
    };
    let text = match (&args.image, &args.input) {
        // An image without a readable code is a rejected pass, not a usage error.
        (Some(path), _) => healthpass::qr::decode_image(&read_file(path)?).map(String::into_bytes),
        (None, Some(input)) => Ok(read_input(input)?),
        (None, None) => return Err(CliError::usage("verify needs INPUT or --image FILE.png")),
    };
    let result = text.and_then(|text| {
        let text = String::from_utf8(text).map_err(|_| Error::NotText)?;
        verifier.verify(&text, now)
    });
    let verdict = verifier.verdict_of(&result, now, verifier.policy());
    if args.json {
        let mut json =
            serde_json::to_value(&verdict).map_err(|e| CliError::usage(e.to_string()))?;
        // How old the trust data is, when a store gave it.
        if let (Some(as_of), Some(object)) = (verifier.trust_data_as_of(), json.as_object_mut()) {
            object.insert("trust_as_of".into(), as_of.to_string().into());
            object.insert(
                "trust_age_secs".into(),
                now.as_secs().saturating_sub(as_of.as_secs()).into(),
            );
        }
        let line = serde_json::to_string(&json).map_err(|e| CliError::usage(e.to_string()))?;
        out!("{line}");
    } else {
        out!("{}", text::verdict_line(&verdict));
        if let Some(admission) = verdict.admission() {
            for failed in admission.failed_rules() {
                out!("{}", text::failed_rule_line(failed));
            }
        }
    }
    Ok(if verdict.is_valid() {
        Done::Ok
    } else {
        Done::Rejected
    })
}
