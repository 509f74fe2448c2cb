//! Time as it comes in: seconds since the Unix epoch, and the RFC 3339 /
//! ISO 8601 forms passes and test suites write it in.
//!
//! The library never reads a clock; callers pass the time of verification.

use core::fmt;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(i64);

impl UnixTime {
    /// The time `secs` seconds after the Unix epoch (negative: before it).
    pub const fn from_secs(secs: i64) -> Self {
        UnixTime(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// Adds `secs` seconds, saturating at the ends of the range.
    pub const fn saturating_add(self, secs: i64) -> Self {
        UnixTime(self.0.saturating_add(secs))
    }

    /// Subtracts `secs` seconds, saturating at the ends of the range.
    pub const fn saturating_sub(self, secs: i64) -> Self {
        UnixTime(self.0.saturating_sub(secs))
    }

    /// Parses an RFC 3339 date-time such as `2021-05-03T18:00:00Z` or
    /// `2021-05-21T12:26:07.390079+02:00`. Fractions of a second are
    /// truncated. A lowercase `t`/`z` and a space for the `T` are accepted.
    ///
    /// # Errors
    /// [`InvalidTime`] if the text is not such a date-time. (It converts
    /// into [`crate::Error::Time`], so `?` works in functions that return
    /// the crate's error.)
    pub fn parse_rfc3339(text: &str) -> Result<Self, InvalidTime> {
        parse_date_time(text.as_bytes()).ok_or(InvalidTime)
    }

    /// Civil date and time in UTC: (year, month, day, hour, minute, second).
    pub fn to_civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        // secs is in 0..86400, so these casts are lossless.
        let secs = secs as u32;
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }
}

/// A text that is not an RFC 3339 date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTime;

impl fmt::Display for InvalidTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid time")
    }
}

impl std::error::Error for InvalidTime {}

impl From<std::time::SystemTime> for UnixTime {
    /// Converts a `SystemTime` (which the caller read; the library never does).
    fn from(t: std::time::SystemTime) -> Self {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => UnixTime(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(e) => UnixTime(-i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX)),
        }
    }
}

impl fmt::Display for UnixTime {
    /// RFC 3339 in UTC, e.g. `2021-05-03T18:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.to_civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        acc.checked_mul(10)?.checked_add(u32::from(c - b'0'))
    })
}

/// Parses `YYYY-MM-DD` (a valid calendar date) into days since the epoch.
pub(crate) fn parse_full_date(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits(b.get(0..4)?)?;
    let m = digits(b.get(5..7)?)?;
    let d = digits(b.get(8..10)?)?;
    let y = i64::from(y);
    if m == 0 || m > 12 || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// The validity window of a `df`/`du` pair: a date covers the whole day
/// (UTC), a date-time is taken as written. `None` if either does not parse
/// or the window ends before it starts.
pub(crate) fn validity_window(from: &str, until: &str) -> Option<(UnixTime, UnixTime)> {
    let (start, end) = (window_start(from)?, window_end(until)?);
    (start <= end).then_some((start, end))
}

/// The first second a validity bound names: a date's midnight (UTC), or a
/// date-time as written.
pub(crate) fn window_start(from: &str) -> Option<UnixTime> {
    match parse_full_date(from.as_bytes()) {
        Some(days) => Some(UnixTime::from_secs(days.checked_mul(86_400)?)),
        None => parse_date_time(from.as_bytes()),
    }
}

/// The last second a validity bound names: a date's last second (UTC), or
/// a date-time as written.
pub(crate) fn window_end(until: &str) -> Option<UnixTime> {
    match parse_full_date(until.as_bytes()) {
        Some(days) => Some(UnixTime::from_secs(
            days.checked_mul(86_400)?.checked_add(86_399)?,
        )),
        None => parse_date_time(until.as_bytes()),
    }
}

/// Parses an RFC 3339 date-time (lenient only in case and the `T`/space).
pub(crate) fn parse_date_time(b: &[u8]) -> Option<UnixTime> {
    let days = parse_full_date(b.get(0..10)?)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let t = b.get(11..)?;
    if t.len() < 9 || t.get(2) != Some(&b':') || t.get(5) != Some(&b':') {
        return None;
    }
    let h = digits(t.get(0..2)?)?;
    let mi = digits(t.get(3..5)?)?;
    let s = digits(t.get(6..8)?)?;
    // 60 allows a leap second, which counts as the last second of the minute.
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = t.get(8..)?;
    if rest.first() == Some(&b'.') {
        let n = rest
            .iter()
            .skip(1)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 {
            return None;
        }
        rest = rest.get(1 + n..)?;
    }
    let offset: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let oh = digits(&[*oh1, *oh2])?;
            let om = digits(&[*om1, *om2])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + i64::from(h.min(23) * 3600 + mi * 60 + s.min(59)) - offset;
    Some(UnixTime(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_civil() {
        for secs in [0i64, 1_620_064_800, -86_400, 4_102_444_800, 951_782_400] {
            let t = UnixTime::from_secs(secs);
            assert_eq!(UnixTime::parse_rfc3339(&t.to_string()), Ok(t));
        }
    }

    #[test]
    fn parses_offsets_and_fractions() {
        let z = UnixTime::parse_rfc3339("2021-05-03T18:00:00Z").unwrap();
        assert_eq!(z.as_secs(), 1_620_064_800);
        assert_eq!(UnixTime::parse_rfc3339("2021-05-03T20:00:00+02:00"), Ok(z));
        assert_eq!(UnixTime::parse_rfc3339("2021-05-03T18:00:00.999Z"), Ok(z));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2021-05-03",
            "2021-02-29T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-05-03T24:00:00Z",
            "2021-05-03T18:00:00",
            "2021-05-03T18:00:00+0200",
            "2021-05-03T18:00:00.Z",
            "+021-05-03T18:00:00Z",
        ] {
            assert_eq!(UnixTime::parse_rfc3339(bad), Err(InvalidTime), "{bad}");
        }
    }

    #[test]
    fn leap_years() {
        assert!(parse_full_date(b"2020-02-29").is_some());
        assert!(parse_full_date(b"2000-02-29").is_some());
        assert!(parse_full_date(b"1900-02-29").is_none());
    }
}
