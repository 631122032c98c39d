//! Inputs that used to panic (issue 21's fuzzing found them): each must now exit 2 with a
//! message, and never print a panic.

use std::os::unix::fs::FileTypeExt;

use crate::support::{message_text, run, statecraft};

/// Runs `statecraft ARGS` in `dir`; asserts exit code 2, no panic and a message.
fn refused(dir: &std::path::Path, args: &[&str]) -> String {
    let (code, _, stderr) = run(statecraft().current_dir(dir).args(args));
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    // miette marks a located problem `×`; other refusals say `error:`.
    assert!(
        stderr.contains("error") || stderr.contains('×'),
        "{args:?}: {stderr}"
    );
    stderr
}

#[test]
fn an_error_past_column_65535_is_reported_without_its_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("[scenario]\n{}bogus = 1\n", " ".repeat(70_000));
    std::fs::write(dir.path().join("long.toml"), text).unwrap();
    let stderr = refused(dir.path(), &["check", "long.toml"]);
    assert!(stderr.contains("long.toml:2:70001"), "{stderr}");
    assert!(stderr.contains("bogus"), "{stderr}");
}

#[test]
fn a_decide_cell_with_text_after_its_closing_quote_is_read_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let text = "'#A'\t'US'éx\t'United States'\t''\n'#A'\t'CN'\t'China'\t''\n\
                '#P'\t'tariff'\t'tariff'\t'tariff'\n'#M'\t'tariff'\t0\n'#M'\t'tariff'\t100\n\
                '#D'\t'US'\t'tariff'\t80.0\t0.7\t0.5\n'#D'\t'CN'\t'tariff'\t10.0\t0.6\t0.4\n";
    std::fs::write(dir.path().join("d.tsv"), text).unwrap();
    let (_, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["check", "d.tsv"]));
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn durability_refuses_more_histories_than_it_can_hold() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = refused(
        dir.path(),
        &["durability", "--runs", "18446744073709551615"],
    );
    assert!(stderr.contains("10000000"), "the limit is named: {stderr}");
}

const TWO: &str = r#"[[issues]]
id = "x"
min = 0
max = 10
status_quo = 5

[[actors]]
id = "A"
capability = 1
positions = { x = { position = 2, salience = 0.5 } }

[[actors]]
id = "B"
capability = 1
positions = { x = { position = 8, salience = 0.5 } }
"#;

#[test]
fn a_byte_order_mark_is_read_past_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bom.toml"), format!("\u{feff}{TWO}")).unwrap();
    let (code, json, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["show", "bom.toml", "--format", "json"]));
    assert_eq!(code, Some(0), "{stderr}");
    std::fs::write(dir.path().join("bom.json"), format!("\u{feff}{json}")).unwrap();
    let (code, out, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["check", "bom.json"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("2 actors, 1 issues"), "{out}");
    let decide = "\u{feff}'#A'\t'US'\t'United States'\t''\n'#A'\t'CN'\t'China'\t''\n\
                  '#P'\t'tariff'\t'tariff'\t'tariff'\n'#P'\t'quota'\t'quota'\t'quota'\n\
                  '#M'\t'tariff'\t0\n'#M'\t'tariff'\t100\n'#M'\t'quota'\t0\n'#M'\t'quota'\t100\n\
                  '#D'\t'US'\t'tariff'\t80.0\t0.7\t0.5\n'#D'\t'CN'\t'tariff'\t10.0\t0.6\t0.4\n\
                  '#D'\t'US'\t'quota'\t30.0\t0.7\t0.5\n'#D'\t'CN'\t'quota'\t60.0\t0.6\t0.4\n";
    std::fs::write(dir.path().join("bom.tsv"), decide).unwrap();
    let (code, out, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["check", "bom.tsv"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        out.contains("2 issues"),
        "read as Decide, not as a one-issue table: {out}"
    );
}

#[test]
fn the_trace_or_report_never_replaces_the_scenario_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.toml"), TWO).unwrap();
    refused(
        dir.path(),
        &[
            "forecast",
            "mine.toml",
            "--model",
            "bdm",
            "--trace",
            "mine.toml",
        ],
    );
    refused(
        dir.path(),
        &["report", "mine.toml", "-o", "./mine.toml", "-f", "md"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine.toml")).unwrap(),
        TWO
    );
}

#[test]
fn two_sweeps_started_at_once_on_a_new_store_are_both_recorded() {
    for trial in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("two.toml"), TWO).unwrap();
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
                .current_dir(dir.path())
                .args([
                    "sweep",
                    "two.toml",
                    "--runs",
                    "200",
                    "--store",
                    "runs.sqlite",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the binary starts")
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "trial {trial}: {stderr}");
        }
        let (code, list, stderr) = run(statecraft().current_dir(dir.path()).args([
            "runs",
            "list",
            "--store",
            "runs.sqlite",
        ]));
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(list.matches(" sweep ").count(), 2, "trial {trial}: {list}");
    }
}

