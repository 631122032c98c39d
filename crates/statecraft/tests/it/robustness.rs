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
