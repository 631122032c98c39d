//! The analysis API through the binary: every command's `--format json` equals the result of the
//! same request run by `statecraft run`; every such result validates against the checked-in
//! schema; bad requests name their field; the run store keeps the request that made a run.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::statecraft;

/// Runs the binary in `dir`; returns (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    let mut cmd = statecraft();
    cmd.current_dir(dir).args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text.to_owned());
    }
    let out = cmd.output().expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let (code, stdout, stderr) = run_in(dir, args, None);
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

/// The response of `statecraft run -` on `request`.
fn run_request(dir: &Path, request: &Value, extra: &[&str]) -> Value {
    let mut args = vec!["run", "-"];
    args.extend(extra);
    let (code, stdout, stderr) = run_in(dir, &args, Some(&request.to_string()));
    assert_eq!(code, Some(0), "{request}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// A small scenario with a date, a red line and a leadership change, as a file and as text.
const SMALL: &str = r#"
[scenario]
title = "Three parties"
date = "2020-01-01"

[[issues]]
id = "tariff"
min = 0
max = 100
status_quo = 40

[[issues]]
id = "quota"
min = 0
max = 10
status_quo = 2

[[actors]]
id = "A"
capability = 50
positions = { tariff = { position = 20, salience = 0.8 }, quota = { position = 8, salience = 0.3 } }

[[actors]]
id = "B"
capability = 30
positions = { tariff = { position = 70, salience = 0.5 }, quota = { position = 3, salience = 0.6 } }

[[actors]]
id = "C"
capability = 20
positions = { tariff = { position = 55, salience = 0.4 }, quota = { position = 6, salience = 0.5 } }
"#;

fn small_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("small.toml"), SMALL).expect("written");
    dir
}

/// Each command line with `--format json` (or its JSON output) and the request that must give
/// the same result.
fn cases() -> Vec<(Vec<&'static str>, Value)> {
    let small = json!({ "text": { "file": "small.toml", "text": SMALL } });
    let builtin = json!({ "builtin": { "name": "six-party-2009" } });
    vec![
        (
            vec!["forecast", "--format", "json"],
            json!({ "analysis": { "forecast": {} } }),
        ),
        (
            vec![
                "compare",
                "small.toml",
                "--set",
                "A.capability=60",
                "--model",
                "compromise,median",
                "--format",
                "json",
            ],
            json!({
                "scenario": small,
                "what_if": { "set": ["A.capability=60"] },
                "analysis": { "compare": { "models": ["compromise", "median"] } }
            }),
        ),
        (
            vec![
                "forecast",
                "small.toml",
                "--model",
                "compromise,bdm,smp",
                "--set",
                "A.capability=60",
                "--format",
                "json",
            ],
            json!({
                "scenario": small,
                "what_if": { "set": ["A.capability=60"] },
                "analysis": { "forecast": { "models": ["compromise", "bdm", "smp"] } }
            }),
        ),
        (
            vec![
                "forecast",
                "--model",
                "bdm",
                "--variant",
                "scholz-paper",
                "--q",
                "0.5",
                "--rounds",
                "5",
                "--format",
                "json",
            ],
            json!({ "scenario": builtin, "analysis": { "forecast": {
                "models": ["bdm"],
                "bdm": { "variant": "scholz-paper", "q": 0.5, "rounds": 5 }
            } } }),
        ),
        (
            vec!["check", "small.toml", "--format", "json"],
            json!({ "scenario": small, "analysis": "check" }),
        ),
        (
            vec![
                "show",
                "six-party-2009",
                "--drop",
                "Russia",
                "--format",
                "json",
            ],
            json!({ "what_if": { "drop": ["Russia"] }, "analysis": "show" }),
        ),
        (
            vec![
                "sweep",
                "--runs",
                "300",
                "--seed",
                "7",
                "--coalitions",
                "--format",
                "json",
            ],
            json!({ "analysis": { "sweep": { "runs": 300, "seed": 7, "coalitions": true } } }),
        ),
        (
            vec![
                "sweep",
                "small.toml",
                "--model",
                "compromise",
                "--runs",
                "200",
                "--sensitivity",
                "50",
                "--format",
                "json",
            ],
            json!({ "scenario": small, "analysis": { "sweep": {
                "models": ["compromise"], "runs": 200, "sensitivity": 50
            } } }),
        ),
        (
            vec!["coalitions", "--shape", "quadratic", "--format", "json"],
            json!({ "analysis": { "coalitions": { "shape": "quadratic" } } }),
        ),
        (
            vec![
                "durability",
                "--runs",
                "2000",
                "--form",
                "treaty",
                "--format",
                "json",
            ],
            json!({ "analysis": { "durability": { "runs": 2000, "forms": ["treaty"] } } }),
        ),
        (
            vec![
                "durability",
                "--backtest",
                "jcpoa-2015",
                "abm-1972",
                "--runs",
                "2000",
                "--format",
                "json",
            ],
            json!({ "analysis": { "backtest": {
                "cases": [{ "builtin": { "name": "jcpoa-2015" } }, { "builtin": { "name": "abm-1972" } }],
                "runs": 2000
            } } }),
        ),
        (
            vec!["power", "--rule", "qualified=0.65", "--format", "json"],
            json!({ "analysis": { "power": { "rule": "qualified=0.65" } } }),
        ),
        (
            vec![
                "power",
                "--weights",
                "4,3,2,1",
                "--quota",
                "6",
                "--format",
                "json",
            ],
            json!({ "analysis": { "power": { "weights": ["4", "3", "2", "1"], "quota": "6" } } }),
        ),
        (
            vec![
                "report",
                "small.toml",
                "--histories",
                "500",
                "--format",
                "json",
            ],
            json!({ "scenario": small, "analysis": { "report": { "histories": 500 } } }),
        ),
    ]
}

