//! Integration tests that run the real `statecraft` binary, gathered into one test binary so that
//! the workspace links one executable instead of one per file.

mod cli;
mod coalitions;
mod durability;
mod malformed;
mod power;
mod store;
mod support;
