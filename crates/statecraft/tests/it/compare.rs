//! `statecraft compare`: two scenario files, a scenario and its what-if, and two stored runs.
//! The inputs listed are exactly the values that differ, by path, and every forecast that moved
//! is listed with the numbers `forecast` itself prints for each side (or the run store holds),
//! biggest change first; bad input exits 2 with a message.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::support::{ok_with, run, statecraft};

/// Three actors on two issues; `B` below changes one capability and one position.
const A: &str = r#"[scenario]
title = "Compare A"

[[issues]]
id = "format"
min = 0
max = 100
status_quo = 50

[[issues]]
id = "money"
min = 0
max = 10
status_quo = 5

[[actors]]
id = "X"
capability = 40
positions = { format = { position = 10, salience = 0.5 }, money = { position = 2, salience = 0.5 } }

[[actors]]
id = "Y"
capability = 60
positions = { format = { position = 70, salience = 0.5 }, money = { position = 8, salience = 0.5 } }

[[actors]]
id = "Z"
capability = 20
positions = { format = { position = 40, salience = 1 }, money = { position = 5, salience = 0.2 } }
"#;

const MODELS: &str = "compromise,median";

fn b_text() -> String {
    A.replace("title = \"Compare A\"", "title = \"Compare B\"")
        .replace("capability = 60", "capability = 90")
        .replace("position = 40, salience = 1", "position = 30, salience = 1")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok_with(&[], args)).expect("JSON on stdout")
}

/// (model, issue) -> value of `forecast ARGS --format json`.
fn forecast(args: &[&str]) -> HashMap<(String, String), f64> {
    let mut all = vec!["forecast", "--model", MODELS, "--format", "json"];
    all.extend_from_slice(args);
    forecast_values(&json(&all)["forecasts"])
}

fn forecast_values(forecasts: &Value) -> HashMap<(String, String), f64> {
    let mut out = HashMap::new();
    for f in forecasts.as_array().unwrap() {
        for i in f["issues"].as_array().unwrap() {
            if let Some(v) = i["value"].as_f64() {
                out.insert(
                    (
                        f["model"].as_str().unwrap().to_owned(),
                        i["issue"].as_str().unwrap().to_owned(),
                    ),
                    v,
                );
            }
        }
    }
    out
}

