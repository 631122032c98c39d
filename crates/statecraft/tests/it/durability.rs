//! `statecraft durability`: the survival analysis of an agreement under changes of government,
//! run through the real binary. The checks are properties every correct answer has (a survival
//! curve starts at 1 and never rises, the same seed gives the same bytes on any number of
//! threads, a costlier form is never abandoned sooner) and, on a small scenario whose answer can
//! be worked out by hand, the closed form S(t) = exp(-lambda q t) of a Poisson hazard.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{csv_rows, ok_with, run, statecraft, workspace_dir};

/// The package of the brief: it moves the built-in scenario far enough from the status quo that
/// the cheaper forms decay within the horizon.
const PACKAGE: &str =
    "nuclear_status=25,security_assurance=70,agreement_form=50,sanctions=70,talks_format=50";

/// Runs `statecraft ARGS` in the workspace root with `env`, asserts exit code 0 and no panic, and
/// returns stdout.
fn ok(args: &[&str]) -> String {
    ok_with(&[], args)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// `durability ARGS --format json`, parsed.
fn durability_json(args: &[&str]) -> Value {
    let mut all = vec!["durability"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    json(&ok(&all))
}

fn forms(out: &Value) -> &Vec<Value> {
    out["forms"]
        .as_array()
        .unwrap_or_else(|| panic!("no `forms` array in {out}"))
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")))
        .collect()
}

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

/// The ids of the forms in a `durability` JSON output, in order.
fn form_ids(out: &Value) -> Vec<String> {
    forms(out)
        .iter()
        .map(|f| text(&f["form"]).to_owned())
        .collect()
}

/// Writes `contents` to `dir/name` and returns the path as a string.
fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, contents).expect("write to the temporary directory");
    path.to_str().unwrap().to_owned()
}

/// A two-actor scenario without forms, with or without a date.
fn formless_scenario(date: Option<&str>) -> String {
    let head = date.map_or(String::new(), |d| format!("[scenario]\ndate = \"{d}\"\n\n"));
    head + r#"[[issues]]
id = "deal"
min = 0
max = 100
status_quo = 50

[[actors]]
id = "A"
capability = 60
positions = { deal = { position = 80, salience = 0.5 } }

[[actors]]
id = "B"
capability = 40
positions = { deal = { position = 70, salience = 1 } }
"#
}

#[test]
fn the_default_run_prints_a_table_of_every_form_of_the_scenario() {
    let table = ok(&["durability", "--runs", "2000"]);
    let out = durability_json(&["--runs", "2000"]);
    // Without --form, every form the scenario defines is compared, in the file's order.
    let scenario = json(&ok(&["show", "six-party-2009", "--format", "json"]));
    let defined: Vec<String> = scenario["forms"]
        .as_array()
        .expect("the built-in scenario defines forms")
        .iter()
        .map(|f| text(&f["id"]).to_owned())
        .collect();
    assert!(defined.len() >= 3, "{defined:?}");
    assert_eq!(form_ids(&out), defined);
    for form in forms(&out) {
        let label = text(&form["label"]);
        assert!(
            table.contains(label),
            "no form `{label}` in the table:\n{table}"
        );
    }
    let title = text(&scenario["scenario"]["title"]);
    assert!(table.contains(title), "no title `{title}` in:\n{table}");
    assert_eq!(text(&out["start"]), text(&scenario["scenario"]["date"]));
}

#[test]
fn a_scenario_without_forms_compares_the_three_default_forms() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "formless.toml",
        &formless_scenario(Some("2020-01-01")),
    );
    let out = durability_json(&[&file, "--runs", "200", "--package", "deal=60"]);
    assert_eq!(form_ids(&out), ["statement", "executive", "treaty"]);
    let table = ok(&["durability", &file, "--runs", "200", "--package", "deal=60"]);
    for form in forms(&out) {
        let label = text(&form["label"]);
        assert!(table.contains(label), "no form `{label}` in:\n{table}");
    }
}

