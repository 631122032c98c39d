//! `--set` and `--drop`: what-ifs given on the command line, read against the scenario's ids and
//! applied to it (the changed scenario is validated again).

use std::io::Write;

use statecraft_core::model::{Actor, Change, Scenario, Stance, ValueRef};

use crate::cli::WhatIfArgs;
use crate::Failure;

/// Prints the problem with a what-if and its help; the caller exits with code 2.
fn refuse(message: &str, help: &str) -> Failure {
    let _ = writeln!(std::io::stderr(), "error: {message}\n  help: {help}");
    Failure::BadInput
}

fn actor(scenario: &Scenario, id: &str, what: &str) -> Result<usize, Failure> {
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
fn parse_set(scenario: &Scenario, text: &str) -> Result<Change, Failure> {
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
fn parse_add(scenario: &Scenario, text: &str) -> Result<Change, Failure> {
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
pub(crate) fn apply(scenario: &Scenario, args: &WhatIfArgs) -> Result<Option<Scenario>, Failure> {
    if args.set.is_empty() && args.drop.is_empty() && args.add_actor.is_empty() {
        return Ok(None);
    }
    let mut changes = Vec::new();
    for text in &args.set {
        changes.push(parse_set(scenario, text)?);
    }
    for id in &args.drop {
        changes.push(Change::Drop {
            actor: actor(scenario, id, "--drop")?,
        });
    }
    for spec in &args.add_actor {
        changes.push(parse_add(scenario, spec)?);
    }
    match scenario.changed(&changes) {
        Ok(changed) => Ok(Some(changed)),
        Err(errors) => {
            for e in &errors.0 {
                let help = statecraft_io::help_for(&e.kind)
                    .unwrap_or_else(|| "change or remove that what-if".into());
                let _ = writeln!(
                    std::io::stderr(),
                    "error: with the what-ifs, {e}\n  help: {help}"
                );
            }
            Err(Failure::BadInput)
        }
    }
}

/// Loads the scenario `spec` (the built-in one when `None`) with the what-ifs applied, saying
/// on stderr that they were.
pub(crate) fn load_changed(
    spec: Option<&str>,
    from: Option<&str>,
    args: &WhatIfArgs,
) -> Result<Scenario, Failure> {
    let loaded = crate::commands::load(spec.unwrap_or(crate::commands::DEFAULT_SCENARIO), from)?;
    match apply(&loaded.scenario, args)? {
        Some(changed) => {
            let _ = writeln!(
                std::io::stderr(),
                "note: with the what-ifs {}",
                describe(args)
            );
            Ok(changed)
        }
        None => Ok(loaded.scenario),
    }
}

/// The what-ifs in words, for headings: `--set US.capability=90, --drop Russia`.
pub(crate) fn describe(args: &WhatIfArgs) -> String {
    args.set
        .iter()
        .map(|s| format!("--set {s}"))
        .chain(args.drop.iter().map(|d| format!("--drop {d}")))
        .chain(args.add_actor.iter().map(|a| format!("--add-actor {a}")))
        .collect::<Vec<_>>()
        .join(", ")
}
