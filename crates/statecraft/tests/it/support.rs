//! Helpers shared by the integration tests: running the binary, finding the fixtures and the
//! optional `../shared` data, and reading miette's diagnostics on stderr.

use std::path::{Path, PathBuf};

use std::process::Command as Process;

use assert_cmd::Command;

/// The `statecraft` binary that cargo built for this test run, with colour switched off.
pub fn statecraft() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_statecraft"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The crate's directory (`crates/statecraft`).
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root (`/work/main` or wherever the checkout is).
pub fn workspace_dir() -> PathBuf {
    crate_dir().join("../..")
}

/// The directory of malformed inputs, one file per case.
pub fn malformed_dir() -> PathBuf {
    crate_dir().join("tests/fixtures/malformed")
}

/// `../shared/<sub>` beside the workspace, or `None` after printing `SKIPPED: ...` on stderr when
/// it is absent (the data is not part of the repository). Callers return when given `None`.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = workspace_dir().join("../shared").join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        skipped(&format!("../shared/{sub} not present"));
        None
    }
}

/// The words of miette's report without the source snippets: the `× message` lines (with their
/// `│` continuation lines) and the `help:` text, with line wrapping undone. Checking words here,
/// rather than in all of stderr, means a word found only in the quoted source does not count.
pub fn message_text(stderr: &str) -> String {
    let mut words = Vec::new();
    for line in stderr.lines() {
        let trimmed = line.trim_start();
        if is_snippet_line(trimmed) {
            continue;
        }
        let text = trimmed
            .trim_start_matches(['×', '⚠', '│', '☞'])
            .trim_start();
        words.extend(text.split_whitespace());
    }
    words.join(" ")
}

/// The records of a CSV text after its header (quoted fields read as CSV reads them: labels may
/// hold commas).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_owned).collect())
        .collect()
}

/// A file `name` holding `text` in a new temporary directory (kept while the guard lives).
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join(name);
    std::fs::write(&file, text).expect("the file is written");
    (dir, file)
}

/// `text` with every run of whitespace (line breaks of wrapped notes among them) as one space,
/// for checking sentences that the printer wraps to the terminal's width.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of a source snippet: `╭─[file:1:2]`, `· ──┬──`, `╰────`, or `12 │ text`.
fn is_snippet_line(trimmed: &str) -> bool {
    if trimmed.starts_with(['╭', '·', '╰', '┆']) {
        return true;
    }
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    digits > 0 && trimmed[digits..].starts_with(" │")
}

/// Runs `statecraft` with `args` and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let output = cmd.output().expect("the statecraft binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `statecraft ARGS` in the workspace root with the extra environment `env`, asserts exit
/// code 0 and no panic, and returns stdout.
pub fn ok_with(env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir()).args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(
        code,
        Some(0),
        "statecraft {args:?} failed; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

/// Says on stderr that a check did not run. Written to the stream directly rather than with
/// `eprintln!`, which the test harness captures and hides for passing tests.
pub fn skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
}

/// A browser script of tests/browser with the Chromium to run it with, or `None` (after saying
/// SKIPPED and why) when this machine lacks one and the run does not require it.
pub fn browser_script(script: &str) -> Option<(PathBuf, String)> {
    let dir = crate_dir().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Process::new("node").arg("--version").output();
    let missing = if node.map(|o| !o.status.success()).unwrap_or(true) {
        Some("node is not installed")
    } else if !dir.join("node_modules/playwright-core").is_dir() {
        Some("playwright-core is not installed (run `npm ci` in crates/statecraft/tests/browser)")
    } else if !Path::new(&chromium).exists() {
        Some("chromium is not installed (apt-get install chromium)")
    } else {
        None
    };
    match missing {
        None => Some((dir.join(script), chromium)),
        Some(why) if std::env::var_os("STATECRAFT_REQUIRE_BROWSER").is_some() => {
            panic!("the browser test is required here, but {why}")
        }
        Some(why) => {
            skipped(&format!("headless Chromium test: {why}"));
            None
        }
    }
}
