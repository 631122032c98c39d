//! The SMP's turns in plain words: who offered whom a bargain, who moved where, and how the
//! most probable outcome shifted.
//!
//! The words describe [`SmpRun`](super::SmpRun) only; the equations are in `mod.rs` and
//! `turn.rs` (KTAB's SMP, `../shared/docs/models/ktab-smp.md`).

use super::{describe_ending, SmpRun, SmpState};

use crate::text::{number as num, on_scale};

/// A value on issue `k`, at the precision of its scale.
fn value(run: &SmpRun, k: usize, x: f64) -> String {
    on_scale(x, run.dimensions[k].scale.range())
}

/// A point: `42` on one issue, `nuclear_status 5, sanctions 40` on several (issues by id).
fn point(run: &SmpRun, values: &[f64]) -> String {
    if values.len() == 1 {
        return value(run, 0, values[0]);
    }
    let parts: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(k, &v)| format!("{} {}", run.dimensions[k].id, value(run, k, v)))
        .collect();
    parts.join(", ")
}

/// "A, B and C".
fn names(run: &SmpRun, actors: &[usize]) -> String {
    let list: Vec<&str> = actors.iter().map(|&a| run.actors[a].as_str()).collect();
    match list.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn leader(run: &SmpRun, state: &SmpState) -> String {
    let best = state
        .distribution
        .iter()
        .enumerate()
        .fold(0, |best, (u, d)| {
            if d.probability > state.distribution[best].probability {
                u
            } else {
                best
            }
        });
    let d = &state.distribution[best];
    format!(
        "the most probable position is {} (p = {}), held by {}; {} distinct positions",
        point(run, &d.position),
        num(d.probability),
        names(run, &d.actors),
        state.distribution.len()
    )
}

/// One paragraph for the start, one per turn, then how the run ended and the forecast.
pub fn narrate(run: &SmpRun) -> Vec<String> {
    let dims: Vec<&str> = run.dimensions.iter().map(|d| d.label.as_str()).collect();
    let mut lines = vec![format!(
        "SMP over {} ({} actors): at the start {}.",
        dims.join(", "),
        run.actors.len(),
        leader(run, &run.states[0])
    )];
    for turn in &run.turns {
        let before = &run.states[turn.turn - 1];
        let after = &run.states[turn.turn];
        let offers: Vec<String> = turn
            .bargains
            .iter()
            .filter(|b| b.perspective == b.initiator)
            .map(|b| {
                format!(
                    "{} to {} (odds {})",
                    run.actors[b.initiator],
                    run.actors[b.receiver],
                    num(b.win_probability)
                )
            })
            .collect();
        let mut moves = Vec::new();
        for (a, queue) in turn.queues.iter().enumerate() {
            let Some(b) = queue.accepted else { continue };
            if before.positions[a] == after.positions[a] {
                continue;
            }
            let bargain = &turn.bargains[b];
            let partner = if bargain.initiator == a {
                format!("its own offer to {}", run.actors[bargain.receiver])
            } else {
                format!("{}'s offer", run.actors[bargain.initiator])
            };
            let changed: Vec<usize> = (0..run.dimensions.len())
                .filter(|&k| before.positions[a][k] != after.positions[a][k])
                .collect();
            let step = |k: usize| {
                format!(
                    "{} -> {}",
                    value(run, k, before.positions[a][k]),
                    value(run, k, after.positions[a][k])
                )
            };
            if run.dimensions.len() == 1 {
                moves.push(format!("  {} moves {} ({partner})", run.actors[a], step(0)));
            } else {
                moves.push(format!("  {} moves ({partner}):", run.actors[a]));
                moves.extend(
                    changed
                        .iter()
                        .map(|&k| format!("    {}: {}", run.dimensions[k].label, step(k))),
                );
            }
        }
        let offered = if offers.is_empty() {
            "nobody expects to gain from a challenge".to_owned()
        } else {
            format!("offers from {}", offers.join(", "))
        };
        lines.push(format!("Turn {}: {offered}.", turn.turn));
        if moves.is_empty() {
            lines.push("  No one moves.".to_owned());
        }
        lines.extend(moves);
        lines.push(format!("  Now {}.", leader(run, after)));
    }
    let ending = describe_ending(&run.ending);
    let mut first = ending.chars();
    let ending = first.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + first.as_str()
    });
    let forecast: Vec<String> = run
        .forecast
        .iter()
        .zip(&run.dimensions)
        .map(|(f, d)| {
            let span = d.scale.range();
            format!(
                "{}: {} (most probable {})",
                d.label,
                on_scale(f.expected, span),
                on_scale(f.most_probable, span)
            )
        })
        .collect();
    lines.push(format!(
        "{ending}. Forecast (probability-weighted): {}.",
        forecast.join("; ")
    ));
    lines
}