/// The survival curve's invariants, and the summaries that must agree with it.
fn check_curves(out: &Value) {
    let years = number(&out["years"]);
    let runs = number(&out["runs"]);
    assert!(!forms(out).is_empty(), "no forms in {out}");
    for form in forms(out) {
        let id = text(&form["form"]);
        let times = numbers(&form["times"]);
        let survival = numbers(&form["survival"]);
        assert_eq!(times.len(), survival.len(), "{id}");
        assert!(times.len() >= 2, "{id}: {times:?}");
        assert_eq!(times[0], 0.0, "{id}: {times:?}");
        assert_eq!(*times.last().unwrap(), years, "{id}: {times:?}");
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{id}: {times:?}");
        assert_eq!(survival[0], 1.0, "{id}: {survival:?}");
        assert!(
            survival.windows(2).all(|w| w[1] <= w[0]),
            "{id}: the curve rises: {survival:?}"
        );
        assert!(survival.iter().all(|s| (0.0..=1.0).contains(s)), "{id}");

        // The horizon's value is the curve's last point; its error is the binomial one.
        let horizon = number(&form["survives_horizon"]);
        assert_eq!(horizon, *survival.last().unwrap(), "{id}");
        let se = (horizon * (1.0 - horizon) / runs).sqrt();
        assert!((number(&form["standard_error"]) - se).abs() < 1e-12, "{id}");
        assert_eq!(number(&form["runs"]), runs, "{id}");

        // Every run that ends is ended by exactly one actor.
        let defectors = form["first_defectors"].as_array().unwrap();
        let shares: f64 = defectors.iter().map(|d| number(&d["share"])).sum();
        assert!(
            (shares - (1.0 - horizon)).abs() < 1e-9,
            "{id}: shares add up to {shares}, but {} of runs ended",
            1.0 - horizon
        );
        for d in defectors {
            let mean = number(&d["mean_years"]);
            assert!(number(&d["share"]) > 0.0, "{id}: {d}");
            assert!(mean > 0.0 && mean <= years, "{id}: {d}");
        }

        // The median lifetime: the time by which half the runs (rounded up) have ended, so the
        // curve is at or below 1 - half / runs from then on and above it before.
        let half_left = 1.0 - (runs / 2.0).ceil() / runs;
        match form["median_years"].as_f64() {
            None => assert!(
                horizon > half_left,
                "{id}: no median but S(horizon) = {horizon}"
            ),
            Some(median) => {
                assert!(median > 0.0 && median <= years, "{id}: {median}");
                for (t, s) in times.iter().zip(&survival) {
                    if *t >= median {
                        assert!(
                            *s <= half_left + 1e-12,
                            "{id}: S({t}) = {s} after the median {median}"
                        );
                    } else {
                        assert!(
                            *s > half_left + 1e-12,
                            "{id}: S({t}) = {s} before the median {median}"
                        );
                    }
                }
            }
        }

        // Scheduled elections, in time order, within the horizon.
        let mut last = (0.0, 1.0);
        for e in form["elections"].as_array().unwrap() {
            let at = number(&e["at_years"]);
            let (before, after) = (number(&e["alive_before"]), number(&e["alive_after"]));
            assert!(at > 0.0 && at <= years, "{id}: {e}");
            assert!(
                at >= last.0 && before <= last.1 && after <= before,
                "{id}: {e}"
            );
            match e["survives_given_alive"].as_f64() {
                Some(p) => assert!((p - after / before).abs() < 1e-12, "{id}: {e}"),
                None => assert_eq!(before, 0.0, "{id}: {e}"),
            }
            last = (at, after);
        }
    }
}

#[test]
fn json_curves_start_at_one_never_rise_and_span_the_horizon() {
    let out = durability_json(&["--runs", "3000", "--package", PACKAGE]);
    check_curves(&out);
    // The package decays under at least one form, so the checks above have seen a falling curve.
    assert!(
        forms(&out)
            .iter()
            .any(|f| number(&f["survives_horizon"]) < 0.9),
        "no form decays with {PACKAGE}: {out}"
    );
    // Other horizons and steps, including a step that is not a whole number of years.
    for (years, step) in [("3", "0.25"), ("10", "1"), ("2.5", "0.5")] {
        let out = durability_json(&[
            "--runs",
            "500",
            "--package",
            PACKAGE,
            "--years",
            years,
            "--step",
            step,
        ]);
        assert_eq!(number(&out["years"]), years.parse::<f64>().unwrap());
        check_curves(&out);
    }
}

