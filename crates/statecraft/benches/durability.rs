//! Benchmark of the durability analysis: one million simulated histories of ten years on the
//! built-in six-party scenario (the compromise package, the treaty form: no history ends early,
//! so every leadership change of every history is drawn and judged).
//!
//! Run with `cargo bench -p statecraft --bench durability`; the README records the figure.
// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_core::durability::{analyse, DurabilityParams};
use statecraft_core::models::{Compromise, Model};

fn million_histories(c: &mut Criterion) {
    let scenario = statecraft_io::load_builtin("six-party-2009")
        .expect("the built-in scenario")
        .scenario;
    let package: Vec<f64> = Compromise
        .forecast(&scenario)
        .issues
        .iter()
        .map(|f| f.value.expect("every issue has a compromise"))
        .collect();
    let treaty = scenario
        .forms()
        .iter()
        .find(|f| f.id == "treaty")
        .expect("the scenario defines a treaty form")
        .clone();
    let params = DurabilityParams {
        years: 10.0,
        runs: 1_000_000,
        seed: 1,
        step: 0.5,
        start: scenario.meta().date.expect("the scenario has a date"),
    };
    let mut group = c.benchmark_group("durability");
    group.sample_size(10);
    group.bench_function("six_party_1e6_histories_10_years", |b| {
        b.iter(|| analyse(black_box(&scenario), &package, &treaty, &params).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, million_histories);
criterion_main!(benches);
