//! Small scenarios for the models' unit tests.

use crate::scenario::{Actor, Issue, Scale, Scenario, ScenarioParts, Stance};

/// One issue on 0..100; `actors` are (capability, position, salience).
pub(crate) fn one_issue(actors: &[(f64, f64, f64)], status_quo: Option<f64>) -> Scenario {
    let mut issue = Issue::new("issue", Scale::new(0.0, 100.0));
    issue.status_quo = status_quo;
    let parts = ScenarioParts {
        actors: (0..actors.len())
            .map(|k| Actor::new(format!("A{k}"), actors[k].0))
            .collect(),
        issues: vec![issue],
        stances: actors
            .iter()
            .map(|&(_, x, s)| vec![Some(Stance::new(x, s))])
            .collect(),
        ..ScenarioParts::default()
    };
    Scenario::new(parts).expect("test scenario is valid")
}