#[test]
fn the_same_store_problem_gives_the_same_exit_code_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two.toml"), TWO).unwrap();
    let (code, _, _) = run(statecraft().current_dir(dir.path()).args([
        "sweep",
        "two.toml",
        "--runs",
        "20",
        "--store",
        "runs.sqlite",
    ]));
    assert_eq!(code, Some(0));
    // No such run: bad input, exit 2, for every command that reads one.
    for args in [
        vec!["sweep", "--store", "runs.sqlite", "--resume", "999"],
        vec!["report", "--store", "runs.sqlite", "--run", "999"],
        vec!["runs", "show", "999", "--store", "runs.sqlite"],
    ] {
        let stderr = refused(dir.path(), &args);
        assert!(stderr.contains("no run 999"), "{args:?}: {stderr}");
    }
    // A file that is not a store: a failure, exit 1, everywhere.
    std::fs::write(
        dir.path().join("junk.sqlite"),
        "not a database at all".repeat(100),
    )
    .unwrap();
    for args in [
        vec![
            "sweep",
            "two.toml",
            "--runs",
            "20",
            "--store",
            "junk.sqlite",
        ],
        vec!["report", "--store", "junk.sqlite", "--run", "1"],
        vec!["runs", "list", "--store", "junk.sqlite"],
    ] {
        let (code, _, stderr) = run(statecraft().current_dir(dir.path()).args(&args));
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
    }
}

#[test]
fn a_sweep_refuses_distributions_too_wide_to_draw_from() {
    let dir = tempfile::tempdir().unwrap();
    let wide = TWO.replace("min = 0\nmax = 10", "min = -1e308\nmax = 1e308");
    std::fs::write(dir.path().join("wide.toml"), wide).unwrap();
    let stderr = refused(dir.path(), &["sweep", "wide.toml", "--runs", "10"]);
    assert!(
        message_text(&stderr).contains("largest value allowed (1e100)"),
        "{stderr}"
    );
    let stderr = refused(
        dir.path(),
        &["sweep", "--uncertainty", "1e308", "--runs", "10"],
    );
    assert!(stderr.contains("cannot be drawn"), "{stderr}");
}

#[test]
fn magnitudes_a_model_cannot_carry_are_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    // Gave 95/100/100/95/100/100 with exit 0 (overflow), the opposite of the right answer.
    let stderr = refused(
        dir.path(),
        &[
            "forecast",
            "--set",
            "US.capability=1e308",
            "--model",
            "compromise",
        ],
    );
    assert!(stderr.contains("capability is 1e308"), "{stderr}");
    assert!(stderr.contains("1e100"), "the limit is named: {stderr}");
    // Gave a Nash bargain of -inf.
    let far = TWO
        .replace("position = 2,", "position = -1e308,")
        .replace("min = 0", "min = -1e308");
    std::fs::write(dir.path().join("far.toml"), far).unwrap();
    let stderr = refused(dir.path(), &["forecast", "far.toml", "--model", "nash"]);
    assert!(stderr.contains("far.toml:3:"), "file and line: {stderr}");
    assert!(
        message_text(&stderr).contains("largest value allowed (1e100)"),
        "{stderr}"
    );
    let stderr = refused(dir.path(), &["forecast", "--set", "US.capability=1e-300"]);
    assert!(stderr.contains("1e-100"), "{stderr}");
}

