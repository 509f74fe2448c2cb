//! CertLogic expressions: compiled once from JSON into a tree (literals,
//! constant arrays, data paths, amounts and time units pre-parsed), and
//! checked statically the way the specification's validator does.
//!
//! Compilation is total: a construct that would make the reference
//! evaluator throw compiles into a node that fails when (and only when) it
//! is evaluated, so that laziness (`if`, `and`, `reduce` over nothing) is
//! exactly that of the reference. Only the engine's own bounds (depth,
//! size) refuse an expression at compile time.

use serde_json::Value as Json;

use super::datetime::Unit;

/// Deepest nesting of an expression (real rules nest about a dozen levels).
pub const MAX_DEPTH: usize = 64;

/// Most nodes in one expression.
pub const MAX_NODES: usize = 20_000;

/// A comparison operator (`<`, `>`, `<=`, `>=`; for date-times `before`,
/// `after`, `not-after`, `not-before`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Gt,
    Le,
    Ge,
}

/// One fragment of a data access path, with JavaScript's reading of it as
/// an index (`parseInt(fragment, 10)`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub(crate) name: Box<str>,
    pub(crate) index: Option<i64>,
}

/// A compiled expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Bool(bool),
    Num(f64),
    Str(Box<str>),
    /// An array whose items are all literals, kept as JSON (no work to
    /// evaluate it; `in` scans it directly).
    ConstArray(Json),
    Array(Vec<Expr>),
    /// `var`: the whole data context for the empty path.
    Var(Vec<Segment>),
    If(Box<[Expr; 3]>),
    And(Vec<Expr>),
    StrictEq(Box<[Expr; 2]>),
    In(Box<[Expr; 2]>),
    Plus(Box<[Expr; 2]>),
    Compare(Cmp, Vec<Expr>),
    CompareDates(Cmp, Vec<Expr>),
    Not(Box<Expr>),
    PlusTime(Box<Expr>, i64, Unit),
    Reduce(Box<[Expr; 3]>),
    ExtractFromUvci(Box<Expr>, Option<i64>),
    DateOfBirth(Box<Expr>),
    /// Fails with this message when evaluated.
    Invalid(Box<str>),
}

/// Why an expression cannot be compiled at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompileError {
    TooDeep,
    TooLarge,
}

/// JavaScript's `parseInt(s, 10)`: leading white space, a sign, then the
/// longest run of digits; `None` (NaN) if there are none.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let v: i64 = digits.get(..n)?.parse().unwrap_or(i64::MAX);
    Some(if neg { -v } else { v })
}

