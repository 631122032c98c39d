//! The inference printed: convergence first, then per actor the posterior of each inferred
//! value next to its prior with the observations that moved it most, then the chances of the
//! package; the findings are withheld when the chains have not converged.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::{ActorRecord, InferResult};
use statecraft_core::inference::{Inference, ParameterPosterior, Prediction, Summary};
use statecraft_core::scenario::{ObservationKind, Scenario};

use super::{fmt_value, new_table};
use crate::cli::OutputFormat;
use crate::Failure;

/// Tables fit a terminal of this many columns.
/// How much of an observation's note the record shows.
const NOTE_CHARS: usize = 72;

/// Prints the inference in `format`.
pub(crate) fn print(
    scenario: &Scenario,
    result: &InferResult,
    format: OutputFormat,
) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => csv(&result.inference)?,
        OutputFormat::Table => super::for_people(&briefing(scenario, result)),
    };
    super::write_out(&text)
}

fn csv(inference: &Inference) -> Result<String, Failure> {
    let header = [
        "label",
        "actor",
        "issue",
        "quantity",
        "prior_mean",
        "prior_q10",
        "prior_q90",
        "posterior_mean",
        "posterior_sd",
        "posterior_q10",
        "posterior_q90",
        "rhat",
        "ess",
        "touched",
    ];
    let rows = inference.parameters.iter().map(|p| {
        vec![
            p.label.clone(),
            p.actor.clone(),
            p.issue.clone(),
            p.quantity.clone(),
            p.prior.mean.to_string(),
            p.prior.q10.to_string(),
            p.prior.q90.to_string(),
            p.posterior.mean.to_string(),
            p.posterior.sd.to_string(),
            p.posterior.q10.to_string(),
            p.posterior.q90.to_string(),
            p.rhat.to_string(),
            p.ess.to_string(),
            p.touched.to_string(),
        ]
    });
    super::csv_text(&header, rows)
}

fn table() -> super::Grid {
    new_table()
}

