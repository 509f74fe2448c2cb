//! The payload between CBOR and JSON: CBOR items read into JSON values
//! and JSON values written back as CBOR.

use serde_json::{Map, Number, Value as Json};

use crate::cbor::{Encoder, Value};
use crate::Error;

/// Converts a CBOR item of the payload to JSON. Tags are dropped (issuers
/// tagged dates with 0 and 1004); byte strings and non-text map keys have no
/// JSON form and are refused.
pub(super) fn to_json(v: &Value<'_>) -> Result<Json, Error> {
    Ok(match v {
        Value::Uint(n) => Json::Number((*n).into()),
        Value::Nint(n) => {
            let n = i64::try_from(*n).map_err(|_| Error::Payload("integer out of range"))?;
            Json::Number((-1 - n).into())
        }
        Value::Text(s) => Json::String(s.to_string()),
        Value::Bytes(_) => return Err(Error::Payload("byte string in payload")),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Value::Map(pairs) => {
            let mut m = Map::with_capacity(pairs.len());
            for (k, v) in pairs {
                let Value::Text(k) = k else {
                    return Err(Error::Payload("map key is not text"));
                };
                m.insert(k.to_string(), to_json(v)?);
            }
            Json::Object(m)
        }
        Value::Tag(_, inner) => to_json(inner)?,
        Value::Bool(b) => Json::Bool(*b),
        Value::Null | Value::Undefined => Json::Null,
        Value::Simple(_) => return Err(Error::Payload("unknown simple value")),
        Value::Float(f) => {
            Json::Number(Number::from_f64(*f).ok_or(Error::Payload("float is not finite"))?)
        }
    })
}

fn encode_json(e: &mut Encoder, v: &Json) {
    match v {
        Json::Null => {
            e.null();
        }
        Json::Bool(b) => {
            e.bool(*b);
        }
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                e.uint(u);
            } else if let Some(i) = n.as_i64() {
                e.int(i);
            } else {
                e.float(n.as_f64().unwrap_or(0.0));
            }
        }
        Json::String(s) => {
            e.text(s);
        }
        Json::Array(items) => {
            e.array(items.len());
            for i in items {
                encode_json(e, i);
            }
        }
        Json::Object(m) => encode_map(e, m),
    }
}

pub(super) fn encode_map(e: &mut Encoder, m: &Map<String, Json>) {
    e.map(m.len());
    for (k, v) in m {
        e.text(k);
        encode_json(e, v);
    }
}