#[test]
fn every_command_gives_the_result_of_its_request() {
    let dir = small_dir();
    for (args, request) in cases() {
        let cli = ok_json(dir.path(), &args);
        let response = run_request(dir.path(), &request, &[]);
        assert_eq!(response["schema"], "statecraft-api/1", "{args:?}");
        assert_eq!(
            response["analysis"],
            request["analysis"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| request["analysis"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .clone()),
            "{args:?}"
        );
        assert_eq!(
            response["result"], cli,
            "{args:?}: the CLI and the request differ"
        );
    }
}

#[test]
fn convert_writes_the_text_of_its_request() {
    let dir = small_dir();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["convert", "small.toml", "-", "--to", "json"],
        None,
    );
    assert_eq!(code, Some(0), "{stderr}");
    let request = json!({
        "scenario": { "text": { "file": "small.toml", "text": SMALL } },
        "analysis": { "convert": { "to": "json" } }
    });
    let response = run_request(dir.path(), &request, &[]);
    assert_eq!(response["result"]["text"].as_str(), Some(stdout.as_str()));
}

/// The checked-in response schema.
fn response_schema() -> Value {
    let path = crate::support::workspace_dir().join("docs/schema/response.json");
    let text = std::fs::read_to_string(&path).expect("docs/schema/response.json");
    serde_json::from_str(&text).expect("the schema is JSON")
}

