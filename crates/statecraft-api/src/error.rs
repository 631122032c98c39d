//! One error type for every front end: what kind of failure it is, and the problems as data
//! (file, line, column, field, message, help), with the located originals kept for renderers
//! that draw the offending text (the CLI's miette).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_io::{LoadError, Problem};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input can be used, but probably does not say what its author meant.
    Warning,
}

/// One problem, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProblemData {
    /// Error or warning.
    pub severity: Severity,
    /// The file (or request) the problem is in, as the user named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, when the problem has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters), when the problem has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The field of a request it concerns (`analysis.forecast.q`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Where the value is in the scenario's structure (`actors[1].positions.sanctions.salience`,
    /// as in docs/scenario-format.md), when known: an editor puts the message next to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What is allowed, or how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl ProblemData {
    /// An error with a message and no place.
    pub fn message(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            field: None,
            path: None,
            message: message.into(),
            help: None,
        }
    }

    /// Adds what is allowed or how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the request field the problem concerns.
    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl From<&Problem> for ProblemData {
    fn from(p: &Problem) -> Self {
        Self {
            severity: match p.severity {
                statecraft_io::Severity::Error => Severity::Error,
                statecraft_io::Severity::Warning => Severity::Warning,
            },
            file: Some(p.file.clone()),
            line: p.line_column.map(|(l, _)| l),
            column: p.line_column.map(|(_, c)| c),
            field: None,
            path: p.path.clone(),
            message: p.message.clone(),
            help: p.help.clone(),
        }
    }
}

/// The kind of failure, which decides the CLI's exit code and the server's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input (scenario, request, option) is malformed (CLI exit 2, HTTP 4xx).
    BadInput,
    /// The input was fine but the run failed (CLI exit 1, HTTP 500).
    Failed,
    /// The run was cancelled before it had a result.
    Cancelled,
}

/// Why a request did not give a result.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ApiError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// Every problem found (never empty).
    pub problems: Vec<ProblemData>,
    /// The located problems of a scenario that did not load, with their source text.
    #[serde(skip)]
    #[schemars(skip)]
    pub located: Vec<Problem>,
}

impl ApiError {
    /// Bad input, with one problem.
    pub fn bad_input(problem: ProblemData) -> Self {
        Self {
            kind: ErrorKind::BadInput,
            problems: vec![problem],
            located: Vec::new(),
        }
    }

    /// Bad input: `message`, and what to do about it.
    pub(crate) fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::bad_input(ProblemData::message(message).with_help(help))
    }

    /// The run failed although its input was fine.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Failed,
            problems: vec![ProblemData::message(message)],
            located: Vec::new(),
        }
    }

    /// The run was cancelled.
    pub fn cancelled() -> Self {
        Self {
            kind: ErrorKind::Cancelled,
            problems: vec![ProblemData::message("the run was cancelled")],
            located: Vec::new(),
        }
    }

    /// Names the request field of every problem that has none yet.
    pub(crate) fn at_field(mut self, field: &str) -> Self {
        for p in &mut self.problems {
            if p.field.is_none() {
                p.field = Some(field.to_owned());
            }
        }
        self
    }
}

impl From<LoadError> for ApiError {
    fn from(e: LoadError) -> Self {
        Self {
            kind: ErrorKind::BadInput,
            problems: e.problems.iter().map(ProblemData::from).collect(),
            located: e.problems,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, p) in self.problems.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            match (&p.file, p.line, p.column) {
                (Some(file), Some(l), Some(c)) => write!(f, "{file}:{l}:{c}: ")?,
                (Some(file), _, _) => write!(f, "{file}: ")?,
                _ => {}
            }
            write!(f, "{}", p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