/// A scenario at the edges of what is allowed: capabilities 1e100 and 1e-100, a scale of
/// -1e100..1e100 and one of 0..1e-100, a salience of 5e-324.
const EXTREMES: &str = r#"[scenario]
title = "extremes"
uncertainty = 0.5

[[issues]]
id = "x"
min = -1e100
max = 1e100
status_quo = 0

[[issues]]
id = "y"
min = 0
max = 1e-100
status_quo = 0

[[actors]]
id = "A"
capability = 1e100
positions = { x = { position = -1e100, salience = 1 }, y = { position = 1e-100, salience = 1 } }

[[actors]]
id = "B"
capability = 1e100
positions = { x = { position = 1e100, salience = 1 }, y = { position = 0, salience = 1 } }

[[actors]]
id = "C"
capability = 1e-100
positions = { x = { position = 5e99, salience = 5e-324 }, y = { position = 5e-101, salience = 0.5 } }
"#;

#[test]
fn numbers_at_the_limits_give_finite_results_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ext.toml"), EXTREMES).unwrap();
    let not_finite = |text: &str| {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w.to_ascii_lowercase().as_str(), "nan" | "inf" | "infinity"))
            || text.contains('\u{221e}')
    };
    for args in [
        vec!["forecast", "ext.toml"],
        vec!["forecast", "ext.toml", "--format", "csv"],
        vec!["sweep", "ext.toml", "--runs", "40"],
        vec!["coalitions", "ext.toml"],
        vec!["report", "ext.toml", "-f", "md"],
        vec![
            "report",
            "ext.toml",
            "-f",
            "html",
            "--sweep",
            "20",
            "--histories",
            "200",
        ],
    ] {
        let (code, out, stderr) = run(statecraft().current_dir(dir.path()).args(&args));
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            !not_finite(&out),
            "{args:?} printed a number that is not finite:\n{out}"
        );
    }
}

#[test]
fn work_past_a_limit_is_refused_up_front_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    for (args, limit) in [
        (vec!["sweep", "--runs", "10000000000"], "1000000000"),
        (
            vec!["sweep", "--runs", "2000000", "--store", "runs.sqlite"],
            "1000000 draws of a sweep kept in a run store",
        ),
        (
            vec!["sweep", "--runs", "2000000", "--durability", "treaty"],
            "1000000 draws with --durability",
        ),
        (
            vec!["sweep", "--runs", "100000000", "--chunk", "100000000"],
            "50000000",
        ),
        (
            vec!["sweep", "--runs", "10", "--sensitivity", "100000000"],
            "1000000",
        ),
        (
            vec!["forecast", "--model", "bdm", "--rounds", "1000000000"],
            "10000",
        ),
        (vec!["report", "--sweep", "10000000000"], "1000000000"),
        (vec!["report", "--histories", "1000000000000"], "10000000"),
        (vec!["power", "--samples", "1000000000000"], "100000000"),
        (vec!["durability", "--runs", "100000000"], "10000000"),
        (
            vec!["infer", "--chains", "1000", "--max-draws", "100000"],
            "10000000",
        ),
        (
            vec!["forecast", "--model", "bdm", "--max-rounds", "100000"],
            "10000",
        ),
    ] {
        let stderr = refused(dir.path(), &args);
        assert!(
            message_text(&stderr).contains(&format!("limit of {limit}")),
            "{args:?}: {stderr}"
        );
    }
}

/// A TOML scenario of two actors, A and B, each with a position on every one of `issues` issues.
fn two_actors_on(issues: usize) -> String {
    let mut text = String::new();
    for i in 0..issues {
        text.push_str(&format!(
            "[[issues]]\nid = \"i{i}\"\nmin = 0\nmax = 10\nstatus_quo = 5\n\n"
        ));
    }
    for a in ["A", "B"] {
        let stances: Vec<String> = (0..issues)
            .map(|i| format!("i{i} = {{ position = {}, salience = 0.5 }}", i % 10))
            .collect();
        text.push_str(&format!(
            "[[actors]]\nid = \"{a}\"\ncapability = 1\npositions = {{ {} }}\n\n",
            stances.join(", ")
        ));
    }
    text
}

