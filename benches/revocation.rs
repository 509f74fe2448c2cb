//! The revocation store at national scale: 10 million random entries.
//!
//! Lookups (members and non-members, random order, so mostly cache misses)
//! for the compact store at 1e-12, the exact store, and two baselines on
//! the same entries: a Bloom filter at 1e-12 (57.5 bits and 40 probes per
//! entry, double hashing) and a sorted array of 64-bit prefixes (binary
//! search). Then building the compact store from 10 million hashes and
//! merging a delta of 1 million adds and removes into it. Memory per entry
//! is printed before the measurements.
//!
//! `HP_REVOCATION_N` sets the entry count (default 10 000 000).

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use healthpass::revocation::{RevocationHash, Store, StoreMode};

fn entries() -> usize {
    std::env::var("HP_REVOCATION_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000)
}

fn random_hashes(n: usize, mut x: u64) -> Vec<RevocationHash> {
    let mut next = move || {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|_| {
            let mut h = [0u8; 16];
            h[..8].copy_from_slice(&next().to_le_bytes());
            h[8..].copy_from_slice(&next().to_le_bytes());
            RevocationHash(h)
        })
        .collect()
}

/// A textbook Bloom filter (double hashing over the hash's two halves).
struct Bloom {
    bits: Vec<u64>,
    m: u64,
    k: u32,
}

impl Bloom {
    fn new(n: usize, rate: f64) -> Bloom {
        let m = (-(n as f64) * rate.ln() / (2f64.ln().powi(2))).ceil() as u64;
        let k = ((m as f64 / n as f64) * 2f64.ln()).round() as u32;
        Bloom {
            bits: vec![0; m.div_ceil(64) as usize],
            m,
            k,
        }
    }
    fn probes(&self, h: &RevocationHash) -> impl Iterator<Item = u64> + '_ {
        let a = u64::from_le_bytes(h.0[..8].try_into().unwrap());
        let b = u64::from_le_bytes(h.0[8..].try_into().unwrap()) | 1;
        (0..u64::from(self.k)).map(move |i| a.wrapping_add(i.wrapping_mul(b)) % self.m)
    }
    fn insert(&mut self, h: &RevocationHash) {
        let idx: Vec<u64> = self.probes(h).collect();
        for j in idx {
            self.bits[(j / 64) as usize] |= 1 << (j % 64);
        }
    }
    fn contains(&self, h: &RevocationHash) -> bool {
        self.probes(h)
            .all(|j| self.bits[(j / 64) as usize] >> (j % 64) & 1 == 1)
    }
}

fn prefix(h: &RevocationHash) -> u64 {
    u64::from_be_bytes(h.0[..8].try_into().unwrap())
}

fn bench(c: &mut Criterion) {
    let n = entries();
    let members = random_hashes(n, 1);
    let strangers = random_hashes(1 << 20, 2);
    let probe_members: Vec<RevocationHash> = random_hashes(1 << 20, 3)
        .iter()
        .map(|h| members[(prefix(h) % n as u64) as usize])
        .collect();

    let t = Instant::now();
    let compact = Store::build(
        members.clone(),
        StoreMode::Compact {
            false_positive_rate: 1e-12,
        },
    )
    .unwrap();
    println!(
        "build compact 1e-12 from {n} hashes: {:.2} s (one run), {:.2} bits/entry, rate now {:.2e}",
        t.elapsed().as_secs_f64(),
        compact.bits_per_entry(),
        compact.false_positive_rate()
    );
    let exact = Store::build(members.clone(), StoreMode::Exact).unwrap();
    let mut bloom = Bloom::new(n, 1e-12);
    for h in &members {
        bloom.insert(h);
    }
    println!(
        "bloom 1e-12: {:.1} bits/entry, {} probes; sorted u64: 64 bits/entry; exact: {:.0} bits/entry",
        bloom.m as f64 / n as f64,
        bloom.k,
        exact.bits_per_entry()
    );
    let mut sorted: Vec<u64> = members.iter().map(prefix).collect();
    sorted.sort_unstable();

    let mut g = c.benchmark_group("revocation/lookup");
    let mut i = 0usize;
    let mut next = |v: &[RevocationHash]| {
        i = (i + 1) & ((1 << 20) - 1);
        v[i]
    };
    g.bench_function("compact_1e-12/member", |b| {
        b.iter(|| compact.contains(black_box(&next(&probe_members))))
    });
    g.bench_function("compact_1e-12/stranger", |b| {
        b.iter(|| compact.contains(black_box(&next(&strangers))))
    });
    g.bench_function("exact/member", |b| {
        b.iter(|| exact.contains(black_box(&next(&probe_members))))
    });
    g.bench_function("bloom_1e-12/member", |b| {
        b.iter(|| bloom.contains(black_box(&next(&probe_members))))
    });
    g.bench_function("bloom_1e-12/stranger", |b| {
        b.iter(|| bloom.contains(black_box(&next(&strangers))))
    });
    g.bench_function("sorted_u64/member", |b| {
        b.iter(|| {
            sorted
                .binary_search(&prefix(black_box(&next(&probe_members))))
                .is_ok()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("revocation/update");
    g.sample_size(10);
    g.bench_function(format!("build_compact_{n}"), |b| {
        b.iter_batched(
            || members.clone(),
            |m| {
                Store::build(
                    m,
                    StoreMode::Compact {
                        false_positive_rate: 1e-12,
                    },
                )
                .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    let delta = n / 10;
    let adds = random_hashes(delta, 4);
    let removes: Vec<RevocationHash> = members[..delta].to_vec();
    g.bench_function(format!("merge_{delta}_adds_{delta}_removes"), |b| {
        b.iter(|| compact.merge(black_box(&adds), black_box(&removes)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
