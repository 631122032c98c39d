//! The exporters: one trait, four formats (JSON, CSV, Markdown, HTML), so that the command line,
//! the tests and any later front end write a report the same way.

use std::fmt::Write as _;

use crate::charts::{charts, fmt, percent, Chart, ChartError, DataTable};
use crate::report::Report;
use statecraft_core::models::disagreement::{Between, DISAGREEMENT_SHARE};

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// The JSON writer failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("cannot write CSV: {0}")]
    Csv(String),
    /// The workbook writer failed.
    #[error("cannot write the workbook: {0}")]
    Xlsx(String),
}

/// Writes a [`Report`] in one format.
pub trait Exporter {
    /// The format's name, as `--format` takes it.
    fn name(&self) -> &'static str;
    /// The usual file extension, without the dot.
    fn extension(&self) -> &'static str;
    /// The report as text.
    fn export(&self, report: &Report) -> Result<String, ExportError>;
}

/// The stable JSON document (schema [`crate::SCHEMA`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

/// One long table: `section,subject,subject_label,issue,issue_label,measure,value`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv;

/// A Markdown briefing: the numbers as tables, each chart as its text alternative.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

/// One self-contained HTML page with inline SVG charts and CSS, and no script or network use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

/// Every exporter.
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(Html),
        Box::new(Markdown),
        Box::new(Json),
        Box::new(Csv),
    ]
}

/// The exporter called `name`.
pub fn exporter(name: &str) -> Option<Box<dyn Exporter>> {
    exporters().into_iter().find(|e| e.name() == name)
}

impl Exporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn extension(&self) -> &'static str {
        "json"
    }
    fn export(&self, report: &Report) -> Result<String, ExportError> {
        let mut text = serde_json::to_string_pretty(report)?;
        text.push('\n');
        Ok(text)
    }
}

impl Exporter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn extension(&self) -> &'static str {
        "csv"
    }
    fn export(&self, report: &Report) -> Result<String, ExportError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for record in long_rows(report)? {
            w.write_record(&record)
                .map_err(|e| ExportError::Csv(e.to_string()))?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ExportError::Csv(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
    }
}

/// The report as one long table,
/// `section,subject,subject_label,issue,issue_label,measure,value` (the header first), at full
/// precision: the CSV export writes it as it is, the workbook one sheet per section. Subjects
/// and issues are ids (what a user types, so that tables of different commands join), each
/// beside its label (what a person reads).
pub(crate) fn long_rows(report: &Report) -> Result<Vec<[String; 7]>, ExportError> {
    let rows = id_rows(report)?;
    let labels = subject_labels(report);
    let issue_label = |id: &str| {
        report
            .scenario
            .issues
            .iter()
            .find(|i| i.id == id)
            .map_or_else(String::new, |i| i.label.clone())
    };
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(r, [section, subject, issue, measure, value])| {
            let (subject_label, issue_name) = if r == 0 {
                ("subject_label".to_owned(), "issue_label".to_owned())
            } else {
                let label = labels
                    .iter()
                    .find(|(id, _)| *id == subject)
                    .map_or_else(|| subject.clone(), |(_, label)| label.clone());
                (label, issue_label(&issue))
            };
            [
                section,
                subject,
                subject_label,
                issue,
                issue_name,
                measure,
                value,
            ]
        })
        .collect())
}

/// The label of every subject the long table names: actors, models, agreement forms and the
/// few words it uses as subjects of its own.
fn subject_labels(report: &Report) -> Vec<(String, String)> {
    let mut labels: Vec<(String, String)> = Vec::new();
    let mut add = |id: &str, label: &str| {
        if !labels.iter().any(|(known, _)| known == id) {
            labels.push((id.to_owned(), label.to_owned()));
        }
    };
    for a in &report.scenario.actors {
        add(&a.id, &a.name);
    }
    for f in &report.forecasts {
        add(&f.model, &f.label);
    }
    for f in &report.inputs.forms {
        add(&f.id, &f.label);
    }
    if let Some(d) = &report.durability {
        for f in &d.forms {
            add(&f.form, &f.label);
        }
    }
    add("all", "every actor");
    add("models", "the models");
    add("bdm_variants", "the expected-utility variants");
    labels
}

