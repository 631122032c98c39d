//! The scenario's data types; `Scenario` itself can only be built through validation.

use chrono::NaiveDate;

use super::error::{ScenarioErrors, Warning};
use super::validate;

/// The ends of an issue's scale (`min < max`, both finite once validated).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
}

impl Scale {
    /// A scale from `min` to `max` (checked when the scenario is built).
    pub fn new(min: f64, max: f64) -> Self {
        Self { min, max }
    }

    /// `max - min`.
    pub fn range(&self) -> f64 {
        self.max - self.min
    }

    /// Whether `value` lies on the scale, ends included.
    pub fn contains(&self, value: f64) -> bool {
        self.min <= value && value <= self.max
    }
}

/// A labelled point of an issue's scale, such as `0 = "complete, verified dismantlement"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    /// Where on the scale.
    pub value: f64,
    /// What that point means.
    pub label: String,
}

/// One issue dimension: a one-dimensional scale with labelled points and a status quo.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Unique identifier.
    pub id: String,
    /// Readable name.
    pub label: String,
    /// Free text.
    pub description: Option<String>,
    /// The scale's ends.
    pub scale: Scale,
    /// Where the issue stands if nothing is agreed.
    pub status_quo: Option<f64>,
    /// Why the status quo sits there.
    pub status_quo_note: Option<String>,
    /// Labelled points, in the order given.
    pub anchors: Vec<Anchor>,
    /// The actors whose actions carry this issue in an agreement (actor indices, in actor
    /// order): only they can reverse it. Empty means every actor controls it.
    pub controlled_by: Vec<usize>,
}

impl Issue {
    /// An issue with the id as its label, no status quo and no anchors.
    pub fn new(id: impl Into<String>, scale: Scale) -> Self {
        let id = id.into();
        Self {
            label: id.clone(),
            id,
            description: None,
            scale,
            status_quo: None,
            status_quo_note: None,
            anchors: Vec::new(),
            controlled_by: Vec::new(),
        }
    }

    /// Whether actor `actor` controls this issue (every actor does when none is named).
    pub fn is_controlled_by(&self, actor: usize) -> bool {
        self.controlled_by.is_empty() || self.controlled_by.contains(&actor)
    }

    /// The anchor label nearest to `value`, if the issue has anchors.
    pub fn nearest_anchor(&self, value: f64) -> Option<&Anchor> {
        self.anchors
            .iter()
            .min_by(|a, b| (a.value - value).abs().total_cmp(&(b.value - value).abs()))
    }
}

/// Where an actor stands on one issue and how much the issue matters to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stance {
    /// The outcome the actor wants, on the issue's scale (the central value when uncertain).
    pub position: f64,
    /// How much the issue matters to the actor, 0..=1 (the central value when uncertain).
    pub salience: f64,
    /// Why.
    pub note: Option<String>,
    /// How uncertain the position is, when it is (sweeps draw it from this).
    pub position_uncertainty: Option<Distribution>,
    /// How uncertain the salience is, when it is.
    pub salience_uncertainty: Option<Distribution>,
    /// Where the actor takes the issue when it reneges on an agreement, if it controls the
    /// issue (`None`: back to the status quo).
    pub fallback: Option<f64>,
}

/// An uncertain input: where sweeps draw its value from. Draws are kept inside the value's valid
/// range (a position on its scale, a salience in 0..=1, a capability above 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Normal, truncated to the valid range.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (>= 0).
        sd: f64,
    },
    /// Uniform between two values.
    Uniform {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// Triangular.
    Triangular {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
}

impl Distribution {
    /// The value used when nothing is drawn: the mean, the midpoint or the mode.
    pub fn central(&self) -> f64 {
        match *self {
            Distribution::Normal { mean, .. } => mean,
            Distribution::Uniform { min, max } => 0.5 * (min + max),
            Distribution::Triangular { mode, .. } => mode,
        }
    }
}

impl Stance {
    /// A stance without a note.
    pub fn new(position: f64, salience: f64) -> Self {
        Self {
            position,
            salience,
            note: None,
            position_uncertainty: None,
            salience_uncertainty: None,
            fallback: None,
        }
    }
}

/// A range on an issue that an actor will never accept in an agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLine {
    /// Index of the issue in the scenario.
    pub issue: usize,
    /// Lower end of the refused range.
    pub min: f64,
    /// Upper end of the refused range.
    pub max: f64,
    /// Why.
    pub note: Option<String>,
}

