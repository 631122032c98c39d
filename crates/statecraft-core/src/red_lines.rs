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

/// Every red line of the scenario, in actor order then each actor's order: the lines a report
/// lists among its inputs.
pub fn all(scenario: &Scenario) -> Vec<RedLineFlag> {
    flags(scenario, |_| true)
}

/// The red lines (of every actor, in actor order) that `value` on issue `issue` falls inside.
pub fn at_point(scenario: &Scenario, issue: usize, value: f64) -> Vec<RedLineFlag> {
    flags(scenario, |l| l.issue == issue && l.refuses(value))
}

/// The red lines that `keep` keeps, in actor order then each actor's order.
fn flags(scenario: &Scenario, keep: impl Fn(&RedLine) -> bool) -> Vec<RedLineFlag> {
    let keep = &keep;
    scenario
        .actors()
        .iter()
        .flat_map(|actor| {
            actor
                .red_lines
                .iter()
                .filter(move |l| keep(l))
                .map(move |l| RedLineFlag::new(&actor.id, &scenario.issues()[l.issue].id, l))
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

/// Sets the red-line flags of every issue of `forecast` (a model's forecast of `scenario`), and
/// notes a value that stops just beside a line's edge (which side, and whether the edge itself
/// is refused), since it reads as the edge itself.
pub fn flag_forecast(scenario: &Scenario, forecast: &mut Forecast) {
    for f in &mut forecast.issues {
        let (Some(k), Some(v)) = (scenario.issue_index(&f.issue), f.value) else {
            f.red_lines = Vec::new();
            continue;
        };
        f.red_lines = at_point(scenario, k, v);
        if let Some(words) = beside_words(scenario, k, v) {
            let words = format!("{} is {words}", crate::text::number(v));
            f.note = Some(match f.note.take() {
                Some(note) if !note.contains(&words) => format!("{note}; {words}"),
                Some(note) => note,
                None => words,
            });
        }
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

/// How close to a red line's edge, as a share of the issue's scale, a value or a range's end
/// must lie to be said to stop against it (packages keep 1e-9 of the range clear of a line).
pub const EDGE_TOLERANCE: f64 = 1e-6;

/// The red lines a range `lo..=hi` of issue `issue` ends against: the one just below `lo` (its
/// `max` at `lo`, within [`EDGE_TOLERANCE`] of the scale) and the one just above `hi` (its `min`
/// at `hi`). A win-set cut by a red line ends on the line's edge, which the line itself refuses.
pub fn range_ends(
    scenario: &Scenario,
    issue: usize,
    lo: f64,
    hi: f64,
) -> (Option<RedLineFlag>, Option<RedLineFlag>) {
    let tolerance = EDGE_TOLERANCE * scenario.issues()[issue].scale.range();
    let id = &scenario.issues()[issue].id;
    let find = |wanted: &dyn Fn(&RedLine) -> bool| {
        scenario.actors().iter().find_map(|actor| {
            actor
                .red_lines
                .iter()
                .find(|l| l.issue == issue && wanted(l))
                .map(|l| RedLineFlag::new(&actor.id, id, l))
        })
    };
    let below = find(&|l| l.min < lo && (l.max - lo).abs() <= tolerance);
    let above = find(&|l| l.max > hi && (l.min - hi).abs() <= tolerance);
    (below, above)
}

/// The red line a value of issue `issue` stops beside (within [`EDGE_TOLERANCE`] of the scale,
/// the value itself outside the line), in words to follow the value: `just above DPRK's red
/// line 0..=10; 10 itself is refused`.
pub fn beside_words(scenario: &Scenario, issue: usize, value: f64) -> Option<String> {
    let tolerance = EDGE_TOLERANCE * scenario.issues()[issue].scale.range();
    edge_beside(scenario, issue, value, tolerance).map(|line| {
        if value > line.max {
            line.edge_words("above", line.max, line.max_included)
        } else {
            line.edge_words("below", line.min, line.min_included)
        }
    })
}

impl RedLineFlag {
    /// `just above DPRK's red line 0..=10; 10 itself is refused` (`side`: above or below).
    pub fn edge_words(&self, side: &str, edge: f64, included: bool) -> String {
        let verdict = if included { "refused" } else { "accepted" };
        format!(
            "just {side} {}; {} itself is {verdict}",
            self.describe(),
            crate::text::number(edge)
        )
    }
}

/// A range `lo..=hi` of issue `issue` in words, each end that stops against a red line saying
/// whether the edge itself is part of the range: `10 to 40` becomes `just above 10 to 40 (DPRK's
/// red line 0..=10 ends at 10, 10 itself refused)`.
pub fn range_words(scenario: &Scenario, issue: usize, lo: f64, hi: f64) -> String {
    let (below, above) = range_ends(scenario, issue, lo, hi);
    let span = scenario.issues()[issue].scale.range();
    let number = |v: f64| crate::text::on_scale(v, span);
    let from = match &below {
        Some(_) => format!("just above {}", number(lo)),
        None => number(lo),
    };
    let to = match &above {
        Some(_) => format!("just below {}", number(hi)),
        None => number(hi),
    };
    let mut notes = Vec::new();
    if let Some(line) = &below {
        notes.push(format!(
            "{} ends at {}, {} itself {}",
            line.describe(),
            number(line.max),
            number(line.max),
            if line.max_included {
                "refused"
            } else {
                "accepted"
            }
        ));
    }
    if let Some(line) = &above {
        notes.push(format!(
            "{} starts at {}, {} itself {}",
            line.describe(),
            number(line.min),
            number(line.min),
            if line.min_included {
                "refused"
            } else {
                "accepted"
            }
        ));
    }
    if notes.is_empty() {
        format!("{from} to {to}")
    } else {
        format!("{from} to {to} ({})", notes.join("; "))
    }
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

    #[test]
    fn a_value_beside_a_line_says_which_side_and_whether_the_edge_is_refused() {
        let s = scenario();
        let cases: [(f64, Option<&str>); 4] = [
            (
                10.0 + 1e-8,
                Some("just above B's red line 0..=10; 10 itself is refused"),
            ),
            (
                80.0 - 1e-8,
                Some("just below A's red line 80..=100; 80 itself is refused"),
            ),
            (10.0, None),
            (40.0, None),
        ];
        for (value, words) in cases {
            assert_eq!(
                beside_words(&s, 0, value).as_deref(),
                words,
                "value {value}"
            );
        }
    }

    #[test]
    fn a_forecast_beside_a_line_is_noted_and_one_inside_is_flagged() {
        let s = scenario();
        let mut forecast = Forecast {
            model: "m".into(),
            issues: vec![crate::models::IssueForecast::point("x", 10.0 + 1e-8)],
        };
        flag_forecast(&s, &mut forecast);
        let f = &forecast.issues[0];
        assert!(f.red_lines.is_empty());
        assert_eq!(
            f.note.as_deref(),
            Some("10 is just above B's red line 0..=10; 10 itself is refused")
        );
        forecast.issues[0] = crate::models::IssueForecast::point("x", 10.0);
        flag_forecast(&s, &mut forecast);
        assert_eq!(forecast.issues[0].red_lines.len(), 1);
        assert_eq!(forecast.issues[0].note, None);
    }

    #[test]
    fn a_range_cut_by_lines_says_its_ends_are_refused() {
        let s = scenario();
        let cases: [(f64, f64, &str); 3] = [
            (
                10.0,
                80.0,
                "just above 10 to just below 80 (B's red line 0..=10 ends at 10, 10 itself refused; A's red line 80..=100 starts at 80, 80 itself refused)",
            ),
            (
                10.0,
                50.0,
                "just above 10 to 50 (B's red line 0..=10 ends at 10, 10 itself refused)",
            ),
            (20.0, 50.0, "20 to 50"),
        ];
        for (lo, hi, words) in cases {
            assert_eq!(range_words(&s, 0, lo, hi), words, "{lo}..{hi}");
        }
        // A range inside a line's span does not end against it.
        assert_eq!(range_ends(&s, 0, 0.0, 10.0), (None, None));
    }
}
