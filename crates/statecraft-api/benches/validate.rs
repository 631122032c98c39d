//! `validate` of every model on the DEU calibration file (`../shared/data/deu/`, read in place;
//! the small fixture of the io tests when it is absent), as `statecraft validate` runs it.

// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_api::{run, Context, Request};

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data/deu/deu_calibration.tsv");
    let (name, data) = if shared.is_file() {
        ("the DEU calibration file", shared)
    } else {
        eprintln!("SKIPPED: ../shared/data/deu not present; benchmarking the small fixture");
        (
            "the small DEU fixture",
            root.join("crates/statecraft-io/tests/fixtures/deu/small.tsv"),
        )
    };
    let text = serde_json::json!({
        "analysis": { "validate": { "data": data, "capabilities": "equal" } }
    })
    .to_string();
    let request = Request::from_json("bench", &text).expect("a valid request");
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    group.bench_function(format!("every model on {name}"), |b| {
        b.iter(|| run(&request, &Context::default()).expect("validates"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
