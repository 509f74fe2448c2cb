//! The cost of the C ABI: `hp_verify` (+ `hp_result_free`) against
//! `Verifier::verify` (+ `verdict()`) on the same pass, the same verifier
//! settings and backend, in one run. The number to watch is the ratio
//! `abi/c_abi` ÷ `abi/rust`.

use std::hint::black_box;
use std::ptr;

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::{TrustList, UnixTime, Verifier};
use healthpass_ffi::*;

fn bench(c: &mut Criterion) {
    let pem = std::fs::read("../demo/trust.pem").unwrap();
    let text = std::fs::read_to_string("../demo/valid.txt").unwrap();
    let text = text.trim().to_string();
    let now = UnixTime::parse_rfc3339("2030-01-01T00:00:00Z").unwrap();

    let mut trust = TrustList::new();
    trust.add_any(&pem).unwrap();
    let rust = Verifier::builder().trust_list(trust).build().unwrap();

    let mut list = ptr::null_mut();
    let mut verifier = ptr::null_mut();
    unsafe {
        assert_eq!(hp_trust_list_new(&mut list), HpStatus::Ok);
        assert_eq!(
            hp_trust_list_add(list, pem.as_ptr(), pem.len()),
            HpStatus::Ok
        );
        assert_eq!(
            hp_verifier_new(list, ptr::null(), 0, &mut verifier),
            HpStatus::Ok
        );
    }

    let mut g = c.benchmark_group("abi");
    g.bench_function("rust", |b| {
        b.iter(|| {
            let pass = rust.verify_hcert(black_box(&text), now).unwrap();
            black_box(pass.verdict())
        })
    });
    g.bench_function("c_abi", |b| {
        b.iter(|| unsafe {
            let mut result = ptr::null_mut();
            let s = hp_verify(
                verifier,
                black_box(text.as_ptr()),
                text.len(),
                now.as_secs(),
                &mut result,
            );
            assert!(s == HpStatus::Ok && hp_result_valid(result));
            hp_result_free(result);
        })
    });
    g.finish();
    unsafe {
        hp_verifier_free(verifier);
        hp_trust_list_free(list);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
