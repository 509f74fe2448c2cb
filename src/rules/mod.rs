//! Admission decisions: a CertLogic engine, the EU business-rule format, and
//! scan modes.
//!
//! A valid signature says a pass is authentic; rules say whether its holder
//! may enter. Countries publish their entry policies as **CertLogic** rules
//! (the EU DCC business rules, JSON evaluated on the pass), and the Swiss
//! SDK expresses its scan modes (3G, 2G, 2G+) the same way.
//!
//! **The engine** implements CertLogic 1.3.3 (the specification in
//! ehn-dcc-development/eu-dcc-business-rules) — `var`, `if`, `===`, `and`,
//! `<`, `>`, `<=`, `>=`, `in`, `+`, `after`, `before`, `not-after`,
//! `not-before`, `!`, `plusTime`, `reduce`, `extractFromUVCI`,
//! `dccDateOfBirth` — with the specification's semantics, and
//! certlogic-js's where the specification is silent:
//! - truthy and falsy as specified; date-times are neither, and make `if`,
//!   `and` and `!` fail; `and` returns an operand's value;
//! - `<`, `>`, `<=`, `>=` and `+` take integers only; date-times compare
//!   only with the four date operators; `===` compares strings, numbers,
//!   booleans and null by value, arrays, objects and date-times by identity
//!   (as JavaScript's `===` does);
//! - `plusTime` and `dccDateOfBirth` as in the reference (UTC, milliseconds,
//!   month overflow like JavaScript's `Date`: 2020-02-29 + 1 year =
//!   2021-03-01; partial dates rounded up to the last day they can mean);
//! - `var` on a missing path is `null`; a fragment that parses as an
//!   integer indexes. Where JavaScript would read a string's characters or
//!   an array's `length` through `var`, the specification does not, and
//!   neither does this engine: `null`.
//!
//! Expressions are compiled once ([`Expression::compile`]: literals,
//! constant arrays, paths, amounts and units pre-parsed) and evaluate many
//! passes. Depth ([`MAX_DEPTH`]), size ([`MAX_NODES`]), `reduce` length
//! ([`MAX_REDUCE_LEN`]) and evaluation steps ([`MAX_STEPS`]) are bounded,
//! and so is what evaluation builds: arrays nest at most
//! [`MAX_VALUE_DEPTH`] deep, and every node of a value copied whole (a
//! `reduce` step's data context read with `var ""`, a display rule's
//! result) counts as a step. One verification spends at most
//! [`MAX_STEPS_PER_VERIFICATION`] over all the rules, display rules and the
//! mode logic of a set, which holds at most [`MAX_RULES`] rules and
//! [`MAX_DISPLAY_RULES`] display rules and modes. A rule that fails to
//! evaluate counts as **failed**, with its reason; a mode whose logic
//! fails admits nobody.
//! [`validate`] reports the issues the specification's validator reports.
//!
//! **Rule sets** ([`RuleSet`]) come in the EU format (a rule object, or an
//! array of them, each checked against the validation-rule schema) or the
//! Swiss format (`rules`, `valueSets`, `modeRules {activeModes, logic}`,
//! `displayRules`). A rule's identifier names its country (`VR-DE-…` is a
//! rule of `DE`), and no identifier comes twice with one version. Of the
//! versions of one rule (identifier, type, certificate type, country and
//! region), the one in force at the validation clock (`ValidFrom` ≤ clock <
//! `ValidTo`) with the highest version applies: a rule never displaces one
//! of another country, type or region. EU acceptance rules apply for the country of arrival
//! (and region), invalidation rules for the issuing country (the CWT
//! `iss`); `General` rules for every pass, the others for their kind. The
//! external parameters are those of the EU engine: `validationClock`,
//! `valueSets` (the bundled EU value sets unless the set brings its own),
//! `countryCode`, `exp`, `iat`, `issuerCountryCode`, `kid` (base64),
//! `region` — and `validationClockAtStartOfDay` and the Swiss headers
//! `payload.h.{iat, exp, isLight, lightSource, mode, iss, kid}` (`lightSource`:
//! `v`, `t`, `r` or `e`, the kind of pass a light pass was made from, or
//! `null`). The headers are the verifier's: a payload cannot shadow them.
//!
//! **Modes**: evaluating a mode of a Swiss-format set gives its outcome
//! string (`SUCCESS`, `SUCCESS_2G`, `SUCCESS_2G_PLUS`, `IS_LIGHT`,
//! `INVALID`, …); only `SUCCESS` admits on its own. A set with one mode
//! applies it when the policy names none; with several, a policy without a
//! mode is not evaluated. Four presets ship as rule data
//! ([`RuleSet::preset`], [`PRESETS`]): `3g`, `2g`, `2g-plus` and
//! `vaccinated-recovered-exempt`, each with one mode of its own name.
//!
//! **Light passes** carry no health data: EU rules that read any (by their
//! `AffectedFields`) fail for them; a Swiss-format set judges them by its
//! mode (which can say `IS_LIGHT`).
//!
//! ```
//! use healthpass::rules::{Policy, RuleSet};
//! use healthpass::{TrustList, UnixTime, Verifier};
//!
//! # fn main() -> Result<(), healthpass::Error> {
//! let mut trust = TrustList::new();
//! trust.add_any(include_bytes!("../../demo/trust.pem"))?;
//! let verifier = Verifier::builder()
//!     .trust_list(trust)
//!     .rules(RuleSet::preset("2g")?)
//!     .policy(Policy::new().mode("2g"))
//!     .build()?;
//! let now = UnixTime::parse_rfc3339("2026-12-01T12:00:00Z")?;
//! // A vaccination from 2026-10-01: admitted under 2G.
//! let verdict = verifier.verdict(include_str!("../../demo/valid.txt"), now);
//! assert!(verdict.is_valid());
//! assert_eq!(verdict.admission().and_then(|a| a.mode_result()), Some("SUCCESS"));
//! // A test result: authentic, but refused under 2G.
//! let verdict = verifier.verdict(include_str!("../../demo/valid-test.txt"), now);
//! assert_eq!(verdict.error_kind().map(|k| k.as_str()), Some("rejected_by_rules"));
//! # Ok(()) }
//! ```

