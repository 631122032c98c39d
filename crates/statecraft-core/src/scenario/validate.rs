//! The rules a scenario must satisfy (errors) and the ones it probably should (warnings).

use std::collections::HashMap;

use super::error::{
    ActorField, AgreementField, ChangeField, ErrorKind, FormField, IssueField, Locus,
    ObservationField, RedLineField, ScenarioError, ScenarioErrors, ScenarioField, StanceField,
    SuccessorField, Warning,
};
use super::types::{ChangeTiming, Distribution, ObservationKind, ScenarioParts};

/// The largest magnitude of any number in a scenario (positions, scales, capabilities, costs,
/// ...). The models multiply a few such numbers together (capability x salience x position,
/// squared distances between positions); 1e100 keeps every such product far from the largest
/// double (about 1.8e308), so that every result is finite and correct. docs/scenario-format.md
/// and docs/reliability.md name this limit.
pub const MAX_MAGNITUDE: f64 = 1e100;

/// The smallest capability: with [`MAX_MAGNITUDE`] it bounds the ratio of two capabilities by
/// 1e200, which a weighted sum still carries without underflowing every weight to 0.
pub const MIN_CAPABILITY: f64 = 1e-100;

/// The most actors of a scenario any analysis is run on (a table of 100,000 actors used to abort
/// asking for 80 GB). The readers refuse a table with more rows as they read it, and the analysis
/// API refuses a larger scenario before any work; docs/reliability.md lists the limits.
pub const MAX_ACTORS: usize = 20_000;

/// The most issues of a scenario any analysis is run on.
pub const MAX_ISSUES: usize = 1_000;

/// The most positions (actors x issues) of a scenario any analysis is run on: each costs a few
/// hundred bytes once read, so 2,000,000 need about 1 GB.
pub const MAX_POSITIONS: usize = 2_000_000;

/// Tolerance on successor probabilities adding up to 1.
const PROBABILITY_SUM_TOLERANCE: f64 = 1e-6;

struct Checker<'a> {
    parts: &'a ScenarioParts,
    errors: Vec<ScenarioError>,
}

