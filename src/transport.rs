//! Transport: the text in a QR code ⇄ the COSE bytes.
//!
//! `HC1:` (full pass) or `LT1:` (light pass) prefix, Base45 (RFC 9285, strict) and zlib (mandatory, Adler-32
//! checked, nothing after the stream, bounded output).

// Some items serve only the tests and fuzz targets (feature `internals`).
#![cfg_attr(not(feature = "internals"), allow(dead_code))]

use crate::Error;

/// The prefix of a full health certificate (hcert spec, context identifier).
pub const PREFIX: &str = "HC1:";

/// The prefix of a light pass (no health data).
pub const LIGHT_PREFIX: &str = "LT1:";

/// The context identifier a pass's text starts with.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// `HC1:`, a full health certificate.
    Hc1,
    /// `LT1:`, a light pass.
    Lt1,
}

impl Prefix {
    /// The prefix as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Prefix::Hc1 => PREFIX,
            Prefix::Lt1 => LIGHT_PREFIX,
        }
    }
}

/// Hard cap on the length of a pass's text, in bytes. Real passes are under
/// 1 KiB of text; a QR code of version 40 holds at most 4296 alphanumerics.
pub const MAX_TEXT_LEN: usize = 8 * 1024;

/// Hard cap on the inflated size of the zlib stream, in bytes. The largest
/// real COSE structures are under 1 KiB.
pub const MAX_INFLATED_LEN: usize = 64 * 1024;

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Base45 values by byte; 0xFF outside the alphabet. (Built at compile
/// time: an out-of-range index there fails the build, not a run.)
#[allow(clippy::indexing_slicing)]
static DECODE: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The Base45 value of a character, or `None` outside the alphabet.
#[inline]
fn value(c: u8) -> Option<u32> {
    match DECODE.get(usize::from(c)) {
        Some(&v) if v != 0xFF => Some(u32::from(v)),
        _ => None,
    }
}

/// The character of a Base45 digit (`d` < 45).
fn digit(d: usize) -> char {
    ALPHABET.get(d).map_or('0', |&c| char::from(c))
}

/// Removes the `HC1:` prefix.
///
/// # Errors
/// [`Error::UnknownPrefix`] if the text does not start with `HC1:` (another
/// context identifier, or none at all).
pub fn strip_prefix(text: &str) -> Result<&str, Error> {
    text.strip_prefix(PREFIX).ok_or(Error::UnknownPrefix)
}

/// Splits off either prefix, `HC1:` or `LT1:`.
///
/// # Errors
/// [`Error::UnknownPrefix`] for any other start.
pub fn split_prefix(text: &str) -> Result<(Prefix, &str), Error> {
    [Prefix::Hc1, Prefix::Lt1]
        .into_iter()
        .find_map(|p| text.strip_prefix(p.as_str()).map(|rest| (p, rest)))
        .ok_or(Error::UnknownPrefix)
}

/// Decodes Base45 (RFC 9285) strictly, appending to `out`.
///
/// # Errors
/// [`Error::Base45`] for a character outside the alphabet, a group whose
/// value does not fit (a triplet above 65535, a final pair above 255), or a
/// dangling single character.
pub fn base45_decode_into(text: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
    out.reserve(text.len() / 3 * 2 + 1);
    let mut chunks = text.chunks_exact(3);
    let mut offset = 0;
    for chunk in &mut chunks {
        let group = match *chunk {
            [a, b, c] => value(a).zip(value(b)).zip(value(c)),
            _ => None,
        };
        let Some(((a, b), c)) = group else {
            return Err(Error::Base45 { offset });
        };
        let v = a + b * 45 + c * 45 * 45;
        let v = u16::try_from(v).map_err(|_| Error::Base45 { offset })?;
        out.extend_from_slice(&v.to_be_bytes());
        offset += 3;
    }
    match *chunks.remainder() {
        [] => Ok(()),
        [x, y] => {
            let Some((a, b)) = value(x).zip(value(y)) else {
                return Err(Error::Base45 { offset });
            };
            let v = a + b * 45;
            out.push(u8::try_from(v).map_err(|_| Error::Base45 { offset })?);
            Ok(())
        }
        _ => Err(Error::Base45 { offset }),
    }
}

/// Decodes Base45 (RFC 9285) strictly.
///
/// # Errors
/// As [`base45_decode_into`].
pub fn base45_decode(text: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    base45_decode_into(text.as_bytes(), &mut out)?;
    Ok(out)
}

/// Encodes bytes as Base45 (RFC 9285).
pub fn base45_encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut chunks = bytes.chunks_exact(2);
    for pair in &mut chunks {
        if let [x, y] = *pair {
            let mut v = usize::from(u16::from_be_bytes([x, y]));
            for _ in 0..3 {
                s.push(digit(v % 45));
                v /= 45;
            }
        }
    }
    if let [b] = *chunks.remainder() {
        let v = usize::from(b);
        s.push(digit(v % 45));
        s.push(digit(v / 45));
    }
    s
}

