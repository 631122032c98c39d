//! The scenario: actors, issues, stances, red lines and domestic politics, validated on construction.

mod error;
mod types;
mod validate;
mod what_if;

pub use error::{
    ActorField, ChangeField, ErrorKind, FormField, IssueField, Locus, RedLineField, ScenarioError,
    ScenarioErrors, ScenarioField, StanceField, SuccessorField, Warning,
};
pub use types::{
    Actor, AgreementForm, Anchor, ChangeTiming, DirectionalCost, Distribution, Issue,
    LeadershipChange, Metadata, RedLine, Scale, Scenario, ScenarioParts, Stance, StanceChange,
    Successor, ValueRef,
};
pub use what_if::Change;
