//! Snapshot tests of every exporter on a small fixed scenario, so that any change to what a
//! report says, or how, shows up in review; and checks of the JSON's documented shape.

use std::path::Path;

use statecraft_core::durability::{default_forms, DurabilityParams};
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::scenario::Scenario;
use statecraft_report::{
    charts, exporters, DurabilityOptions, Report, ReportOptions, SweepOptions, SCHEMA,
};

fn fixture() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/three-party.toml");
    statecraft_io::load_path(&path, None)
        .unwrap_or_else(|e| panic!("the fixture loads: {e:?}"))
        .scenario
}

fn report() -> Report {
    let scenario = fixture();
    let options = ReportOptions {
        bdm: BdmParams::forecast(Variant::ScholzReference),
        durability: Some(DurabilityOptions {
            package: vec![4.0, 40.0],
            forms: default_forms(),
            params: DurabilityParams {
                years: 4.0,
                runs: 200,
                seed: 1,
                step: 1.0,
                start: scenario.meta().date.expect("dated"),
            },
        }),
        sweep: Some(SweepOptions {
            runs: 50,
            uncertainty: 0.1,
            sensitivity: Some(16),
        }),
        power_samples: 1000,
        seed: 1,
        fitted: None,
    };
    Report::build(&scenario, &options)
}

#[test]
fn every_exporter_matches_its_snapshot() {
    let report = report();
    for exporter in exporters() {
        let text = exporter.export(&report).expect("the report exports");
        insta::assert_snapshot!(format!("three-party.{}", exporter.extension()), text);
    }
}

#[test]
fn the_json_has_the_documented_top_level_fields() {
    let report = report();
    let json: serde_json::Value = serde_json::to_value(&report).expect("the report serialises");
    assert_eq!(json["schema"], SCHEMA);
    let keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    // docs/report.md lists these; a new field is added there first.
    let mut documented = [
        "schema",
        "scenario",
        "forecasts",
        "disagreements",
        "bdm",
        "smp",
        "coalitions",
        "durability",
        "power",
        "sweep",
        "inference",
        "notes",
    ];
    let mut found = keys.clone();
    documented.sort_unstable();
    found.sort_unstable();
    assert_eq!(found, documented);
}

#[test]
fn the_holdout_is_found_where_the_others_could_agree_without_it() {
    let report = report();
    let coalitions = report.coalitions.as_ref().expect("the analysis ran");
    let tariff = &coalitions.issues[0];
    // Moving the tariff alone: Dove and Owl want it lower, the Hawk higher; only the Hawk blocks.
    assert_eq!(tariff.holdouts, vec!["Hawk".to_string()], "{tariff:#?}");
}

#[test]
fn each_chart_draws_the_same_svg_twice_and_a_png_of_the_stated_size() {
    let report = report();
    let all = charts(&report);
    assert_eq!(
        all.iter().filter(|c| c.id.starts_with("forecast-")).count(),
        2
    );
    for chart in &all {
        let svg = chart.svg().expect("draws");
        assert_eq!(
            svg,
            chart.svg().expect("draws"),
            "{} is not deterministic",
            chart.id
        );
        assert!(svg.contains(&format!(
            "viewBox=\"0 0 {} {}\"",
            statecraft_report::WIDTH,
            statecraft_report::HEIGHT
        )));
        let png = chart.png().expect("draws");
        assert_eq!(&png[1..4], b"PNG", "{}", chart.id);
    }
}