/// Inflates a zlib stream (RFC 1950) into `out` (cleared first), producing
/// at most `max` bytes.
///
/// The zlib header is mandatory, the Adler-32 trailer must be present and
/// correct, and the stream must end exactly at the end of `input`.
///
/// # Errors
/// [`Error::Zlib`] for anything that is not one complete, valid stream;
/// [`Error::InflatedTooLarge`] as soon as the output would pass `max`;
/// [`Error::TrailingBytes`] if bytes follow the stream.
pub fn inflate_into(input: &[u8], max: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    inflate_stream(input, max, out, true)
}

#[cfg(feature = "shc")]
/// As [`inflate_into`], for a raw DEFLATE stream (RFC 1951: no zlib header
/// or checksum; a SMART Health Card's payload). It must end exactly at the
/// end of `input`.
///
/// # Errors
/// As [`inflate_into`].
pub(crate) fn inflate_raw_into(input: &[u8], max: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    inflate_stream(input, max, out, false)
}

fn inflate_stream(input: &[u8], max: usize, out: &mut Vec<u8>, zlib: bool) -> Result<(), Error> {
    use flate2::{Decompress, FlushDecompress, Status};

    out.clear();
    let mut z = Decompress::new(zlib);
    // One byte of room beyond `max` tells "exactly max" from "more than max".
    let limit = max.saturating_add(1);
    out.reserve_exact(input.len().saturating_mul(4).clamp(64, limit));
    loop {
        let before = (z.total_in(), z.total_out());
        let consumed = usize::try_from(before.0).map_err(|_| Error::Zlib)?;
        let rest = input.get(consumed..).ok_or(Error::Zlib)?;
        let status = z
            .decompress_vec(rest, out, FlushDecompress::None)
            .map_err(|_| Error::Zlib)?;
        if out.len() > max {
            return Err(Error::InflatedTooLarge { max });
        }
        if status == Status::StreamEnd {
            let consumed = usize::try_from(z.total_in()).map_err(|_| Error::Zlib)?;
            return if consumed == input.len() {
                Ok(())
            } else {
                Err(Error::TrailingBytes {
                    after: "zlib stream",
                })
            };
        }
        if out.len() == out.capacity() {
            // Output full: grow geometrically, never past the limit.
            let grow = out.len().min(limit - out.len()).max(1);
            out.reserve_exact(grow);
        } else if (z.total_in(), z.total_out()) == before {
            // Room to write, no end, no progress: the input is cut short.
            return Err(Error::Zlib);
        }
    }
}

/// Inflates a zlib stream with the crate's cap ([`MAX_INFLATED_LEN`]).
///
/// # Errors
/// As [`inflate_into`].
pub fn inflate(input: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    inflate_into(input, MAX_INFLATED_LEN, &mut out)?;
    Ok(out)
}

/// Compresses bytes as a zlib stream at the best ratio (level 9).
///
/// # Errors
/// [`Error::Internal`] if the compressor fails (writing into memory does
/// not, but no failure is turned into empty output).
pub fn deflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    use std::io::Write as _;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)
        .and_then(|()| enc.finish())
        .map_err(|_| Error::Internal("zlib compression failed"))
}

/// Compresses bytes as a raw DEFLATE stream (RFC 1951) at level 9.
///
/// # Errors
/// As [`deflate`].
#[cfg(all(feature = "shc", feature = "rustcrypto"))]
pub(crate) fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    use std::io::Write as _;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)
        .and_then(|()| enc.finish())
        .map_err(|_| Error::Internal("deflate compression failed"))
}

/// Text → COSE bytes: checks the length cap, strips the prefix, decodes
/// Base45 and inflates.
///
/// # Errors
/// [`Error::InputTooLong`], then the errors of [`strip_prefix`],
/// [`base45_decode`] and [`inflate`].
pub fn decode_text(text: &str) -> Result<Vec<u8>, Error> {
    check_len(text)?;
    let b45 = strip_prefix(text)?;
    let zlib = base45_decode(b45)?;
    inflate(&zlib)
}

