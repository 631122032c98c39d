//! Printing diagnostics on stderr: errors and warnings with their place in the file, drawn by
//! miette, in colour only when stderr is a terminal and `NO_COLOR` is not set.

use std::io::{IsTerminal, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};
use statecraft_api::{ApiError, ErrorKind};
use statecraft_io::Problem;

use crate::Failure;

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

/// Problems further right than this column, or beside a line longer than this, are printed
/// without their source lines: miette cannot draw a label past column 65,535, and a line that
/// long cannot be read on a screen.
const MAX_SNIPPET_COLUMN: usize = 4096;

/// Problems of one input drawn with their source lines; the rest are printed one line each
/// (`file:line:column: message`). Drawing a snippet reads the text up to the problem, so that
/// drawing every one of 100,000 bad rows would take time quadratic in the file.
pub(crate) const MAX_SNIPPETS: usize = 20;

/// Prints every problem of one input: the first [`MAX_SNIPPETS`] with their source lines.
pub(crate) fn problems<'a>(all: impl IntoIterator<Item = &'a Problem>) {
    let all: Vec<&Problem> = all.into_iter().collect();
    for (k, p) in all.iter().enumerate() {
        if k == MAX_SNIPPETS {
            let _ = writeln!(
                std::io::stderr(),
                "({} more, without their source lines:)",
                all.len() - MAX_SNIPPETS
            );
        }
        drawn(p, k < MAX_SNIPPETS);
    }
}

/// Warnings drawn so far by [`warning`] (a process prints one input's warnings).
static WARNINGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Prints a warning as it comes: the first [`MAX_SNIPPETS`] with their source lines.
pub(crate) fn warning(problem: &Problem) {
    let k = WARNINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if k == MAX_SNIPPETS {
        let _ = writeln!(
            std::io::stderr(),
            "(further warnings without their source lines:)"
        );
    }
    drawn(problem, k < MAX_SNIPPETS);
}

fn drawn(problem: &Problem, snippet: bool) {
    let problem = &problem.printable();
    let far_right = problem
        .line_column
        .is_some_and(|(_, column)| column > MAX_SNIPPET_COLUMN)
        || problem.widest_shown_line() > MAX_SNIPPET_COLUMN;
    let mut out = String::new();
    if !snippet || far_right || handler().render_report(&mut out, problem).is_err() {
        let kind = match problem.severity {
            statecraft_io::Severity::Error => "error",
            statecraft_io::Severity::Warning => "warning",
        };
        out = format!("{kind}: {problem}\n");
        if let Some(help) = &problem.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    let _ = write!(std::io::stderr(), "{out}");
}

/// Prints a note on how an input was read or what an analysis noticed.
pub(crate) fn note(text: &str) {
    let text = super::wrap(&super::printable(text), "note: ", 6);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints `error: MESSAGE` and `help: HELP`; the caller exits with code 2.
pub(crate) fn usage(message: &str, help: &str) -> Failure {
    let _ = writeln!(
        std::io::stderr(),
        "error: {}\n  help: {}",
        super::printable(message),
        super::printable(help)
    );
    Failure::BadInput
}

/// Prints an error of the analysis API and decides the exit code: located problems with their
/// source text, the others as `error: ...` with their help.
pub(crate) fn api_error(error: ApiError) -> Failure {
    render(error, false)
}

/// Like [`api_error`], naming the request field of each problem (for `statecraft run`).
pub(crate) fn request_error(error: ApiError) -> Failure {
    render(error, true)
}

fn render(error: ApiError, fields: bool) -> Failure {
    match error.kind {
        ErrorKind::BadInput => {
            if error.located.is_empty() {
                for p in &error.problems {
                    let field = match (&p.field, fields) {
                        (Some(f), true) => format!("field `{f}`: "),
                        _ => String::new(),
                    };
                    let mut text = format!("error: {field}{}\n", p.message);
                    if let Some(help) = &p.help {
                        text.push_str(&format!("  help: {help}\n"));
                    }
                    let _ = write!(std::io::stderr(), "{text}");
                }
            } else {
                problems(&error.located);
                let n = error
                    .located
                    .iter()
                    .filter(|p| p.severity == statecraft_io::Severity::Error)
                    .count();
                if n > 1 {
                    let _ = writeln!(std::io::stderr(), "{n} errors");
                }
            }
            Failure::BadInput
        }
        ErrorKind::Failed | ErrorKind::Cancelled => {
            Failure::Failed(anyhow::anyhow!(error.to_string()))
        }
    }
}
