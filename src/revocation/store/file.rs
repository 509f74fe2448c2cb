//! The store's file format (all integers little-endian):
//!
//! ```text
//! "HPRS" | version u16 = 1 | mode u8 (0 exact, 1 compact) | 0u8
//! len u64 | universe u64 | low_bits u32 | 0u32
//! upper_words u64 | lower_words u64
//! exact: len × 16 bytes, sorted; compact: upper words, then lower words
//! SHA-256 of everything before it (32 bytes)
//! ```
//!
//! The select index is rebuilt on load (one pass, no sorting).

use sha2::{Digest as _, Sha256};

use super::elias_fano::{low_bits_for, EliasFano};
use super::{Inner, Store};
use crate::revocation::RevocationHash;
use crate::Error;

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
    use crate::revocation::store::tests::random_hashes;
    use crate::revocation::store::StoreMode;

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
