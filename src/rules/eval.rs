//! The CertLogic evaluator: a compiled expression on a data context, with
//! the specification's semantics (and certlogic-js's where the
//! specification is silent), within a step budget.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::Value as Json;

use super::datetime;
use super::expr::{Cmp, Expr, Segment};
use super::value::{Val, Value, Virtual};

/// Most evaluation steps one expression may take on one data context (real
/// rules take a few hundred).
pub const MAX_STEPS: u64 = 100_000;

/// Longest array `reduce` walks.
pub const MAX_REDUCE_LEN: usize = 10_000;

/// Most evaluation steps of one verification, over all the rules, display
/// rules and mode logic of a set: a set of many rules each near
/// [`MAX_STEPS`] fails closed instead of taking seconds.
pub const MAX_STEPS_PER_VERIFICATION: u64 = 1_000_000;

/// Deepest array or object an evaluation may build (arrays nested in
/// arrays, a `reduce` step's data context in the next one).
pub const MAX_VALUE_DEPTH: u32 = 64;

/// The work one verification may still spend: steps, and every node of a
/// value copied or built whole (a `reduce` step's data context read with
/// `var ""`, a result given back), each counting as a step.
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
}

impl Budget {
    /// A budget of `steps`.
    pub(crate) fn new(steps: u64) -> Self {
        Budget { left: steps }
    }

    /// For one verification: [`MAX_STEPS_PER_VERIFICATION`].
    pub(crate) fn per_verification() -> Self {
        Budget::new(MAX_STEPS_PER_VERIFICATION)
    }
}

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

struct Evaluator<'b> {
    steps: u64,
    budget: &'b mut Budget,
}

/// Evaluates `expr` on `data`, within [`MAX_STEPS`] and what is `left`
/// of the verification's budget.
pub(crate) fn evaluate<'a>(
    expr: &'a Expr,
    data: Data<'a>,
    budget: &mut Budget,
) -> Result<Val<'a>, EvalError> {
    Evaluator { steps: 0, budget }.eval(expr, Scope::Data(data))
}

/// A result as an owned value, each node of it charged to `budget`.
pub(crate) fn to_value(v: &Val<'_>, budget: &mut Budget) -> Result<Value, EvalError> {
    Evaluator { steps: 0, budget }.value_of(v, 0)
}

/// One path fragment applied to a value, as certlogic-js's `access` reads
/// it: a fragment that parses as an integer indexes (an array by position,
/// an object by the number's text), any other names an object's field;
/// anything else is `null`.
///
/// A fragment read out of a value built during evaluation copies that
/// part: `copied` counts its nodes, which the caller charges.
fn step<'a>(v: &Val<'a>, seg: &'a Segment, data: Data<'a>, copied: &mut u64) -> Val<'a> {
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
            child.map_or(Val::Null, |c| {
                *copied = copied.saturating_add(json_nodes(c));
                Val::owned_of_json(c)
            })
        }
        (Val::List(items, _), _) => seg
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

/// The nodes of a JSON value (each array, object and scalar), without
/// recursion.
fn json_nodes(j: &Json) -> u64 {
    json_size(j).0
}

/// The nodes of a JSON value and how deep its arrays and objects nest,
/// without recursion.
fn json_size(j: &Json) -> (u64, u32) {
    let mut stack = vec![(j, 0u32)];
    let (mut n, mut deepest) = (0u64, 0u32);
    while let Some((j, depth)) = stack.pop() {
        n = n.saturating_add(1);
        match j {
            Json::Array(items) => {
                deepest = deepest.max(depth + 1);
                stack.extend(items.iter().map(|i| (i, depth + 1)));
            }
            Json::Object(m) => {
                deepest = deepest.max(depth + 1);
                stack.extend(m.values().map(|v| (v, depth + 1)));
            }
            _ => {}
        }
    }
    (n, deepest)
}

