//! Rule files and CertLogic expressions: any bytes as a rule set (EU or
//! Swiss format) and as an expression, compiled and evaluated on a pass-like
//! data context, and validated; a rule set that loads also decides on a
//! verified demo pass under a few policies (the admission path a gate
//! runs). Errors are typed, evaluation stays within its step budget,
//! nothing panics.
#![no_main]

use std::sync::OnceLock;

use healthpass::rules::{self, Expression, Policy, RuleSet};
use healthpass::{TrustList, UnixTime, VerifiedPass, Verifier};
use libfuzzer_sys::fuzz_target;

fn data() -> &'static serde_json::Value {
    static D: OnceLock<serde_json::Value> = OnceLock::new();
    D.get_or_init(|| {
        serde_json::json!({
            "payload": {
                "ver": "1.3.0", "nam": {"fnt": "DOE", "gnt": "JANE"}, "dob": "1990-04",
                "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
                       "dn": 2, "sd": 2, "dt": "2021-06-01", "co": "AT", "is": "X", "ci": "URN:UVCI:01:AT:X/1#C"}]
            },
            "external": {"validationClock": "2021-07-01T10:00:00Z", "countryCode": "AT",
                         "valueSets": {"vaccines-covid-19-names": ["EU/1/20/1528"]}}
        })
    })
}

/// The demo vaccination, verified once.
fn pass() -> &'static VerifiedPass {
    static P: OnceLock<VerifiedPass> = OnceLock::new();
    P.get_or_init(|| {
        let mut trust = TrustList::new();
        trust
            .add_any(include_bytes!("../../demo/trust.pem"))
            .expect("demo trust");
        Verifier::builder()
            .trust_list(trust)
            .build()
            .expect("verifier")
            .verify_hcert(include_str!("../../demo/valid.txt"), now())
            .expect("the demo pass verifies")
    })
}

fn now() -> UnixTime {
    UnixTime::from_secs(1_796_126_400) // 2026-12-01T12:00:00Z
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(set) = RuleSet::from_json(text) {
        for rule in set.rules() {
            let _ = rule.logic().evaluate(data());
            let _ = rule.description("de");
        }
        let mut policies = vec![Policy::new(), Policy::new().country("AT").region("W")];
        if let Some(mode) = set.modes().first() {
            policies.push(Policy::new().mode(mode.id.clone()));
        }
        for policy in &policies {
            let a = pass().admission(&set, policy, now());
            // Admitted means nothing failed.
            assert!(!a.is_admitted() || a.failed_rules().is_empty());
            let _ = a.reason();
        }
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        let issues = rules::validate(&json);
        if let Ok(expr) = Expression::compile(&json) {
            let result = expr.evaluate(data());
            // A sound expression never fails for an invalid part of itself.
            if issues.is_empty() {
                if let Err(e) = &result {
                    assert!(!e.to_string().starts_with("unrecognised operator"), "{e}");
                }
            }
            let _ = expr.evaluate(&json);
        }
    }
});
