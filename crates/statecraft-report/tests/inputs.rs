//! The report's inputs section: every red line (with its edges), leadership change (with its
//! chance and every successor's positions), agreement form (with its costs), affinity and
//! reservation margin of the scenario appears in the report's data and in its HTML, Markdown and
//! CSV, escaped as the rest of the report is. The expectations are read from the scenario itself,
//! so the test holds for any scenario: the built-in one and a small one written for it.

use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::scenario::{ChangeTiming, Scenario};
use statecraft_core::text::number;
use statecraft_report::{escape, exporter, Report, ReportOptions};

/// Two issues; B refuses 0..=10 on `format`, A has an election with two successors and a hazard,
/// two forms with own and issue costs, affinities and a reservation margin. Names carry
/// characters that HTML and Markdown must escape.
const SMALL: &str = r#"[scenario]
title = "Inputs"
date = "2020-01-01"

[[issues]]
id = "format"
label = "Format <of talks>"
min = 0
max = 100
status_quo = 50

[[issues]]
id = "money"
min = 0
max = 10
status_quo = 5

[[actors]]
id = "A"
name = "A & Sons"
capability = 40
reservation = 0.05
affinity = { B = 0.3 }
positions = { format = { position = 30, salience = 0.5 }, money = { position = 2, salience = 0.5 } }

[actors.domestic]
[[actors.domestic.changes]]
label = "2021 election <snap>"
date = "2021-06-01"
turnover = 0.35

[[actors.domestic.changes.successors]]
label = "hawk | hardliner"
probability = 0.6
positions = { format = { position = 90, salience = 0.7 } }

[[actors.domestic.changes.successors]]
label = "dove"
probability = 0.4
positions = { money = { position = 1, spread = 0.5 } }

[[actors.domestic.changes]]
label = "coup"
hazard = 0.02

[[actors]]
id = "B"
capability = 60
positions = { format = { position = 70, salience = 0.5 }, money = { position = 8, salience = 0.5 } }

[[actors.red_lines]]
issue = "format"
min = 0
max = 10
note = "no <return> to the old format"

[[actors]]
id = "C"
capability = 20
affinity = { A = 0.5 }
positions = { format = { position = 40, salience = 1 }, money = { position = 5, salience = 0.2 } }

[[forms]]
id = "statement"
label = "Joint statement"
cost = 0.02

[[forms]]
id = "treaty"
label = "Treaty [ratified]"
cost = 0.3
costs = { B = 0.45 }
cost_trend = -0.05

[[forms.issue_costs]]
issue = "money"
down = 0.2
up = 0.1
"#;

fn report(scenario: &Scenario) -> Report {
    let options = ReportOptions {
        bdm: BdmParams::forecast(Variant::ScholzReference),
        durability: None,
        sweep: None,
        power_samples: 200,
        seed: 1,
        fitted: None,
    };
    Report::build(scenario, &options)
}

/// The text of `format` between `start` and the next `end` after it.
fn section(report: &Report, format: &str, start: &str, end: &str) -> String {
    let text = exporter(format)
        .expect("a known format")
        .export(report)
        .expect("the report exports");
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{format} has no `{start}`"));
    let rest = &text[from + start.len()..];
    rest[..rest.find(end).unwrap_or(rest.len())].to_owned()
}