/// [`long_rows`] with ids only: `section,subject,issue,measure,value`.
fn id_rows(report: &Report) -> Result<Vec<[String; 5]>, ExportError> {
    let mut rows: Vec<[String; 5]> = Vec::new();
    {
        let mut row = |section: &str, subject: &str, issue: &str, measure: &str, value: String| {
            rows.push([
                section.to_owned(),
                subject.to_owned(),
                issue.to_owned(),
                measure.to_owned(),
                value,
            ]);
            Ok::<(), ExportError>(())
        };
        row("section", "subject", "issue", "measure", "value".into())?;
        for s in &report.scenario.stances {
            row(
                "scenario",
                &s.actor,
                &s.issue,
                "position",
                s.position.to_string(),
            )?;
            row(
                "scenario",
                &s.actor,
                &s.issue,
                "salience",
                s.salience.to_string(),
            )?;
        }
        for a in &report.scenario.actors {
            row(
                "scenario",
                &a.id,
                "",
                "capability",
                a.capability.to_string(),
            )?;
        }
        input_rows(report, &mut row)?;
        for f in &report.forecasts {
            for v in &f.issues {
                let value = v.value.map(|x| x.to_string()).unwrap_or_default();
                row("forecast", &f.model, &v.issue, "value", value)?;
                for l in &v.red_lines {
                    let line = format!("{} {}..={}", l.actor, l.min, l.max);
                    row("forecast", &f.model, &v.issue, "inside_red_line", line)?;
                }
            }
        }
        for d in &report.disagreements {
            let between = between_name(d.between);
            row(
                "disagreement",
                between,
                &d.issue,
                "share",
                d.share.to_string(),
            )?;
            row("disagreement", between, &d.issue, "note", d.note.clone())?;
        }
        for b in &report.bdm {
            for (r, positions) in b.positions.iter().enumerate() {
                for (actor, p) in b.actors.iter().zip(positions) {
                    row("bdm", actor, &b.issue, &format!("round {r}"), p.to_string())?;
                }
            }
        }
        if let Some(smp) = &report.smp {
            for t in &smp.issues {
                for (turn, positions) in t.positions.iter().enumerate() {
                    for (actor, p) in smp.actors.iter().zip(positions) {
                        row(
                            "smp",
                            actor,
                            &t.issue,
                            &format!("turn {turn}"),
                            p.to_string(),
                        )?;
                    }
                }
            }
        }
        if let Some(c) = &report.coalitions {
            row(
                "coalitions",
                "all",
                "",
                "unanimous_possible",
                c.unanimous_possible.to_string(),
            )?;
            if let Some(h) = &c.holdout {
                row("coalitions", h, "", "holdout", c.holdout_blamed.to_string())?;
            }
            for ic in &c.issues {
                for a in &ic.accepted {
                    for iv in &a.intervals {
                        row(
                            "coalitions",
                            &a.actor,
                            &ic.issue,
                            "accepts_from",
                            iv.lo.to_string(),
                        )?;
                        row(
                            "coalitions",
                            &a.actor,
                            &ic.issue,
                            "accepts_to",
                            iv.hi.to_string(),
                        )?;
                    }
                }
                for iv in &ic.win_set {
                    row(
                        "coalitions",
                        "all",
                        &ic.issue,
                        "win_set_from",
                        iv.lo.to_string(),
                    )?;
                    row(
                        "coalitions",
                        "all",
                        &ic.issue,
                        "win_set_to",
                        iv.hi.to_string(),
                    )?;
                }
            }
        }
        if let Some(d) = &report.durability {
            for f in &d.forms {
                for (t, s) in f.times.iter().zip(&f.survival) {
                    row(
                        "durability",
                        &f.form,
                        "",
                        &format!("survival at {t} years"),
                        s.to_string(),
                    )?;
                }
            }
        }
        if let Some(p) = &report.power {
            for x in &p.players {
                row(
                    "power",
                    &x.actor,
                    "",
                    "shapley_shubik",
                    x.shapley_shubik.to_string(),
                )?;
                row("power", &x.actor, "", "banzhaf", x.banzhaf.to_string())?;
            }
        }
        if let Some(s) = &report.sweep {
            for m in &s.models {
                for sp in &m.issues {
                    let with_value = sp.runs_with_value.to_string();
                    row("sweep", &m.model, &sp.issue, "runs_with_value", with_value)?;
                    if let Some(mean) = sp.mean {
                        row("sweep", &m.model, &sp.issue, "mean", mean.to_string())?;
                    }
                    // No quantiles from fewer than MIN_DRAWS values.
                    if let Some(q) = sp.quantiles {
                        for (name, v) in ["q05", "q25", "q50", "q75", "q95"].iter().zip(q) {
                            row("sweep", &m.model, &sp.issue, name, v.to_string())?;
                        }
                    }
                }
            }
            for sens in &s.sensitivity {
                for i in &sens.inputs {
                    row(
                        "sensitivity",
                        &i.input,
                        &sens.issue,
                        "first_order",
                        i.first_order.to_string(),
                    )?;
                    row(
                        "sensitivity",
                        &i.input,
                        &sens.issue,
                        "total",
                        i.total.to_string(),
                    )?;
                    let intervals = [
                        ("first_order", i.first_order_interval),
                        ("total", i.total_interval),
                    ];
                    for (name, interval) in intervals {
                        if let Some([lo, hi]) = interval {
                            let (low, high) = (format!("{name}_low"), format!("{name}_high"));
                            row("sensitivity", &i.input, &sens.issue, &low, lo.to_string())?;
                            row("sensitivity", &i.input, &sens.issue, &high, hi.to_string())?;
                        }
                    }
                    for c in &i.noise {
                        row(
                            "sensitivity",
                            &i.input,
                            &sens.issue,
                            "noise",
                            c.describe().to_owned(),
                        )?;
                    }
                }
            }
        }
    }
    Ok(rows)
}

