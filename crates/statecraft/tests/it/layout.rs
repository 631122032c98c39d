//! What a person reads in a terminal: tables and sentences fit 100 columns when stdout is not a
//! terminal (or `COLUMNS`), headers wrap at words, a table too wide for the width prints
//! vertically, values show the precision of their issue's scale, the spatial model's narration
//! names its issues, and the terms an output uses are defined under it (issue 19, items 2, 4, 5).
//! The snapshots are the built-in scenario's tables at 100 columns.

use crate::support::{statecraft, workspace_dir};

const CROWDED: &str = "crates/statecraft/tests/fixtures/crowded/iran-2015.toml";

/// stdout of `statecraft ARGS` run from the workspace root, with `COLUMNS` as given (or unset).
fn run(args: &[&str], columns: Option<&str>) -> String {
    let mut cmd = statecraft();
    cmd.current_dir(workspace_dir()).args(args);
    match columns {
        Some(c) => cmd.env("COLUMNS", c),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "statecraft {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Display width: every character of these outputs is one column wide.
fn columns(line: &str) -> usize {
    line.chars().count()
}

fn widest(text: &str) -> (usize, &str) {
    text.lines()
        .map(|l| (columns(l), l))
        .max_by_key(|(w, _)| *w)
        .unwrap_or((0, ""))
}

/// Every command that prints tables, on the built-in scenario and on the crowded one.
fn commands() -> Vec<Vec<&'static str>> {
    let mut all = Vec::new();
    for scenario in [None, Some(CROWDED)] {
        for args in [
            vec!["forecast"],
            vec!["forecast", "--model", "smp"],
            vec!["forecast", "--model", "smp", "--explain"],
            vec!["forecast", "--model", "bdm", "--explain"],
            vec!["forecast", "--set", "US.capability=5000"],
            vec!["show", "scenarios/six-party-2009.toml"],
            vec!["coalitions"],
            vec!["durability", "--runs", "2000"],
            vec!["power"],
            vec!["sweep", "--runs", "60"],
            vec!["compare", "six-party-2009", "--set", "US.capability=50"],
        ] {
            let mut args = args;
            if let Some(s) = scenario {
                if args[0] == "show" || args[0] == "compare" {
                    args[1] = s;
                } else {
                    args.insert(1, s);
                }
            }
            all.push(args);
        }
    }
    all
}

#[test]
fn every_table_and_sentence_fits_100_columns_when_stdout_is_not_a_terminal() {
    for args in commands() {
        let text = run(&args, None);
        let (width, line) = widest(&text);
        assert!(
            width <= 100,
            "statecraft {args:?}: a line of {width} columns:\n{line}"
        );
    }
}

#[test]
fn columns_sets_the_width_and_a_table_that_cannot_fit_prints_vertically() {
    let text = run(&["forecast"], Some("60"));
    let (width, line) = widest(&text);
    assert!(width <= 60, "a line of {width} columns:\n{line}");
    assert!(
        !text.contains('┆'),
        "seven columns cannot fit 60 without splitting words, so no grid:\n{text}"
    );
    assert!(
        text.contains("Issue: North Korea's nuclear status\n  Scale: 0..100\n  Status quo: 65\n"),
        "{text}"
    );
    assert!(text.contains("  Weighted median: 5 †\n"), "{text}");
    // Wide enough: a grid again.
    assert!(run(&["forecast"], Some("140")).contains('┆'));
}

/// The words of a table's header cells (between the first rule and the header's end).
fn header_words(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with('┌'))
        .expect("a table");
    let end = lines
        .iter()
        .position(|l| l.starts_with('╞'))
        .expect("a header");
    let mut cells: Vec<String> = Vec::new();
    for line in &lines[start + 1..end] {
        let parts: Vec<&str> = line.trim_matches('│').split('┆').collect();
        if cells.is_empty() {
            cells = vec![String::new(); parts.len()];
        }
        for (cell, part) in cells.iter_mut().zip(parts) {
            cell.push(' ');
            cell.push_str(part.trim());
        }
    }
    cells
        .iter()
        .flat_map(|c| c.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn headers_wrap_at_words_never_inside_one() {
    for (args, expected) in [
        (
            vec!["forecast", CROWDED],
            vec![
                "Issue",
                "Scale",
                "Status",
                "quo",
                "Compromise",
                "(weighted",
                "mean)",
                "Weighted",
                "median",
                "Nash",
                "bargaining",
                "Expected",
                "utility",
                "(BDM)",
            ],
        ),
        (
            vec!["show", CROWDED],
            vec!["Issue", "Scale", "Status", "quo", "Anchors"],
        ),
    ] {
        let text = run(&args, None);
        assert_eq!(header_words(&text), expected, "{args:?}:\n{text}");
    }
}

#[test]
fn values_show_the_precision_of_their_scale() {
    let text = run(&["forecast", CROWDED], None);
    // The 10..10,200 centrifuge scale: whole numbers, thousands grouped; the 0..20 and 0..100
    // scales: two decimals.
    let row = text
        .lines()
        .find(|l| l.contains("Operating centrifuges"))
        .expect("the centrifuge row");
    assert!(row.contains("10..10,200"), "{row}");
    assert!(row.contains("4,082"), "{row}");
    assert!(
        regex_like_decimals(row, 1).is_empty(),
        "no decimals on a 10,200 scale: {row}"
    );
    // Sentences may wrap anywhere: read them with the line breaks undone.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("bdm on centrifuges: mean 4,623;"), "{text}");
    assert!(flat.contains("bdm gives 7,279 while"), "{text}");
    assert!(
        flat.contains("its position 10,200 at the status quo"),
        "{text}"
    );
    let enrichment = text
        .lines()
        .find(|l| l.contains("Highest level of uranium"))
        .expect("the enrichment row");
    assert!(enrichment.contains("4.47"), "{enrichment}");
    // No value anywhere with four decimals (the old notes' `18.8360`).
    let four = regex_like_decimals(&run(&["forecast"], None), 4);
    assert!(four.is_empty(), "four-decimal values: {four:?}");
}

/// Numbers written with `decimals` or more decimals (`10..10,200` is a range, not a decimal).
fn regex_like_decimals(text: &str, decimals: usize) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| {
            w.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty() && b.len() >= decimals && b.chars().all(|c| c.is_ascii_digit())
            })
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_spatial_models_narration_names_its_issues_one_line_each() {
    let text = run(&["forecast", "--model", "smp", "--explain"], None);
    assert!(
        !text.contains("moves from ("),
        "no unlabelled tuples:\n{text}"
    );
    assert!(
        text.contains("  Russia moves (its own offer to DPRK):\n"),
        "{text}"
    );
    assert!(
        text.contains("    Legal form of any agreement: 66.49 -> 66.51\n"),
        "{text}"
    );
    assert!(
        text.contains("the most probable position is nuclear_status 10.75, security_assurance"),
        "{text}"
    );
}

#[test]
fn the_terms_an_output_uses_are_defined_under_it() {
    let coalitions = run(&["coalitions"], None);
    let terms = coalitions
        .split("\nTerms (docs/glossary.md):\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no terms block:\n{coalitions}"));
    for term in [
        "win-set:",
        "linear losses:",
        "gain:",
        "margin:",
        "capability-weighted log-gain:",
    ] {
        assert!(
            terms.contains(&format!("  {term} ")),
            "{term} missing:\n{terms}"
        );
    }
    let sweep = run(&["sweep", "--runs", "40", "--sensitivity", "40"], None);
    assert!(
        sweep.contains("  Sobol index: S, the first-order index"),
        "{sweep}"
    );
    let power = run(&["power"], None);
    assert!(!power.contains("  gain:"), "power uses no gains:\n{power}");
    // Every term the CLI defines is in the glossary page.
    let page = std::fs::read_to_string(workspace_dir().join("docs/glossary.md")).expect("glossary");
    for (term, _, _) in statecraft_core::text::GLOSSARY {
        let first = term.split_whitespace().next().expect("a word");
        assert!(
            page.to_lowercase()
                .contains(&format!("**{}", first.to_lowercase())),
            "docs/glossary.md has no entry for {term}"
        );
    }
}

#[test]
fn the_built_in_tables_at_100_columns() {
    for (name, args) in [
        ("forecast", vec!["forecast"]),
        ("show", vec!["show", "scenarios/six-party-2009.toml"]),
        ("coalitions", vec!["coalitions"]),
        ("durability", vec!["durability", "--runs", "2000"]),
        ("power", vec!["power"]),
        ("smp", vec!["forecast", "--model", "smp"]),
        ("crowded-forecast", vec!["forecast", CROWDED]),
    ] {
        insta::assert_snapshot!(name, run(&args, None));
    }
}
