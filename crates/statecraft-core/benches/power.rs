//! Benchmark of the exact voting power indices on a large weighted game: 1,000 players with
//! weights 1..=100 from a fixed pseudo-random sequence and a quota of half the total plus one.
//!
//! Run with `cargo bench -p statecraft-core --bench power -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{criterion_main, Criterion};
use statecraft_core::power::{exact, Game};

/// `n` weights in 1..=100 from a fixed linear congruential sequence (no RNG crate needed for
/// fixed inputs).
fn weights(n: usize) -> Vec<u64> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            1 + (state >> 33) % 100
        })
        .collect()
}

fn exact_1000(c: &mut Criterion) {
    let weights = weights(1_000);
    let total: u64 = weights.iter().sum();
    let game = Game::weighted(weights, total / 2 + 1).expect("a valid game");
    let mut group = c.benchmark_group("power");
    group.sample_size(10);
    group.bench_function("exact_1000_players", |b| {
        b.iter(|| exact(black_box(&game)).expect("exact indices"))
    });
    group.finish();
}

/// Inside a private module, so that the function the macro makes needs no documentation.
mod group {
    criterion::criterion_group!(benches, super::exact_1000);
}
criterion_main!(group::benches);
