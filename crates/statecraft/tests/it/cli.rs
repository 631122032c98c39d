//! The command line as a user meets it: the default forecast, output formats, conversions that
//! round-trip, the imports of the field's tables (when `../shared` is present), and the exit
//! codes of bad usage.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{flat, ok_with, run, shared, statecraft, temp_file, workspace_dir};

/// Runs `statecraft ARGS` in the workspace root, asserts exit code 0, and returns stdout.
fn ok(args: &[&str]) -> String {
    ok_with(&[], args)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The built-in scenario as statecraft's JSON.
fn builtin_json() -> Value {
    json(&ok(&["show", "six-party-2009", "--format", "json"]))
}

#[test]
fn forecast_without_argument_runs_the_builtin_scenario() {
    // Wide enough that no label is wrapped inside its cell (tests/it/layout.rs checks 100).
    let stdout = ok_with(&[("COLUMNS", "300")], &["forecast"]);
    let scenario = builtin_json();
    let issues = scenario["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 6);
    for issue in issues {
        // The label defaults to the id when the file gives none.
        let label = issue["label"].as_str().or(issue["id"].as_str()).unwrap();
        assert!(stdout.contains(label), "no issue `{label}` in:\n{stdout}");
    }
    for model in [
        "Compromise (weighted mean)",
        "Weighted median",
        "Nash bargaining",
    ] {
        assert!(stdout.contains(model), "no model `{model}` in:\n{stdout}");
    }
}

#[test]
fn forecast_of_the_ec_emissions_table_as_json() {
    let Some(data) = shared("data") else { return };
    let file = data.join("ec_emissions.csv");
    let out = json(&ok(&[
        "forecast",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let value = |model: &str| {
        let forecast = out["forecasts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["model"] == model)
            .unwrap_or_else(|| panic!("no {model} forecast in {out}"));
        forecast["issues"][0]["value"].as_f64().unwrap()
    };
    // Exact: the weighted mean is a plain sum, and the JSON writes the shortest round trip.
    assert_eq!(value("compromise"), 7.389955686853767);
    assert_eq!(value("median"), 7.0);
}

#[test]
fn convert_round_trips_toml_through_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (a, b, c) = (path("a.toml"), path("b.json"), path("c.toml"));
    ok(&["convert", "six-party-2009", &a]);
    ok(&["convert", &a, &b]);
    ok(&["convert", &b, &c]);
    let a_text = std::fs::read(&a).unwrap();
    assert!(!a_text.is_empty());
    assert!(
        a_text == std::fs::read(&c).unwrap(),
        "a.toml and c.toml differ"
    );
    let shown = |file: &str| json(&ok(&["show", file, "--format", "json"]));
    let from_a = shown(&a);
    assert_eq!(from_a, shown(&b));
    assert_eq!(from_a, shown(&c));
    assert_eq!(from_a, builtin_json());
}

#[test]
fn convert_does_not_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("existing.toml");
    std::fs::write(&out, "keep me\n").unwrap();
    let mut cmd = statecraft();
    cmd.args(["convert", "six-party-2009"]).arg(&out);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "stderr:\n{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");

    ok(&[
        "convert",
        "six-party-2009",
        out.to_str().unwrap(),
        "--force",
    ]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("[[actors]]"), "{written}");
    assert_eq!(
        json(&ok(&["show", out.to_str().unwrap(), "--format", "json"])),
        builtin_json()
    );
    // The temporary file used for the atomic write is gone.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["existing.toml"]);
}

/// `ok: FILE: N actors, M issues, ...` from `statecraft check`, as (N, M).
fn checked_counts(file: &Path) -> (usize, usize) {
    let stdout = ok(&["check", file.to_str().unwrap()]);
    let counts = stdout
        .rsplit_once(": ")
        .map(|(_, counts)| counts)
        .unwrap_or_else(|| panic!("unexpected check output: {stdout}"));
    let number = |what: &str| -> usize {
        let words: Vec<&str> = counts.split_whitespace().collect();
        let k = words
            .iter()
            .position(|w| w.trim_end_matches(',') == what)
            .unwrap_or_else(|| panic!("no `{what}` in {stdout}"));
        words[k - 1].parse().unwrap()
    };
    (number("actors"), number("issues"))
}

/// The files of `dir/*/` whose name ends in `.csv`, sorted, except KTAB's outputs.
fn ktab_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for case in std::fs::read_dir(dir).unwrap() {
        let case = case.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&case).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_str().unwrap();
            if name.ends_with(".csv") && name != "positions.csv" && name != "outcome_by_turn.csv" {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn ktab_csv_imports_keep_the_announced_counts() {
    let Some(dir) = shared("parity/ktab") else {
        return;
    };
    let files = ktab_inputs(&dir);
    assert!(!files.is_empty(), "no KTAB CSV under {}", dir.display());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let first: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let announced = |k: usize| -> usize {
            first[k]
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{}: field {} of line 1", file.display(), k + 1))
        };
        assert_eq!(
            checked_counts(&file),
            (announced(2), announced(3)),
            "{}",
            file.display()
        );
    }
}

#[test]
fn decide_tsv_imports_keep_every_actor_and_issue() {
    let Some(dir) = shared("data") else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no Decide TSV in {}", dir.display());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let rows = |tag: &str| text.lines().filter(|l| l.starts_with(tag)).count();
        assert_eq!(
            checked_counts(&file),
            (rows("'#A'"), rows("'#P'")),
            "{}",
            file.display()
        );
    }
}

#[test]
fn scenarios_lists_the_builtin() {
    let stdout = ok(&["scenarios"]);
    assert!(
        stdout.lines().any(|l| l.starts_with("six-party-2009")),
        "{stdout}"
    );
}

#[test]
fn show_prints_the_actor_names() {
    let stdout = ok(&["show", "six-party-2009"]);
    let scenario = builtin_json();
    let actors = scenario["actors"].as_array().unwrap();
    assert_eq!(actors.len(), 6);
    for actor in actors {
        let name = actor["name"].as_str().or(actor["id"].as_str()).unwrap();
        assert!(stdout.contains(name), "no actor `{name}` in:\n{stdout}");
    }
}

#[test]
fn forecast_as_csv_with_chosen_models() {
    let stdout = ok(&["forecast", "--model", "nash,median", "--format", "csv"]);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("model,issue,value,note,red_lines,model_label,issue_label")
    );
    let models: std::collections::BTreeSet<&str> =
        lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(models, ["median", "nash"].into());
}

#[test]
fn an_unknown_model_is_bad_usage() {
    let mut cmd = statecraft();
    cmd.args(["forecast", "--model", "oracle"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "stderr:\n{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("unknown model `oracle`"), "{stderr}");
    assert!(stderr.contains("compromise"), "{stderr}");
}

#[test]
fn no_color_means_no_escape_codes() {
    for args in [
        &["forecast"][..],
        &["show", "six-party-2009"],
        &["check", "no-such-file.toml"],
        &["forecast", "--model", "oracle"],
    ] {
        let mut cmd = statecraft();
        cmd.env("NO_COLOR", "1").args(args);
        let (_, stdout, stderr) = run(&mut cmd);
        assert!(!stdout.contains("\x1b["), "escape on stdout of {args:?}");
        assert!(!stderr.contains("\x1b["), "escape on stderr of {args:?}");
    }
}

#[test]
fn percent_saliences_are_divided_by_100_with_a_note() {
    let (_dir, file) = temp_file(
        "percent.csv",
        "Actor,Capability,Position,Salience\nA,60,10,50\nB,40,90,80\nC,20,40,100\n",
    );
    let mut cmd = statecraft();
    cmd.args(["show", "--format", "csv"]).arg(&file);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    // Notes wrap to the width: read them with the line breaks undone.
    let flattened = flat(&stderr);
    let note = flattened
        .split("note:")
        .find(|l| l.contains("saliences"))
        .unwrap_or_else(|| panic!("no note on stderr:\n{stderr}"));
    assert!(note.contains("percent.csv"), "{note}");
    assert!(note.contains("divided by 100"), "{note}");
    // And the saliences really were divided.
    let saliences: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(saliences, ["0.5", "0.8", "1"], "{stdout}");
}

/// Runs `statecraft forecast INPUT --model bdm --variant scholz-reference --rounds 10 --trace T`
/// (plus `extra`) and returns the bytes of the trace file.
fn reference_trace(input: &Path, extra: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.csv");
    let mut args = vec![
        "forecast",
        input.to_str().unwrap(),
        "--model",
        "bdm",
        "--variant",
        "scholz-reference",
        "--rounds",
        "10",
        "--trace",
        trace.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(&args);
    std::fs::read(&trace).unwrap()
}

/// Compares the `--trace` file of one input table with the reference's `_actors.csv` files,
/// for the published run and the repaired-capitulation run. Returns how many were compared.
fn check_trace_against(input: &Path, reference_dir: &Path, stem: &str) -> usize {
    let mut compared = 0;
    for (suffix, extra) in [("", &[][..]), ("_capfix", &["--capitulation-fix"][..])] {
        let expected_file = reference_dir.join(format!("{stem}_scholzref{suffix}_r10_actors.csv"));
        let Ok(expected) = std::fs::read(&expected_file) else {
            continue;
        };
        let got = reference_trace(input, extra);
        assert!(
            got == expected,
            "--trace of {} differs from {}:\n--- got ---\n{}",
            input.display(),
            expected_file.display(),
            String::from_utf8_lossy(&got)
        );
        compared += 1;
    }
    compared
}

#[test]
fn trace_reproduces_the_reference_files_for_our_random_tables() {
    let dir = workspace_dir().join("fixtures/parity/scholz");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir.join("inputs")).unwrap() {
        let input = entry.unwrap().path();
        let stem = input.file_stem().unwrap().to_str().unwrap().to_owned();
        compared += check_trace_against(&input, &dir, &stem);
    }
    // 16 tables with a published run each, 11 of them also with a repaired-capitulation run.
    assert_eq!(compared, 27);
}

#[test]
fn trace_reproduces_the_reference_files_for_the_public_tables() {
    let (Some(data), Some(reference)) = (shared("data"), shared("parity/scholz-reference")) else {
        return;
    };
    let mut compared = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let input = entry.unwrap().path();
        if input.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let name = input.file_stem().unwrap().to_str().unwrap().to_owned();
        // The reference names the files it took from its own fixture folder `fixtures_<name>`.
        for stem in [name.clone(), format!("fixtures_{name}")] {
            compared += check_trace_against(&input, &reference, &stem);
        }
    }
    // ec_emissions (published and repaired), sultan_oil, and the seven fixtures_* tables.
    assert!(compared >= 10, "only {compared} reference traces found");
}

#[test]
fn explain_with_json_keeps_stdout_valid_json() {
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir()).args([
        "forecast",
        "--model",
        "bdm",
        "--explain",
        "--format",
        "json",
    ]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "{stderr}");
    json(&stdout);
    assert!(
        stderr.contains("Round 1"),
        "the narration goes to stderr: {stderr}"
    );
}
