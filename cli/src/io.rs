//! Input and output: one reader for a pass argument (`-`, `@PATH` or the
//! text itself), file reads and writes with the path in their errors, and
//! standard output that survives a closed pipe.

use std::io::{Read as _, Write as _};
use std::path::Path;

use crate::error::CliError;

/// `println!` that survives a closed pipe (`healthpass inspect … | head`):
/// the rest of the output is dropped and the exit status still says what
/// happened. Any other write error (a full disk) ends the run with status 2.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::io::write_out(format_args!($($arg)*))
    };
}

pub(crate) fn write_out(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{args}").and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(
                std::io::stderr(),
                "healthpass: cannot write the output: {e}"
            );
            std::process::exit(2);
        }
    }
}

/// A pass argument as bytes, without the white space around it: standard
/// input for `-`, a file for `@PATH`, else the argument itself. (A pass
/// that is not UTF-8 is a malformed pass, judged by the verifier, not a
/// usage error.)
pub(crate) fn read_input(input: &str) -> Result<Vec<u8>, CliError> {
    let bytes = if input == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        b
    } else if let Some(path) = input.strip_prefix('@') {
        std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))?
    } else {
        input.as_bytes().to_vec()
    };
    Ok(bytes.trim_ascii().to_vec())
}

/// A file's bytes; the error names the file (`cannot read PATH: …`).
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))
}

/// A file's bytes; the error names what it is (`cannot read trust file
/// PATH: …`).
pub(crate) fn read_file_as(what: &str, path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|e| CliError::usage(format!("cannot read {what} {}: {e}", path.display())))
}

/// A text file.
pub(crate) fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))
}

/// Writes a file; the error names it.
pub(crate) fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))
}

/// Writes a file only its owner can read (on Unix).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))
}

/// Lower-case hex of bytes (kids).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
