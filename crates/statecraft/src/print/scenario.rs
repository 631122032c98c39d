//! A scenario printed: the `check` summary line, and `show`'s tables (issues with their scales
//! and anchors, actors x issues, red lines, domestic politics) or its CSV.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::CheckResult;
use statecraft_core::scenario::{ChangeTiming, Scenario};

use super::{fmt_value, new_table};
use crate::cli::OutputFormat;
use crate::Failure;

/// The line `check` prints for a scenario that loaded.
pub(crate) fn check_line(name: &str, c: &CheckResult) -> String {
    format!(
        "ok: {name}: {} actors, {} issues, {} red lines, {} leadership changes, {} warning(s)\n",
        c.actors, c.issues, c.red_lines, c.leadership_changes, c.warnings
    )
}

/// Prints the scenario in `format`; JSON is the scenario itself, in statecraft's format.
pub(crate) fn show(s: &Scenario, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => statecraft_io::export(s, statecraft_io::Format::Json),
        OutputFormat::Csv => super::csv_text(
            &["actor", "capability", "issue", "position", "salience"],
            s.actors().iter().enumerate().flat_map(|(a, actor)| {
                s.issues().iter().enumerate().filter_map(move |(i, issue)| {
                    s.stance(a, i).map(|st| {
                        [
                            actor.id.clone(),
                            actor.capability.to_string(),
                            issue.id.clone(),
                            st.position.to_string(),
                            st.salience.to_string(),
                        ]
                    })
                })
            }),
        )?,
        OutputFormat::Table => super::for_people(&tables(s)),
    };
    super::write_out(&text)
}

fn tables(s: &Scenario) -> String {
    let mut out = String::new();
    let meta = s.meta();
    if let Some(title) = &meta.title {
        out.push_str(title);
        if let Some(date) = meta.date {
            out.push_str(&format!(" ({date})"));
        }
        out.push('\n');
    }
    let mut issues = new_table();
    issues.set_header(vec!["Issue", "Scale", "Status quo", "Anchors"]);
    for issue in s.issues() {
        let anchors: Vec<String> = issue
            .anchors
            .iter()
            .map(|a| format!("{} = {}", fmt_value(a.value), a.label))
            .collect();
        issues.add_row(vec![
            format!("{}\n({})", issue.label, issue.id),
            format!(
                "{}..{}",
                fmt_value(issue.scale.min),
                fmt_value(issue.scale.max)
            ),
            issue.status_quo.map_or("-".into(), fmt_value),
            anchors.join("\n"),
        ]);
    }
    out.push_str(&issues.to_string());
    out.push_str("\n\nPositions (salience in brackets):\n");
    let mut grid = new_table();
    let mut header = vec![Cell::new("Actor"), Cell::new("Capability")];
    header.extend(s.issues().iter().map(|i| Cell::new(&i.id)));
    grid.set_header(header);
    for (a, actor) in s.actors().iter().enumerate() {
        let mut row = vec![
            Cell::new(&actor.name),
            Cell::new(fmt_value(actor.capability)).set_alignment(CellAlignment::Right),
        ];
        for i in 0..s.issues().len() {
            let text = s.stance(a, i).map_or("-".into(), |st| {
                format!("{} ({})", fmt_value(st.position), fmt_value(st.salience))
            });
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        grid.add_row(row);
    }
    out.push_str(&grid.to_string());
    out.push('\n');
    let lines: Vec<String> = s
        .actors()
        .iter()
        .flat_map(|a| {
            a.red_lines.iter().map(move |l| {
                format!(
                    "  {} refuses {} in {}..{}",
                    a.id,
                    s.issues()[l.issue].id,
                    fmt_value(l.min),
                    fmt_value(l.max)
                )
            })
        })
        .collect();
    if !lines.is_empty() {
        out.push_str("\nRed lines:\n");
        out.push_str(&lines.join("\n"));
        out.push('\n');
    }
    let changes: Vec<String> = s
        .actors()
        .iter()
        .flat_map(|a| {
            a.domestic.iter().map(move |c| {
                let when = match c.timing {
                    ChangeTiming::Scheduled { date, turnover } => {
                        format!("{date}, turnover {}", fmt_value(turnover))
                    }
                    ChangeTiming::Hazard { yearly } => {
                        format!("yearly probability {}", fmt_value(yearly))
                    }
                };
                format!(
                    "  {}: {} ({when}; {} possible successor(s))",
                    a.id,
                    c.label,
                    c.successors.len()
                )
            })
        })
        .collect();
    if !changes.is_empty() {
        out.push_str("\nDomestic politics:\n");
        out.push_str(&changes.join("\n"));
        out.push('\n');
    }
    out
}
