//! The CertLogic evaluator: a compiled expression on a data context, with
//! the specification's semantics (and certlogic-js's where the
//! specification is silent), within a step budget.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::Value as Json;

use super::datetime;
use super::expr::{Cmp, Expr, Segment};
use super::value::{Val, Virtual};

/// Most evaluation steps one expression may take on one data context (real
/// rules take a few hundred).
pub const MAX_STEPS: u64 = 100_000;

/// Longest array `reduce` walks.
pub const MAX_REDUCE_LEN: usize = 10_000;

/// Why an evaluation failed. A rule that fails to evaluate counts as failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub(crate) Cow<'static, str>);

impl core::fmt::Display for EvalError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: &'static str) -> Result<T, EvalError> {
    Err(EvalError(Cow::Borrowed(msg)))
}

/// What the engine knows of a pass beyond its payload: the `external`
/// parameters of the EU engine and the headers of the Swiss one.
#[derive(Debug, Clone)]
pub(crate) struct Environment<'v> {
    /// `external.valueSets`: value set id → array of codes.
    pub(crate) value_sets: &'v Json,
    /// RFC 3339 date-times and plain strings, by `external` field name.
    pub(crate) external: Vec<(&'static str, Json)>,
    /// The Swiss headers `payload.h.*`.
    pub(crate) headers: Vec<(&'static str, Json)>,
}

impl Environment<'_> {
    fn external(&self, name: &str) -> Option<&Json> {
        if name == "valueSets" {
            return Some(self.value_sets);
        }
        self.external
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    fn header(&self, name: &str) -> Option<&Json> {
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

/// The data an expression reads: any JSON, or a pass (its payload and
/// environment).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Data<'a> {
    Json(&'a Json),
    Pass {
        payload: &'a Json,
        env: &'a Environment<'a>,
    },
}

/// The current data context: the data, or inside a `reduce` lambda the
/// `{current, accumulator}` object.
#[derive(Clone, Copy)]
enum Scope<'a, 'b> {
    Data(Data<'a>),
    Reduce {
        current: &'b Val<'a>,
        accumulator: &'b Val<'a>,
        data: Data<'a>,
    },
}

struct Evaluator {
    steps: u64,
}

/// Evaluates `expr` on `data`.
pub(crate) fn evaluate<'a>(expr: &'a Expr, data: Data<'a>) -> Result<Val<'a>, EvalError> {
    Evaluator { steps: 0 }.eval(expr, Scope::Data(data))
}

/// One path fragment applied to a value, as certlogic-js's `access` reads
/// it: a fragment that parses as an integer indexes (an array by position,
/// an object by the number's text), any other names an object's field;
/// anything else is `null`.
fn step<'a>(v: &Val<'a>, seg: &'a Segment, data: Data<'a>) -> Val<'a> {
    match (v, data) {
        (Val::Json(Json::Array(items)), _) => seg
            .index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| items.get(i))
            .map_or(Val::Null, Val::of_json),
        (Val::Json(Json::Object(m)), _) => {
            let found = match seg.index {
                Some(i) => m.get(&i.to_string()),
                None => m.get(&*seg.name),
            };
            found.map_or(Val::Null, Val::of_json)
        }
        (Val::Owned(j), _) => {
            let child = match (&**j, seg.index) {
                (Json::Array(items), Some(i)) => usize::try_from(i).ok().and_then(|i| items.get(i)),
                (Json::Object(m), Some(i)) => m.get(&i.to_string()),
                (Json::Object(m), None) => m.get(&*seg.name),
                _ => None,
            };
            child.map_or(Val::Null, Val::owned_of_json)
        }
        (Val::List(items), _) => seg
            .index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| items.get(i))
            .cloned()
            .unwrap_or(Val::Null),
        (Val::Virtual(Virtual::PassRoot), Data::Pass { payload, .. }) => match &*seg.name {
            "payload" => Val::of_json(payload),
            "external" => Val::Virtual(Virtual::External),
            _ => Val::Null,
        },
        (Val::Virtual(Virtual::External), Data::Pass { env, .. }) => {
            env.external(&seg.name).map_or(Val::Null, Val::of_json)
        }
        (Val::Virtual(Virtual::Headers), Data::Pass { env, .. }) => {
            env.header(&seg.name).map_or(Val::Null, Val::of_json)
        }
        _ => Val::Null,
    }
}

