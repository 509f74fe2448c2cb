//! The revocation store: a set of 16-byte revocation hashes, exact or
//! compact with a chosen false-positive rate.
//!
//! **Compact mode.** Each hash is mapped to a value in `[0, U)` with
//! `U = ⌈n / ε⌉` (n entries, ε the false-positive rate; the map is
//! "multiply-high" of the hash's first 8 bytes, which are uniform). A hash
//! that is not in the set collides with one of the n values with probability
//! at most n / U = ε. The sorted values are stored with Elias–Fano coding:
//! the low `l = ⌊log2(U/n)⌋` bits of each value packed in an array, the high
//! bits as a unary bit vector of `n + U/2^l` bits, and a select index (the
//! position of every 512th zero of that vector, as `u32`). That is
//! `l + 1 + U/(n·2^l) + 0.11` bits per entry: 41.9 at ε = 10^-12, against
//! the information-theoretic floor of log2(1/ε) = 39.9 and a Bloom filter's
//! 57.5. A lookup reads the select sample, scans at most 512 zeros of the
//! high bits (a few words) and compares the low bits of the values in one
//! bucket (under two on average).
//!
//! `U` is at most 2^64, so the rate cannot go below n / 2^64 (1.1·10^-12 at
//! 20 million entries). The universe `U` is fixed when the store is built
//! from a full list;
//! deltas merge into it (the rate then scales with the entry count, n'/U,
//! until the next full list). Values equal to one another (two hashes that
//! map alike) are kept as many times as they occur, so removing one hash
//! never removes another: a store never misses an entry it holds.
//!
//! **Exact mode** keeps the sorted 16-byte hashes (128 bits per entry).

use sha2::{Digest as _, Sha256};

use super::RevocationHash;
use crate::Error;

/// How a store holds its hashes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StoreMode {
    /// The 16-byte hashes themselves: no false positives.
    Exact,
    /// Elias–Fano-coded fingerprints with this false-positive rate (in
    /// `(0, 0.5]`; e.g. `1e-12`).
    Compact {
        /// The false-positive rate per lookup of a hash not in the set.
        false_positive_rate: f64,
    },
}

/// A set of revocation hashes.
#[derive(Clone, PartialEq, Eq)]
pub struct Store {
    inner: Inner,
}

#[derive(Clone, PartialEq, Eq)]
enum Inner {
    Exact(Vec<RevocationHash>),
    Compact(EliasFano),
}

impl core::fmt::Debug for Store {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store")
            .field("len", &self.len())
            .field("bits_per_entry", &self.bits_per_entry())
            .finish_non_exhaustive()
    }
}

/// Every this many zeros of the high bits, the select index keeps a position.
const SAMPLE: u64 = 512;

/// Elias–Fano coding of a non-decreasing sequence of values in `[0, U)`.
#[derive(Clone, PartialEq, Eq)]
struct EliasFano {
    len: u64,
    universe: u64,
    low_bits: u32,
    /// The high bits, unary: element i with high part h sets bit h + i.
    upper: Vec<u64>,
    /// The low bits, packed, element after element.
    lower: Vec<u64>,
    /// `select0[j]`: the position of the ((j+1)·SAMPLE)-th zero of `upper`.
    select0: Vec<u32>,
}

/// The value of a hash in `[0, universe)`: multiply-high of its first 8
/// bytes (uniform for a SHA-256 prefix).
fn map(hash: &RevocationHash, universe: u64) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(hash.0.get(..8).unwrap_or(&[0; 8]));
    ((u128::from(u64::from_be_bytes(first)) * u128::from(universe)) >> 64) as u64
}

fn universe_for(len: u64, rate: f64) -> Result<u64, Error> {
    if !(rate > 0.0 && rate <= 0.5) {
        return Err(Error::Revocation(
            "the false-positive rate must be in (0, 0.5]",
        ));
    }
    let u = (len.max(1) as f64 / rate).ceil();
    // At least twice the entries, at most what 64 bits hold.
    Ok(if u >= 1.8e19 {
        u64::MAX
    } else {
        (u as u64).max(2 * len.max(1))
    })
}

