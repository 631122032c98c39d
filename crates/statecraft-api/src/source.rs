//! Where a request's scenario comes from: a built-in name, a file's text with its format, or
//! the scenario inline as data. Reading it gives the same located messages as the file would.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_io::{Format, Loaded};

use crate::context::NoteLog;
use crate::error::{ApiError, ProblemData};

/// The scenario used when none is named.
pub const DEFAULT_SCENARIO: &str = "six-party-2009";

/// A request's scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ScenarioSource {
    /// A built-in scenario by name (`statecraft scenarios` lists them).
    Builtin {
        /// Its name, e.g. `six-party-2009`.
        name: String,
    },
    /// A scenario file's text; problems are located in it as in the file.
    Text {
        /// The file's name, used in messages and to guess the format (`my.toml`).
        #[serde(default = "default_file")]
        file: String,
        /// The format: toml, json, csv, ktab, decide or ktab-xml [default: from `file`, else the
        /// text].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<String>,
        /// The text itself.
        text: String,
    },
    /// The scenario as data, in the structure of statecraft's JSON format
    /// (docs/scenario-format.md).
    Inline {
        /// The scenario.
        #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
        scenario: serde_json::Value,
    },
}

fn default_file() -> String {
    "scenario".into()
}

impl Default for ScenarioSource {
    fn default() -> Self {
        ScenarioSource::Builtin {
            name: DEFAULT_SCENARIO.into(),
        }
    }
}

impl ScenarioSource {
    /// How to name the source in messages: the built-in's name or the file's.
    pub fn name(&self) -> &str {
        match self {
            ScenarioSource::Builtin { name } => name,
            ScenarioSource::Text { file, .. } => file,
            ScenarioSource::Inline { .. } => "the inline scenario",
        }
    }
}

/// Reads and validates the scenario, passing on the reader's notes.
pub(crate) fn load(source: &ScenarioSource, notes: &NoteLog) -> Result<Loaded, ApiError> {
    let loaded = match source {
        ScenarioSource::Builtin { name } => statecraft_io::load_builtin(name).ok_or_else(|| {
            ApiError::bad_input(
                ProblemData::message(format!("there is no built-in scenario `{name}`"))
                    .with_help(statecraft_io::unknown_name_help(
                        name,
                        &statecraft_io::builtin_names(),
                        "built-in scenarios",
                    ))
                    .at_field("scenario.builtin.name"),
            )
        })?,
        ScenarioSource::Text { file, format, text } => {
            let format = match format {
                Some(name) => Some(Format::from_name(name).ok_or_else(|| {
                    ApiError::usage(
                        format!("unknown scenario format `{name}`"),
                        "the formats are toml, json, csv, ktab, decide and ktab-xml",
                    )
                    .at_field("scenario.text.format")
                })?),
                None => None,
            };
            statecraft_io::parse_text(file, text.clone(), format)?
        }
        ScenarioSource::Inline { scenario } => {
            let text = serde_json::to_string_pretty(scenario).expect("JSON values serialise");
            statecraft_io::parse_str("inline scenario", text, Format::Json)?
        }
    };
    for note in &loaded.notes {
        notes.note(note.clone());
    }
    Ok(loaded)
}
