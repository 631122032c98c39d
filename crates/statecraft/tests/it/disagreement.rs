//! Models that disagree: `forecast` must say so when the models, or the expected-utility
//! model's variants, lie more than a quarter of the scale apart, name what each assumes, and
//! point to `--explain`; and say nothing when they agree.

use serde_json::Value;

use crate::support::{ok_with, statecraft, workspace_dir};

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok_with(&[], args)).expect("JSON")
}

fn values(d: &Value) -> Vec<(String, f64)> {
    d["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| {
            (
                v["model"].as_str().unwrap().to_owned(),
                v["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn civilian_nuclear_energy_names_bdm_apart_and_its_three_variants() {
    // The issue's case: on civilian nuclear energy bdm gives 88.41 while every other model gives
    // 28 to 48, and the three variants give 88.41, 40 and 95.
    let out = json(&["forecast", "--format", "json"]);
    let all = out["disagreements"].as_array().expect("disagreements");
    let find = |issue: &str, between: &str| {
        all.iter()
            .find(|d| d["issue"] == issue && d["between"] == between)
            .unwrap_or_else(|| panic!("no {between} disagreement on {issue}: {all:#?}"))
    };
    let models = find("civilian_nuclear", "models");
    assert_eq!(models["apart"], serde_json::json!(["bdm"]));
    let got = values(models);
    let bdm = got.iter().find(|(m, _)| m == "bdm").expect("bdm").1;
    assert!((bdm - 88.41).abs() < 0.01, "{got:?}");
    for (m, v) in got.iter().filter(|(m, _)| m != "bdm") {
        assert!((28.0..=49.0).contains(v), "{m} {v}");
    }
    assert!(models["share"].as_f64().unwrap() > 0.25);
    // The assumptions are the models' own words, and the note names them and --explain.
    let note = models["note"].as_str().unwrap();
    for v in models["values"].as_array().unwrap() {
        let assumption = v["assumption"].as_str().unwrap();
        assert!(!assumption.is_empty());
        assert!(note.contains(assumption), "{note}\nlacks {assumption}");
    }
    assert!(note.contains("--explain"), "{note}");

    let variants = find("civilian_nuclear", "bdm_variants");
    let mut got: Vec<f64> = values(variants).iter().map(|v| v.1).collect();
    got.sort_by(f64::total_cmp);
    let want = [40.0, 88.41, 95.0];
    assert!(
        got.iter().zip(want).all(|(g, w)| (g - w).abs() < 0.01),
        "{got:?}"
    );
    assert_eq!(variants["apart"], serde_json::json!(["scholz-paper"]));
    let note = variants["note"].as_str().unwrap();
    assert!(
        note.contains("q = 1") && note.contains("--variant scholz-paper --explain"),
        "{note}"
    );

    // The table says it under the forecast.
    let table = ok_with(&[], &["forecast"]);
    let under = table
        .split("Where the forecasts disagree by more than 25% of the scale:")
        .nth(1)
        .unwrap_or_else(|| panic!("no disagreement note:\n{table}"));
    assert!(under.contains("bdm gives 88.41 while"), "{under}");
    assert!(under.lines().all(|l| l.chars().count() <= 100), "{under}");
}

#[test]
fn models_that_agree_get_no_note() {
    // Two actors close together on a wide scale: every model lands between 45 and 55.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("close.toml");
    std::fs::write(
        &path,
        r#"[scenario]
title = "Close"

[[issues]]
id = "x"
min = 0
max = 100
status_quo = 0

[[actors]]
id = "A"
capability = 10
positions = { x = { position = 45, salience = 0.5 } }

[[actors]]
id = "B"
capability = 10
positions = { x = { position = 55, salience = 0.5 } }
"#,
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let out = json(&["forecast", file, "--format", "json"]);
    assert_eq!(out["disagreements"], serde_json::json!([]), "{out:#}");
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir()).args(["forecast", file]);
    let table = String::from_utf8(cmd.output().unwrap().stdout).unwrap();
    assert!(!table.contains("disagree"), "{table}");
}
