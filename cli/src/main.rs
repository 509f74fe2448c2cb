//! `healthpass`: verify and inspect health passes from the command line.
//!
//! Exit status: 0 valid, 1 rejected (for any reason), 2 usage error.

use std::io::Read as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        input: String,
    },
    /// Decode a pass WITHOUT verifying it and print its claims and payload as JSON.
    Inspect {
        /// The pass text, `-` for standard input, or `@PATH` to read it from a file.
        input: String,
    },
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
            input,
        } => verify(&trust, at, json, &input),
        Command::Inspect { input } => inspect(&input),
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("healthpass: {msg}");
    ExitCode::from(2)
}

fn verify(trust_files: &[String], at: Option<UnixTime>, as_json: bool, input: &str) -> ExitCode {
    if trust_files.is_empty() {
        return usage("verify needs at least one --trust FILE (no key is trusted by default)");
    }
    let mut trust = TrustList::new();
    for file in trust_files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return usage(&format!("cannot read trust file {file}: {e}")),
        };
        if let Err(e) = trust.add_any(&bytes) {
            return usage(&format!("trust file {file}: {e}"));
        }
    }
    let verifier = match Verifier::builder().trust_list(trust).build() {
        Ok(v) => v,
        Err(e) => return usage(&e.to_string()),
    };
    let text = match read_input(input) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    // The command line is where the clock is read; the library never does.
    let now = at.unwrap_or_else(|| UnixTime::from(std::time::SystemTime::now()));
    let result = verifier.verify(&text, now);
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
                println!(
                    "valid: {name}, born {}, valid until {until}",
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