impl RedLine {
    /// Whether `value` falls inside the refused range.
    pub fn refuses(&self, value: f64) -> bool {
        self.min <= value && value <= self.max
    }
}

/// When a leadership change may happen.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeTiming {
    /// On a known date (an election), with the probability that the leadership changes then.
    Scheduled {
        /// The date.
        date: NaiveDate,
        /// Probability of turnover on that date, 0..=1.
        turnover: f64,
    },
    /// At any time, with a yearly probability (a succession, a fragile coalition).
    Hazard {
        /// Yearly probability of a change, 0..=1.
        yearly: f64,
    },
}

/// How a successor's stance differs from the incumbent's on one issue.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StanceChange {
    /// The successor's position, if it differs.
    pub position: Option<f64>,
    /// The successor's salience, if it differs.
    pub salience: Option<f64>,
    /// Standard deviation of the successor's position around `position` (or the incumbent's),
    /// when it is uncertain; draws are clamped to the scale.
    pub spread: Option<f64>,
    /// The successor's fallback on the issue (where it takes the issue if it reneges), if it
    /// differs from the incumbent's.
    pub fallback: Option<f64>,
}

/// One possible successor after a leadership change.
#[derive(Debug, Clone, PartialEq)]
pub struct Successor {
    /// e.g. "conservative successor".
    pub label: String,
    /// Chance that this successor takes over, given that the change happens.
    pub probability: f64,
    /// Where the successor differs, by issue index.
    pub positions: Vec<(usize, StanceChange)>,
    /// Why.
    pub note: Option<String>,
}

/// A way the actor's leadership may change (the scenario's `domestic` block).
#[derive(Debug, Clone, PartialEq)]
pub struct LeadershipChange {
    /// e.g. "2012 presidential election".
    pub label: String,
    /// Scheduled or hazard.
    pub timing: ChangeTiming,
    /// Who may take over; probabilities sum to 1 when not empty.
    pub successors: Vec<Successor>,
    /// Why.
    pub note: Option<String>,
}

/// A party to the negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Unique identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Clout: what the actor can bring to bear, > 0 on any scale (the central value when
    /// uncertain).
    pub capability: f64,
    /// How uncertain the capability is, when it is.
    pub capability_uncertainty: Option<Distribution>,
    /// Why this capability.
    pub note: Option<String>,
    /// Ranges the actor will never accept.
    pub red_lines: Vec<RedLine>,
    /// Ways its leadership may change.
    pub domestic: Vec<LeadershipChange>,
    /// Partners whose gains and losses count in its own utility: (actor index, share in 0..=1).
    pub affinity: Vec<(usize, f64)>,
    /// How much a package must beat the status quo by before the actor accepts it (>= 0).
    pub reservation: f64,
    /// What the actor does with the issues it controls when another party reneges.
    pub response: Response,
}

/// How an actor answers another party's reneging on the issues it controls: it reverses them
/// with `probability`, `delay` years later (the durability analysis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    /// Chance that it reverses its side, 0..=1.
    pub probability: f64,
    /// Years between the other party's reneging and its own reversal, >= 0.
    pub delay: f64,
}

impl Default for Response {
    /// Reciprocity: it reverses its side at once (what the package model assumed).
    fn default() -> Self {
        Self {
            probability: 1.0,
            delay: 0.0,
        }
    }
}

impl Actor {
    /// An actor named by its id, with no red lines and no domestic politics.
    pub fn new(id: impl Into<String>, capability: f64) -> Self {
        let id = id.into();
        Self {
            name: id.clone(),
            id,
            capability,
            capability_uncertainty: None,
            note: None,
            red_lines: Vec::new(),
            domestic: Vec::new(),
            affinity: Vec::new(),
            reservation: 0.0,
            response: Response::default(),
        }
    }
}

