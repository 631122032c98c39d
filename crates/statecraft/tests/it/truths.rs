//! What the analyst reads must be true (issue 18): forecasts and packages inside a red line say
//! so, a spread from a handful of draws is not drawn as a distribution, tied actors are all
//! named, and the small truths (`--variant` without bdm, `sweep --model smp`, the what-if
//! forecast's title). All on the built-in scenario, where each defect showed.

use serde_json::Value;

use crate::support::{flat, message_text, ok_with, run, statecraft};

fn json(args: &[&str]) -> Value {
    let text = ok_with(&[], args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The (actor, min, max) of a list of red-line flags.
fn lines(flags: &Value) -> Vec<(String, f64, f64)> {
    flags
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    assert_eq!(f["min_included"], true, "{f}");
                    assert_eq!(f["max_included"], true, "{f}");
                    (
                        f["actor"].as_str().unwrap().to_owned(),
                        f["min"].as_f64().unwrap(),
                        f["max"].as_f64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn dprk_nuclear() -> Vec<(String, f64, f64)> {
    vec![("DPRK".into(), 0.0, 10.0)]
}

#[test]
fn forecasts_inside_a_red_line_are_flagged_in_json_csv_and_the_table() {
    // The weighted median and bdm land at 5 on nuclear status, inside the DPRK's 0..=10; the
    // compromise (18.84) and the spatial model (12.09) do not.
    let result = json(&[
        "forecast",
        "--model",
        "median,compromise,smp",
        "--format",
        "json",
    ]);
    let nuclear = |model: &str| {
        let f = result["forecasts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["model"] == model)
            .unwrap_or_else(|| panic!("no {model}"));
        f["issues"][0].clone()
    };
    assert_eq!(nuclear("median")["value"], 5.0);
    assert_eq!(lines(&nuclear("median")["red_lines"]), dprk_nuclear());
    assert!(lines(&nuclear("compromise")["red_lines"]).is_empty());
    let smp = nuclear("smp");
    let v = smp["value"].as_f64().unwrap();
    assert_eq!(lines(&smp["red_lines"]).is_empty(), v > 10.0, "smp at {v}");

    let table = ok_with(&[], &["forecast", "--model", "median"]);
    assert!(table.contains("5 \u{2020}"), "{table}");
    assert!(
        flat(&table).contains("median on nuclear_status 5: inside DPRK's red line 0..=10"),
        "{table}"
    );
    let csv = ok_with(&[], &["forecast", "--model", "median", "--format", "csv"]);
    assert!(
        csv.lines()
            .any(|l| l.starts_with("median,nuclear_status,5,") && l.contains(",DPRK 0..=10,")),
        "{csv}"
    );
}

#[test]
fn packages_inside_a_red_line_are_flagged_in_coalitions_and_durability() {
    // The best 5-1 without the DPRK sets nuclear status to 0: inside the DPRK's red line.
    let result = json(&["coalitions", "--format", "json"]);
    let without_dprk = result["coalitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outsiders"] == serde_json::json!(["DPRK"]))
        .expect("a 5-1 without the DPRK");
    let flags = &without_dprk["package"]["red_lines"];
    assert!(
        flags
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["actor"] == "DPRK" && f["issue"] == "nuclear_status"),
        "{flags}"
    );
    let table = flat(&ok_with(&[], &["coalitions"]));
    assert!(
        table.contains("\u{2020} inside DPRK's red line 0..=10"),
        "{table}"
    );

    let durability = json(&[
        "durability",
        "--package",
        "nuclear_status=10",
        "--runs",
        "200",
        "--format",
        "json",
    ]);
    assert_eq!(
        lines(&durability["package"][0]["red_lines"]),
        dprk_nuclear(),
        "the edge 10 itself is inside"
    );
    let table = ok_with(
        &[],
        &[
            "durability",
            "--package",
            "nuclear_status=10",
            "--runs",
            "200",
        ],
    );
    assert!(table.contains("nuclear_status: 10 \u{2020}"), "{table}");
}

#[test]
fn the_report_flags_forecasts_inside_a_red_line() {
    let report = json(&["report", "--format", "json", "--histories", "200"]);
    let median = report["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["model"] == "median")
        .expect("the median's forecast");
    assert_eq!(lines(&median["issues"][0]["red_lines"]), dprk_nuclear());
    let md = ok_with(&[], &["report", "--format", "md", "--histories", "200"]);
    assert!(
        md.contains("is inside North Korea (DPRK)'s red line 0..=10"),
        "{md}"
    );
}

#[test]
fn a_spread_from_too_few_draws_is_not_shown_as_a_distribution() {
    // Nash bargaining has a value on nuclear status in only 3 of 1,000 draws.
    let result = json(&["sweep", "--format", "json"]);
    let nash = result["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "nash")
        .expect("nash");
    let nuclear = &nash["issues"][0];
    assert_eq!(nuclear["runs"], 1000);
    let with_value = nuclear["runs_with_value"].as_u64().unwrap();
    assert!(with_value > 0 && with_value < 30, "{nuclear}");
    assert_eq!(nuclear["too_few"], true);
    assert!(nuclear["quantiles"].is_null(), "{nuclear}");
    assert!(nuclear["sd"].is_null(), "{nuclear}");
    // Enough draws: a distribution.
    let agreement = &nash["issues"][2];
    assert_eq!(agreement["too_few"], false);
    assert!(agreement["quantiles"].is_array());

    let table = ok_with(&[], &["sweep"]);
    let why =
        format!("nuclear_status: a value in {with_value} of 1,000 draws: too few for a spread");
    assert!(table.contains(&why), "{table}");
}

#[test]
fn the_report_draws_no_box_from_too_few_draws() {
    let args = [
        "report",
        "--sweep",
        "2000",
        "--histories",
        "200",
        "--format",
    ];
    let report = json(&[&args[..], &["json"]].concat());
    let nash = report["sweep"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "nash")
        .expect("nash");
    let nuclear = &nash["issues"][0];
    let with_value = nuclear["runs_with_value"].as_u64().unwrap();
    assert!(with_value > 0 && with_value < 30, "{nuclear}");
    assert!(nuclear["quantiles"].is_null(), "{nuclear}");
    let why = format!("a value in {with_value} of 2,000 draws: too few for a spread");
    assert_eq!(nuclear["too_few"], why.clone() + " (fewer than 30)");
    let md = ok_with(&[], &[&args[..], &["md"]].concat());
    assert!(
        md.contains(&format!("Nash bargaining: no box, {why}")),
        "{md}"
    );
}

#[test]
fn every_tied_least_satisfied_actor_is_named() {
    // In the maximin package the DPRK, South Korea, Japan and Russia gain the same 0.4077 (to
    // 1e-10): naming one of them would be floating-point noise.
    let result = json(&["coalitions", "--format", "json"]);
    let unanimous = &result["unanimous"];
    assert_eq!(
        unanimous["least_satisfied"],
        serde_json::json!(["DPRK", "ROK", "Japan", "Russia"])
    );
    assert_eq!(result["blame"]["holdouts"], serde_json::json!(["DPRK"]));
    let table = flat(&ok_with(&[], &["coalitions"]));
    assert!(
        table.contains(
            "least satisfied (tied: North Korea (DPRK), South Korea (ROK), Japan and Russia, who each gain 0.408)"
        ),
        "{table}"
    );
}

#[test]
fn tied_holdouts_are_all_named() {
    // A and B pull one issue opposite ways and care for nothing else, C and D want the other:
    // no package suits all four, and the 3-1 without A mirrors the one without B.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.toml");
    let issue = |id: &str, sq: u32| {
        format!("[[issues]]\nid = \"{id}\"\nmin = 0\nmax = 100\nstatus_quo = {sq}\n\n")
    };
    let actor = |id: &str, stance: &str| {
        format!("[[actors]]\nid = \"{id}\"\ncapability = 10\n[actors.positions]\n{stance}\n\n")
    };
    let text = [
        "[scenario]\ntitle = \"Mirror\"\n\n".to_owned(),
        issue("x", 50),
        issue("y", 0),
        actor("A", "x = { position = 0, salience = 1 }"),
        actor("B", "x = { position = 100, salience = 1 }"),
        actor("C", "y = { position = 100, salience = 0.5 }"),
        actor("D", "y = { position = 100, salience = 0.5 }"),
    ]
    .concat();
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let result = json(&["coalitions", path, "--format", "json"]);
    assert!(result["unanimous"].is_null(), "{result}");
    assert_eq!(result["blame"]["holdouts"], serde_json::json!(["A", "B"]));
    let table = ok_with(&[], &["coalitions", path]);
    assert!(table.contains("Isolation: tied between A and B"), "{table}");
}

#[test]
fn variant_without_bdm_is_refused() {
    for command in ["forecast", "sweep"] {
        let mut cmd = statecraft();
        cmd.args([
            command,
            "--model",
            "compromise",
            "--variant",
            "scholz-paper",
        ]);
        let (code, _, stderr) = run(&mut cmd);
        assert_eq!(code, Some(2), "{command}: {stderr}");
        let words = message_text(&stderr);
        assert!(
            words.contains("--variant scholz-paper applies to the expected-utility model (bdm), which is not among the models (compromise)"),
            "{command}: {words}"
        );
    }
    // With bdm it is taken.
    ok_with(
        &[],
        &["forecast", "--model", "bdm", "--variant", "scholz-paper"],
    );
}

#[test]
fn the_spatial_model_runs_in_sweeps() {
    let result = json(&[
        "sweep", "--model", "smp", "--runs", "40", "--format", "json",
    ]);
    let smp = &result["models"][0];
    assert_eq!(smp["model"], "smp");
    assert_eq!(smp["issues"][0]["runs_with_value"], 40);
    assert!(smp["issues"][0]["quantiles"].is_array());
    // Its table is headed by its label, as the other models' are.
    let table = ok_with(&[], &["sweep", "--model", "smp", "--runs", "40"]);
    assert!(
        table.contains("\nSpatial model of politics (KTAB SMP):\n"),
        "{table}"
    );
}

#[test]
fn a_what_if_forecast_names_the_changed_scenario() {
    let table = ok_with(
        &[],
        &[
            "forecast",
            "--model",
            "compromise",
            "--set",
            "US.capability=50",
        ],
    );
    let first = table.lines().next().unwrap();
    assert_eq!(
        first,
        "Six-Party Talks on North Korea (May 2009), with --set US.capability=50"
    );
}
