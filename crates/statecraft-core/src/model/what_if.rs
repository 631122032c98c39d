//! What-ifs: a scenario with some values set or some actors dropped, validated again, so that any
//! analysis can be run on it and compared with the original.

use super::error::ScenarioErrors;
use super::scenario::{Scenario, ValueRef};

/// One change to a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
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
}

impl Scenario {
    /// The scenario with `changes` applied in order, validated again (a dropped actor may leave
    /// an issue with one position; a new position may fall outside the scale).
    ///
    /// Actor indices in later changes refer to the original scenario, so drops are applied last.
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
                Change::Set { .. } => None,
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
        Scenario::new(parts)
    }
}