impl Checker<'_> {
    fn push(&mut self, locus: Locus, subject: String, kind: ErrorKind) {
        self.errors.push(ScenarioError {
            locus,
            subject,
            kind,
        });
    }

    fn actor_name(&self, actor: usize) -> String {
        format!("actor `{}`", self.parts.actors[actor].id)
    }

    fn issue_name(&self, issue: usize) -> String {
        format!("issue `{}`", self.parts.issues[issue].id)
    }

    /// Checks that `value` is finite, then that it passes `rule`; returns whether it is finite.
    /// A finite value larger in magnitude than [`MAX_MAGNITUDE`] is refused too (and counts as
    /// not finite, so that no further rule is checked on it).
    fn finite(&mut self, locus: Locus, subject: &str, field: &'static str, value: f64) -> bool {
        let kind = if !value.is_finite() {
            ErrorKind::NotFinite { field, value }
        } else if value.abs() > MAX_MAGNITUDE {
            ErrorKind::TooLarge {
                field,
                value,
                limit: MAX_MAGNITUDE,
            }
        } else {
            return true;
        };
        self.push(locus, format!("{subject}, {field}"), kind);
        false
    }

    fn unit(&mut self, locus: Locus, subject: &str, field: &'static str, value: f64) {
        if self.finite(locus, subject, field, value) && !(0.0..=1.0).contains(&value) {
            self.push(
                locus,
                format!("{subject}, {field}"),
                ErrorKind::OutsideUnit { field, value },
            );
        }
    }

    fn on_scale(
        &mut self,
        locus: Locus,
        subject: &str,
        field: &'static str,
        value: f64,
        issue: usize,
    ) {
        if !self.finite(locus, subject, field, value) {
            return;
        }
        let scale = self.parts.issues[issue].scale;
        // A broken scale is reported once, on the issue itself.
        if scale.min.is_finite() && scale.max.is_finite() && !scale.contains(value) {
            self.push(
                locus,
                format!("{subject}, {field}"),
                ErrorKind::OutsideScale {
                    field,
                    value,
                    min: scale.min,
                    max: scale.max,
                },
            );
        }
    }

    fn ids(&mut self) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (a, actor) in self.parts.actors.iter().enumerate() {
            let locus = Locus::Actor {
                actor: a,
                field: ActorField::Id,
            };
            if !valid_id(&actor.id) {
                let subject = format!("actor {}", a + 1);
                self.push(
                    locus,
                    subject,
                    ErrorKind::InvalidId {
                        id: actor.id.clone(),
                    },
                );
            } else if let Some(first) = seen.insert(&actor.id, a) {
                seen.insert(&actor.id, first);
                let kind = ErrorKind::DuplicateActor {
                    id: actor.id.clone(),
                    first: first + 1,
                };
                self.push(locus, self.actor_name(a), kind);
            }
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, issue) in self.parts.issues.iter().enumerate() {
            let locus = Locus::Issue {
                issue: i,
                field: IssueField::Id,
            };
            if !valid_id(&issue.id) {
                let subject = format!("issue {}", i + 1);
                self.push(
                    locus,
                    subject,
                    ErrorKind::InvalidId {
                        id: issue.id.clone(),
                    },
                );
            } else if let Some(first) = seen.insert(&issue.id, i) {
                seen.insert(&issue.id, first);
                let kind = ErrorKind::DuplicateIssue {
                    id: issue.id.clone(),
                    first: first + 1,
                };
                self.push(locus, self.issue_name(i), kind);
            }
        }
    }

    fn issues(&mut self) {
        for (i, issue) in self.parts.issues.iter().enumerate() {
            let name = self.issue_name(i);
            let at = |field| Locus::Issue { issue: i, field };
            let min_ok = self.finite(at(IssueField::Min), &name, "min", issue.scale.min);
            let max_ok = self.finite(at(IssueField::Max), &name, "max", issue.scale.max);
            if min_ok && max_ok && issue.scale.min >= issue.scale.max {
                let kind = ErrorKind::BadScale {
                    min: issue.scale.min,
                    max: issue.scale.max,
                };
                self.push(at(IssueField::Max), name.clone(), kind);
            }
            if let Some(sq) = issue.status_quo {
                self.on_scale(at(IssueField::StatusQuo), &name, "status_quo", sq, i);
            }
            for (k, anchor) in issue.anchors.iter().enumerate() {
                let locus = at(IssueField::Anchor(k));
                self.on_scale(locus, &name, "anchor", anchor.value, i);
                if issue.anchors[..k].iter().any(|a| a.value == anchor.value) {
                    let kind = ErrorKind::DuplicateAnchor {
                        value: anchor.value,
                    };
                    self.push(locus, format!("{name}, anchor"), kind);
                }
            }
        }
    }

    fn actors(&mut self) {
        for (a, actor) in self.parts.actors.iter().enumerate() {
            let name = self.actor_name(a);
            let locus = Locus::Actor {
                actor: a,
                field: ActorField::Capability,
            };
            if self.finite(locus, &name, "capability", actor.capability) && actor.capability <= 0.0
            {
                let kind = ErrorKind::CapabilityNotPositive {
                    value: actor.capability,
                };
                self.push(locus, format!("{name}, capability"), kind);
            } else if actor.capability.is_finite() && actor.capability < MIN_CAPABILITY {
                let kind = ErrorKind::CapabilityTooSmall {
                    value: actor.capability,
                    limit: MIN_CAPABILITY,
                };
                self.push(locus, format!("{name}, capability"), kind);
            }
            let at = |field| Locus::Actor { actor: a, field };
            for &(partner, share) in &actor.affinity {
                let locus = at(ActorField::Affinity(partner));
                let subject = format!("{name}, affinity with {}", self.actor_name(partner));
                if partner == a {
                    self.push(locus, subject, ErrorKind::SelfAffinity);
                } else {
                    self.unit(locus, &subject, "share", share);
                }
            }
            let locus = at(ActorField::Reservation);
            if self.finite(locus, &name, "reservation", actor.reservation)
                && actor.reservation < 0.0
            {
                let kind = ErrorKind::NegativeReservation {
                    value: actor.reservation,
                };
                self.push(locus, format!("{name}, reservation"), kind);
            }
            let response = actor.response;
            self.unit(
                at(ActorField::ResponseProbability),
                &name,
                "response probability",
                response.probability,
            );
            let locus = at(ActorField::ResponseDelay);
            if self.finite(locus, &name, "response delay", response.delay) && response.delay < 0.0 {
                let kind = ErrorKind::NegativeDelay {
                    value: response.delay,
                };
                self.push(locus, format!("{name}, response delay"), kind);
            }
            self.red_lines(a);
            self.domestic(a);
        }
    }

    fn stances(&mut self) {
        let parts = self.parts;
        for (a, row) in parts.stances.iter().enumerate() {
            for (i, stance) in row.iter().enumerate() {
                let Some(stance) = stance else { continue };
                let subject = format!("{}, {}", self.actor_name(a), self.issue_name(i));
                let at = |field| Locus::Stance {
                    actor: a,
                    issue: i,
                    field,
                };
                self.on_scale(
                    at(StanceField::Position),
                    &subject,
                    "position",
                    stance.position,
                    i,
                );
                self.unit(
                    at(StanceField::Salience),
                    &subject,
                    "salience",
                    stance.salience,
                );
                if let Some(fallback) = stance.fallback {
                    self.on_scale(at(StanceField::Fallback), &subject, "fallback", fallback, i);
                }
            }
        }
        for i in 0..parts.issues.len() {
            let found = parts.stances.iter().filter(|row| row[i].is_some()).count();
            if found < 2 {
                let locus = Locus::Issue {
                    issue: i,
                    field: IssueField::Whole,
                };
                self.push(
                    locus,
                    self.issue_name(i),
                    ErrorKind::TooFewPositioned { found },
                );
            }
        }
    }

    fn red_lines(&mut self, a: usize) {
        let parts = self.parts;
        for (k, line) in parts.actors[a].red_lines.iter().enumerate() {
            let subject = format!(
                "{}, red line on {}",
                self.actor_name(a),
                self.issue_name(line.issue)
            );
            let at = |field| Locus::RedLine {
                actor: a,
                index: k,
                field,
            };
            let n_errors = self.errors.len();
            self.on_scale(at(RedLineField::Min), &subject, "min", line.min, line.issue);
            self.on_scale(at(RedLineField::Max), &subject, "max", line.max, line.issue);
            if self.errors.len() > n_errors {
                continue;
            }
            if line.min > line.max {
                let kind = ErrorKind::RedLineInverted {
                    min: line.min,
                    max: line.max,
                };
                self.push(at(RedLineField::Min), subject, kind);
            } else if let Some(stance) = &parts.stances[a][line.issue] {
                if line.refuses(stance.position) {
                    let kind = ErrorKind::RedLineOwnPosition {
                        min: line.min,
                        max: line.max,
                        position: stance.position,
                    };
                    self.push(at(RedLineField::Whole), subject, kind);
                }
            }
        }
    }

    fn domestic(&mut self, a: usize) {
        let parts = self.parts;
        for (c, change) in parts.actors[a].domestic.iter().enumerate() {
            let subject = format!(
                "{}, leadership change `{}`",
                self.actor_name(a),
                change.label
            );
            let at = |field| Locus::Change {
                actor: a,
                index: c,
                field,
            };
            match change.timing {
                ChangeTiming::Scheduled { turnover, .. } => {
                    self.unit(at(ChangeField::Turnover), &subject, "turnover", turnover)
                }
                ChangeTiming::Hazard { yearly } => {
                    self.unit(at(ChangeField::Hazard), &subject, "hazard", yearly)
                }
            }
            let mut sum = 0.0;
            for (s, successor) in change.successors.iter().enumerate() {
                let succ_subject = format!("{subject}, successor `{}`", successor.label);
                let locus = Locus::Successor {
                    actor: a,
                    change: c,
                    index: s,
                    field: SuccessorField::Probability,
                };
                self.unit(locus, &succ_subject, "probability", successor.probability);
                sum += successor.probability;
                for (issue, stance) in &successor.positions {
                    let stance_subject = format!("{succ_subject}, {}", self.issue_name(*issue));
                    let at = |field| Locus::SuccessorStance {
                        actor: a,
                        change: c,
                        successor: s,
                        issue: *issue,
                        field,
                    };
                    if let Some(position) = stance.position {
                        let locus = at(StanceField::Position);
                        self.on_scale(locus, &stance_subject, "position", position, *issue);
                    }
                    if let Some(salience) = stance.salience {
                        let locus = at(StanceField::Salience);
                        self.unit(locus, &stance_subject, "salience", salience);
                    }
                    if let Some(fallback) = stance.fallback {
                        let locus = at(StanceField::Fallback);
                        self.on_scale(locus, &stance_subject, "fallback", fallback, *issue);
                    }
                    if let Some(spread) = stance.spread {
                        let locus = at(StanceField::Spread);
                        if self.finite(locus, &stance_subject, "spread", spread) && spread < 0.0 {
                            let kind = ErrorKind::NegativeSpread { value: spread };
                            self.push(locus, format!("{stance_subject}, spread"), kind);
                        }
                    }
                }
            }
            if !change.successors.is_empty()
                && sum.is_finite()
                && (sum - 1.0).abs() > PROBABILITY_SUM_TOLERANCE
            {
                self.push(
                    at(ChangeField::Whole),
                    subject,
                    ErrorKind::SuccessorProbabilities { sum },
                );
            }
        }
    }
}

