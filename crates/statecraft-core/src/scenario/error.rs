//! Why a scenario is invalid, and where: errors that name the actor, issue and field.
//!
//! A [`Locus`] points at the value at fault by index, so that the file readers in
//! `statecraft-io` can turn it into a line and column without the core knowing about files.

use std::fmt;

/// A field of the scenario's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScenarioField {
    /// The whole scenario.
    Whole,
    /// The list of actors.
    Actors,
    /// The list of issues.
    Issues,
    /// `uncertainty`.
    Uncertainty,
}

/// A field of an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssueField {
    /// The whole entry.
    Whole,
    /// `id`.
    Id,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `status_quo`.
    StatusQuo,
    /// The anchor with this index.
    Anchor(usize),
    /// `controlled_by`.
    ControlledBy,
}

/// A field of an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorField {
    /// The whole entry.
    Whole,
    /// `id`.
    Id,
    /// `capability`.
    Capability,
    /// The `affinity` entry for this partner (actor index).
    Affinity(usize),
    /// `reservation`.
    Reservation,
    /// `response.probability`.
    ResponseProbability,
    /// `response.delay`.
    ResponseDelay,
}

/// A field of a stance (also used for a successor's stance change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StanceField {
    /// The whole entry.
    Whole,
    /// `position`.
    Position,
    /// `salience`.
    Salience,
    /// `spread` (a successor's uncertainty about its position).
    Spread,
    /// `fallback` (where the actor takes the issue when it reneges).
    Fallback,
}

/// A field of a red line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedLineField {
    /// The whole entry.
    Whole,
    /// `min`.
    Min,
    /// `max`.
    Max,
}

/// A field of a leadership change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeField {
    /// The whole entry.
    Whole,
    /// `turnover`.
    Turnover,
    /// `hazard`.
    Hazard,
}

/// A field of a successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuccessorField {
    /// The whole entry.
    Whole,
    /// `probability`.
    Probability,
}

/// A field of an agreement form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormField {
    /// The whole entry.
    Whole,
    /// `id`.
    Id,
    /// `cost`.
    Cost,
    /// The entry for this actor (by actor index) in `costs`.
    ActorCost(usize),
    /// The `issue_costs` entry with this index.
    IssueCost(usize),
    /// `down` of the `issue_costs` entry with this index.
    IssueCostDown(usize),
    /// `up` of the `issue_costs` entry with this index.
    IssueCostUp(usize),
    /// `cost_trend`.
    CostTrend,
}

/// A field of the `[agreement]` block (a backtest case's signed agreement and its fate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementField {
    /// The whole block.
    Whole,
    /// `form`.
    Form,
    /// The package's value on this issue (issue index).
    PackageValue(usize),
    /// The date of the `fate` entry with this index.
    FateDate(usize),
}

/// A field of an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservationField {
    /// The whole entry.
    Whole,
    /// `package`, the whole table.
    Package,
    /// The package's value on this issue (issue index).
    PackageValue(usize),
    /// The status quo's value on this issue (issue index).
    StatusQuoValue(usize),
    /// The entry for this actor (actor index) in `accepted` or `refused`.
    Response(usize),
    /// `position` (a statement).
    Position,
    /// `trust` (a statement).
    Trust,
}

