//! The scenario: actors, issues, stances, red lines and domestic politics, validated on construction.

mod error;
mod paths;
mod types;
mod validate;
mod what_if;

pub use error::{
    ActorField, AgreementField, ChangeField, ErrorKind, FormField, IssueField, Locus,
    ObservationField, RedLineField, ScenarioError, ScenarioErrors, ScenarioField, StanceField,
    SuccessorField, Warning,
};
pub use paths::{PathError, PathValue, ValueKind};
pub use types::{
    Actor, AgreementForm, AgreementRecord, Anchor, ChangeTiming, Decision, DirectionalCost,
    Distribution, FateCheck, Issue, LeadershipChange, Metadata, Observation, ObservationKind,
    RedLine, Response, Scale, Scenario, ScenarioParts, Stance, StanceChange, Statement, Successor,
    ValueRef,
};
pub use validate::{MAX_ACTORS, MAX_ISSUES, MAX_MAGNITUDE, MAX_POSITIONS, MIN_CAPABILITY};
pub use what_if::{Change, ChangeError};
