//! Snapshot tests of every exporter on a small fixed scenario, so that any change to what a
//! report says, or how, shows up in review; and checks of the JSON's documented shape.

use std::path::Path;

use statecraft_core::durability::{default_forms, DurabilityParams};
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::scenario::Scenario;
use statecraft_report::{
    charts, exporters, DurabilityOptions, Exporter, Report, ReportOptions, SweepOptions, SCHEMA,
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
        "inputs",
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

/// The parts of an `.xlsx` file (a zip archive) as text, by name.
fn workbook_parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|k| {
            let mut file = archive.by_index(k).expect("a part");
            let mut text = String::new();
            std::io::Read::read_to_string(&mut file, &mut text).expect("a text part");
            (file.name().expect("a named part").to_string(), text)
        })
        .collect()
}

#[test]
fn the_workbook_has_a_sheet_per_section_with_every_number_of_the_csv() {
    let report = report();
    let csv = statecraft_report::Csv.export(&report).unwrap();
    let mut sections: Vec<String> = Vec::new();
    let mut numbers: Vec<(String, String)> = Vec::new();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let section = fields[0].to_owned();
        if !sections.contains(&section) {
            sections.push(section.clone());
        }
        let value = fields.last().unwrap();
        if value.parse::<f64>().is_ok_and(f64::is_finite) {
            numbers.push((section, (*value).to_owned()));
        }
    }
    assert!(sections.len() >= 6, "{sections:?}");
    let parts = workbook_parts(&statecraft_report::xlsx(&report).unwrap());
    let book = &parts["xl/workbook.xml"];
    let names: Vec<&str> = book
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        sections.len() + 1,
        "{names:?} for {sections:?}"
    );
    for name in [
        "About",
        "Scenario",
        "Inputs",
        "Forecasts",
        "Expected-utility rounds",
        "Durability",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
    // Sheet k+2 is section k; its numbers are stored as numbers, at full precision.
    for (k, section) in sections.iter().enumerate() {
        let sheet = &parts[&format!("xl/worksheets/sheet{}.xml", k + 2)];
        for (_, v) in numbers.iter().filter(|(s, _)| s == section) {
            assert!(sheet.contains(&format!("<v>{v}</v>")), "{section}: {v}");
        }
    }
}

#[test]
fn the_long_csv_names_every_subject_by_id_with_its_label_beside_it() {
    let report = report();
    let scenario = fixture();
    let text = statecraft_report::exporter("csv")
        .expect("a csv exporter")
        .export(&report)
        .expect("exports");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "section",
            "subject",
            "subject_label",
            "issue",
            "issue_label",
            "measure",
            "value"
        ]
    );
    let mut sections_with_actors = std::collections::BTreeSet::new();
    for record in reader.records() {
        let r = record.expect("a record");
        let (section, subject, label, issue, issue_label) = (&r[0], &r[1], &r[2], &r[3], &r[4]);
        // No actor is named by its name where the others are named by id (bdm once was).
        assert!(
            !scenario
                .actors()
                .iter()
                .any(|a| a.name == subject && a.id != a.name),
            "{section}: `{subject}` is a name, not an id"
        );
        if let Some(a) = scenario.actors().iter().find(|a| a.id == subject) {
            assert_eq!(label, a.name, "{section} {subject}");
            sections_with_actors.insert(section.to_owned());
        }
        if let Some(k) = scenario.issue_index(issue) {
            assert_eq!(issue_label, scenario.issues()[k].label, "{section} {issue}");
        } else {
            assert!(
                issue.is_empty() && issue_label.is_empty(),
                "{section}: `{issue}`"
            );
        }
    }
    for section in ["scenario", "bdm", "smp", "coalitions", "power"] {
        assert!(
            sections_with_actors.contains(section),
            "no actor rows in {section}: {sections_with_actors:?}"
        );
    }
}