/// The inputs section's rows: each measure is named as its value's path is (docs/scenario-format.md,
/// "Paths"), with the actor (or the form) as subject: `red_lines.1.min`, `domestic.1.turnover`,
/// `domestic.1.successors.2.position`, `costs.US`, `affinity.China`, `reservation`.
fn input_rows(
    report: &Report,
    row: &mut impl FnMut(&str, &str, &str, &str, String) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let inputs = &report.inputs;
    for a in &report.scenario.actors {
        let lines = inputs.red_lines.iter().filter(|l| l.actor == a.id);
        for (n, l) in (1..).zip(lines) {
            let at = |m: &str| format!("red_lines.{n}.{m}");
            row("inputs", &a.id, &l.issue, &at("min"), l.min.to_string())?;
            row("inputs", &a.id, &l.issue, &at("max"), l.max.to_string())?;
            let min_included = l.min_included.to_string();
            row("inputs", &a.id, &l.issue, &at("min_included"), min_included)?;
            let max_included = l.max_included.to_string();
            row("inputs", &a.id, &l.issue, &at("max_included"), max_included)?;
        }
        let changes = inputs.leadership_changes.iter().filter(|c| c.actor == a.id);
        for (n, c) in (1..).zip(changes) {
            let at = |m: &str| format!("domestic.{n}.{m}");
            row("inputs", &a.id, "", &at("label"), c.label.clone())?;
            match &c.date {
                Some(date) => {
                    row("inputs", &a.id, "", &at("date"), date.clone())?;
                    row(
                        "inputs",
                        &a.id,
                        "",
                        &at("turnover"),
                        c.probability.to_string(),
                    )?;
                }
                None => row(
                    "inputs",
                    &a.id,
                    "",
                    &at("hazard"),
                    c.probability.to_string(),
                )?,
            }
            for (m, s) in (1..).zip(&c.successors) {
                let at = |x: &str| format!("domestic.{n}.successors.{m}.{x}");
                row("inputs", &a.id, "", &at("label"), s.label.clone())?;
                row(
                    "inputs",
                    &a.id,
                    "",
                    &at("probability"),
                    s.probability.to_string(),
                )?;
                for p in &s.positions {
                    for (name, value) in [
                        ("position", p.position),
                        ("salience", p.salience),
                        ("spread", p.spread),
                        ("fallback", p.fallback),
                    ] {
                        if let Some(v) = value {
                            row("inputs", &a.id, &p.issue, &at(name), v.to_string())?;
                        }
                    }
                }
            }
        }
        for f in inputs.affinity.iter().filter(|f| f.actor == a.id) {
            let measure = format!("affinity.{}", f.partner);
            row("inputs", &a.id, "", &measure, f.share.to_string())?;
        }
        if let Some(t) = inputs.actors.iter().find(|t| t.actor == a.id) {
            row(
                "inputs",
                &a.id,
                "",
                "reservation",
                t.reservation.to_string(),
            )?;
            let probability = t.response_probability.to_string();
            row("inputs", &a.id, "", "response.probability", probability)?;
            let delay = t.response_delay.to_string();
            row("inputs", &a.id, "", "response.delay", delay)?;
        }
    }
    for f in &inputs.forms {
        row("inputs", &f.id, "", "label", f.label.clone())?;
        row("inputs", &f.id, "", "cost", f.cost.to_string())?;
        for (actor, cost) in &f.actor_costs {
            row(
                "inputs",
                &f.id,
                "",
                &format!("costs.{actor}"),
                cost.to_string(),
            )?;
        }
        for (issue, down, up) in &f.issue_costs {
            row("inputs", &f.id, issue, "issue_costs.down", down.to_string())?;
            row("inputs", &f.id, issue, "issue_costs.up", up.to_string())?;
        }
        row("inputs", &f.id, "", "cost_trend", f.cost_trend.to_string())?;
    }
    Ok(())
}

/// The inputs section's heading.
const INPUTS_HEADING: &str = "What the coalitions and durability rest on";

