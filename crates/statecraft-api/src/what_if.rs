//! What-ifs: `set`, `drop` and `add_actor`, written as on the command line
//! (`US.capability=80`, `Russia`, `EU:30:sanctions=60@0.4`), read against the scenario's ids
//! and applied to it (the changed scenario is validated again).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::{
    Actor, Change, ChangeError, Locus, PathError, PathValue, Scenario, ScenarioError, Stance,
};
use statecraft_io::Loaded;

use crate::context::NoteLog;
use crate::error::ApiError;

/// Changes to a scenario, applied in order: every `set`, then every `drop`, then every
/// `add_actor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// `PATH=VALUE`: any value of the scenario by its path (`ACTOR.ISSUE.position=V`,
    /// `ACTOR.capability=V`, `ACTOR.domestic.1.turnover=V`, `issues.ISSUE.status_quo=V`, ...;
    /// docs/scenario-format.md lists every path).
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

/// How to write a `--set`, for its messages.
const SET_USAGE: &str = "write --set ACTOR.ISSUE.position=VALUE, ACTOR.capability=VALUE, \
ACTOR.domestic.1.turnover=VALUE, issues.ISSUE.status_quo=VALUE or another path of \
docs/scenario-format.md (\"Paths\")";

/// The first part of the paths that are not an actor's.
const SCENARIO_PREFIXES: [&str; 5] = ["scenario", "issues", "forms", "agreement", "observations"];

/// `PATH=VALUE`: any value of the scenario by its path, with the value it is set to (checked
/// against what the path holds; the changed scenario is validated later).
fn parse_set(scenario: &Scenario, text: &str) -> Result<(Change, PathValue), ApiError> {
    let Some((path, value)) = text.split_once('=') else {
        return Err(refuse(&format!("--set `{text}` has no `=`"), SET_USAGE));
    };
    let what = format!("--set `{text}`");
    let found = match scenario.resolve(path) {
        Ok(found) => found,
        Err(PathError::Ambiguous { candidates, .. }) => {
            return Err(refuse(
                &format!("{what} is ambiguous: its list has more than one entry"),
                &format!("name the entry: {}", candidates.join(" or ")),
            ))
        }
        Err(_) => return Err(unknown_path(scenario, path.trim(), &what)),
    };
    let change = Change::Set {
        path: found.path.clone(),
        to: value.trim().to_owned(),
    };
    if let Err(ChangeError::Path(PathError::BadValue { kind, .. })) =
        scenario.changed(std::slice::from_ref(&change))
    {
        return Err(refuse(
            &format!("{what}: `{}` is not {}", value.trim(), kind.expected()),
            &format!("`{}` holds {}", found.path, kind.expected()),
        ));
    }
    Ok((change, found))
}

/// Why `path` names no value: an unknown actor or issue, a stance the actor does not take, or
/// a path that is not one of the scenario's.
fn unknown_path(scenario: &Scenario, path: &str, what: &str) -> ApiError {
    let parts: Vec<&str> = path.split('.').collect();
    let first = parts[0];
    let actor_index = scenario.actor_index(first);
    if actor_index.is_none() && !SCENARIO_PREFIXES.contains(&first) {
        if let Err(error) = actor(scenario, first, what) {
            return error;
        }
    }
    if let (Some(a), [_, issue, "position" | "salience" | "fallback"]) = (actor_index, &parts[..]) {
        match scenario.issue_index(issue) {
            None => {
                let ids: Vec<&str> = scenario.issues().iter().map(|i| i.id.as_str()).collect();
                return refuse(
                    &format!("{what} names issue `{issue}`, which the scenario does not define"),
                    &statecraft_io::unknown_name_help(issue, &ids, "issues"),
                );
            }
            Some(i) if scenario.stance(a, i).is_none() => {
                return refuse(
                    &format!("{what}: actor `{first}` takes no position on `{issue}`"),
                    "a what-if changes an existing stance; add the stance to the scenario file",
                );
            }
            Some(_) => {}
        }
    }
    let paths: Vec<String> = scenario.values().into_iter().map(|v| v.path).collect();
    let help = match statecraft_io::did_you_mean(path, paths.iter().map(String::as_str)) {
        Some(guess) => format!("{SET_USAGE}; did you mean `{guess}`?"),
        None => SET_USAGE.to_owned(),
    };
    refuse(&format!("{what} is not a value of the scenario"), &help)
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
    let mut set = Vec::new();
    for text in &what_if.set {
        let (change, value) = parse_set(scenario, text)?;
        changes.push(change);
        set.push((text, value));
    }
    for id in &what_if.drop {
        changes.push(Change::Drop {
            actor: actor(scenario, id, "--drop")?,
        });
    }
    for spec in &what_if.add_actor {
        changes.push(parse_add(scenario, spec)?);
    }
    let errors = match scenario.changed(&changes) {
        Ok(changed) => return Ok(Some(changed)),
        Err(ChangeError::Invalid(errors)) => errors,
        Err(ChangeError::Path(error)) => return Err(refuse(&error.to_string(), SET_USAGE)),
    };
    let mut problems = errors.0.iter().map(|e| {
        let help = statecraft_io::help_for(&e.kind)
            .unwrap_or_else(|| "change or remove that what-if".into());
        let message = match cause(e, &set) {
            Some(text) => format!("with the what-ifs, --set `{text}`: {e}"),
            None => format!("with the what-ifs, {e}"),
        };
        crate::error::ProblemData::message(message)
            .with_help(help)
            .at_field("what_if")
    });
    let first = problems.next().expect("a failed change has a problem");
    let mut error = ApiError::bad_input(first);
    error.problems.extend(problems);
    Err(error)
}

/// The `--set` that made the value at fault what it is, if one did: one that set that value (or
/// one inside it, or the entry holding it), else one that set a value of the same entry (a
/// scale's min set above its max is reported at the max).
fn cause<'a>(error: &ScenarioError, set: &[(&'a String, PathValue)]) -> Option<&'a str> {
    let at = error.locus;
    let broad = matches!(at, Locus::Scenario(_));
    let same = |value: Locus| at.within(value) || (!broad && value.within(at));
    let beside = |value: Locus| {
        value
            .parent()
            .filter(|entry| !matches!(entry, Locus::Scenario(_) | Locus::Actor { .. }))
            .is_some_and(|entry| at.within(entry))
    };
    set.iter()
        .find(|(_, value)| same(value.locus))
        .or_else(|| set.iter().find(|(_, value)| beside(value.locus)))
        .map(|(text, _)| text.as_str())
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
