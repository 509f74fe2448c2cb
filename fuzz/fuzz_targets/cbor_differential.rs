//! Differential: every input through this crate's strict CBOR reader and
//! through ciborium, and as COSE_Sign1 through this crate's parser and
//! coset. Where both accept, the data must be equal. Where only the other
//! library accepts, our error must be one of our documented strictness
//! rules (`src/cbor.rs`, `src/cose.rs`); where only we accept, the reason
//! must be one of the documented differences listed below.
#![no_main]

use ciborium::value::Value as Cb;
use healthpass::cbor::{self, Value};
use healthpass::cose::CoseSign1;
use libfuzzer_sys::fuzz_target;

/// Our CBOR refusals that a general reader need not share (the list in
/// src/cbor.rs): duplicate map keys, nesting deeper than 16, containers of
/// more than 1024 items, simple values 0–31 written in two bytes, and a
/// chunk of an indefinite-length string that is itself indefinite (the last
/// two are ill-formed by RFC 8949 §3.3 and §3.2.3; ciborium reads them).
const OUR_CBOR_RULES: &[&str] = &[
    "duplicate map key",
    "nested too deeply",
    "too many items",
    "badly encoded simple value",
    "indefinite length not allowed here",
];

/// Our COSE_Sign1 refusals beyond well-formed CBOR (src/cose.rs): exactly
/// the pass profile.
fn is_our_cose_rule(e: &healthpass::Error) -> bool {
    use healthpass::Error;
    match e {
        Error::Cbor { reason, .. } => OUR_CBOR_RULES.contains(reason),
        Error::Cose(_)
        | Error::UnsupportedAlgorithm(_)
        | Error::UnknownCriticalHeader(_)
        | Error::MissingKid
        | Error::InvalidKid { .. }
        | Error::TrailingBytes { .. } => true,
        _ => false,
    }
}

/// Whether our value and ciborium's are the same data. ciborium reads
/// `undefined` as null, and bignum tags 2 and 3 as integers when they fit,
/// else with their leading zero bytes dropped (the same number).
fn same(ours: &Value<'_>, theirs: &Cb) -> bool {
    let strip = |b: &[u8]| -> Vec<u8> { b.iter().copied().skip_while(|x| *x == 0).collect() };
    match (ours, theirs) {
        (Value::Tag(t @ (2 | 3), a), Cb::Tag(u, b)) if t == u => match (a.as_ref(), b.as_ref()) {
            (Value::Bytes(x), Cb::Bytes(y)) => strip(x) == strip(y),
            (a, b) => same(a, b),
        },
        (Value::Uint(n), Cb::Integer(i)) => i128::from(*i) == i128::from(*n),
        (Value::Nint(n), Cb::Integer(i)) => i128::from(*i) == -1 - i128::from(*n),
        (Value::Bytes(a), Cb::Bytes(b)) => a.as_ref() == b.as_slice(),
        (Value::Text(a), Cb::Text(b)) => a.as_ref() == b.as_str(),
        (Value::Array(a), Cb::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Map(a), Cb::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        (Value::Tag(t, a), Cb::Tag(u, b)) => t == u && same(a, b),
        (Value::Tag(2 | 3, a), Cb::Integer(_)) => matches!(a.as_ref(), Value::Bytes(_)),
        (Value::Bool(a), Cb::Bool(b)) => a == b,
        (Value::Null | Value::Undefined, Cb::Null) => true,
        (Value::Float(a), Cb::Float(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
        _ => false,
    }
}

/// Where we accept and ciborium does not: simple values other than
/// false/true/null/undefined (ciborium's Value has none), anywhere in the
/// item.
fn has_unknown_simple(v: &Value<'_>) -> bool {
    match v {
        Value::Simple(_) => true,
        Value::Array(a) => a.iter().any(has_unknown_simple),
        Value::Map(m) => m
            .iter()
            .any(|(k, v)| has_unknown_simple(k) || has_unknown_simple(v)),
        Value::Tag(_, a) => has_unknown_simple(a),
        _ => false,
    }
}

fn ciborium_exact(data: &[u8]) -> Option<Cb> {
    let mut cursor = std::io::Cursor::new(data);
    // ciborium's own recursion limit (256) is far above ours (16).
    let v: Cb = ciborium::de::from_reader(&mut cursor).ok()?;
    (cursor.position() as usize == data.len()).then_some(v)
}

fuzz_target!(|data: &[u8]| {
    let ours = cbor::decode_exact(data, "item");
    let theirs = ciborium_exact(data);
    match (&ours, &theirs) {
        (Ok(a), Some(b)) => assert!(same(a, b), "both accept, values differ: {a:?} vs {b:?}"),
        (Err(healthpass::Error::Cbor { reason, .. }), Some(_)) => assert!(
            OUR_CBOR_RULES.contains(reason),
            "ciborium accepts what we refuse for an undocumented reason: {reason}"
        ),
        (Err(e), Some(_)) => panic!("ciborium accepts what we refuse: {e}"),
        (Ok(a), None) => assert!(
            has_unknown_simple(a) || {
                // ciborium refuses tags 2/3 around non-bytes and bignums it cannot hold.
                format!("{a:?}").contains("Tag(2") || format!("{a:?}").contains("Tag(3")
            },
            "we accept what ciborium refuses: {a:?}"
        ),
        (Err(_), None) => {}
    }

    // COSE_Sign1: ours against coset (coset reads untagged or tag 18).
    let mine = CoseSign1::parse(data);
    let body = match data {
        [0xD2, rest @ ..] => rest,
        _ => data,
    };
    use coset::CborSerializable as _;
    let other = coset::CoseSign1::from_slice(body);
    match (&mine, &other) {
        (Ok(m), Ok(o)) => {
            assert_eq!(
                o.protected.original_data.as_deref().unwrap_or(&[]),
                m.protected_bytes()
            );
            assert_eq!(o.signature.as_slice(), m.signature());
            let kid = if o.protected.header.key_id.is_empty() {
                &o.unprotected.key_id
            } else {
                &o.protected.header.key_id
            };
            assert_eq!(kid.as_slice(), m.kid());
            // And our conversion gives coset the same value.
            let converted = healthpass::cose_interop::to_coset(data).expect("converts");
            assert_eq!(&converted, o);
        }
        (Err(e), Ok(_)) => assert!(is_our_cose_rule(e), "coset accepts what we refuse: {e}"),
        _ => {}
    }
});