impl Evaluator {
    fn tick(&mut self) -> Result<(), EvalError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return err("evaluation takes more steps than allowed");
        }
        Ok(())
    }

    fn var<'a>(&self, path: &'a [Segment], scope: Scope<'a, '_>) -> Val<'a> {
        let (mut v, data, rest) = match scope {
            Scope::Data(d @ Data::Json(j)) => (Val::of_json(j), d, path),
            Scope::Data(d @ Data::Pass { payload, .. }) => match path.split_first() {
                // payload.h: the pass's headers (the Swiss data model), unless
                // the payload has an `h` of its own.
                Some((first, rest)) if &*first.name == "payload" => match rest.split_first() {
                    Some((h, rest2)) if &*h.name == "h" && payload.get("h").is_none() => {
                        (Val::Virtual(Virtual::Headers), d, rest2)
                    }
                    _ => (Val::of_json(payload), d, rest),
                },
                _ => (Val::Virtual(Virtual::PassRoot), d, path),
            },
            Scope::Reduce {
                current,
                accumulator,
                data,
            } => match path.split_first() {
                Some((first, rest)) => match &*first.name {
                    "current" => (current.clone(), data, rest),
                    "accumulator" => (accumulator.clone(), data, rest),
                    _ => return Val::Null,
                },
                None => return reduce_scope(current, accumulator),
            },
        };
        for seg in rest {
            if matches!(v, Val::Null) {
                return Val::Null;
            }
            v = step(&v, seg, data);
        }
        v
    }

    fn boolsy(v: &Val<'_>, what: &'static str) -> Result<bool, EvalError> {
        v.truthiness().map_or_else(|| err(what), Ok)
    }

    fn eval<'a>(&mut self, expr: &'a Expr, scope: Scope<'a, '_>) -> Result<Val<'a>, EvalError> {
        self.tick()?;
        Ok(match expr {
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(Cow::Borrowed(s)),
            Expr::ConstArray(j) => Val::Json(j),
            Expr::Array(items) => Val::List(Rc::new(
                items
                    .iter()
                    .map(|i| self.eval(i, scope))
                    .collect::<Result<_, _>>()?,
            )),
            Expr::Var(path) => {
                if path.is_empty() {
                    match scope {
                        Scope::Data(Data::Json(j)) => Val::of_json(j),
                        Scope::Data(Data::Pass { .. }) => Val::Virtual(Virtual::PassRoot),
                        Scope::Reduce {
                            current,
                            accumulator,
                            ..
                        } => reduce_scope(current, accumulator),
                    }
                } else {
                    self.var(path, scope)
                }
            }
            Expr::If(parts) => {
                let [guard, then, otherwise] = &**parts;
                let g = self.eval(guard, scope)?;
                if Self::boolsy(
                    &g,
                    "if-guard evaluates to something neither truthy, nor falsy",
                )? {
                    self.eval(then, scope)?
                } else {
                    self.eval(otherwise, scope)?
                }
            }
            Expr::And(operands) => {
                let mut last = Val::Bool(true);
                for o in operands {
                    let v = self.eval(o, scope)?;
                    let t = Self::boolsy(
                        &v,
                        "all operands of an \"and\" operation must be either truthy or falsy",
                    )?;
                    last = v;
                    if !t {
                        break;
                    }
                }
                last
            }
            Expr::StrictEq(p) => {
                let [a, b] = &**p;
                let (l, r) = (self.eval(a, scope)?, self.eval(b, scope)?);
                Val::Bool(l.strict_eq(&r))
            }
            Expr::In(p) => {
                let [a, b] = &**p;
                let (needle, hay) = (self.eval(a, scope)?, self.eval(b, scope)?);
                let found = match &hay {
                    Val::Json(Json::Array(items)) => {
                        items.iter().any(|i| Val::of_json(i).strict_eq(&needle))
                    }
                    Val::List(items) => items.iter().any(|i| i.strict_eq(&needle)),
                    _ => return err("right-hand side of an \"in\" operation must be an array"),
                };
                Val::Bool(found)
            }
            Expr::Plus(p) => {
                let [a, b] = &**p;
                let (l, r) = (self.eval(a, scope)?, self.eval(b, scope)?);
                match (l.as_int(), r.as_int()) {
                    (Some(a), Some(b)) => Val::Num(a + b),
                    _ => return err("operands of this operation must both be integers"),
                }
            }
            Expr::Compare(op, operands) => {
                let mut vals = [0.0; 3];
                for (slot, o) in vals.iter_mut().zip(operands) {
                    *slot = self.eval(o, scope)?.as_int().map_or_else(
                        || err("all operands of a comparison operation must be of integer type"),
                        Ok,
                    )?;
                }
                Val::Bool(chain(*op, vals.get(..operands.len()).unwrap_or(&[])))
            }
            Expr::CompareDates(op, operands) => {
                let mut vals = [0.0; 3];
                for (slot, o) in vals.iter_mut().zip(operands) {
                    *slot = match self.eval(o, scope)? {
                        Val::Date(t) => t.map_or(f64::NAN, |t| t as f64),
                        _ => {
                            return err("all operands of a date-time comparison must be date-times")
                        }
                    };
                }
                Val::Bool(chain(*op, vals.get(..operands.len()).unwrap_or(&[])))
            }
            Expr::Not(o) => {
                let v = self.eval(o, scope)?;
                Val::Bool(!Self::boolsy(
                    &v,
                    "operand of ! evaluates to something neither truthy, nor falsy",
                )?)
            }
            Expr::PlusTime(date, amount, unit) => match self.eval(date, scope)? {
                Val::Str(s) => match datetime::parse(&s) {
                    Some(t) => Val::Date(datetime::plus(t, *amount, *unit)),
                    None => return err("not an allowed date or date-time format"),
                },
                _ => return err("date argument (#1) of \"plusTime\" must be a string"),
            },
            Expr::Reduce(parts) => {
                let [operand, lambda, initial] = &**parts;
                let items = self.eval(operand, scope)?;
                let data = match scope {
                    Scope::Data(d) | Scope::Reduce { data: d, .. } => d,
                };
                let list: Vec<Val<'a>> = match &items {
                    Val::Null => return self.eval(initial, scope),
                    Val::Json(Json::Array(a)) => a.iter().map(Val::of_json).collect(),
                    Val::List(l) => l.as_ref().clone(),
                    _ => return err("operand of reduce evaluated to a non-null non-array"),
                };
                if list.len() > MAX_REDUCE_LEN {
                    return err("reduce over an array longer than allowed");
                }
                let mut acc = self.eval(initial, scope)?;
                for current in &list {
                    acc = self.eval(
                        lambda,
                        Scope::Reduce {
                            current,
                            accumulator: &acc,
                            data,
                        },
                    )?;
                }
                acc
            }
            Expr::ExtractFromUvci(operand, index) => {
                let v = self.eval(operand, scope)?;
                let text = match &v {
                    Val::Null => None,
                    Val::Str(s) => Some(s.clone()),
                    _ => {
                        return err(
                            "\"UVCI\" argument (#1) of \"extractFromUVCI\" must be either a string or null",
                        )
                    }
                };
                let Some(index) = index else {
                    return err(
                        "\"index\" argument (#2) of \"extractFromUVCI\" must be an integer",
                    );
                };
                match text {
                    None => Val::Null,
                    Some(t) => extract_from_uvci(t, *index),
                }
            }
            Expr::DateOfBirth(o) => match self.eval(o, scope)? {
                Val::Str(s) => match datetime::date_of_birth(&s) {
                    Some(t) => Val::Date(t),
                    None => return err("can't parse the text as an EU DCC date of birth"),
                },
                _ => return err("operand of \"dccDateOfBirth\" must be a string"),
            },
            Expr::Invalid(msg) => return Err(EvalError(Cow::Owned(msg.to_string()))),
        })
    }
}

