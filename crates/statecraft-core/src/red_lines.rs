//! Which actors' red lines a forecast or a package falls inside, so that every output can say so:
//! a model may land where an actor has said it will never agree, and a reader must be told.
//!
//! A red line refuses the closed range `min..=max` ([`RedLine::refuses`]): both of its edges are
//! inside it. A value on an edge is therefore flagged, and a range of acceptable values that
//! stops at a red line stops just short of its edge ([`edge_beside`] says which line it is).

use serde::{Deserialize, Serialize};

use crate::models::Forecast;
use crate::scenario::{RedLine, Scenario};

/// A value that falls inside one actor's red line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RedLineFlag {
    /// The actor whose red line it is.
    pub actor: String,
    /// The issue's id.
    pub issue: String,
    /// The refused range's lower edge.
    pub min: f64,
    /// The refused range's upper edge.
    pub max: f64,
    /// Whether `min` itself is refused (always: red lines are closed ranges).
    pub min_included: bool,
    /// Whether `max` itself is refused (always: red lines are closed ranges).
    pub max_included: bool,
    /// The actor's reason, if the scenario gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RedLineFlag {
    fn new(actor: &str, issue: &str, line: &RedLine) -> Self {
        Self {
            actor: actor.to_owned(),
            issue: issue.to_owned(),
            min: line.min,
            max: line.max,
            min_included: true,
            max_included: true,
            note: line.note.clone(),
        }
    }

    /// The line in words, its issue left to the context: `DPRK's red line 0..=10`.
    pub fn describe(&self) -> String {
        format!(
            "{}'s red line {}..={}",
            self.actor,
            crate::text::number(self.min),
            crate::text::number(self.max),
        )
    }
}

/// The red lines (of every actor, in actor order) that `value` on issue `issue` falls inside.
pub fn at_point(scenario: &Scenario, issue: usize, value: f64) -> Vec<RedLineFlag> {
    let id = &scenario.issues()[issue].id;
    scenario
        .actors()
        .iter()
        .flat_map(|actor| {
            actor
                .red_lines
                .iter()
                .filter(move |l| l.issue == issue && l.refuses(value))
                .map(move |l| RedLineFlag::new(&actor.id, id, l))
        })
        .collect()
}

/// The red lines that a package (one value per issue, in issue order) falls inside, issue by
/// issue: `result[k]` holds those of issue `k`.
pub fn in_package(scenario: &Scenario, values: &[f64]) -> Vec<Vec<RedLineFlag>> {
    values
        .iter()
        .enumerate()
        .map(|(k, &v)| at_point(scenario, k, v))
        .collect()
}

/// Sets the red-line flags of every issue of `forecast` (a model's forecast of `scenario`).
pub fn flag_forecast(scenario: &Scenario, forecast: &mut Forecast) {
    for f in &mut forecast.issues {
        f.red_lines = match (scenario.issue_index(&f.issue), f.value) {
            (Some(k), Some(v)) => at_point(scenario, k, v),
            _ => Vec::new(),
        };
    }
}

/// The red line whose edge lies within `tolerance` of `value` on issue `issue` while `value`
/// itself is outside it: the line a range of acceptable values ends against (the edge itself is
/// refused).
pub fn edge_beside(
    scenario: &Scenario,
    issue: usize,
    value: f64,
    tolerance: f64,
) -> Option<RedLineFlag> {
    let id = &scenario.issues()[issue].id;
    scenario.actors().iter().find_map(|actor| {
        actor
            .red_lines
            .iter()
            .filter(|l| l.issue == issue && !l.refuses(value))
            .find(|l| (value - l.min).abs() <= tolerance || (value - l.max).abs() <= tolerance)
            .map(|l| RedLineFlag::new(&actor.id, id, l))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Actor, Issue, Scale, ScenarioParts, Stance};

    /// Two actors on one 0..100 issue; B refuses 0..=10 and A refuses 80..=100.
    fn scenario() -> Scenario {
        let mut a = Actor::new("A", 60.0);
        a.red_lines.push(RedLine {
            issue: 0,
            min: 80.0,
            max: 100.0,
            note: None,
        });
        let mut b = Actor::new("B", 40.0);
        b.red_lines.push(RedLine {
            issue: 0,
            min: 0.0,
            max: 10.0,
            note: Some("no climb-down".into()),
        });
        Scenario::new(ScenarioParts {
            actors: vec![a, b],
            issues: vec![Issue::new("x", Scale::new(0.0, 100.0))],
            stances: vec![
                vec![Some(Stance::new(40.0, 0.5))],
                vec![Some(Stance::new(60.0, 0.5))],
            ],
            ..ScenarioParts::default()
        })
        .expect("a valid scenario")
    }

    #[test]
    fn a_point_is_flagged_inside_a_line_and_on_both_edges_only() {
        let s = scenario();
        let cases: [(f64, &[&str]); 7] = [
            (0.0, &["B"]),
            (5.0, &["B"]),
            (10.0, &["B"]),
            (10.000001, &[]),
            (50.0, &[]),
            (80.0, &["A"]),
            (100.0, &["A"]),
        ];
        for (value, actors) in cases {
            let flags = at_point(&s, 0, value);
            let got: Vec<&str> = flags.iter().map(|f| f.actor.as_str()).collect();
            assert_eq!(got, actors, "value {value}");
            assert!(flags.iter().all(|f| f.min_included && f.max_included));
        }
        let flag = &at_point(&s, 0, 3.0)[0];
        assert_eq!((flag.min, flag.max), (0.0, 10.0));
        assert_eq!(flag.note.as_deref(), Some("no climb-down"));
        assert_eq!(flag.describe(), "B's red line 0..=10");
    }

    #[test]
    fn a_package_is_flagged_issue_by_issue() {
        let s = scenario();
        assert_eq!(in_package(&s, &[90.0])[0][0].actor, "A");
        assert!(in_package(&s, &[50.0])[0].is_empty());
    }

    #[test]
    fn a_range_ending_just_short_of_an_edge_names_the_line() {
        let s = scenario();
        let line = edge_beside(&s, 0, 80.0 - 1e-7, 1e-6).expect("A's line is beside");
        assert_eq!(line.actor, "A");
        assert!(edge_beside(&s, 0, 50.0, 1e-6).is_none());
        // On the edge is inside, not beside.
        assert!(edge_beside(&s, 0, 80.0, 1e-6).is_none());
    }
}
