//! Unique vaccination certificate identifiers (UVCI, the payload's `ci`):
//! `URN:UVCI:01:<CC>:<opaque>#<check>`.
//!
//! The format of the eHealth Network's UVCI guidelines (annex 2): an
//! optional `URN:UVCI:` prefix, version `01`, the issuing country
//! (ISO 3166-1 alpha-2), an opaque part of `A-Z`, `0-9` in blocks separated
//! by `/`, and an optional check character after `#`. The check character is
//! Luhn mod N over the alphabet `A-Z 0-9 / :` (N = 38), computed on
//! everything before the `#`.
//!
//! ```
//! let ci = healthpass::uvci::build("AT", "10807843F94AEE0EE5093FBC254BD813")?;
//! assert_eq!(ci, "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B");
//! assert!(healthpass::uvci::validate(&ci).is_ok());
//! assert!(healthpass::uvci::validate("URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#C").is_err());
//! # Ok::<(), healthpass::uvci::UvciError>(())
//! ```

use core::fmt;

/// The alphabet of the check character, in value order.
pub const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:";

/// The longest UVCI the schema allows (`ci`, 80 characters).
pub const MAX_LEN: usize = 80;

const PREFIX: &str = "URN:UVCI:";
const VERSION: &str = "01";

/// What is wrong with a UVCI.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UvciError {
    /// Longer than [`MAX_LEN`] characters.
    TooLong,
    /// Not version `01` (after the optional `URN:UVCI:`).
    Version,
    /// The country is not two letters `A-Z`.
    Country,
    /// The opaque part is empty, has a character outside `A-Z 0-9 /`, or an
    /// empty block.
    Opaque,
    /// After `#` there is not exactly one character of [`ALPHABET`].
    CheckCharacterFormat,
    /// The check character does not match.
    CheckCharacter,
}

impl fmt::Display for UvciError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UvciError::TooLong => "uvci longer than 80 characters",
            UvciError::Version => "uvci is not version 01",
            UvciError::Country => "uvci country is not two letters a-z",
            UvciError::Opaque => "uvci opaque part is empty or has a character outside A-Z 0-9 /",
            UvciError::CheckCharacterFormat => "uvci check character is not one of A-Z 0-9 / :",
            UvciError::CheckCharacter => "uvci check character does not match",
        })
    }
}

impl std::error::Error for UvciError {}

/// The parts of a valid UVCI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uvci<'a> {
    /// The issuing country.
    pub country: &'a str,
    /// The opaque part.
    pub opaque: &'a str,
    /// The check character, when there is one (it matched).
    pub check: Option<char>,
}

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).and_then(|i| u32::try_from(i).ok())
}

/// The Luhn mod N check character of `text`, or `None` if `text` has a
/// character outside [`ALPHABET`].
pub fn check_character(text: &str) -> Option<char> {
    const N: u32 = 38;
    let mut factor = 2;
    let mut sum = 0u32;
    for c in text.chars().rev() {
        let addend = factor * value(c)?;
        factor = 3 - factor;
        sum += addend / N + addend % N;
    }
    let check = (N - sum % N) % N;
    ALPHABET.chars().nth(check as usize)
}

/// Builds `URN:UVCI:01:<country>:<opaque>#<check>`.
///
/// # Errors
/// As [`validate`] for the result.
pub fn build(country: &str, opaque: &str) -> Result<String, UvciError> {
    let body = format!("{PREFIX}{VERSION}:{country}:{opaque}");
    let check = check_character(&body).ok_or(UvciError::Opaque)?;
    let uvci = format!("{body}#{check}");
    validate(&uvci)?;
    Ok(uvci)
}

/// Checks the format and, when present, the check character.
///
/// # Errors
/// The first [`UvciError`] found.
pub fn validate(uvci: &str) -> Result<Uvci<'_>, UvciError> {
    if uvci.chars().count() > MAX_LEN {
        return Err(UvciError::TooLong);
    }
    let (body, check) = match uvci.split_once('#') {
        Some((body, check)) => (body, Some(check)),
        None => (uvci, None),
    };
    let rest = body.strip_prefix(PREFIX).unwrap_or(body);
    let rest = rest
        .strip_prefix(VERSION)
        .and_then(|r| r.strip_prefix(':'))
        .ok_or(UvciError::Version)?;
    let (country, opaque) = rest.split_once(':').ok_or(UvciError::Country)?;
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(UvciError::Country);
    }
    let block_ok = |b: &str| {
        !b.is_empty()
            && b.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    if !opaque.split('/').all(block_ok) {
        return Err(UvciError::Opaque);
    }
    let check = match check {
        None => None,
        Some(c) => {
            let mut chars = c.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return Err(UvciError::CheckCharacterFormat);
            };
            if value(c).is_none() {
                return Err(UvciError::CheckCharacterFormat);
            }
            if check_character(body) != Some(c) {
                return Err(UvciError::CheckCharacter);
            }
            Some(c)
        }
    };
    Ok(Uvci {
        country,
        opaque,
        check,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_mod_n_detects_every_single_substitution() {
        let ci = build("NL", "187/37512422923").unwrap();
        assert!(validate(&ci).is_ok());
        let (body, _) = ci.split_once('#').unwrap();
        let check = ci.chars().last().unwrap();
        for (i, orig) in body.char_indices() {
            for c in ALPHABET.chars().filter(|c| *c != orig) {
                let mut forged = String::from(&body[..i]);
                forged.push(c);
                forged.push_str(&body[i + orig.len_utf8()..]);
                assert_ne!(check_character(&forged), Some(check), "{forged}");
            }
        }
    }

    #[test]
    fn formats() {
        assert!(validate("01:AT:ABC").is_ok());
        assert!(validate("URN:UVCI:01:AT:ABC/DEF").is_ok());
        for (bad, err) in [
            ("URN:UVCI:02:AT:ABC", UvciError::Version),
            ("URN:UVCI:01:ATX:ABC", UvciError::Country),
            ("URN:UVCI:01:at:ABC", UvciError::Country),
            ("URN:UVCI:01:AT:", UvciError::Opaque),
            ("URN:UVCI:01:AT:AB//C", UvciError::Opaque),
            ("URN:UVCI:01:AT:ab", UvciError::Opaque),
            ("URN:UVCI:01:AT:AB#", UvciError::CheckCharacterFormat),
            ("URN:UVCI:01:AT:AB#XY", UvciError::CheckCharacterFormat),
            ("URN:UVCI:01:AT:AB#?", UvciError::CheckCharacterFormat),
        ] {
            assert_eq!(validate(bad).unwrap_err(), err, "{bad}");
        }
        let long = format!("URN:UVCI:01:AT:{}", "A".repeat(70));
        assert_eq!(validate(&long).unwrap_err(), UvciError::TooLong);
        assert_eq!(build("AT", "a b"), Err(UvciError::Opaque));
    }
}
