//! Uncertain inputs in scenario files: every kind of distribution survives `convert` between TOML
//! and JSON, and forecasts use the central value (the mean, the midpoint or the mode).

use std::path::Path;

use serde_json::{json, Value};

use crate::support::{run, statecraft};

/// Every kind of distribution on every kind of value, a plain number beside each, an issue whose
/// scale goes below 0, and a scenario-wide uncertainty for the rest.
const SCENARIO: &str = r#"[scenario]
title = "Distributions"
uncertainty = 0.05

[[issues]]
id = "format"
min = 0
max = 100

[[issues]]
id = "money"
min = -10
max = 10

[[actors]]
id = "A"
capability = { mean = 60, sd = 6 }
positions = { format = { position = { min = 5, max = 15 }, salience = 0.5 }, money = { position = -3.5, salience = { min = 0.2, mode = 0.3, max = 0.9 } } }

[[actors]]
id = "B"
capability = { min = 30, mode = 40, max = 70 }
positions = { format = { position = { mean = 90, sd = 2.5 }, salience = { mean = 0.8, sd = 0 } }, money = { position = { min = -10, mode = 10, max = 10 }, salience = 1 } }
"#;

fn statecraft_in(dir: &Path, args: &[&str]) -> String {
    let mut cmd = statecraft();
    cmd.current_dir(dir).args(args);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "statecraft {args:?}; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("original.toml"), SCENARIO).unwrap();
    dir
}

#[test]
fn toml_json_toml_keeps_every_distribution() {
    let dir = setup();
    let d = dir.path();
    statecraft_in(d, &["convert", "original.toml", "first.toml"]);
    statecraft_in(d, &["convert", "first.toml", "middle.json"]);
    statecraft_in(d, &["convert", "middle.json", "second.toml"]);
    assert_eq!(read(d, "first.toml"), read(d, "second.toml"));
    // Straight from the original to JSON gives the same JSON.
    statecraft_in(d, &["convert", "original.toml", "direct.json"]);
    assert_eq!(read(d, "middle.json"), read(d, "direct.json"));

    // The JSON holds the distributions themselves, not their central values.
    let out: Value = serde_json::from_str(&read(d, "middle.json")).unwrap();
    assert_eq!(out["scenario"]["uncertainty"], json!(0.05));
    let a = &out["actors"][0];
    let b = &out["actors"][1];
    assert_eq!(a["capability"], json!({ "mean": 60.0, "sd": 6.0 }));
    assert_eq!(
        a["positions"]["format"],
        json!({ "position": { "min": 5.0, "max": 15.0 }, "salience": 0.5 })
    );
    assert_eq!(
        a["positions"]["money"],
        json!({ "position": -3.5, "salience": { "min": 0.2, "mode": 0.3, "max": 0.9 } })
    );
    assert_eq!(
        b["capability"],
        json!({ "min": 30.0, "mode": 40.0, "max": 70.0 })
    );
    assert_eq!(
        b["positions"]["format"],
        json!({ "position": { "mean": 90.0, "sd": 2.5 }, "salience": { "mean": 0.8, "sd": 0.0 } })
    );
    assert_eq!(
        b["positions"]["money"],
        json!({ "position": { "min": -10.0, "mode": 10.0, "max": 10.0 }, "salience": 1.0 })
    );

    // The TOML written keeps them as tables (the order of keys may change), whole numbers as
    // integers.
    let first = read(d, "first.toml");
    for text in [
        "mean = 60",
        "sd = 6",
        "position = { min = 5, max = 15 }",
        "salience = { min = 0.2, mode = 0.3, max = 0.9 }",
        "mode = 40",
        "position = { mean = 90, sd = 2.5 }",
        "salience = { mean = 0.8, sd = 0 }",
        "position = { min = -10, mode = 10, max = 10 }",
        "uncertainty = 0.05",
    ] {
        assert!(first.contains(text), "no {text:?} in\n{first}");
    }
}

#[test]
fn every_copy_sweeps_and_forecasts_alike() {
    let dir = setup();
    let d = dir.path();
    statecraft_in(d, &["convert", "original.toml", "copy.json"]);
    statecraft_in(d, &["convert", "copy.json", "copy.toml"]);
    // A sweep draws from the distributions: a lost or changed one would change the draws.
    let sweep = |file: &str| {
        statecraft_in(
            d,
            &[
                "sweep",
                file,
                "--runs",
                "200",
                "--sensitivity",
                "20",
                "--format",
                "json",
            ],
        )
    };
    let original = sweep("original.toml");
    assert_eq!(original, sweep("copy.json"));
    assert_eq!(original, sweep("copy.toml"));
    let forecast = |file: &str| statecraft_in(d, &["forecast", file, "--format", "json"]);
    assert_eq!(forecast("original.toml"), forecast("copy.json"));
    assert_eq!(forecast("original.toml"), forecast("copy.toml"));
}

#[test]
fn forecasts_use_the_central_values() {
    let dir = setup();
    let out: Value = serde_json::from_str(&statecraft_in(
        dir.path(),
        &[
            "forecast",
            "original.toml",
            "--model",
            "compromise",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    // Central values: A capability 60 (mean), format position 10 (midpoint), money salience 0.3
    // (mode); B capability 40 (mode), format position 90 and salience 0.8 (means), money
    // position 10 (mode).
    let format = (60.0 * 0.5 * 10.0 + 40.0 * 0.8 * 90.0) / (60.0 * 0.5 + 40.0 * 0.8);
    let money = (60.0 * 0.3 * -3.5 + 40.0 * 1.0 * 10.0) / (60.0 * 0.3 + 40.0 * 1.0);
    let issues = out["forecasts"][0]["issues"].as_array().unwrap();
    let value = |i: usize| issues[i]["value"].as_f64().unwrap();
    assert!((value(0) - format).abs() < 1e-9, "{} vs {format}", value(0));
    assert!((value(1) - money).abs() < 1e-9, "{} vs {money}", value(1));
}
