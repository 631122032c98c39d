//! `forecast --model smp`: KTAB's spatial model of politics over every issue at once. Builds
//! its parameters from the command line and a KTAB XML file, runs it, and prints its
//! distribution, its path of turns, its trace (`actor,dim,t0,t1,...`, as KTAB's parity files)
//! and its narration.

use std::io::Write;

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use statecraft_core::model::Scenario;
use statecraft_core::models::smp::{self, SmpInput, SmpParams, SmpRun, SpatialModel};
use statecraft_core::models::{Forecast, IssueForecast, Model};
use statecraft_io::Loaded;

use crate::cli::SmpArgs;
use crate::commands::{fmt_value, new_table};
use crate::{report, Failure};

/// The model's id on the command line.
pub(crate) const ID: &str = "smp";

/// Splits `smp` out of the `--model` list: (whether it was asked for, the other names).
pub(crate) fn split_models(names: &[String]) -> (bool, Vec<String>) {
    let wanted = names.iter().any(|n| n == ID);
    let others = names.iter().filter(|n| *n != ID).cloned().collect();
    (wanted, others)
}

fn usage_error(message: &str, help: &str) -> Failure {
    let _ = writeln!(std::io::stderr(), "error: {message}\n  help: {help}");
    Failure::BadInput
}

/// The parameters: KTAB's defaults, then a KTAB XML file's seed and `<ModelParameters>`, then
/// the command line.
pub(crate) fn params(args: &SmpArgs, loaded: &Loaded) -> Result<SmpParams, Failure> {
    let mut params = SmpParams::default();
    if let Some(ktab) = &loaded.ktab {
        for (key, value) in &ktab.parameters {
            params
                .set(key, value)
                .map_err(|e| usage_error(&e.to_string(), "the reader checked these names"))?;
        }
        if let Some(seed) = ktab.seed {
            params.seed = seed;
        }
    }
    for setting in &args.params {
        let Some((key, value)) = setting.split_once('=') else {
            return Err(usage_error(
                &format!("--smp `{setting}` is not KEY=VALUE"),
                "e.g. --smp VotingRule=Binary; the keys are KTAB's parameter names",
            ));
        };
        params.set(key, value).map_err(|e| {
            usage_error(
                e.to_string().trim_start_matches("smp: "),
                "see docs/models/smp.md for every parameter and value",
            )
        })?;
    }
    if let Some(seed) = args.smp_seed {
        params.seed = seed;
    }
    if args.max_turns == 0 {
        return Err(usage_error(
            "--max-turns 0: the model needs at least one turn",
            "give a whole number of turns, e.g. 100 (KTAB's)",
        ));
    }
    params.stop.max_turns = args.max_turns;
    Ok(params)
}

/// Runs the model on `scenario` (with a KTAB XML file's ideal adjustments when it is the file's
/// own scenario): the forecast, and the run when there is one. Notes go to stderr.
pub(crate) fn run(
    scenario: &Scenario,
    loaded: &Loaded,
    params: SmpParams,
) -> (Forecast, Option<SmpRun>) {
    let fail = |message: String| Forecast {
        model: ID.into(),
        issues: scenario
            .issues()
            .iter()
            .map(|i| IssueForecast {
                issue: i.id.clone(),
                value: None,
                note: Some(message.clone()),
            })
            .collect(),
    };
    let mut input = match SmpInput::from_scenario(scenario) {
        Ok(input) => input,
        Err(e) => return (fail(e.to_string()), None),
    };
    if let Some(ktab) = loaded
        .ktab
        .as_ref()
        .filter(|k| !k.ideal_adjustment.is_empty())
    {
        if same_actors(scenario, &loaded.scenario) {
            if let Err(e) = input.set_ideal_adjustment(&ktab.ideal_adjustment) {
                return (fail(e.to_string()), None);
            }
        } else {
            input.notes.push(
                "smp: the file's ideal adjustments are ignored: the what-ifs changed the actors"
                    .into(),
            );
        }
    }
    for note in &input.notes {
        report::note(note);
    }
    match smp::run(&input, &params) {
        Ok(run) => (smp::forecast_of(&run), Some(run)),
        Err(e) => (fail(e.to_string()), None),
    }
}

fn same_actors(a: &Scenario, b: &Scenario) -> bool {
    a.actors().len() == b.actors().len()
        && a.actors().iter().zip(b.actors()).all(|(x, y)| x.id == y.id)
}

