//! Integration tests that run the real `statecraft` binary, gathered into one test binary so that
//! the workspace links one executable instead of one per file.

mod api;
mod cli;
mod coalitions;
mod compare;
mod disagreement;
mod distributions;
mod durability;
mod edges;
mod imports;
mod infer;
mod layout;
mod malformed;
mod power;
mod report;
mod robustness;
mod serve;
mod smp;
mod store;
mod support;
mod sweep;
mod truths;
mod validate;
mod what_if;