/// What is wrong with `distribution` for a value that must lie in `lo..=hi` (`lo` excluded when
/// `open_low`), if anything.
fn distribution_problem(
    distribution: &Distribution,
    lo: f64,
    hi: f64,
    open_low: bool,
) -> Option<String> {
    let inside = |v: f64| (v > lo || (!open_low && v == lo)) && v <= hi;
    let range = if open_low {
        format!("above {lo}")
    } else {
        format!("{lo}..={hi}")
    };
    match *distribution {
        Distribution::Normal { mean, sd } => {
            if !(mean.is_finite() && sd.is_finite()) {
                Some(format!("mean {mean} and sd {sd} must be finite numbers"))
            } else if sd < 0.0 {
                Some(format!(
                    "sd is {sd}; a standard deviation cannot be negative"
                ))
            } else {
                None
            }
        }
        Distribution::Uniform { min, max } => {
            if !(min.is_finite() && max.is_finite()) || min >= max {
                Some(format!("min {min} must be below max {max}"))
            } else if !(inside(min) && inside(max)) {
                Some(format!(
                    "the range {min}..{max} leaves the allowed range ({range})"
                ))
            } else {
                None
            }
        }
        Distribution::Triangular { min, mode, max } => {
            let ordered = min <= mode && mode <= max && min < max;
            if !(min.is_finite() && mode.is_finite() && max.is_finite() && ordered) {
                Some(format!(
                    "it needs min <= mode <= max with min < max, not {min}, {mode}, {max}"
                ))
            } else if !(inside(min) && inside(max)) {
                Some(format!(
                    "the range {min}..{max} leaves the allowed range ({range})"
                ))
            } else {
                None
            }
        }
    }
}

