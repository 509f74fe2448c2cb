//! The Bloom filter slice format of the EU DCC revocation distribution
//! (eu-digital-green-certificates/dgc-bloomfilter, format version 1).
//!
//! Layout, big-endian (Java `DataOutputStream`):
//!
//! | bytes | field |
//! |---|---|
//! | 2 | version (1) |
//! | 1 | k, the number of hash functions (1–127) |
//! | 1 | hash function id (0: SHA-256) |
//! | 4 | false-positive rate the filter was made for (IEEE 754 single) |
//! | 4 | elements it was made for |
//! | 4 | elements added |
//! | 4 | L, the number of 32-bit words |
//! | 4·L | the words |
//!
//! With m = 32·L bits, probe i (0 ≤ i < k) of an element `e` is bit
//! `SHA-256(e ‖ [i]) mod m`, the digest read as a *signed* big-endian
//! integer (Java's `BigInteger`) and reduced to `[0, m)`; bit j of the filter
//! is bit `0x8000_0000 >> (j mod 32)` of word `j / 32`.

use sha2::{Digest as _, Sha256};

use crate::Error;

const VERSION: u16 = 1;
const HEADER: usize = 2 + 1 + 1 + 4 + 4 + 4 + 4;

/// Largest filter read: 2^26 words (256 MiB, 2^31 bits; the Java reference
/// indexes bits with an `int`).
pub const MAX_WORDS: usize = 1 << 26;

/// An EU revocation Bloom filter.
#[derive(Debug, Clone, PartialEq)]
pub struct EuBloomFilter {
    k: u8,
    rate: f32,
    expected: i32,
    added: i32,
    words: Vec<u32>,
}

impl EuBloomFilter {
    /// An empty filter for `expected` elements at `rate`, sized as the Java
    /// reference sizes it (so that the same elements give the same bytes).
    ///
    /// # Errors
    /// [`Error::Revocation`] for `expected` ≤ 0, a rate outside (0, 1), or a
    /// filter larger than [`MAX_WORDS`].
    pub fn with_rate(expected: i32, rate: f32) -> Result<Self, Error> {
        if expected <= 0 || !(rate > 0.0 && rate < 1.0) {
            return Err(Error::Revocation(
                "a bloom filter needs n > 0 and 0 < p < 1",
            ));
        }
        let ln2 = core::f64::consts::LN_2;
        let bits =
            ((f64::from(expected) * f64::from(rate).ln()) / (1.0 / 2f64.powf(ln2)).ln()).ceil();
        if !(bits.is_finite() && bits < (MAX_WORDS as f64) * 32.0) {
            return Err(Error::Revocation("bloom filter too large"));
        }
        let bytes = (bits as u64) / 8 + 1;
        let words = (bytes / 4 + bytes % 4) as usize;
        let m = words as f64 * 32.0;
        let k = ((m / f64::from(expected)) * ln2).round().max(1.0);
        if k > 127.0 {
            return Err(Error::Revocation("bloom filter needs more than 127 hashes"));
        }
        Ok(EuBloomFilter {
            k: k as u8,
            rate,
            expected,
            added: 0,
            words: vec![0; words],
        })
    }

