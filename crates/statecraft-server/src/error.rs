//! Every failure the server answers with: an HTTP status and the API's error as JSON
//! (`{kind, problems, incident?}`), so that a client reads the same problems as the CLI prints.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use statecraft_api::{ApiError, ErrorKind, ProblemData};

/// An error response.
#[derive(Debug, Clone, Serialize)]
pub struct HttpError {
    /// The status sent.
    #[serde(skip)]
    pub status: StatusCode,
    /// `bad_input`, `failed`, `cancelled`, or one of the server's own: `too_large`, `timeout`,
    /// `busy`, `forbidden`, `not_found`, `conflict`, `unsupported_media_type`, `malformed`.
    pub kind: String,
    /// What went wrong, as data.
    pub problems: Vec<ProblemData>,
    /// For an internal error: the id that the server log prints with its details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
}

impl HttpError {
    /// An error of the server's own with one message.
    pub fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            kind: kind.into(),
            problems: vec![ProblemData::message(message)],
            incident: None,
        }
    }

    /// Adds what to do about it to the first problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        if let Some(p) = self.problems.first_mut() {
            p.help = Some(help.into());
        }
        self
    }

    /// An internal error: the client gets the id, the log the details.
    pub fn internal(incident: String, details: &str) -> Self {
        eprintln!("statecraft serve: internal error {incident}: {details}");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "failed".into(),
            problems: vec![ProblemData::message(format!(
                "internal error {incident}: the server log has the details"
            ))],
            incident: Some(incident),
        }
    }

    /// The API's error: bad input is 422, a failed run 500, a cancelled one 503.
    pub fn from_api(e: ApiError, state: &crate::AppState) -> Self {
        let (status, kind) = match e.kind {
            ErrorKind::BadInput => (StatusCode::UNPROCESSABLE_ENTITY, "bad_input"),
            ErrorKind::Cancelled => (StatusCode::SERVICE_UNAVAILABLE, "cancelled"),
            ErrorKind::Failed => {
                let incident = state.incident();
                let mut err = Self::internal(incident, &e.to_string());
                err.problems = e.problems;
                return err;
            }
        };
        Self {
            status,
            kind: kind.into(),
            problems: e.problems,
            incident: None,
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(&self)).into_response()
    }
}
