//! `statecraft sweep`: Monte Carlo over a scenario's uncertain inputs. The spreads must hang
//! together (sorted quantiles on the scale, histograms that count every run with a value), the
//! same seed must give the same bytes on any number of threads, and Sobol indices must find the
//! one input that decides a forecast.

use std::path::Path;

use serde_json::Value;

use crate::support::{csv_rows, ok_with, run, statecraft, workspace_dir};

/// The issues of the built-in six-party-2009 scenario, in file order.
const SIX_PARTY_ISSUES: [&str; 6] = [
    "nuclear_status",
    "security_assurance",
    "agreement_form",
    "civilian_nuclear",
    "talks_format",
    "sanctions",
];
const SIX_PARTY_ACTORS: [&str; 6] = ["US", "DPRK", "ROK", "Japan", "China", "Russia"];

/// Three actors on one issue. Only Mid's position is uncertain (uniform on 40..60); the others'
/// capabilities and saliences are uncertain too, but never enough to move the weighted median
/// away from Mid: Left's and Right's weights stay below 11.5 while Mid's is 10, so neither side
/// alone reaches half of the total.
const ONE_DECIDES: &str = r#"[scenario]
title = "One uncertain position"

[[issues]]
id = "format"
min = 0
max = 100

[[actors]]
id = "Left"
capability = { min = 9, max = 11 }
positions = { format = { position = 20, salience = { min = 0.8, max = 1 } } }

[[actors]]
id = "Mid"
capability = 10
positions = { format = { position = { min = 40, max = 60 }, salience = 1 } }

[[actors]]
id = "Right"
capability = { mean = 10, sd = 0.5 }
positions = { format = { position = 80, salience = { min = 0.8, mode = 0.9, max = 1 } } }
"#;

/// A scenario with no uncertainty at all: no distribution and no `uncertainty`.
const CERTAIN: &str = r#"[scenario]
title = "Certain"

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
capability = 30
positions = { format = { position = 10, salience = 0.5 }, money = { position = -3, salience = 0.7 } }

[[actors]]
id = "B"
capability = 70
positions = { format = { position = 90, salience = 0.3 }, money = { position = 7.3, salience = 0.9 } }

[[actors]]
id = "C"
capability = 11
positions = { format = { position = 33.3, salience = 0.9 } }
"#;

/// Runs `statecraft ARGS` in `dir` with extra environment; returns (exit code, stdout, stderr).
fn sweep_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = statecraft();
    cmd.current_dir(dir).arg("sweep").args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    run(&mut cmd)
}

/// `statecraft sweep ARGS` in `dir`, which must succeed without a panic; returns (stdout, stderr).
fn ok_in(dir: &Path, args: &[&str]) -> (String, String) {
    let (code, stdout, stderr) = sweep_in(dir, &[], args);
    assert_eq!(code, Some(0), "sweep {args:?} failed; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// `statecraft sweep ARGS --format json` in the workspace root.
fn json(args: &[&str]) -> Value {
    let mut all = vec!["sweep"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    parse(&ok_with(&[], &all))
}

/// A temporary directory holding `text` as `scenario.toml`.
fn scenario_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("scenario.toml"), text).expect("write the scenario");
    dir
}

fn num(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn count(value: &Value) -> usize {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}")) as usize
}

/// The spread of `model` on `issue` in a sweep's JSON.
fn spread<'a>(out: &'a Value, model: &str, issue: &str) -> &'a Value {
    out["models"]
        .as_array()
        .expect("models")
        .iter()
        .find(|m| m["model"] == model)
        .unwrap_or_else(|| panic!("no model {model} in {out}"))["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .find(|s| s["issue"] == issue)
        .unwrap_or_else(|| panic!("no issue {issue} for {model}"))
}

