//! `healthpass trust build` (a signed trust list) and `trust gdhcn` (the
//! DSCs of a WHO GDHCN DID trust list, verified and chained, as PEM).

use base64ct::{Base64, Encoding as _};
use healthpass::trust::signed_list::{TrustListDocument, TrustListEntry};
use healthpass::trust::Kid;
use healthpass::TrustStore;

use crate::args::{TrustBuildArgs, TrustCheckArgs, TrustCommand, TrustGdhcnArgs};
use crate::error::{CliError, CliResult, Context as _, Done};
use crate::io::{read_file, write_file};
use crate::load;

pub(crate) fn run(cmd: &TrustCommand) -> CliResult {
    match cmd {
        TrustCommand::Build(args) => build(args),
        TrustCommand::Gdhcn(args) => gdhcn(args),
        TrustCommand::Check(args) => check(args),
    }
}

/// `trust check`: what the directories hold for a verifier, per framework,
/// and each entry left out with why.
fn check(args: &TrustCheckArgs) -> CliResult {
    let mut store = TrustStore::new();
    let now = args.at.unwrap_or_else(load::now);
    let reports = load::directories(&mut store, &args.files, &args.directories, now)?;
    let usable = !store.is_empty();
    if args.json {
        // One object for every file: the contract
        // {"accepted", "refused": [{"entry", "reason"}], "frameworks"}.
        let (mut accepted, mut refused) = (0usize, Vec::new());
        let mut frameworks = serde_json::Map::new();
        for (file, r) in &reports {
            accepted += r.accepted;
            for x in &r.refused {
                let entry = match reports.len() {
                    1 => x.entry.clone(),
                    _ => format!("{file}: {}", x.entry),
                };
                refused.push(serde_json::json!({"entry": entry, "reason": x.reason}));
            }
            let counts = serde_json::to_value(r.frameworks).unwrap_or_default();
            for (k, v) in counts.as_object().into_iter().flatten() {
                let n = frameworks
                    .get(k)
                    .and_then(serde_json::Value::as_u64)
                    .unwrap_or(0)
                    + v.as_u64().unwrap_or(0);
                frameworks.insert(k.clone(), n.into());
            }
        }
        out!(
            "{}",
            serde_json::json!({"accepted": accepted, "refused": refused, "frameworks": frameworks})
        );
    } else {
        for (file, r) in &reports {
            out!("{}", load::summary(file, r));
            out!(
                "  frameworks: hcert {}, shc {}, icao {}",
                r.frameworks.hcert,
                r.frameworks.shc,
                r.frameworks.icao
            );
            for x in &r.refused {
                out!(
                    "  left out {}: {}",
                    crate::text::escape(&x.entry),
                    crate::text::escape(&x.reason)
                );
            }
        }
    }
    Ok(if usable { Done::Ok } else { Done::Rejected })
}

/// `trust gdhcn` in a build without the `gdhcn` feature.
#[cfg(not(feature = "gdhcn"))]
fn gdhcn(_: &TrustGdhcnArgs) -> CliResult {
    Err(load::no_gdhcn())
}

/// `trust gdhcn`: the selected, verified, chained DSCs as PEM.
#[cfg(feature = "gdhcn")]
fn gdhcn(args: &TrustGdhcnArgs) -> CliResult {
    let source = &args.source;
    let selected = load::gdhcn_select(
        &source.list,
        &source.signer,
        &source.domain,
        &source.participant,
    )?;
    let mut pem = String::new();
    for key in &selected.chained {
        if let Some(der) = key.certificates().first() {
            pem.push_str(&format!("# {}\n", crate::text::escape(key.id())));
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            let b64 = Base64::encode_string(der);
            for line in b64.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
    }
    write_file(&args.out, pem)?;
    for (key, e) in &selected.refused {
        eprintln!("left out {}: {e}", crate::text::escape(key.id()));
    }
    out!(
        "gdhcn: proof verified; {} DSCs chained to their SCAs written to {}, {} left out",
        selected.chained.len(),
        args.out.display(),
        selected.refused.len()
    );
    Ok(Done::Ok)
}

fn build(args: &TrustBuildArgs) -> CliResult {
    let mut adds = Vec::new();
    for file in &args.input {
        adds.extend(TrustListEntry::all_in(&read_file(file)?).context(file.display())?);
    }
    let mut removes = Vec::new();
    for kid in &args.remove {
        let kid = Base64::decode_vec(kid)
            .ok()
            .and_then(|k| Kid::try_from(k).ok())
            .ok_or_else(|| {
                CliError::usage(format!("--remove {kid}: not a base64 kid of 8 bytes"))
            })?;
        removes.push(kid);
    }
    let count = adds.len();
    let meta = &args.meta;
    let doc = meta.validity().and_then(|validity| {
        let builder = TrustListDocument::builder(meta.list_id.as_str())
            .sequence(meta.sequence)
            .adds(adds)
            .removes(removes);
        match args.delta_on {
            Some(base) => builder.delta_on(base),
            None => builder,
        }
        .build(validity)
    })?;
    let bytes = doc.sign(&load::credential(&args.signer.sign, &args.signer.cert)?)?;
    write_file(&args.out, bytes)?;
    out!(
        "trust list {}: {count} signers{}, sequence {}, valid until {}",
        args.out.display(),
        doc.base_sequence().map_or(String::new(), |b| format!(
            " added on sequence {b}, {} kids removed",
            doc.removes().len()
        )),
        doc.sequence(),
        doc.validity().expires()
    );
    Ok(Done::Ok)
}
