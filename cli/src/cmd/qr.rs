//! `healthpass qr`: a pass rendered as a QR code image (PNG or SVG).

use healthpass::Error;

use crate::args::QrArgs;
use crate::error::{CliError, CliResult, Done};
use crate::io::{read_input, write_file};

pub(crate) fn run(args: &QrArgs) -> CliResult {
    let text = String::from_utf8(read_input(&args.input)?)
        .map_err(|_| CliError::usage(Error::NotText.to_string()))?;
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let rendered = match ext.as_deref() {
        Some("png") => healthpass::qr::to_png(&text),
        Some("svg") => healthpass::qr::to_svg(&text).map(String::into_bytes),
        _ => return Err(CliError::usage("--out must end in .png or .svg")),
    };
    write_file(&args.out, rendered.map_err(CliError::Refused)?)?;
    Ok(Done::Ok)
}
