//! The run store: a sweep killed with SIGKILL or stopped with Ctrl-C part way resumes with
//! `--resume` and gives exactly what an uninterrupted sweep gives; `runs` lists, shows and
//! exports what was recorded.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{ok_with, run, statecraft};

/// The sweep used throughout: the built-in scenario, two fast models, small chunks.
const SWEEP: &[&str] = &[
    "sweep",
    "--model",
    "compromise,median",
    "--runs",
    "100000",
    "--chunk",
    "500",
    "--seed",
    "3",
    "--format",
    "json",
];

fn store_arg(store: &Path) -> Vec<String> {
    vec!["--store".into(), store.to_str().unwrap().to_owned()]
}

fn with_store(args: &[&str], store: &Path) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    all.extend(store_arg(store));
    all
}

fn ok_args(args: &[String]) -> String {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ok_with(&[], &refs)
}

/// `runs show 1` of `store` as JSON.
fn show(store: &Path) -> Value {
    let text = ok_args(&with_store(&["runs", "show", "1"], store));
    serde_json::from_str(&text).expect("runs show prints JSON")
}

/// Starts the sweep recording into `store` and waits until it has stored `chunks` chunks.
fn start_and_wait(store: &Path, chunks: i64) -> Child {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .env("NO_COLOR", "1")
        .args(with_store(SWEEP, store))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the sweep starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        std::thread::sleep(Duration::from_millis(20));
        if store.exists() {
            let mut cmd = statecraft();
            cmd.args(with_store(&["runs", "show", "1"], store));
            let (code, stdout, _) = run(&mut cmd);
            if code == Some(0) {
                let run: Value = serde_json::from_str(&stdout).unwrap();
                if run["chunks"].as_i64().unwrap() >= chunks {
                    return child;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "the sweep stored no chunk in 60 s"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the sweep ended ({status}) before it could be interrupted");
        }
    }
}

/// The result of the same sweep run without interruption, in its own store.
fn uninterrupted(dir: &Path) -> String {
    ok_args(&with_store(SWEEP, &dir.join("whole.sqlite")))
}

#[test]
fn a_sweep_killed_part_way_resumes_to_the_uninterrupted_result() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    let mut child = start_and_wait(&store, 2);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let killed = show(&store);
    assert_eq!(killed["status"], "running", "{killed}");
    let kept = killed["chunks"].as_i64().unwrap();
    assert!((2..200).contains(&kept), "{kept} chunks kept");
    let resumed = ok_args(&with_store(
        &["sweep", "--resume", "1", "--format", "json"],
        &store,
    ));
    assert_eq!(resumed, uninterrupted(dir.path()));
    let done = show(&store);
    assert_eq!(done["status"], "done");
    assert_eq!(done["chunks"], 200);
    // The stored result is the printed one.
    let exported = ok_args(&with_store(&["runs", "export", "1"], &store));
    let printed: Value = serde_json::from_str(&resumed).unwrap();
    let stored: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(printed, stored);
}

#[test]
fn a_sweep_stopped_with_ctrl_c_keeps_its_chunks_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    let child = start_and_wait(&store, 2);
    // The shell's own `kill`, which every machine with `sh` has.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .expect("sh -c 'kill -INT PID'");
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "Ctrl-C ends the sweep with 130 after its partial result: {:?}",
        output.status
    );
    // Stopped, not killed: the store says so (a killed sweep stays `running`).
    let stopped = show(&store);
    assert_eq!(stopped["status"], "interrupted");
    let list = ok_args(&with_store(&["runs", "list"], &store));
    assert!(list.contains("interrupted"), "{list}");
    let resumed = ok_args(&with_store(
        &["sweep", "--resume", "1", "--format", "json"],
        &store,
    ));
    assert_eq!(resumed, uninterrupted(dir.path()));
}

#[test]
fn the_store_records_the_scenario_settings_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    let small = [
        "sweep", "--runs", "300", "--chunk", "100", "--format", "json",
    ];
    ok_args(&with_store(&small, &store));
    let run = show(&store);
    assert_eq!(run["kind"], "sweep");
    assert_eq!(run["status"], "done");
    assert_eq!(run["chunks"], 3);
    assert_eq!(run["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["params"]["runs"], 300);
    assert_eq!(run["scenario"]["scenario"]["title"], run["title"]);
    assert_eq!(run["scenario_hash"].as_str().unwrap().len(), 16);
    let list = ok_args(&with_store(&["runs", "list"], &store));
    assert!(list.contains("sweep") && list.contains("done"), "{list}");
}

#[test]
fn unknown_runs_and_missing_stores_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    let mut cmd = statecraft();
    cmd.args(with_store(&["runs", "list"], &store));
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no run store"), "{stderr}");
    ok_args(&with_store(
        &["sweep", "--runs", "10", "--format", "csv"],
        &store,
    ));
    let mut cmd = statecraft();
    cmd.args(with_store(&["runs", "show", "7"], &store));
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no run 7"), "{stderr}");
}

#[test]
fn forecasts_and_analyses_are_recorded_with_their_results() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("runs.sqlite");
    let printed = ok_args(&with_store(
        &["forecast", "--model", "compromise", "--format", "json"],
        &store,
    ));
    ok_args(&with_store(&["coalitions", "--format", "json"], &store));
    ok_args(&with_store(
        &["durability", "--runs", "500", "--format", "json"],
        &store,
    ));
    let list = ok_args(&with_store(&["runs", "list"], &store));
    for kind in ["forecast", "coalitions", "durability"] {
        assert!(list.contains(kind), "{list}");
    }
    // The stored forecast is the printed one's `forecasts`.
    let printed: Value = serde_json::from_str(&printed).unwrap();
    let stored: Value =
        serde_json::from_str(&ok_args(&with_store(&["runs", "export", "1"], &store))).unwrap();
    assert_eq!(stored, printed["forecasts"]);
}
