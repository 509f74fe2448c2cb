//! One error type for the command line, and the exit status of each
//! outcome: 0 done (a valid pass), 1 rejected or refused, 2 a usage error
//! (or output that cannot be written, see [`crate::io`]).

use std::fmt::Display;
use std::process::ExitCode;

use healthpass::Error;

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Done {
    /// Done; for `verify`, the pass is valid: exit 0.
    Ok,
    /// The answer is no (an invalid pass, a revoked one): exit 1. The
    /// command has printed why.
    Rejected,
}

/// Why a command stopped.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The arguments or the files they name cannot be used: exit 2.
    Usage(String),
    /// The library refused what was asked (a payload it will not sign):
    /// exit 1.
    Refused(Error),
    /// A pass that cannot be decoded (`inspect`, `revocation check`):
    /// exit 1.
    CannotDecode(Error),
}

/// What a command returns.
pub(crate) type CliResult = Result<Done, CliError>;

impl CliError {
    /// A usage error with this message.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }
}

impl From<Error> for CliError {
    /// A library error met while reading the caller's files is theirs to
    /// fix: a usage error (library refusals of a request use
    /// [`CliError::Refused`] explicitly).
    fn from(e: Error) -> Self {
        CliError::Usage(e.to_string())
    }
}

/// Adds what was being read to an error: `trust file X: …`.
pub(crate) trait Context<T> {
    /// The error, as a usage error prefixed with `what: `.
    fn context(self, what: impl Display) -> Result<T, CliError>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: impl Display) -> Result<T, CliError> {
        self.map_err(|e| CliError::Usage(format!("{what}: {e}")))
    }
}

/// Prints why a command stopped on standard error and gives its status.
pub(crate) fn exit(result: CliResult) -> ExitCode {
    match result {
        Ok(Done::Ok) => ExitCode::SUCCESS,
        Ok(Done::Rejected) => ExitCode::from(1),
        Err(CliError::Usage(message)) => {
            eprintln!("healthpass: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Refused(e)) => {
            eprintln!("healthpass: refused: {e}");
            ExitCode::from(1)
        }
        Err(CliError::CannotDecode(e)) => {
            eprintln!("healthpass: cannot decode: {} ({})", e, e.kind());
            ExitCode::from(1)
        }
    }
}
