//! A small, strict CBOR (RFC 8949) reader and writer for the structures of
//! a pass: COSE_Sign1, its headers, the CWT claims and the payload.
//!
//! Why not a general-purpose CBOR crate on this path: the reader must keep
//! byte strings borrowed from the input (the protected header is verified as
//! received), must never allocate on a length the input merely claims, must
//! cap nesting depth and container sizes with limits a hostile input cannot
//! move, must reject duplicate map keys, and is the hot path of every
//! verification. It is a few hundred lines and tested on its own.
//!
//! Its strictness rules, where a general reader (ciborium) accepts more —
//! the differential fuzz target `cbor_differential` holds every difference
//! to this list:
//! - a map with two equal keys ("duplicate map key");
//! - nesting deeper than [`MAX_DEPTH`] ("nested too deeply");
//! - a container of more than [`MAX_CONTAINER_LEN`] items ("too many items");
//! - a simple value 0–31 written in two bytes ("badly encoded simple
//!   value"; ill-formed, RFC 8949 §3.3);
//! - an indefinite-length chunk inside an indefinite-length string, or an
//!   indefinite length where only a definite one may stand ("indefinite
//!   length not allowed here"; RFC 8949 §3.2.3).
//!
//! And where it accepts more: simple values other than false, true, null
//! and undefined are kept (as [`Value::Simple`]); ciborium refuses them.

// Some items serve only the tests and fuzz targets (feature `internals`).
#![cfg_attr(not(feature = "internals"), allow(dead_code))]

use std::borrow::Cow;

use crate::Error;

/// Maximum nesting depth of arrays, maps and tags. A real pass nests six
/// levels deep (claims → hcert → payload → group → entry → field).
pub const MAX_DEPTH: usize = 16;

/// Maximum number of items in one array or pairs in one map.
pub const MAX_CONTAINER_LEN: usize = 1024;

