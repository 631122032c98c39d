//! What-ifs (`--set`, `--drop`) on `forecast`, `sweep`, `power`, `show` and `convert`: the changed
//! scenario is analysed (on `forecast`, beside the original as baseline),
//! and every mistake in a what-if is refused with exit code 2.
//!
//! The scenario is small enough to compute the compromise (the capability x salience weighted
//! mean of the positions) by hand before and after each change.

use std::path::Path;

use serde_json::Value;

use crate::support::{ok_with, run, statecraft};

/// Weights: format A 40 x 0.5 = 20 at 10, B 60 x 0.5 = 30 at 70, C 20 x 1 = 20 at 40, so the
/// compromise is 3100 / 70 = 44.29; money A 40 x 0.25 = 10 at 2, B 60 x 0.5 = 30 at 8, so 6.5.
const SCENARIO: &str = r#"[scenario]
title = "What-if"

[[issues]]
id = "format"
min = 0
max = 100

[[issues]]
id = "money"
min = 0
max = 10

[[actors]]
id = "A"
capability = 40
positions = { format = { position = 10, salience = 0.5 }, money = { position = 2, salience = 0.25 } }

[[actors]]
id = "B"
capability = 60
positions = { format = { position = 70, salience = 0.5 }, money = { position = 8, salience = 0.5 } }

[[actors]]
id = "C"
capability = 20
positions = { format = { position = 40, salience = 1 } }
"#;

/// One actor's numbers: capability, and per issue (position, salience) or `None`.
#[derive(Clone, Copy)]
struct Actor {
    capability: f64,
    format: Option<(f64, f64)>,
    money: Option<(f64, f64)>,
}

const A: Actor = Actor {
    capability: 40.0,
    format: Some((10.0, 0.5)),
    money: Some((2.0, 0.25)),
};
const B: Actor = Actor {
    capability: 60.0,
    format: Some((70.0, 0.5)),
    money: Some((8.0, 0.5)),
};
const C: Actor = Actor {
    capability: 20.0,
    format: Some((40.0, 1.0)),
    money: None,
};

/// The compromise on (format, money) by hand.
fn compromise(actors: &[Actor]) -> (f64, f64) {
    let on = |stance: fn(&Actor) -> Option<(f64, f64)>| {
        let (mut num, mut den) = (0.0, 0.0);
        for a in actors {
            if let Some((position, salience)) = stance(a) {
                num += a.capability * salience * position;
                den += a.capability * salience;
            }
        }
        num / den
    };
    (on(|a| a.format), on(|a| a.money))
}

/// The table's number format: two decimals, trailing zeros dropped.
fn cell(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn scenario_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("w.toml"), SCENARIO).expect("write the scenario");
    dir
}

/// `statecraft ARGS` in `dir`: (exit code, stdout, stderr).
fn statecraft_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = statecraft();
    // Wide enough that no heading or cell wraps (tests/it/layout.rs checks 100 columns).
    cmd.current_dir(dir).env("COLUMNS", "300").args(args);
    run(&mut cmd)
}

