//! `statecraft validate` through the real binary: the DEU fixture, the outcomes CSV, output
//! formats, located errors, thread invariance, and the compromise figure on the calibration
//! file when `../shared` is present.

use serde_json::Value;

use crate::support::{crate_dir, message_text, ok_with, run, shared, statecraft, workspace_dir};

fn fixture(sub: &str) -> String {
    crate_dir()
        .join("../statecraft-io/tests/fixtures")
        .join(sub)
        .display()
        .to_string()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok_with(&[], args)).expect("validate prints JSON")
}

fn model<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == id)
        .unwrap_or_else(|| panic!("no model {id}"))
}

/// The compromise model's MAE on the cases of `path`, computed here from the cases as read.
fn direct_compromise_mae(path: &str) -> f64 {
    let set = statecraft_io::load_cases(std::path::Path::new(path)).unwrap();
    let mut errors = Vec::new();
    for case in &set.cases {
        let s = &case.scenario;
        for (i, outcome) in case.outcomes.iter().enumerate() {
            let Some(outcome) = outcome else { continue };
            let (mut num, mut den) = (0.0, 0.0);
            for (_, actor, stance) in s.positioned(i) {
                num += actor.capability * stance.salience * stance.position;
                den += actor.capability * stance.salience;
            }
            errors.push((num / den - outcome).abs());
        }
    }
    errors.iter().sum::<f64>() / errors.len() as f64
}

#[test]
fn the_fixture_is_scored_by_every_model() {
    let path = fixture("deu/small.tsv");
    let report = json(&[
        "validate",
        &path,
        "--folds",
        "3",
        "--bootstrap",
        "200",
        "-f",
        "json",
    ]);
    assert_eq!(report["schema"], "statecraft-validation/1");
    assert_eq!(report["cases"], 3);
    assert_eq!(report["issues_with_outcome"], 3);
    let compromise = model(&report, "compromise");
    let mae = compromise["metrics"]["mae"]["value"].as_f64().unwrap();
    assert!((mae - direct_compromise_mae(&path)).abs() < 1e-9, "{mae}");
    for id in [
        "compromise",
        "median",
        "nash",
        "bdm",
        "smp",
        "sq-pull",
        "ensemble",
    ] {
        let m = model(&report, id);
        let answered = m["forecasts"].as_u64().unwrap() + m["missing"].as_u64().unwrap();
        assert_eq!(answered, 3, "{id}");
    }
    // Poland gives salience 0 on the one issue of d16003: the smp runs without it.
    assert_eq!(model(&report, "smp")["missing"], 0);
}

#[test]
fn the_table_fits_100_columns_and_csv_has_a_row_per_figure() {
    let path = fixture("deu/small.tsv");
    let table = ok_with(
        &[],
        &["validate", &path, "--folds", "3", "--bootstrap", "50"],
    );
    for line in table.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    assert!(table.contains("Verdict:"), "{table}");
    let csv = ok_with(
        &[],
        &[
            "validate",
            &path,
            "--folds",
            "3",
            "--bootstrap",
            "50",
            "-f",
            "csv",
        ],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("model,measure,group,issues,value,low,high")
    );
    assert!(
        csv.lines().any(|l| l.starts_with("compromise,mae,all,3,")),
        "{csv}"
    );
    assert!(csv
        .lines()
        .any(|l| l.starts_with("sq-pull,mae_minus_compromise,all,3,")));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let path = fixture("deu/small.tsv");
    let args = [
        "validate",
        &path,
        "--folds",
        "3",
        "--bootstrap",
        "300",
        "-f",
        "json",
    ];
    let one = ok_with(&[("RAYON_NUM_THREADS", "1")], &args);
    let two = ok_with(&[("RAYON_NUM_THREADS", "2")], &args);
    assert_eq!(one, two);
}