/// Every rule a spread must obey, for an issue on `min..=max` in a sweep of `runs` runs.
fn check_spread(s: &Value, runs: usize, (min, max): (f64, f64)) -> Vec<String> {
    let mut wrong = Vec::new();
    let name = format!("{}", s["issue"]);
    let with_value = count(&s["runs_with_value"]);
    if with_value > runs {
        wrong.push(format!(
            "{name}: runs_with_value {with_value} > runs {runs}"
        ));
    }
    let histogram: Vec<usize> = s["histogram"]
        .as_array()
        .expect("histogram")
        .iter()
        .map(count)
        .collect();
    if histogram.len() != 10 {
        wrong.push(format!("{name}: {} bins, expected 10", histogram.len()));
    }
    if histogram.iter().sum::<usize>() != with_value {
        wrong.push(format!(
            "{name}: histogram {histogram:?} sums to {}, runs_with_value is {with_value}",
            histogram.iter().sum::<usize>()
        ));
    }
    if with_value == 0 {
        for key in ["mean", "sd", "quantiles"] {
            if !s[key].is_null() {
                wrong.push(format!(
                    "{name}: no run has a value but {key} is {}",
                    s[key]
                ));
            }
        }
        return wrong;
    }
    if with_value < 30 {
        // Too few values for a distribution (MIN_DRAWS): the mean alone.
        for key in ["sd", "quantiles"] {
            if !s[key].is_null() {
                wrong.push(format!(
                    "{name}: {with_value} values but {key} is {}",
                    s[key]
                ));
            }
        }
        if s["too_few"] != true {
            wrong.push(format!(
                "{name}: {with_value} values but too_few is not true"
            ));
        }
        return wrong;
    }
    let q: Vec<f64> = s["quantiles"]
        .as_array()
        .expect("quantiles")
        .iter()
        .map(num)
        .collect();
    if q.len() != 5 {
        wrong.push(format!("{name}: {} quantiles, expected 5", q.len()));
    }
    if q.windows(2).any(|w| w[0] > w[1]) {
        wrong.push(format!("{name}: quantiles not sorted: {q:?}"));
    }
    if q.iter().any(|v| !(min..=max).contains(v)) {
        wrong.push(format!(
            "{name}: quantiles {q:?} leave the scale {min}..{max}"
        ));
    }
    let (mean, sd) = (num(&s["mean"]), num(&s["sd"]));
    if !(min..=max).contains(&mean) {
        wrong.push(format!("{name}: mean {mean} leaves the scale"));
    }
    if !(sd >= 0.0 && sd <= (max - min) / 2.0) {
        wrong.push(format!("{name}: sd {sd} is impossible on {min}..{max}"));
    }
    // The lowest value is at most the 5% quantile and the highest at least the 95% one, so the
    // histogram's first and last filled bins cannot lie beyond those quantiles' bins.
    let bin = |v: f64| (((v - min) / (max - min) * 10.0).floor() as usize).min(9);
    let first = histogram.iter().position(|&c| c > 0).unwrap_or(0);
    let last = histogram.iter().rposition(|&c| c > 0).unwrap_or(9);
    if first > bin(q[0]) || last < bin(q[4]) {
        wrong.push(format!(
            "{name}: histogram {histogram:?} does not cover the quantiles {q:?}"
        ));
    }
    wrong
}

#[test]
fn default_sweep_names_every_issue_and_model() {
    let mut cmd = statecraft();
    // Wide enough that no issue's label wraps inside its cell (layout.rs checks 100 columns).
    cmd.current_dir(workspace_dir())
        .env("COLUMNS", "300")
        .arg("sweep");
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    // The built-in scenario states its uncertainty, so there is nothing to note.
    assert!(stderr.is_empty(), "stderr:\n{stderr}");
    assert!(
        stdout.starts_with("Six-Party Talks on North Korea (May 2009)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1000 draws of 78 uncertain inputs (seed 1)"),
        "{stdout}"
    );
    // Tables show labels: the models' and the issues'.
    for model in ["compromise", "median", "nash"] {
        let heading = format!("\n{}:\n", out_label(model));
        assert!(stdout.contains(&heading), "no {heading} in\n{stdout}");
    }
    let labels = issue_labels();
    for issue in SIX_PARTY_ISSUES {
        // Once per model table.
        assert_eq!(
            stdout.matches(&format!("│ {} ", labels[issue])).count(),
            3,
            "{issue} in\n{stdout}"
        );
    }
    assert!(!stdout.contains("What moves"), "{stdout}");
}