fn ok_in(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = statecraft_in(dir, args);
    assert_eq!(code, Some(0), "statecraft {args:?}; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

fn json_in(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let text = ok_in(dir, &all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// (format, money) of one model in a list of forecasts.
fn values(forecasts: &Value, model: &str) -> (f64, f64) {
    let f = forecasts
        .as_array()
        .expect("forecasts")
        .iter()
        .find(|f| f["model"] == model)
        .unwrap_or_else(|| panic!("no {model} in {forecasts}"));
    let value = |issue: &str| {
        f["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["issue"] == issue)
            .unwrap()["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{model} has no value on {issue}"))
    };
    (value("format"), value("money"))
}

fn close(got: (f64, f64), want: (f64, f64)) -> bool {
    (got.0 - want.0).abs() < 1e-9 && (got.1 - want.1).abs() < 1e-9
}

/// The table row of `issue` in the what-if table (after its heading).
fn what_if_row<'a>(table: &'a str, heading: &str, issue: &str) -> &'a str {
    let start = table
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in\n{table}"));
    table[start..]
        .lines()
        .find(|l| l.starts_with(&format!("│ {issue} ")))
        .unwrap_or_else(|| panic!("no row {issue} in\n{table}"))
}

#[test]
fn the_hand_computed_compromise_is_right_to_begin_with() {
    let dir = scenario_dir();
    let out = json_in(dir.path(), &["forecast", "w.toml", "--model", "compromise"]);
    let want = compromise(&[A, B, C]);
    assert!(close(values(&out["forecasts"], "compromise"), want));
    assert!((want.0 - 3100.0 / 70.0).abs() < 1e-12 && want.1 == 6.5);
    assert!(
        out.get("what_if").is_none(),
        "no what-ifs, no what_if: {out}"
    );
    let table = ok_in(dir.path(), &["forecast", "w.toml"]);
    assert!(!table.contains("What if"), "{table}");
}

#[test]
fn set_changes_the_compromise_as_computed_by_hand() {
    let dir = scenario_dir();
    let set = [
        "--set",
        "A.format.position=80",
        "--set",
        "B.capability=20",
        "--set",
        "A.money.salience=1",
    ];
    let before = compromise(&[A, B, C]);
    let after = compromise(&[
        Actor {
            format: Some((80.0, 0.5)),
            money: Some((2.0, 1.0)),
            ..A
        },
        Actor {
            capability: 20.0,
            ..B
        },
        C,
    ]);
    // 3100 / 50 and 160 / 50.
    assert!((after.0 - 62.0).abs() < 1e-12 && (after.1 - 3.2).abs() < 1e-12);

    let mut args = vec!["forecast", "w.toml", "--model", "compromise"];
    args.extend_from_slice(&set);
    let out = json_in(dir.path(), &args);
    assert!(
        close(values(&out["forecasts"], "compromise"), after),
        "{out}"
    );
    let what_if = &out["what_if"];
    assert!(
        close(values(&what_if["baseline"], "compromise"), before),
        "{out}"
    );
    assert_eq!(
        what_if["changes"],
        "--set A.format.position=80, --set B.capability=20, --set A.money.salience=1"
    );

    let table = ok_in(dir.path(), &args);
    let heading = "What if --set A.format.position=80, --set B.capability=20, --set A.money.salience=1: baseline -> with the change";
    assert!(table.contains(heading), "{table}");
    // The forecast table above it shows the changed scenario.
    let forecast_part = &table[..table.find(heading).unwrap()];
    assert!(forecast_part.contains(&cell(after.0)), "{table}");
    for (issue, was, now) in [("format", before.0, after.0), ("money", before.1, after.1)] {
        let row = what_if_row(&table, heading, issue);
        let expected = format!("{} -> {}", cell(was), cell(now));
        assert!(
            row.contains(&expected),
            "{issue}: {expected:?} not in {row:?}"
        );
    }
    assert!(table.contains("44.29 -> 62"), "{table}");
    assert!(table.contains("6.5 -> 3.2"), "{table}");
}

#[test]
fn an_unchanged_issue_is_marked_same() {
    let dir = scenario_dir();
    // C takes no position on money, so moving C's format position leaves money alone.
    let args = [
        "forecast",
        "w.toml",
        "--model",
        "compromise",
        "--set",
        "C.format.position=61",
    ];
    let after = compromise(&[
        A,
        B,
        Actor {
            format: Some((61.0, 1.0)),
            ..C
        },
    ]);
    let table = ok_in(dir.path(), &args);
    let heading = "What if --set C.format.position=61: baseline -> with the change";
    let format_row = what_if_row(&table, heading, "format");
    assert!(
        format_row.contains(&format!("44.29 -> {}", cell(after.0))),
        "{format_row}"
    );
    let money_row = what_if_row(&table, heading, "money");
    assert!(money_row.contains("6.5 (same)"), "{money_row}");
}

#[test]
fn drop_removes_the_actor() {
    let dir = scenario_dir();
    let before = compromise(&[A, B, C]);
    let after = compromise(&[A, B]);
    // 2300 / 50; money is untouched (C takes no position on it).
    assert!((after.0 - 46.0).abs() < 1e-12 && after.1 == before.1);
    let args = ["forecast", "w.toml", "--model", "compromise", "--drop", "C"];
    let out = json_in(dir.path(), &args);
    assert!(
        close(values(&out["forecasts"], "compromise"), after),
        "{out}"
    );
    assert!(close(
        values(&out["what_if"]["baseline"], "compromise"),
        before
    ));
    assert_eq!(out["what_if"]["changes"], "--drop C");
    let table = ok_in(dir.path(), &args);
    let heading = "What if --drop C: baseline -> with the change";
    assert!(
        what_if_row(&table, heading, "format").contains("44.29 -> 46"),
        "{table}"
    );
    assert!(
        what_if_row(&table, heading, "money").contains("6.5 (same)"),
        "{table}"
    );

    // Every model forecasts exactly what it forecasts for the file without C.
    let without_c = SCENARIO[..SCENARIO.rfind("[[actors]]").unwrap()].to_owned();
    std::fs::write(dir.path().join("without_c.toml"), without_c).unwrap();
    let dropped = json_in(dir.path(), &["forecast", "w.toml", "--drop", "C"]);
    let edited = json_in(dir.path(), &["forecast", "without_c.toml"]);
    assert_eq!(dropped["forecasts"], edited["forecasts"]);
    // ... and the baseline is the plain forecast of the original.
    let plain = json_in(dir.path(), &["forecast", "w.toml"]);
    assert_eq!(dropped["what_if"]["baseline"], plain["forecasts"]);
}

#[test]
fn every_model_forecasts_the_changed_file_and_keeps_the_plain_baseline() {
    let dir = scenario_dir();
    let edited = SCENARIO
        .replace(
            "position = 10, salience = 0.5",
            "position = 80, salience = 0.5",
        )
        .replace("capability = 60", "capability = 20");
    assert_ne!(edited, SCENARIO);
    std::fs::write(dir.path().join("edited.toml"), edited).unwrap();
    let changed = json_in(
        dir.path(),
        &[
            "forecast",
            "w.toml",
            "--set",
            "A.format.position=80",
            "--set",
            "B.capability=20",
        ],
    );
    let models: Vec<&str> = changed["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["compromise", "median", "nash", "bdm"]);
    let edited = json_in(dir.path(), &["forecast", "edited.toml"]);
    assert_eq!(changed["forecasts"], edited["forecasts"]);
    let plain = json_in(dir.path(), &["forecast", "w.toml"]);
    assert_eq!(changed["what_if"]["baseline"], plain["forecasts"]);
    assert_ne!(changed["forecasts"], plain["forecasts"]);
}

#[test]
fn what_if_baseline_is_the_plain_forecast_of_the_built_in() {
    let plain: Value =
        serde_json::from_str(&ok_with(&[], &["forecast", "--format", "json"])).unwrap();
    let changed: Value = serde_json::from_str(&ok_with(
        &[],
        &[
            "forecast",
            "--format",
            "json",
            "--set",
            "DPRK.nuclear_status.salience=0.5",
            "--drop",
            "Russia",
        ],
    ))
    .unwrap();
    assert_eq!(changed["what_if"]["baseline"], plain["forecasts"]);
    assert_ne!(changed["forecasts"], plain["forecasts"]);
    assert_eq!(
        changed["what_if"]["changes"],
        "--set DPRK.nuclear_status.salience=0.5, --drop Russia"
    );
}

#[test]
fn sweep_applies_the_what_ifs_first() {
    // The built-in scenario: a sweep with a what-if differs from one without.
    let args = ["sweep", "--runs", "200", "--format", "json"];
    let plain = ok_with(&[], &args);
    let mut with = args.to_vec();
    with.extend_from_slice(&["--set", "DPRK.capability=100"]);
    let changed = ok_with(&[], &with);
    assert_ne!(plain, changed);
    let mut dropped = args.to_vec();
    dropped.extend_from_slice(&["--drop", "Russia"]);
    let dropped: Value = serde_json::from_str(&ok_with(&[], &dropped)).unwrap();
    let inputs = dropped["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 65, "five actors of 13 inputs each");
    assert!(
        !inputs
            .iter()
            .any(|i| i.as_str().unwrap().starts_with("Russia.")),
        "{inputs:?}"
    );

    // With nothing drawn, the sweep's mean is the hand-computed compromise of the change.
    let dir = scenario_dir();
    let out = json_in(
        dir.path(),
        &[
            "sweep",
            "w.toml",
            "--model",
            "compromise",
            "--uncertainty",
            "0",
            "--runs",
            "10",
            "--set",
            "A.format.position=80",
            "--set",
            "B.capability=20",
            "--set",
            "A.money.salience=1",
        ],
    );
    let issues = out["models"][0]["issues"].as_array().unwrap();
    let mean = |i: usize| issues[i]["mean"].as_f64().unwrap();
    assert!((mean(0) - 62.0).abs() < 1e-9, "{out}");
    assert!((mean(1) - 3.2).abs() < 1e-9, "{out}");
}

/// What-ifs that are wrong: (arguments after the scenario, words stderr must contain).
#[rustfmt::skip]
const REFUSED: &[(&[&str], &[&str])] = &[
    (&["--set", "X.capability=3"], &["error: --set `X.capability=3` names actor `X`, which the scenario does not define", "help: the actors are: A, B, C"]),
    (&["--drop", "Z"], &["error: --drop names actor `Z`, which the scenario does not define", "help: the actors are: A, B, C"]),
    (&["--set", "A.formt.position=1"], &["error: --set `A.formt.position=1` names issue `formt`, which the scenario does not define", "help: did you mean `format`? the issues are: format, money"]),
    (&["--set", "A.format.weight=1"], &["error: --set `A.format.weight=1` is not a value of the scenario", "help: write --set ACTOR.ISSUE.position=VALUE"]),
    (&["--set", "A.power=1"], &["error: --set `A.power=1` is not a value of the scenario", "help:"]),
    (&["--set", "A.format.position=abc"], &["error: --set `A.format.position=abc`: `abc` is not a number", "help:"]),
    (&["--set", "A.format.position"], &["error: --set `A.format.position` has no `=`", "help:"]),
    (&["--set", "C.money.position=5"], &["error: --set `C.money.position=5`: actor `C` takes no position on `money`", "help:"]),
    // Changes that leave an invalid scenario.
    (&["--set", "A.format.position=150"], &["error: with the what-ifs, ", "position 150 is outside the issue's scale 0..=100"]),
    (&["--set", "A.format.salience=1.5"], &["error: with the what-ifs, ", "salience 1.5 is outside 0..=1"]),
    (&["--set", "B.capability=0"], &["error: with the what-ifs, ", "capability is 0"]),
    (&["--drop", "B"], &["error: with the what-ifs, ", "issue `money`", "at least two are needed"]),
    (&["--drop", "A", "--drop", "B"], &["error: with the what-ifs, ", "at least two actors, found 1"]),
];

#[test]
fn every_wrong_what_if_exits_2_on_forecast_and_sweep() {
    let dir = scenario_dir();
    let mut failures = Vec::new();
    for command in ["forecast", "sweep"] {
        for (what_if, words) in REFUSED {
            let mut args = vec![command, "w.toml"];
            args.extend_from_slice(what_if);
            let (code, stdout, stderr) = statecraft_in(dir.path(), &args);
            let mut wrong = Vec::new();
            if code != Some(2) {
                wrong.push(format!("exit code {code:?}"));
            }
            if !stdout.is_empty() {
                wrong.push(format!("stdout {stdout:?}"));
            }
            if stderr.contains("panicked") {
                wrong.push("panicked".into());
            }
            if !stderr.starts_with("error: ") {
                wrong.push("stderr does not start with `error: `".into());
            }
            for word in *words {
                if !stderr.contains(word) {
                    wrong.push(format!("no {word:?}"));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!("{args:?}: {}\nstderr:\n{stderr}", wrong.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_unknown_actor_gets_a_did_you_mean() {
    for command in ["forecast", "sweep"] {
        for (args, words) in [
            (
                &["--drop", "Rusia"][..],
                &["--drop names actor `Rusia`", "help: did you mean `Russia`?"][..],
            ),
            (
                &["--set", "Japn.capability=1"],
                &["names actor `Japn`", "help: did you mean `Japan`?"],
            ),
        ] {
            let mut all = vec![command];
            all.extend_from_slice(args);
            let mut cmd = statecraft();
            cmd.args(&all);
            let (code, stdout, stderr) = run(&mut cmd);
            assert_eq!(code, Some(2), "{all:?}: {stderr}");
            assert!(stdout.is_empty(), "{all:?}: {stdout}");
            for word in words {
                assert!(stderr.contains(word), "{all:?}: no {word:?} in\n{stderr}");
            }
        }
    }
}

/// `statecraft check` explains how to fix a position off the scale; the same problem caused by a
/// what-if is reported without that help.
#[test]
fn an_invalid_change_has_help() {
    let dir = scenario_dir();
    let (code, _, stderr) = statecraft_in(
        dir.path(),
        &["forecast", "w.toml", "--set", "A.format.position=150"],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("help:"), "{stderr}");
}

#[test]
fn power_show_and_convert_take_the_changed_scenario() {
    let dir = scenario_dir();
    // Weights 40, 60, 20 under majority (61 of 120): B with either other wins. Dropping C leaves
    // 40 and 60 (51 of 100): B alone wins, so it holds all the power.
    let before = json_in(dir.path(), &["power", "w.toml"]);
    let b_before = before["players"][1]["shapley_shubik"]
        .as_f64()
        .expect("a number");
    assert!((b_before - 2.0 / 3.0).abs() < 1e-12, "{before:#}");
    let after = json_in(dir.path(), &["power", "w.toml", "--drop", "C"]);
    let players = after["players"].as_array().expect("players");
    assert_eq!(players.len(), 2, "{after:#}");
    assert_eq!(players[1]["name"], "B");
    assert_eq!(players[1]["shapley_shubik"], 1.0);

    let shown = json_in(dir.path(), &["show", "w.toml", "--set", "A.capability=90"]);
    assert_eq!(shown["actors"][0]["capability"], 90.0, "{shown:#}");

    ok_in(dir.path(), &["convert", "w.toml", "v.toml", "--drop", "C"]);
    let variant = json_in(dir.path(), &["show", "v.toml"]);
    let ids: Vec<&str> = variant["actors"]
        .as_array()
        .expect("actors")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["A", "B"]);

    // With --weights there is no scenario to change.
    let (code, _, stderr) = statecraft_in(
        dir.path(),
        &["power", "--weights", "1,2", "--quota", "2", "--drop", "A"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

/// `--set` on every kind of value of the built-in scenario: (the what-if, where the value is in
/// the scenario that `convert` writes as JSON, what it holds there afterwards).
#[rustfmt::skip]
const SET_ANYWHERE: &[(&str, &str, &str)] = &[
    ("scenario.uncertainty=0.2", "/scenario/uncertainty", "0.2"),
    ("scenario.date=2010-01-01", "/scenario/date", r#""2010-01-01""#),
    ("issues.sanctions.status_quo=40", "/issues/5/status_quo", "40.0"),
    ("issues.sanctions.max=120", "/issues/5/max", "120.0"),
    ("issues.nuclear_status.controlled_by=DPRK,US", "/issues/0/controlled_by", r#"["DPRK","US"]"#),
    ("issues.talks_format.controlled_by=all", "/issues/4/controlled_by", "null"),
    ("US.capability=90", "/actors/0/capability", "90.0"),
    ("DPRK.capability=normal(30, 5)", "/actors/1/capability", r#"{"mean":30.0,"sd":5.0}"#),
    ("US.nuclear_status.position=uniform(0, 10)", "/actors/0/positions/nuclear_status/position", r#"{"min":0.0,"max":10.0}"#),
    ("US.sanctions.salience=0.9", "/actors/0/positions/sanctions/salience", "0.9"),
    ("US.sanctions.fallback=10", "/actors/0/positions/sanctions/fallback", "10.0"),
    ("US.red_lines.1.min=70", "/actors/0/red_lines/0/min", "70.0"),
    ("US.red_lines.2.max=95", "/actors/0/red_lines/1/max", "95.0"),
    ("US.domestic.1.turnover=0.5", "/actors/0/domestic/changes/0/turnover", "0.5"),
    ("US.domestic.2.date=2016-11-09", "/actors/0/domestic/changes/1/date", r#""2016-11-09""#),
    ("DPRK.domestic.hazard=0.3", "/actors/1/domestic/changes/0/hazard", "0.3"),
    ("ROK.domestic.turnover=0.2", "/actors/2/domestic/changes/0/turnover", "0.2"),
    ("US.domestic.2.successors.1.nuclear_status.spread=4", "/actors/0/domestic/changes/1/successors/0/positions/nuclear_status/spread", "4.0"),
    ("US.domestic.1.successors.1.sanctions.salience=0.8", "/actors/0/domestic/changes/0/successors/0/positions/sanctions/salience", "0.8"),
    ("US.domestic.1.successors.1.talks_format.position=none", "/actors/0/domestic/changes/0/successors/0/positions/talks_format", "null"),
    ("US.affinity.China=0.1", "/actors/0/affinity/China", "0.1"),
    ("US.affinity.Japan=none", "/actors/0/affinity/Japan", "null"),
    ("China.reservation=0.05", "/actors/4/reservation", "0.05"),
    ("DPRK.response.probability=0.5", "/actors/1/response/probability", "0.5"),
    ("DPRK.response.delay=1", "/actors/1/response/delay", "1.0"),
    ("forms.treaty.cost=0.2", "/forms/3/cost", "0.2"),
    ("forms.treaty.costs.DPRK=0.3", "/forms/3/costs/DPRK", "0.3"),
    ("forms.treaty.issue_costs.sanctions.up=0.4", "/forms/3/issue_costs/0/up", "0.4"),
    ("forms.statement.cost_trend=-0.1", "/forms/0/cost_trend", "-0.1"),
    ("observations.1.package.sanctions=50", "/observations/0/package/sanctions", "50.0"),
];

#[test]
fn set_changes_every_kind_of_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut failures = Vec::new();
    for (n, (set, pointer, want)) in SET_ANYWHERE.iter().enumerate() {
        let file = format!("set{n}.json");
        let (code, _, stderr) = statecraft_in(
            dir.path(),
            &["convert", "six-party-2009", &file, "--set", set],
        );
        if code != Some(0) {
            failures.push(format!("--set {set}: exit {code:?}\n{stderr}"));
            continue;
        }
        let text = std::fs::read_to_string(dir.path().join(&file)).expect("the written scenario");
        let written: Value = serde_json::from_str(&text).expect("JSON");
        let got = written.pointer(pointer).cloned().unwrap_or(Value::Null);
        let want: Value = serde_json::from_str(want).expect("the expected JSON");
        if got != want {
            failures.push(format!("--set {set}: {pointer} is {got}, not {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--set` values that break a rule of the file, or that are not of the path's kind: (the
/// what-if, words stderr must contain). Each names the `--set` and the rule.
#[rustfmt::skip]
const REFUSED_ANYWHERE: &[(&str, &[&str])] = &[
    ("US.domestic.1.turnover=1.5", &["--set `US.domestic.1.turnover=1.5`", "turnover 1.5 is outside 0..=1"]),
    ("DPRK.domestic.hazard=-0.1", &["--set `DPRK.domestic.hazard=-0.1`", "hazard -0.1 is outside 0..=1"]),
    ("US.domestic.2.successors.1.probability=0.7", &["--set `US.domestic.2.successors.1.probability=0.7`", "successor probabilities add up to 1.2"]),
    ("US.domestic.1.successors.1.sanctions.position=150", &["--set `US.domestic.1.successors.1.sanctions.position=150`", "outside the issue's scale 0..=100"]),
    ("US.domestic.2.successors.1.sanctions.spread=-1", &["--set `US.domestic.2.successors.1.sanctions.spread=-1`", "a standard deviation cannot be negative"]),
    ("US.red_lines.1.min=2", &["--set `US.red_lines.1.min=2`", "contains the actor's own position 5"]),
    ("US.red_lines.1.max=120", &["--set `US.red_lines.1.max=120`", "outside the issue's scale"]),
    ("issues.sanctions.status_quo=150", &["--set `issues.sanctions.status_quo=150`", "status_quo 150 is outside the issue's scale 0..=100"]),
    ("US.affinity.China=1.5", &["--set `US.affinity.China=1.5`", "outside 0..=1"]),
    ("China.reservation=-1", &["--set `China.reservation=-1`", "it must be 0 or more"]),
    ("DPRK.response.delay=-1", &["--set `DPRK.response.delay=-1`", "cannot be negative"]),
    ("forms.treaty.costs.DPRK=-0.3", &["--set `forms.treaty.costs.DPRK=-0.3`", "costs cannot be negative"]),
    ("forms.treaty.cost_trend=-1", &["--set `forms.treaty.cost_trend=-1`", "a yearly change must be above -1"]),
    ("DPRK.capability=normal(30, -5)", &["--set `DPRK.capability=normal(30, -5)`", "sd"]),
    ("scenario.uncertainty=-1", &["--set `scenario.uncertainty=-1`"]),
    // Not of the path's kind.
    ("US.domestic.1.date=soon", &["--set `US.domestic.1.date=soon`: `soon` is not a date YYYY-MM-DD"]),
    ("issues.sanctions.controlled_by=EU", &["`EU` is not actor ids separated by commas, or `all`"]),
    ("US.domestic.1.turnover=half", &["`half` is not a number"]),
    // A list of two entries needs its index.
    ("US.domestic.turnover=0.5", &["--set `US.domestic.turnover=0.5` is ambiguous", "US.domestic.1.turnover or US.domestic.2.turnover"]),
    ("US.domestic.3.turnover=0.5", &["is not a value of the scenario"]),
];

#[test]
fn a_bad_value_anywhere_exits_2_naming_the_set_and_the_rule() {
    let mut failures = Vec::new();
    for (set, words) in REFUSED_ANYWHERE {
        let mut cmd = statecraft();
        cmd.args(["forecast", "--model", "compromise", "--set", set]);
        let (code, stdout, stderr) = run(&mut cmd);
        let mut wrong = Vec::new();
        if code != Some(2) {
            wrong.push(format!("exit code {code:?}"));
        }
        if !stdout.is_empty() || !stderr.starts_with("error: ") || stderr.contains("panicked") {
            wrong.push("not a plain error".to_owned());
        }
        wrong.extend(
            words
                .iter()
                .filter(|w| !stderr.contains(*w))
                .map(|w| format!("no {w:?}")),
        );
        if !wrong.is_empty() {
            failures.push(format!("--set {set}: {}\n{stderr}", wrong.join(", ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
