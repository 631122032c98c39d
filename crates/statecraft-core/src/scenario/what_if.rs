//! What-ifs: a scenario with some values set or some actors dropped, validated again, so that any
//! analysis can be run on it and compared with the original.

use super::error::ScenarioErrors;
use super::paths::{self, PathError};
use super::types::{Actor, ObservationKind, Scenario, Stance};

/// One change to a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Set any value of the scenario by its path (see [`Scenario::values`]), to a value written
    /// as text (`0.5`, `none`, `normal(50, 5)`, `2012-11-06`).
    Set {
        /// Which value: a path as [`Scenario::resolve`] reads it.
        path: String,
        /// Its new value.
        to: String,
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
    pub fn changed(&self, changes: &[Change]) -> Result<Scenario, ChangeError> {
        let mut parts = self.parts().clone();
        for change in changes {
            if let Change::Set { path, to } = change {
                let value = self.resolve(path)?;
                paths::set(&mut parts, &value.path, to)?;
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
        Ok(Scenario::new(parts)?)
    }
}

/// Why a what-if could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChangeError {
    /// A path that names no value, or a value that is not of its kind.
    #[error(transparent)]
    Path(#[from] PathError),
    /// The changed scenario breaks a rule of the file.
    #[error("{0}")]
    Invalid(#[from] ScenarioErrors),
}
