//! `healthpass rules build`: a rule file signed as a rule set, so that the
//! gates that load it know who wrote their rules.

use healthpass::rules::RuleSetDocument;

use crate::args::{RulesBuildArgs, RulesCommand};
use crate::error::{CliError, CliResult, Context as _, Done};
use crate::io::{read_file_as, write_file};
use crate::load;

pub(crate) fn run(cmd: &RulesCommand) -> CliResult {
    match cmd {
        RulesCommand::Build(args) => build(args),
    }
}

fn build(args: &RulesBuildArgs) -> CliResult {
    let bytes = read_file_as("rules", &args.input)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| CliError::usage(format!("rules {}: not UTF-8", args.input.display())))?;
    let meta = &args.meta;
    let doc = RuleSetDocument::builder_from_json(meta.list_id.as_str(), text)
        .context(format_args!("rules {}", args.input.display()))?
        .sequence(meta.sequence)
        .build(meta.validity()?)?;
    let signed = doc.sign(&load::credential(&args.signer.sign, &args.signer.cert)?)?;
    write_file(&args.out, signed)?;
    out!(
        "rule set {}: {} rules{}, sequence {}, valid until {}",
        args.out.display(),
        doc.adds().len(),
        if doc.params().is_some() {
            " and scan modes"
        } else {
            ""
        },
        doc.sequence(),
        doc.validity().expires()
    );
    Ok(Done::Ok)
}
