//! Benchmarks of the expected-utility model: one round of the paper variant at 10 to 10,000
//! actors, ten rounds at 10,000, and the reference variant on the parity set.
//!
//! Run with `cargo bench -p statecraft-core --bench bdm`; the README records the figures.
// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use statecraft_core::models::bdm::{self, BdmActor, BdmParams, Variant};

/// `n` actors with positions, capabilities and saliences from a fixed linear congruential
/// sequence (deterministic, no RNG crate needed for fixed inputs).
fn synthetic(n: usize) -> Vec<BdmActor> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|k| BdmActor {
            name: format!("A{k}"),
            capability: 1.0 + 99.0 * next(),
            position: 100.0 * next(),
            salience: 0.05 + 0.95 * next(),
        })
        .collect()
}

fn paper(rounds: usize) -> BdmParams {
    let mut params = BdmParams::reference(rounds);
    params.variant = Variant::ScholzPaper;
    params
}

fn paper_round(c: &mut Criterion) {
    let mut group = c.benchmark_group("paper_round");
    group.sample_size(10);
    for n in [10, 100, 1_000, 10_000] {
        let actors = synthetic(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &actors, |b, actors| {
            b.iter(|| bdm::run(black_box(actors), &paper(1)))
        });
    }
    group.finish();
}

/// Ten rounds at 1,000 and 10,000 actors. At 10,000 one sample takes minutes on 2 cores, so
/// run this group alone when wanted: `cargo bench -p statecraft-core --bench bdm -- paper_10`.
fn paper_ten_rounds(c: &mut Criterion) {
    let mut group = c.benchmark_group("paper_10_rounds");
    group.sample_size(10);
    for n in [1_000, 10_000] {
        let actors = synthetic(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &actors, |b, actors| {
            b.iter(|| bdm::run(black_box(actors), &paper(10)))
        });
    }
    group.finish();
}

/// The 16 random parity cases (`fixtures/parity/scholz/inputs/`), 10 rounds each.
fn reference_parity_set(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/parity/scholz/inputs");
    let mut cases: Vec<Vec<BdmActor>> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("input");
        let actors = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                BdmActor {
                    name: f[0].to_owned(),
                    capability: f[1].parse().expect("capability"),
                    position: f[2].parse().expect("position"),
                    salience: f[3].parse().expect("salience"),
                }
            })
            .collect();
        cases.push(actors);
    }
    assert_eq!(cases.len(), 16, "the 16 random parity cases");
    let params = BdmParams::reference(10);
    c.bench_function("reference_parity_set_16x10_rounds", |b| {
        b.iter(|| {
            for actors in &cases {
                black_box(bdm::run(black_box(actors), &params));
            }
        })
    });
}

criterion_group!(benches, paper_round, paper_ten_rounds, reference_parity_set);
criterion_main!(benches);
