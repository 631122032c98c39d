//! Reading large inputs, so that reading stays linear in the file: a one-issue CSV of 20,000
//! actors (the most a scenario may have) and the same scenario as JSON and TOML.
//! Repeated names used to be numbered by comparing every row with every earlier one, which made
//! a 100,000-row CSV take 11 s against 0.25 s for the same as JSON.
//!
//! `cargo bench -p statecraft-io --bench read`
// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_io::{export, parse_str, Format};

/// A one-issue table of `n` actors; every tenth name repeats an earlier one.
fn table(n: usize) -> String {
    let mut text = String::from("Actor,Capability,Position,Salience\n");
    for k in 0..n {
        let name = if k % 10 == 9 { k - 9 } else { k };
        text.push_str(&format!("A{name},{},{},0.5\n", 1 + k % 7, k * 37 % 101));
    }
    text
}

fn bench(c: &mut Criterion) {
    let csv = table(20_000);
    let scenario = parse_str("big.csv", csv.clone(), Format::Table)
        .expect("the table reads")
        .scenario;
    let mut group = c.benchmark_group("read 20,000 actors");
    group.sample_size(10);
    group.bench_function("one-issue CSV", |b| {
        b.iter(|| parse_str("big.csv", csv.clone(), Format::Table).expect("reads"))
    });
    for format in [Format::Json, Format::Toml] {
        let text = export(&scenario, format);
        group.bench_function(format!("{format:?}"), |b| {
            b.iter(|| parse_str("big", text.clone(), format).expect("reads"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
