//! `statecraft power`: voting power indices through the real binary. The UN Security Council's
//! exact indices (worked out in `crates/statecraft-core/tests/power.rs`) in JSON, the three output
//! formats, a scenario under each rule, Monte Carlo's reproducibility, and every kind of bad
//! input refused with exit code 2 and a `help:` line.

use serde_json::Value;

use crate::support::{run, statecraft, workspace_dir};

/// The UN Security Council: five permanent members (7) and ten elected members (1), quota 39.
const COUNCIL: [&str; 4] = [
    "--quota",
    "39",
    "--weights",
    "7,7,7,7,7,1,1,1,1,1,1,1,1,1,1",
];

/// Runs `statecraft power ARGS` in the workspace root and returns (exit code, stdout, stderr).
fn power(args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir()).arg("power").args(args);
    run(&mut cmd)
}

/// `power ARGS`, asserting success, and stdout.
fn ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = power(args);
    assert_eq!(code, Some(0), "power {args:?} failed; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let text = ok(&all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn number(value: &Value, key: &str) -> f64 {
    value[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no number `{key}` in {value}"))
}

fn players(out: &Value) -> &Vec<Value> {
    out["players"]
        .as_array()
        .unwrap_or_else(|| panic!("no `players` array in {out}"))
}

#[test]
fn security_council_exact_indices_in_json() {
    let out = json(&COUNCIL);
    assert_eq!(out["method"], "exact");
    assert_eq!(out["quota"], 39);
    let players = players(&out);
    assert_eq!(players.len(), 15);
    // (Shapley-Shubik, normalised Banzhaf, absolute Banzhaf), exact fractions.
    let permanent = (421.0 / 2145.0, 848.0 / 5080.0, 848.0 / 16384.0);
    let elected = (4.0 / 2145.0, 84.0 / 5080.0, 84.0 / 16384.0);
    for (i, p) in players.iter().enumerate() {
        let (ss, bz, abs) = if i < 5 { permanent } else { elected };
        assert_eq!(p["name"], format!("p{}", i + 1));
        assert_eq!(p["weight"], if i < 5 { 7 } else { 1 });
        for (key, want) in [
            ("shapley_shubik", ss),
            ("banzhaf", bz),
            ("banzhaf_absolute", abs),
        ] {
            let got = number(p, key);
            assert!(
                (got - want).abs() < 1e-12,
                "player {i}: {key} {got} vs {want}"
            );
        }
        assert!(p.get("shapley_shubik_se").is_none(), "{p}");
    }
    // To four significant digits, as usually quoted.
    assert_eq!(
        format!("{:.4}", number(&players[0], "shapley_shubik")),
        "0.1963"
    );
    assert_eq!(
        format!("{:.6}", number(&players[5], "shapley_shubik")),
        "0.001865"
    );
    assert_eq!(format!("{:.4}", number(&players[0], "banzhaf")), "0.1669");
    assert_eq!(format!("{:.4}", number(&players[5], "banzhaf")), "0.0165");
}

#[test]
fn names_table_and_csv() {
    let names = ["--names", "us,uk,fr,ru,cn,e1,e2,e3,e4,e5,e6,e7,e8,e9,e10"];
    let mut args = COUNCIL.to_vec();
    args.extend(names);
    let table = ok(&args);
    assert!(table.contains("Exact indices; quota 39 of 45"), "{table}");
    assert!(table.contains("Shapley-Shubik"), "{table}");
    assert!(
        table.contains("0.1963") && table.contains("0.001865"),
        "{table}"
    );
    args.extend(["--format", "csv"]);
    let csv = ok(&args);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "name,weight,shapley_shubik,banzhaf,banzhaf_absolute"
    );
    assert_eq!(lines.len(), 16);
    assert!(lines[1].starts_with("us,7,0.1962"), "{}", lines[1]);
    assert!(lines[15].starts_with("e10,1,0.00186"), "{}", lines[15]);
}