/// What reversing an agreement costs on one issue, per full range of the scale moved, by
/// direction: undoing a delisting (moving back down) may cost more than the delisting did.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectionalCost {
    /// Index of the issue in the scenario.
    pub issue: usize,
    /// Cost of moving the issue toward the scale's min, per full range moved.
    pub down: f64,
    /// Cost of moving the issue toward the scale's max, per full range moved.
    pub up: f64,
}

/// A form an agreement can take (joint statement, executive agreement, ratified treaty) and
/// what it costs a signatory to renege on it, in utility units (a full swing of the scale on an
/// issue of salience 1 is 1).
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementForm {
    /// Unique identifier, used on the command line (`--form treaty`).
    pub id: String,
    /// Display name.
    pub label: String,
    /// The cost of reneging for every signatory without its own.
    pub cost: f64,
    /// Signatories with their own cost: (actor index, cost).
    pub actor_costs: Vec<(usize, f64)>,
    /// Extra costs by issue and direction of the reversal.
    pub issue_costs: Vec<DirectionalCost>,
    /// Yearly relative change of the signatories' own costs (`cost`, `costs`): the audience
    /// cost at t years is c (1 + trend)^t; 0 keeps it fixed, -0.1 lets it fade by 10% a year.
    pub cost_trend: f64,
    /// Why.
    pub note: Option<String>,
}

impl AgreementForm {
    /// A form with one cost for every signatory and no issue costs.
    pub fn new(id: impl Into<String>, label: impl Into<String>, cost: f64) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            cost,
            actor_costs: Vec::new(),
            issue_costs: Vec::new(),
            cost_trend: 0.0,
            note: None,
        }
    }

    /// The cost for actor `actor` of reneging when that moves each issue `k` from `from[k]` to
    /// `to[k]` (`ranges[k]` is the issue's scale range), at signing.
    pub fn reversal_cost(&self, actor: usize, from: &[f64], to: &[f64], ranges: &[f64]) -> f64 {
        self.own_cost(actor) + self.directional_cost(from, to, ranges)
    }

    /// Actor `actor`'s own cost at signing (`costs`, else `cost`), before any trend.
    pub fn own_cost(&self, actor: usize) -> f64 {
        self.actor_costs
            .iter()
            .find(|(a, _)| *a == actor)
            .map_or(self.cost, |(_, c)| *c)
    }

    /// The issue costs of moving each issue `k` from `from[k]` to `to[k]`.
    pub fn directional_cost(&self, from: &[f64], to: &[f64], ranges: &[f64]) -> f64 {
        self.issue_costs
            .iter()
            .map(|c| {
                let moved = (to[c.issue] - from[c.issue]) / ranges[c.issue];
                if moved < 0.0 {
                    -moved * c.down
                } else {
                    moved * c.up
                }
            })
            .sum()
    }
}

/// Title, date, description and sources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// Short name.
    pub title: Option<String>,
    /// The date the scenario describes.
    pub date: Option<NaiveDate>,
    /// Free text.
    pub description: Option<String>,
    /// Where the numbers come from.
    pub sources: Vec<String>,
    /// Uncertainty of every value not given a distribution, for sweeps: the standard deviation
    /// as a share of the issue's range (positions) or of the value (saliences, capabilities).
    pub uncertainty: Option<f64>,
}

/// The raw pieces of a scenario, before validation.
///
/// `stances[a][i]` is actor `a`'s stance on issue `i`, or `None` when it takes no position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioParts {
    /// Metadata.
    pub meta: Metadata,
    /// The actors, in order.
    pub actors: Vec<Actor>,
    /// The issues, in order.
    pub issues: Vec<Issue>,
    /// One row per actor, one column per issue.
    pub stances: Vec<Vec<Option<Stance>>>,
    /// The forms an agreement may take, with their reversal costs (may be empty).
    pub forms: Vec<AgreementForm>,
    /// The record of what the actors did and said (may be empty); only `infer` reads it.
    pub observations: Vec<Observation>,
    /// An agreement that was signed and whose fate is known, for `durability --backtest`.
    pub agreement: Option<AgreementRecord>,
}