/// A literal of CertLogic: a string, an integer, a boolean.
fn is_literal(j: &Json) -> bool {
    match j {
        Json::String(_) | Json::Bool(_) => true,
        Json::Number(n) => n.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn int_of(j: Option<&Json>) -> Option<i64> {
    match j {
        Some(Json::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Some(i),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(f as i64),
            _ => None,
        },
        _ => None,
    }
}

struct Compiler {
    nodes: usize,
}

impl Compiler {
    fn compile(&mut self, j: &Json, depth: usize) -> Result<Expr, CompileError> {
        if depth > MAX_DEPTH {
            return Err(CompileError::TooDeep);
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(CompileError::TooLarge);
        }
        Ok(match j {
            Json::Bool(b) => Expr::Bool(*b),
            Json::String(s) => Expr::Str(s.as_str().into()),
            Json::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 => Expr::Num(f),
                _ => Expr::Invalid("invalid CertLogic expression (a non-integer number)".into()),
            },
            Json::Null => Expr::Invalid("invalid CertLogic expression (null)".into()),
            Json::Array(items) => {
                if items.iter().all(is_literal) {
                    self.nodes += items.len();
                    Expr::ConstArray(j.clone())
                } else {
                    Expr::Array(
                        items
                            .iter()
                            .map(|i| self.compile(i, depth + 1))
                            .collect::<Result<_, _>>()?,
                    )
                }
            }
            Json::Object(m) => {
                let mut entries = m.iter();
                let (Some((op, values)), None) = (entries.next(), entries.next()) else {
                    return Ok(Expr::Invalid(
                        "unrecognised expression object encountered".into(),
                    ));
                };
                self.operation(op, values, depth)?
            }
        })
    }

    fn operation(&mut self, op: &str, values: &Json, depth: usize) -> Result<Expr, CompileError> {
        if op == "var" {
            return Ok(match values {
                Json::String(path) if path.is_empty() => Expr::Var(Vec::new()),
                Json::String(path) => Expr::Var(
                    path.split('.')
                        .map(|f| Segment {
                            name: f.into(),
                            index: parse_int(f),
                        })
                        .collect(),
                ),
                _ => Expr::Invalid("not of the form { \"var\": \"<path>\" }".into()),
            });
        }
        let Json::Array(v) = values else {
            return Ok(Expr::Invalid(
                "operation not of the form { \"<operator>\": [ <values...> ] }".into(),
            ));
        };
        if v.is_empty() {
            return Ok(Expr::Invalid(
                "operation not of the form { \"<operator>\": [ <values...> ] }".into(),
            ));
        }
        // An operand the reference reads as `undefined` fails when evaluated.
        let arg = |i: usize, this: &mut Compiler| -> Result<Expr, CompileError> {
            match v.get(i) {
                Some(j) => this.compile(j, depth + 1),
                None => Ok(Expr::Invalid(
                    "invalid CertLogic expression: undefined".into(),
                )),
            }
        };
        let all = |this: &mut Compiler, n: usize| -> Result<Vec<Expr>, CompileError> {
            v.iter()
                .take(n)
                .map(|j| this.compile(j, depth + 1))
                .collect()
        };
        let count_error = |what: &str| -> Expr {
            Expr::Invalid(
                format!("an operation with operator \"{op}\" must have {what} operands").into(),
            )
        };
        let cmp = |name: &str| match name {
            "<" | "before" => Some(Cmp::Lt),
            ">" | "after" => Some(Cmp::Gt),
            "<=" | "not-after" => Some(Cmp::Le),
            ">=" | "not-before" => Some(Cmp::Ge),
            _ => None,
        };
        Ok(match op {
            "if" => {
                if v.len() < 3 {
                    Expr::Invalid("an if-operation must have a guard, a then and an else".into())
                } else {
                    Expr::If(Box::new([arg(0, self)?, arg(1, self)?, arg(2, self)?]))
                }
            }
            "and" => {
                if v.len() < 2 {
                    Expr::Invalid("an \"and\" operation must have at least 2 operands".into())
                } else {
                    Expr::And(all(self, v.len())?)
                }
            }
            "<" | ">" | "<=" | ">=" | "after" | "before" | "not-after" | "not-before" => {
                if !(2..=3).contains(&v.len()) {
                    count_error("2 or 3")
                } else {
                    let c = cmp(op).unwrap_or(Cmp::Lt);
                    let operands = all(self, 3)?;
                    if matches!(op, "<" | ">" | "<=" | ">=") {
                        Expr::Compare(c, operands)
                    } else {
                        Expr::CompareDates(c, operands)
                    }
                }
            }
            "===" | "in" | "+" => {
                if v.len() != 2 {
                    count_error("2")
                } else {
                    let pair = Box::new([arg(0, self)?, arg(1, self)?]);
                    match op {
                        "===" => Expr::StrictEq(pair),
                        "in" => Expr::In(pair),
                        _ => Expr::Plus(pair),
                    }
                }
            }
            "!" => Expr::Not(Box::new(arg(0, self)?)),
            "plusTime" => {
                let amount = int_of(v.get(1));
                let unit = match v.get(2) {
                    Some(Json::String(u)) => Unit::parse(u),
                    _ => None,
                };
                match (amount, unit) {
                    (Some(a), Some(u)) => Expr::PlusTime(Box::new(arg(0, self)?), a, u),
                    (None, _) => Expr::Invalid(
                        "\"amount\" argument (#2) of \"plusTime\" must be an integer".into(),
                    ),
                    (_, None) => Expr::Invalid(
                        "\"unit\" argument (#3) of \"plusTime\" must be a string with one of the time units: year, month, day, hour".into(),
                    ),
                }
            }
            "reduce" => Expr::Reduce(Box::new([arg(0, self)?, arg(1, self)?, arg(2, self)?])),
            "extractFromUVCI" => Expr::ExtractFromUvci(Box::new(arg(0, self)?), int_of(v.get(1))),
            "dccDateOfBirth" => Expr::DateOfBirth(Box::new(arg(0, self)?)),
            other => Expr::Invalid(format!("unrecognised operator: \"{other}\"").into()),
        })
    }
}

/// Compiles an expression.
pub(crate) fn compile(j: &Json) -> Result<Expr, CompileError> {
    Compiler { nodes: 0 }.compile(j, 0)
}

// ------------------------------------------------------------ validation

/// One issue the static validator finds: the (sub-)expression and what is
/// wrong with it, in the words of the specification's validation test
/// suite.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The offending (sub-)expression.
    pub expr: Json,
    /// What is wrong.
    pub message: String,
}

