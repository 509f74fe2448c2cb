//! `healthpass`: verify, inspect and issue health passes from the command
//! line; make signer keys, signed lists and QR codes.
//!
//! Exit status: 0 success (valid pass), 1 rejected (for any reason), 2 usage
//! error (or output that cannot be written).
//!
//! `main` parses and dispatches; `args` holds the flags, `error` the exit
//! statuses, `io` the readers and writers, `load` what the flags name, and
//! `cmd/` one file per command.

use std::process::ExitCode;

use clap::Parser as _;

#[macro_use]
mod io;
mod args;
mod cmd;
mod error;
mod load;
mod text;

use args::{Cli, Command};

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Verify(args) => cmd::verify::run(&args),
        Command::Inspect(args) => cmd::inspect::run(&args),
        Command::Keygen(args) => cmd::keygen::run(&args),
        Command::Issue(args) => cmd::issue::run(&args),
        Command::Shc(cmd) => cmd::shc::run(&cmd),
        Command::Revocation(cmd) => cmd::revocation::run(&cmd),
        Command::Trust(cmd) => cmd::trust::run(&cmd),
        Command::Rules(cmd) => cmd::rules::run(&cmd),
        Command::Qr(args) => cmd::qr::run(&args),
        Command::Sync(args) => cmd::sync::run(&args),
        Command::Store(args::StoreCommand::Export(args)) => cmd::sync::export(&args),
    };
    error::exit(result)
}