/// An agreement that was signed, and what became of it: the cases of the durability backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementRecord {
    /// The day it was signed (time 0 of the simulation).
    pub signed: NaiveDate,
    /// The package as signed: (issue index, value); issues not named stay at the status quo.
    pub package: Vec<(usize, f64)>,
    /// The form's id (one of the scenario's forms, or a default form).
    pub form: String,
    /// Known dates and whether it was in force on each.
    pub fate: Vec<FateCheck>,
}

/// Whether an agreement was in force on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct FateCheck {
    /// The date.
    pub date: NaiveDate,
    /// Whether it was still in force on that date.
    pub in_force: bool,
    /// What happened.
    pub note: Option<String>,
    /// Where it is recorded.
    pub source: Option<String>,
}

/// Something an actor did or said that reveals what it wants: the evidence `infer` uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// When.
    pub date: Option<NaiveDate>,
    /// A decision on a package or a declared position.
    pub kind: ObservationKind,
    /// What happened, in words.
    pub note: Option<String>,
    /// Where it is recorded.
    pub source: Option<String>,
}

/// The two kinds of observation.
#[derive(Debug, Clone, PartialEq)]
pub enum ObservationKind {
    /// Actors accepted or refused a package when the status quo stood elsewhere.
    Decision(Decision),
    /// An actor declared its position on an issue.
    Statement(Statement),
}

/// Actors accepted or refused a package (values on some issues) against a status quo.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The package: (issue index, value); the issues not named stay at the status quo.
    pub package: Vec<(usize, f64)>,
    /// The status quo of the day where it differs from the issue's: (issue index, value).
    pub status_quo: Vec<(usize, f64)>,
    /// Who answered and how: (actor index, accepted).
    pub responses: Vec<(usize, bool)>,
}

impl Decision {
    /// The status quo of the day on issue `issue`: the decision's own, else the issue's.
    pub fn status_quo_on(&self, issue: usize, issues: &[Issue]) -> Option<f64> {
        self.status_quo
            .iter()
            .find(|(i, _)| *i == issue)
            .map(|(_, v)| *v)
            .or(issues[issue].status_quo)
    }
}

/// An actor declared a position on an issue; `trust` says how far to believe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Actor index.
    pub actor: usize,
    /// Issue index.
    pub issue: usize,
    /// The declared position, on the issue's scale.
    pub position: f64,
    /// How far to believe it, strictly between 0 and 1: the true position is taken to lie
    /// around the declared one with a standard deviation of (1 - trust) / 2 of the scale.
    pub trust: f64,
}

impl Statement {
    /// The standard deviation of the declared position around the true one, for a scale of
    /// range `range`.
    pub fn sd(&self, range: f64) -> f64 {
        0.5 * (1.0 - self.trust) * range
    }
}

/// A number of a scenario that analyses may vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueRef {
    /// An actor's position on an issue.
    Position {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
    },
    /// An actor's salience for an issue.
    Salience {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
    },
    /// An actor's capability.
    Capability {
        /// Actor index.
        actor: usize,
    },
}

/// A validated scenario: every value of this type satisfies the rules in `docs/scenario-format.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    parts: ScenarioParts,
}

impl Scenario {
    /// Validates `parts`, returning every problem found when it is not a valid scenario.
    pub fn new(parts: ScenarioParts) -> Result<Self, ScenarioErrors> {
        validate::check(&parts)?;
        Ok(Self { parts })
    }

    /// Metadata.
    pub fn meta(&self) -> &Metadata {
        &self.parts.meta
    }

    /// The value `r` refers to (`None` for a stance the actor does not take).
    pub fn value(&self, r: ValueRef) -> Option<f64> {
        match r {
            ValueRef::Position { actor, issue } => self.stance(actor, issue).map(|s| s.position),
            ValueRef::Salience { actor, issue } => self.stance(actor, issue).map(|s| s.salience),
            ValueRef::Capability { actor } => Some(self.parts.actors[actor].capability),
        }
    }