#[test]
fn the_outcomes_csv_of_own_cases() {
    let path = fixture("cases/outcomes.csv");
    let report = json(&[
        "validate",
        &path,
        "--folds",
        "2",
        "-m",
        "compromise,median",
        "-f",
        "json",
    ]);
    assert_eq!(report["cases"], 2);
    assert_eq!(report["issues_with_outcome"], 3);
    let mae = model(&report, "compromise")["metrics"]["mae"]["value"]
        .as_f64()
        .unwrap();
    // Errors are in points of each issue's scale mapped to 0..100 (fee runs 0..10).
    let set = statecraft_io::load_cases(std::path::Path::new(&path)).unwrap();
    let mut errors = Vec::new();
    for case in &set.cases {
        for (i, outcome) in case.outcomes.iter().enumerate() {
            let (mut num, mut den) = (0.0, 0.0);
            for (_, a, st) in case.scenario.positioned(i) {
                num += a.capability * st.salience * st.position;
                den += a.capability * st.salience;
            }
            let range = case.scenario.issues()[i].scale.range();
            errors.push((num / den - outcome.unwrap()).abs() / range * 100.0);
        }
    }
    let expected = errors.iter().sum::<f64>() / errors.len() as f64;
    assert!((mae - expected).abs() < 1e-9, "{mae} vs {expected}");
}

#[test]
fn bad_input_and_bad_options_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("deu/small.tsv")).unwrap();
    let bad = dir.path().join("bad.tsv");
    std::fs::write(
        &bad,
        text.replacen("\t100\t80\t0\t50\t", "\t100\tabc\t0\t50\t", 1),
    )
    .unwrap();
    let (code, stdout, stderr) = run(statecraft().args(["validate", bad.to_str().unwrap()]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("bad.tsv:3:"), "{stderr}");
    assert!(
        message_text(&stderr).contains("position `pep` `abc` is not a number"),
        "{stderr}"
    );

    let path = fixture("deu/small.tsv");
    let (code, _, stderr) = run(statecraft().args(["validate", &path]));
    assert_eq!(code, Some(2), "10 folds for 3 proposals: {stderr}");
    assert!(stderr.contains("folds must be from 2"), "{stderr}");
    let (code, _, stderr) =
        run(statecraft().args(["validate", &path, "--folds", "3", "-m", "oracle"]));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown model `oracle`"), "{stderr}");
}

/// The acceptance figures of issue 16 on the calibration file: the compromise model's MAE,
/// 23.05 with equal capabilities, through the same path as every other model.
#[test]
fn the_calibration_file_reproduces_the_compromise_figure() {
    let Some(dir) = shared("data/deu") else {
        return;
    };
    let path = dir.join("deu_calibration.tsv").display().to_string();
    let report = json(&[
        "validate",
        &path,
        "--capabilities",
        "equal",
        "--bootstrap",
        "200",
        "-f",
        "json",
    ]);
    assert_eq!(report["issues_with_outcome"], 223);
    let mae = |id: &str| {
        let m = model(&report, id);
        let value = m["metrics"]["mae"]["value"].as_f64().unwrap();
        (
            (value * 100.0).round() / 100.0,
            m["forecasts"].as_u64().unwrap(),
        )
    };
    assert_eq!(mae("compromise"), (23.05, 223));
    assert_eq!(mae("median"), (28.08, 223));
    assert_eq!(mae("bdm"), (31.45, 223));
    assert_eq!(mae("nash"), (24.92, 87));
    // Before actors with no salience took no part, the smp answered 190 of these issues.
    assert_eq!(mae("smp").1, 223);
    assert!((mae("compromise").0 - direct_compromise_mae(&path)).abs() < 0.005);
    for m in report["models"].as_array().unwrap() {
        if let Some(fit) = m.get("fit").filter(|f| !f.is_null()) {
            assert_eq!(fit["leak_check_passed"], true, "{}", m["model"]);
        }
    }
    let _ = workspace_dir();
}
