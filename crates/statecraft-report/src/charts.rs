//! The report's charts: each one a description (title, axes, data, a text alternative) drawn by
//! plotters to SVG for the HTML report and to PNG for slides, with the same code.
//!
//! Text in PNGs is drawn with a font compiled into the binary (Ubuntu Light, from
//! `epaint_default_fonts`), so charts render the same on a machine without any fonts installed.
//! Colours start from the Okabe-Ito palette, which stays distinct under the common colour-vision
//! deficiencies, with darker colours in place of its light ones so that each has 3:1 contrast on
//! white; lines also differ by dash and marker so that colour is never the only cue. Where the
//! text goes is decided first, as data (`Chart::layout`, in `draw.rs` and `layout.rs`).

use plotters::coord::Shift;
use plotters::prelude::*;
use statecraft_core::coalitions::Interval;

use crate::report::{IssueInfo, Report};

/// Width of every chart, in pixels (16:9, sized for a slide).
pub const WIDTH: u32 = 1280;
/// Height of every chart, in pixels.
pub const HEIGHT: u32 = 720;

/// Line and marker colours, each at least 3:1 against white (WCAG's rule for graphics): the
/// first three of Okabe & Ito (2008), "Color Universal Design" (blue, vermillion, bluish
/// green), then a purple, black, a dark ochre, a violet and a brown in place of their light
/// ones (orange, sky blue, yellow are barely visible on white). Lines also differ by dash and
/// marker, so colour is never the only cue.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xAA, 0x33, 0x77),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0x8C, 0x6D, 0x00),
    RGBColor(0x5E, 0x3C, 0x99),
    RGBColor(0x99, 0x4F, 0x00),
];

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters refused to draw.
    #[error("cannot draw chart `{chart}`: {message}")]
    Draw {
        /// Chart id.
        chart: String,
        /// plotters' message.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("cannot encode chart `{chart}` as PNG: {message}")]
    Png {
        /// Chart id.
        chart: String,
        /// The encoder's message.
        message: String,
    },
}

/// A table of the numbers a chart draws: its text alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// An issue's scale as an axis: its ends and its labelled anchors.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleAxis {
    /// The issue's label, used as the axis title.
    pub label: String,
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
    /// Labelled points, in increasing order.
    pub anchors: Vec<(f64, String)>,
    /// The status quo, drawn as a dashed line.
    pub status_quo: Option<f64>,
    /// The actors' red lines: (actor's name, lower end, upper end), drawn as hatched bands.
    pub red_lines: Vec<(String, f64, f64)>,
}

impl ScaleAxis {
    fn of(report: &Report, issue: &IssueInfo) -> Self {
        ScaleAxis {
            label: issue.label.clone(),
            min: issue.min,
            max: issue.max,
            anchors: issue
                .anchors
                .iter()
                .filter(|a| a.value >= issue.min && a.value <= issue.max)
                .map(|a| (a.value, a.label.clone()))
                .collect(),
            status_quo: issue.status_quo,
            red_lines: issue
                .red_lines
                .iter()
                .map(|r| (report.actor_name(&r.actor).to_owned(), r.min, r.max))
                .collect(),
        }
    }
}

/// One row of a forecast, spread or acceptance chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Each model's forecast on one issue's scale.
    Forecasts {
        /// The issue's scale.
        axis: ScaleAxis,
        /// (model label, value).
        rows: Vec<(String, Option<f64>)>,
    },
    /// Positions over the expected-utility model's rounds.
    Rounds {
        /// The issue's scale (vertical here).
        axis: ScaleAxis,
        /// (actor, position before round 1 and after each round).
        series: Vec<(String, Vec<f64>)>,
        /// Which series are drawn in colour with a legend entry; the rest are grey.
        highlighted: Vec<bool>,
        /// The forecast, drawn dashed.
        forecast: f64,
        /// What a step is called on the horizontal axis (`Round`, `Turn`).
        step: String,
    },
    /// Each actor's acceptable values on one issue, the win-set shaded.
    Acceptance {
        /// The issue's scale.
        axis: ScaleAxis,
        /// (actor, acceptable intervals, position, is a holdout).
        rows: Vec<(String, Vec<Interval>, Option<f64>, bool)>,
        /// Where all accept.
        win_set: Vec<Interval>,
    },
    /// Survival curves by agreement form.
    Survival {
        /// Horizon in years.
        years: f64,
        /// (form label, (years, share surviving)).
        series: Vec<(String, Vec<(f64, f64)>)>,
        /// Scheduled leadership changes: (years from signing, mark drawn at the top).
        elections: Vec<(f64, String)>,
    },
    /// Voting power bars.
    Power {
        /// (actor, Shapley-Shubik, Banzhaf).
        players: Vec<(String, f64, f64)>,
    },
    /// Forecast spreads over a sweep.
    Spread {
        /// The issue's scale.
        axis: ScaleAxis,
        /// (model, 5/25/50/75/95% quantiles, mean).
        rows: Vec<(String, [f64; 5], f64)>,
    },
    /// Sobol indices, largest first.
    Tornado {
        /// (input, first-order, total).
        bars: Vec<(String, f64, f64)>,
    },
}

