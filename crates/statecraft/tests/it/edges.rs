//! A range or a package that stops at a red line says whether the edge itself is accepted: the
//! `coalitions` briefing writes a win-set cut by a red line as starting just above the line's
//! edge, and a package kept just clear of a line as lying just above it, the edge refused.

use crate::support::{flat, ok_with, run, statecraft};

/// One issue, status quo 0. A (30), B (40) and C (8) each accept moving it toward them, so the
/// win-set is 0..16 (C's limit); B refuses 0..=10, which cuts it to "just above 10" .. 16. The
/// maximin package would be 8 (where A's and C's gains meet) but lies inside B's line, so it
/// stops just above 10.
const SCENARIO: &str = r#"[scenario]
title = "Edges"

[[issues]]
id = "x"
min = 0
max = 100
status_quo = 0

[[actors]]
id = "A"
capability = 30
positions = { x = { position = 30, salience = 0.5 } }

[[actors]]
id = "B"
capability = 30
positions = { x = { position = 40, salience = 0.5 } }

[[actors.red_lines]]
issue = "x"
min = 0
max = 10

[[actors]]
id = "C"
capability = 30
positions = { x = { position = 8, salience = 0.5 } }
"#;

#[test]
fn a_win_set_and_a_package_stopped_at_a_red_line_say_the_edge_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edges.toml");
    std::fs::write(&path, SCENARIO).unwrap();
    let path = path.to_str().unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&ok_with(&[], &["coalitions", path, "--format", "json"])).unwrap();
    let interval = &json["issue_win_sets"][0]["intervals"][0];
    assert_eq!(interval["lo"].as_f64(), Some(10.0), "{json:#}");
    let package = json["unanimous"]["values"][0].as_f64().expect("6-0 here");
    assert!(package > 10.0 && package < 10.001, "{package}");

    let table = ok_with(&[], &["coalitions", path]);
    assert!(
        flat(&table)
            .contains("x: just above 10 to 16 (B's red line 0..=10 ends at 10, 10 itself refused)"),
        "{table}"
    );
    assert!(
        flat(&table).contains("x: 10, just above B's red line 0..=10; 10 itself is refused"),
        "{table}"
    );

    // Without the red line nothing is said about edges.
    let plain = dir.path().join("plain.toml");
    let text = SCENARIO.replace(
        "[[actors.red_lines]]\nissue = \"x\"\nmin = 0\nmax = 10\n",
        "",
    );
    std::fs::write(&plain, text).unwrap();
    let mut cmd = statecraft();
    cmd.args(["coalitions", plain.to_str().unwrap()]);
    let (code, table, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!table.contains("itself"), "{table}");
    assert!(table.contains("x: 0 to 16"), "{table}");
}