#[test]
fn monte_carlo_reports_errors_and_repeats_with_its_seed() {
    let mut args = COUNCIL.to_vec();
    args.extend(["--monte-carlo", "--samples", "20000", "--seed", "9"]);
    let out = json(&args);
    assert_eq!(out["method"], "monte-carlo");
    assert_eq!(out["samples"], 20000);
    assert_eq!(out["seed"], 9);
    let p = &players(&out)[0];
    let (ss, se) = (number(p, "shapley_shubik"), number(p, "shapley_shubik_se"));
    assert!(se > 0.0 && (ss - 421.0 / 2145.0).abs() < 4.0 * se, "{p}");
    for key in ["banzhaf_se", "banzhaf_absolute_se"] {
        assert!(number(p, key) > 0.0, "{p}");
    }
    assert_eq!(out, json(&args), "the same seed gives the same estimates");
    let threads = {
        let mut cmd = statecraft();
        cmd.current_dir(workspace_dir())
            .env("RAYON_NUM_THREADS", "1")
            .arg("power")
            .args(&args)
            .args(["--format", "json"]);
        run(&mut cmd).1
    };
    assert_eq!(
        serde_json::from_str::<Value>(&threads).unwrap(),
        out,
        "one thread gives the same estimates"
    );
}

#[test]
fn scenario_capabilities_under_each_rule() {
    for rule in ["majority", "unanimity", "qualified=0.65", "qualified=80%"] {
        let out = json(&["--rule", rule]);
        assert_eq!(out["method"], "exact", "{rule}");
        assert_eq!(
            out["rule"].as_str().map(|r| r.starts_with(&rule[..5])),
            Some(true)
        );
        let players = players(&out);
        assert!(players.len() >= 2, "{out}");
        let total: f64 = players.iter().map(|p| number(p, "shapley_shubik")).sum();
        assert!((total - 1.0).abs() < 1e-9, "{rule}: {total}");
        if rule == "unanimity" {
            let first = number(&players[0], "shapley_shubik");
            for p in players {
                assert!((number(p, "shapley_shubik") - first).abs() < 1e-12, "{p}");
            }
        }
    }
    // The weights are the capabilities x 100.
    let out = json(&["six-party-2009"]);
    assert_eq!(out["rule"], "majority");
    for p in players(&out) {
        assert_eq!(number(p, "weight") % 100.0, 0.0, "{p}");
    }
}

#[test]
fn bad_input_exits_2_with_help() {
    let council_names = "a,b,c";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--quota", "39", "--weights", "7,x,1"],
            "`x` in --weights",
        ),
        (
            vec!["--quota", "3", "--weights", "1,-2,1"],
            "`-2` in --weights",
        ),
        (
            vec!["--quota", "3", "--weights", "1.5,2"],
            "`1.5` in --weights",
        ),
        (
            vec!["--quota", "0", "--weights", "1,2"],
            "quota 0 is outside 1..=3",
        ),
        (
            vec!["--quota", "4", "--weights", "1,2"],
            "quota 4 is outside 1..=3",
        ),
        (vec!["--quota", "-1", "--weights", "1,2"], "quota `-1`"),
        (
            vec!["--quota", "2", "--weights", "1,2", "--names", council_names],
            "3 names for 2 weights",
        ),
        (vec!["--weights", "1,2"], "needs a quota"),
        (
            vec!["--weights", "1,2", "--quota", "2", "--rule", "majority"],
            "both --quota and --rule",
        ),
        (
            vec!["--weights", "1,2", "--rule", "plurality"],
            "unknown rule",
        ),
        (vec!["--rule", "qualified=1.5"], "not a share"),
        (vec!["--quota", "3"], "--quota needs --weights"),
        (
            vec!["six-party-2009", "--weights", "1,2", "--quota", "2"],
            "both a scenario",
        ),
        (
            vec!["--weights", "1,2", "--quota", "2", "--samples", "1"],
            "--samples 1",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = power(&args);
        assert_eq!(code, Some(2), "power {args:?}: stderr:\n{stderr}");
        assert!(stdout.is_empty(), "power {args:?} printed {stdout}");
        assert!(stderr.starts_with("error:"), "power {args:?}: {stderr}");
        assert!(stderr.contains(message), "power {args:?}: {stderr}");
        assert!(stderr.contains("help:"), "power {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
