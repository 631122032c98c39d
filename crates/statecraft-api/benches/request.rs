//! The cost of the request layer: a forecast of the built-in scenario through `run` against the
//! same models called directly on the loaded scenario.

// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_api::{run, Analysis, Context, ForecastOptions, Request};
use statecraft_core::models::{all_models, bdm::BdmParams, bdm::Variant};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("forecast of six-party-2009");
    let loaded = statecraft_io::load_builtin("six-party-2009").expect("built in");
    let models = all_models(BdmParams::forecast(Variant::ScholzReference));
    group.bench_function("models called directly (scenario already loaded)", |b| {
        b.iter(|| {
            models
                .iter()
                .map(|m| m.forecast(&loaded.scenario))
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("direct: load the built-in scenario, call the models", |b| {
        b.iter(|| {
            let loaded = statecraft_io::load_builtin("six-party-2009").expect("built in");
            models
                .iter()
                .map(|m| m.forecast(&loaded.scenario))
                .collect::<Vec<_>>()
        })
    });
    let request = Request::builtin(
        "six-party-2009",
        Analysis::Forecast(ForecastOptions::default()),
    );
    group.bench_function("through the request layer (load + run + result)", |b| {
        b.iter(|| run(&request, &Context::default()).expect("runs"))
    });
    group.bench_function("through the request layer, JSON in and out", |b| {
        let text = serde_json::to_string(&request).expect("serialises");
        b.iter(|| {
            let request = Request::from_json("request.json", &text).expect("reads");
            let response = run(&request, &Context::default()).expect("runs");
            serde_json::to_string(&response).expect("serialises")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