    /// Reads a filter.
    ///
    /// # Errors
    /// [`Error::Revocation`] for another version or hash function, k outside
    /// 1–127, no words or more than [`MAX_WORDS`], or a length that does not
    /// match.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bad = Error::Revocation;
        let header = bytes.get(..HEADER).ok_or(bad("bloom filter truncated"))?;
        let be32 = |at: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(header.get(at..at + 4).unwrap_or(&[0; 4]));
            b
        };
        if u16::from_be_bytes([
            header.first().copied().unwrap_or(0),
            header.get(1).copied().unwrap_or(0),
        ]) != VERSION
        {
            return Err(bad("unsupported bloom filter version"));
        }
        let k = header.get(2).copied().unwrap_or(0);
        if !(1..=127).contains(&k) {
            return Err(bad("bloom filter k outside 1-127"));
        }
        if header.get(3) != Some(&0) {
            return Err(bad("unsupported bloom filter hash function"));
        }
        let len = u32::from_be_bytes(be32(16)) as usize;
        if len == 0 || len > MAX_WORDS {
            return Err(bad("bloom filter size outside 1 to 2^26 words"));
        }
        let data = bytes.get(HEADER..).unwrap_or_default();
        if data.len() != len * 4 {
            return Err(bad("bloom filter length does not match its header"));
        }
        Ok(EuBloomFilter {
            k,
            rate: f32::from_be_bytes(be32(4)),
            expected: i32::from_be_bytes(be32(8)),
            added: i32::from_be_bytes(be32(12)),
            words: data
                .chunks_exact(4)
                .map(|c| {
                    let mut w = [0u8; 4];
                    w.copy_from_slice(c);
                    u32::from_be_bytes(w)
                })
                .collect(),
        })
    }

    /// The filter in its format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + 4 * self.words.len());
        out.extend_from_slice(&VERSION.to_be_bytes());
        out.push(self.k);
        out.push(0);
        out.extend_from_slice(&self.rate.to_be_bytes());
        out.extend_from_slice(&self.expected.to_be_bytes());
        out.extend_from_slice(&self.added.to_be_bytes());
        out.extend_from_slice(&(self.words.len() as u32).to_be_bytes());
        for w in &self.words {
            out.extend_from_slice(&w.to_be_bytes());
        }
        out
    }

    fn bits(&self) -> u64 {
        self.words.len() as u64 * 32
    }

    /// Adds an element.
    pub fn add(&mut self, element: &[u8]) {
        for i in 0..self.k {
            let j = probe(element, i, self.bits());
            if let Some(w) = self.words.get_mut((j / 32) as usize) {
                *w |= 0x8000_0000 >> (j % 32);
            }
        }
        self.added = self.added.saturating_add(1);
    }

    /// Whether the element may be in the filter.
    pub fn might_contain(&self, element: &[u8]) -> bool {
        (0..self.k).all(|i| {
            let j = probe(element, i, self.bits());
            self.words
                .get((j / 32) as usize)
                .is_some_and(|w| w & (0x8000_0000 >> (j % 32)) != 0)
        })
    }

    /// k, the number of probes.
    pub fn hashes(&self) -> u8 {
        self.k
    }

    /// m, the number of bits.
    pub fn bit_len(&self) -> u64 {
        self.bits()
    }
}

/// `SHA-256(element ‖ [i])` as a signed big-endian integer, mod `m`.
fn probe(element: &[u8], i: u8, m: u64) -> u64 {
    let digest = Sha256::new()
        .chain_update(element)
        .chain_update([i])
        .finalize();
    let m128 = u128::from(m.max(1));
    let unsigned = digest
        .iter()
        .fold(0u128, |r, b| (r * 256 + u128::from(*b)) % m128);
    if digest.first().is_some_and(|b| b & 0x80 != 0) {
        // value = unsigned − 2^256
        let two_256 = (0..32).fold(1u128, |r, _| (r * 256) % m128);
        ((unsigned + m128 - two_256) % m128) as u64
    } else {
        unsigned as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_membership() {
        let mut f = EuBloomFilter::with_rate(1000, 1e-3).unwrap();
        for i in 0..1000u32 {
            f.add(&i.to_be_bytes());
        }
        assert!((0..1000u32).all(|i| f.might_contain(&i.to_be_bytes())));
        let false_hits = (1000..101_000u32)
            .filter(|i| f.might_contain(&i.to_be_bytes()))
            .count();
        assert!(
            false_hits < 250,
            "{false_hits} false hits in 100000 at p = 1e-3"
        );
        let again = EuBloomFilter::from_bytes(&f.to_bytes()).unwrap();
        assert_eq!(again, f);
    }

    #[test]
    fn malformed_filters() {
        let f = EuBloomFilter::with_rate(10, 0.01).unwrap().to_bytes();
        for cut in 0..f.len() {
            assert!(EuBloomFilter::from_bytes(&f[..cut]).is_err());
        }
        let mut extra = f.clone();
        extra.push(0);
        assert!(EuBloomFilter::from_bytes(&extra).is_err());
        for (at, v) in [(1, 2u8), (2, 0), (2, 200), (3, 1)] {
            let mut b = f.clone();
            b[at] = v;
            assert!(EuBloomFilter::from_bytes(&b).is_err(), "byte {at} = {v}");
        }
        let mut huge = f.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(EuBloomFilter::from_bytes(&huge).is_err());
    }
}
