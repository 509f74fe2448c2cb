//! The `shc:/` QR text: each character of the compact JWS as two decimal
//! digits (its code minus 45), optionally split in chunks `shc:/C/N/…`.

use crate::Error;

/// Longest `shc:/` text accepted (all chunks together), in bytes.
pub const MAX_TEXT_LEN: usize = 64 * 1024;

/// Most chunks a card may be split into.
const MAX_CHUNKS: usize = 16;

/// The compact JWS a card's text encodes: one `shc:/` code, or every
/// chunk of a chunked one, separated by white space, in any order.
pub(crate) fn decode(text: &str) -> Result<String, Error> {
    if text.len() > MAX_TEXT_LEN {
        return Err(Error::InputTooLong {
            len: text.len(),
            max: MAX_TEXT_LEN,
        });
    }
    let codes: Vec<&str> = text.split_ascii_whitespace().collect();
    let mut chunks: Vec<Option<&str>> = Vec::new();
    let mut total = None;
    for code in &codes {
        let body = code
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("shc:/"))
            .and_then(|_| code.get(5..))
            .ok_or(Error::Shc("each code must start with shc:/"))?;
        let mut parts = body.split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(digits), None, None, None) => {
                if codes.len() != 1 {
                    return Err(Error::Shc("several codes that are not chunks of one card"));
                }
                return jws_of(digits);
            }
            (Some(c), Some(n), Some(digits), None) => {
                let c: usize = number(c)?;
                let n: usize = number(n)?;
                if !(2..=MAX_CHUNKS).contains(&n) || !(1..=n).contains(&c) {
                    return Err(Error::Shc("bad chunk numbers"));
                }
                if *total.get_or_insert(n) != n {
                    return Err(Error::Shc("chunks of different cards"));
                }
                chunks.resize(n, None);
                let slot = chunks
                    .get_mut(c - 1)
                    .ok_or(Error::Shc("bad chunk numbers"))?;
                if slot.replace(digits).is_some() {
                    return Err(Error::Shc("a chunk given twice"));
                }
            }
            _ => return Err(Error::Shc("bad shc:/ text")),
        }
    }
    let Some(n) = total else {
        return Err(Error::Shc("no shc:/ code"));
    };
    let have = chunks.iter().filter(|c| c.is_some()).count();
    if have != n {
        return Err(Error::Unsupported(
            "a chunked smart health card without all its chunks (give every chunk, separated by white space)",
        ));
    }
    let mut jws = String::new();
    for digits in chunks.into_iter().flatten() {
        jws.push_str(&jws_of(digits)?);
    }
    Ok(jws)
}

fn number(text: &str) -> Result<usize, Error> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Shc("bad chunk numbers"));
    }
    text.parse().map_err(|_| Error::Shc("bad chunk numbers"))
}

fn jws_of(digits: &str) -> Result<String, Error> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(2) {
        return Err(Error::Shc("an odd number of digits"));
    }
    let mut out = String::with_capacity(bytes.len() / 2);
    for pair in bytes.chunks_exact(2) {
        let [a, b] = pair else {
            return Err(Error::Shc("an odd number of digits"));
        };
        if !a.is_ascii_digit() || !b.is_ascii_digit() {
            return Err(Error::Shc("a character that is not a digit"));
        }
        let value = (a - b'0') * 10 + (b - b'0');
        if value > 77 {
            return Err(Error::Shc("a digit pair above 77"));
        }
        out.push(char::from(value + 45));
    }
    Ok(out)
}

/// The `shc:/` text of a compact JWS (one code, unchunked).
#[cfg(feature = "rustcrypto")]
pub(crate) fn encode(jws: &str) -> String {
    let mut out = String::with_capacity(5 + 2 * jws.len());
    out.push_str("shc:/");
    for b in jws.bytes() {
        let v = b.saturating_sub(45);
        out.push(char::from(b'0' + v / 10));
        out.push(char::from(b'0' + v % 10));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses() {
        assert_eq!(decode("shc:/5676").unwrap(), "ey");
        assert_eq!(decode("SHC:/5676").unwrap(), "ey");
        assert_eq!(decode("shc:/2/2/76 shc:/1/2/56").unwrap(), "ey");
        assert_eq!(
            decode("shc:/1/2/56"),
            Err(Error::Unsupported(
                "a chunked smart health card without all its chunks (give every chunk, separated by white space)"
            ))
        );
        for bad in [
            "shc:/567",
            "shc:/5678",
            "shc:/56a6",
            "shc:/",
            "shc:/1/2/56 shc:/1/2/56",
            "shc:/1/2/56 shc:/2/3/76",
            "shc:/0/2/56",
            "shc:/1/99/56",
            "shc:/5676 shc:/5676",
            "shc:/1/2/3/4",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        assert_eq!(decode(&encode("eyJ.a-_z")).unwrap(), "eyJ.a-_z");
    }
}
