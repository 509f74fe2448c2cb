//! CertLogic date-times: parsed and offset exactly as the reference
//! implementation (certlogic-js on a JavaScript `Date`) does, in UTC, to the
//! millisecond.
//!
//! - `YYYY` and `YYYY-MM` round up to the last day they can mean
//!   (`dccDateOfBirth`'s "beneficial interpretation", also used by
//!   `plusTime`); `YYYY-MM-DD` is midnight UTC.
//! - Date-times follow the specification's list of formats (an optional
//!   fraction, truncated to milliseconds; `Z`, `±h`, `±hh`, `±hmm`, `±hhmm`,
//!   `±h:mm`, `±hh:mm`, or no offset, which means UTC).
//! - Field ranges are JavaScript's: a day of 29–31 in a shorter month rolls
//!   over into the next (`2021-02-30` is March 2nd), `24:00:00` is the next
//!   midnight; anything else out of range is an invalid date, which compares
//!   as neither earlier nor later than anything (JavaScript's `NaN`).
//! - Offsets by months and years keep the day of the month and roll over
//!   like `setUTCMonth`/`setUTCFullYear`: 2020-02-29 + 1 year = 2021-03-01,
//!   2020-01-31 + 1 month = 2020-03-02.

use crate::time::{civil_from_days, days_from_civil};

/// A date-time: milliseconds since the Unix epoch, or `None` for an invalid
/// date (JavaScript's `NaN` time value).
pub(crate) type Millis = Option<i64>;

/// JavaScript's time value range: ±8.64e15 ms around the epoch.
const MAX_TIME: i64 = 8_640_000_000_000_000;

const DAY: i64 = 86_400_000;

/// A year well beyond JavaScript's time range, within which the calendar
/// arithmetic cannot overflow.
const MAX_YEAR: i64 = 1_000_000;

/// A time unit of `plusTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Year,
    Month,
    Day,
    Hour,
}

impl Unit {
    pub(crate) fn parse(s: &str) -> Option<Unit> {
        match s {
            "year" => Some(Unit::Year),
            "month" => Some(Unit::Month),
            "day" => Some(Unit::Day),
            "hour" => Some(Unit::Hour),
            _ => None,
        }
    }
}

fn clip(t: i64) -> Millis {
    (t.abs() <= MAX_TIME).then_some(t)
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `Date.UTC`-like: days from fields, where the day may exceed the month
/// (it rolls over) but must be 1–31, month 1–12.
fn make_date(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let m = u32::try_from(m).ok()?;
    Some(days_from_civil(y, m, 1) + d - 1)
}

/// `YYYY` or `YYYY-MM`, rounded up to the last day consistent with it.
fn partial_date(s: &str) -> Option<Millis> {
    match s.len() {
        4 => {
            let y = digits(s)?;
            Some(make_date(y, 12, 31).map(|d| d * DAY))
        }
        7 if s.as_bytes().get(4) == Some(&b'-') => {
            let y = digits(s.get(..4)?)?;
            let m = digits(s.get(5..)?)?;
            // The first of the next month, less a day (JavaScript's
            // setUTCMonth(m + 1) then setUTCDate(0)); an invalid month is
            // an invalid date.
            let first = make_date(y, m, 1);
            Some(first.map(|_| {
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                (days_from_civil(ny, u32::try_from(nm).unwrap_or(1), 1) - 1) * DAY
            }))
        }
        _ => None,
    }
}

/// A date-time string in one of the specification's formats, or `None`
/// when the text has no allowed format (an error, not an invalid date).
pub(crate) fn parse(s: &str) -> Option<Millis> {
    if let Some(p) = partial_date(s) {
        return Some(p);
    }
    let b = s.as_bytes();
    let field = |from: usize, to: usize| s.get(from..to).and_then(digits);
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if b.len() < 10 || !sep(4, b'-') || !sep(7, b'-') {
        return None;
    }
    let (y, mo, d) = (field(0, 4)?, field(5, 7)?, field(8, 10)?);
    if b.len() == 10 {
        return Some(make_date(y, mo, d).and_then(|days| clip(days * DAY)));
    }
    if !sep(10, b'T') || b.len() < 19 || !sep(13, b':') || !sep(16, b':') {
        return None;
    }
    let (h, mi, sec) = (field(11, 13)?, field(14, 16)?, field(17, 19)?);
    let mut rest = s.get(19..)?;
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        // Truncated to three places (padded with zeros).
        let mut ms = String::from(frac.get(..n.min(3))?);
        while ms.len() < 3 {
            ms.push('0');
        }
        millis = digits(&ms)?;
        rest = frac.get(n..)?;
    }
    let offset_min = match rest {
        "" | "Z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let o = rest.get(1..)?;
            // ±h, ±hh, ±hmm, ±hhmm, ±h:mm, ±hh:mm
            let (hh, mm) = match o.find(':') {
                Some(i) => (o.get(..i)?, o.get(i + 1..)?),
                None if o.len() <= 2 => (o, ""),
                None => (o.get(..o.len() - 2)?, o.get(o.len() - 2..)?),
            };
            if hh.is_empty() || hh.len() > 2 || !(mm.is_empty() || mm.len() == 2) {
                return None;
            }
            if o.contains(':') && mm.is_empty() {
                return None;
            }
            let oh = digits(hh)?;
            let om = if mm.is_empty() { 0 } else { digits(mm)? };
            if oh > 23 || om > 59 {
                // A well-formed offset out of range: an invalid date.
                return Some(None);
            }
            sign * (oh * 60 + om)
        }
    };
    let time_ok =
        (h < 24 && mi < 60 && sec < 60) || (h == 24 && mi == 0 && sec == 0 && millis == 0);
    let Some(days) = make_date(y, mo, d).filter(|_| time_ok) else {
        return Some(None);
    };
    let t = days * DAY + ((h * 60 + mi - offset_min) * 60 + sec) * 1000 + millis;
    Some(clip(t))
}