/// A decoded CBOR data item, borrowing strings from the input where it can.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Unsigned integer (major type 0).
    Uint(u64),
    /// Negative integer -1-n (major type 1), holding n.
    Nint(u64),
    /// Byte string.
    Bytes(Cow<'a, [u8]>),
    /// UTF-8 text string.
    Text(Cow<'a, str>),
    /// Array.
    Array(Vec<Value<'a>>),
    /// Map, in input order, keys unique.
    Map(Vec<(Value<'a>, Value<'a>)>),
    /// Tagged item.
    Tag(u64, Box<Value<'a>>),
    /// `false` / `true`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// Other simple values.
    Simple(u8),
    /// Half, single or double precision float.
    Float(f64),
}

impl<'a> Value<'a> {
    /// The integer value, if this is an integer that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Uint(n) => i64::try_from(n).ok(),
            Value::Nint(n) => i64::try_from(n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// Looks up an integer key in a map.
    pub fn map_get_int(&self, key: i64) -> Option<&Value<'a>> {
        match self {
            Value::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_i64() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Strips any tags around the item.
    pub fn untagged(&self) -> &Value<'a> {
        let mut v = self;
        while let Value::Tag(_, inner) = v {
            v = inner;
        }
        v
    }
}

/// Decodes exactly one item that must span all of `input`.
///
/// # Errors
/// [`Error::Cbor`] for malformed CBOR or a broken cap, and
/// [`Error::TrailingBytes`] (after `what`) if bytes follow the item.
pub fn decode_exact<'a>(input: &'a [u8], what: &'static str) -> Result<Value<'a>, Error> {
    decode_exact_with_arrays(input, what, MAX_CONTAINER_LEN)
}

/// As [`decode_exact`], with arrays of up to `max_array` items (maps stay
/// capped at [`MAX_CONTAINER_LEN`] pairs): for documents whose own format
/// caps a list at more than that (signed trust lists). Each item still
/// takes at least one byte of input, so the document's size bounds the work.
///
/// # Errors
/// As [`decode_exact`].
pub fn decode_exact_with_arrays<'a>(
    input: &'a [u8],
    what: &'static str,
    max_array: usize,
) -> Result<Value<'a>, Error> {
    let mut d = Decoder {
        input,
        pos: 0,
        max_array: max_array.max(MAX_CONTAINER_LEN),
    };
    let v = d.item(0)?;
    if d.pos != input.len() {
        return Err(Error::TrailingBytes { after: what });
    }
    Ok(v)
}

struct Decoder<'a> {
    input: &'a [u8],
    pos: usize,
    /// The most items in one array (maps: [`MAX_CONTAINER_LEN`] pairs).
    max_array: usize,
}

enum Len {
    Definite(u64),
    Indefinite,
}

impl<'a> Decoder<'a> {
    fn err(&self, reason: &'static str) -> Error {
        Error::Cbor {
            offset: self.pos,
            reason,
        }
    }

    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self
            .input
            .get(self.pos)
            .ok_or_else(|| self.err("unexpected end"))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], Error> {
        let n = usize::try_from(n).map_err(|_| self.err("length beyond input"))?;
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.input.len())
            .ok_or_else(|| self.err("length beyond input"))?;
        let s = self
            .input
            .get(self.pos..end)
            .ok_or_else(|| self.err("length beyond input"))?;
        self.pos = end;
        Ok(s)
    }

    fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    /// Reads the argument of an initial byte with additional info `ai`.
    fn argument(&mut self, ai: u8) -> Result<Len, Error> {
        let n = match ai {
            0..=23 => u64::from(ai),
            24 => u64::from(self.byte()?),
            25 => u64::from(u16::from_be_bytes(self.array::<2>()?)),
            26 => u64::from(u32::from_be_bytes(self.array::<4>()?)),
            27 => u64::from_be_bytes(self.array::<8>()?),
            31 => return Ok(Len::Indefinite),
            _ => return Err(self.err("reserved additional information")),
        };
        Ok(Len::Definite(n))
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let s = self.take(N as u64)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn definite(&mut self, ai: u8) -> Result<u64, Error> {
        match self.argument(ai)? {
            Len::Definite(n) => Ok(n),
            Len::Indefinite => Err(self.err("indefinite length not allowed here")),
        }
    }

    /// The most items a container of this major type may hold.
    fn cap(&self, major: u8) -> usize {
        if major == 4 {
            self.max_array
        } else {
            MAX_CONTAINER_LEN
        }
    }

    fn container_len(&self, n: u64, major: u8) -> Result<usize, Error> {
        // Each item takes at least one byte: a count the rest of the input
        // cannot hold is rejected before anything is allocated.
        let per_item = if major == 4 { 1 } else { 2 };
        let n = usize::try_from(n).map_err(|_| self.err("length beyond input"))?;
        if n > self.cap(major) {
            return Err(self.err("too many items"));
        }
        if n.saturating_mul(per_item) > self.remaining() {
            return Err(self.err("length beyond input"));
        }
        Ok(n)
    }

    fn string_chunks(&mut self, major: u8, len: Len) -> Result<Cow<'a, [u8]>, Error> {
        match len {
            Len::Definite(n) => Ok(Cow::Borrowed(self.take(n)?)),
            Len::Indefinite => {
                let mut buf = Vec::new();
                loop {
                    let ib = self.byte()?;
                    if ib == 0xFF {
                        return Ok(Cow::Owned(buf));
                    }
                    if ib >> 5 != major {
                        return Err(self.err("bad chunk in indefinite string"));
                    }
                    let n = self.definite(ib & 0x1F)?;
                    let chunk = self.take(n)?;
                    if major == 3 && std::str::from_utf8(chunk).is_err() {
                        return Err(self.err("invalid utf-8"));
                    }
                    buf.extend_from_slice(chunk);
                }
            }
        }
    }

    fn item(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        let start = self.pos;
        let ib = self.byte()?;
        let (major, ai) = (ib >> 5, ib & 0x1F);
        match major {
            0 => Ok(Value::Uint(self.definite(ai)?)),
            1 => Ok(Value::Nint(self.definite(ai)?)),
            2 => {
                let len = self.argument(ai)?;
                Ok(Value::Bytes(self.string_chunks(2, len)?))
            }
            3 => {
                let len = self.argument(ai)?;
                let start = self.pos;
                let bytes = self.string_chunks(3, len)?;
                let text = match bytes {
                    Cow::Borrowed(b) => {
                        Cow::Borrowed(std::str::from_utf8(b).map_err(|_| Error::Cbor {
                            offset: start,
                            reason: "invalid utf-8",
                        })?)
                    }
                    Cow::Owned(b) => Cow::Owned(String::from_utf8(b).map_err(|_| Error::Cbor {
                        offset: start,
                        reason: "invalid utf-8",
                    })?),
                };
                Ok(Value::Text(text))
            }
            4 | 5 => {
                if depth >= MAX_DEPTH {
                    return Err(self.err("nested too deeply"));
                }
                match self.argument(ai)? {
                    Len::Definite(n) => {
                        let n = self.container_len(n, major)?;
                        if major == 4 {
                            let mut items = Vec::with_capacity(n);
                            for _ in 0..n {
                                items.push(self.item(depth + 1)?);
                            }
                            Ok(Value::Array(items))
                        } else {
                            let mut pairs = Vec::with_capacity(n);
                            for _ in 0..n {
                                self.pair(depth, &mut pairs)?;
                            }
                            self.check_unique_keys(start, &pairs)?;
                            Ok(Value::Map(pairs))
                        }
                    }
                    Len::Indefinite => {
                        let mut items = Vec::new();
                        let mut pairs = Vec::new();
                        loop {
                            if self.input.get(self.pos) == Some(&0xFF) {
                                self.pos += 1;
                                break;
                            }
                            if items.len() + pairs.len() >= self.cap(major) {
                                return Err(self.err("too many items"));
                            }
                            if major == 4 {
                                items.push(self.item(depth + 1)?);
                            } else {
                                self.pair(depth, &mut pairs)?;
                            }
                        }
                        if major == 4 {
                            Ok(Value::Array(items))
                        } else {
                            self.check_unique_keys(start, &pairs)?;
                            Ok(Value::Map(pairs))
                        }
                    }
                }
            }
            6 => {
                if depth >= MAX_DEPTH {
                    return Err(self.err("nested too deeply"));
                }
                let tag = self.definite(ai)?;
                Ok(Value::Tag(tag, Box::new(self.item(depth + 1)?)))
            }
            _ => match ai {
                20 => Ok(Value::Bool(false)),
                21 => Ok(Value::Bool(true)),
                22 => Ok(Value::Null),
                23 => Ok(Value::Undefined),
                0..=19 => Ok(Value::Simple(ai)),
                24 => {
                    let v = self.byte()?;
                    if v < 32 {
                        return Err(self.err("badly encoded simple value"));
                    }
                    Ok(Value::Simple(v))
                }
                25 => Ok(Value::Float(f16_to_f64(u16::from_be_bytes(
                    self.array::<2>()?,
                )))),
                26 => Ok(Value::Float(f64::from(f32::from_be_bytes(
                    self.array::<4>()?,
                )))),
                27 => Ok(Value::Float(f64::from_be_bytes(self.array::<8>()?))),
                31 => Err(self.err("unexpected break")),
                _ => Err(self.err("reserved additional information")),
            },
        }
    }

    fn pair(&mut self, depth: usize, pairs: &mut Vec<(Value<'a>, Value<'a>)>) -> Result<(), Error> {
        let k = self.item(depth + 1)?;
        let v = self.item(depth + 1)?;
        pairs.push((k, v));
        Ok(())
    }

    /// Rejects a map with two equal keys. Small maps compare every pair;
    /// larger ones sort the keys by a total order and compare neighbours,
    /// so that a hostile map of a thousand near-identical keys costs
    /// O(n log n) comparisons, not O(n²).
    fn check_unique_keys(&self, start: usize, pairs: &[(Value<'a>, Value<'a>)]) -> Result<(), Error> {
        let duplicate = if pairs.len() <= 16 {
            pairs.iter().enumerate().any(|(i, (k, _))| {
                pairs
                    .iter()
                    .skip(i + 1)
                    .any(|(other, _)| key_order(k, other).is_eq())
            })
        } else {
            let mut keys: Vec<&Value<'a>> = pairs.iter().map(|(k, _)| k).collect();
            keys.sort_unstable_by(|a, b| key_order(a, b));
            keys.windows(2)
                .any(|w| matches!(w, [a, b] if key_order(a, b).is_eq()))
        };
        if duplicate {
            return Err(Error::Cbor {
                offset: start,
                reason: "duplicate map key",
            });
        }
        Ok(())
    }
}

