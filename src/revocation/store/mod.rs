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

use super::RevocationHash;
use crate::Error;

mod elias_fano;
mod file;

use elias_fano::{map, universe_for, EliasFano};

/// How a store holds its hashes.
#[non_exhaustive]
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) fn random_hashes(n: usize, seed: u64) -> Vec<RevocationHash> {
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
}