/// Distributions of uncertain values.
impl Checker<'_> {
    fn distribution(
        &mut self,
        locus: Locus,
        subject: &str,
        field: &'static str,
        distribution: &Option<Distribution>,
        (lo, hi, open_low): (f64, f64, bool),
    ) {
        if let Some(detail) = distribution
            .as_ref()
            .and_then(|d| distribution_problem(d, lo, hi, open_low))
        {
            self.push(
                locus,
                format!("{subject}, {field}"),
                ErrorKind::BadDistribution { field, detail },
            );
        }
    }

    fn distributions(&mut self) {
        let parts = self.parts;
        for (a, actor) in parts.actors.iter().enumerate() {
            let name = self.actor_name(a);
            let locus = Locus::Actor {
                actor: a,
                field: ActorField::Capability,
            };
            let range = (0.0, f64::INFINITY, true);
            self.distribution(
                locus,
                &name,
                "capability",
                &actor.capability_uncertainty,
                range,
            );
            for (i, stance) in parts.stances[a].iter().enumerate() {
                let Some(stance) = stance else { continue };
                let subject = format!("{name}, {}", self.issue_name(i));
                let at = |field| Locus::Stance {
                    actor: a,
                    issue: i,
                    field,
                };
                let scale = parts.issues[i].scale;
                let on_scale = (scale.min, scale.max, false);
                self.distribution(
                    at(StanceField::Position),
                    &subject,
                    "position",
                    &stance.position_uncertainty,
                    on_scale,
                );
                self.distribution(
                    at(StanceField::Salience),
                    &subject,
                    "salience",
                    &stance.salience_uncertainty,
                    (0.0, 1.0, false),
                );
            }
        }
        if let Some(u) = parts.meta.uncertainty {
            if !(u.is_finite() && u >= 0.0) {
                let kind = ErrorKind::BadDistribution {
                    field: "uncertainty",
                    detail: format!("{u} must be a share of 0 or more (0.1 = 10%)"),
                };
                self.push(
                    Locus::Scenario(ScenarioField::Uncertainty),
                    "scenario, uncertainty".into(),
                    kind,
                );
            }
        }
    }
}

