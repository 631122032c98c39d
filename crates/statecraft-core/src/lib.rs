//! The domain and the mathematics of statecraft: validated scenarios and the forecasting models.
//!
//! This crate is pure: it does no I/O, prints nothing and holds no global state, so that the same
//! scenario and options give the same numbers everywhere. Files are read and written by
//! `statecraft-io`; the command line lives in the `statecraft` binary.
//!
//! ```
//! use statecraft_core::scenario::{Actor, Issue, Scale, ScenarioParts, Scenario, Stance};
//! use statecraft_core::models::{baseline_models, Model};
//!
//! let parts = ScenarioParts {
//!     actors: vec![Actor::new("A", 60.0), Actor::new("B", 40.0)],
//!     issues: vec![Issue::new("tariff", Scale::new(0.0, 100.0))],
//!     stances: vec![
//!         vec![Some(Stance::new(20.0, 0.5))],
//!         vec![Some(Stance::new(80.0, 0.5))],
//!     ],
//!     ..ScenarioParts::default()
//! };
//! let scenario = Scenario::new(parts)?;
//! let forecast = statecraft_core::models::Compromise.forecast(&scenario);
//! assert_eq!(forecast.issues[0].value, Some(44.0));
//! assert_eq!(baseline_models().len(), 3);
//! # Ok::<(), statecraft_core::scenario::ScenarioErrors>(())
//! ```

pub mod backtest;
pub mod coalitions;
pub mod durability;
pub mod inference;
pub mod models;
pub mod power;
pub mod red_lines;
pub mod scenario;
pub mod sweep;
pub mod text;
pub mod validation;
