//! Text from a pass on a terminal: whatever a pass says is data, never
//! terminal control. Names and dates of birth are printed with every
//! control character (C0, DEL, C1), bidirectional override or isolate, and
//! line or paragraph separator replaced by a visible `\u{…}` escape, so that
//! a name can neither forge a second verdict line nor recolour, move or
//! reorder what the terminal shows. (The JSON output escapes every control
//! character by itself.)

use std::fmt::Write as _;

use healthpass::rules::FailedRule;
use healthpass::{PassForm, Verdict};

/// Characters that must not reach a terminal raw.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `text` with every unsafe character written as `\u{…}` (and `\` as `\\`,
/// so that an escape cannot be faked).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The one-line human verdict: `valid: NAME, born DOB, valid until T`
/// (with the form in brackets when it is not a full pass, and a card's
/// issuer: `(shc pass from URL)`), or `invalid KIND: REASON`.
pub fn verdict_line(verdict: &Verdict) -> String {
    match (verdict.holder(), verdict.error_kind()) {
        (Some(h), _) => {
            let form = match (verdict.form(), verdict.issuer()) {
                (Some(PassForm::Full) | None, _) => String::new(),
                (Some(f), Some(iss)) => format!(" ({f} pass from {})", escape(iss)),
                (Some(f), None) => format!(" ({f} pass)"),
            };
            let until = verdict
                .valid_until()
                .map_or_else(|| "no expiry".to_string(), |t| format!("valid until {t}"));
            let name = if h.name.is_empty() {
                "(no name)".to_string()
            } else {
                escape(&h.name)
            };
            let stale = verdict
                .trust_outdated_since()
                .map_or_else(String::new, |t| {
                    format!(" (on trust data outdated since {t})")
                });
            format!(
                "valid{form}: {name}, born {}, {until}{stale}",
                escape(&h.date_of_birth)
            )
        }
        (None, Some(kind)) => format!(
            "invalid {kind}: {}",
            escape(verdict.reason().unwrap_or_default())
        ),
        (None, None) => "invalid".to_string(),
    }
}

/// A failed rule under the verdict: `  failed IDENTIFIER: description`
/// (and why it could not be evaluated). Rule files are input too: escaped.
pub fn failed_rule_line(rule: &FailedRule) -> String {
    let mut line = format!(
        "  failed {}: {}",
        escape(&rule.identifier),
        escape(&rule.description)
    );
    if let Some(e) = &rule.error {
        let _ = write!(line, " ({})", escape(e));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        assert_eq!(escape("Anna Müller"), "Anna Müller");
        assert_eq!(
            escape("A\n2099\r\u{1b}[31m\u{0}\u{85}\u{202e}B\\u{0a}"),
            "A\\u{000a}2099\\u{000d}\\u{001b}[31m\\u{0000}\\u{0085}\\u{202e}B\\\\u{0a}"
        );
        assert!(!escape("\u{2066}x\u{2069}\u{2028}").contains(['\u{2066}', '\u{2028}']));
    }
}
