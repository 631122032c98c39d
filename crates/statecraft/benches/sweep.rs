//! Benchmarks of sweeps on the built-in six-party scenario (78 uncertain inputs at its 10%
//! uncertainty): one million draws of the compromise model, and 100,000 of the expected-utility
//! model's paper variant.
//!
//! Run with `cargo bench -p statecraft --bench sweep`; the README records the figures.
// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::models::{Compromise, ExpectedUtility, Model};
use statecraft_core::sweep::{sweep, uncertain_inputs};

fn sweeps(c: &mut Criterion) {
    let scenario = statecraft_io::load_builtin("six-party-2009")
        .expect("the built-in scenario")
        .scenario;
    let inputs = uncertain_inputs(&scenario, None);
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    let compromise: Vec<Box<dyn Model>> = vec![Box::new(Compromise)];
    group.bench_function("compromise_1e6_draws", |b| {
        b.iter(|| sweep(black_box(&scenario), &inputs, &compromise, 1_000_000, 1))
    });
    let paper: Vec<Box<dyn Model>> = vec![Box::new(ExpectedUtility {
        params: BdmParams::forecast(Variant::ScholzPaper),
    })];
    group.bench_function("bdm_paper_1e5_draws", |b| {
        b.iter(|| sweep(black_box(&scenario), &inputs, &paper, 100_000, 1))
    });
    group.finish();
}

criterion_group!(benches, sweeps);
criterion_main!(benches);