/// Agreement forms: unique ids, costs that are finite and not negative.
impl Checker<'_> {
    fn cost(&mut self, locus: Locus, subject: &str, field: &'static str, value: f64) {
        if self.finite(locus, subject, field, value) && value < 0.0 {
            self.push(
                locus,
                format!("{subject}, {field}"),
                ErrorKind::NegativeCost { field, value },
            );
        }
    }

    fn forms(&mut self) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (f, form) in self.parts.forms.iter().enumerate() {
            let at = |field| Locus::Form { form: f, field };
            let subject = format!("form `{}`", form.id);
            if !valid_id(&form.id) {
                let kind = ErrorKind::InvalidId {
                    id: form.id.clone(),
                };
                self.push(at(FormField::Id), format!("form {}", f + 1), kind);
            } else if let Some(first) = seen.insert(&form.id, f) {
                seen.insert(&form.id, first);
                let kind = ErrorKind::DuplicateForm {
                    id: form.id.clone(),
                    first: first + 1,
                };
                self.push(at(FormField::Id), subject.clone(), kind);
            }
            self.cost(at(FormField::Cost), &subject, "cost", form.cost);
            for &(actor, cost) in &form.actor_costs {
                let who = format!("{subject}, {}", self.actor_name(actor));
                self.cost(at(FormField::ActorCost(actor)), &who, "cost", cost);
            }
            for (k, c) in form.issue_costs.iter().enumerate() {
                let on = format!("{subject}, {}", self.issue_name(c.issue));
                self.cost(at(FormField::IssueCostDown(k)), &on, "down", c.down);
                self.cost(at(FormField::IssueCostUp(k)), &on, "up", c.up);
            }
            let locus = at(FormField::CostTrend);
            if self.finite(locus, &subject, "cost_trend", form.cost_trend)
                && form.cost_trend <= -1.0
            {
                let kind = ErrorKind::BadCostTrend {
                    value: form.cost_trend,
                };
                self.push(locus, format!("{subject}, cost_trend"), kind);
            }
        }
    }

    /// The signed agreement of a backtest case: its package on the scales, a form that exists,
    /// at least one known date, each after the signing.
    fn agreement(&mut self) {
        let parts = self.parts;
        let Some(agreement) = &parts.agreement else {
            return;
        };
        let subject = "agreement".to_string();
        for &(issue, value) in &agreement.package {
            let locus = Locus::Agreement(AgreementField::PackageValue(issue));
            let name = format!("agreement, package, {}", self.issue_name(issue));
            self.on_scale(locus, &name, "value", value, issue);
        }
        let forms: Vec<String> = if parts.forms.is_empty() {
            crate::durability::default_forms()
                .into_iter()
                .map(|f| f.id)
                .collect()
        } else {
            parts.forms.iter().map(|f| f.id.clone()).collect()
        };
        if !forms.contains(&agreement.form) {
            let kind = ErrorKind::UnknownAgreementForm {
                form: agreement.form.clone(),
                known: forms.join(", "),
            };
            self.push(
                Locus::Agreement(AgreementField::Form),
                subject.clone(),
                kind,
            );
        }
        if agreement.fate.is_empty() {
            let locus = Locus::Agreement(AgreementField::Whole);
            self.push(locus, subject.clone(), ErrorKind::NoFate);
        }
        for (k, check) in agreement.fate.iter().enumerate() {
            if check.date <= agreement.signed {
                let kind = ErrorKind::FateBeforeSigning {
                    date: check.date,
                    signed: agreement.signed,
                };
                let locus = Locus::Agreement(AgreementField::FateDate(k));
                self.push(locus, format!("agreement, fate {}", k + 1), kind);
            }
        }
    }
}

