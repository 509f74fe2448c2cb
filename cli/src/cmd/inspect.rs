//! `healthpass inspect`: a pass of any format decoded WITHOUT verification,
//! as JSON with a warning.

use healthpass::inspect::inspect_unverified;
use healthpass::Error;
use serde_json::json;

use crate::args::InspectArgs;
use crate::error::{CliError, CliResult, Done};
use crate::io::{hex, read_input};

const UNVERIFIED: &str = "decoded without checking the signature, signer or validity: do not trust";

pub(crate) fn run(args: &InspectArgs) -> CliResult {
    let text = read_input(&args.input)?;
    let text = String::from_utf8(text).map_err(|_| CliError::CannotDecode(Error::NotText))?;
    let decoded = if text
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("shc:/"))
    {
        healthpass::formats::shc::decode(&text).map(|c| {
            json!({"unverified": true, "warning": UNVERIFIED, "format": "shc",
                   "kid": c.kid, "payload": c.payload})
        })
    } else if text.starts_with('{') {
        healthpass::formats::icao::decode(&text).map(|d| {
            json!({"unverified": true, "warning": UNVERIFIED, "format": "icao",
                   "type": d.seal_type, "country": d.country, "alg": d.algorithm,
                   "signer_country": d.signer_country, "payload": d.message})
        })
    } else {
        inspect_unverified(&text).map(|u| {
            json!({
                "unverified": true,
                "warning": UNVERIFIED,
                "format": "hcert",
                "alg": u.algorithm().name(),
                "kid": hex(&u.kid()),
                "claims": {
                    "iss": u.issuer(),
                    "iat": u.issued_at().to_string(),
                    "exp": u.expires().map(|t| t.to_string()),
                },
                "member": u.payload().member().as_str(),
                "payload": u.payload().to_json(),
            })
        })
    };
    let decoded = decoded.map_err(CliError::CannotDecode)?;
    let pretty =
        serde_json::to_string_pretty(&decoded).map_err(|e| CliError::usage(e.to_string()))?;
    out!("{pretty}");
    Ok(Done::Ok)
}