#[test]
fn a_table_too_large_for_a_model_is_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("Actor,Capability,Position,Salience\n");
    for k in 0..1_001 {
        table.push_str(&format!("A{k},{},{},0.5\n", 1 + k % 7, k % 100));
    }
    std::fs::write(dir.path().join("big.csv"), table).unwrap();
    // The default models include bdm, which keeps actor x actor tables.
    let mut huge = String::from("Actor,Capability,Position,Salience\n");
    for k in 0..20_001 {
        huge.push_str(&format!("A{k},1,{},0.5\n", k % 100));
    }
    std::fs::write(dir.path().join("huge.csv"), huge).unwrap();
    // Refused at the row past the limit, before the rest of the table is read.
    let stderr = refused(dir.path(), &["check", "huge.csv"]);
    assert!(
        message_text(&stderr).contains(
            "huge.csv:20002:1: the table has more than the limit of 20001 rows: a one-issue table \
             has a row per actor, and a scenario has at most 20000 actors"
        ),
        "{stderr}"
    );
    let stderr = refused(dir.path(), &["forecast", "big.csv"]);
    assert!(
        message_text(&stderr).contains("the scenario has 1001 actors, more than the limit of 1000"),
        "{stderr}"
    );
    // The one-dimensional baselines run on it.
    let (code, _, stderr) = run(statecraft().current_dir(dir.path()).args([
        "forecast",
        "big.csv",
        "--model",
        "compromise,median,nash",
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    // Coalitions search packages over every issue: past 200 issues it is refused.
    std::fs::write(dir.path().join("many.toml"), two_actors_on(201)).unwrap();
    let stderr = refused(dir.path(), &["coalitions", "many.toml"]);
    assert!(stderr.contains("limit of 200"), "{stderr}");
}

#[test]
fn existing_files_are_replaced_only_with_force_and_only_if_regular() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    std::fs::write(path("two.toml"), TWO).unwrap();
    std::fs::write(path("old.md"), "mine").unwrap();
    std::fs::write(path("trace.csv"), "mine").unwrap();
    // Without --force: refused, and the files are as they were.
    let stderr = refused(dir.path(), &["report", "two.toml", "-o", "old.md"]);
    assert!(stderr.contains("--force"), "{stderr}");
    let trace = [
        "forecast",
        "two.toml",
        "--model",
        "bdm",
        "--trace",
        "trace.csv",
    ];
    refused(dir.path(), &trace);
    assert_eq!(std::fs::read_to_string(path("old.md")).unwrap(), "mine");
    assert_eq!(std::fs::read_to_string(path("trace.csv")).unwrap(), "mine");
    // With --force: replaced.
    let (code, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["report", "two.toml", "-o", "old.md", "--force"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::read_to_string(path("old.md"))
        .unwrap()
        .starts_with('#'));
    let (code, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(trace)
        .arg("--force"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::read_to_string(path("trace.csv"))
        .unwrap()
        .contains(','));
    // A symbolic link is followed: the file it points to is replaced, the link kept.
    std::fs::write(path("real.md"), "mine").unwrap();
    std::os::unix::fs::symlink("real.md", path("link.md")).unwrap();
    let (code, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["report", "two.toml", "-o", "link.md", "--force"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::symlink_metadata(path("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(path("real.md"))
        .unwrap()
        .starts_with('#'));
    // A FIFO or a directory is never replaced by a regular file.
    let fifo = std::process::Command::new("mkfifo")
        .arg(path("fifo.md"))
        .status()
        .unwrap();
    assert!(fifo.success());
    std::fs::create_dir(path("dir.md")).unwrap();
    for target in ["fifo.md", "dir.md"] {
        let (code, _, stderr) = run(statecraft()
            .current_dir(dir.path())
            .args(["report", "two.toml", "-o", target, "--force"]));
        assert_eq!(code, Some(1), "{target}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }
    assert!(std::fs::symlink_metadata(path("fifo.md"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(path("dir.md").is_dir());
    // No temporary file is left behind by the failures.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("statecraft-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

const HOSTILE: &str = "[scenario]\ntitle = \"<script>alert(1)</script>\\u001b]0;owned\\u0007\"\n\
    description = \"<img src=x onerror=alert(2)> [click](javascript:alert(3))\"\n\n\
    [[issues]]\nid = \"x\"\nlabel = \"<img src=y onerror=alert(4)>\\u001b[2J\"\nmin = 0\nmax = 10\nstatus_quo = 5\n\n\
    [[actors]]\nid = \"A\"\nname = \"<script>alert(5)</script>\\u001b[2J\"\ncapability = 1\n\
    positions = { x = { position = 2, salience = 0.5 } }\n\n\
    [[actors]]\nid = \"B\"\nname = \"B\"\ncapability = 1\npositions = { x = { position = 8, salience = 0.5 } }\n";

#[test]
fn the_markdown_report_escapes_what_a_scenario_says() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.toml"), HOSTILE).unwrap();
    let (code, md, stderr) = run(statecraft().current_dir(dir.path()).args([
        "report",
        "hostile.toml",
        "-f",
        "md",
        "--histories",
        "100",
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    // A link needs an unescaped `](`.
    let unescaped = md.replace("\\]", "");
    for raw in ["<script", "<img", "](javascript"] {
        assert!(!unescaped.contains(raw), "{raw} is in the Markdown:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;"), "{md}");
}

#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A lone carriage return can overwrite a line as shown; CRLF line ends are harmless.
    let hostile = HOSTILE.replace("name = \"B\"", "name = \"B\\rC\"");
    assert_ne!(hostile, HOSTILE);
    std::fs::write(dir.path().join("hostile.toml"), hostile).unwrap();
    let broken = HOSTILE.replace(
        "capability = 1\npositions = { x = { position = 8",
        "capability = -1\npositions = { x = { position = 8",
    );
    std::fs::write(
        dir.path().join("broken.toml"),
        format!("# \u{1b}[2J\u{9b}2J\n{broken}"),
    )
    .unwrap();
    for args in [
        vec!["show", "hostile.toml"],
        vec!["check", "hostile.toml"],
        vec!["check", "broken.toml"],
        vec!["forecast", "hostile.toml", "--model", "bdm", "--explain"],
        vec!["forecast", "hostile.toml", "--format", "csv"],
        vec![
            "forecast",
            "hostile.toml",
            "--model",
            "bdm",
            "--format",
            "csv",
        ],
    ] {
        let (_, out, stderr) = run(statecraft().current_dir(dir.path()).args(&args));
        for text in [&out, &stderr] {
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
                "{args:?} sent a control character: {text:?}"
            );
            assert!(
                !text.replace("\r\n", "\n").contains('\r'),
                "{args:?} sent a lone carriage return: {text:?}"
            );
        }
    }
}

#[test]
fn a_json_key_written_with_escapes_keeps_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\n  \"issues\": [\n    { \"id\": \"x\", \"min\": 0, \"max\": 10, \"status_quo\": 5 }\n  ],\n  \"actors\": [\n    { \"id\": \"A\", \"capabilit\\u0079\": -1,\n      \"positions\": { \"x\": { \"position\": 2, \"salience\": 0.5 } } },\n    { \"id\": \"B\", \"capability\": 1,\n      \"positions\": { \"x\": { \"position\": 8, \"salience\": 0.5 } } }\n  ]\n}\n";
    std::fs::write(dir.path().join("esc.json"), text).unwrap();
    let (code, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["check", "esc.json"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("esc.json:6:"),
        "the line of the key: {stderr}"
    );
}

#[test]
fn a_report_on_a_bargain_that_halts_before_its_first_round_is_written() {
    // Two actors of equal capability and salience: the reference halts before round 1, and the
    // rounds chart used to panic on its empty series (found while testing issue 21).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two.toml"), TWO).unwrap();
    for format in ["md", "html"] {
        let (code, out, stderr) = run(statecraft().current_dir(dir.path()).args([
            "report",
            "two.toml",
            "-f",
            format,
            "--histories",
            "100",
        ]));
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(code, Some(0), "{format}: {stderr}");
        assert!(!out.is_empty());
    }
}

#[test]
fn a_sweep_stopped_by_sigint_prints_its_partial_result_and_exits_130() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .args(["sweep", "--runs", "1000000", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the sweep starts");
    // stderr is a pipe, not a terminal: progress comes as plain lines.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        let n = stderr.read_line(&mut line).unwrap();
        assert!(n > 0, "the sweep ended without a progress line");
        if line.starts_with("progress: ") {
            break;
        }
    }
    assert!(line.contains(" of 1,000,000 draws ("), "{line}");
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .expect("sh -c 'kill -INT PID'");
    assert!(status.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{rest}");
    assert!(rest.contains("stopped after"), "{rest}");
    let printed: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the partial result is printed as JSON");
    assert_eq!(printed["complete"], false);
    let runs = printed["runs"].as_u64().unwrap();
    assert!((1..1_000_000).contains(&runs), "{runs} draws");
}

#[test]
fn quick_runs_print_no_progress_lines() {
    let (code, _, stderr) = run(statecraft().args(["sweep", "--runs", "50"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("progress:"), "{stderr}");
}

#[test]
fn a_store_in_a_read_only_directory_can_still_be_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(statecraft().current_dir(dir.path()).args([
        "sweep",
        "--runs",
        "20",
        "--store",
        "runs.sqlite",
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    let set_mode = |path: &std::path::Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let store = dir.path().join("runs.sqlite");
    set_mode(&store, 0o444);
    set_mode(dir.path(), 0o555);
    // Root ignores modes; an immutable directory (chattr +i) stops root too.
    let writable = || std::fs::write(dir.path().join("probe"), "").is_ok();
    let mut immutable = false;
    if writable() {
        let _ = std::fs::remove_file(dir.path().join("probe"));
        immutable = std::process::Command::new("chattr")
            .args(["+i", dir.path().to_str().unwrap()])
            .status()
            .is_ok_and(|s| s.success());
    }
    let read_only = !writable();
    let listed =
        run(statecraft()
            .current_dir(dir.path())
            .args(["runs", "list", "--store", "runs.sqlite"]));
    if immutable {
        let _ = std::process::Command::new("chattr")
            .args(["-i", dir.path().to_str().unwrap()])
            .status();
    }
    set_mode(dir.path(), 0o755);
    set_mode(&store, 0o644);
    if !read_only {
        let why = "cannot make a directory read-only here (root without chattr)";
        assert!(
            std::env::var_os("STATECRAFT_REQUIRE_ALL").is_none(),
            "required (STATECRAFT_REQUIRE_ALL): {why}"
        );
        crate::support::skipped(why);
        return;
    }
    let (code, list, stderr) = listed;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(list.contains(" done "), "{list}");
}

#[test]
fn minus_zero_keeps_its_sign_through_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("z.csv"),
        "Actor,Capability,Position,Salience\nA,1,-0,0.5\nB,2,10,0.5\n",
    )
    .unwrap();
    let (code, toml, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["convert", "z.csv", "-"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(toml.contains("position = -0.0"), "{toml}");
    std::fs::write(dir.path().join("z.toml"), &toml).unwrap();
    let (code, json, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["convert", "z.toml", "--to", "json", "-"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(json.contains("\"position\": -0.0"), "{json}");
}

#[test]
fn past_twenty_problems_the_rest_are_listed_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("Actor,Capability,Position,Salience\n");
    for k in 0..30 {
        table.push_str(&format!("A{k},-1,{k},0.5\n"));
    }
    std::fs::write(dir.path().join("bad.csv"), table).unwrap();
    let (code, _, stderr) = run(statecraft()
        .current_dir(dir.path())
        .args(["check", "bad.csv"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("(10 more, without their source lines:)"),
        "{stderr}"
    );
    // Every problem is still named, the last ten one line each.
    for line in 2..=31 {
        assert!(
            stderr.contains(&format!("bad.csv:{line}:")),
            "line {line}: {stderr}"
        );
    }
    let tail = stderr.split("(10 more").nth(1).unwrap();
    assert_eq!(
        tail.lines()
            .filter(|l| l.starts_with("error: bad.csv:"))
            .count(),
        10,
        "{tail}"
    );
}

#[test]
fn files_larger_than_the_limit_are_refused_without_being_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse file one byte past 16 MiB, and an endless input, as a scenario and as a request.
    let big = std::fs::File::create(dir.path().join("big.csv")).unwrap();
    big.set_len((16 << 20) + 1).unwrap();
    drop(big);
    let stderr = too_large(dir.path(), &["check", "big.csv"]);
    assert!(stderr.contains("big.csv"), "the file is named: {stderr}");
    for args in [
        &["check", "/dev/zero", "--from", "toml"][..],
        &["run", "/dev/zero"],
    ] {
        let stderr = too_large(dir.path(), args);
        assert!(stderr.contains("/dev/zero"), "the file is named: {stderr}");
    }
}

/// Runs `statecraft ARGS` in `dir`; asserts exit code 2 and the file-size limit named.
fn too_large(dir: &std::path::Path, args: &[&str]) -> String {
    let (code, _, stderr) = run(statecraft().current_dir(dir).args(args));
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert!(
        message_text(&stderr).contains("larger than the limit of 16 MiB (16777216 bytes)"),
        "{args:?}: {stderr}"
    );
    stderr
}

#[test]
fn a_scenario_of_more_issues_than_the_limit_is_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wide.toml"), two_actors_on(1_001)).unwrap();
    for command in ["check", "forecast"] {
        let stderr = refused(dir.path(), &[command, "wide.toml"]);
        assert!(
            message_text(&stderr).contains("1001 issues, more than the limit of 1000"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn convert_says_how_many_comments_it_does_not_carry_over() {
    let dir = tempfile::tempdir().unwrap();
    let commented = format!(
        "# why these numbers\n{}",
        TWO.replace("max = 10", "max = 10 # a 0-10 scale")
    );
    std::fs::write(dir.path().join("notes.toml"), commented).unwrap();
    std::fs::write(dir.path().join("plain.toml"), TWO).unwrap();
    let (code, _, stderr) =
        run(statecraft()
            .current_dir(dir.path())
            .args(["convert", "notes.toml", "copy.toml"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        message_text(&stderr).contains("the input's 2 comment(s) are not carried over"),
        "{stderr}"
    );
    let (code, _, stderr) =
        run(statecraft()
            .current_dir(dir.path())
            .args(["convert", "plain.toml", "plain.json"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("comment"), "{stderr}");
}

/// Runs `statecraft ARGS` in `dir` under a shell that caps every file it writes at one block
/// (`ulimit -f 1`) and ignores SIGXFSZ, so that a write fails part way with EFBIG.
fn run_with_tiny_files(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new("sh")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_statecraft"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_write_that_fails_part_way_leaves_the_old_file_and_no_temporary_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    std::fs::write(path("old.html"), "mine").unwrap();
    std::fs::write(path("trace.csv"), "mine").unwrap();
    let attempts: [&[&str]; 4] = [
        &["report", "-o", "old.html", "--force"],
        &["report", "-o", "new.html"],
        &[
            "forecast",
            "--model",
            "bdm",
            "--trace",
            "trace.csv",
            "--force",
        ],
        &["forecast", "--model", "bdm", "--trace", "new.csv"],
    ];
    for args in attempts {
        let (code, stderr) = run_with_tiny_files(dir.path(), args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(path("old.html")).unwrap(), "mine");
    assert_eq!(std::fs::read_to_string(path("trace.csv")).unwrap(), "mine");
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["old.html", "trace.csv"], "nothing else is left");
}

#[test]
fn the_trace_on_stdout_is_byte_for_byte_the_file_trace_writes() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in ["six-party-2009", "wide.csv"] {
        // A value printed in exponent form used to make the trace panic.
        std::fs::write(
            dir.path().join("wide.csv"),
            "Actor,Capability,Position,Salience\nA,1e-90,9223372036854775807,0.5\nB,1,0,0.5\nC,2,5,0.5\n",
        )
        .unwrap();
        let (code, stdout, stderr) = run(statecraft()
            .current_dir(dir.path())
            .args(["forecast", scenario, "--model", "bdm", "--format", "csv"]));
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(code, Some(0), "{scenario}: {stderr}");
        let (code, _, stderr) = run(statecraft().current_dir(dir.path()).args([
            "forecast",
            scenario,
            "--model",
            "bdm",
            "--trace",
            "trace.csv",
            "--force",
        ]));
        assert_eq!(code, Some(0), "{scenario}: {stderr}");
        let file = std::fs::read_to_string(dir.path().join("trace.csv")).unwrap();
        assert!(file.contains("\r\n"), "CRLF, as the reference writes it");
        assert_eq!(stdout, file, "{scenario}");
        if scenario == "wide.csv" {
            assert!(file.contains("9.223372036854776e+18"), "{file}");
        }
    }
}

#[test]
fn a_table_too_large_to_read_is_refused_as_soon_as_it_passes_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // A one-issue table whose second row has 5,000,000 cells (10 MB).
    let mut wide = String::from("Actor,Capability,Position,Salience\nA,1,1,0.5\nB,1,2,0.5");
    wide.push_str(&",x".repeat(5_000_000));
    wide.push_str("\nC,1,3,0.5\n");
    std::fs::write(dir.path().join("wide.csv"), wide).unwrap();
    let stderr = refused(dir.path(), &["check", "wide.csv"]);
    assert!(
        message_text(&stderr)
            .contains("wide.csv:3:1: the table has more than the limit of 5000000 cells"),
        "{stderr}"
    );
    // A KTAB table of 4,001 actors x 500 dimensions: refused at its first line, before any
    // position is read.
    let (actors, dims) = (4_001, 500);
    let mut ktab = format!("big,\"big\",{actors},{dims},\nActor,Description,Power");
    for d in 1..=dims {
        ktab.push_str(&format!(",Pstn{d},Sal{d}"));
    }
    ktab.push('\n');
    let cells = ",1,50".repeat(dims);
    for a in 0..actors {
        ktab.push_str(&format!("A{a},d{a},1{cells}\n"));
    }
    std::fs::write(dir.path().join("big.csv"), ktab).unwrap();
    let stderr = refused(dir.path(), &["check", "big.csv", "--from", "ktab"]);
    assert!(
        message_text(&stderr).contains(
            "big.csv:1:16: 4001 actor rows x 500 dimensions = 2000500 positions, more than the limit of 2000000"
        ),
        "{stderr}"
    );
    // The header line beside it (5,000 characters) is not quoted: the message is one line.
    assert!(stderr.len() < 1_000, "{stderr}");
}

#[test]
fn a_long_expected_utility_forecast_tells_its_progress_round_by_round() {
    use std::io::{BufRead, BufReader};
    // 400 actors: about 20 rounds of a quarter of a second each in an optimised build, so
    // progress lines start after the first second (the run is stopped at the first one).
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("Actor,Capability,Position,Salience\n");
    let mut state = 1u64;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    for k in 0..400 {
        let salience = 0.1 + next(90) as f64 / 100.0;
        table.push_str(&format!("A{k},{},{},{salience}\n", 1 + k % 7, next(101)));
    }
    std::fs::write(dir.path().join("many.csv"), table).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .current_dir(dir.path())
        .args(["forecast", "many.csv", "--model", "bdm"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the forecast starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let found = loop {
        line.clear();
        if stderr.read_line(&mut line).unwrap() == 0 {
            break false;
        }
        if line.starts_with("progress: ") {
            break true;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "the forecast ended without a progress line");
    assert!(
        line.contains(" of at most 100 rounds of the expected-utility model ("),
        "{line}"
    );
}