impl EliasFano {
    /// Codes sorted values (non-decreasing, all below `universe`).
    fn new(values: &[u64], universe: u64) -> Self {
        let len = values.len() as u64;
        let low_bits = low_bits_for(len, universe);
        let upper_len = len + (universe >> low_bits) + 1;
        let mut upper = vec![0u64; upper_len.div_ceil(64) as usize];
        let mut lower = vec![0u64; (len * u64::from(low_bits)).div_ceil(64) as usize + 1];
        let mask = low_mask(low_bits);
        for (i, &v) in values.iter().enumerate() {
            let pos = (v >> low_bits) + i as u64;
            if let Some(w) = upper.get_mut((pos / 64) as usize) {
                *w |= 1 << (pos % 64);
            }
            write_bits(
                &mut lower,
                i as u64 * u64::from(low_bits),
                low_bits,
                v & mask,
            );
        }
        let mut ef = EliasFano {
            len,
            universe,
            low_bits,
            upper,
            lower,
            select0: Vec::new(),
        };
        ef.select0 = ef.build_select();
        ef
    }

    fn build_select(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut zeros = 0u64;
        for (wi, &w) in self.upper.iter().enumerate() {
            let z = u64::from((!w).count_ones());
            let next = (zeros / SAMPLE + 1) * SAMPLE;
            if zeros + z >= next {
                // The sample falls in this word (at most one: 64 < SAMPLE).
                let rank = (next - zeros - 1) as u32;
                let bit = select_in_word(!w, rank);
                out.push((wi as u64 * 64 + u64::from(bit)) as u32);
            }
            zeros += z;
        }
        out
    }

    fn low(&self, i: u64) -> u64 {
        read_bits(&self.lower, i * u64::from(self.low_bits), self.low_bits)
    }

    /// The position just after the h-th zero (h ≥ 1) of `upper`; 0 for h = 0.
    fn bucket_start(&self, h: u64) -> Option<u64> {
        if h == 0 {
            return Some(0);
        }
        // Start from the sample at or before the h-th zero.
        let j = h / SAMPLE;
        let (mut pos, mut remaining) = if j == 0 {
            (0, h)
        } else {
            let s = u64::from(*self.select0.get((j - 1) as usize)?);
            (s + 1, h - j * SAMPLE)
        };
        if remaining == 0 {
            return Some(pos);
        }
        let mut wi = (pos / 64) as usize;
        // Zeros of the first word at or after `pos`.
        let mut word = !*self.upper.get(wi)? & (u64::MAX << (pos % 64));
        loop {
            let z = u64::from(word.count_ones());
            if z >= remaining {
                let bit = select_in_word(word, (remaining - 1) as u32);
                pos = wi as u64 * 64 + u64::from(bit);
                return Some(pos + 1);
            }
            remaining -= z;
            wi += 1;
            word = !*self.upper.get(wi)?;
        }
    }

    fn contains(&self, v: u64) -> bool {
        if self.len == 0 || v >= self.universe {
            return false;
        }
        let h = v >> self.low_bits;
        let want = v & low_mask(self.low_bits);
        let Some(mut pos) = self.bucket_start(h) else {
            return false;
        };
        let mut i = pos - h;
        while self.bit(pos) {
            let low = self.low(i);
            if low == want {
                return true;
            }
            if low > want {
                return false;
            }
            pos += 1;
            i += 1;
        }
        false
    }

    fn bit(&self, pos: u64) -> bool {
        self.upper
            .get((pos / 64) as usize)
            .is_some_and(|w| w >> (pos % 64) & 1 == 1)
    }

    /// Every value, in order.
    fn values(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(self.len as usize);
        let mut i = 0u64;
        for (wi, &w) in self.upper.iter().enumerate() {
            let mut word = w;
            while word != 0 {
                let pos = wi as u64 * 64 + u64::from(word.trailing_zeros());
                let high = pos - i;
                out.push((high << self.low_bits) | self.low(i));
                i += 1;
                word &= word - 1;
            }
        }
        out
    }