/// `dccDateOfBirth`: `YYYY`, `YYYY-MM` (rounded up) or `YYYY-MM-DD`; `None`
/// for any other text.
pub(crate) fn date_of_birth(s: &str) -> Option<Millis> {
    if let Some(p) = partial_date(s) {
        return Some(p);
    }
    if s.len() == 10 {
        return parse(s);
    }
    None
}

/// `plusTime`'s offset, as JavaScript's `setUTC…(getUTC…() + amount)`:
/// `Some(t)` the shifted time (`t` itself invalid for an invalid date, as
/// JavaScript's `NaN` propagates), `None` when the result lies outside
/// JavaScript's time range, which an evaluation reports as an error. The
/// arithmetic is checked throughout: no amount can overflow it.
pub(crate) fn plus(t: Millis, amount: i64, unit: Unit) -> Option<Millis> {
    let Some(t) = t else {
        return Some(None);
    };
    if amount == 0 {
        return Some(Some(t));
    }
    let days = t.div_euclid(DAY);
    let time_of_day = t.rem_euclid(DAY);
    let shifted = match unit {
        Unit::Hour => t.checked_add(amount.checked_mul(3_600_000)?)?,
        Unit::Day => days
            .checked_add(amount)?
            .checked_mul(DAY)?
            .checked_add(time_of_day)?,
        Unit::Month | Unit::Year => {
            let (y, m, d) = civil_from_days(days);
            let months = if unit == Unit::Year {
                amount.checked_mul(12)?
            } else {
                amount
            };
            let total = y
                .checked_mul(12)?
                .checked_add(i64::from(m) - 1)?
                .checked_add(months)?;
            let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
            // Beyond JavaScript's range (±275 760 years) before any day
            // arithmetic, which would overflow for years near i64's bounds.
            if ny.abs() > MAX_YEAR {
                return None;
            }
            let first = days_from_civil(ny, u32::try_from(nm).ok()?, 1);
            first
                .checked_add(i64::from(d) - 1)?
                .checked_mul(DAY)?
                .checked_add(time_of_day)?
        }
    };
    clip(shifted).map(Some)
}