/// The comparison's input paths, sorted.
fn paths(result: &Value) -> Vec<String> {
    let mut out: Vec<String> = result["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// Checks that the forecast moves are exactly the differences of `before` and `after`, and that
/// every move is sorted by its share, biggest first.
fn check_moves(
    result: &Value,
    before: &HashMap<(String, String), f64>,
    after: &HashMap<(String, String), f64>,
) {
    let moves = result["moves"].as_array().unwrap();
    let shares: Vec<f64> = moves.iter().map(|m| m["share"].as_f64().unwrap()).collect();
    assert!(
        shares.windows(2).all(|w| w[0] >= w[1]),
        "not biggest first: {shares:?}"
    );
    let listed: HashMap<(String, String), (f64, f64)> = moves
        .iter()
        .filter(|m| m["analysis"] == "forecast")
        .map(|m| {
            (
                (
                    m["model"].as_str().unwrap().to_owned(),
                    m["issue"].as_str().unwrap().to_owned(),
                ),
                (m["a"].as_f64().unwrap(), m["b"].as_f64().unwrap()),
            )
        })
        .collect();
    let mut moved = 0;
    for (key, a) in before {
        let b = after[key];
        if a == &b {
            assert!(
                !listed.contains_key(key),
                "{key:?} did not move but is listed"
            );
        } else {
            moved += 1;
            assert_eq!(listed.get(key), Some(&(*a, b)), "{key:?}");
        }
    }
    assert!(moved > 0, "the change moves some forecast");
    assert_eq!(listed.len(), moved);
}

#[test]
fn two_scenario_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", A);
    let b = write(dir.path(), "b.toml", &b_text());
    let result = json(&["compare", &a, &b, "--model", MODELS, "--format", "json"]);
    assert_eq!(
        paths(&result),
        ["Y.capability", "Z.format.position"],
        "{result:#}"
    );
    let capability = result["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "Y.capability")
        .unwrap();
    assert_eq!(
        (capability["a"].as_str(), capability["b"].as_str()),
        (Some("60"), Some("90"))
    );
    check_moves(&result, &forecast(&[&a]), &forecast(&[&b]));

    assert_eq!(result["a"], "Compare A");
    assert_eq!(result["b"], "Compare B");

    let table = ok_with(&[], &["compare", &a, &b, "--model", MODELS]);
    assert!(table.contains("Inputs that differ (2)"), "{table}");
    assert!(table.contains("Y.capability"), "{table}");
    assert!(table.contains("How the analyses moved"), "{table}");

    let csv = ok_with(
        &[],
        &["compare", &a, &b, "--model", MODELS, "--format", "csv"],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("row,path,analysis,model,issue,a,b,change,size")
    );
    let rows: Vec<&str> = lines.collect();
    let inputs = rows.iter().filter(|r| r.starts_with("input,")).count();
    let moves = rows.iter().filter(|r| r.starts_with("move,")).count();
    assert_eq!(inputs, 2, "{csv}");
    assert_eq!(moves, result["moves"].as_array().unwrap().len(), "{csv}");
}

#[test]
fn a_scenario_and_its_what_if() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", A);
    let set = ["--set", "X.money.position=9"];
    let mut args = vec!["compare", a.as_str(), "--model", MODELS, "--format", "json"];
    args.extend_from_slice(&set);
    let result = json(&args);
    assert_eq!(paths(&result), ["X.money.position"], "{result:#}");
    assert!(
        result["b"].as_str().unwrap().contains("X.money.position"),
        "B names its what-if: {result:#}"
    );
    let mut changed = vec![a.as_str()];
    changed.extend_from_slice(&set);
    let after = forecast(&changed);
    check_moves(&result, &forecast(&[&a]), &after);
    // Only the money issue's forecasts can move.
    for m in result["moves"].as_array().unwrap() {
        if m["analysis"] == "forecast" {
            assert_eq!(m["issue"], "money", "{m}");
        }
    }
}

fn store_of(dir: &Path) -> String {
    dir.join("runs.sqlite").to_str().unwrap().to_owned()
}

#[test]
fn two_stored_runs() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", A);
    let store = store_of(dir.path());
    let first = json(&[
        "forecast", &a, "--model", MODELS, "--format", "json", "--store", &store,
    ]);
    let second = json(&[
        "forecast",
        &a,
        "--model",
        MODELS,
        "--format",
        "json",
        "--store",
        &store,
        "--set",
        "Y.capability=10",
    ]);
    let result = json(&["compare", "--store", &store, "1", "2", "--format", "json"]);
    let input_paths = paths(&result);
    assert!(
        input_paths.iter().any(|p| p == "Y.capability"),
        "{result:#}"
    );
    // The stored runs' parameters differ by the what-if they recorded.
    assert!(
        input_paths.iter().any(|p| p.starts_with("params.")),
        "{result:#}"
    );
    check_moves(
        &result,
        &forecast_values(&first["forecasts"]),
        &forecast_values(&second["forecasts"]),
    );
    assert!(
        result["a"].as_str().unwrap().starts_with("run 1"),
        "{result:#}"
    );

    // Runs of different kinds do not compare.
    ok_with(
        &[],
        &["coalitions", &a, "--format", "json", "--store", &store],
    );
    let mut cmd = statecraft();
    cmd.args(["compare", "--store", &store, "1", "3"]);
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("forecast run and run 3 a coalitions run"),
        "{stderr}"
    );

    // Two sweeps (runs 4 and 5) that differ by their seed: the seed is the input that differs,
    // and every spread's mean that moved is listed with the stored means.
    for seed in ["1", "2"] {
        ok_with(
            &[],
            &[
                "sweep",
                &a,
                "--model",
                "compromise",
                "--runs",
                "64",
                "--seed",
                seed,
                "--store",
                &store,
                "--format",
                "json",
            ],
        );
    }
    let result = json(&["compare", "--store", &store, "4", "5", "--format", "json"]);
    let inputs: Vec<(&str, &str, &str)> = result["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap(),
                d["a"].as_str().unwrap(),
                d["b"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(inputs, [("params.seed", "1", "2")], "{result:#}");
    let means = |id: &str| -> HashMap<String, f64> {
        let stored = json(&["runs", "export", id, "--store", &store]);
        stored["models"][0]["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["issue"].as_str().unwrap().to_owned(),
                    s["mean"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let (before, after) = (means("4"), means("5"));
    let moves = result["moves"].as_array().unwrap();
    assert!(!moves.is_empty(), "another seed moves some mean");
    for m in moves {
        assert_eq!(m["analysis"], "sweep.mean", "{m}");
        let issue = m["issue"].as_str().unwrap();
        assert_eq!(m["a"].as_f64(), Some(before[issue]), "{m}");
        assert_eq!(m["b"].as_f64(), Some(after[issue]), "{m}");
    }
}

/// `compare ARGS` exits 2 and says `expected` on stderr.
fn refused(args: &[&str], expected: &str) {
    let mut cmd = statecraft();
    cmd.args(args);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
}

#[test]
fn bad_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", A);
    let store = store_of(dir.path());
    let missing = dir.path().join("missing.toml");
    let missing = missing.to_str().unwrap();
    refused(&["compare", &a, missing], "missing.toml");
    refused(&["compare", missing, &a], "missing.toml");
    refused(
        &["compare", &a],
        "compare needs a second scenario or a what-if",
    );
    refused(&["compare", "--store", &store, "1", "2"], "no run store");
    ok_with(
        &[],
        &["forecast", &a, "--format", "json", "--store", &store],
    );
    refused(&["compare", "--store", &store, "1", "7"], "no run 7");
    refused(
        &["compare", "--store", &store, "1", "two"],
        "`two` is not a run id",
    );
    refused(&["compare", "--store", &store, "1"], "needs two run ids");
}

#[test]
fn without_models_the_four_default_forecasts_are_compared() {
    // No `--model`: compromise, median, nash and bdm on both sides (once none were).
    let result = json(&[
        "compare",
        "six-party-2009",
        "--set",
        "US.capability=50",
        "--format",
        "json",
    ]);
    let mut models: Vec<&str> = result["moves"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["analysis"] == "forecast")
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    models.sort_unstable();
    models.dedup();
    // Halving the US's capability moves the compromise and the others on some issue.
    assert!(models.contains(&"compromise"), "{result:#}");
    // Six issues x four models, and the two packages of the coalitions.
    assert_eq!(result["compared"], 6 * 4 + 6 * 2, "{result:#}");
}