/// Observations: packages and statements on the scales, a status quo for every issue a package
/// sets, trust strictly between 0 and 1.
impl Checker<'_> {
    fn observations(&mut self) {
        let parts = self.parts;
        for (o, observation) in parts.observations.iter().enumerate() {
            let at = |field| Locus::Observation { index: o, field };
            let subject = match observation.date {
                Some(date) => format!("observation {} ({date})", o + 1),
                None => format!("observation {}", o + 1),
            };
            match &observation.kind {
                ObservationKind::Decision(decision) => {
                    if decision.package.is_empty() {
                        let locus = at(ObservationField::Package);
                        self.push(locus, subject.clone(), ErrorKind::EmptyPackage);
                    }
                    if decision.responses.is_empty() {
                        let locus = at(ObservationField::Whole);
                        self.push(locus, subject.clone(), ErrorKind::NoResponses);
                    }
                    for &(issue, value) in &decision.package {
                        let locus = at(ObservationField::PackageValue(issue));
                        let name = format!("{subject}, package, {}", self.issue_name(issue));
                        self.on_scale(locus, &name, "value", value, issue);
                        if decision.status_quo_on(issue, &parts.issues).is_none() {
                            let kind = ErrorKind::NoObservedStatusQuo {
                                issue: parts.issues[issue].id.clone(),
                            };
                            self.push(locus, subject.clone(), kind);
                        }
                    }
                    for &(issue, value) in &decision.status_quo {
                        let locus = at(ObservationField::StatusQuoValue(issue));
                        let name = format!("{subject}, status quo, {}", self.issue_name(issue));
                        self.on_scale(locus, &name, "value", value, issue);
                    }
                    for (k, &(actor, _)) in decision.responses.iter().enumerate() {
                        if decision.responses[..k].iter().any(|(a, _)| *a == actor) {
                            let kind = ErrorKind::DuplicateResponse {
                                actor: parts.actors[actor].id.clone(),
                            };
                            let locus = at(ObservationField::Response(actor));
                            self.push(locus, subject.clone(), kind);
                        }
                    }
                }
                ObservationKind::Statement(statement) => {
                    let name = format!(
                        "{subject}, {}, {}",
                        self.actor_name(statement.actor),
                        self.issue_name(statement.issue)
                    );
                    let locus = at(ObservationField::Position);
                    self.on_scale(
                        locus,
                        &name,
                        "position",
                        statement.position,
                        statement.issue,
                    );
                    if parts.stances[statement.actor][statement.issue].is_none() {
                        self.push(locus, name.clone(), ErrorKind::StatementWithoutStance);
                    }
                    let locus = at(ObservationField::Trust);
                    if self.finite(locus, &name, "trust", statement.trust)
                        && !(statement.trust > 0.0 && statement.trust < 1.0)
                    {
                        let kind = ErrorKind::BadTrust {
                            value: statement.trust,
                        };
                        self.push(locus, format!("{name}, trust"), kind);
                    }
                }
            }
        }
    }
}

/// Ids are used on the command line (`--set DPRK.nuclear_status.salience=0.5`), so they avoid
/// spaces, dots and `=`.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

