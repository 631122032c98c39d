//! What-ifs: a scenario with some values set or some actors dropped, validated again, so that any
//! analysis can be run on it and compared with the original.

use super::error::ScenarioErrors;
use super::types::{Actor, ObservationKind, Scenario, Stance, ValueRef};

/// One change to a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Set a position, salience or capability (the actor must take a position on the issue).
    Set {
        /// Which value.
        value: ValueRef,
        /// Its new value.
        to: f64,
    },
    /// Remove an actor, with its stances, and the affinities and costs that name it.
    Drop {
        /// Actor index in the original scenario.
        actor: usize,
    },
    /// Add an actor with its stances (one per issue, `None` where it takes no position).
    Add {
        /// The new actor.
        actor: Box<Actor>,
        /// Its stances, in issue order.
        stances: Vec<Option<Stance>>,
    },
}

impl Scenario {
    /// The scenario with `changes` applied in order, validated again (a dropped actor may leave
    /// an issue with one position; a new position may fall outside the scale).
    ///
    /// Actor indices refer to the original scenario: values are set first, then actors dropped,
    /// then new ones added at the end.
    pub fn changed(&self, changes: &[Change]) -> Result<Scenario, ScenarioErrors> {
        let mut parts = self.parts().clone();
        for change in changes {
            if let Change::Set { value, to } = *change {
                match value {
                    ValueRef::Position { actor, issue } => {
                        if let Some(s) = parts.stances[actor][issue].as_mut() {
                            s.position = to;
                            s.position_uncertainty = None;
                        }
                    }
                    ValueRef::Salience { actor, issue } => {
                        if let Some(s) = parts.stances[actor][issue].as_mut() {
                            s.salience = to;
                            s.salience_uncertainty = None;
                        }
                    }
                    ValueRef::Capability { actor } => {
                        parts.actors[actor].capability = to;
                        parts.actors[actor].capability_uncertainty = None;
                    }
                }
            }
        }
        let mut dropped: Vec<usize> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Drop { actor } => Some(*actor),
                _ => None,
            })
            .collect();
        dropped.sort_unstable();
        dropped.dedup();
        // New index of each original actor, or None when dropped.
        let mut kept = 0;
        let new_index: Vec<Option<usize>> = (0..parts.actors.len())
            .map(|a| {
                if dropped.binary_search(&a).is_ok() {
                    None
                } else {
                    kept += 1;
                    Some(kept - 1)
                }
            })
            .collect();
        for &a in dropped.iter().rev() {
            parts.actors.remove(a);
            parts.stances.remove(a);
        }
        for actor in &mut parts.actors {
            actor.affinity = actor
                .affinity
                .iter()
                .filter_map(|&(b, share)| new_index[b].map(|b| (b, share)))
                .collect();
        }
        for form in &mut parts.forms {
            form.actor_costs = form
                .actor_costs
                .iter()
                .filter_map(|&(b, cost)| new_index[b].map(|b| (b, cost)))
                .collect();
        }
        // A dropped controller no longer carries its issues; an issue whose every controller is
        // dropped is left to every remaining actor (the default of an issue naming none).
        for issue in &mut parts.issues {
            issue.controlled_by = issue
                .controlled_by
                .iter()
                .filter_map(|&b| new_index[b])
                .collect();
        }
        // A dropped actor's answers and statements go with it; a decision nobody else answered
        // goes too.
        parts.observations.retain_mut(|o| match &mut o.kind {
            ObservationKind::Decision(d) => {
                d.responses = d
                    .responses
                    .iter()
                    .filter_map(|&(a, accepted)| new_index[a].map(|a| (a, accepted)))
                    .collect();
                !d.responses.is_empty()
            }
            ObservationKind::Statement(s) => match new_index[s.actor] {
                Some(a) => {
                    s.actor = a;
                    true
                }
                None => false,
            },
        });
        for change in changes {
            if let Change::Add { actor, stances } = change {
                parts.actors.push((**actor).clone());
                parts.stances.push(stances.clone());
            }
        }
        Scenario::new(parts)
    }
}
