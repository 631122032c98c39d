//! The spatial model printed: its distribution, its path of turns, its trace
//! (`actor,dim,t0,t1,...`, as KTAB's parity files) and its narration.

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use statecraft_core::models::smp::{self, SmpRun};

use super::{new_table, on_scale};
use crate::Failure;

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
/// id, the label, positions on the scale to 10 decimals).
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
        row.extend(d.position.iter().zip(&run.dimensions).map(|(&x, dim)| {
            Cell::new(on_scale(x, dim.scale.range())).set_alignment(CellAlignment::Right)
        }));
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
            let span = run.dimensions[k].scale.range();
            row.push(Cell::new(on_scale(expected, span)).set_alignment(CellAlignment::Right));
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