#[test]
fn json_spreads_are_consistent() {
    let runs = 400;
    let out = json(&["--model", "all", "--runs", "400", "--sensitivity", "60"]);
    assert_eq!(out["scenario"], "Six-Party Talks on North Korea (May 2009)");
    assert_eq!(num(&out["uncertainty"]), 0.1);
    assert_eq!(count(&out["runs"]), runs);
    assert_eq!(count(&out["seed"]), 1);

    // Inputs: every capability, position and salience of the six parties, labelled.
    let inputs: Vec<&str> = out["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|v| v.as_str().expect("a label"))
        .collect();
    let mut expected = Vec::new();
    for actor in SIX_PARTY_ACTORS {
        expected.push(format!("{actor}.capability"));
        for issue in SIX_PARTY_ISSUES {
            expected.push(format!("{actor}.{issue}.position"));
            expected.push(format!("{actor}.{issue}.salience"));
        }
    }
    assert_eq!(inputs, expected);

    let models: Vec<&str> = out["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["compromise", "median", "nash", "bdm"]);
    let mut wrong = Vec::new();
    for model in &models {
        let issues = out["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["model"] == *model)
            .unwrap()["issues"]
            .as_array()
            .unwrap();
        let ids: Vec<&str> = issues
            .iter()
            .map(|s| s["issue"].as_str().unwrap())
            .collect();
        assert_eq!(ids, SIX_PARTY_ISSUES, "issues of {model}");
        for s in issues.iter() {
            wrong.extend(
                check_spread(s, runs, (0.0, 100.0))
                    .into_iter()
                    .map(|w| format!("{model}: {w}")),
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The compromise is a weighted mean of positions: it always has a value, and it varies.
    for issue in SIX_PARTY_ISSUES {
        let s = spread(&out, "compromise", issue);
        assert_eq!(count(&s["runs_with_value"]), runs, "compromise on {issue}");
        assert!(num(&s["sd"]) > 0.0, "compromise on {issue} does not vary");
    }

    // Sensitivity: of the first model, every input once per issue, largest total first.
    let sensitivity = &out["sensitivity"];
    assert_eq!(sensitivity["model"], "compromise");
    assert_eq!(count(&sensitivity["base_rows"]), 60);
    let per_issue = sensitivity["issues"].as_array().expect("issues");
    assert_eq!(per_issue.len(), SIX_PARTY_ISSUES.len());
    for (entry, issue) in per_issue.iter().zip(SIX_PARTY_ISSUES) {
        assert_eq!(entry["issue"], issue);
        let ranked = entry["inputs"].as_array().expect("the compromise varies");
        let mut labels: Vec<&str> = ranked
            .iter()
            .map(|i| i["input"].as_str().unwrap())
            .collect();
        labels.sort_unstable();
        let mut all = expected.iter().map(String::as_str).collect::<Vec<_>>();
        all.sort_unstable();
        assert_eq!(labels, all, "inputs ranked for {issue}");
        let totals: Vec<f64> = ranked.iter().map(|i| num(&i["total"])).collect();
        assert!(
            totals.windows(2).all(|w| w[0] >= w[1]),
            "{issue}: not sorted by total: {totals:?}"
        );
        for i in ranked {
            assert!(num(&i["first_order"]).is_finite() && num(&i["total"]).is_finite());
        }
        // On one issue, an actor's position on another issue cannot matter.
        for i in ranked {
            let label = i["input"].as_str().unwrap();
            let other_issue = SIX_PARTY_ISSUES
                .iter()
                .any(|o| *o != issue && label.contains(&format!(".{o}.")));
            if other_issue {
                assert_eq!(num(&i["total"]), 0.0, "{label} moves {issue}");
            }
        }
    }
    // Without --sensitivity there is none.
    assert!(json(&["--runs", "10"])["sensitivity"].is_null());
}

#[test]
fn same_seed_same_bytes_on_one_and_two_threads() {
    let args = [
        "sweep",
        "--model",
        "all",
        "--runs",
        "300",
        "--seed",
        "7",
        "--sensitivity",
        "40",
        "--format",
        "json",
    ];
    let one = ok_with(&[("RAYON_NUM_THREADS", "1")], &args);
    let two = ok_with(&[("RAYON_NUM_THREADS", "2")], &args);
    assert!(one == two, "JSON differs between 1 and 2 threads");
    assert_eq!(count(&parse(&one)["seed"]), 7);
    // The table and the CSV too.
    for format in ["table", "csv"] {
        let args = [
            "sweep",
            "--runs",
            "300",
            "--sensitivity",
            "40",
            "--format",
            format,
        ];
        let one = ok_with(&[("RAYON_NUM_THREADS", "1")], &args);
        let two = ok_with(&[("RAYON_NUM_THREADS", "2")], &args);
        assert!(one == two, "{format} differs between 1 and 2 threads");
    }
}

#[test]
fn different_seeds_give_different_draws() {
    let a = json(&["--runs", "200", "--seed", "1"]);
    let b = json(&["--runs", "200", "--seed", "2"]);
    assert_eq!(count(&b["seed"]), 2);
    for issue in SIX_PARTY_ISSUES {
        let (ma, mb) = (
            num(&spread(&a, "compromise", issue)["mean"]),
            num(&spread(&b, "compromise", issue)["mean"]),
        );
        assert_ne!(
            ma, mb,
            "seeds 1 and 2 give the same compromise mean on {issue}"
        );
        // ... but the same forecast, give or take the sampling error.
        assert!((ma - mb).abs() < 2.0, "{issue}: {ma} and {mb}");
    }
}

#[test]
fn sobol_indices_find_the_one_input_that_decides_the_median() {
    let dir = scenario_dir(ONE_DECIDES);
    let (stdout, stderr) = ok_in(
        dir.path(),
        &[
            "scenario.toml",
            "--model",
            "median",
            "--sensitivity",
            "500",
            "--format",
            "json",
        ],
    );
    // Distributions are given, so no fallback uncertainty is used.
    assert!(!stderr.contains("note:"), "{stderr}");
    let out = parse(&stdout);
    assert_eq!(num(&out["uncertainty"]), 0.0);
    let inputs: Vec<&str> = out["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        inputs,
        [
            "Left.capability",
            "Left.format.salience",
            "Mid.format.position",
            "Right.capability",
            "Right.format.salience"
        ]
    );

    let ranked = out["sensitivity"]["issues"][0]["inputs"]
        .as_array()
        .expect("the median varies");
    assert_eq!(ranked.len(), 5);
    assert_eq!(ranked[0]["input"], "Mid.format.position", "{ranked:?}");
    let (first, total) = (num(&ranked[0]["first_order"]), num(&ranked[0]["total"]));
    assert!((total - 1.0).abs() < 0.15, "total index {total}");
    assert!((first - 1.0).abs() < 0.15, "first-order index {first}");
    for other in &ranked[1..] {
        let (first, total) = (num(&other["first_order"]), num(&other["total"]));
        assert!(
            first.abs() < 0.05 && total.abs() < 0.05,
            "{other}: an input that cannot move the median"
        );
    }

    // The median is Mid's position, uniform on 40..60: quantiles 41, 45, 50, 55, 59; mean 50;
    // sd 20 / sqrt(12); every value in the bins 40..50 and 50..60.
    let s = spread(&out, "median", "format");
    assert_eq!(count(&s["runs_with_value"]), 1000);
    let q: Vec<f64> = s["quantiles"].as_array().unwrap().iter().map(num).collect();
    for (got, want) in q.iter().zip([41.0, 45.0, 50.0, 55.0, 59.0]) {
        assert!((got - want).abs() < 1.0, "quantiles {q:?}");
    }
    assert!(
        (q[0] - 41.0).abs() < 0.75 && (q[4] - 59.0).abs() < 0.75,
        "{q:?}"
    );
    assert!(q[0] >= 40.0 && q[4] <= 60.0, "{q:?}");
    assert!((num(&s["mean"]) - 50.0).abs() < 0.6, "{s}");
    assert!((num(&s["sd"]) - 20.0 / 12f64.sqrt()).abs() < 0.3, "{s}");
    let histogram: Vec<usize> = s["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(count)
        .collect();
    assert_eq!(histogram[4] + histogram[5], 1000, "{histogram:?}");
    assert!(histogram[4] > 400 && histogram[5] > 400, "{histogram:?}");

    // The table says the same.
    let (table, _) = ok_in(
        dir.path(),
        &["scenario.toml", "--model", "median", "--sensitivity", "500"],
    );
    assert!(
        table.contains("What moves the median forecast most (Sobol indices from 500 base rows"),
        "{table}"
    );
    // The input that decides comes first, on its issue's row, labelled without the issue.
    let first = table
        .lines()
        .find(|l| l.contains("┆ Mid.") || l.contains("┆ Left.") || l.contains("┆ Right."))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        first.contains("format") && first.contains("Mid.position"),
        "{first}"
    );
}

/// The plain forecasts of a scenario, per model and issue, from `forecast --format json`.
fn plain_forecasts(dir: &Path) -> Vec<(String, String, Option<f64>)> {
    let mut cmd = statecraft();
    cmd.current_dir(dir).args([
        "forecast",
        "scenario.toml",
        "--model",
        "compromise,median,nash",
        "--format",
        "json",
    ]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "{stderr}");
    let out = parse(&stdout);
    let mut all = Vec::new();
    for f in out["forecasts"].as_array().unwrap() {
        for i in f["issues"].as_array().unwrap() {
            all.push((
                f["model"].as_str().unwrap().to_owned(),
                i["issue"].as_str().unwrap().to_owned(),
                i["value"].as_f64(),
            ));
        }
    }
    all
}

#[test]
fn a_scenario_without_uncertainty_gets_ten_percent_and_a_note() {
    let dir = scenario_dir(CERTAIN);
    let (stdout, stderr) = ok_in(dir.path(), &["scenario.toml", "--format", "json"]);
    assert!(stderr.starts_with("note: "), "{stderr}");
    assert!(stderr.contains("10%"), "{stderr}");
    let out = parse(&stdout);
    assert_eq!(num(&out["uncertainty"]), 0.1);
    // 3 capabilities and 5 stances of two values each.
    assert_eq!(
        out["inputs"].as_array().unwrap().len(),
        13,
        "{}",
        out["inputs"]
    );
    for issue in ["format", "money"] {
        let s = spread(&out, "compromise", issue);
        assert_eq!(count(&s["runs_with_value"]), 1000);
        assert!(num(&s["sd"]) > 0.0, "{s}");
    }
    // The table works too, with the same note.
    let (table, stderr) = ok_in(dir.path(), &["scenario.toml"]);
    assert!(stderr.contains("note: "), "{stderr}");
    assert!(
        table.contains("1000 draws of 13 uncertain inputs (seed 1)"),
        "{table}"
    );

    // A larger uncertainty spreads the compromise further.
    let (wide, stderr) = ok_in(
        dir.path(),
        &["scenario.toml", "--uncertainty", "0.2", "--format", "json"],
    );
    assert!(
        stderr.is_empty(),
        "--uncertainty given, no note expected: {stderr}"
    );
    let wide = parse(&wide);
    assert_eq!(num(&wide["uncertainty"]), 0.2);
    for issue in ["format", "money"] {
        let (narrow, wide) = (
            num(&spread(&out, "compromise", issue)["sd"]),
            num(&spread(&wide, "compromise", issue)["sd"]),
        );
        assert!(
            wide > 1.3 * narrow,
            "{issue}: sd {narrow} at 10%, {wide} at 20%"
        );
    }
}

/// `--uncertainty 0` on a scenario without distributions: nothing is drawn, every run gives the
/// plain forecast. Checked to within rounding, since the mean of 1000 equal numbers is summed.
#[test]
fn uncertainty_zero_gives_the_plain_forecast_every_time() {
    let dir = scenario_dir(CERTAIN);
    let (stdout, stderr) = ok_in(
        dir.path(),
        &["scenario.toml", "--uncertainty", "0", "--format", "json"],
    );
    assert!(!stderr.contains("note:"), "{stderr}");
    let out = parse(&stdout);
    assert_eq!(num(&out["uncertainty"]), 0.0);
    assert_eq!(out["inputs"].as_array().unwrap().len(), 0);
    let plain = plain_forecasts(dir.path());
    assert_eq!(plain.len(), 6);
    for (model, issue, value) in plain {
        let s = spread(&out, &model, &issue);
        let Some(value) = value else {
            assert_eq!(count(&s["runs_with_value"]), 0, "{model} {issue}");
            continue;
        };
        assert_eq!(count(&s["runs_with_value"]), 1000, "{model} {issue}");
        let sd = num(&s["sd"]);
        assert!(sd.abs() < 1e-9, "{model} on {issue}: sd {sd}");
        assert!(
            (num(&s["mean"]) - value).abs() < 1e-9,
            "{model} on {issue}: {s}"
        );
        for q in s["quantiles"].as_array().unwrap() {
            assert_eq!(
                num(q),
                value,
                "{model} on {issue}: quantiles of equal values"
            );
        }
    }
}

/// The same, exactly: when every run gives the same value its sd is 0 and its mean that value.
#[test]
fn uncertainty_zero_gives_sd_exactly_zero() {
    let dir = scenario_dir(CERTAIN);
    let (stdout, _) = ok_in(
        dir.path(),
        &["scenario.toml", "--uncertainty", "0", "--format", "json"],
    );
    let out = parse(&stdout);
    for (model, issue, value) in plain_forecasts(dir.path()) {
        if let Some(value) = value {
            let s = spread(&out, &model, &issue);
            assert_eq!(num(&s["sd"]), 0.0, "{model} on {issue}");
            assert_eq!(num(&s["mean"]), value, "{model} on {issue}");
        }
    }
}

#[test]
fn csv_has_one_row_per_statistic_matching_the_json() {
    let args = ["--runs", "300", "--seed", "3"];
    let out = json(&args);
    let mut all = vec!["sweep"];
    all.extend_from_slice(&args);
    all.extend_from_slice(&["--format", "csv"]);
    let csv = ok_with(&[], &all);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("model,issue,statistic,value,model_label,issue_label")
    );
    let rows = csv_rows(&csv);
    assert!(rows.iter().all(|r| r.len() == 6), "{csv}");
    let issue_labels = issue_labels();
    for row in &rows {
        assert_eq!(row[5], issue_labels[&row[1]], "{row:?}");
        let label = &out_label(&row[0]);
        assert_eq!(&row[4], label, "{row:?}");
    }

    let mut expected: Vec<(String, String, String, f64)> = Vec::new();
    for m in out["models"].as_array().unwrap() {
        let model = m["model"].as_str().unwrap();
        for s in m["issues"].as_array().unwrap() {
            let issue = s["issue"].as_str().unwrap();
            let mut push = |stat: &str, v: f64| {
                expected.push((model.into(), issue.into(), stat.into(), v));
            };
            push("runs", num(&s["runs"]));
            push("runs_with_value", num(&s["runs_with_value"]));
            if count(&s["runs_with_value"]) > 0 {
                push("mean", num(&s["mean"]));
            }
            // No sd or quantiles from fewer than 30 values.
            if count(&s["runs_with_value"]) >= 30 {
                push("sd", num(&s["sd"]));
                let q = s["quantiles"].as_array().unwrap();
                for (name, v) in ["q5", "q25", "q50", "q75", "q95"].iter().zip(q) {
                    push(name, num(v));
                }
            }
        }
    }
    // 3 models x 6 issues, 9 rows each, 2 for an issue with no value at all.
    assert_eq!(rows.len(), expected.len(), "{csv}");
    assert!(rows.len() > 18, "{csv}");
    for (row, (model, issue, stat, value)) in rows.iter().zip(&expected) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str(), row[2].as_str()),
            (model.as_str(), issue.as_str(), stat.as_str())
        );
        let got: f64 = row[3].parse().unwrap_or_else(|_| panic!("{row:?}"));
        assert_eq!(got, *value, "{row:?}");
    }
}

/// Runs `statecraft sweep ARGS` in the workspace root; asserts exit code 2, no panic, nothing on
/// stdout; returns stderr.
fn refused(args: &[&str]) -> String {
    let (code, stdout, stderr) = sweep_in(&workspace_dir(), &[], args);
    assert_eq!(code, Some(2), "sweep {args:?}: stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.is_empty(), "sweep {args:?}: stdout {stdout:?}");
    stderr
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for (args, words) in [
        // `--uncertainty -1` is taken for a flag by clap (exit 2 all the same); see
        // `a_negative_uncertainty_gets_the_products_message`.
        (&["--uncertainty", "-1"][..], &["-1"][..]),
        (
            &["--uncertainty=-1"],
            &[
                "error: --uncertainty -1 is not a share of 0 or more",
                "help: 0.1 means a standard deviation of 10%",
            ],
        ),
        (
            &["--uncertainty", "NaN"],
            &["error: --uncertainty NaN", "help:"],
        ),
        (&["--uncertainty", "inf"], &["error: --uncertainty inf"]),
        (&["--runs", "0"], &["error: --runs 0", "at least one run"]),
        (
            &["--model", "mean"],
            &["error: unknown model `mean`", "help: the models are:"],
        ),
        (&["--model", "compromise,nope"], &["unknown model `nope`"]),
        // clap's usage errors.
        (&["--runs=-5"], &["invalid value", "--runs"]),
        (&["--sensitivity", "many"], &["--sensitivity"]),
        (&["--format", "xml"], &["xml"]),
        (&["--seed", "one"], &["--seed"]),
        // A scenario that cannot be read.
        (&["no-such-scenario.toml"], &["no-such-scenario.toml"]),
    ] {
        let stderr = refused(args);
        for word in words {
            assert!(
                stderr.contains(word),
                "sweep {args:?}: no {word:?} in\n{stderr}"
            );
        }
    }
}

/// `--uncertainty -1`, written with a space as every other value, should reach the product's own
/// message; clap answers "unexpected argument '-1' found" instead (negative numbers are not
/// allowed as values of `--uncertainty`).
#[test]
fn a_negative_uncertainty_gets_the_products_message() {
    let stderr = refused(&["--uncertainty", "-1"]);
    assert!(
        stderr.contains("error: --uncertainty -1 is not a share of 0 or more"),
        "{stderr}"
    );
}

/// `--sensitivity 0` cannot estimate anything: it should be refused like `--runs 0`, or at least
/// report the rows used. At the time of writing it silently uses 2 base rows and reports
/// `"base_rows": 0`.
#[test]
fn sensitivity_zero_is_refused() {
    let stderr = refused(&["--sensitivity", "0"]);
    assert!(stderr.contains("--sensitivity"), "{stderr}");
}

#[test]
fn durability_and_coalitions_over_the_draws() {
    let out = json(&[
        "--model",
        "compromise",
        "--runs",
        "60",
        "--durability",
        "statement",
        "--coalitions",
    ]);
    let d = &out["durability"];
    assert_eq!(d["form"], "statement");
    assert_eq!(count(&d["runs"]), 60);
    let q: Vec<f64> = d["quantiles"].as_array().unwrap().iter().map(num).collect();
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    assert!(q.iter().all(|p| (0.0..=1.0).contains(p)), "{q:?}");
    assert!((0.0..=1.0).contains(&num(&d["mean"])));
    let c = &out["coalitions"];
    assert_eq!(count(&c["runs"]), 60);
    let holdouts = c["holdouts"].as_array().unwrap();
    assert_eq!(holdouts.len(), 6);
    assert!(count(&c["unanimous"]) + count(&c["no_n_minus_1"]) <= 60);
    let (code, _, stderr) = sweep_in(
        &workspace_dir(),
        &[],
        &["--runs", "5", "--durability", "tretay"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("did you mean `treaty`"), "{stderr}");
}

#[test]
fn sobol_estimates_that_contradict_each_other_are_flagged_as_noise_with_their_intervals() {
    // The issue's case: on the built-in scenario China's position on nuclear status came out
    // with a first-order index above its total (0.30 / 0.26) and was shown as a finding.
    let args = [
        "sweep",
        "--runs",
        "10",
        "--sensitivity",
        "300",
        "--format",
        "json",
    ];
    let text = ok_with(&[("RAYON_NUM_THREADS", "1")], &args);
    assert_eq!(
        text,
        ok_with(&[("RAYON_NUM_THREADS", "2")], &args),
        "threads changed the intervals"
    );
    let out: Value = serde_json::from_str(&text).unwrap();
    let s = &out["sensitivity"];
    assert_eq!(s["bootstrap_replicates"], 200);
    assert_eq!(s["interval_level"], 0.95);
    let nuclear = s["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["issue"] == "nuclear_status")
        .unwrap();
    let inputs = nuclear["inputs"].as_array().unwrap();
    for i in inputs {
        for (value, interval) in [
            (num(&i["first_order"]), &i["first_order_interval"]),
            (num(&i["total"]), &i["total_interval"]),
        ] {
            let (lo, hi) = (num(&interval[0]), num(&interval[1]));
            assert!(lo <= value && value <= hi, "{i}");
        }
        // Every index whose first order exceeds its total (beyond rounding) is flagged.
        let above = num(&i["first_order"]) - num(&i["total"]) > 0.01;
        let flagged = i["noise"]
            .as_array()
            .is_some_and(|n| n.contains(&Value::from("first_order_above_total")));
        assert_eq!(above, flagged, "{i}");
    }
    let china = inputs
        .iter()
        .find(|i| i["input"] == "China.nuclear_status.position")
        .unwrap();
    assert!(num(&china["first_order"]) > num(&china["total"]), "{china}");
    assert!(count(&china["settle_base_rows"]) > 300, "{china}");
    assert!(count(&s["settle_base_rows"]) >= count(&china["settle_base_rows"]));

    let table = ok_with(&[], &args[..5]);
    // nuclear_status is the first issue, so its China row is the first.
    let row = table
        .lines()
        .find(|l| l.contains("China.position"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("S > ST"), "{row}");
    assert!(table.contains("noise, not findings"), "{table}");
    assert!(table.contains("base rows (--sensitivity "), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
}

/// Every issue's label by id, from the built-in scenario as `show --format json` gives it.
fn issue_labels() -> std::collections::HashMap<String, String> {
    let scenario: Value = serde_json::from_str(&ok_with(
        &[],
        &["show", "six-party-2009", "--format", "json"],
    ))
    .expect("JSON");
    scenario["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let id = i["id"].as_str().unwrap().to_owned();
            let label = i["label"].as_str().unwrap_or(&id).to_owned();
            (id, label)
        })
        .collect()
}

/// A model's label as `forecast --format json` lists it.
fn out_label(model: &str) -> String {
    let out: Value = serde_json::from_str(&ok_with(
        &[],
        &["forecast", "--model", model, "--format", "json"],
    ))
    .expect("JSON");
    out["models"][0]["label"].as_str().unwrap().to_owned()
}
