//! Elias–Fano coding of a non-decreasing sequence of 64-bit values, and the
//! map from a revocation hash to its value in a universe `[0, U)`.

use super::super::RevocationHash;
use crate::Error;

/// Every this many zeros of the high bits, the select index keeps a position.
const SAMPLE: u64 = 512;

/// Elias–Fano coding of a non-decreasing sequence of values in `[0, U)`.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct EliasFano {
    pub(super) len: u64,
    pub(super) universe: u64,
    pub(super) low_bits: u32,
    /// The high bits, unary: element i with high part h sets bit h + i.
    pub(super) upper: Vec<u64>,
    /// The low bits, packed, element after element.
    pub(super) lower: Vec<u64>,
    /// `select0[j]`: the position of the ((j+1)·SAMPLE)-th zero of `upper`.
    pub(super) select0: Vec<u32>,
}

/// The value of a hash in `[0, universe)`: multiply-high of its first 8
/// bytes (uniform for a SHA-256 prefix).
pub(super) fn map(hash: &RevocationHash, universe: u64) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(hash.0.get(..8).unwrap_or(&[0; 8]));
    ((u128::from(u64::from_be_bytes(first)) * u128::from(universe)) >> 64) as u64
}

pub(super) fn universe_for(len: u64, rate: f64) -> Result<u64, Error> {
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
    pub(super) fn new(values: &[u64], universe: u64) -> Self {
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

    pub(super) fn build_select(&self) -> Vec<u32> {
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

    pub(super) fn contains(&self, v: u64) -> bool {
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
    pub(super) fn values(&self) -> Vec<u64> {
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

    pub(super) fn size_bits(&self) -> u64 {
        // The packed arrays as they are allocated, plus the select index.
        (self.upper.len() as u64 + self.lower.len() as u64) * 64 + self.select0.len() as u64 * 32
    }
}

/// `⌊log2(U / n)⌋` (n counted as at least 1).
pub(super) fn low_bits_for(len: u64, universe: u64) -> u32 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_in_word_matches_a_naive_scan() {
        for w in [1u64, 0x8000_0000_0000_0000, 0xF0F0_F0F0_0F0F_0F0F, u64::MAX] {
            let positions: Vec<u32> = (0..64).filter(|b| w >> b & 1 == 1).collect();
            for (r, p) in positions.iter().enumerate() {
                assert_eq!(select_in_word(w, r as u32), *p);
            }
        }
    }
}