#[test]
fn the_package_names_some_issues_and_leaves_the_rest_at_the_status_quo() {
    let out = durability_json(&["--runs", "10", "--package", PACKAGE]);
    let named: Vec<(&str, f64)> = PACKAGE
        .split(',')
        .map(|pair| {
            let (issue, value) = pair.split_once('=').unwrap();
            (issue, value.parse().unwrap())
        })
        .collect();
    let package = out["package"].as_array().unwrap();
    let scenario = json(&ok(&["show", "six-party-2009", "--format", "json"]));
    assert_eq!(package.len(), scenario["issues"].as_array().unwrap().len());
    let mut at_status_quo = 0;
    for entry in package {
        let issue = text(&entry["issue"]);
        let value = number(&entry["value"]);
        match named.iter().find(|(id, _)| *id == issue) {
            Some((_, given)) => assert_eq!(value, *given, "{issue}"),
            None => {
                assert_eq!(value, number(&entry["status_quo"]), "{issue}");
                at_status_quo += 1;
            }
        }
    }
    assert_eq!(at_status_quo, package.len() - named.len());
}

#[test]
fn without_a_package_the_agreement_is_the_compromise_forecast() {
    let out = durability_json(&["--runs", "10"]);
    let forecast = json(&ok(&[
        "forecast",
        "--model",
        "compromise",
        "--format",
        "json",
    ]));
    let compromise = forecast["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["model"] == "compromise")
        .unwrap_or_else(|| panic!("no compromise forecast in {forecast}"));
    let package = out["package"].as_array().unwrap();
    let issues = compromise["issues"].as_array().unwrap();
    assert_eq!(package.len(), issues.len());
    for (p, f) in package.iter().zip(issues) {
        assert_eq!(p["issue"], f["issue"], "{p} / {f}");
        assert_eq!(number(&p["value"]), number(&f["value"]), "{p} / {f}");
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "one-succession.toml", ONE_SUCCESSION);
    for args in [
        &[
            "durability",
            "--runs",
            "3000",
            "--seed",
            "7",
            "--package",
            PACKAGE,
        ][..],
        &[
            "durability",
            &small,
            "--runs",
            "3000",
            "--seed",
            "7",
            "--package",
            "deal=80",
        ],
    ] {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let one = ok_with(&[("RAYON_NUM_THREADS", "1")], &all);
        for threads in ["2", "3"] {
            let more = ok_with(&[("RAYON_NUM_THREADS", threads)], &all);
            assert!(
                one == more,
                "{args:?}: 1 thread and {threads} differ:\n--- 1 ---\n{one}\n--- {threads} ---\n{more}"
            );
        }
    }
}

#[test]
fn another_seed_gives_another_curve_when_the_curve_falls() {
    let curves = |seed: &str| -> Vec<(String, Vec<f64>)> {
        let out = durability_json(&["--runs", "2000", "--seed", seed, "--package", PACKAGE]);
        assert_eq!(
            out["seed"].as_u64(),
            seed.parse().ok(),
            "the seed is echoed"
        );
        forms(&out)
            .iter()
            .map(|f| (text(&f["form"]).to_owned(), numbers(&f["survival"])))
            .collect()
    };
    let (a, b) = (curves("1"), curves("2"));
    let falling: Vec<_> = a
        .iter()
        .zip(&b)
        .filter(|(x, _)| x.1.iter().any(|&s| s < 0.95))
        .collect();
    assert!(!falling.is_empty(), "no curve falls with {PACKAGE}: {a:?}");
    for ((form, x), (_, y)) in falling {
        assert_ne!(x, y, "form `{form}`: seeds 1 and 2 give the same curve");
    }
    // A flat curve (nobody ever reneges) does not depend on the seed.
    for ((form, x), (_, y)) in a.iter().zip(&b) {
        if x.iter().all(|&s| s == 1.0) {
            assert_eq!(x, y, "form `{form}`");
        }
    }
}

#[test]
fn csv_has_one_row_per_form_and_curve_point() {
    let args = ["durability", "--runs", "1000", "--package", PACKAGE];
    let csv = ok(&[&args[..], &["--format", "csv"]].concat());
    let out = json(&ok(&[&args[..], &["--format", "json"]].concat()));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("form,years,survival,form_label"));
    let labels: std::collections::HashMap<String, String> = forms(&out)
        .iter()
        .map(|f| (text(&f["form"]).to_owned(), text(&f["label"]).to_owned()))
        .collect();
    let rows: Vec<(String, f64, f64)> = csv_rows(&csv)
        .into_iter()
        .map(|fields| {
            assert_eq!(fields.len(), 4, "{fields:?}");
            assert_eq!(fields[3], labels[&fields[0]], "{fields:?}");
            let parse = |s: &str| -> f64 { s.parse().unwrap_or_else(|_| panic!("{fields:?}")) };
            (fields[0].clone(), parse(&fields[1]), parse(&fields[2]))
        })
        .collect();
    let expected: Vec<(String, f64, f64)> = forms(&out)
        .iter()
        .flat_map(|f| {
            let id = text(&f["form"]).to_owned();
            numbers(&f["times"])
                .into_iter()
                .zip(numbers(&f["survival"]))
                .map(move |(t, s)| (id.clone(), t, s))
        })
        .collect();
    assert!(expected.len() > forms(&out).len(), "{out}");
    // Same seed, so the CSV's numbers are the JSON's, written the same shortest way.
    assert_eq!(rows, expected);
}

