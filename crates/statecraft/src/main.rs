//! The `statecraft` binary: parses the command line, runs the command, maps errors to exit codes.

mod cli;
mod commands;
mod print;
mod progress;
mod requests;
mod runs;
mod serve;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// Why a command did not succeed; decides the exit code in one place.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input is malformed or the usage wrong (exit 2); the problems were already printed.
    BadInput,
    /// The input was fine but the command failed (exit 1).
    Failed(anyhow::Error),
    /// Ctrl-C stopped the run; what was done was printed (exit 130, as a shell reports SIGINT).
    Interrupted,
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Failed(e)
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput) => ExitCode::from(2),
        Err(Failure::Interrupted) => ExitCode::from(130),
        Err(Failure::Failed(e)) => {
            // A closed pipe (`statecraft forecast | head`) is not a failure.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            ExitCode::from(1)
        }
    }
}