/// JavaScript's conversion of a value to text in a template string.
fn js_text(j: &Json) -> String {
    match j {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Json::String(s) => s.clone(),
        Json::Array(items) => items
            .iter()
            .map(|i| match i {
                Json::Null => String::new(),
                other => js_text(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Json::Object(_) => "[object Object]".into(),
    }
}

/// The issues of an expression, as the reference validator reports them
/// (every message of the specification's validation test suite).
pub fn validate(expr: &Json) -> Vec<Issue> {
    let mut out = Vec::new();
    validate_into(expr, &mut out, 0);
    out
}

fn validate_into(expr: &Json, out: &mut Vec<Issue>, depth: usize) {
    let issue = |out: &mut Vec<Issue>, message: String| {
        out.push(Issue {
            expr: expr.clone(),
            message,
        })
    };
    if depth > MAX_DEPTH {
        issue(out, format!("nested more than {MAX_DEPTH} levels deep"));
        return;
    }
    match expr {
        Json::String(_) | Json::Bool(_) => {}
        Json::Number(n) => {
            if n.as_f64().is_some_and(|f| f.fract() != 0.0) {
                issue(out, format!("{} is a non-integer number", js_text(expr)));
            }
        }
        Json::Null => issue(out, "invalid CertLogic expression".into()),
        Json::Array(items) => {
            for i in items {
                validate_into(i, out, depth + 1);
            }
        }
        Json::Object(m) => {
            if m.len() != 1 {
                issue(
                    out,
                    format!(
                        "expression object must have exactly one key, but it has {}",
                        m.len()
                    ),
                );
                return;
            }
            let Some((op, values)) = m.iter().next() else {
                return;
            };
            if op == "var" {
                match values {
                    Json::String(p) => {
                        let ok = p.is_empty() || p.split('.').all(|f| !f.is_empty());
                        if !ok {
                            issue(
                                out,
                                format!("data access path doesn't have a valid format: {p}"),
                            );
                        }
                    }
                    _ => issue(out, "not of the form { \"var\": \"<path>\" }".into()),
                }
                return;
            }
            let Json::Array(v) = values else {
                issue(
                    out,
                    "operation not of the form { \"<operator>\": [ <values...> ] }".into(),
                );
                return;
            };
            let n = v.len();
            let operands = |out: &mut Vec<Issue>, max: usize| {
                for o in v.iter().take(max) {
                    validate_into(o, out, depth + 1);
                }
            };
            match op.as_str() {
                "if" => {
                    if n != 3 {
                        issue(out, format!(
                            "an \"if\"-operation must have exactly 3 values/operands, but it has {n}"
                        ));
                    }
                    operands(out, 3);
                }
                "and" => {
                    if n < 2 {
                        issue(
                            out,
                            format!(
                            "an \"and\" operation must have at least 2 operands, but it has {n}"
                        ),
                        );
                    }
                    operands(out, n);
                }
                "<" | ">" | "<=" | ">=" | "after" | "before" | "not-after" | "not-before" => {
                    if !(2..=3).contains(&n) {
                        issue(out, format!(
                            "an operation with operator \"{op}\" must have 2 or 3 operands, but it has {n}"
                        ));
                    }
                    operands(out, 3);
                }
                "===" | "in" | "+" => {
                    if n != 2 {
                        issue(out, format!(
                            "an operation with operator \"{op}\" must have 2 operands, but it has {n}"
                        ));
                    }
                    operands(out, 2);
                }
                "!" => {
                    if n == 1 {
                        operands(out, 1);
                    } else {
                        issue(out, format!(
                            "a !-operation (logical not/negation) must have exactly 1 operand, but it has {n}"
                        ));
                    }
                }
                "plusTime" => {
                    if n != 3 {
                        issue(out, format!(
                            "a \"plusTime\"-operation must have exactly 3 values/operands, but it has {n}"
                        ));
                    }
                    operands(out, 1);
                    if let Some(a) = v.get(1) {
                        if int_of(Some(a)).is_none() {
                            issue(out, format!(
                                "\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: {}",
                                js_text(a)
                            ));
                        }
                    }
                    if let Some(u) = v.get(2) {
                        if !matches!(u, Json::String(s) if Unit::parse(s).is_some()) {
                            issue(out, format!(
                                "\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of year, month, day, hour, but it is: {}",
                                js_text(u)
                            ));
                        }
                    }
                }
                "reduce" => {
                    if n != 3 {
                        issue(out, format!(
                            "a \"reduce\"-operation must have exactly 3 values/operands, but it has {n}"
                        ));
                    }
                    operands(out, 3);
                }
                "extractFromUVCI" => {
                    if n != 2 {
                        issue(out, format!(
                            "an \"extractFromUVCI\"-operation must have exactly 2 values/operands, but it has {n}"
                        ));
                    }
                    operands(out, 1);
                    if let Some(i) = v.get(1) {
                        if int_of(Some(i)).is_none() {
                            issue(out, format!(
                                "\"index\" argument (#2) of \"extractFromUVCI\" must be an integer, but it is: {}",
                                js_text(i)
                            ));
                        }
                    }
                }
                "dccDateOfBirth" => {
                    if n != 1 {
                        issue(out, format!(
                            "a \"dccDateOfBirth\"-operation must have exactly 1 value/operand, but it has {n}"
                        ));
                    }
                    operands(out, 1);
                }
                other => issue(out, format!("unrecognised operator: \"{other}\"")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn javascript_parse_int() {
        assert_eq!(parse_int("0"), Some(0));
        assert_eq!(parse_int("12abc"), Some(12));
        assert_eq!(parse_int(" -3"), Some(-3));
        assert_eq!(parse_int("abc"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("-"), None);
    }

    #[test]
    fn compiles_lazily_invalid_parts() {
        let e = compile(&json!({"if": [true, 1, {"nope": []}]})).unwrap();
        let Expr::If(parts) = e else { panic!() };
        assert!(matches!(parts[2], Expr::Invalid(_)));
        assert!(matches!(
            compile(&json!({"in": ["a", ["a", "b"]]})).unwrap(),
            Expr::In(p) if matches!(p[1], Expr::ConstArray(_))
        ));
        let mut deep = json!(true);
        for _ in 0..=MAX_DEPTH {
            deep = json!({"!": [deep]});
        }
        assert_eq!(compile(&deep), Err(CompileError::TooDeep));
    }

    #[test]
    fn js_text_like_template_strings() {
        assert_eq!(js_text(&json!(2.5)), "2.5");
        assert_eq!(js_text(&json!([1, "a", null])), "1,a,");
        assert_eq!(js_text(&json!({"a": 1})), "[object Object]");
        assert_eq!(js_text(&json!(42.0)), "42");
    }
}
