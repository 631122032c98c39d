//! `statecraft serve` as a user runs it: the real binary on a free loopback port, driven in
//! headless Chromium (tests/browser/app.mjs) through an edit, a malformed upload, a cancelled
//! sweep and two downloads, whose results are checked against the CLI; then Ctrl-C stops it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};

use serde_json::Value;

use crate::support::{browser_script, ok_with, run, statecraft};

/// A running server, stopped (with SIGINT, as Ctrl-C does) when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Process::new(env!("CARGO_BIN_EXE_statecraft"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the server prints its URL");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        Server { child, url }
    }

    /// Sends SIGINT and returns the exit status and stderr.
    fn interrupt(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let sent = Process::new("kill").args(["-INT", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -INT works");
        let output = std::mem::replace(&mut self.child, Process::new("true").spawn().unwrap())
            .wait_with_output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_binds_loopback_and_stops_cleanly_on_ctrl_c() {
    let server = Server::start(&[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let (code, stderr) = server.interrupt();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("stopping"), "{stderr}");
}

#[test]
fn serve_refuses_a_scenario_that_does_not_load() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[scenario]\ntitle = \"x\"\n[[issues]\nid = 1\n").unwrap();
    let (code, _, stderr) = run(statecraft().args(["serve", "--port", "0"]).arg(&bad));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("bad.toml:3:"), "{stderr}");
    let (code, _, stderr) = run(statecraft().args(["serve", "--port", "0", "--timeout", "0"]));
    assert_eq!(code, Some(2), "{stderr}");
}

fn compromise_on_nuclear_status(json: &str) -> f64 {
    let v: Value = serde_json::from_str(json).unwrap();
    v["forecasts"][0]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["issue"] == "nuclear_status")
        .and_then(|i| i["value"].as_f64())
        .expect("a compromise forecast on nuclear status")
}

#[test]
fn the_app_in_a_browser_edits_uploads_sweeps_and_downloads() {
    let Some((script, chromium)) = browser_script("app.mjs") else {
        return;
    };
    let server = Server::start(&[]);
    let out = tempfile::tempdir().unwrap();
    let salience = "0.6";
    let output = Process::new("node")
        .arg(&script)
        .arg(&server.url)
        .arg(out.path())
        .arg(salience)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert!(
        seen["error"].is_null(),
        "the browser run failed: {}",
        seen["error"]
    );

    // The edit: the page shows what `statecraft forecast --set` prints.
    let set = format!("DPRK.nuclear_status.salience={salience}");
    let cli = ok_with(
        &[],
        &[
            "forecast",
            "--model",
            "compromise",
            "--format",
            "json",
            "--set",
            &set,
        ],
    );
    let expected = compromise_on_nuclear_status(&cli);
    let loaded = compromise_on_nuclear_status(&ok_with(
        &[],
        &["forecast", "--model", "compromise", "--format", "json"],
    ));
    let before: f64 = seen["before"].as_str().unwrap().parse().unwrap();
    let after: f64 = seen["after"].as_str().unwrap().parse().unwrap();
    assert_eq!(before, loaded, "the page opens with the CLI's forecast");
    assert_eq!(
        after, expected,
        "after the edit the page shows the CLI's forecast"
    );
    assert_ne!(before, after);

    // Problems next to their fields, with the CLI's messages and lines.
    let field = seen["fieldProblem"].as_str().unwrap();
    assert!(field.contains("salience 1.5 is outside 0..=1"), "{field}");
    let upload = seen["uploadProblem"].as_str().unwrap();
    assert!(upload.contains("bad.toml:3:"), "{upload}");

    // The sweep moved, then stopped short when cancelled.
    let progress = seen["progress"].as_array().unwrap();
    let (done, total) = (progress[0].as_f64().unwrap(), progress[1].as_f64().unwrap());
    assert!(
        done > 0.0 && done < total && total == 20_000.0,
        "{progress:?}"
    );
    let status = seen["sweepStatus"].as_str().unwrap();
    assert!(status.starts_with("cancelled"), "{status}");
    assert!(!status.contains("20,000 of"), "{status}");

    // The downloads: the edited scenario passes `check` and carries the edit; the report is the
    // report.
    let toml = Path::new(seen["tomlPath"].as_str().unwrap());
    let checked = ok_with(&[], &["check", toml.to_str().unwrap()]);
    assert!(!checked.is_empty());
    let shown: Value = serde_json::from_str(&ok_with(
        &[],
        &["show", toml.to_str().unwrap(), "--format", "json"],
    ))
    .unwrap();
    let dprk = shown["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "DPRK")
        .unwrap();
    assert_eq!(dprk["positions"]["nuclear_status"]["salience"], 0.6);
    let report = std::fs::read_to_string(seen["reportPath"].as_str().unwrap()).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>") && report.contains("statecraft report"));

    // Every view has content, and the what-if view marks what changed.
    for view in ["lands", "coalitions", "durability", "power", "whatif"] {
        let text = seen["views"][view]["text"].as_str().unwrap();
        assert!(text.len() > 50, "{view}: {text}");
    }
    assert!(seen["views"]["lands"]["charts"].as_u64().unwrap() > 0);
    assert!(seen["views"]["whatif"]["changed"].as_u64().unwrap() > 0);

    // Nothing fetched from elsewhere; the only console errors are the 422s of the bad inputs.
    assert_eq!(seen["foreign"], Value::Array(vec![]), "{}", seen["foreign"]);
    for message in seen["console"].as_array().unwrap() {
        let m = message.as_str().unwrap();
        assert!(
            m.contains("status of 422"),
            "unexpected console message: {m}"
        );
    }
    assert!(seen["csp"].as_str().unwrap().contains("script-src 'self'"));
    for shot in [
        "view-lands",
        "view-whatif",
        "view-sure-running",
        "upload-problem",
        "field-problem",
    ] {
        let png = out.path().join(format!("{shot}.png"));
        assert!(
            std::fs::metadata(&png).is_ok_and(|m| m.len() > 10_000),
            "{shot}.png was taken"
        );
    }
    if let Some(keep) = std::env::var_os("STATECRAFT_SCREENSHOTS") {
        let keep = Path::new(&keep);
        let _ = std::fs::create_dir_all(keep);
        for entry in std::fs::read_dir(out.path()).unwrap().flatten() {
            let _ = std::fs::copy(entry.path(), keep.join(entry.file_name()));
        }
    }
    let (code, stderr) = server.interrupt();
    assert_eq!(code, Some(0), "{stderr}");
}
