//! `statecraft infer` through the real binary on the built-in scenario and its record: the
//! briefing fits 100 columns and shows findings only when the chains converged, the JSON's
//! chances add up, the same seed gives the same output with 1 and 2 threads, and `--write`
//! gives a scenario that `check` and `sweep` read.

use serde_json::Value;

use crate::support::{ok_with, run, statecraft, workspace_dir};

fn json(env: &[(&str, &str)], args: &[&str]) -> Value {
    let mut all = vec!["infer"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let text = ok_with(env, &all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

#[test]
fn the_briefing_fits_100_columns_and_names_the_likeliest_holdout() {
    let out = ok_with(&[], &["infer"]);
    assert!(out.contains("Converged: largest split R-hat"), "{out}");
    assert!(out.contains("North Korea (DPRK)\n"), "{out}");
    assert!(out.contains("The record:\n  #1 2005-09-19"), "{out}");
    assert!(out.contains("Likeliest holdout of a 5-1:"), "{out}");
    for line in out.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn the_json_is_converged_and_its_chances_add_up() {
    let v = json(&[], &[]);
    assert_eq!(v["converged"], Value::Bool(true));
    assert!(number(&v["max_rhat"]) < 1.01);
    let parameters = v["parameters"].as_array().unwrap();
    assert_eq!(
        parameters.len(),
        72,
        "every position and salience of six actors"
    );
    for p in parameters {
        let (q10, q90) = (
            number(&p["posterior"]["q10"]),
            number(&p["posterior"]["q90"]),
        );
        assert!(q10 <= number(&p["posterior"]["mean"]) && number(&p["posterior"]["mean"]) <= q90);
    }
    let prediction = &v["prediction"];
    let holdouts: f64 = prediction["holdout"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| number(&h["posterior"]))
        .sum();
    let total = number(&prediction["unanimous"]["posterior"])
        + holdouts
        + number(&prediction["several_refuse"]["posterior"]);
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    // The default package is the maximin package of `coalitions`.
    let coalitions: Value =
        serde_json::from_str(&ok_with(&[], &["coalitions", "--format", "json"])).unwrap();
    assert_eq!(prediction["package"], coalitions["unanimous"]["values"]);
}

#[test]
fn one_and_two_threads_give_the_same_output_and_seeds_differ() {
    let run_with = |threads: &str, seed: &str| {
        ok_with(
            &[("RAYON_NUM_THREADS", threads)],
            &["infer", "--format", "json", "--seed", seed],
        )
    };
    let one = run_with("1", "5");
    assert_eq!(one, run_with("2", "5"));
    assert_ne!(one, run_with("2", "6"));
}

#[test]
fn an_unconverged_run_withholds_its_findings_and_exits_1() {
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir()).args([
        "infer",
        "--warmup",
        "0",
        "--draws",
        "20",
        "--max-draws",
        "20",
    ]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("NOT CONVERGED"), "{stdout}");
    assert!(!stdout.contains("Likeliest holdout"), "{stdout}");
    assert!(!stdout.contains("prior (80%)"), "{stdout}");
    assert!(stderr.contains("not a finding"), "{stderr}");
}

#[test]
fn bad_settings_exit_2() {
    for args in [
        &["infer", "--noise", "0"][..],
        &["infer", "--package", "nuclear_statu=5"],
    ] {
        let mut cmd = statecraft();
        cmd.current_dir(workspace_dir()).args(args);
        let (code, _, stderr) = run(&mut cmd);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn the_written_posterior_is_a_scenario_that_sweep_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("posterior.toml");
    let path_text = path.to_str().unwrap();
    ok_with(&[], &["infer", "--write", path_text]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("[[observations]]"),
        "the record is in the posterior now"
    );
    assert!(
        text.contains("sd ="),
        "positions and saliences as distributions"
    );
    ok_with(&[], &["check", path_text]);
    ok_with(
        &[],
        &["sweep", path_text, "--runs", "50", "--model", "compromise"],
    );
    // It does not write over an existing file.
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir())
        .args(["infer", "--write", path_text]);
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
fn the_briefing_says_what_the_record_says_about_each_actor_that_refused() {
    // The summary is the API's data: the CLI only words it.
    let data = json(&[], &[]);
    let records = data["records"].as_array().expect("records");
    let ids: Vec<&str> = records
        .iter()
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["DPRK", "Japan"]);
    assert_eq!(records[0]["refused"], serde_json::json!([2, 6, 7]));
    assert_eq!(records[0]["answered"], 7);
    let text = ok_with(&[], &["infer"]);
    // The built-in record: the North refused Resolution 1718 (#2), the verification protocol
    // (#6) and the April 2009 statement (#7); Japan the delisting (#5); nobody else refused.
    let dprk = text
        .find("What the record says about North Korea (DPRK): it refused 3 of the 7 packages it answered (#2, #6,")
        .unwrap_or_else(|| panic!("no paragraph on the DPRK:\n{text}"));
    assert!(text.contains("What the record says about Japan: it refused 1 of the 7 packages"));
    assert!(!text.contains("What the record says about United States"));
    let paragraph = &text[dprk..text[dprk..].find("\n\n").map_or(text.len(), |k| dprk + k)];
    let words = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("How sure: its 80% intervals are on average"),
        "{paragraph}"
    );
    for line in paragraph.lines() {
        assert!(line.chars().count() <= 100, "{line}");
    }
}