use serde_json::Value as Json;

mod admission;
mod datetime;
mod eval;
mod expr;
mod ruleset;
mod signed;
mod value;

pub use admission::{Admission, AdmissionStatus, FailedRule, Policy};
pub use eval::{EvalError, MAX_REDUCE_LEN, MAX_STEPS, MAX_STEPS_PER_VERIFICATION, MAX_VALUE_DEPTH};
pub use expr::{validate, Issue, MAX_DEPTH, MAX_NODES};
pub use ruleset::{
    CertificateType, Mode, Rule, RuleSet, RuleType, MAX_DISPLAY_RULES, MAX_RULES, MAX_RULE_FILE,
    PRESETS,
};
pub use signed::{RuleSetDocument, RuleSetLoader, SignedRules, RULE_SET_CONTENT_TYPE};
pub use value::Value;

pub(crate) use admission::{admit, PassFacts};

use crate::Error;

/// A compiled CertLogic expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    expr: expr::Expr,
}

impl Expression {
    /// Compiles an expression from its JSON.
    ///
    /// Parts that the reference evaluator would refuse compile to nodes that
    /// fail when evaluated (so an unreached branch costs nothing, as in the
    /// reference); see [`validate`] for the static issues.
    ///
    /// # Errors
    /// [`Error::Rules`] for an expression nested deeper than [`MAX_DEPTH`]
    /// or larger than [`MAX_NODES`].
    pub fn compile(json: &Json) -> Result<Self, Error> {
        match expr::compile(json) {
            Ok(expr) => Ok(Expression { expr }),
            Err(expr::CompileError::TooDeep) => Err(Error::Rules(format!(
                "logic nested more than {MAX_DEPTH} levels deep"
            ))),
            Err(expr::CompileError::TooLarge) => Err(Error::Rules(format!(
                "logic of more than {MAX_NODES} nodes"
            ))),
        }
    }

    /// Evaluates the expression on a data context (any JSON).
    ///
    /// # Errors
    /// [`EvalError`] when the expression fails to evaluate on this data
    /// (a type mismatch, an invalid part, the step budget).
    pub fn evaluate(&self, data: &Json) -> Result<Value, EvalError> {
        // MAX_STEPS for the evaluation, and as much again to copy the
        // result out.
        let mut budget = eval::Budget::new(2 * MAX_STEPS);
        let v = eval::evaluate(&self.expr, eval::Data::Json(data), &mut budget)?;
        eval::to_value(&v, &mut budget)
    }

    pub(crate) fn eval<'a>(
        &'a self,
        data: eval::Data<'a>,
        budget: &mut eval::Budget,
    ) -> Result<value::Val<'a>, EvalError> {
        eval::evaluate(&self.expr, data, budget)
    }
}