/// The inputs section as (caption, table) pairs, the empty lists left out, then a sentence
/// naming what the scenario does not have.
fn input_tables(report: &Report) -> (Vec<(&'static str, DataTable)>, Option<String>) {
    let inputs = &report.inputs;
    let name = |id: &str| report.actor_name(id).to_owned();
    let label = |id: &str| report.issue(id).map_or(id, |i| i.label.as_str()).to_owned();
    let mut tables = Vec::new();
    let mut missing = Vec::new();
    if inputs.red_lines.is_empty() {
        missing.push("red lines");
    } else {
        let rows = inputs
            .red_lines
            .iter()
            .map(|l| {
                let edge = |value: f64, included: bool| {
                    let verdict = if included { "refused" } else { "accepted" };
                    format!("{} {verdict}", fmt(value))
                };
                let edges = match (l.min_included, l.max_included) {
                    (true, true) => "both refused".to_owned(),
                    (min, max) => format!("{}, {}", edge(l.min, min), edge(l.max, max)),
                };
                vec![
                    name(&l.actor),
                    label(&l.issue),
                    format!("{} to {}", fmt(l.min), fmt(l.max)),
                    edges,
                    l.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        tables.push((
            "Red lines: the ranges each actor says it will never accept",
            DataTable {
                header: ["Actor", "Issue", "Refused range", "Edges", "Why"]
                    .map(String::from)
                    .to_vec(),
                rows,
            },
        ));
    }
    if inputs.leadership_changes.is_empty() {
        missing.push("leadership changes");
    } else {
        let mut rows = Vec::new();
        for c in &inputs.leadership_changes {
            let when = match &c.date {
                Some(date) => format!("election on {date}"),
                None => "at any time".into(),
            };
            let chance = match &c.date {
                Some(_) => format!("{} turnover", percent(c.probability)),
                None => format!("{} a year", percent(c.probability)),
            };
            let first = vec![name(&c.actor), c.label.clone(), when, chance];
            if c.successors.is_empty() {
                let mut row = first;
                row.extend([String::new(), String::new(), "no successor named".into()]);
                rows.push(row);
                continue;
            }
            for (m, s) in c.successors.iter().enumerate() {
                let mut row = if m == 0 {
                    first.clone()
                } else {
                    vec![String::new(); 4]
                };
                let differs: Vec<String> = s
                    .positions
                    .iter()
                    .map(|p| {
                        let mut parts = Vec::new();
                        if let Some(v) = p.position {
                            parts.push(format!("position {}", fmt(v)));
                        }
                        if let Some(v) = p.spread {
                            parts.push(format!("± {}", fmt(v)));
                        }
                        if let Some(v) = p.salience {
                            parts.push(format!("salience {}", fmt(v)));
                        }
                        if let Some(v) = p.fallback {
                            parts.push(format!("fallback {}", fmt(v)));
                        }
                        format!("{}: {}", label(&p.issue), parts.join(", "))
                    })
                    .collect();
                row.extend([
                    s.label.clone(),
                    percent(s.probability),
                    if differs.is_empty() {
                        "as the incumbent".into()
                    } else {
                        differs.join("; ")
                    },
                ]);
                rows.push(row);
            }
        }
        tables.push((
            "Leadership changes and who may take over",
            DataTable {
                header: [
                    "Actor",
                    "Change",
                    "When",
                    "Chance",
                    "Successor",
                    "Its chance",
                    "Where it differs",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            },
        ));
    }
    if !inputs.forms.is_empty() {
        let rows = inputs
            .forms
            .iter()
            .map(|f| {
                let own: Vec<String> = f
                    .actor_costs
                    .iter()
                    .map(|(a, c)| format!("{} {}", name(a), fmt(*c)))
                    .collect();
                let issue: Vec<String> = f
                    .issue_costs
                    .iter()
                    .map(|(i, down, up)| {
                        format!("{}: down {}, up {}", label(i), fmt(*down), fmt(*up))
                    })
                    .collect();
                vec![
                    f.label.clone(),
                    fmt(f.cost),
                    own.join("; "),
                    issue.join("; "),
                    format!("{} a year", percent(f.cost_trend)),
                ]
            })
            .collect();
        tables.push((
            if inputs.forms_are_defaults {
                "Agreement forms: the scenario defines none, so durability compares these defaults"
            } else {
                "Agreement forms and what reneging on each costs"
            },
            DataTable {
                header: [
                    "Form",
                    "Cost of reneging",
                    "Own costs",
                    "Issue costs",
                    "Cost trend",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            },
        ));
    }
    if inputs.affinity.is_empty() {
        missing.push("affinities");
    } else {
        let rows = inputs
            .affinity
            .iter()
            .map(|f| vec![name(&f.actor), name(&f.partner), fmt(f.share)])
            .collect();
        tables.push((
            "Affinity: the share of a partner's gains and losses an actor counts as its own",
            DataTable {
                header: ["Actor", "Partner", "Share"].map(String::from).to_vec(),
                rows,
            },
        ));
    }
    let rows = inputs
        .actors
        .iter()
        .map(|t| {
            vec![
                name(&t.actor),
                fmt(t.reservation),
                percent(t.response_probability),
                fmt(t.response_delay),
            ]
        })
        .collect();
    tables.push((
        "Reservation margins and responses to another's reneging",
        DataTable {
            header: [
                "Actor",
                "Reservation margin",
                "Reverses its side",
                "After (years)",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
    ));
    let missing = (!missing.is_empty()).then(|| {
        let list = match missing.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        format!("The scenario has no {list}.")
    });
    (tables, missing)
}

pub(crate) fn title(report: &Report) -> String {
    report
        .scenario
        .title
        .clone()
        .unwrap_or_else(|| "Untitled scenario".into())
}

/// The mark of a forecast inside a red line, explained by [`red_line_words`].
const RED_LINE_MARK: &str = "\u{2020}";

/// `DPRK's red line 0..=10`, and a model's forecasts inside one, in sentences.
fn red_line_words(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for f in &report.forecasts {
        for v in &f.issues {
            let (Some(x), false) = (v.value, v.red_lines.is_empty()) else {
                continue;
            };
            let label = report
                .issue(&v.issue)
                .map_or(v.issue.as_str(), |i| i.label.as_str());
            out.push(format!(
                "{RED_LINE_MARK} {} on {label}: {} is inside {}.",
                f.label,
                fmt(x),
                lines_in_words(report, &v.red_lines)
            ));
        }
    }
    if !out.is_empty() {
        out.insert(
            0,
            "Forecasts marked \u{2020} fall inside a red line: a value its actor says it will never accept (both edges of a red line are part of it)."
                .into(),
        );
    }
    out
}

/// "DPRK's red line 0..=10 and the United States' 80..=100".
fn lines_in_words(report: &Report, flags: &[statecraft_core::red_lines::RedLineFlag]) -> String {
    flags
        .iter()
        .map(|l| {
            format!(
                "{}'s red line {}..={}",
                report.actor_name(&l.actor),
                fmt(l.min),
                fmt(l.max)
            )
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The forecast table: one row per model, one column per issue.
fn forecast_table(report: &Report) -> DataTable {
    let mut header = vec!["Model".to_string()];
    header.extend(report.scenario.issues.iter().map(|i| i.label.clone()));
    DataTable {
        header,
        rows: report
            .forecasts
            .iter()
            .map(|f| {
                let mut row = vec![f.label.clone()];
                row.extend(f.issues.iter().map(|v| {
                    v.value.map_or("—".into(), |x| {
                        if v.red_lines.is_empty() {
                            fmt(x)
                        } else {
                            format!("{} {RED_LINE_MARK}", fmt(x))
                        }
                    })
                }));
                row
            })
            .collect(),
    }
}

/// The scenario table: one row per actor, one column per issue, `position (salience)`.
fn scenario_table(report: &Report) -> DataTable {
    let mut header = vec!["Actor".to_string(), "Capability".to_string()];
    header.extend(report.scenario.issues.iter().map(|i| i.label.clone()));
    let mut status_quo = vec!["Status quo".to_string(), String::new()];
    status_quo.extend(
        report
            .scenario
            .issues
            .iter()
            .map(|i| i.status_quo.map_or("—".into(), fmt)),
    );
    let mut rows: Vec<Vec<String>> = report
        .scenario
        .actors
        .iter()
        .map(|a| {
            let mut row = vec![a.name.clone(), fmt(a.capability)];
            row.extend(report.scenario.issues.iter().map(|i| {
                report
                    .scenario
                    .stances
                    .iter()
                    .find(|s| s.actor == a.id && s.issue == i.id)
                    .map_or("—".into(), |s| {
                        format!("{} ({})", fmt(s.position), fmt(s.salience))
                    })
            }));
            row
        })
        .collect();
    rows.push(status_quo);
    DataTable { header, rows }
}

/// What the 6-0 / 5-1 analysis found, in sentences.
fn coalition_words(report: &Report) -> Vec<String> {
    let Some(c) = &report.coalitions else {
        return Vec::new();
    };
    let n = report.scenario.actors.len();
    let mut out = Vec::new();
    if c.unanimous_possible {
        out.push(format!(
            "{n}-0 is possible: there are packages that every actor prefers to the status quo{}.",
            c.unanimous_min_gain
                .map(|g| match c.least_satisfied.as_slice() {
                    [one] => format!(
                        "; in the best of them the least satisfied, {}, gains {}",
                        report.actor_name(one),
                        fmt(g)
                    ),
                    tied => format!(
                        "; in the best of them the least satisfied, tied, are {}, who each gain {}",
                        names_in_words(report, tied),
                        fmt(g)
                    ),
                })
                .unwrap_or_default()
        ));
        if let Some(p) = &c.unanimous_package {
            let parts: Vec<String> = report
                .scenario
                .issues
                .iter()
                .zip(p)
                .enumerate()
                .map(|(k, (i, v))| match c.unanimous_beside.get(k) {
                    Some(Some(words)) => format!("{} {} ({words})", i.id, fmt(*v)),
                    _ => format!("{} {}", i.id, fmt(*v)),
                })
                .collect();
            out.push(format!("That package: {}.", parts.join(", ")));
        }
        if let Some(h) = &c.holdout {
            let cost = match (c.without_holdout_min_gain, c.unanimous_min_gain) {
                (Some(without), Some(with)) => format!(
                    ": without it, the others' smallest gain would be {} instead of {}",
                    fmt(without),
                    fmt(with)
                ),
                _ => String::new(),
            };
            out.push(if c.holdouts.len() > 1 {
                format!(
                    "Tied as the actor whose inclusion costs the others most: {} (figures for {}){cost}.",
                    names_in_words(report, &c.holdouts),
                    report.actor_name(h)
                )
            } else {
                format!(
                    "The actor whose inclusion costs the others most is {}{cost}.",
                    report.actor_name(h)
                )
            });
        }
    } else {
        out.push(format!(
            "No package makes all {n} actors better off than the status quo: {n}-0 is not possible."
        ));
        if let Some(h) = &c.holdout {
            out.push(if c.holdouts.len() > 1 {
                format!(
                    "The {}-1 coalitions that isolate {} tie as the ones the failure rests on most clearly (the figures below are for {}).",
                    n - 1,
                    names_in_words(report, &c.holdouts),
                    report.actor_name(h)
                )
            } else {
                format!(
                    "The {}-1 coalition that isolates {} is the one the failure rests on most clearly.",
                    n - 1,
                    report.actor_name(h)
                )
            });
            if let Some(g) = c.holdout_net_gain {
                let red_line = c
                    .holdout_red_line
                    .as_ref()
                    .map(|k| {
                        let label = report.issue(k).map_or(k.as_str(), |i| i.label.as_str());
                        format!(
                            ", and it crosses {}'s red line on {label}",
                            report.actor_name(h)
                        )
                    })
                    .unwrap_or_default();
                out.push(if g < 0.0 {
                    format!(
                        "Even the package most generous to {} that every other actor still accepts leaves it short by {} (the blame margin){red_line}.",
                        report.actor_name(h),
                        fmt(-g)
                    )
                } else {
                    format!(
                        "The package most generous to {} that every other actor still accepts gives it a net gain of {}{red_line}.",
                        report.actor_name(h),
                        fmt(g)
                    )
                });
            }
        }
    }
    out
}

/// The line above the disagreements under the forecast table.
fn disagreement_heading() -> String {
    format!(
        "Where the forecasts disagree by more than {:.0}% of the scale:",
        100.0 * DISAGREEMENT_SHARE
    )
}

/// What disagrees, as the JSON names it.
fn between_name(between: Between) -> &'static str {
    match between {
        Between::Models => "models",
        Between::BdmVariants => "bdm_variants",
    }
}

impl Exporter for Markdown {
    fn name(&self) -> &'static str {
        "md"
    }
    fn extension(&self) -> &'static str {
        "md"
    }
    fn export(&self, report: &Report) -> Result<String, ExportError> {
        let charts = charts(report);
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", md_escape(&title(report)));
        if let Some(date) = &report.scenario.date {
            let _ = writeln!(out, "As of {}.\n", md_escape(&date.to_string()));
        }
        if let Some(d) = &report.scenario.description {
            let _ = writeln!(out, "{}\n", md_escape(d.trim()));
        }
        let _ = writeln!(out, "## The scenario\n");
        md_table(&mut out, &scenario_table(report));
        let _ = writeln!(out, "Cells are position (salience).\n");
        for issue in &report.scenario.issues {
            let _ = writeln!(
                out,
                "**{}** ({}–{}):",
                md_escape(&issue.label),
                fmt(issue.min),
                fmt(issue.max)
            );
            for a in &issue.anchors {
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    statecraft_core::text::on_scale(a.value, issue.max - issue.min),
                    md_escape(&a.label)
                );
            }
            out.push('\n');
        }
        if !report.scenario.sources.is_empty() {
            let _ = writeln!(out, "Sources:\n");
            for s in &report.scenario.sources {
                let _ = writeln!(out, "- {}", md_escape(s));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "## {INPUTS_HEADING}\n");
        let (tables, missing) = input_tables(report);
        for (caption, table) in &tables {
            let _ = writeln!(out, "{}:\n", md_escape(caption));
            md_table(&mut out, table);
        }
        if let Some(missing) = missing {
            let _ = writeln!(out, "{}\n", md_escape(&missing));
        }
        let _ = writeln!(out, "## Where it lands\n");
        md_table(&mut out, &forecast_table(report));
        for line in red_line_words(report) {
            let _ = writeln!(out, "{}\n", md_escape(&line));
        }
        if !report.disagreements.is_empty() {
            let _ = writeln!(out, "{}\n", md_escape(&disagreement_heading()));
            for d in &report.disagreements {
                let _ = writeln!(out, "- {}", md_escape(&d.note));
            }
            out.push('\n');
        }
        md_charts(&mut out, &charts, "forecast-");
        if !report.bdm.is_empty() {
            let _ = writeln!(out, "## Who pressed whom\n");
            for b in &report.bdm {
                md_outline(&mut out, &b.narrative);
            }
            md_charts(&mut out, &charts, "rounds-");
        }
        if let Some(smp) = &report.smp {
            let _ = writeln!(out, "## The spatial model's turns\n");
            let _ = writeln!(out, "This run {}.\n", md_escape(&smp.ending));
            md_outline(&mut out, &smp.narrative);
            md_charts(&mut out, &charts, "turns-");
        }
        if report.coalitions.is_some() {
            let _ = writeln!(out, "## What do they want?\n");
            for line in coalition_words(report) {
                let _ = writeln!(out, "{}\n", md_escape(&line));
            }
            md_charts(&mut out, &charts, "coalition-");
        }
        if report.sweep.is_some() {
            let _ = writeln!(out, "## How sure?\n");
            md_charts(&mut out, &charts, "spread-");
            md_charts(&mut out, &charts, "tornado-");
        }
        if let Some(d) = &report.durability {
            let _ = writeln!(out, "## Is it election-proof?\n");
            if d.every_form_survives() {
                let _ = writeln!(out, "{}\n", md_escape(&survives_everything(d)));
            }
            md_charts(&mut out, &charts, "durability");
        }
        if report.power.is_some() {
            let _ = writeln!(out, "## Who holds voting power\n");
            md_charts(&mut out, &charts, "power");
        }
        if !report.notes.is_empty() {
            let _ = writeln!(out, "## Notes\n");
            for n in &report.notes {
                let _ = writeln!(out, "- {}", md_escape(n));
            }
        }
        Ok(out)
    }
}

/// Escapes scenario text for Markdown: HTML that a Markdown viewer would run (`<script>`,
/// `<img onerror>`) becomes entities, link brackets and table bars are backslashed, and line
/// breaks and control characters become spaces.
/// The lines of a narrative as (depth, text): each two leading spaces are one level deeper
/// (the core narrates a turn's movers and their issues as indented lines); blank lines go.
fn outline(lines: &[String]) -> Vec<(usize, &str)> {
    lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let text = l.trim_start();
            ((l.len() - text.len()) / 2, text.trim_end())
        })
        .collect()
}

/// A narrative as a Markdown list, indented lines as nested items, followed by a blank line.
fn md_outline(out: &mut String, lines: &[String]) {
    let mut parent = None::<usize>;
    for (depth, text) in outline(lines) {
        // Markdown nests an item only one level below the one above it.
        let depth = parent.map_or(0, |p: usize| depth.min(p + 1));
        parent = Some(depth);
        let _ = writeln!(out, "{}- {}", "  ".repeat(depth), md_escape(text));
    }
    out.push('\n');
}

/// A narrative as nested HTML lists: the top level numbered, indented lines in lists of their own
/// under the line above them.
fn html_outline(out: &mut String, lines: &[String]) {
    // The depth of every list open now, outermost first; each holds one open `<li>`.
    let mut open: Vec<usize> = Vec::new();
    for (depth, text) in outline(lines) {
        while open.last().is_some_and(|&d| d > depth) {
            open.pop();
            out.push_str("</li></ul>");
        }
        match open.last() {
            Some(&d) if d == depth => out.push_str("</li>"),
            Some(_) => {
                out.push_str("<ul>");
                open.push(depth);
            }
            None => {
                out.push_str("<ol>");
                open.push(depth);
            }
        }
        let _ = write!(out, "<li>{}", escape(text));
    }
    while open.pop().is_some() {
        out.push_str(if open.is_empty() {
            "</li></ol>"
        } else {
            "</li></ul>"
        });
    }
}

fn md_escape(text: &str) -> String {
    // Quotes need no entity in Markdown (the HTML escape writes them as `&#39;` and `&quot;`).
    let html = escape(text).replace("&#39;", "'").replace("&quot;", "\"");
    let mut out = String::with_capacity(html.len());
    for c in html.chars() {
        match c {
            '|' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn md_table(out: &mut String, table: &DataTable) {
    let line = |cells: &[String]| {
        format!(
            "| {} |",
            cells
                .iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    let _ = writeln!(out, "{}", line(&table.header));
    let _ = writeln!(out, "|{}", "---|".repeat(table.header.len()));
    for row in &table.rows {
        let _ = writeln!(out, "{}", line(row));
    }
    out.push('\n');
}

fn md_charts(out: &mut String, charts: &[Chart], prefix: &str) {
    for chart in charts.iter().filter(|c| c.id.starts_with(prefix)) {
        let _ = writeln!(out, "### {}\n", md_escape(&chart.title));
        let _ = writeln!(out, "{}\n", md_escape(&chart.summary));
        md_table(out, &chart.table);
    }
}

/// The inference in sentences: how sure the sampler is, what was observed, and the chance of
/// agreement on the package.
fn record_words(report: &Report, i: &statecraft_core::inference::Inference) -> Vec<String> {
    let mut out = vec![format!(
        "From {} observations (decisions on packages and statements), {} chains of {} draws each (seed {}): the largest split R-hat is {} and the smallest effective sample size {}.",
        i.n_observations,
        i.chains,
        i.draws,
        i.seed,
        format!("{:.3}", i.max_rhat),
        format!("{:.0}", i.min_ess)
    )];
    if !i.converged {
        out.push(format!(
            "The chains have not converged (targets: R-hat below {:.3}, effective sample size at least {:.0}), so nothing here is a finding; run `statecraft infer` with more draws.",
            i.target_rhat,
            i.target_ess
        ));
        return out;
    }
    let untouched = i.parameters.iter().filter(|p| !p.touched).count();
    if untouched > 0 {
        out.push(format!(
            "{untouched} of the {} values are touched by no observation and keep their prior.",
            i.parameters.len()
        ));
    }
    if let Some(p) = &i.prediction {
        let n = report.scenario.actors.len();
        out.push(format!(
            "The chance that all {n} accept the package: {} before the record, {} after it.",
            percent(p.unanimous.prior),
            percent(p.unanimous.posterior)
        ));
        if let Some(h) = p
            .holdout
            .iter()
            .max_by(|a, b| a.posterior.total_cmp(&b.posterior))
            .filter(|h| h.posterior > 0.0)
        {
            out.push(format!(
                "The likeliest lone holdout is {} ({} of the draws).",
                report.actor_name(&h.actor),
                percent(h.posterior)
            ));
        }
    }
    out
}

fn acceptance_table(
    report: &Report,
    i: &statecraft_core::inference::Inference,
) -> Option<DataTable> {
    let p = i.prediction.as_ref().filter(|_| i.converged)?;
    Some(DataTable {
        header: ["Actor", "Before the record", "After it"]
            .map(String::from)
            .to_vec(),
        rows: p
            .accept
            .iter()
            .map(|c| {
                vec![
                    report.actor_name(&c.actor).to_owned(),
                    percent(c.prior),
                    percent(c.posterior),
                ]
            })
            .collect(),
    })
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = include_str!("report.css");

pub(crate) fn html_table(out: &mut String, table: &DataTable, caption: Option<&str>) {
    out.push_str("<div class=\"table-wrap\"><table>");
    if let Some(c) = caption {
        let _ = write!(out, "<caption>{}</caption>", escape(c));
    }
    out.push_str("<thead><tr>");
    for h in &table.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", escape(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>\n");
}

/// One chart as a figure: the SVG made accessible (role, title, description), a caption and a
/// collapsible table of its numbers.
pub(crate) fn html_figure(out: &mut String, chart: &Chart) -> Result<(), ExportError> {
    let svg = chart.svg()?;
    let title_id = format!("{}-title", chart.id);
    let desc_id = format!("{}-desc", chart.id);
    let body_start = svg.find("<svg").map_or(0, |i| i);
    let open_end = svg[body_start..]
        .find('>')
        .map_or(svg.len(), |i| body_start + i);
    let _ = writeln!(
        out,
        "<figure class=\"chart\" id=\"chart-{id}\" data-chart=\"{id}\">",
        id = escape(&chart.id)
    );
    out.push_str("<svg role=\"img\" class=\"chart-svg\" ");
    let _ = write!(out, "aria-labelledby=\"{title_id} {desc_id}\"");
    // The rest of the opening tag (size, viewBox, namespace) as plotters wrote it.
    out.push_str(&svg[body_start + 4..open_end]);
    out.push('>');
    let _ = write!(
        out,
        "<title id=\"{title_id}\">{}</title><desc id=\"{desc_id}\">{}</desc>",
        escape(&chart.title),
        escape(&chart.summary)
    );
    out.push_str(svg[open_end + 1..].trim());
    out.push('\n');
    let _ = writeln!(out, "<figcaption>{}</figcaption>", escape(&chart.summary));
    out.push_str("<details><summary>The numbers in this chart</summary>");
    html_table(out, &chart.table, None);
    out.push_str("</details></figure>\n");
    Ok(())
}

fn html_charts(out: &mut String, charts: &[Chart], prefix: &str) -> Result<(), ExportError> {
    for chart in charts.iter().filter(|c| c.id.starts_with(prefix)) {
        html_figure(out, chart)?;
    }
    Ok(())
}

/// One section of the HTML report: its anchor id, its heading, and its body (everything after the
/// heading), so that a page other than the report (the web app) can show sections on their own.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlSection {
    /// The anchor id (`forecasts`, `coalitions`, ...).
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// The body as HTML, every string from the scenario escaped.
    pub html: String,
}

/// What the report says instead of a chart of flat lines.
fn survives_everything(d: &crate::report::DurabilitySection) -> String {
    format!(
        "Every form ({}) holds in all {} simulated histories for {} years{}: no new leader gains \
         more from reneging than it costs, so there is no survival curve to draw.",
        d.forms
            .iter()
            .map(|f| f.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        d.runs,
        fmt(d.years),
        if d.elections.is_empty() {
            String::new()
        } else {
            format!(
                ", through {}",
                d.elections
                    .iter()
                    .map(|e| e.label.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    )
}

/// The start of a self-contained page, up to the opened `<body>`: nothing may be fetched (styles
/// are inline, images are inline SVG, there is no script).
pub(crate) fn page_head(title: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>\n{CSS}</style>\n</head>\n<body>");
    out
}

impl HtmlSection {
    /// The section with its heading, as a page shows it.
    pub(crate) fn write_to(&self, out: &mut String) {
        let _ = write!(
            out,
            "<section id=\"{}\"><h2>{}</h2>\n{}</section>\n",
            self.id, self.title, self.html
        );
    }
}

/// The report's stylesheet, for pages that show its sections.
pub const REPORT_CSS: &str = CSS;

/// The report's sections as HTML, in reading order; sections without content are left out.
pub fn html_sections(report: &Report) -> Result<Vec<HtmlSection>, ExportError> {
    let charts = charts(report);
    let mut sections = Vec::new();
    let mut section = |id, title, html| sections.push(HtmlSection { id, title, html });

    let mut out = String::new();
    if let Some(d) = &report.scenario.description {
        let _ = writeln!(out, "<p>{}</p>", escape(d.trim()));
    }
    html_table(
        &mut out,
        &scenario_table(report),
        Some("Each actor's position on each issue, with its salience in brackets"),
    );
    out.push_str("<h3>Scales</h3>\n");
    for issue in &report.scenario.issues {
        let _ = write!(
            out,
            "<h4>{} <span class=\"scale\">({}–{}{})</span></h4><dl class=\"anchors\">",
            escape(&issue.label),
            fmt(issue.min),
            fmt(issue.max),
            issue
                .status_quo
                .map(|s| format!(", status quo {}", fmt(s)))
                .unwrap_or_default()
        );
        // The value and its label in separate grid columns, the first as wide as its widest
        // value (report.css), so that `10,200` never runs into `10,200 operating`.
        for a in &issue.anchors {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                statecraft_core::text::on_scale(a.value, issue.max - issue.min),
                escape(&a.label)
            );
        }
        out.push_str("</dl>\n");
    }
    if !report.scenario.sources.is_empty() {
        out.push_str("<h3>Sources</h3><ul class=\"sources\">");
        for s in &report.scenario.sources {
            let _ = write!(out, "<li>{}</li>", escape(s));
        }
        out.push_str("</ul>\n");
    }
    section("scenario", "The scenario", out);

    let mut out = String::new();
    let (tables, missing) = input_tables(report);
    for (caption, table) in &tables {
        html_table(&mut out, table, Some(caption));
    }
    if let Some(missing) = missing {
        let _ = writeln!(out, "<p>{}</p>", escape(&missing));
    }
    section("inputs", INPUTS_HEADING, out);

    let mut out = String::new();
    html_table(
        &mut out,
        &forecast_table(report),
        Some("Every model's forecast, per issue"),
    );
    for line in red_line_words(report) {
        let _ = writeln!(out, "<p>{}</p>", escape(&line));
    }
    if !report.disagreements.is_empty() {
        let _ = write!(out, "<p>{}</p><ul>", escape(&disagreement_heading()));
        for d in &report.disagreements {
            let _ = write!(out, "<li>{}</li>", escape(&d.note));
        }
        out.push_str("</ul>\n");
    }
    html_charts(&mut out, &charts, "forecast-")?;
    section("forecasts", "Where it lands", out);

    if !report.bdm.is_empty() {
        let mut out = String::from("<p>The expected-utility model's rounds: in each, actors challenge those they expect to beat and concede to those they fear.</p>\n");
        for b in &report.bdm {
            if let Some(chart) = charts
                .iter()
                .find(|c| c.id == format!("rounds-{}", b.issue))
            {
                html_figure(&mut out, chart)?;
            }
            out.push_str("<details class=\"narrative\"><summary>The rounds in words</summary>");
            html_outline(&mut out, &b.narrative);
            out.push_str("</details>\n");
        }
        section("rounds", "Who pressed whom", out);
    }
    if let Some(smp) = &report.smp {
        let mut out = format!(
            "<p>KTAB's spatial model moves every actor on all issues at once, turn by turn, as actors make and accept offers. This run {}.</p>\n",
            escape(&smp.ending)
        );
        html_charts(&mut out, &charts, "turns-")?;
        out.push_str("<details class=\"narrative\"><summary>The turns in words</summary>");
        html_outline(&mut out, &smp.narrative);
        out.push_str("</details>\n");
        section("turns", "The spatial model's turns", out);
    }
    if report.coalitions.is_some() {
        let mut out = String::new();
        for line in coalition_words(report) {
            let _ = writeln!(out, "<p>{}</p>", escape(&line));
        }
        html_charts(&mut out, &charts, "coalition-")?;
        section("coalitions", "What do they want?", out);
    }
    if let Some(s) = &report.sweep {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<p>{} draws of the uncertain inputs (seed {}; inputs without a distribution of their own vary by {}%).</p>",
            s.runs,
            s.seed,
            fmt(100.0 * s.uncertainty)
        );
        html_charts(&mut out, &charts, "spread-")?;
        html_charts(&mut out, &charts, "tornado-")?;
        section("sweep", "How sure?", out);
    }
    if let Some(inference) = &report.inference {
        let mut out = String::new();
        for line in record_words(report, inference) {
            let _ = writeln!(out, "<p>{}</p>", escape(&line));
        }
        if let Some(table) = acceptance_table(report, inference) {
            html_table(
                &mut out,
                &table,
                Some("Chance of accepting the package, before and after the record"),
            );
        }
        html_charts(&mut out, &charts, "record-")?;
        section("inference", "What the record says", out);
    }
    if let Some(d) = &report.durability {
        let mut out = String::new();
        let package: Vec<String> = report
            .scenario
            .issues
            .iter()
            .zip(&d.package)
            .map(|(i, v)| format!("{} {}", i.id, fmt(*v)))
            .collect();
        let _ = writeln!(
            out,
            "<p>The package simulated: {}.</p>",
            escape(&package.join(", "))
        );
        if d.every_form_survives() {
            let _ = writeln!(out, "<p>{}</p>", escape(&survives_everything(d)));
        }
        html_charts(&mut out, &charts, "durability")?;
        section("durability", "Is it election-proof?", out);
    }
    if report.power.is_some() {
        let mut out = String::new();
        html_charts(&mut out, &charts, "power")?;
        section("power", "Who holds voting power", out);
    }
    if !report.notes.is_empty() {
        let mut out = String::from("<ul>");
        for n in &report.notes {
            let _ = write!(out, "<li>{}</li>", escape(n));
        }
        out.push_str("</ul>");
        section("notes", "Notes", out);
    }
    Ok(sections)
}

impl Exporter for Html {
    fn name(&self) -> &'static str {
        "html"
    }
    fn extension(&self) -> &'static str {
        "html"
    }
    fn export(&self, report: &Report) -> Result<String, ExportError> {
        let sections = html_sections(report)?;
        let title = title(report);
        let mut out = page_head(&format!("{title} — statecraft report"));
        let _ = writeln!(out, "<header><h1>{}</h1>", escape(&title));
        if let Some(date) = &report.scenario.date {
            let _ = writeln!(
                out,
                "<p class=\"meta\">The situation as of {}.</p>",
                escape(date)
            );
        }
        out.push_str("</header>\n");
        out.push_str("<nav aria-label=\"Contents\"><ol>");
        for s in &sections {
            let _ = write!(out, "<li><a href=\"#{}\">{}</a></li>", s.id, s.title);
        }
        out.push_str("</ol></nav>\n<main>\n");
        for s in &sections {
            s.write_to(&mut out);
        }
        let _ = writeln!(
            out,
            "</main>\n<footer><p>Written by statecraft {}. Positions, saliences and capabilities are the scenario's judgements; the models' documentation states their equations and sources.</p></footer>\n</body>\n</html>",
            env!("CARGO_PKG_VERSION")
        );
        Ok(out)
    }
}

/// Actors' names in a sentence: `Japan, China and Russia`.
fn names_in_words(report: &Report, ids: &[String]) -> String {
    let names: Vec<&str> = ids.iter().map(|id| report.actor_name(id)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