/// Which value of the scenario a message is about, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locus {
    /// The scenario as a whole.
    Scenario(ScenarioField),
    /// An issue's field.
    Issue {
        /// Issue index.
        issue: usize,
        /// Which field.
        field: IssueField,
    },
    /// An actor's field.
    Actor {
        /// Actor index.
        actor: usize,
        /// Which field.
        field: ActorField,
    },
    /// An actor's stance on an issue.
    Stance {
        /// Actor index.
        actor: usize,
        /// Issue index.
        issue: usize,
        /// Which field.
        field: StanceField,
    },
    /// One of an actor's red lines.
    RedLine {
        /// Actor index.
        actor: usize,
        /// Index in the actor's list.
        index: usize,
        /// Which field.
        field: RedLineField,
    },
    /// One of an actor's leadership changes.
    Change {
        /// Actor index.
        actor: usize,
        /// Index in the actor's list.
        index: usize,
        /// Which field.
        field: ChangeField,
    },
    /// A successor after a leadership change.
    Successor {
        /// Actor index.
        actor: usize,
        /// Change index.
        change: usize,
        /// Successor index.
        index: usize,
        /// Which field.
        field: SuccessorField,
    },
    /// An agreement form's field.
    Form {
        /// Form index.
        form: usize,
        /// Which field.
        field: FormField,
    },
    /// An observation's field.
    Observation {
        /// Observation index.
        index: usize,
        /// Which field.
        field: ObservationField,
    },
    /// The `[agreement]` block's field.
    Agreement(AgreementField),
    /// A successor's stance on an issue.
    SuccessorStance {
        /// Actor index.
        actor: usize,
        /// Change index.
        change: usize,
        /// Successor index.
        successor: usize,
        /// Issue index.
        issue: usize,
        /// Which field.
        field: StanceField,
    },
}

impl Locus {
    /// Whether this value is `outer` or lies inside it.
    pub fn within(self, outer: Locus) -> bool {
        let mut at = Some(self);
        while let Some(locus) = at {
            if locus == outer {
                return true;
            }
            at = locus.parent();
        }
        false
    }