pub(super) fn check(parts: &ScenarioParts) -> Result<(), ScenarioErrors> {
    let mut checker = Checker {
        parts,
        errors: Vec::new(),
    };
    if parts.actors.len() < 2 {
        let locus = Locus::Scenario(ScenarioField::Actors);
        let kind = ErrorKind::TooFewActors {
            found: parts.actors.len(),
        };
        checker.push(locus, "scenario".into(), kind);
    }
    if parts.issues.is_empty() {
        let locus = Locus::Scenario(ScenarioField::Issues);
        checker.push(locus, "scenario".into(), ErrorKind::NoIssues);
    }
    let shape_ok = parts.stances.len() == parts.actors.len()
        && parts
            .stances
            .iter()
            .all(|row| row.len() == parts.issues.len());
    if !shape_ok {
        let detail = format!(
            "{} rows for {} actors and {} issues",
            parts.stances.len(),
            parts.actors.len(),
            parts.issues.len()
        );
        let locus = Locus::Scenario(ScenarioField::Whole);
        checker.push(locus, "scenario".into(), ErrorKind::StanceShape { detail });
    }
    let red_lines_ok = parts.actors.iter().all(|actor| {
        actor.red_lines.iter().all(|l| l.issue < parts.issues.len())
            && actor.domestic.iter().all(|c| {
                c.successors
                    .iter()
                    .all(|s| s.positions.iter().all(|(i, _)| *i < parts.issues.len()))
            })
    }) && parts
        .actors
        .iter()
        .all(|actor| actor.affinity.iter().all(|(b, _)| *b < parts.actors.len()))
        && parts
            .issues
            .iter()
            .all(|i| i.controlled_by.iter().all(|a| *a < parts.actors.len()))
        && parts
            .agreement
            .as_ref()
            .is_none_or(|g| g.package.iter().all(|(i, _)| *i < parts.issues.len()))
        && parts.forms.iter().all(|f| {
            f.actor_costs.iter().all(|(a, _)| *a < parts.actors.len())
                && f.issue_costs.iter().all(|c| c.issue < parts.issues.len())
        })
        && parts.observations.iter().all(|o| match &o.kind {
            ObservationKind::Decision(d) => {
                d.package.iter().all(|(i, _)| *i < parts.issues.len())
                    && d.status_quo.iter().all(|(i, _)| *i < parts.issues.len())
                    && d.responses.iter().all(|(a, _)| *a < parts.actors.len())
            }
            ObservationKind::Statement(s) => {
                s.actor < parts.actors.len() && s.issue < parts.issues.len()
            }
        });
    if !red_lines_ok {
        let locus = Locus::Scenario(ScenarioField::Whole);
        let detail =
            "a red line, successor, form or observation names an actor or issue index that does not exist"
                .into();
        checker.push(locus, "scenario".into(), ErrorKind::StanceShape { detail });
    }
    // Too few actors or no issue leaves every index sound: the values are checked as well, so
    // that one pass reports every problem. A broken shape or index would make them unsafe.
    if shape_ok && red_lines_ok {
        checker.ids();
        checker.issues();
        checker.actors();
        checker.stances();
        checker.distributions();
        checker.forms();
        checker.agreement();
        checker.observations();
    }
    if checker.errors.is_empty() {
        Ok(())
    } else {
        Err(ScenarioErrors(checker.errors))
    }
}

pub(super) fn warnings(parts: &ScenarioParts) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (a, actor) in parts.actors.iter().enumerate() {
        if parts.stances[a].iter().all(Option::is_none) {
            warnings.push(Warning {
                locus: Locus::Actor {
                    actor: a,
                    field: ActorField::Whole,
                },
                message: format!(
                    "actor `{}` takes no position on any issue, so no model counts it",
                    actor.id
                ),
            });
        }
    }
    for (i, issue) in parts.issues.iter().enumerate() {
        let stances: Vec<_> = parts
            .stances
            .iter()
            .filter_map(|row| row[i].as_ref())
            .collect();
        let locus = Locus::Issue {
            issue: i,
            field: IssueField::Whole,
        };
        if stances.iter().all(|s| s.salience == 0.0) {
            warnings.push(Warning {
                locus,
                message: format!(
                    "issue `{}`: every actor gives it salience 0, so the weighted models have no answer",
                    issue.id
                ),
            });
        } else if stances.windows(2).all(|w| w[0].position == w[1].position) {
            warnings.push(Warning {
                locus,
                message: format!(
                    "issue `{}`: every actor takes the same position {}, so there is nothing to negotiate",
                    issue.id, stances[0].position
                ),
            });
        }
    }
    warnings
}