/// A total order on data items for finding duplicate map keys: equal
/// exactly when the items are the same value (floats by value, with `0.0`
/// and `-0.0` one key and every NaN one key).
fn key_order(a: &Value<'_>, b: &Value<'_>) -> core::cmp::Ordering {
    fn rank(v: &Value<'_>) -> u8 {
        match v {
            Value::Uint(_) => 0,
            Value::Nint(_) => 1,
            Value::Bytes(_) => 2,
            Value::Text(_) => 3,
            Value::Array(_) => 4,
            Value::Map(_) => 5,
            Value::Tag(..) => 6,
            Value::Bool(_) => 7,
            Value::Null => 8,
            Value::Undefined => 9,
            Value::Simple(_) => 10,
            Value::Float(_) => 11,
        }
    }
    fn float_key(f: f64) -> u64 {
        if f.is_nan() {
            u64::MAX
        } else if f == 0.0 {
            0
        } else {
            f.to_bits()
        }
    }
    match (a, b) {
        (Value::Uint(x), Value::Uint(y)) | (Value::Nint(x), Value::Nint(y)) => x.cmp(y),
        (Value::Bytes(x), Value::Bytes(y)) => x.cmp(y),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y)
                .map(|(p, q)| key_order(p, q))
                .find(|o| o.is_ne())
                .unwrap_or(core::cmp::Ordering::Equal)
        }),
        (Value::Map(x), Value::Map(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y)
                .map(|((k1, v1), (k2, v2))| key_order(k1, k2).then_with(|| key_order(v1, v2)))
                .find(|o| o.is_ne())
                .unwrap_or(core::cmp::Ordering::Equal)
        }),
        (Value::Tag(t, x), Value::Tag(u, y)) => t.cmp(u).then_with(|| key_order(x, y)),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Simple(x), Value::Simple(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) => float_key(*x).cmp(&float_key(*y)),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn f16_to_f64(h: u16) -> f64 {
    let exp = i32::from((h >> 10) & 0x1F);
    let mant = f64::from(h & 0x3FF);
    let v = match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (mant + 1024.0) * 2f64.powi(exp - 25),
    };
    if h & 0x8000 != 0 {
        -v
    } else {
        v
    }
}