/// Runs `statecraft durability ARGS` in `dir`; asserts exit code 2, an empty stdout, a message on
/// stderr starting with `error:` and no panic; returns stderr.
fn refused_in(dir: &Path, args: &[&str]) -> String {
    let mut cmd = statecraft();
    cmd.current_dir(dir).arg("durability").args(args);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "exit code of {args:?}; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    assert!(stdout.is_empty(), "stdout of {args:?}: {stdout:?}");
    assert!(
        stderr.starts_with("error:"),
        "stderr of {args:?}:\n{stderr}"
    );
    stderr
}

#[test]
fn bad_usage_is_refused_with_a_message_naming_the_problem() {
    #[rustfmt::skip]
    let cases: &[(&[&str], &[&str])] = &[
        (&["--package", "nuclear_status"], &["`nuclear_status`", "ISSUE=VALUE"]),
        (&["--package", "nuclear_status=20,,sanctions=50"], &["ISSUE=VALUE"]),
        (&["--package", "nuclear_stat=20"], &["issue `nuclear_stat`", "did you mean `nuclear_status`"]),
        (&["--package", "sanctoins=20"], &["issue `sanctoins`", "did you mean `sanctions`"]),
        (&["--package", "nuclear_status=150"], &["`nuclear_status`", "`150`", "0..=100"]),
        (&["--package", "sanctions=-1"], &["`sanctions`", "`-1`", "0..=100"]),
        (&["--package", "nuclear_status=high"], &["`nuclear_status`", "`high`"]),
        (&["--package", "nuclear_status=NaN"], &["`nuclear_status`", "`NaN`"]),
        (&["--package", "nuclear_status=inf"], &["`nuclear_status`", "`inf`"]),
        (&["--start", "2009-13-01"], &["`2009-13-01`", "not a date", "YYYY-MM-DD"]),
        (&["--start", "yesterday"], &["`yesterday`", "not a date"]),
        (&["--years", "0"], &["horizon", "positive"]),
        (&["--years=-2"], &["horizon", "positive", "-2"]),
        (&["--years", "nan"], &["horizon", "positive"]),
        (&["--years", "inf"], &["horizon", "positive"]),
        (&["--step", "0"], &["step", "positive"]),
        (&["--step=-0.5"], &["step", "positive", "-0.5"]),
        (&["--runs", "0"], &["at least one run"]),
    ];
    let mut failures = Vec::new();
    for (args, words) in cases {
        let mut all = vec!["--runs", "10"];
        all.extend_from_slice(args);
        // `--runs` given twice is a clap error of its own: drop the default one.
        if args.contains(&"--runs") {
            all.drain(..2);
        }
        let stderr = refused_in(&workspace_dir(), &all);
        for word in *words {
            if !stderr.contains(word) {
                failures.push(format!("{args:?}: no {word:?} in:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_unknown_form_is_refused_and_the_help_lists_the_forms() {
    let scenario = json(&ok(&["show", "six-party-2009", "--format", "json"]));
    let ids: Vec<&str> = scenario["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| text(&f["id"]))
        .collect();
    for value in ["tready", "treaty,bogus"] {
        let stderr = refused_in(&workspace_dir(), &["--runs", "10", "--form", value]);
        let unknown = value.rsplit(',').next().unwrap();
        assert!(stderr.contains(&format!("`{unknown}`")), "{stderr}");
        for id in &ids {
            assert!(
                stderr.contains(id),
                "the help does not list `{id}`:\n{stderr}"
            );
        }
    }
    // Known ids are accepted, and only those forms are run, in the order given.
    let out = durability_json(&["--runs", "10", "--form", "treaty,statement"]);
    assert_eq!(form_ids(&out), ["treaty", "statement"]);
}

#[test]
fn a_scenario_without_a_date_needs_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "undated.toml", &formless_scenario(None));
    let stderr = refused_in(dir.path(), &["undated.toml", "--runs", "10"]);
    assert!(stderr.contains("no date"), "{stderr}");
    assert!(stderr.contains("--start"), "{stderr}");
    let out = durability_json(&[&file, "--runs", "10", "--start", "2021-03-04"]);
    assert_eq!(text(&out["start"]), "2021-03-04");
}

/// One issue (status quo 50, agreed at 80); actor B's government falls with a yearly hazard of
/// 0.5, that is a Poisson rate of ln 2, and its successor is, with even odds,
///
/// - `moderate`, at 60: going back to 50 gains (|80 - 60| - |50 - 60|) / 100 = 0.1;
/// - `uncertain`, at p ~ N(55, 20): the gain is 0.3 for p <= 50 and (130 - 2p) / 100 between
///   50 and 80, so it exceeds a cost c < 0.3 exactly when p < 65 - 50 c.
///
/// The forms cost 0, 0.2, and 0 plus 0.5 per full range moved down (the reversal moves the issue
/// down 0.3 of its range: 0.15; the `up` cost must not apply).
const ONE_SUCCESSION: &str = r#"[scenario]
title = "One succession"
date = "2020-01-01"

[[issues]]
id = "deal"
min = 0
max = 100
status_quo = 50

[[actors]]
id = "A"
capability = 60
positions = { deal = { position = 80, salience = 0.5 } }

[[actors]]
id = "B"
capability = 40
positions = { deal = { position = 70, salience = 1 } }

[[actors.domestic.changes]]
label = "succession"
hazard = 0.5

[[actors.domestic.changes.successors]]
label = "moderate"
probability = 0.5
positions = { deal = { position = 60 } }

[[actors.domestic.changes.successors]]
label = "uncertain"
probability = 0.5
positions = { deal = { position = 55, spread = 20 } }

[[forms]]
id = "free"
cost = 0

[[forms]]
id = "costly"
cost = 0.2

[[forms]]
id = "directional"
cost = 0

[[forms.issue_costs]]
issue = "deal"
down = 0.5
up = 5
"#;

/// The standard normal distribution function, from erf by Abramowitz and Stegun 7.1.26
/// (absolute error below 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-z * z).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// `durability` of ONE_SUCCESSION with the package deal=80, as (form id, its JSON).
fn one_succession(seed: &str) -> Vec<(String, Value)> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "one-succession.toml", ONE_SUCCESSION);
    let out = durability_json(&[
        &file,
        "--package",
        "deal=80",
        "--runs",
        "4000",
        "--years",
        "4",
        "--step",
        "0.5",
        "--seed",
        seed,
    ]);
    check_curves(&out);
    forms(&out)
        .iter()
        .map(|f| (text(&f["form"]).to_owned(), f.clone()))
        .collect()
}

#[test]
fn a_costlier_form_never_has_lower_survival_at_the_same_seed() {
    for seed in ["1", "99"] {
        let results = one_succession(seed);
        let curve = |id: &str| -> Vec<f64> {
            let (_, form) = results.iter().find(|(f, _)| f == id).unwrap();
            numbers(&form["survival"])
        };
        let (free, directional, costly) = (curve("free"), curve("directional"), curve("costly"));
        // Costs 0 <= 0.15 <= 0.2: a run's draws are the same under every form, so a successor
        // who reneges under a costlier form reneges under a cheaper one too, point by point.
        for (cheap, dear, what) in [
            (&free, &directional, "free vs directional"),
            (&directional, &costly, "directional vs costly"),
        ] {
            for (k, (c, d)) in cheap.iter().zip(dear).enumerate() {
                assert!(d >= c, "seed {seed}, {what}, point {k}: {d} < {c}");
            }
        }
        // And the difference is real: the free form decays, the costly one is clearly above it.
        assert!(*free.last().unwrap() < 0.5, "seed {seed}: {free:?}");
        assert!(
            costly.last().unwrap() - free.last().unwrap() > 0.2,
            "seed {seed}: free {free:?}, costly {costly:?}"
        );
    }
}

#[test]
fn survival_follows_the_hazard_and_the_successors_choices() {
    let runs = 4000.0;
    // P(renege | a succession) under each form's reversal cost c: the moderate reneges when
    // 0.1 > c, the uncertain one when p < 65 - 50 c.
    let p_uncertain = |c: f64| normal_cdf((65.0 - 50.0 * c - 55.0) / 20.0);
    let expected = [
        ("free", 0.0, 1.0, p_uncertain(0.0)),
        ("costly", 0.2, 0.0, p_uncertain(0.2)),
        ("directional", 0.15, 0.0, p_uncertain(0.15)),
    ];
    let rate = -(1.0f64 - 0.5).ln();
    let results = one_succession("3");
    assert_eq!(
        results
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["free", "costly", "directional"]
    );
    for ((id, form), (want_id, cost, p_moderate, p_uncertain)) in results.iter().zip(expected) {
        assert_eq!(id, want_id);
        // The verdicts of the one change.
        let changes = form["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{id}: {changes:?}");
        let change = &changes[0];
        assert_eq!(text(&change["actor"]), "B");
        assert!(change["at_years"].is_null(), "{id}: a hazard has no date");
        assert_eq!(number(&change["probability"]), 0.5);
        let successors = change["successors"].as_array().unwrap();
        assert_eq!(successors.len(), 2);
        let (moderate, uncertain) = (&successors[0], &successors[1]);
        assert_eq!(text(&moderate["label"]), "moderate");
        assert!(
            (number(&moderate["gain_from_reneging"]) - 0.1).abs() < 1e-12,
            "{moderate}"
        );
        assert!(
            (number(&uncertain["gain_from_reneging"]) - 0.2).abs() < 1e-12,
            "{uncertain}"
        );
        for s in successors {
            assert!((number(&s["cost"]) - cost).abs() < 1e-12, "{id}: {s}");
        }
        assert_eq!(
            number(&moderate["p_renege"]),
            p_moderate,
            "{id}: {moderate}"
        );
        // Estimated from 4096 draws: a binomial standard error of at most 0.008.
        let estimated = number(&uncertain["p_renege"]);
        assert!(
            (estimated - p_uncertain).abs() < 0.04,
            "{id}: the uncertain successor reneges in {estimated} of draws, expected {p_uncertain}"
        );
        let q = 0.5 * p_moderate + 0.5 * p_uncertain;
        assert!((number(&change["p_renege"]) - (0.5 * p_moderate + 0.5 * estimated)).abs() < 1e-12);
        // B's leader at signing, at 70, is 10 from the deal and 20 from the status quo: going
        // back would lose (10 - 20) / 100.
        let incumbents = form["incumbents"].as_array().unwrap();
        let b = incumbents.iter().find(|i| i["actor"] == "B").unwrap();
        assert!(
            (number(&b["gain_from_reneging"]) + 0.1).abs() < 1e-12,
            "{b}"
        );
        assert!((number(&b["cost"]) - cost).abs() < 1e-12, "{b}");

        // Reneging successions form a Poisson process of rate lambda q: S(t) = exp(-lambda q t).
        let times = numbers(&form["times"]);
        let survival = numbers(&form["survival"]);
        for (t, s) in times.iter().zip(&survival) {
            let want = (-rate * q * t).exp();
            let tolerance = 5.0 * (want * (1.0 - want) / runs).sqrt() + 1e-9;
            assert!(
                (s - want).abs() <= tolerance,
                "{id}: S({t}) = {s}, expected {want} +- {tolerance}"
            );
        }
        // Only B ever ends it, and nothing is scheduled.
        let defectors = form["first_defectors"].as_array().unwrap();
        assert!(
            defectors.iter().all(|d| d["actor"] == "B"),
            "{id}: {defectors:?}"
        );
        assert!(form["elections"].as_array().unwrap().is_empty());
    }
}

/// When the step does not divide the horizon, the curve still ends at the horizon (years 1,
/// step 0.3: 0, 0.3, 0.6, 0.9, 1; years 1, step 5: 0, 1).
#[test]
fn the_curve_ends_at_the_horizon_whatever_the_step() {
    for (years, step) in [("1", "0.3"), ("1", "5"), ("2.4", "1")] {
        let out = durability_json(&[
            "--runs",
            "100",
            "--package",
            PACKAGE,
            "--years",
            years,
            "--step",
            step,
        ]);
        check_curves(&out);
    }
}

/// A step so small that the curve would need more points than memory holds is refused, as are
/// horizons so long that hazards would draw events without end.
#[test]
fn a_vanishing_step_or_an_endless_horizon_is_refused() {
    refused_in(&workspace_dir(), &["--runs", "10", "--step", "1e-300"]);
    refused_in(&workspace_dir(), &["--runs", "10", "--step", "1e-9"]);
    refused_in(
        &workspace_dir(),
        &["--runs", "10", "--years", "1e300", "--step", "1e299"],
    );
}

/// Drops the fields that issue control added, keeping what the model reported before it.
fn without_new_fields(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !["decisive_issue", "issues", "walk_away"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without_new_fields(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_new_fields).collect()),
        other => other.clone(),
    }
}

#[test]
fn without_controlled_by_the_numbers_before_issue_control_come_out_exactly() {
    // The fixture is the built-in scenario as it was before `controlled_by` existed, and the JSON
    // the binary printed for it then (same package, seed and runs).
    let dir = workspace_dir().join("crates/statecraft/tests/fixtures/durability");
    let scenario = dir.join("six-party-2009-before-17.toml");
    let before: Value = json(
        &std::fs::read_to_string(dir.join("six-party-2009-before-17.json"))
            .expect("the fixture of the earlier output"),
    );
    let now = durability_json(&[
        scenario.to_str().unwrap(),
        "--runs",
        "20000",
        "--years",
        "10",
        "--package",
        PACKAGE,
    ]);
    assert_eq!(without_new_fields(&now), before);
}

#[test]
fn the_backtest_scores_every_case_against_both_baselines() {
    let out = json(&ok(&[
        "durability",
        "--backtest",
        "--runs",
        "2000",
        "--format",
        "json",
    ]));
    let cases = out["cases"].as_array().expect("cases");
    assert!(cases.len() >= 8, "{} cases", cases.len());
    let checks = out["checks"].as_array().expect("checks");
    // The scores are what the checks say: the Brier score is their mean squared error, and the
    // base rate is their share in force.
    let pairs: Vec<(f64, f64)> = checks
        .iter()
        .map(|c| {
            let o = if c["in_force"].as_bool().unwrap() {
                1.0
            } else {
                0.0
            };
            (number(&c["predicted"]), o)
        })
        .collect();
    let n = pairs.len() as f64;
    let brier = pairs.iter().map(|(p, o)| (p - o) * (p - o)).sum::<f64>() / n;
    assert!((number(&out["brier"]) - brier).abs() < 1e-12);
    let rate = pairs.iter().map(|(_, o)| o).sum::<f64>() / n;
    let baselines = out["baselines"].as_array().unwrap();
    assert_eq!(number(&baselines[0]["brier"]), 0.25);
    let base = pairs
        .iter()
        .map(|(_, o)| (rate - o) * (rate - o))
        .sum::<f64>()
        / n;
    assert!((number(&baselines[1]["brier"]) - base).abs() < 1e-12);
    let binned: f64 = out["calibration"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| number(&b["checks"]))
        .sum();
    assert_eq!(binned, n);
    // Every prediction is a probability, and a later date of one case is never more likely.
    for w in checks.windows(2) {
        if w[0]["case"] == w[1]["case"] {
            assert!(number(&w[1]["predicted"]) <= number(&w[0]["predicted"]));
        }
    }
    let table = ok(&["durability", "--backtest", "jcpoa-2015", "--runs", "2000"]);
    assert!(
        table.contains("always 50%") && table.contains("base rate"),
        "{table}"
    );
}

#[test]
fn a_backtest_case_without_an_agreement_is_refused_with_exit_code_2() {
    let (code, _, stderr) = run(statecraft().current_dir(workspace_dir()).args([
        "durability",
        "--backtest",
        "six-party-2009",
        "--runs",
        "10",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no `[agreement]` block"), "{stderr}");
}
