//! The verification path's view of the payload: the checks of
//! [`Payload::check_structure`](super::Payload) done directly on the CBOR
//! tree, without building JSON, and only the holder's name and date of birth
//! taken out. The JSON form and the typed entry are built later, and only if
//! asked for; these checks guarantee that building them cannot fail.

use super::kind::PassKind;
use crate::cbor::Value;
use crate::{Error, UnixTime};

use super::HolderName;

/// What verification takes from a payload that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    pub(crate) name: HolderName,
    pub(crate) date_of_birth: String,
    pub(crate) kind: PassKind,
    /// For an exemption: valid from `df` to `du`.
    pub(crate) window: Option<(UnixTime, UnixTime)>,
    /// The entry's certificate identifier (`ci`) and country (`co`), when
    /// they are text (revocation hashes use them).
    pub(crate) ci: Option<String>,
    pub(crate) co: Option<String>,
}

/// How a field of an entry must be typed (as the typed entries deserialise).
#[derive(Clone, Copy)]
enum Field {
    Text,
    Number,
}

const VACCINATION: &[(&str, Field)] = &[
    ("tg", Field::Text),
    ("vp", Field::Text),
    ("mp", Field::Text),
    ("ma", Field::Text),
    ("dn", Field::Number),
    ("sd", Field::Number),
    ("dt", Field::Text),
    ("co", Field::Text),
    ("is", Field::Text),
    ("ci", Field::Text),
];
const TEST: &[(&str, Field)] = &[
    ("tg", Field::Text),
    ("tt", Field::Text),
    ("nm", Field::Text),
    ("ma", Field::Text),
    ("sc", Field::Text),
    ("tr", Field::Text),
    ("tc", Field::Text),
    ("co", Field::Text),
    ("is", Field::Text),
    ("ci", Field::Text),
];
const EXEMPTION: &[(&str, Field)] = &[
    ("tg", Field::Text),
    ("co", Field::Text),
    ("is", Field::Text),
    ("ci", Field::Text),
    ("df", Field::Text),
    ("du", Field::Text),
];
const RECOVERY: &[(&str, Field)] = &[
    ("tg", Field::Text),
    ("fr", Field::Text),
    ("co", Field::Text),
    ("is", Field::Text),
    ("df", Field::Text),
    ("du", Field::Text),
    ("ci", Field::Text),
];

fn get<'v, 'a>(pairs: &'v [(Value<'a>, Value<'a>)], key: &str) -> Option<&'v Value<'a>> {
    pairs
        .iter()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
        .map(|(_, v)| v.untagged())
}

fn is_null(v: &Value<'_>) -> bool {
    matches!(v, Value::Null | Value::Undefined)
}

/// Whether the item has a JSON form (see `to_json` in the parent module).
fn representable(v: &Value<'_>) -> bool {
    match v {
        Value::Uint(_) | Value::Text(_) | Value::Bool(_) | Value::Null | Value::Undefined => true,
        Value::Nint(n) => i64::try_from(*n).is_ok(),
        Value::Float(f) => f.is_finite(),
        Value::Bytes(_) | Value::Simple(_) => false,
        Value::Array(items) => items.iter().all(representable),
        Value::Map(pairs) => pairs
            .iter()
            .all(|(k, v)| matches!(k, Value::Text(_)) && representable(v)),
        Value::Tag(_, inner) => representable(inner),
    }
}

fn optional_text(v: Option<&Value<'_>>) -> Result<Option<String>, ()> {
    match v {
        None => Ok(None),
        Some(v) if is_null(v) => Ok(None),
        Some(Value::Text(s)) => Ok(Some(s.to_string())),
        Some(_) => Err(()),
    }
}

/// Whether `s` can be a date of birth as issuers write them: empty, `YYYY`,
/// `YYYY-MM` or `YYYY-MM-DD`, where `00` stands for an unknown month or day
/// (as the Netherlands write `1963-00`), a known day must exist in its
/// month, and a full date may carry a time (`1978-01-26T00:00:00`, as
/// Bulgaria wrote). A verdict never shows `9999-99-99` as a birth date.
pub(crate) fn is_date_of_birth(s: &str) -> bool {
    fn num(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    }
    let b = s.as_bytes();
    let (date, time) = (b.get(..10.min(b.len())).unwrap_or(b), b.get(10..));
    let year = || date.get(..4).and_then(num).filter(|_| date.len() >= 4);
    let month = || date.get(5..7).and_then(num).filter(|m| *m <= 12);
    let ok_date = match date.len() {
        0 => true,
        4 => year().is_some(),
        7 => date.get(4) == Some(&b'-') && year().is_some() && month().is_some(),
        10 => {
            let day = date.get(8..10).and_then(num);
            match (year(), month(), day, date.get(4), date.get(7)) {
                (Some(y), Some(m), Some(d), Some(b'-'), Some(b'-')) => {
                    d == 0 || (m != 0 && d <= crate::time::days_in_month(i64::from(y), m))
                }
                _ => false,
            }
        }
        _ => false,
    };
    let ok_time = match time {
        None | Some([]) => true,
        Some([b'T', rest @ ..]) => {
            date.len() == 10
                && rest.len() <= 24
                && rest.get(..8).is_some_and(|hms| {
                    matches!(hms, [h1, h2, b':', m1, m2, b':', s1, s2]
                        if num(&[*h1, *h2]).is_some_and(|h| h < 24)
                            && num(&[*m1, *m2]).is_some_and(|m| m < 60)
                            && num(&[*s1, *s2]).is_some_and(|s| s < 60))
                })
                && rest
                    .iter()
                    .all(|c| c.is_ascii_digit() || b":.+-Z".contains(c))
        }
        Some(_) => false,
    };
    ok_date && ok_time
}

