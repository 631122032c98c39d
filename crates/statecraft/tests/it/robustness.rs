//! Inputs that used to panic (issue 21's fuzzing found them): each must now exit 2 with a
//! message, and never print a panic.

use crate::support::{run, statecraft};

/// Runs `statecraft ARGS` in `dir`; asserts exit code 2, no panic and an `error:` message.
fn refused(dir: &std::path::Path, args: &[&str]) -> String {
    let (code, _, stderr) = run(statecraft().current_dir(dir).args(args));
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains("error"), "{args:?}: {stderr}");
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
    assert!(stderr.contains("cannot be drawn"), "{stderr}");
    let stderr = refused(
        dir.path(),
        &["sweep", "--uncertainty", "1e308", "--runs", "10"],
    );
    assert!(stderr.contains("cannot be drawn"), "{stderr}");
}
