//! CertLogic values: what an expression evaluates to.
//!
//! During evaluation, values borrow from the data and from the compiled
//! rule ([`Val`]); a result leaves the engine as an owned [`Value`].

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::Value as Json;

use super::datetime::{self, Millis};

/// The value of a CertLogic expression: JSON values, plus date-times (which
/// only `plusTime` and `dccDateOfBirth` make).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (CertLogic's arithmetic and comparisons take integers).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(serde_json::Map<String, Json>),
    /// A date-time, in milliseconds since the Unix epoch (UTC); `None` for an
    /// invalid date (JavaScript's `NaN`).
    DateTime(Option<i64>),
}

impl Value {
    /// The value as JSON; a date-time as RFC 3339 text with milliseconds
    /// (as JavaScript's `toISOString` writes it), an invalid one as `null`.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null | Value::DateTime(None) => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => number(*n),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Object(m) => Json::Object(m.clone()),
            Value::DateTime(Some(t)) => Json::String(datetime::to_string(*t)),
        }
    }

    /// The text, for a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether CertLogic counts the value as truthy (`Some(true)`), falsy
    /// (`Some(false)`) or neither (`None`: a date-time).
    pub fn truthiness(&self) -> Option<bool> {
        match self {
            Value::Null => Some(false),
            Value::Bool(b) => Some(*b),
            Value::Number(n) => Some(*n != 0.0),
            Value::String(s) => Some(!s.is_empty()),
            Value::Array(a) => Some(!a.is_empty()),
            Value::Object(m) => Some(!m.is_empty()),
            Value::DateTime(_) => None,
        }
    }
}

/// A JSON number for `n`: an integer when it is one.
pub(crate) fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

/// An object the engine makes up rather than reads: the data context of a
/// pass (`payload`, `external`) and the pass's headers (`payload.h`, as the
/// Swiss rules read them).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Virtual {
    PassRoot,
    External,
    Headers,
}

/// A value during evaluation, borrowing from the data and the rule.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Cow<'a, str>),
    Date(Millis),
    /// An array or object of the data or of the rule.
    Json(&'a Json),
    /// An array built during evaluation, with its depth (arrays nested in
    /// it, itself counted).
    List(Rc<Vec<Val<'a>>>, u32),
    /// An object built during evaluation (a `reduce` step's data context
    /// read whole with `var ""`).
    Owned(Rc<Json>),
    Virtual(Virtual),
}

impl<'a> Val<'a> {
    /// A JSON value as a CertLogic value (scalars by value, arrays and
    /// objects by reference).
    pub(crate) fn of_json(j: &'a Json) -> Val<'a> {
        match j {
            Json::Null => Val::Null,
            Json::Bool(b) => Val::Bool(*b),
            Json::Number(n) => Val::Num(n.as_f64().unwrap_or(f64::NAN)),
            Json::String(s) => Val::Str(Cow::Borrowed(s)),
            Json::Array(_) | Json::Object(_) => Val::Json(j),
        }
    }

    /// A JSON value read out of an owned one: copied.
    pub(crate) fn owned_of_json(j: &Json) -> Val<'a> {
        match j {
            Json::String(s) => Val::Str(Cow::Owned(s.clone())),
            Json::Array(_) | Json::Object(_) => Val::Owned(Rc::new(j.clone())),
            scalar => match Val::of_json(scalar) {
                Val::Null => Val::Null,
                Val::Bool(b) => Val::Bool(b),
                Val::Num(n) => Val::Num(n),
                _ => Val::Null,
            },
        }
    }

    /// CertLogic's truthiness: `Some(true)` truthy, `Some(false)` falsy,
    /// `None` neither (date-times).
    pub(crate) fn truthiness(&self) -> Option<bool> {
        match self {
            Val::Null => Some(false),
            Val::Bool(b) => Some(*b),
            Val::Num(n) => Some(*n != 0.0),
            Val::Str(s) => Some(!s.is_empty()),
            Val::Json(Json::Array(a)) => Some(!a.is_empty()),
            Val::Json(Json::Object(m)) => Some(!m.is_empty()),
            Val::Json(_) => Some(false),
            Val::List(l, _) => Some(!l.is_empty()),
            Val::Owned(j) => Val::of_json(j).truthiness(),
            Val::Virtual(_) => Some(true),
            Val::Date(_) => None,
        }
    }

    /// An integer (a number with no fraction), as CertLogic's arithmetic
    /// and comparisons require.
    pub(crate) fn as_int(&self) -> Option<f64> {
        match self {
            Val::Num(n) if n.is_finite() && n.fract() == 0.0 => Some(*n),
            _ => None,
        }
    }

    /// JavaScript's `===`: scalars by value, arrays and objects by
    /// identity, date-times never (each is a new object).
    pub(crate) fn strict_eq(&self, other: &Val<'_>) -> bool {
        match (self, other) {
            (Val::Null, Val::Null) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Num(a), Val::Num(b)) => a == b,
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::Json(a), Val::Json(b)) => std::ptr::eq(*a, *b),
            (Val::List(a, _), Val::List(b, _)) => Rc::ptr_eq(a, b),
            (Val::Owned(a), Val::Owned(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// How deep the arrays built during evaluation nest in it (data and
    /// values copied whole are bounded when they are made: 0).
    pub(crate) fn depth(&self) -> u32 {
        match self {
            Val::List(_, depth) => *depth,
            _ => 0,
        }
    }

    /// The value as an owned one, unbounded: for scalars, and for arrays
    /// and objects whose size the caller has charged (see `eval::to_value`).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => Value::Number(*n),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Date(t) => Value::DateTime(*t),
            Val::Json(Json::Array(a)) => {
                Value::Array(a.iter().map(|j| Val::of_json(j).to_value()).collect())
            }
            Val::Json(Json::Object(m)) => Value::Object(m.clone()),
            Val::Json(j) => Val::of_json(j).to_value(),
            Val::List(l, _) => Value::Array(l.iter().map(Val::to_value).collect()),
            Val::Owned(j) => Val::of_json(j).to_value(),
            Val::Virtual(_) => Value::Object(serde_json::Map::new()),
        }
    }
}
