//! `statecraft forecast --model smp`: KTAB's spatial model of politics through the real binary.
//! The trace (`--trace FILE.csv`, `actor,dim,t0,t1,...`) is compared with KTAB's own
//! `positions.csv` within 1e-6 (when `../shared` is present), and the built-in scenario's table,
//! JSON, CSV, narration and usage errors are checked.

use std::path::Path;

use serde_json::Value;

use crate::support::{flat, ok_with, run, shared, statecraft};

fn ok(args: &[&str]) -> String {
    ok_with(&[], args)
}

/// Reads `actor,dim,t0,t1,...` into rows of (actor, dim, values).
fn read_trace(text: &str) -> Vec<(String, String, Vec<f64>)> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            let values = r
                .iter()
                .skip(2)
                .map(|v| v.parse().expect("a number"))
                .collect();
            (r[0].to_owned(), r[1].to_owned(), values)
        })
        .collect()
}

/// Runs the binary on a KTAB input with `--trace` and compares with KTAB's positions.
fn trace_matches_ktab(case: &str, file: &str) {
    let Some(dir) = shared("parity/ktab") else {
        return;
    };
    let dir = dir.join(case);
    let temp = tempfile::tempdir().expect("a temporary directory");
    let trace = temp.path().join("trace.csv");
    let input = dir.join(file);
    ok(&[
        "forecast",
        input.to_str().unwrap(),
        "--model",
        "smp",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    let ours = read_trace(&std::fs::read_to_string(&trace).expect("the trace was written"));
    let ktab = read_trace(&std::fs::read_to_string(dir.join("positions.csv")).expect("KTAB's"));
    assert_eq!(ours.len(), ktab.len(), "{case}: rows");
    for ((actor, dim, x), (k_actor, k_dim, y)) in ours.iter().zip(&ktab) {
        assert_eq!(actor, k_actor.trim(), "{case}: actor order");
        assert_eq!(dim.trim(), k_dim.trim(), "{case}: dimension order");
        assert_eq!(x.len(), y.len(), "{case}: {actor} {dim}: number of turns");
        for (t, (a, b)) in x.iter().zip(y).enumerate() {
            assert!(
                (a - b).abs() < 1e-6,
                "{case}: {actor} {dim} at t{t}: ours {a}, KTAB {b}"
            );
        }
    }
}

#[test]
fn the_trace_of_dummy_data_3dim_is_ktabs() {
    trace_matches_ktab("dummyData_3Dim", "dummyData_3Dim.csv");
}

#[test]
fn the_trace_of_soe_pol_comp_is_ktabs() {
    trace_matches_ktab("SOE-Pol-Comp", "SOE-Pol-Comp.csv");
}

#[test]
fn the_trace_of_the_xml_scenario_is_ktabs() {
    trace_matches_ktab("dummyData_3Dim_fixed_xml", "dummyData_3Dim_fixed.xml");
}

#[test]
fn the_builtin_scenario_shows_its_distribution_and_path() {
    // Wide enough that the model's name is not wrapped inside its header cell.
    let table = ok_with(&[("COLUMNS", "300")], &["forecast", "--model", "smp"]);
    for words in [
        "Spatial model of politics (KTAB SMP)",
        "the outcome's distribution after the last turn",
        "the path of the turns",
        "Held by",
        "settled after turn",
    ] {
        assert!(table.contains(words), "no `{words}` in:\n{table}");
    }
    let out: Value = serde_json::from_str(&ok(&["forecast", "--model", "smp", "--format", "json"]))
        .expect("JSON");
    let forecast = &out["forecasts"][0];
    assert_eq!(forecast["model"], "smp");
    assert_eq!(forecast["issues"].as_array().unwrap().len(), 6);
    let run = &out["smp_run"];
    let states = run["states"].as_array().expect("states");
    assert_eq!(states.len(), run["turns"].as_array().unwrap().len() + 1);
    let last = states.last().unwrap();
    let total: f64 = last["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    let bargain = &run["turns"][0]["bargains"][0];
    for key in [
        "initiator",
        "receiver",
        "initiator_position",
        "receiver_position",
    ] {
        assert!(!bargain[key].is_null(), "no {key} in {bargain}");
    }
}

#[test]
fn csv_alone_is_the_trace_and_explain_narrates_the_turns() {
    let csv = ok(&["forecast", "--model", "smp", "--format", "csv"]);
    let rows = read_trace(&csv);
    assert_eq!(rows.len(), 6 * 6, "6 actors x 6 issues");
    assert_eq!(rows[0].0, "US");
    // The narration wraps to the width: read it with the line breaks undone.
    let story = flat(&ok(&["forecast", "--model", "smp", "--explain"]));
    assert!(story.contains("Turn 1: offers from"), "{story}");
    assert!(story.contains("Forecast (probability-weighted)"), "{story}");
    // Beside other models, smp adds its column.
    let both = ok(&["forecast", "--model", "compromise,smp", "--format", "csv"]);
    assert!(both.lines().any(|l| l.starts_with("smp,")), "{both}");
    assert!(both.lines().any(|l| l.starts_with("compromise,")), "{both}");
}

#[test]
fn parameters_are_set_by_ktab_name() {
    let base = ok(&["forecast", "--model", "smp", "--format", "csv"]);
    let other = ok(&[
        "forecast",
        "--model",
        "smp",
        "--format",
        "csv",
        "--smp",
        "VotingRule=Binary",
        "--smp",
        "InterVecBrgn=S1P1",
        "--max-turns",
        "3",
    ]);
    assert_ne!(base, other);
    assert!(read_trace(&other)[0].2.len() <= 4, "at most 3 turns");
}

#[test]
fn bad_parameters_are_bad_usage() {
    for (args, words) in [
        (
            &["--smp", "VotingRule=Majority"][..],
            "unknown value `Majority`",
        ),
        (
            &["--smp", "Colour=Blue"],
            "unknown model parameter `Colour`",
        ),
        (&["--smp", "VotingRule"], "is not KEY=VALUE"),
        (&["--max-turns", "0"], "--max-turns 0"),
    ] {
        let mut cmd = statecraft();
        cmd.args(["forecast", "--model", "smp"]).args(args);
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    let mut cmd = statecraft();
    let temp = tempfile::tempdir().unwrap();
    let trace = temp.path().join("t.csv");
    cmd.args(["forecast", "--model", "bdm,smp", "--trace"])
        .arg(&trace);
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("bdm and smp both ran"), "{stderr}");
    assert!(!Path::new(&trace).exists());
}

#[test]
fn the_xml_files_settings_are_used() {
    let Some(dir) = shared("parity/ktab") else {
        return;
    };
    let file = dir.join("smpExample_fixed_xml/smpExample_fixed.xml");
    let out: Value = serde_json::from_str(&ok(&[
        "forecast",
        file.to_str().unwrap(),
        "--model",
        "smp",
        "--format",
        "json",
    ]))
    .expect("JSON");
    let params = &out["smp_run"]["params"];
    assert_eq!(params["pce"], "MarkovIncentive");
    assert_eq!(params["transitions"], "Stochastic");
    assert_eq!(params["voting"], "PropCbc");
    assert_eq!(params["seed"].as_u64(), Some(3_507_583_219_545_544_127));
    // Non-identity ideal adjustment: ideals are reported apart from positions.
    assert!(!out["smp_run"]["states"][1]["ideals"].is_null());
}