/// One chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File-name-safe id, e.g. `rounds-nuclear_status`.
    pub id: String,
    /// Title drawn on the chart and used as its accessible name.
    pub title: String,
    /// One or two sentences saying what the chart shows, for readers who cannot see it.
    pub summary: String,
    /// The numbers drawn.
    pub table: DataTable,
    /// What to draw.
    pub kind: Kind,
}

pub use statecraft_core::text::number as fmt;

pub(crate) fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

fn intervals_text(set: &[Interval]) -> String {
    if set.is_empty() {
        return "none".into();
    }
    set.iter()
        .map(|i| {
            if i.hi - i.lo <= 1e-9 * (1.0 + i.hi.abs()) {
                fmt(i.lo)
            } else {
                format!("{}–{}", fmt(i.lo), fmt(i.hi))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every chart the report's analyses allow, in the order the report shows them.
pub fn charts(report: &Report) -> Vec<Chart> {
    let mut out = Vec::new();
    for issue in &report.scenario.issues {
        out.push(forecast_chart(report, issue));
        // A run that halted before its first round (equal security levels) has no positions to
        // draw (its chart used to panic on the empty series).
        let drawable =
            |positions: &[Vec<f64>]| positions.first().is_some_and(|row| !row.is_empty());
        if let Some(run) = report.bdm.iter().find(|b| b.issue == issue.id) {
            if drawable(&run.positions) {
                out.push(rounds_chart(report, issue, run));
            }
        }
        if let Some(smp) = &report.smp {
            if let Some(run) = smp
                .issues
                .iter()
                .find(|t| t.issue == issue.id && drawable(&t.positions))
            {
                out.push(turns_chart(report, issue, smp, run));
            }
        }
        if let Some(c) = &report.coalitions {
            if let Some(ic) = c.issues.iter().find(|c| c.issue == issue.id) {
                out.push(acceptance_chart(report, issue, ic));
            }
        }
        if let Some(s) = &report.sweep {
            out.push(spread_chart(report, issue, s));
            if let Some(sens) = s.sensitivity.iter().find(|x| x.issue == issue.id) {
                out.push(tornado_chart(issue, sens));
            }
        }
    }
    if let Some(inference) = report.inference.as_ref().filter(|i| i.converged) {
        for issue in &report.scenario.issues {
            if let Some(chart) = record_chart(report, issue, inference) {
                out.push(chart);
            }
        }
        if let Some(chart) = record_salience_chart(inference) {
            out.push(chart);
        }
    }
    if let Some(d) = report
        .durability
        .as_ref()
        .filter(|d| !d.every_form_survives())
    {
        out.push(survival_chart(d));
    }
    if let Some(p) = &report.power {
        out.push(power_chart(report, p));
    }
    out
}

fn forecast_chart(report: &Report, issue: &IssueInfo) -> Chart {
    let rows: Vec<(String, Option<f64>)> = report
        .forecasts
        .iter()
        .map(|f| {
            let value = f
                .issues
                .iter()
                .find(|v| v.issue == issue.id)
                .and_then(|v| v.value);
            (f.label.clone(), value)
        })
        .collect();
    let described: Vec<String> = rows
        .iter()
        .map(|(m, v)| format!("{m} {}", v.map_or("no forecast".into(), fmt)))
        .collect();
    Chart {
        id: format!("forecast-{}", issue.id),
        title: format!("Where each model lands: {}", issue.label),
        summary: format!(
            "Forecasts on the {}–{} scale{}: {}.",
            fmt(issue.min),
            fmt(issue.max),
            issue
                .status_quo
                .map(|s| format!(" (status quo {})", fmt(s)))
                .unwrap_or_default(),
            described.join("; ")
        ),
        table: DataTable {
            header: vec!["Model".into(), "Forecast".into(), "Nearest anchor".into()],
            rows: report
                .forecasts
                .iter()
                .map(|f| {
                    let v = f.issues.iter().find(|v| v.issue == issue.id);
                    vec![
                        f.label.clone(),
                        v.and_then(|v| v.value).map_or("—".into(), fmt),
                        v.and_then(|v| v.nearest_anchor.clone()).unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        kind: Kind::Forecasts {
            axis: ScaleAxis::of(report, issue),
            rows,
        },
    }
}

fn rounds_chart(report: &Report, issue: &IssueInfo, run: &crate::report::BdmIssue) -> Chart {
    positions_chart(
        report,
        issue,
        Steps {
            id: format!("rounds-{}", issue.id),
            title: format!(
                "Positions over the rounds (expected utility): {}",
                issue.label
            ),
            what: "rounds of the expected-utility model",
            step: "Round",
            actors: &run.actors,
            positions: &run.positions,
            forecast: run.forecast,
        },
    )
}

fn turns_chart(
    report: &Report,
    issue: &IssueInfo,
    smp: &crate::report::SmpSection,
    run: &crate::report::SmpIssueTurns,
) -> Chart {
    positions_chart(
        report,
        issue,
        Steps {
            id: format!("turns-{}", issue.id),
            title: format!("Positions over the turns (spatial model): {}", issue.label),
            what: "turns of KTAB's spatial model (all issues at once)",
            step: "Turn",
            actors: &smp.actors,
            positions: &run.positions,
            forecast: run.forecast,
        },
    )
}

/// Positions over the steps of a model's run, for [`positions_chart`].
struct Steps<'a> {
    id: String,
    title: String,
    what: &'static str,
    step: &'static str,
    actors: &'a [String],
    positions: &'a [Vec<f64>],
    forecast: f64,
}

fn positions_chart(report: &Report, issue: &IssueInfo, run: Steps) -> Chart {
    let series: Vec<(String, Vec<f64>)> = run
        .actors
        .iter()
        .enumerate()
        // Shown by name (the expected-utility rows carry names already, the spatial model's ids).
        .map(|(a, id)| {
            (
                report.actor_name(id).to_owned(),
                run.positions.iter().map(|row| row[a]).collect(),
            )
        })
        .collect();
    let rounds = run.positions.len().saturating_sub(1);
    // With many actors, the ones that moved most are drawn in colour and named; the rest grey.
    let moved = |s: &[f64]| (s[s.len() - 1] - s[0]).abs();
    let mut order: Vec<usize> = (0..series.len()).collect();
    if series.len() > MAX_NAMED {
        order.sort_by(|&a, &b| moved(&series[b].1).total_cmp(&moved(&series[a].1)));
    }
    let mut highlighted = vec![series.len() <= MAX_NAMED; series.len()];
    for &a in order.iter().take(MAX_NAMED) {
        highlighted[a] = true;
    }
    let others = series.len().saturating_sub(MAX_NAMED);
    let mut header = vec!["Actor".to_string(), "Start".to_string()];
    header.extend((1..=rounds).map(|r| format!("{} {r}", run.step)));
    Chart {
        id: run.id,
        title: run.title,
        summary: format!(
            "Each actor's position on {} at the start and after each of {rounds} {}; the forecast, {}, is dashed. {}.",
            issue.label,
            run.what,
            fmt(run.forecast),
            order
                .iter()
                .take(MAX_NAMED)
                .map(|&a| &series[a])
                .map(|(id, s)| {
                    let (from, to) = (s[0], *s.last().expect("at least one row"));
                    if from == to {
                        format!("{} stays at {}", report.actor_name(id), fmt(from))
                    } else {
                        format!("{} moves from {} to {}", report.actor_name(id), fmt(from), fmt(to))
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
                + &if others > 0 {
                    format!(" ({others} others, which moved less, are grey; all are in the table)")
                } else {
                    String::new()
                }
        ),
        table: DataTable {
            header,
            rows: series
                .iter()
                .map(|(id, s)| {
                    let mut row = vec![id.clone()];
                    row.extend(s.iter().map(|&v| fmt(v)));
                    row
                })
                .collect(),
        },
        kind: Kind::Rounds {
            axis: ScaleAxis::of(report, issue),
            series,
            highlighted,
            forecast: run.forecast,
            step: run.step.to_owned(),
        },
    }
}

fn acceptance_chart(
    report: &Report,
    issue: &IssueInfo,
    ic: &crate::report::IssueCoalition,
) -> Chart {
    let position = |actor: &str| {
        report
            .scenario
            .stances
            .iter()
            .find(|s| s.actor == actor && s.issue == issue.id)
            .map(|s| s.position)
    };
    let rows: Vec<(String, Vec<Interval>, Option<f64>, bool)> = ic
        .accepted
        .iter()
        .map(|a| {
            (
                report.actor_name(&a.actor).to_owned(),
                a.intervals.clone(),
                position(&a.actor),
                ic.holdouts.contains(&a.actor),
            )
        })
        .collect();
    let holdouts = if ic.holdouts.is_empty() {
        String::new()
    } else {
        format!(
            " Without {} the others would have room to agree.",
            ic.holdouts
                .iter()
                .map(|h| report.actor_name(h))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    Chart {
        id: format!("coalition-{}", issue.id),
        title: format!(
            "Who accepts what (other issues at the status quo): {}",
            issue.label
        ),
        summary: format!(
            "Each bar is where an actor prefers moving {} alone to the status quo. {}{holdouts}",
            issue.label,
            if ic.win_set.is_empty() {
                format!(
                    "No move of it is accepted by all {}: only the status quo is.",
                    rows.len()
                )
            } else {
                format!(
                    "All {} accept moving it to {}.",
                    rows.len(),
                    ic.win_set_words.join(", ")
                )
            }
        ),
        table: DataTable {
            header: vec![
                "Actor".into(),
                "Position".into(),
                "Accepts".into(),
                "Holdout".into(),
            ],
            rows: rows
                .iter()
                .map(|(a, set, pos, hold)| {
                    vec![
                        a.clone(),
                        pos.map_or("—".into(), fmt),
                        intervals_text(set),
                        if *hold { "yes".into() } else { String::new() },
                    ]
                })
                .collect(),
        },
        kind: Kind::Acceptance {
            axis: ScaleAxis::of(report, issue),
            rows,
            win_set: ic.win_set.clone(),
        },
    }
}

/// Prior against posterior 80% intervals, two rows per value: boxes span the interval, the line
/// in each is its median, the dot its mean.
fn interval_chart(
    id: String,
    title: String,
    what: &str,
    axis: ScaleAxis,
    values: &[(String, &statecraft_core::inference::ParameterPosterior)],
) -> Chart {
    let band = |s: &statecraft_core::inference::Summary| [s.q10, s.q10, s.q50, s.q90, s.q90];
    let mut rows = Vec::new();
    for (name, p) in values {
        rows.push((format!("{name}: prior"), band(&p.prior), p.prior.mean));
        rows.push((
            format!("{name}: record"),
            band(&p.posterior),
            p.posterior.mean,
        ));
    }
    let moved: Vec<String> = values
        .iter()
        .filter(|(_, p)| p.touched)
        .map(|(name, p)| {
            format!(
                "{name} {} (80% {} to {}) against {} before",
                fmt(p.posterior.mean),
                fmt(p.posterior.q10),
                fmt(p.posterior.q90),
                fmt(p.prior.mean)
            )
        })
        .collect();
    let untouched = values.len() - moved.len();
    Chart {
        id,
        title,
        summary: format!(
            "Each box spans an 80% interval of {what}: before the record (prior) and after it (record); the line is the median, the dot the mean. {}{}",
            if moved.is_empty() {
                "No observation bears on these values.".to_owned()
            } else {
                format!("With the record: {}.", moved.join("; "))
            },
            if untouched > 0 && !moved.is_empty() {
                format!(" {untouched} values no observation bears on keep their prior.")
            } else {
                String::new()
            }
        ),
        table: DataTable {
            header: ["Value", "Prior mean", "Prior 10%", "Prior 90%", "Mean", "10%", "90%", "Observed"]
                .map(String::from)
                .to_vec(),
            rows: values
                .iter()
                .map(|(name, p)| {
                    vec![
                        name.clone(),
                        fmt(p.prior.mean),
                        fmt(p.prior.q10),
                        fmt(p.prior.q90),
                        fmt(p.posterior.mean),
                        fmt(p.posterior.q10),
                        fmt(p.posterior.q90),
                        if p.touched { "yes" } else { "no: prior kept" }.into(),
                    ]
                })
                .collect(),
        },
        kind: Kind::Spread { axis, rows },
    }
}

fn record_chart(
    report: &Report,
    issue: &IssueInfo,
    inference: &statecraft_core::inference::Inference,
) -> Option<Chart> {
    let values: Vec<(String, &statecraft_core::inference::ParameterPosterior)> = inference
        .parameters
        .iter()
        .filter(|p| p.issue == issue.id && p.quantity == "position")
        .map(|p| (report.actor_name(&p.actor).to_owned(), p))
        .collect();
    (!values.is_empty()).then(|| {
        interval_chart(
            format!("record-{}", issue.id),
            format!("What the record says: positions on {}", issue.label),
            "each actor's position",
            ScaleAxis::of(report, issue),
            &values,
        )
    })
}

/// Saliences shown in the record's salience chart (the table of `infer` has them all).
const RECORD_SALIENCES: usize = 8;

fn record_salience_chart(inference: &statecraft_core::inference::Inference) -> Option<Chart> {
    // The saliences the record moves most (in prior standard deviations), a legible few.
    let shift = |p: &statecraft_core::inference::ParameterPosterior| {
        (p.posterior.mean - p.prior.mean).abs() / p.prior.sd.max(1e-12)
    };
    let mut moved: Vec<&statecraft_core::inference::ParameterPosterior> = inference
        .parameters
        .iter()
        .filter(|p| p.quantity == "salience" && p.touched)
        .collect();
    moved.sort_by(|a, b| shift(b).total_cmp(&shift(a)));
    moved.truncate(RECORD_SALIENCES);
    let values: Vec<(String, &statecraft_core::inference::ParameterPosterior)> = moved
        .into_iter()
        // Ids keep the labels short enough for the chart's margin.
        .map(|p| (format!("{} {}", p.actor, p.issue), p))
        .collect();
    (!values.is_empty()).then(|| {
        interval_chart(
            "record-saliences".into(),
            format!(
                "What the record says: the {} saliences it moves most",
                values.len()
            ),
            "each salience (0: does not matter, 1: above all)",
            ScaleAxis {
                label: "Salience".into(),
                min: 0.0,
                max: 1.0,
                anchors: Vec::new(),
                status_quo: None,
                red_lines: Vec::new(),
            },
            &values,
        )
    })
}

fn spread_chart(report: &Report, issue: &IssueInfo, s: &crate::report::SweepSection) -> Chart {
    let label = |id: &str| {
        report
            .forecasts
            .iter()
            .find(|f| f.model == id)
            .map_or(id.to_owned(), |f| f.label.clone())
    };
    let rows: Vec<(String, [f64; 5], f64)> = s
        .models
        .iter()
        .filter_map(|m| {
            let spread = m.issues.iter().find(|x| x.issue == issue.id)?;
            Some((label(&m.model), spread.quantiles?, spread.mean?))
        })
        .collect();
    // Models with too few values for a box: named, with why, and their mean in the table.
    let thin: Vec<(String, Option<f64>, String)> = s
        .models
        .iter()
        .filter_map(|m| {
            let spread = m.issues.iter().find(|x| x.issue == issue.id)?;
            Some((label(&m.model), spread.mean, spread.too_few.clone()?))
        })
        .collect();
    let thin_words: String = thin
        .iter()
        .map(|(m, _, why)| format!(" {m}: no box, {why}."))
        .collect();
    Chart {
        id: format!("spread-{}", issue.id),
        title: format!("How sure: forecast spread over {} draws: {}", s.runs, issue.label),
        summary: format!(
            "Boxes span the middle half of the forecasts, whiskers 5% to 95%, over {} draws of the uncertain inputs. {}.{thin_words}",
            s.runs,
            rows.iter()
                .map(|(m, q, mean)| format!(
                    "{m}: mean {}, 90% between {} and {}",
                    fmt(*mean),
                    fmt(q[0]),
                    fmt(q[4])
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        table: DataTable {
            header: ["Model", "Mean", "5%", "25%", "50%", "75%", "95%"]
                .map(String::from)
                .to_vec(),
            rows: rows
                .iter()
                .map(|(m, q, mean)| {
                    let mut row = vec![m.clone(), fmt(*mean)];
                    row.extend(q.iter().map(|&v| fmt(v)));
                    row
                })
                .chain(thin.iter().map(|(m, mean, why)| {
                    let mut row = vec![m.clone(), mean.map_or("none".into(), fmt)];
                    row.push(why.clone());
                    row.extend(std::iter::repeat_n("-".to_string(), 4));
                    row
                }))
                .collect(),
        },
        kind: Kind::Spread {
            axis: ScaleAxis::of(report, issue),
            rows,
        },
    }
}

/// Actors named (in colour, in the legend) in a rounds chart, at most.
const MAX_NAMED: usize = 8;

/// Rows of a power chart, at most (the largest).
const MAX_BARS: usize = 30;

/// Inputs shown in a tornado chart, at most.
const TORNADO_BARS: usize = 10;

fn tornado_chart(issue: &IssueInfo, sens: &crate::report::IssueSensitivity) -> Chart {
    let shown = || sens.inputs.iter().take(TORNADO_BARS);
    let bars: Vec<(String, f64, f64)> = shown()
        .map(|i| (i.input.clone(), i.first_order, i.total))
        .collect();
    let interval =
        |i: Option<[f64; 2]>| i.map_or_else(String::new, |[lo, hi]| format!("{lo:.3} to {hi:.3}"));
    let noisy: Vec<String> = shown()
        .filter(|i| !i.noise.is_empty())
        .map(|i| {
            let settle = i.settle_base_rows.map_or_else(
                || "it lies beyond the intervals".to_owned(),
                |n| format!("about {n} base rows would settle it (an estimate)"),
            );
            format!("{} ({}; {settle})", i.input, noise_words(&i.noise))
        })
        .collect();
    let noise = if noisy.is_empty() {
        String::new()
    } else {
        format!(
            " Noise, not findings: the estimates contradict each other for {}.",
            noisy.join("; ")
        )
    };
    Chart {
        id: format!("tornado-{}", issue.id),
        title: format!("What moves the {} forecast: {}", sens.model, issue.label),
        summary: format!(
            "Sobol indices of the {} forecast on {}, the {} inputs with the largest total effect: {}.{noise}",
            sens.model,
            issue.label,
            bars.len(),
            bars.iter()
                .map(|(i, _, t)| format!("{i} {}", fmt(*t)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        table: DataTable {
            header: [
                "Input",
                "First order",
                "95% interval",
                "Total",
                "95% interval",
                "Noise",
            ]
            .map(String::from)
            .to_vec(),
            rows: shown()
                .map(|i| {
                    vec![
                        i.input.clone(),
                        format!("{:.3}", i.first_order),
                        interval(i.first_order_interval),
                        format!("{:.3}", i.total),
                        interval(i.total_interval),
                        noise_words(&i.noise),
                    ]
                })
                .collect(),
        },
        kind: Kind::Tornado { bars },
    }
}

/// The contradictions of a pair of Sobol estimates in words (empty when there are none).
fn noise_words(noise: &[statecraft_core::sweep::Contradiction]) -> String {
    noise
        .iter()
        .map(|c| c.describe())
        .collect::<Vec<_>>()
        .join(", ")
}

fn survival_chart(d: &crate::report::DurabilitySection) -> Chart {
    Chart {
        id: "durability".into(),
        title: format!("Is it election-proof? Survival over {} years by form", fmt(d.years)),
        summary: format!(
            "Share of {} simulated histories in which the agreement still holds, from signing on {}. {}.{}",
            d.runs,
            d.start,
            d.forms
                .iter()
                .map(|f| format!("{}: {} after {} years", f.label, percent(f.survives_horizon), fmt(d.years)))
                .collect::<Vec<_>>()
                .join("; "),
            if d.elections.is_empty() {
                String::new()
            } else {
                format!(
                    " Dashed lines mark the scheduled changes: {}.",
                    d.elections
                        .iter()
                        .enumerate()
                        .map(|(k, e)| format!("E{} {} ({} y)", k + 1, e.label, fmt(e.at_years)))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            }
        ),
        table: DataTable {
            header: vec![
                "Form".into(),
                format!("Survives {} years", fmt(d.years)),
                "Median years".into(),
                "First to renege (share of histories)".into(),
            ],
            rows: d
                .forms
                .iter()
                .map(|f| {
                    vec![
                        f.label.clone(),
                        percent(f.survives_horizon),
                        f.median_years.map_or("beyond horizon".into(), fmt),
                        f.first_defector
                            .as_ref()
                            .map(|(a, s)| format!("{a} ({})", percent(*s)))
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        kind: Kind::Survival {
            years: d.years,
            elections: d
                .elections
                .iter()
                .enumerate()
                .map(|(k, e)| (e.at_years, format!("E{}", k + 1)))
                .collect(),
            series: d
                .forms
                .iter()
                .map(|f| {
                    (
                        f.label.clone(),
                        f.times.iter().copied().zip(f.survival.iter().copied()).collect(),
                    )
                })
                .collect(),
        },
    }
}

fn power_chart(report: &Report, p: &crate::report::PowerSection) -> Chart {
    // With many actors the chart shows the largest; the table keeps every one.
    let mut shown: Vec<&crate::report::PlayerPower> = p.players.iter().collect();
    let title = if shown.len() > MAX_BARS {
        shown.sort_by(|a, b| b.shapley_shubik.total_cmp(&a.shapley_shubik));
        shown.truncate(MAX_BARS);
        format!(
            "Who holds voting power (majority of capability): the {MAX_BARS} largest of {}",
            p.players.len()
        )
    } else {
        "Who holds voting power (majority of capability)".into()
    };
    Chart {
        id: "power".into(),
        title,
        summary: format!(
            "Shapley-Shubik and normalised Banzhaf indices under {}: {}{}.",
            p.rule,
            shown
                .iter()
                .map(|x| format!(
                    "{} {} and {}",
                    report.actor_name(&x.actor),
                    fmt(x.shapley_shubik),
                    fmt(x.banzhaf)
                ))
                .collect::<Vec<_>>()
                .join("; "),
            if shown.len() < p.players.len() {
                format!("; {} others, in the table", p.players.len() - shown.len())
            } else {
                String::new()
            }
        ),
        table: DataTable {
            header: vec![
                "Actor".into(),
                "Weight".into(),
                "Shapley-Shubik".into(),
                "Banzhaf".into(),
            ],
            rows: p
                .players
                .iter()
                .map(|x| {
                    vec![
                        x.actor.clone(),
                        x.weight.to_string(),
                        format!("{:.4}", x.shapley_shubik),
                        format!("{:.4}", x.banzhaf),
                    ]
                })
                .collect(),
        },
        kind: Kind::Power {
            players: shown
                .iter()
                .map(|x| (x.actor.clone(), x.shapley_shubik, x.banzhaf))
                .collect(),
        },
    }
}

impl Chart {
    /// The chart as an SVG document, `WIDTH` x `HEIGHT` with a `viewBox`, so it scales.
    pub fn svg(&self) -> Result<String, ChartError> {
        crate::layout::register_font();
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw(&root).map_err(|message| ChartError::Draw {
                chart: self.id.clone(),
                message,
            })?;
            root.present().map_err(|e| ChartError::Draw {
                chart: self.id.clone(),
                message: e.to_string(),
            })?;
        }
        Ok(text)
    }

    /// The chart as a PNG image, `WIDTH` x `HEIGHT`, RGB.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        crate::layout::register_font();
        let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw(&root).map_err(|message| ChartError::Draw {
                chart: self.id.clone(),
                message,
            })?;
            root.present().map_err(|e| ChartError::Draw {
                chart: self.id.clone(),
                message: e.to_string(),
            })?;
        }
        let png_error = |e: png::EncodingError| ChartError::Png {
            chart: self.id.clone(),
            message: e.to_string(),
        };
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(png_error)?;
            writer.write_image_data(&pixels).map_err(png_error)?;
        }
        Ok(out)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let layout = self.layout();
        crate::draw::paint(root, self, &layout).map_err(|e| e.to_string())
    }
}