    /// Sets the value `r` refers to, keeping the scenario valid: the value is clamped to its
    /// range (the issue's scale, 0..=1, above 0); a position inside one of the actor's own red
    /// lines is refused. Returns whether the value was set.
    pub fn set_value(&mut self, r: ValueRef, value: f64) -> bool {
        if !value.is_finite() {
            return false;
        }
        match r {
            ValueRef::Position { actor, issue } => {
                let scale = self.parts.issues[issue].scale;
                let v = value.clamp(scale.min, scale.max);
                let refused = self.parts.actors[actor]
                    .red_lines
                    .iter()
                    .any(|l| l.issue == issue && l.refuses(v));
                match self.parts.stances[actor][issue].as_mut() {
                    Some(stance) if !refused => {
                        stance.position = v;
                        true
                    }
                    _ => false,
                }
            }
            ValueRef::Salience { actor, issue } => {
                match self.parts.stances[actor][issue].as_mut() {
                    Some(stance) => {
                        stance.salience = value.clamp(0.0, 1.0);
                        true
                    }
                    None => false,
                }
            }
            ValueRef::Capability { actor } => {
                self.parts.actors[actor].capability = value.clamp(
                    super::validate::MIN_CAPABILITY,
                    super::validate::MAX_MAGNITUDE,
                );
                true
            }
        }
    }

    /// A copy without the text that analyses never read (notes, anchors, descriptions,
    /// sources), which makes the many copies of a sweep cheap.
    pub fn lean(&self) -> Scenario {
        let mut parts = self.parts.clone();
        parts.meta.description = None;
        parts.meta.sources.clear();
        for issue in &mut parts.issues {
            issue.description = None;
            issue.status_quo_note = None;
            issue.anchors.clear();
        }
        for actor in &mut parts.actors {
            actor.note = None;
            actor.domestic.clear();
            for line in &mut actor.red_lines {
                line.note = None;
            }
        }
        for stance in parts.stances.iter_mut().flatten().flatten() {
            stance.note = None;
        }
        parts.forms.clear();
        for observation in &mut parts.observations {
            observation.note = None;
            observation.source = None;
        }
        Scenario { parts }
    }

    /// The record of observations (may be empty).
    pub fn observations(&self) -> &[Observation] {
        &self.parts.observations
    }

    /// The signed agreement whose fate is known, if the scenario is a backtest case.
    pub fn agreement(&self) -> Option<&AgreementRecord> {
        self.parts.agreement.as_ref()
    }

    /// The agreement forms the scenario defines (may be empty).
    pub fn forms(&self) -> &[AgreementForm] {
        &self.parts.forms
    }

    /// The actors, in order.
    pub fn actors(&self) -> &[Actor] {
        &self.parts.actors
    }

    /// The issues, in order.
    pub fn issues(&self) -> &[Issue] {
        &self.parts.issues
    }

    /// Actor `actor`'s stance on issue `issue`, if it takes one.
    pub fn stance(&self, actor: usize, issue: usize) -> Option<&Stance> {
        self.parts.stances[actor][issue].as_ref()
    }

    /// The actors with a position on `issue`: `(actor index, actor, stance)`, in actor order.
    pub fn positioned(&self, issue: usize) -> impl Iterator<Item = (usize, &Actor, &Stance)> + '_ {
        self.parts
            .actors
            .iter()
            .enumerate()
            .filter_map(move |(a, actor)| self.stance(a, issue).map(|s| (a, actor, s)))
    }

    /// Index of the actor with this id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.parts.actors.iter().position(|a| a.id == id)
    }

    /// Index of the issue with this id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.parts.issues.iter().position(|i| i.id == id)
    }

    /// Soft problems: things that are allowed but probably not meant.
    pub fn warnings(&self) -> Vec<Warning> {
        validate::warnings(&self.parts)
    }

    /// The pieces, to change and validate again (what-ifs, sweeps).
    pub fn into_parts(self) -> ScenarioParts {
        self.parts
    }

    /// A copy of the pieces.
    pub fn parts(&self) -> &ScenarioParts {
        &self.parts
    }
}