/// The half-precision bits of `f`, if half precision holds it exactly.
fn f16_bits(f: f64) -> Option<u16> {
    if f.is_nan() {
        return Some(0x7E00);
    }
    let single = f as f32;
    if f64::from(single) != f {
        return None;
    }
    let b = single.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xFF) as i32 - 127;
    let mant = b & 0x7F_FFFF;
    let bits = if f == 0.0 {
        sign
    } else if f.is_infinite() {
        sign | 0x7C00
    } else if (-14..=15).contains(&exp) {
        if mant & 0x1FFF != 0 {
            return None;
        }
        sign | (((exp + 15) as u16) << 10) | (mant >> 13) as u16
    } else if (-24..-14).contains(&exp) {
        let full = mant | 0x80_0000;
        let shift = 13 + (-14 - exp) as u32;
        if full & ((1 << shift) - 1) != 0 {
            return None;
        }
        sign | (full >> shift) as u16
    } else {
        return None;
    };
    (f16_to_f64(bits) == f).then_some(bits)
}

/// Appends CBOR items to a buffer, always in definite lengths and the
/// shortest form of each integer (deterministic encoding, RFC 8949 §4.2.1,
/// except for map key order, which stays as the caller writes it).
#[derive(Debug, Default)]
pub struct Encoder {
    buf: Vec<u8>,
}