/// A `reduce` step's data context, `{accumulator, current}`, read whole.
fn reduce_scope<'a>(current: &Val<'a>, accumulator: &Val<'a>) -> Val<'a> {
    let mut m = serde_json::Map::new();
    m.insert("accumulator".into(), accumulator.to_value().to_json());
    m.insert("current".into(), current.to_value().to_json());
    Val::Owned(Rc::new(Json::Object(m)))
}

/// `a op b`, or for three operands `a op b and b op c` (false with an
/// invalid date, as JavaScript compares `NaN`).
fn chain(op: Cmp, v: &[f64]) -> bool {
    let f = |a: f64, b: f64| match op {
        Cmp::Lt => a < b,
        Cmp::Gt => a > b,
        Cmp::Le => a <= b,
        Cmp::Ge => a >= b,
    };
    v.windows(2).all(|w| matches!(w, [a, b] if f(*a, *b)))
}

/// The fragment of a UCI with this index: the optional `URN:UVCI:` dropped,
/// split at `/`, `#` and `:`.
fn extract_from_uvci(uvci: Cow<'_, str>, index: i64) -> Val<'_> {
    let Ok(index) = usize::try_from(index) else {
        return Val::Null;
    };
    let fragment = |s: &str| -> Option<(usize, usize)> {
        let body_start = if s.starts_with("URN:UVCI:") { 9 } else { 0 };
        let body = s.get(body_start..)?;
        let mut start = 0;
        for (i, piece) in body.split(['/', '#', ':']).enumerate() {
            if i == index {
                return Some((body_start + start, body_start + start + piece.len()));
            }
            start += piece.len() + 1;
        }
        None
    };
    let Some((from, to)) = fragment(&uvci) else {
        return Val::Null;
    };
    match uvci {
        Cow::Borrowed(s) => s
            .get(from..to)
            .map_or(Val::Null, |f| Val::Str(Cow::Borrowed(f))),
        Cow::Owned(s) => s
            .get(from..to)
            .map_or(Val::Null, |f| Val::Str(Cow::Owned(f.to_string()))),
    }
}
