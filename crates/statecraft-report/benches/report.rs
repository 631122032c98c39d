//! How long the built-in scenario's report takes: running every analysis, writing the HTML page
//! (every chart drawn to SVG), and drawing every chart to PNG.
//!
//! `cargo bench -p statecraft-report --bench report`

#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use criterion::{criterion_group, criterion_main, Criterion};
use statecraft_core::durability::{default_forms, DurabilityParams};
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_report::{charts, DurabilityOptions, Exporter, Html, Report, ReportOptions};

fn options(scenario: &statecraft_core::scenario::Scenario) -> ReportOptions {
    let forms = if scenario.forms().is_empty() {
        default_forms()
    } else {
        scenario.forms().to_vec()
    };
    let package =
        statecraft_core::models::Model::forecast(&statecraft_core::models::Compromise, scenario)
            .issues
            .iter()
            .map(|f| f.value.expect("the compromise forecasts every issue"))
            .collect();
    ReportOptions {
        bdm: BdmParams::forecast(Variant::ScholzReference),
        durability: Some(DurabilityOptions {
            package,
            forms,
            params: DurabilityParams {
                years: 8.0,
                runs: 20_000,
                seed: 1,
                step: 0.25,
                start: scenario
                    .meta()
                    .date
                    .expect("the built-in scenario is dated"),
            },
        }),
        sweep: None,
        power_samples: 100_000,
        seed: 1,
        fitted: None,
    }
}

fn bench(c: &mut Criterion) {
    let scenario = statecraft_io::load_builtin("six-party-2009")
        .expect("the built-in scenario")
        .scenario;
    let options = options(&scenario);
    let report = Report::build(&scenario, &options);
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("build (every analysis)", |b| {
        b.iter(|| Report::build(&scenario, &options))
    });
    group.bench_function("html (every chart as SVG)", |b| {
        b.iter(|| Html.export(&report).expect("exports"))
    });
    group.bench_function("png (every chart)", |b| {
        b.iter(|| {
            charts(&report)
                .iter()
                .map(|c| c.png().expect("draws").len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