impl Encoder {
    /// An empty encoder.
    pub fn new() -> Self {
        Encoder::default()
    }

    /// An encoder appending to `buf`.
    pub fn from_vec(buf: Vec<u8>) -> Self {
        Encoder { buf }
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    fn head(&mut self, major: u8, n: u64) {
        let m = major << 5;
        if n < 24 {
            self.buf.push(m | n as u8);
        } else if let Ok(n) = u8::try_from(n) {
            self.buf.extend_from_slice(&[m | 24, n]);
        } else if let Ok(n) = u16::try_from(n) {
            self.buf.push(m | 25);
            self.buf.extend_from_slice(&n.to_be_bytes());
        } else if let Ok(n) = u32::try_from(n) {
            self.buf.push(m | 26);
            self.buf.extend_from_slice(&n.to_be_bytes());
        } else {
            self.buf.push(m | 27);
            self.buf.extend_from_slice(&n.to_be_bytes());
        }
    }

    /// Writes an integer.
    pub fn int(&mut self, v: i64) -> &mut Self {
        if v >= 0 {
            self.head(0, v.unsigned_abs());
        } else {
            self.head(1, (-1 - v).unsigned_abs());
        }
        self
    }

    /// Writes an unsigned integer.
    pub fn uint(&mut self, v: u64) -> &mut Self {
        self.head(0, v);
        self
    }

    /// Writes a byte string.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.head(2, b.len() as u64);
        self.buf.extend_from_slice(b);
        self
    }

    /// Writes a text string.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.head(3, s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    /// Starts an array of `n` items.
    pub fn array(&mut self, n: usize) -> &mut Self {
        self.head(4, n as u64);
        self
    }

    /// Starts a map of `n` pairs.
    pub fn map(&mut self, n: usize) -> &mut Self {
        self.head(5, n as u64);
        self
    }

    /// Writes a tag (the tagged item follows).
    pub fn tag(&mut self, t: u64) -> &mut Self {
        self.head(6, t);
        self
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.buf.push(if b { 0xF5 } else { 0xF4 });
        self
    }

    /// Writes `null`.
    pub fn null(&mut self) -> &mut Self {
        self.buf.push(0xF6);
        self
    }

    /// Writes a float in the shortest of half, single or double precision
    /// that holds it exactly (RFC 8949 §4.2.1).
    pub fn float(&mut self, f: f64) -> &mut Self {
        let single = f as f32;
        if let Some(half) = f16_bits(f) {
            self.buf.push(0xF9);
            self.buf.extend_from_slice(&half.to_be_bytes());
        } else if f64::from(single) == f {
            self.buf.push(0xFA);
            self.buf.extend_from_slice(&single.to_be_bytes());
        } else {
            self.buf.push(0xFB);
            self.buf.extend_from_slice(&f.to_be_bytes());
        }
        self
    }

