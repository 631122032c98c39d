//! `infer` on the built-in scenario with every position and salience of the six actors unknown
//! (72 unknowns, its record of 2005-2009), as `statecraft infer` runs it: the time to R-hat below
//! 1.01, and the draws per second.

// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_api::{run, Analysis, AnalysisResult, Context, InferOptions, Request};

fn request() -> Request {
    Request::builtin("six-party-2009", Analysis::Infer(InferOptions::default()))
}

fn bench(c: &mut Criterion) {
    let request = request();
    // One timed run first, to report what the criterion loop does not: convergence, draws/s.
    let start = Instant::now();
    let response = run(&request, &Context::default()).expect("infers");
    let seconds = start.elapsed().as_secs_f64();
    let AnalysisResult::Infer(result) = &response.result else {
        unreachable!("an infer request gives an infer result")
    };
    let inference = &result.inference;
    let sweeps = inference.chains * (inference.warmup + inference.draws);
    eprintln!(
        "infer six-party-2009: {} unknowns, {} chains x ({} warm-up + {} kept) sweeps in {seconds:.2} s \
         = {:.0} sweeps/s ({:.0} draws of one unknown/s); max R-hat {:.4} (< 1.01: {}), min ESS {:.0}; \
         within 10 s: {}",
        inference.parameters.len(),
        inference.chains,
        inference.warmup,
        inference.draws,
        sweeps as f64 / seconds,
        (sweeps * inference.parameters.len()) as f64 / seconds,
        inference.max_rhat,
        inference.max_rhat < 1.01,
        inference.min_ess,
        inference.converged && seconds < 10.0,
    );
    let mut group = c.benchmark_group("infer");
    group.sample_size(10);
    group.bench_function("six-party-2009, 72 unknowns, to R-hat < 1.01", |b| {
        b.iter(|| run(&request, &Context::default()).expect("infers"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
