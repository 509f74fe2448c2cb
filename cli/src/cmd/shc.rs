//! `healthpass shc sign` and `shc jwks`: SMART Health Cards for tests and
//! demos, and the public JWK set an issuer publishes.

use std::path::Path;

use healthpass::formats::shc::{public_jwks, signing_key_from_jwk, CardContent};
use healthpass::issue::SigningKey;

use crate::args::{ShcCommand, ShcJwksArgs, ShcSignArgs};
use crate::error::{CliError, CliResult, Context as _, Done};
use crate::io::read_text;
use crate::load::now;

pub(crate) fn run(cmd: &ShcCommand) -> CliResult {
    match cmd {
        ShcCommand::Sign(args) => sign(args),
        ShcCommand::Jwks(args) => jwks(args),
    }
}

/// An ES256 key from a private JWK (set) or PKCS#8 PEM.
fn key(path: &Path, kid: Option<&str>) -> Result<SigningKey, CliError> {
    let text = read_text(path)?;
    if text.trim_start().starts_with('{') {
        signing_key_from_jwk(&text, kid)
    } else {
        SigningKey::from_pkcs8_pem(&text)
    }
    .context(path.display())
}

fn sign(args: &ShcSignArgs) -> CliResult {
    let key = key(&args.key, args.kid.as_deref())?;
    let bundle: serde_json::Value = std::fs::read_to_string(&args.bundle)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        .context(format_args!("bundle {}", args.bundle.display()))?;
    let mut card = CardContent::new(&args.iss, args.nbf.unwrap_or_else(now), bundle);
    if let Some(exp) = args.exp {
        card = card.expires(exp);
    }
    if let Some(rid) = &args.rid {
        card = card.rid(rid);
    }
    let text = card.sign(&key).map_err(CliError::Refused)?;
    out!("{text}");
    Ok(Done::Ok)
}

fn jwks(args: &ShcJwksArgs) -> CliResult {
    let jwks = public_jwks(&key(&args.key, args.kid.as_deref())?)?;
    out!("{jwks}");
    Ok(Done::Ok)
}