/// The model for the list of models (its label in tables, its baseline forecast).
pub(crate) fn model(params: SmpParams) -> Box<dyn Model> {
    Box::new(SpatialModel { params })
}

/// A position with 10 decimals, trailing zeros dropped: 0.8059 x 100 prints as 80.59, not
/// 80.58999999999999.
fn decimal(x: f64) -> String {
    let text = format!("{x:.10}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// Every actor's position on every issue at every state: `actor,dim,t0,t1,...` (the actor's
/// id, the issue's label, positions on the issue's scale to 10 decimals).
pub(crate) fn trace_csv(run: &SmpRun) -> Result<String, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["actor".to_owned(), "dim".to_owned()];
    header.extend((0..run.states.len()).map(|t| format!("t{t}")));
    writer.write_record(&header).context("CSV")?;
    for (a, actor) in run.actors.iter().enumerate() {
        for (k, dim) in run.dimensions.iter().enumerate() {
            let mut record = vec![actor.clone(), dim.label.clone()];
            record.extend(run.path(a, k).iter().map(|&x| decimal(x)));
            writer.write_record(&record).context("CSV")?;
        }
    }
    Ok(String::from_utf8(writer.into_inner().context("CSV")?).context("CSV is UTF-8")?)
}

/// The final distribution over distinct positions, then the path of the turns.
pub(crate) fn tables(run: &SmpRun) -> String {
    let mut out = String::from("\nSMP: the outcome's distribution after the last turn\n");
    let mut table = new_table();
    let mut header = vec![Cell::new("Probability")];
    header.extend(run.dimensions.iter().map(|d| Cell::new(&d.label)));
    header.push(Cell::new("Held by"));
    table.set_header(header);
    let mut distribution: Vec<_> = run.last().distribution.iter().collect();
    distribution.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    for d in distribution {
        let mut row =
            vec![Cell::new(format!("{:.3}", d.probability)).set_alignment(CellAlignment::Right)];
        row.extend(
            d.position
                .iter()
                .map(|&x| Cell::new(fmt_value(x)).set_alignment(CellAlignment::Right)),
        );
        let holders: Vec<&str> = d.actors.iter().map(|&a| run.actors[a].as_str()).collect();
        row.push(Cell::new(holders.join(", ")));
        table.add_row(row);
    }
    out.push_str(&table.to_string());
    out.push_str("\n\nSMP: the path of the turns (probability-weighted position per issue)\n");
    let mut table = new_table();
    let mut header = vec![Cell::new("Turn")];
    header.extend(run.dimensions.iter().map(|d| Cell::new(&d.label)));
    header.extend(["Top p", "Positions", "Bargains", "Moved"].map(Cell::new));
    table.set_header(header);
    for (t, state) in run.states.iter().enumerate() {
        let mut row = vec![Cell::new(t).set_alignment(CellAlignment::Right)];
        for k in 0..run.dimensions.len() {
            let expected: f64 = state
                .distribution
                .iter()
                .map(|d| d.probability * d.position[k])
                .sum();
            row.push(Cell::new(fmt_value(expected)).set_alignment(CellAlignment::Right));
        }
        let top = state
            .distribution
            .iter()
            .map(|d| d.probability)
            .fold(0.0, f64::max);
        row.push(Cell::new(format!("{top:.3}")).set_alignment(CellAlignment::Right));
        row.push(Cell::new(state.distribution.len()).set_alignment(CellAlignment::Right));
        let (bargains, moved) = match t.checked_sub(1).map(|i| &run.turns[i]) {
            Some(turn) => {
                let moved = (0..run.actors.len())
                    .filter(|&a| run.states[t - 1].positions[a] != state.positions[a])
                    .count();
                (turn.bargains.len().to_string(), moved.to_string())
            }
            None => ("-".into(), "-".into()),
        };
        row.push(Cell::new(bargains).set_alignment(CellAlignment::Right));
        row.push(Cell::new(moved).set_alignment(CellAlignment::Right));
        table.add_row(row);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out.push_str(&format!("{}.\n", smp::describe_ending(&run.ending)));
    out
}

/// The narration of the turns.
pub(crate) fn explain(run: &SmpRun) -> String {
    let mut out = String::from("\n");
    for line in smp::narrate(run) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