    fn size_bits(&self) -> u64 {
        // The packed arrays as they are allocated, plus the select index.
        (self.upper.len() as u64 + self.lower.len() as u64) * 64 + self.select0.len() as u64 * 32
    }
}

/// `⌊log2(U / n)⌋` (n counted as at least 1).
fn low_bits_for(len: u64, universe: u64) -> u32 {
    (universe / len.max(1)).max(1).ilog2()
}

fn low_mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

fn write_bits(words: &mut [u64], at: u64, bits: u32, v: u64) {
    if bits == 0 {
        return;
    }
    let (wi, off) = ((at / 64) as usize, at % 64);
    if let Some(w) = words.get_mut(wi) {
        *w |= v << off;
    }
    if off + u64::from(bits) > 64 {
        if let Some(w) = words.get_mut(wi + 1) {
            *w |= v >> (64 - off);
        }
    }
}

fn read_bits(words: &[u64], at: u64, bits: u32) -> u64 {
    if bits == 0 {
        return 0;
    }
    let (wi, off) = ((at / 64) as usize, at % 64);
    let lo = words.get(wi).copied().unwrap_or(0) >> off;
    let hi = if off + u64::from(bits) > 64 {
        words.get(wi + 1).copied().unwrap_or(0) << (64 - off)
    } else {
        0
    };
    (lo | hi) & low_mask(bits)
}

/// The position of the set bit of rank `r` (0-based) in `w`; `w` has more
/// than `r` set bits.
fn select_in_word(mut w: u64, r: u32) -> u32 {
    // Skip whole bytes by popcount, then bits.
    let mut base = 0;
    let mut r = r;
    loop {
        let c = (w & 0xFF).count_ones();
        if c > r {
            break;
        }
        r -= c;
        w >>= 8;
        base += 8;
        if base >= 64 {
            return 63;
        }
    }
    for _ in 0..r {
        w &= w - 1;
    }
    base + w.trailing_zeros().min(63)
}

impl Store {
    /// A store holding `hashes` (duplicates are dropped).
    ///
    /// # Errors
    /// [`Error::Revocation`] for a false-positive rate outside `(0, 0.5]`.
    pub fn build(mut hashes: Vec<RevocationHash>, mode: StoreMode) -> Result<Self, Error> {
        hashes.sort_unstable();
        hashes.dedup();
        let inner = match mode {
            StoreMode::Exact => Inner::Exact(hashes),
            StoreMode::Compact {
                false_positive_rate,
            } => {
                let universe = universe_for(hashes.len() as u64, false_positive_rate)?;
                let mut values: Vec<u64> = hashes.iter().map(|h| map(h, universe)).collect();
                values.sort_unstable();
                Inner::Compact(EliasFano::new(&values, universe))
            }
        };
        Ok(Store { inner })
    }

