//! KTAB's SMP on KTAB's 40-, 80- and 160-actor examples (`dummyData-a040/-a080/-a160.csv`,
//! read from `../shared/parity/ktab/`), whole runs with default parameters, on rayon's default
//! pool and on one thread. KTAB's own wall times on this kind of machine: 6.5 s, 78.6 s and
//! 902 s (`../shared/parity/ktab/README.md`). Skipped with a message when `../shared` is absent.
//!
//! `cargo bench -p statecraft-io --bench smp`
// `criterion_group!` generates functions without docs.
#![allow(missing_docs)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_core::models::smp::{self, SmpInput, SmpParams};
use statecraft_io::Format;

fn input(case: &str) -> Option<SmpInput> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/parity/ktab")
        .join(case)
        .join(format!("{case}.csv"));
    if !path.is_file() {
        eprintln!("SKIPPED: {} not present", path.display());
        return None;
    }
    let loaded = statecraft_io::load_path(&path, Some(Format::Ktab)).expect("KTAB's file reads");
    Some(SmpInput::from_scenario(&loaded.scenario).expect("an SMP input"))
}

/// Whole runs, KTAB's defaults.
pub fn whole_runs(c: &mut Criterion) {
    let params = SmpParams::default();
    let mut group = c.benchmark_group("smp");
    group.sample_size(10);
    for case in ["dummyData-a040", "dummyData-a080", "dummyData-a160"] {
        let Some(input) = input(case) else { continue };
        let reference = smp::run(&input, &params).expect("runs");
        group.bench_function(case, |b| {
            b.iter(|| {
                let run = smp::run(&input, &params).expect("runs");
                assert_eq!(run.turns.len(), reference.turns.len());
                run
            })
        });
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool");
        group.bench_function(format!("{case}/1-thread"), |b| {
            b.iter(|| one.install(|| smp::run(&input, &params).expect("runs")))
        });
        // The same numbers on one thread as on many.
        assert_eq!(
            one.install(|| smp::run(&input, &params).unwrap()),
            reference
        );
    }
    group.finish();
}

criterion_group!(benches, whole_runs);
criterion_main!(benches);