/// What each input must show: (CSV row, words in the HTML and Markdown sections).
fn expectations(scenario: &Scenario) -> Vec<(String, Vec<String>)> {
    let issues = scenario.issues();
    let mut out = Vec::new();
    for actor in scenario.actors() {
        for (n, line) in (1..).zip(&actor.red_lines) {
            let issue = &issues[line.issue];
            out.push((
                format!(
                    "inputs,{},{},red_lines.{n}.max,{}",
                    actor.id, issue.id, line.max
                ),
                vec![
                    actor.name.clone(),
                    issue.label.clone(),
                    format!("{} to {}", number(line.min), number(line.max)),
                    "both refused".into(),
                ],
            ));
            out.push((
                format!(
                    "inputs,{},{},red_lines.{n}.min_included,true",
                    actor.id, issue.id
                ),
                Vec::new(),
            ));
        }
        for (n, change) in (1..).zip(&actor.domestic) {
            let (row, words) = match &change.timing {
                ChangeTiming::Scheduled { date, turnover } => (
                    format!("inputs,{},,domestic.{n}.turnover,{turnover}", actor.id),
                    vec![
                        format!("election on {}", date.format("%Y-%m-%d")),
                        format!("{:.1}% turnover", 100.0 * turnover),
                    ],
                ),
                ChangeTiming::Hazard { yearly } => (
                    format!("inputs,{},,domestic.{n}.hazard,{yearly}", actor.id),
                    vec![format!("{:.1}% a year", 100.0 * yearly)],
                ),
            };
            out.push((row, [vec![change.label.clone()], words].concat()));
            for (m, s) in (1..).zip(&change.successors) {
                let mut words = vec![s.label.clone(), format!("{:.1}%", 100.0 * s.probability)];
                for (k, c) in &s.positions {
                    if let Some(p) = c.position {
                        words.push(format!("{}: position {}", issues[*k].label, number(p)));
                        out.push((
                            format!(
                                "inputs,{},{},domestic.{n}.successors.{m}.position,{p}",
                                actor.id, issues[*k].id
                            ),
                            Vec::new(),
                        ));
                    }
                }
                out.push((
                    format!(
                        "inputs,{},,domestic.{n}.successors.{m}.probability,{}",
                        actor.id, s.probability
                    ),
                    words,
                ));
            }
        }
        for &(partner, share) in &actor.affinity {
            let partner = &scenario.actors()[partner];
            out.push((
                format!("inputs,{},,affinity.{},{share}", actor.id, partner.id),
                vec![actor.name.clone(), partner.name.clone(), number(share)],
            ));
        }
        out.push((
            format!("inputs,{},,reservation,{}", actor.id, actor.reservation),
            vec![actor.name.clone(), number(actor.reservation)],
        ));
    }
    for form in scenario.forms() {
        let mut words = vec![form.label.clone(), number(form.cost)];
        for &(a, cost) in &form.actor_costs {
            words.push(format!("{} {}", scenario.actors()[a].name, number(cost)));
        }
        out.push((format!("inputs,{},,cost,{}", form.id, form.cost), words));
        for c in &form.issue_costs {
            out.push((
                format!(
                    "inputs,{},{},issue_costs.down,{}",
                    form.id, issues[c.issue].id, c.down
                ),
                Vec::new(),
            ));
        }
    }
    out
}

fn md_escape(text: &str) -> String {
    let html = escape(text).replace("&#39;", "'").replace("&quot;", "\"");
    html.replace('|', "\\|")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn check(scenario: &Scenario, min_inputs: usize) {
    let report = report(scenario);
    let expected = expectations(scenario);
    assert!(
        expected.len() >= min_inputs,
        "the scenario has {} inputs",
        expected.len()
    );
    let text = exporter("csv").unwrap().export(&report).unwrap();
    // The rows by id, the two label columns left out (the exporters' tests check those).
    let csv: String = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            [&r[0], &r[1], &r[3], &r[5], &r[6]].join(",") + "\n"
        })
        .collect();
    let html = section(&report, "html", "<section id=\"inputs\">", "</section>");
    let md = section(
        &report,
        "md",
        "## What the coalitions and durability rest on",
        "\n## ",
    );
    for (row, words) in &expected {
        assert!(
            csv.lines().any(|l| l == row),
            "the CSV lacks `{row}`:\n{}",
            csv.lines()
                .filter(|l| l.starts_with("inputs,"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        for w in words {
            assert!(html.contains(&escape(w)), "the HTML lacks `{w}`:\n{html}");
            assert!(
                md.contains(&md_escape(w)),
                "the Markdown lacks `{w}`:\n{md}"
            );
        }
    }
    // The data carries the same inputs.
    let n_lines: usize = scenario.actors().iter().map(|a| a.red_lines.len()).sum();
    assert_eq!(report.inputs.red_lines.len(), n_lines);
    assert!(report
        .inputs
        .red_lines
        .iter()
        .all(|l| l.min_included && l.max_included));
    let n_changes: usize = scenario.actors().iter().map(|a| a.domestic.len()).sum();
    assert_eq!(report.inputs.leadership_changes.len(), n_changes);
    assert_eq!(report.inputs.forms.len(), scenario.forms().len());
    assert_eq!(report.inputs.actors.len(), scenario.actors().len());
}

#[test]
fn the_built_in_scenario_lists_every_input() {
    let scenario = statecraft_io::load_builtin("six-party-2009")
        .expect("the built-in scenario")
        .scenario;
    assert!(scenario.actors().iter().any(|a| !a.red_lines.is_empty()));
    assert!(scenario.actors().iter().any(|a| !a.domestic.is_empty()));
    check(&scenario, 20);
}

#[test]
fn a_small_scenario_lists_its_red_lines_elections_successors_and_forms() {
    let scenario =
        statecraft_io::parse_str("inputs.toml", SMALL.into(), statecraft_io::Format::Toml)
            .unwrap_or_else(|e| panic!("the scenario loads: {e:?}"))
            .scenario;
    assert_eq!(scenario.forms().len(), 2);
    check(&scenario, 12);
    let html = section(
        &report(&scenario),
        "html",
        "<section id=\"inputs\">",
        "</section>",
    );
    // Scenario text is escaped: no raw tag from a label reaches the page.
    assert!(
        !html.contains("<snap>") && !html.contains("<return>"),
        "{html}"
    );
    assert!(
        html.contains("no &lt;return&gt; to the old format"),
        "{html}"
    );
}
