//! What-ifs: `set`, `drop` and `add_actor`, written as on the command line
//! (`US.capability=80`, `Russia`, `EU:30:sanctions=60@0.4`), read against the scenario's ids
//! and applied to it (the changed scenario is validated again).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::{Actor, Change, Scenario, Stance, ValueRef};
use statecraft_io::Loaded;

use crate::context::NoteLog;
use crate::error::ApiError;

/// Changes to a scenario, applied in order: every `set`, then every `drop`, then every
/// `add_actor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// `ACTOR.ISSUE.position=V`, `ACTOR.ISSUE.salience=V` or `ACTOR.capability=V`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// Actors to leave out, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drop: Vec<String>,
    /// Actors to add: `ID:CAPABILITY:ISSUE=POSITION@SALIENCE,...`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_actor: Vec<String>,
}

impl WhatIf {
    /// Whether there is no change at all.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.drop.is_empty() && self.add_actor.is_empty()
    }

    /// The what-ifs in words, for headings: `--set US.capability=90, --drop Russia`.
    pub fn describe(&self) -> String {
        self.set
            .iter()
            .map(|s| format!("--set {s}"))
            .chain(self.drop.iter().map(|d| format!("--drop {d}")))
            .chain(self.add_actor.iter().map(|a| format!("--add-actor {a}")))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The problem with a what-if and its help.
fn refuse(message: &str, help: &str) -> ApiError {
    ApiError::usage(message, help).at_field("what_if")
}

fn actor(scenario: &Scenario, id: &str, what: &str) -> Result<usize, ApiError> {
    scenario.actor_index(id).ok_or_else(|| {
        let ids: Vec<&str> = scenario.actors().iter().map(|a| a.id.as_str()).collect();
        let help = statecraft_io::unknown_name_help(id, &ids, "actors");
        refuse(
            &format!("{what} names actor `{id}`, which the scenario does not define"),
            &help,
        )
    })
}

/// `ACTOR.ISSUE.position=V`, `ACTOR.ISSUE.salience=V` or `ACTOR.capability=V`.
fn parse_set(scenario: &Scenario, text: &str) -> Result<Change, ApiError> {
    let usage = "write --set ACTOR.ISSUE.position=VALUE, ACTOR.ISSUE.salience=VALUE or ACTOR.capability=VALUE";
    let Some((path, value)) = text.split_once('=') else {
        return Err(refuse(&format!("--set `{text}` has no `=`"), usage));
    };
    let Ok(to) = value.trim().parse::<f64>() else {
        return Err(refuse(
            &format!("--set `{text}`: `{value}` is not a number"),
            usage,
        ));
    };
    let parts: Vec<&str> = path.trim().split('.').collect();
    let what = format!("--set `{text}`");
    let value = match parts[..] {
        [a, "capability"] => ValueRef::Capability {
            actor: actor(scenario, a, &what)?,
        },
        [a, issue, field @ ("position" | "salience")] => {
            let actor = actor(scenario, a, &what)?;
            let Some(issue) = scenario.issue_index(issue) else {
                let ids: Vec<&str> = scenario.issues().iter().map(|i| i.id.as_str()).collect();
                return Err(refuse(
                    &format!("{what} names issue `{issue}`, which the scenario does not define"),
                    &statecraft_io::unknown_name_help(issue, &ids, "issues"),
                ));
            };
            if scenario.stance(actor, issue).is_none() {
                return Err(refuse(
                    &format!(
                        "{what}: actor `{a}` takes no position on `{}`",
                        scenario.issues()[issue].id
                    ),
                    "a what-if changes an existing stance; add the stance to the scenario file",
                ));
            }
            if field == "position" {
                ValueRef::Position { actor, issue }
            } else {
                ValueRef::Salience { actor, issue }
            }
        }
        _ => {
            return Err(refuse(
                &format!("{what} is not a value of the scenario"),
                usage,
            ))
        }
    };
    Ok(Change::Set { value, to })
}

/// `ID:CAPABILITY:ISSUE=POSITION@SALIENCE,...`: a new actor and its stances.
fn parse_add(scenario: &Scenario, text: &str) -> Result<Change, ApiError> {
    let usage =
        "write --add-actor ID:CAPABILITY:ISSUE=POSITION@SALIENCE,..., e.g. EU:30:sanctions=60@0.4";
    let what = format!("--add-actor `{text}`");
    let mut fields = text.splitn(3, ':');
    let (Some(id), Some(capability)) = (fields.next(), fields.next()) else {
        return Err(refuse(
            &format!("{what} needs at least ID:CAPABILITY"),
            usage,
        ));
    };
    let Ok(capability) = capability.trim().parse::<f64>() else {
        return Err(refuse(
            &format!("{what}: capability `{capability}` is not a number"),
            usage,
        ));
    };
    let mut stances = vec![None; scenario.issues().len()];
    for stance in fields
        .next()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.trim().is_empty())
    {
        let parsed = stance.split_once('=').and_then(|(issue, rest)| {
            let (position, salience) = rest.split_once('@')?;
            Some((
                issue.trim(),
                position.trim().parse::<f64>().ok()?,
                salience.trim().parse::<f64>().ok()?,
            ))
        });
        let Some((issue, position, salience)) = parsed else {
            return Err(refuse(
                &format!("{what}: `{stance}` is not ISSUE=POSITION@SALIENCE"),
                usage,
            ));
        };
        let Some(k) = scenario.issue_index(issue) else {
            let ids: Vec<&str> = scenario.issues().iter().map(|i| i.id.as_str()).collect();
            return Err(refuse(
                &format!("{what} names issue `{issue}`, which the scenario does not define"),
                &statecraft_io::unknown_name_help(issue, &ids, "issues"),
            ));
        };
        stances[k] = Some(Stance::new(position, salience));
    }
    Ok(Change::Add {
        actor: Box::new(Actor::new(id.trim(), capability)),
        stances,
    })
}

/// The scenario with the what-ifs applied, or `None` when there are none.
pub(crate) fn apply(scenario: &Scenario, what_if: &WhatIf) -> Result<Option<Scenario>, ApiError> {
    if what_if.is_empty() {
        return Ok(None);
    }
    let mut changes = Vec::new();
    for text in &what_if.set {
        changes.push(parse_set(scenario, text)?);
    }
    for id in &what_if.drop {
        changes.push(Change::Drop {
            actor: actor(scenario, id, "--drop")?,
        });
    }
    for spec in &what_if.add_actor {
        changes.push(parse_add(scenario, spec)?);
    }
    scenario.changed(&changes).map(Some).map_err(|errors| {
        let mut problems = errors.0.iter().map(|e| {
            let help = statecraft_io::help_for(&e.kind)
                .unwrap_or_else(|| "change or remove that what-if".into());
            crate::error::ProblemData::message(format!("with the what-ifs, {e}"))
                .with_help(help)
                .at_field("what_if")
        });
        let first = problems.next().expect("a failed change has a problem");
        let mut error = ApiError::bad_input(first);
        error.problems.extend(problems);
        error
    })
}

/// The loaded scenario with the what-ifs applied, noting that they were.
pub(crate) fn load_changed(
    loaded: &Loaded,
    what_if: &WhatIf,
    notes: &NoteLog,
) -> Result<Scenario, ApiError> {
    match apply(&loaded.scenario, what_if)? {
        Some(changed) => {
            notes.note(format!("with the what-ifs {}", what_if.describe()));
            Ok(changed)
        }
        None => Ok(loaded.scenario.clone()),
    }
}