/// RFC 3339 with milliseconds, as JavaScript's `toISOString` writes it.
pub(crate) fn to_string(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let ms = t.rem_euclid(DAY);
    let (h, mi, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    } else {
        let sign = if y < 0 { '-' } else { '+' };
        format!(
            "{sign}{:06}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z",
            y.abs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        to_string(parse(s).unwrap().unwrap())
    }

    #[test]
    fn formats_of_the_specification() {
        assert_eq!(iso("2021"), "2021-12-31T00:00:00.000Z");
        assert_eq!(iso("2020-02"), "2020-02-29T00:00:00.000Z");
        assert_eq!(iso("2021-12"), "2021-12-31T00:00:00.000Z");
        assert_eq!(iso("2021-05-03"), "2021-05-03T00:00:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00"), "2021-05-03T18:00:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00Z"), "2021-05-03T18:00:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00+2"), "2021-05-03T16:00:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00+02"), "2021-05-03T16:00:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00+230"), "2021-05-03T15:30:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00-0230"), "2021-05-03T20:30:00.000Z");
        assert_eq!(iso("2021-05-03T18:00:00+2:30"), "2021-05-03T15:30:00.000Z");
        assert_eq!(
            iso("2021-05-03T18:00:00.123456+02:00"),
            "2021-05-03T16:00:00.123Z"
        );
        assert_eq!(iso("2021-05-03T18:00:00.5Z"), "2021-05-03T18:00:00.500Z");
        for bad in [
            "",
            "21",
            "2021-5-03",
            "2021-05-03T1:00:00Z",
            "2021-05-03 18:00:00",
            "2021-05-03T18:00:00.Z",
            "2021-05-03T18:00:00+123456",
            "2021-05-03T18:00:00+02:",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn javascript_field_ranges() {
        assert_eq!(iso("2021-02-30T00:00:00Z"), "2021-03-02T00:00:00.000Z");
        assert_eq!(iso("2021-01-01T24:00:00Z"), "2021-01-02T00:00:00.000Z");
        for invalid in [
            "2021-02-32T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-00-10",
            "2021-01-01T23:60:00Z",
            "2021-01-01T00:00:60Z",
            "2021-01-01T00:00:00+24:00",
            "2021-13",
        ] {
            assert_eq!(parse(invalid), Some(None), "{invalid}");
        }
    }

    #[test]
    fn offsets_roll_over_like_javascript() {
        let t = |s: &str| parse(s).unwrap();
        let show = |m: Option<Millis>| to_string(m.unwrap().unwrap());
        assert_eq!(
            show(plus(t("2020-02-29"), 1, Unit::Day)),
            "2020-03-01T00:00:00.000Z"
        );
        assert_eq!(
            show(plus(t("2020-02-29"), 1, Unit::Month)),
            "2020-03-29T00:00:00.000Z"
        );
        assert_eq!(
            show(plus(t("2020-02-29"), 1, Unit::Year)),
            "2021-03-01T00:00:00.000Z"
        );
        assert_eq!(
            show(plus(t("2020-01-31"), 1, Unit::Month)),
            "2020-03-02T00:00:00.000Z"
        );
        assert_eq!(
            show(plus(t("2020-03-31"), -1, Unit::Month)),
            "2020-03-02T00:00:00.000Z"
        );
        assert_eq!(
            show(plus(t("2021-06-01T10:30:00Z"), -18, Unit::Year)),
            "2003-06-01T10:30:00.000Z"
        );
        assert_eq!(
            show(plus(t("2021-06-01T23:30:00Z"), 1, Unit::Hour)),
            "2021-06-02T00:30:00.000Z"
        );
        assert_eq!(
            show(plus(t("1969-12-31T23:00:00Z"), 2, Unit::Hour)),
            "1970-01-01T01:00:00.000Z"
        );
        assert_eq!(plus(Some(MAX_TIME), 1, Unit::Day), None);
        assert_eq!(plus(None, 1, Unit::Day), Some(None));
        // Issue 22.8: amounts that overflowed the arithmetic (a panic in a
        // debug build) are out of range, in every unit and direction.
        let now = t("2026-12-01T00:00:00Z");
        for amount in [
            9_000_000_000_000_000_000,
            -9_000_000_000_000_000_000,
            i64::MAX,
            i64::MIN,
            106_751_970_744,
            -106_751_970_744,
            768_614_336_404_564_650,
        ] {
            for unit in [Unit::Hour, Unit::Day, Unit::Month, Unit::Year] {
                assert_eq!(plus(now, amount, unit), None, "{amount} {unit:?}");
            }
        }
        // The edge of JavaScript's range stays exact.
        assert_eq!(plus(Some(0), 100_000_000, Unit::Day), Some(Some(MAX_TIME)));
        assert_eq!(plus(Some(0), 100_000_001, Unit::Day), None);
        assert_eq!(date_of_birth("1964-08"), Some(t("1964-08-31")));
        assert_eq!(date_of_birth("1964-08-12T00:00:00Z"), None);
    }
}