/// As [`decode_text`], for a text with either prefix (`HC1:` or `LT1:`);
/// says which one it had.
///
/// # Errors
/// As [`decode_text`].
pub fn decode_any_text(text: &str) -> Result<(Prefix, Vec<u8>), Error> {
    check_len(text)?;
    let (prefix, b45) = split_prefix(text)?;
    let zlib = base45_decode(b45)?;
    Ok((prefix, inflate(&zlib)?))
}

fn check_len(text: &str) -> Result<(), Error> {
    if text.len() > MAX_TEXT_LEN {
        return Err(Error::InputTooLong {
            len: text.len(),
            max: MAX_TEXT_LEN,
        });
    }
    Ok(())
}

/// COSE bytes → text: deflate at the best ratio, Base45, `HC1:` prefix.
///
/// # Errors
/// As [`deflate`].
pub fn encode_text(cose: &[u8]) -> Result<String, Error> {
    encode_text_with(Prefix::Hc1, cose)
}

/// COSE bytes → text with the given prefix.
///
/// # Errors
/// As [`deflate`].
pub fn encode_text_with(prefix: Prefix, cose: &[u8]) -> Result<String, Error> {
    let mut s = String::from(prefix.as_str());
    s.push_str(&base45_encode(&deflate(cose)?));
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9285_vectors() {
        assert_eq!(base45_encode(b"AB"), "BB8");
        assert_eq!(base45_encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(base45_encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(base45_encode(b"ietf!"), "QED8WEX0");
        assert_eq!(base45_decode("QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(base45_decode("%69 VD92EX0").unwrap(), b"Hello!!");
        assert_eq!(base45_decode("").unwrap(), b"");
    }

    #[test]
    fn base45_is_strict() {
        // lowercase is not in the alphabet
        assert_eq!(base45_decode("qed8"), Err(Error::Base45 { offset: 0 }));
        // ":::" = 44 + 44*45 + 44*2025 = 91124 > 65535
        assert_eq!(base45_decode("AB:::"), Err(Error::Base45 { offset: 0 }));
        assert_eq!(base45_decode("BB8:::"), Err(Error::Base45 { offset: 3 }));
        // a final pair above 255: "::" = 44 + 44*45 = 2024
        assert_eq!(base45_decode("BB8::"), Err(Error::Base45 { offset: 3 }));
        // one dangling character
        assert_eq!(base45_decode("BB8A"), Err(Error::Base45 { offset: 3 }));
        assert!(base45_decode("BB8\u{e9}").is_err());
    }

    #[test]
    fn base45_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            let s = base45_encode(&data[..n]);
            assert_eq!(base45_decode(&s).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn prefix() {
        assert_eq!(strip_prefix("HC1:ABC"), Ok("ABC"));
        for bad in ["HC2:ABC", "hc1:ABC", "ABC", "", "HC1"] {
            assert_eq!(strip_prefix(bad), Err(Error::UnknownPrefix));
        }
    }

    #[test]
    fn inflate_round_trip_and_caps() {
        let data = vec![0x5Au8; 10_000];
        let z = deflate(&data).unwrap();
        assert_eq!(inflate(&z).unwrap(), data);
        let mut out = Vec::new();
        assert_eq!(
            inflate_into(&z, 9_999, &mut out),
            Err(Error::InflatedTooLarge { max: 9_999 })
        );
        assert!(out.capacity() <= 9_999 * 2);
        inflate_into(&z, 10_000, &mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn inflate_rejects_broken_streams() {
        let z = deflate(b"hello hello hello").unwrap();
        // not zlib at all (a raw COSE tag byte first)
        assert_eq!(inflate(&[0xd2, 0x84, 0x43]), Err(Error::Zlib));
        // trailing byte
        let mut t = z.clone();
        t.push(0);
        assert_eq!(
            inflate(&t),
            Err(Error::TrailingBytes {
                after: "zlib stream"
            })
        );
        // missing or wrong Adler-32
        for cut in 1..=4 {
            assert_eq!(inflate(&z[..z.len() - cut]), Err(Error::Zlib), "cut {cut}");
        }
        let mut bad = z.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(inflate(&bad), Err(Error::Zlib));
        // truncated anywhere
        for n in 0..z.len() {
            assert!(inflate(&z[..n]).is_err(), "prefix of {n} bytes");
        }
    }

    #[test]
    fn text_length_cap() {
        let long = "HC1:".to_string() + &"0".repeat(MAX_TEXT_LEN);
        assert!(matches!(
            decode_text(&long),
            Err(Error::InputTooLong { .. })
        ));
    }
}
