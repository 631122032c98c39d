//! The expected-utility model's rounds in plain words: who pressed whom, who gave way, and how far.

use super::{describe_ending, BdmRun, OfferKind};

use crate::text::on_scale;

/// One paragraph per round, then how the run ended, for the issue called `issue_label`.
pub fn narrate(run: &BdmRun, issue_label: &str) -> Vec<String> {
    let name = |k: usize| run.actors[k].as_str();
    let num = |x: f64| on_scale(x, run.position_range);
    let mut lines = vec![format!(
        "{issue_label}: at the start the median position is {} and the weighted mean {}.",
        num(run.initial_median),
        num(run.initial_mean)
    )];
    for round in &run.rounds {
        let mut moves = Vec::new();
        for (i, actor) in round.actors.iter().enumerate() {
            let Some(offer) = actor.offer else { continue };
            let (who, from, to) = (name(i), num(actor.x_before), num(offer.to));
            let pressed_by = name(offer.from);
            moves.push(match offer.kind {
                OfferKind::Confrontation => format!(
                    "{pressed_by} presses {who}; {who}, expecting to lose a confrontation, gives in and moves from {from} to {to}"
                ),
                OfferKind::Compromise => format!(
                    "{pressed_by} presses {who}; {who}, expecting to lose, compromises from {from} to {to}"
                ),
                OfferKind::Capitulation => format!(
                    "{pressed_by} presses {who}; {who}, expecting to lose more than {pressed_by} would gain, capitulates from {from} to {to}"
                ),
            });
        }
        let body = if moves.is_empty() {
            "nobody expects to gain from pressing anyone; no one moves".to_owned()
        } else {
            moves.join("; ")
        };
        lines.push(format!(
            "Round {}: {body}. Median now {}, mean {}.",
            round.round,
            num(round.median),
            num(round.mean)
        ));
    }
    let ending = describe_ending(&run.ending, run.position_range);
    let mut first = ending.chars();
    let ending = first.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + first.as_str()
    });
    lines.push(format!(
        "{ending}. Forecast (median): {}; weighted mean {}.",
        num(run.median()),
        num(run.mean())
    ));
    lines
}