/// `line` cut to the width, with `...` where it was cut.
fn fit(line: &str) -> String {
    let width = super::width();
    if line.chars().count() <= width {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(width - 3).collect();
    cut.push_str("...");
    cut
}

fn percent(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

/// `text` broken at spaces into lines of at most the width, each ending in a newline.
fn wrap(text: &str) -> String {
    super::wrap(text, "", 0)
}

/// `mean (q10..q90)`: positions to one decimal, saliences to two.
fn interval(s: &Summary, quantity: &str) -> String {
    let d = if quantity == "salience" { 2 } else { 1 };
    format!("{:.d$} ({:.d$}..{:.d$})", s.mean, s.q10, s.q90)
}

/// "#3 2008-12-11".
fn observation_name(scenario: &Scenario, index: usize) -> String {
    let date = scenario
        .observations()
        .get(index)
        .and_then(|o| o.date)
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    format!("#{}{date}", index + 1)
}

fn record(scenario: &Scenario) -> String {
    let ids = |list: Vec<usize>| {
        list.iter()
            .map(|&a| scenario.actors()[a].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from("The record:\n");
    for (o, observation) in scenario.observations().iter().enumerate() {
        let what = match &observation.kind {
            ObservationKind::Decision(d) => {
                let by = |accepted: bool| {
                    ids(d
                        .responses
                        .iter()
                        .filter(|r| r.1 == accepted)
                        .map(|r| r.0)
                        .collect())
                };
                let (yes, no) = (by(true), by(false));
                match (yes.is_empty(), no.is_empty()) {
                    (false, true) => format!("accepted by {yes}"),
                    (true, false) => format!("refused by {no}"),
                    _ => format!("accepted by {yes}; refused by {no}"),
                }
            }
            ObservationKind::Statement(s) => format!(
                "{} declared {} on {} (trust {})",
                scenario.actors()[s.actor].id,
                fmt_value(s.position),
                scenario.issues()[s.issue].id,
                fmt_value(s.trust)
            ),
        };
        out.push_str(&format!("  {} {what}\n", observation_name(scenario, o)));
        if let Some(note) = &observation.note {
            let short: String = note.chars().take(NOTE_CHARS).collect();
            let more = if note.chars().count() > NOTE_CHARS {
                "..."
            } else {
                ""
            };
            out.push_str(&format!("      {short}{more}\n"));
        }
    }
    out
}

fn actor_table(parameters: &[&ParameterPosterior]) -> String {
    let mut t = table();
    t.set_header(vec![
        "value",
        "prior (80%)",
        "posterior (80%)",
        "width",
        "moved by (shift)",
    ]);
    for p in parameters {
        let prior_width = p.prior.q90 - p.prior.q10;
        let width = if prior_width > 0.0 {
            percent((p.posterior.q90 - p.posterior.q10) / prior_width)
        } else {
            "-".into()
        };
        let moved = if !p.touched {
            "none: prior kept".to_owned()
        } else {
            p.influences
                .iter()
                .map(|i| format!("#{} {:+.2}", i.observation + 1, i.shift))
                .collect::<Vec<_>>()
                .join(", ")
        };
        t.add_row(vec![
            Cell::new(format!("{} {}", p.issue, &p.quantity[..3])),
            Cell::new(interval(&p.prior, &p.quantity)).set_alignment(CellAlignment::Right),
            Cell::new(interval(&p.posterior, &p.quantity)).set_alignment(CellAlignment::Right),
            Cell::new(width).set_alignment(CellAlignment::Right),
            Cell::new(moved),
        ]);
    }
    format!("{t}\n")
}

fn prediction(scenario: &Scenario, from: &str, prediction: &Prediction) -> String {
    let mut out = format!("\nThe package ({from}):\n");
    for (issue, value) in scenario.issues().iter().zip(&prediction.package) {
        let label = issue
            .nearest_anchor(*value)
            .map(|a| format!(" (nearest \"{}\")", a.label))
            .unwrap_or_default();
        let line = format!("  {} = {}{label}", issue.id, fmt_value(*value));
        out.push_str(&fit(&line));
        out.push('\n');
    }
    let mut t = table();
    t.set_header(vec![
        "actor",
        "accepts: prior",
        "posterior",
        "sole holdout: prior",
        "posterior",
    ]);
    for (accept, holdout) in prediction.accept.iter().zip(&prediction.holdout) {
        let name = scenario
            .actor_index(&accept.actor)
            .map_or(accept.actor.as_str(), |a| {
                scenario.actors()[a].name.as_str()
            });
        t.add_row(vec![
            Cell::new(name),
            Cell::new(percent(accept.prior)).set_alignment(CellAlignment::Right),
            Cell::new(percent(accept.posterior)).set_alignment(CellAlignment::Right),
            Cell::new(percent(holdout.prior)).set_alignment(CellAlignment::Right),
            Cell::new(percent(holdout.posterior)).set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&format!(
        "\nWho accepts it, and who alone refuses it:\n{t}\n"
    ));
    let n = prediction.accept.len();
    out.push_str(&format!(
        "Chance of {n}-0: {} before the record, {} after it. Two or more refuse: {} before, {} after.\n",
        percent(prediction.unanimous.prior),
        percent(prediction.unanimous.posterior),
        percent(prediction.several_refuse.prior),
        percent(prediction.several_refuse.posterior),
    ));
    if let Some(likeliest) = prediction
        .holdout
        .iter()
        .max_by(|a, b| a.posterior.total_cmp(&b.posterior))
    {
        out.push_str(&format!(
            "Likeliest holdout of a {}-1: {} ({} of all outcomes).\n",
            n - 1,
            likeliest.actor,
            percent(likeliest.posterior)
        ));
    }
    out
}

fn briefing(scenario: &Scenario, result: &InferResult) -> String {
    let inference = &result.inference;
    let mut out = String::new();
    if let Some(title) = &scenario.meta().title {
        out.push_str(&format!("{title}\n"));
    }
    out.push_str(&format!(
        "What do they want? The posterior of {} positions and saliences given {} observations\n({} chains of {} draws after {} warm-up, seed {}; noise {}, lapse {}).\n",
        inference.parameters.len(),
        inference.n_observations,
        inference.chains,
        inference.draws,
        inference.warmup,
        inference.seed,
        fmt_value(inference.noise),
        fmt_value(inference.lapse),
    ));
    let diagnostics = format!(
        "largest split R-hat {:.4} ({}), smallest effective sample size {:.0}",
        inference.max_rhat, inference.worst, inference.min_ess
    );
    if !inference.converged {
        out.push_str(&format!(
            "NOT CONVERGED: {diagnostics}; the targets are R-hat below {} and ESS of at least {:.0}.\nThe findings are withheld: no number of an unconverged run is a finding.\n",
            inference.target_rhat, inference.target_ess
        ));
        return out;
    }
    out.push_str(&format!("Converged: {diagnostics}.\n\n"));
    out.push_str(&record(scenario));
    for (a, actor) in scenario.actors().iter().enumerate() {
        let parameters: Vec<&ParameterPosterior> = inference
            .parameters
            .iter()
            .filter(|p| scenario.actor_index(&p.actor) == Some(a))
            .collect();
        if parameters.is_empty() {
            continue;
        }
        if actor.name.contains(&actor.id) {
            out.push_str(&format!("\n{}\n", actor.name));
        } else {
            out.push_str(&format!("\n{} ({})\n", actor.name, actor.id));
        }
        out.push_str(&actor_table(&parameters));
    }
    out.push_str(
        "pos/sal: position/salience, mean (80% interval). width: the posterior's 80% interval as a share\nof the prior's. moved by: the observations (#, as in the record) that moved the posterior mean\nmost, in prior standard deviations (0.05 or more).\n",
    );
    if let Some(p) = &inference.prediction {
        out.push_str(&prediction(scenario, &result.package_from, p));
    }
    for record in &result.records {
        out.push('\n');
        out.push_str(&what_its_record_says(scenario, inference, record));
    }
    out
}

/// One actor's record in sentences: what it refused, which of its values the record moved (and
/// how far), and how much narrower its intervals are.
fn what_its_record_says(
    scenario: &Scenario,
    inference: &Inference,
    record: &ActorRecord,
) -> String {
    let name = scenario
        .actor_index(&record.actor)
        .map_or(record.actor.as_str(), |a| {
            scenario.actors()[a].name.as_str()
        });
    let refused: Vec<String> = record.refused.iter().map(|k| format!("#{k}")).collect();
    let mut out = format!(
        "What the record says about {name}: it refused {} of the {} packages it answered ({}). ",
        refused.len(),
        record.answered,
        refused.join(", ")
    );
    let moved: Vec<&ParameterPosterior> = record
        .moved
        .iter()
        .filter_map(|label| inference.parameters.iter().find(|p| &p.label == label))
        .collect();
    if moved.is_empty() {
        out.push_str("Its refusals are what its values already predict: the record moves none of them by as much as 0.05 prior standard deviations. ");
    } else {
        let named: Vec<String> = moved
            .iter()
            .take(3)
            .map(|p| {
                format!(
                    "its {} on {} from {} to {}",
                    p.quantity,
                    p.issue,
                    interval(&p.prior, &p.quantity),
                    interval(&p.posterior, &p.quantity)
                )
            })
            .collect();
        out.push_str(&format!(
            "The values the record moves most: {}. ",
            named.join("; ")
        ));
    }
    out.push_str(&format!(
        "How sure: its 80% intervals are on average {} as wide as before the record.",
        percent(record.narrowing)
    ));
    wrap(&out)
}
