//! The scenario: actors, issues, stances, red lines and domestic politics, validated on construction.

mod error;
mod scenario;
mod validate;

pub use error::{
    ActorField, ChangeField, ErrorKind, FormField, IssueField, Locus, RedLineField, ScenarioError,
    ScenarioErrors, ScenarioField, StanceField, SuccessorField, Warning,
};
pub use scenario::{
    Actor, AgreementForm, Anchor, ChangeTiming, DirectionalCost, Issue, LeadershipChange, Metadata,
    RedLine, Scale, Scenario, ScenarioParts, Stance, StanceChange, Successor,
};