    /// Appends bytes that are already a CBOR item.
    pub fn raw(&mut self, item: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(item);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn rfc8949_examples() {
        let cases: &[(&str, Value<'_>)] = &[
            ("00", Value::Uint(0)),
            ("1903e8", Value::Uint(1000)),
            ("1bffffffffffffffff", Value::Uint(u64::MAX)),
            ("3903e7", Value::Nint(999)),
            ("f93c00", Value::Float(1.0)),
            ("f97bff", Value::Float(65504.0)),
            ("fa47c35000", Value::Float(100000.0)),
            ("f4", Value::Bool(false)),
            ("f6", Value::Null),
            ("f7", Value::Undefined),
            ("f0", Value::Simple(16)),
            ("6449455446", Value::Text("IETF".into())),
            ("4401020304", Value::Bytes(vec![1, 2, 3, 4].into())),
            (
                "5f42010243030405ff",
                Value::Bytes(vec![1, 2, 3, 4, 5].into()),
            ),
            (
                "7f657374726561646d696e67ff",
                Value::Text("streaming".into()),
            ),
            (
                "9f018202039f0405ffff",
                Value::Array(vec![
                    Value::Uint(1),
                    Value::Array(vec![Value::Uint(2), Value::Uint(3)]),
                    Value::Array(vec![Value::Uint(4), Value::Uint(5)]),
                ]),
            ),
            (
                "c074323031332d30332d32315432303a30343a30305a",
                Value::Tag(0, Box::new(Value::Text("2013-03-21T20:04:00Z".into()))),
            ),
        ];
        for (h, want) in cases {
            let b = hex(h);
            assert_eq!(&decode_exact(&b, "item").unwrap(), want, "{h}");
        }
        let m = hex("a201020304");
        let v = decode_exact(&m, "map").unwrap();
        assert_eq!(v.map_get_int(3), Some(&Value::Uint(4)));
    }

    #[test]
    fn rejects_malformed() {
        for h in [
            "",             // nothing
            "18",           // missing argument byte
            "1c",           // reserved ai
            "62ff",         // text cut short
            "62c328",       // invalid utf-8
            "5f4101ff00",   // trailing after indefinite
            "5f6161ff",     // text chunk in a byte string
            "5f5f4101ffff", // nested indefinite chunk
            "9f01",         // unterminated indefinite array
            "ff",           // stray break
            "a20102010b",   // duplicate key
            "f801",         // badly encoded simple value
            "3fff",         // indefinite integer
            "c1",           // tag without content
        ] {
            let b = hex(h);
            assert!(decode_exact(&b, "item").is_err(), "{h} should fail");
        }
        assert_eq!(
            decode_exact(&hex("0000"), "item"),
            Err(Error::TrailingBytes { after: "item" })
        );
    }

    #[test]
    fn duplicate_keys_in_large_maps() {
        // 1024 keys that differ only in their last byte, in any order: no
        // duplicate; then the same with one key repeated at the far end.
        let key = |i: usize| {
            let mut k = vec![b'k'; 40];
            k.extend_from_slice(&(i as u16).to_be_bytes());
            k
        };
        let map = |keys: &[Vec<u8>]| {
            let mut e = Encoder::new();
            e.map(keys.len());
            for k in keys {
                e.bytes(k).null();
            }
            e.into_bytes()
        };
        let mut keys: Vec<Vec<u8>> = (0..1024).rev().map(key).collect();
        assert!(decode_exact(&map(&keys), "map").is_ok());
        keys[1023] = key(512);
        assert!(matches!(
            decode_exact(&map(&keys), "map"),
            Err(Error::Cbor {
                reason: "duplicate map key",
                offset: 0
            })
        ));
        // Keys equal as values whatever their encoding: 1 and 1 written
        // with a needless length byte; 0.0 and -0.0.
        assert!(decode_exact(&hex("a20100180100"), "map").is_err());
        assert!(decode_exact(&hex("a2f9000000f9800000"), "map").is_err());
        // Equal structured keys.
        assert!(decode_exact(&hex("a2820102008201020a"), "map").is_err());
        assert!(decode_exact(&hex("a2820102008201030a"), "map").is_ok());
        // The order agrees with equality on a spread of items.
        let items = [
            "00", "01", "20", "40", "4101", "60", "6161", "80", "8100", "a0", "a10000", "c100",
            "c200", "f4", "f5", "f6", "f7", "f0", "f93c00", "fb3ff0000000000000",
        ];
        for a in items {
            for b in items {
                let (ba, bb) = (hex(a), hex(b));
                let va = decode_exact(&ba, "a").unwrap();
                let vb = decode_exact(&bb, "b").unwrap();
                assert_eq!(key_order(&va, &vb).is_eq(), va == vb, "{a} {b}");
            }
        }
    }

    #[test]
    fn huge_claimed_lengths_fail_without_allocating() {
        for h in [
            "5b7fffffffffffffff",   // bytes, 2^63-1 long
            "7b8000000000000000",   // text, 2^63 long
            "9b7fffffffffffffff00", // array of 2^63-1 items
            "bb7fffffffffffffff00", // map of 2^63-1 pairs
            "9a0000ffff00",         // 65535 items, one present
        ] {
            let b = hex(h);
            assert!(matches!(decode_exact(&b, "item"), Err(Error::Cbor { .. })));
        }
    }

    #[test]
    fn depth_is_capped() {
        let deep = vec![0x81u8; 100_000];
        assert!(matches!(
            decode_exact(&deep, "item"),
            Err(Error::Cbor {
                reason: "nested too deeply",
                ..
            })
        ));
        let mut maps = Vec::new();
        for _ in 0..100_000 {
            maps.extend_from_slice(&[0xA1, 0x00]);
        }
        assert!(decode_exact(&maps, "item").is_err());
        let tags = vec![0xC1u8; 100_000];
        assert!(decode_exact(&tags, "item").is_err());
        let indefinite = vec![0x9Fu8; 100_000];
        assert!(decode_exact(&indefinite, "item").is_err());
        let ok = [0x81u8; MAX_DEPTH]
            .iter()
            .copied()
            .chain([0])
            .collect::<Vec<_>>();
        assert!(decode_exact(&ok, "item").is_ok());
    }

    #[test]
    fn floats_take_the_shortest_exact_form() {
        let enc = |f: f64| {
            let mut e = Encoder::new();
            e.float(f);
            e.into_bytes()
        };
        for (f, h) in [
            (0.0, "f90000"),
            (-0.0, "f98000"),
            (1.0, "f93c00"),
            (65504.0, "f97bff"),
            (5.960464477539063e-8, "f90001"),
            (0.00006103515625, "f90400"),
            (-4.0, "f9c400"),
            (f64::INFINITY, "f97c00"),
            (f64::NAN, "f97e00"),
            (100000.0, "fa47c35000"),
            (3.4028234663852886e38, "fa7f7fffff"),
            (1.1, "fb3ff199999999999a"),
            (1.0e300, "fb7e37e43c8800759c"),
        ] {
            let bytes = enc(f);
            assert_eq!(bytes, hex(h), "{f}");
            match decode_exact(&bytes, "f").unwrap() {
                Value::Float(g) if f.is_nan() => assert!(g.is_nan()),
                Value::Float(g) => assert_eq!(g.to_bits(), f.to_bits(), "{f}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn encoder_uses_shortest_forms() {
        let mut e = Encoder::new();
        e.int(0)
            .int(23)
            .int(24)
            .int(255)
            .int(256)
            .int(65536)
            .int(-1)
            .int(-25);
        e.int(i64::MIN).uint(u64::MAX);
        assert_eq!(
            e.into_bytes(),
            hex("0017181818ff1901001a000100002038183b7fffffffffffffff1bffffffffffffffff")
        );
        let mut e = Encoder::new();
        e.map(1)
            .int(1)
            .text("a")
            .array(1)
            .bytes(&[1])
            .float(1.5)
            .float(0.1);
        let b = e.into_bytes();
        assert_eq!(
            decode_exact(&b[..4], "map").unwrap(),
            Value::Map(vec![(Value::Uint(1), Value::Text("a".into()))])
        );
        assert_eq!(
            decode_exact(&b[4..7], "array").unwrap(),
            Value::Array(vec![Value::Bytes(vec![1].into())])
        );
        assert_eq!(&b[7..10], &[0xF9, 0x3E, 0x00]); // 1.5 fits half precision
        assert_eq!(decode_exact(&b[10..], "f64").unwrap(), Value::Float(0.1));
    }
}