    /// The enclosing value, for when a file reader has no location for this one.
    pub fn parent(self) -> Option<Locus> {
        use Locus::*;
        Some(match self {
            Scenario(ScenarioField::Whole) => return None,
            Scenario(_) => Scenario(ScenarioField::Whole),
            Agreement(AgreementField::Whole) => Scenario(ScenarioField::Whole),
            Agreement(_) => Agreement(AgreementField::Whole),
            Form {
                field: FormField::Whole,
                ..
            } => Scenario(ScenarioField::Whole),
            Form {
                form,
                field: FormField::IssueCostDown(k) | FormField::IssueCostUp(k),
            } => Form {
                form,
                field: FormField::IssueCost(k),
            },
            Form { form, .. } => Form {
                form,
                field: FormField::Whole,
            },
            Observation {
                field: ObservationField::Whole,
                ..
            } => Scenario(ScenarioField::Whole),
            Observation {
                index,
                field: ObservationField::PackageValue(_),
            } => Observation {
                index,
                field: ObservationField::Package,
            },
            Observation { index, .. } => Observation {
                index,
                field: ObservationField::Whole,
            },
            Issue {
                field: IssueField::Whole,
                ..
            } => Scenario(ScenarioField::Issues),
            Issue { issue, .. } => Issue {
                issue,
                field: IssueField::Whole,
            },
            Actor {
                field: ActorField::Whole,
                ..
            } => Scenario(ScenarioField::Actors),
            Actor { actor, .. } => Actor {
                actor,
                field: ActorField::Whole,
            },
            Stance {
                actor,
                issue,
                field: StanceField::Whole,
            } => {
                let _ = issue;
                Actor {
                    actor,
                    field: ActorField::Whole,
                }
            }
            Stance { actor, issue, .. } => Stance {
                actor,
                issue,
                field: StanceField::Whole,
            },
            RedLine {
                actor,
                field: RedLineField::Whole,
                ..
            } => Actor {
                actor,
                field: ActorField::Whole,
            },
            RedLine { actor, index, .. } => RedLine {
                actor,
                index,
                field: RedLineField::Whole,
            },
            Change {
                actor,
                field: ChangeField::Whole,
                ..
            } => Actor {
                actor,
                field: ActorField::Whole,
            },
            Change { actor, index, .. } => Change {
                actor,
                index,
                field: ChangeField::Whole,
            },
            Successor {
                actor,
                change,
                field: SuccessorField::Whole,
                ..
            } => Change {
                actor,
                index: change,
                field: ChangeField::Whole,
            },
            Successor {
                actor,
                change,
                index,
                ..
            } => Successor {
                actor,
                change,
                index,
                field: SuccessorField::Whole,
            },
            SuccessorStance {
                actor,
                change,
                successor,
                field: StanceField::Whole,
                ..
            } => Successor {
                actor,
                change,
                index: successor,
                field: SuccessorField::Whole,
            },
            SuccessorStance {
                actor,
                change,
                successor,
                issue,
                ..
            } => SuccessorStance {
                actor,
                change,
                successor,
                issue,
                field: StanceField::Whole,
            },
        })
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The scenario has no actors or only one.
    #[error("a scenario needs at least two actors, found {found}")]
    TooFewActors {
        /// How many there are.
        found: usize,
    },
    /// The scenario has no issue.
    #[error("a scenario needs at least one issue")]
    NoIssues,
    /// The stance table does not match the actors and issues.
    #[error("the stance table has the wrong shape: {detail}")]
    StanceShape {
        /// What does not match.
        detail: String,
    },
    /// An empty id or one with characters that cannot be used on the command line.
    #[error("id `{id}` is not allowed: use letters, digits, `_` and `-` (no spaces or dots)")]
    InvalidId {
        /// The id.
        id: String,
    },
    /// Two actors share an id.
    #[error("defined twice (first as actor {first}); actor ids must be unique")]
    DuplicateActor {
        /// The id.
        id: String,
        /// 1-based number of the first definition.
        first: usize,
    },
    /// Two issues share an id.
    #[error("defined twice (first as issue {first}); issue ids must be unique")]
    DuplicateIssue {
        /// The id.
        id: String,
        /// 1-based number of the first definition.
        first: usize,
    },
    /// NaN or infinite.
    #[error("{field} is {value}, which is not a finite number")]
    NotFinite {
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// Larger in magnitude than any value the models can carry (see [`MAX_MAGNITUDE`](crate::scenario::MAX_MAGNITUDE)).
    #[error(
        "{field} is {value:e}, larger in magnitude than the largest value allowed ({limit:e})"
    )]
    TooLarge {
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
        /// The limit, `MAX_MAGNITUDE`.
        limit: f64,
    },
    /// A capability so small that its ratio to another capability cannot be carried (see
    /// [`MIN_CAPABILITY`](crate::scenario::MIN_CAPABILITY)).
    #[error("capability is {value:e}, smaller than the smallest capability allowed ({limit:e})")]
    CapabilityTooSmall {
        /// The value.
        value: f64,
        /// The limit, `MIN_CAPABILITY`.
        limit: f64,
    },
    /// Capability zero or negative.
    #[error("capability is {value}; it must be greater than 0")]
    CapabilityNotPositive {
        /// The value.
        value: f64,
    },
    /// `min >= max`.
    #[error("the scale's min ({min}) must be below its max ({max})")]
    BadScale {
        /// min.
        min: f64,
        /// max.
        max: f64,
    },
    /// A value outside the issue's scale.
    #[error("{field} {value} is outside the issue's scale {min}..={max}")]
    OutsideScale {
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
        /// Scale min.
        min: f64,
        /// Scale max.
        max: f64,
    },
    /// A value that must lie in 0..=1.
    #[error("{field} {value} is outside 0..=1")]
    OutsideUnit {
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// Fewer than two actors take a position on an issue.
    #[error("only {found} actor(s) take a position on this issue; at least two are needed")]
    TooFewPositioned {
        /// How many do.
        found: usize,
    },
    /// Two anchors at the same point.
    #[error("two anchors stand at {value}")]
    DuplicateAnchor {
        /// The point.
        value: f64,
    },
    /// A red line whose min exceeds its max.
    #[error("the red line's min ({min}) is above its max ({max})")]
    RedLineInverted {
        /// min.
        min: f64,
        /// max.
        max: f64,
    },
    /// A red line that refuses the actor's own position.
    #[error("the red line {min}..={max} contains the actor's own position {position}")]
    RedLineOwnPosition {
        /// min.
        min: f64,
        /// max.
        max: f64,
        /// The actor's position.
        position: f64,
    },
    /// Two agreement forms share an id.
    #[error("defined twice (first as form {first}); form ids must be unique")]
    DuplicateForm {
        /// The id.
        id: String,
        /// 1-based number of the first definition.
        first: usize,
    },
    /// A cost below zero.
    #[error("{field} is {value}; costs cannot be negative")]
    NegativeCost {
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// A distribution that cannot be drawn from, or reaches outside the value's range.
    #[error("{detail}")]
    BadDistribution {
        /// Which field.
        field: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// An actor that names itself as a partner.
    #[error("an actor cannot have an affinity with itself")]
    SelfAffinity,
    /// A negative reservation margin.
    #[error("reservation is {value}; it must be 0 or more")]
    NegativeReservation {
        /// The value.
        value: f64,
    },
    /// A negative standard deviation.
    #[error("spread is {value}; a standard deviation cannot be negative")]
    NegativeSpread {
        /// The value.
        value: f64,
    },
    /// A decision whose package names no issue.
    #[error(
        "the package names no issue; give the values it set, e.g. `package = {{ sanctions = 60 }}`"
    )]
    EmptyPackage,
    /// A decision that no actor answered.
    #[error("no actor accepted or refused the package; name them in `accepted` or `refused`")]
    NoResponses,
    /// A decision on an issue that has no status quo to compare with.
    #[error("the package sets issue `{issue}`, but neither the decision nor the issue gives a status quo to compare it with")]
    NoObservedStatusQuo {
        /// The issue's id.
        issue: String,
    },
    /// An actor listed twice in one decision.
    #[error("actor `{actor}` answers this decision twice")]
    DuplicateResponse {
        /// The actor's id.
        actor: String,
    },
    /// A statement's trust outside (0, 1).
    #[error("trust is {value}; it must lie strictly between 0 (says nothing) and 1 (certain)")]
    BadTrust {
        /// The value.
        value: f64,
    },
    /// A statement on an issue where the actor takes no position.
    #[error("the actor takes no position on this issue, so there is no position to declare")]
    StatementWithoutStance,
    /// A response delay below zero.
    #[error("delay is {value}; a delay in years cannot be negative")]
    NegativeDelay {
        /// The value.
        value: f64,
    },
    /// A cost trend at or below -100% a year.
    #[error("cost_trend is {value}; a yearly change must be above -1 (-0.1 lets the cost fade by 10% a year)")]
    BadCostTrend {
        /// The value.
        value: f64,
    },
    /// The agreement names a form that is not defined.
    #[error("the agreement's form `{form}` is not defined; the forms are: {known}")]
    UnknownAgreementForm {
        /// The id given.
        form: String,
        /// The forms that exist.
        known: String,
    },
    /// A fate date on or before the signing.
    #[error("the date {date} is not after the signing on {signed}")]
    FateBeforeSigning {
        /// The date.
        date: chrono::NaiveDate,
        /// The signing date.
        signed: chrono::NaiveDate,
    },
    /// An agreement whose fate is not given.
    #[error(
        "the agreement gives no `fate`: name at least one date and whether it was in force then"
    )]
    NoFate,
    /// Successor probabilities that do not add up to 1.
    #[error("successor probabilities add up to {sum}, not 1")]
    SuccessorProbabilities {
        /// Their sum.
        sum: f64,
    },
}

/// One problem with a scenario: which value (by [`Locus`]), described by name, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{subject}: {kind}")]
pub struct ScenarioError {
    /// Where, by index.
    pub locus: Locus,
    /// Where, in words: "actor `US`, issue `nuclear_status`, salience".
    pub subject: String,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// Every problem found in a scenario (never empty).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, error) in self.0.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// A soft problem: allowed, but probably not what the author meant.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Where.
    pub locus: Locus,
    /// What, in words, naming the actor and issue.
    pub message: String,
}