#[test]
fn every_json_result_validates_against_the_checked_in_schema() {
    let schema = response_schema();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let dir = small_dir();
    for (args, request) in cases() {
        let cli = ok_json(dir.path(), &args);
        let analysis = request["analysis"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| {
                request["analysis"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .clone()
            });
        let response = json!({
            "schema": "statecraft-api/1",
            "analysis": analysis,
            "result": cli,
            "notes": [],
            "warnings": [],
        });
        let errors: Vec<String> = validator
            .iter_errors(&response)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
    // The schema is not vacuous: a forecast without its forecasts is refused.
    let broken = json!({
        "schema": "statecraft-api/1", "analysis": "forecast",
        "result": { "scenario": null, "issues": [], "models": [] },
        "notes": [], "warnings": []
    });
    assert!(!validator.is_valid(&broken));
}

#[test]
fn bad_requests_exit_2_naming_the_field() {
    let dir = small_dir();
    let cases = [
        (
            json!({ "analysis": { "forecast": { "modles": ["all"] } } }).to_string(),
            "analysis.forecast",
            "unknown field `modles`",
        ),
        (
            json!({ "analysis": { "sweep": { "runs": "many" } } }).to_string(),
            "analysis.sweep.runs",
            "invalid type",
        ),
        (
            json!({ "analysis": { "forecast": { "bdm": { "q": 2.0 } } } }).to_string(),
            "analysis.forecast.bdm.q",
            "outside 0..=1",
        ),
        (
            json!({ "analysis": { "divine": {} } }).to_string(),
            "analysis",
            "unknown variant `divine`",
        ),
        (
            json!({ "scenario": { "builtin": { "name": "six-party-2090" } }, "analysis": "check" })
                .to_string(),
            "scenario.builtin.name",
            "six-party-2009",
        ),
        ("{ \"analysis\": ".to_owned(), "", "EOF"),
    ];
    for (request, field, words) in cases {
        let (code, stdout, stderr) = run_in(dir.path(), &["run", "-"], Some(&request));
        assert_eq!(code, Some(2), "{request}: {stderr}");
        assert!(stdout.is_empty(), "{request}: {stdout}");
        assert!(
            stderr.contains(field),
            "{request}: no field `{field}` in {stderr}"
        );
        assert!(
            stderr.contains(words),
            "{request}: no `{words}` in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_malformed_scenario_in_a_request_is_located_as_in_its_file() {
    let dir = small_dir();
    let broken = SMALL.replace("capability = 30", "capability = -30");
    std::fs::write(dir.path().join("broken.toml"), &broken).expect("written");
    let (code, _, from_file) = run_in(dir.path(), &["check", "broken.toml"], None);
    assert_eq!(code, Some(2));
    let request = json!({
        "scenario": { "text": { "file": "broken.toml", "text": broken } },
        "analysis": "check"
    });
    let (code, _, from_request) = run_in(dir.path(), &["run", "-"], Some(&request.to_string()));
    assert_eq!(code, Some(2));
    assert!(from_file.contains("broken.toml:"), "{from_file}");
    assert_eq!(from_request, from_file);
}

#[test]
fn the_store_keeps_the_request_and_it_runs_again() {
    let dir = small_dir();
    let store = dir.path().join("runs.sqlite");
    let store = store.to_str().unwrap();
    let first = ok_json(
        dir.path(),
        &[
            "coalitions",
            "small.toml",
            "--store",
            store,
            "--format",
            "json",
        ],
    );
    let (code, request, stderr) = run_in(
        dir.path(),
        &["runs", "show", "1", "--request", "--store", store],
        None,
    );
    assert_eq!(code, Some(0), "{stderr}");
    let parsed: Value = serde_json::from_str(&request).expect("the request is JSON");
    assert_eq!(parsed["analysis"]["coalitions"]["shape"], "linear");
    assert_eq!(parsed["scenario"]["text"]["text"], SMALL);
    let again = run_request(dir.path(), &parsed, &[]);
    assert_eq!(again["result"], first);
    // A sweep records its request before it draws.
    ok_json(
        dir.path(),
        &[
            "sweep",
            "small.toml",
            "--runs",
            "50",
            "--store",
            store,
            "--format",
            "json",
        ],
    );
    let (code, request, _) = run_in(
        dir.path(),
        &["runs", "show", "2", "--request", "--store", store],
        None,
    );
    assert_eq!(code, Some(0));
    let parsed: Value = serde_json::from_str(&request).expect("JSON");
    assert_eq!(parsed["analysis"]["sweep"]["runs"], 50);
}

#[test]
fn validate_gives_the_result_of_its_request() {
    let dir = small_dir();
    let data =
        crate::support::workspace_dir().join("crates/statecraft-io/tests/fixtures/deu/small.tsv");
    let data = data.to_str().unwrap();
    let cli = ok_json(
        dir.path(),
        &[
            "validate",
            data,
            "--folds",
            "3",
            "--bootstrap",
            "200",
            "--format",
            "json",
        ],
    );
    let request =
        json!({ "analysis": { "validate": { "data": data, "folds": 3, "bootstrap": 200 } } });
    let response = run_request(dir.path(), &request, &[]);
    assert_eq!(response["analysis"], "validate");
    assert_eq!(response["result"], cli);
    let validator = jsonschema::validator_for(&response_schema()).expect("a valid schema");
    assert!(
        validator.is_valid(&response),
        "{:?}",
        validator
            .iter_errors(&response)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
}

/// `fit` writes what its request returns; `validate --params` and `forecast --params` give the
/// results of their requests carrying the file's text; the written file is refused as an
/// output without --force.
#[test]
fn fit_and_params_give_the_results_of_their_requests() {
    let dir = small_dir();
    let data =
        crate::support::workspace_dir().join("crates/statecraft-io/tests/fixtures/deu/small.tsv");
    let data = data.to_str().unwrap();
    let cli = ok_json(
        dir.path(),
        &[
            "fit",
            data,
            "-o",
            "p.toml",
            "--capabilities",
            "equal",
            "-f",
            "json",
        ],
    );
    let request = json!({ "analysis": { "fit": { "data": data, "capabilities": "equal" } } });
    let response = run_request(dir.path(), &request, &[]);
    assert_eq!(response["analysis"], "fit");
    assert_eq!(response["result"], cli);
    let text = std::fs::read_to_string(dir.path().join("p.toml")).expect("the file is written");
    let written = statecraft_io::parse_params("p.toml", text.clone()).expect("it reads back");
    assert_eq!(serde_json::to_value(&written).unwrap(), cli);
    let (code, _, stderr) = run_in(dir.path(), &["fit", data, "-o", "p.toml"], None);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");

    let params = json!({ "file": "p.toml", "text": text });
    let cli = ok_json(
        dir.path(),
        &[
            "validate",
            data,
            "--params",
            "p.toml",
            "--folds",
            "3",
            "--bootstrap",
            "50",
            "-f",
            "json",
        ],
    );
    let request = json!({ "analysis": { "validate": {
        "data": data, "folds": 3, "bootstrap": 50, "params": params } } });
    assert_eq!(run_request(dir.path(), &request, &[])["result"], cli);
    let given: Vec<&Value> = cli["models"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["fit"]["given"] == true)
        .collect();
    assert_eq!(given.len(), written.forecasters.len());
    for (m, f) in given.iter().zip(&written.forecasters) {
        assert_eq!(m["model"], f.id.as_str());
        assert_eq!(m["fit"]["per_fold"].as_array().unwrap().len(), 1);
    }

    let cli = ok_json(
        dir.path(),
        &[
            "forecast",
            "small.toml",
            "-m",
            "compromise,median",
            "--params",
            "p.toml",
            "-f",
            "json",
        ],
    );
    let scenario = std::fs::read_to_string(dir.path().join("small.toml")).unwrap();
    let request = json!({
        "scenario": { "text": { "file": "small.toml", "text": scenario } },
        "analysis": { "forecast": { "models": ["compromise", "median"], "params": params } } });
    assert_eq!(run_request(dir.path(), &request, &[])["result"], cli);
    // The generic forecasters (no `com` or `ep` here: not institutions), each inside its interval.
    let intervals = cli["intervals_80"].as_array().expect("intervals");
    let ids: Vec<&str> = intervals
        .iter()
        .map(|f| f["model"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["sq-pull", "salience-power", "ensemble"]);
    for (f, fitted) in intervals.iter().zip(&written.forecasters) {
        // `tariff` is on 0..100, so points are its own units.
        let issue = &f["issues"][0];
        assert_eq!(issue["issue"], "tariff");
        let v = issue["value"].as_f64().unwrap();
        let lo = (v + fitted.residual_q10).clamp(0.0, 100.0);
        let hi = (v + fitted.residual_q90).clamp(0.0, 100.0);
        assert!(
            (issue["low"].as_f64().unwrap() - lo).abs() < 1e-9,
            "{issue}"
        );
        assert!(
            (issue["high"].as_f64().unwrap() - hi).abs() < 1e-9,
            "{issue}"
        );
    }

    // The same forecasters in a report (the same values as `forecast`) and on every draw of a
    // sweep (one spread each), through the CLI and through the request alike.
    let report = ok_json(
        dir.path(),
        &["report", "small.toml", "--params", "p.toml", "-f", "json"],
    );
    for f in intervals {
        let id = f["model"].as_str().unwrap();
        let shown = report["forecasts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["model"] == id)
            .unwrap_or_else(|| panic!("the report has no `{id}`"));
        assert_eq!(shown["issues"][0]["value"], f["issues"][0]["value"], "{id}");
    }
    let args = [
        "sweep",
        "small.toml",
        "--runs",
        "40",
        "--params",
        "p.toml",
        "-f",
        "json",
    ];
    let cli = ok_json(dir.path(), &args);
    let ids: Vec<&str> = cli["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "compromise",
            "median",
            "nash",
            "sq-pull",
            "salience-power",
            "ensemble"
        ]
    );
    for m in cli["models"].as_array().unwrap().iter().skip(3) {
        assert_eq!(m["issues"][0]["runs_with_value"], 40, "{m}");
    }
    let request = json!({
        "scenario": { "text": { "file": "small.toml", "text": scenario } },
        "analysis": { "sweep": { "runs": 40, "params": params } } });
    assert_eq!(run_request(dir.path(), &request, &[])["result"], cli);
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "sweep", "--store", "s.db", "--resume", "1", "--params", "p.toml",
        ],
        None,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--params") && stderr.contains("--resume"),
        "{stderr}"
    );

    // A broken parameter file is located and exits 2.
    let broken = text.replace("pull = ", "pul = ");
    std::fs::write(dir.path().join("bad.toml"), &broken).unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &["validate", data, "--params", "bad.toml", "--folds", "3"],
        None,
    );
    let line = broken.lines().position(|l| l.starts_with("pul =")).unwrap() + 1;
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("bad.toml:{line}:")), "{stderr}");
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "sweep",
            "small.toml",
            "--runs",
            "10",
            "--params",
            "bad.toml",
        ],
        None,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("bad.toml:{line}:")), "{stderr}");
}
