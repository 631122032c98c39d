//! Printing diagnostics on stderr: errors and warnings with their place in the file, drawn by
//! miette, in colour only when stderr is a terminal and `NO_COLOR` is not set.

use std::io::{IsTerminal, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};
use statecraft_io::{LoadError, Problem};

fn handler() -> GraphicalReportHandler {
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(100)
}

/// Prints one problem (error or warning) with its source snippet.
pub(crate) fn problem(problem: &Problem) {
    let mut out = String::new();
    if handler().render_report(&mut out, problem).is_err() {
        out = format!("{problem}\n");
    }
    let _ = write!(std::io::stderr(), "{out}");
}

/// Prints every problem of a failed load.
pub(crate) fn load_error(error: &LoadError) {
    for p in &error.problems {
        problem(p);
    }
    let n = error
        .problems
        .iter()
        .filter(|p| p.severity == statecraft_io::Severity::Error)
        .count();
    if n > 1 {
        let _ = writeln!(std::io::stderr(), "{n} errors");
    }
}

/// Prints a note on how an input was read.
pub(crate) fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "note: {text}");
}