impl Evaluator<'_> {
    fn tick(&mut self) -> Result<(), EvalError> {
        self.charge(1)
    }

    /// Spends `n` steps of the expression's and the verification's budget.
    fn charge(&mut self, n: u64) -> Result<(), EvalError> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > MAX_STEPS {
            return err("evaluation takes more steps than allowed");
        }
        match self.budget.left.checked_sub(n) {
            Some(left) => self.budget.left = left,
            None => {
                self.budget.left = 0;
                return err("the rules take more steps than allowed for one verification");
            }
        }
        Ok(())
    }

    /// An array built of `items`: at most [`MAX_VALUE_DEPTH`] deep.
    fn list<'a>(items: Vec<Val<'a>>) -> Result<Val<'a>, EvalError> {
        let depth = 1 + items.iter().map(Val::depth).max().unwrap_or(0);
        if depth > MAX_VALUE_DEPTH {
            return err("evaluation builds a value nested deeper than allowed");
        }
        Ok(Val::List(Rc::new(items), depth))
    }

    /// `v` as JSON, each node charged, at most [`MAX_VALUE_DEPTH`] deep.
    fn json_of(&mut self, v: &Val<'_>, depth: u32) -> Result<Json, EvalError> {
        if depth > MAX_VALUE_DEPTH {
            return err("evaluation builds a value nested deeper than allowed");
        }
        let copy = |e: &mut Self, j: &Json| {
            let (nodes, nested) = json_size(j);
            e.charge(nodes)?;
            if depth.saturating_add(nested) > MAX_VALUE_DEPTH {
                return err("evaluation builds a value nested deeper than allowed");
            }
            Ok(j.clone())
        };
        Ok(match v {
            Val::Json(j) => copy(self, j)?,
            Val::Owned(j) => copy(self, j)?,
            Val::List(items, _) => {
                self.tick()?;
                let mut out = Vec::with_capacity(items.len());
                for i in items.iter() {
                    out.push(self.json_of(i, depth + 1)?);
                }
                Json::Array(out)
            }
            scalar => {
                self.tick()?;
                scalar.to_value().to_json()
            }
        })
    }

    /// `v` as an owned [`Value`], each node charged.
    fn value_of(&mut self, v: &Val<'_>, depth: u32) -> Result<Value, EvalError> {
        if depth > MAX_VALUE_DEPTH {
            return err("evaluation builds a value nested deeper than allowed");
        }
        match v {
            Val::List(items, _) => {
                self.tick()?;
                let mut out = Vec::with_capacity(items.len());
                for i in items.iter() {
                    out.push(self.value_of(i, depth + 1)?);
                }
                Ok(Value::Array(out))
            }
            Val::Json(j) => {
                self.charge(json_nodes(j))?;
                Ok(v.to_value())
            }
            Val::Owned(j) => {
                self.charge(json_nodes(j))?;
                Ok(v.to_value())
            }
            scalar => {
                self.tick()?;
                Ok(scalar.to_value())
            }
        }
    }

    /// A `reduce` step's data context, `{accumulator, current}`, read whole:
    /// both copied, each node charged.
    fn reduce_scope<'a>(
        &mut self,
        current: &Val<'a>,
        accumulator: &Val<'a>,
    ) -> Result<Val<'a>, EvalError> {
        let mut m = serde_json::Map::new();
        m.insert("accumulator".into(), self.json_of(accumulator, 1)?);
        m.insert("current".into(), self.json_of(current, 1)?);
        Ok(Val::Owned(Rc::new(Json::Object(m))))
    }

    fn var<'a>(&mut self, path: &'a [Segment], scope: Scope<'a, '_>) -> Result<Val<'a>, EvalError> {
        let (mut v, data, rest) = match scope {
            Scope::Data(d @ Data::Json(j)) => (Val::of_json(j), d, path),
            Scope::Data(d @ Data::Pass { payload, .. }) => match path.split_first() {
                // payload.h: the pass's headers (the Swiss data model), always:
                // what the verifier knows of the pass wins over anything the
                // payload says (the schema check refuses a payload `h`).
                Some((first, rest)) if &*first.name == "payload" => match rest.split_first() {
                    Some((h, rest2)) if &*h.name == "h" => {
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
                    _ => return Ok(Val::Null),
                },
                None => return self.reduce_scope(current, accumulator),
            },
        };
        for seg in rest {
            if matches!(v, Val::Null) {
                return Ok(Val::Null);
            }
            let mut copied = 0;
            v = step(&v, seg, data, &mut copied);
            self.charge(copied)?;
        }
        Ok(v)
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
            Expr::Array(items) => Self::list(
                items
                    .iter()
                    .map(|i| self.eval(i, scope))
                    .collect::<Result<_, _>>()?,
            )?,
            Expr::Var(path) => {
                if path.is_empty() {
                    match scope {
                        Scope::Data(Data::Json(j)) => Val::of_json(j),
                        Scope::Data(Data::Pass { .. }) => Val::Virtual(Virtual::PassRoot),
                        Scope::Reduce {
                            current,
                            accumulator,
                            ..
                        } => self.reduce_scope(current, accumulator)?,
                    }
                } else {
                    self.var(path, scope)?
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
                    Val::List(items, _) => items.iter().any(|i| i.strict_eq(&needle)),
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
                    Some(t) => match datetime::plus(t, *amount, *unit) {
                        Some(shifted) => Val::Date(shifted),
                        None => return err("the result of \"plusTime\" is out of range"),
                    },
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
                    Val::List(l, _) => l.as_ref().clone(),
                    _ => return err("operand of reduce evaluated to a non-null non-array"),
                };
                if list.len() > MAX_REDUCE_LEN {
                    return err("reduce over an array longer than allowed");
                }
                self.charge(list.len() as u64)?;
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