/// Checks a payload the way verification requires and takes out the holder.
/// A light pass's payload (`light`) must hold no health entry; a full one
/// exactly one.
pub(crate) fn check(v: &Value<'_>, light: bool) -> Result<Checked, Error> {
    let Value::Map(root) = v.untagged() else {
        return Err(Error::Payload("not an object"));
    };
    if !representable(v) {
        return Err(Error::Payload(
            "item without a json form (byte string, non-text key, …)",
        ));
    }
    let nam = get(root, "nam").ok_or(Error::Payload("no nam"))?;
    let Value::Map(nam) = nam else {
        return Err(Error::Payload("nam is not an object"));
    };
    let wrong_name = |_| Error::Payload("nam has a field of the wrong type");
    let name = HolderName {
        family_name: optional_text(get(nam, "fn")).map_err(wrong_name)?,
        family_name_std: optional_text(get(nam, "fnt")).map_err(wrong_name)?,
        given_name: optional_text(get(nam, "gn")).map_err(wrong_name)?,
        given_name_std: optional_text(get(nam, "gnt")).map_err(wrong_name)?,
    };
    let date_of_birth = match get(root, "dob") {
        Some(Value::Text(s)) if is_date_of_birth(s) => s.to_string(),
        Some(Value::Text(_)) => {
            return Err(Error::Payload(
                "dob is not a date of birth (YYYY-MM-DD, YYYY-MM, YYYY or empty)",
            ))
        }
        Some(_) => return Err(Error::Payload("dob is not a string")),
        None => return Err(Error::Payload("no dob")),
    };
    let mut present = [
        ("v", PassKind::Vaccination, VACCINATION),
        ("t", PassKind::Test, TEST),
        ("r", PassKind::Recovery, RECOVERY),
        ("e", PassKind::Exemption, EXEMPTION),
    ]
    .into_iter()
    .filter_map(|(g, kind, fields)| {
        get(root, g)
            .filter(|v| !is_null(v))
            .map(|v| (v, kind, fields))
    });
    if light {
        if present.next().is_some() {
            return Err(Error::Payload("health data in a light pass"));
        }
        return Ok(Checked {
            name,
            date_of_birth,
            kind: PassKind::Light,
            window: None,
            ci: None,
            co: None,
        });
    }
    let (group, kind, fields) = present
        .next()
        .ok_or(Error::Payload("no v, t, r or e entry"))?;
    if present.next().is_some() {
        return Err(Error::Payload("more than one of v, t, r and e"));
    }
    let Value::Array(items) = group else {
        return Err(Error::Payload("entry group is not an array"));
    };
    let [item] = items.as_slice() else {
        return Err(Error::Payload("not exactly one entry"));
    };
    let Value::Map(entry) = item.untagged() else {
        return Err(Error::Payload("entry is not an object"));
    };
    for (key, field) in fields {
        let ok = match (get(entry, key), field) {
            (None, _) => true,
            (Some(v), _) if is_null(v) => true,
            (Some(Value::Text(_)), Field::Text) => true,
            (Some(Value::Uint(_) | Value::Nint(_) | Value::Float(_)), Field::Number) => true,
            _ => false,
        };
        if !ok {
            return Err(Error::Payload("entry has a field of the wrong type"));
        }
    }
    let text = |key| match get(entry, key) {
        Some(Value::Text(t)) => Some(t.as_ref()),
        _ => None,
    };
    let window = match kind {
        PassKind::Exemption => Some(super::exemption_window(text("df"), text("du"))?),
        _ => None,
    };
    Ok(Checked {
        name,
        date_of_birth,
        kind,
        window,
        ci: text("ci").map(str::to_owned),
        co: text("co").map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::is_date_of_birth;

    #[test]
    fn dates_of_birth_as_issuers_write_them() {
        for ok in [
            "",
            "1964",
            "1963-00",
            "1964-08",
            "1964-08-12",
            "1964-08-00",
            "1964-00-00",
            "2000-02-29",
            "1815-01-01",
            "1978-01-26T00:00:00",
            "1978-01-26T00:00:00Z",
        ] {
            assert!(is_date_of_birth(ok), "{ok}");
        }
        for bad in [
            "9999-99-99",
            "1964-13",
            "1964-13-01",
            "1964-02-30",
            "1900-02-29",
            "1964-00-12",
            "196",
            "19644",
            "1964-8-12",
            "1964/08/12",
            "abcd",
            "1964-08-12T25:00:00",
            "1964-08-12T00:00",
            "1964-08-12 00:00:00",
            "1964-08T00:00:00",
        ] {
            assert!(!is_date_of_birth(bad), "{bad}");
        }
    }
}