    /// Whether the store holds `hash` (for a compact store: or a false
    /// positive, at the configured rate).
    pub fn contains(&self, hash: &RevocationHash) -> bool {
        match &self.inner {
            Inner::Exact(v) => v.binary_search(hash).is_ok(),
            Inner::Compact(ef) => ef.contains(map(hash, ef.universe)),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match &self.inner {
            Inner::Exact(v) => v.len(),
            Inner::Compact(ef) => ef.len as usize,
        }
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The false-positive rate of a lookup now (0 for an exact store).
    pub fn false_positive_rate(&self) -> f64 {
        match &self.inner {
            Inner::Exact(_) => 0.0,
            Inner::Compact(ef) => ef.len as f64 / ef.universe as f64,
        }
    }

    /// The mode: exact, or compact at the rate it has now.
    pub fn mode(&self) -> StoreMode {
        match &self.inner {
            Inner::Exact(_) => StoreMode::Exact,
            Inner::Compact(ef) => StoreMode::Compact {
                false_positive_rate: (ef.len.max(1) as f64 / ef.universe as f64).min(0.5),
            },
        }
    }

    /// Memory of the coded set, in bits per entry.
    pub fn bits_per_entry(&self) -> f64 {
        let (bits, n) = match &self.inner {
            Inner::Exact(v) => (v.len() as u64 * 128, v.len()),
            Inner::Compact(ef) => (ef.size_bits(), ef.len as usize),
        };
        bits as f64 / n.max(1) as f64
    }

    /// A new store with `adds` added and `removes` removed (one occurrence
    /// each), in the same mode and universe.
    pub fn merge(&self, adds: &[RevocationHash], removes: &[RevocationHash]) -> Store {
        match &self.inner {
            Inner::Exact(v) => {
                let mut removes = removes.to_vec();
                removes.sort_unstable();
                let mut adds = adds.to_vec();
                adds.sort_unstable();
                let kept = v.iter().filter(|h| removes.binary_search(h).is_err());
                let mut out: Vec<RevocationHash> = merge_sorted(kept.copied(), adds);
                out.dedup();
                Store {
                    inner: Inner::Exact(out),
                }
            }
            Inner::Compact(ef) => {
                let u = ef.universe;
                let mut rem: Vec<u64> = removes.iter().map(|h| map(h, u)).collect();
                rem.sort_unstable();
                let mut add: Vec<u64> = adds.iter().map(|h| map(h, u)).collect();
                add.sort_unstable();
                // Remove one occurrence per removed hash.
                let mut kept = Vec::with_capacity(ef.len as usize + add.len());
                let mut r = rem.iter().peekable();
                for v in ef.values() {
                    while r.next_if(|x| **x < v).is_some() {}
                    if r.next_if(|x| **x == v).is_none() {
                        kept.push(v);
                    }
                }
                let values = merge_sorted(kept.into_iter(), add);
                Store {
                    inner: Inner::Compact(EliasFano::new(&values, u)),
                }
            }
        }
    }
}

fn merge_sorted<T: Ord + Copy>(a: impl Iterator<Item = T>, b: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(b.len());
    let mut b = b.into_iter().peekable();
    for x in a {
        while let Some(y) = b.next_if(|y| *y < x) {
            out.push(y);
        }
        out.push(x);
    }
    out.extend(b);
    out
}

// ---------------------------------------------------------------------------
// File format (all integers little-endian):
//
//   "HPRS" | version u16 = 1 | mode u8 (0 exact, 1 compact) | 0u8
//   len u64 | universe u64 | low_bits u32 | 0u32
//   upper_words u64 | lower_words u64
//   exact: len × 16 bytes, sorted; compact: upper words, then lower words
//   SHA-256 of everything before it (32 bytes)
//
// The select index is rebuilt on load (one pass, no sorting).

const MAGIC: &[u8; 4] = b"HPRS";
const VERSION: u16 = 1;
const HEADER: usize = 4 + 2 + 2 + 8 + 8 + 8 + 8 + 8;

impl Store {
    /// The store in its file format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        match &self.inner {
            Inner::Exact(v) => {
                out.extend_from_slice(&[0, 0]);
                out.extend_from_slice(&(v.len() as u64).to_le_bytes());
                out.extend_from_slice(&[0u8; 8 + 8 + 8 + 8]);
                for h in v {
                    out.extend_from_slice(&h.0);
                }
            }
            Inner::Compact(ef) => {
                out.extend_from_slice(&[1, 0]);
                out.extend_from_slice(&ef.len.to_le_bytes());
                out.extend_from_slice(&ef.universe.to_le_bytes());
                out.extend_from_slice(&u64::from(ef.low_bits).to_le_bytes());
                out.extend_from_slice(&(ef.upper.len() as u64).to_le_bytes());
                out.extend_from_slice(&(ef.lower.len() as u64).to_le_bytes());
                for w in ef.upper.iter().chain(&ef.lower) {
                    out.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
        let digest = Sha256::digest(&out);
        out.extend_from_slice(&digest);
        out
    }

    /// Reads a store from its file format.
    ///
    /// # Errors
    /// [`Error::Revocation`] for a file that is truncated, corrupt (checksum),
    /// of another version, or whose contents are inconsistent (lengths,
    /// unsorted exact hashes, an entry count the bits do not match).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bad = Error::Revocation;
        if bytes.len() < HEADER + 32 {
            return Err(bad("store file truncated"));
        }
        let (body, digest) = bytes.split_at(bytes.len() - 32);
        if body.get(..4) != Some(MAGIC.as_slice()) {
            return Err(bad("not a store file"));
        }
        if Sha256::digest(body).as_slice() != digest {
            return Err(bad("store file corrupt or truncated (checksum)"));
        }
        let u64_at = |at: usize| -> u64 {
            let mut b = [0u8; 8];
            if let Some(s) = body.get(at..at + 8) {
                b.copy_from_slice(s);
            }
            u64::from_le_bytes(b)
        };
        let version = u16::from_le_bytes([
            body.get(4).copied().unwrap_or(0),
            body.get(5).copied().unwrap_or(0),
        ]);
        if version != VERSION {
            return Err(bad("unsupported store file version"));
        }
        let mode = body.get(6).copied().unwrap_or(0xFF);
        let len = u64_at(8);
        let data = body.get(HEADER..).unwrap_or_default();
        match mode {
            0 => {
                if Some(data.len() as u64) != len.checked_mul(16) {
                    return Err(bad("store file length does not match its entry count"));
                }
                let hashes: Vec<RevocationHash> = data
                    .chunks_exact(16)
                    .map(|c| {
                        let mut h = [0u8; 16];
                        h.copy_from_slice(c);
                        RevocationHash(h)
                    })
                    .collect();
                if hashes.windows(2).any(|w| w.first() >= w.get(1)) {
                    return Err(bad("exact store hashes are not sorted and distinct"));
                }
                Ok(Store {
                    inner: Inner::Exact(hashes),
                })
            }
            1 => {
                let universe = u64_at(16);
                let low_bits = u64_at(24);
                let (nu, nl) = (u64_at(32), u64_at(40));
                let expect_low = low_bits_for(len, universe);
                // (Deltas may leave more entries than half the universe: a
                // store built small keeps its universe. Degenerate, never
                // wrong.)
                if universe == 0 || low_bits != u64::from(expect_low) {
                    return Err(bad("store parameters are inconsistent"));
                }
                let sizes = len
                    .checked_add(universe >> low_bits)
                    .and_then(|x| x.checked_add(1))
                    .zip(len.checked_mul(low_bits));
                let Some((upper_len, lower_bits)) = sizes else {
                    return Err(bad("store parameters are inconsistent"));
                };
                if nu != upper_len.div_ceil(64)
                    || nl != lower_bits.div_ceil(64) + 1
                    || Some(data.len() as u64) != nu.checked_add(nl).and_then(|w| w.checked_mul(8))
                {
                    return Err(bad("store file length does not match its parameters"));
                }
                let words: Vec<u64> = data
                    .chunks_exact(8)
                    .map(|c| {
                        let mut b = [0u8; 8];
                        b.copy_from_slice(c);
                        u64::from_le_bytes(b)
                    })
                    .collect();
                let (upper, lower) = words.split_at(nu as usize);
                let ones: u64 = upper.iter().map(|w| u64::from(w.count_ones())).sum();
                let past_end =
                    upper_len % 64 != 0 && upper.last().is_some_and(|w| w >> (upper_len % 64) != 0);
                if ones != len || past_end {
                    return Err(bad("store bits do not match its entry count"));
                }
                let mut ef = EliasFano {
                    len,
                    universe,
                    low_bits: expect_low,
                    upper: upper.to_vec(),
                    lower: lower.to_vec(),
                    select0: Vec::new(),
                };
                ef.select0 = ef.build_select();
                // Values in order (lookups stop at the first larger low part)
                // and below the universe.
                let values = ef.values();
                if values.windows(2).any(|w| w.first() > w.get(1))
                    || values.last().is_some_and(|v| *v >= universe)
                {
                    return Err(bad("store values are out of order or exceed its universe"));
                }
                Ok(Store {
                    inner: Inner::Compact(ef),
                })
            }
            _ => Err(bad("unknown store mode")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_hashes(n: usize, seed: u64) -> Vec<RevocationHash> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                let mut h = [0u8; 16];
                for chunk in h.chunks_mut(8) {
                    // splitmix64
                    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    let mut z = x;
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
                }
                RevocationHash(h)
            })
            .collect()
    }

    #[test]
    fn select_in_word_matches_a_naive_scan() {
        for w in [1u64, 0x8000_0000_0000_0000, 0xF0F0_F0F0_0F0F_0F0F, u64::MAX] {
            let positions: Vec<u32> = (0..64).filter(|b| w >> b & 1 == 1).collect();
            for (r, p) in positions.iter().enumerate() {
                assert_eq!(select_in_word(w, r as u32), *p);
            }
        }
    }

    #[test]
    fn members_are_found_in_every_mode_and_size() {
        for n in [0, 1, 2, 511, 512, 513, 5000] {
            let hashes = random_hashes(n, n as u64);
            for mode in [
                StoreMode::Exact,
                StoreMode::Compact {
                    false_positive_rate: 1e-12,
                },
                StoreMode::Compact {
                    false_positive_rate: 0.3,
                },
            ] {
                let s = Store::build(hashes.clone(), mode).unwrap();
                assert_eq!(s.len(), n);
                assert!(hashes.iter().all(|h| s.contains(h)), "n={n} {mode:?}");
                let again = Store::from_bytes(&s.to_bytes()).unwrap();
                assert_eq!(again, s);
                if n > 0 {
                    if let Inner::Compact(ef) = &s.inner {
                        let mut want: Vec<u64> =
                            hashes.iter().map(|h| map(h, ef.universe)).collect();
                        want.sort_unstable();
                        assert_eq!(ef.values(), want);
                    }
                }
            }
        }
    }

    #[test]
    fn merge_adds_and_removes() {
        let all = random_hashes(3000, 7);
        let (base, extra) = all.split_at(2000);
        for mode in [
            StoreMode::Exact,
            StoreMode::Compact {
                false_positive_rate: 1e-9,
            },
        ] {
            let s = Store::build(base.to_vec(), mode).unwrap();
            let removed = &base[..500];
            let m = s.merge(extra, removed);
            assert_eq!(m.len(), 2500);
            assert!(base[500..].iter().chain(extra).all(|h| m.contains(h)));
            assert!(removed.iter().all(|h| !m.contains(h)));
            assert_eq!(Store::from_bytes(&m.to_bytes()).unwrap(), m);
        }
    }

    #[test]
    fn deltas_may_outgrow_a_small_universe() {
        // Built empty at a high rate (universe 10), then 100 adds: more
        // entries than the universe has values. Nothing is missed, and the
        // file reads back.
        let s = Store::build(
            vec![],
            StoreMode::Compact {
                false_positive_rate: 0.1,
            },
        )
        .unwrap();
        let adds = random_hashes(100, 9);
        let m = s.merge(&adds, &[]);
        assert!(adds.iter().all(|h| m.contains(h)));
        assert_eq!(Store::from_bytes(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn corrupt_files_are_refused() {
        let s = Store::build(
            random_hashes(100, 1),
            StoreMode::Compact {
                false_positive_rate: 1e-6,
            },
        )
        .unwrap();
        let bytes = s.to_bytes();
        for cut in [0, 3, 10, HEADER, bytes.len() - 1] {
            assert!(Store::from_bytes(&bytes[..cut]).is_err(), "cut {cut}");
        }
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(Store::from_bytes(&b).is_err(), "flip at {i}");
        }
        assert!(Store::build(
            vec![],
            StoreMode::Compact {
                false_positive_rate: 0.0
            }
        )
        .is_err());
        assert!(Store::build(
            vec![],
            StoreMode::Compact {
                false_positive_rate: f64::NAN
            }
        )
        .is_err());
    }
}
