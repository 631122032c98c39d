//! Scenario files in and out: statecraft's TOML and JSON, the field's CSV tables (one-issue
//! tables, KTAB's CSV, Decide's TSV), and the built-in scenarios, with diagnostics that name the
//! file, line, column and field of every problem.
//!
//! ```
//! let loaded = statecraft_io::load_builtin("six-party-2009").expect("the built-in scenario loads");
//! assert_eq!(loaded.scenario.actors().len(), 6);
//! let toml = statecraft_io::export(&loaded.scenario, statecraft_io::Format::Toml);
//! let again = statecraft_io::parse_str("copy.toml", toml, statecraft_io::Format::Toml).unwrap();
//! assert_eq!(again.scenario, loaded.scenario);
//! ```

mod builtin;
mod deu;
mod diagnostic;
mod dto;
mod ktab_xml;
mod native;
mod params;
pub mod store;
mod tables;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use statecraft_core::scenario::{ErrorKind, Locus, Scenario, ScenarioParts};

pub use builtin::{builtin_names, builtin_source, Builtin, BUILTINS};
pub use deu::{load_cases, parse_deu, parse_outcomes, CaseSet, DEU_MISSING_SALIENCE};
pub use diagnostic::{did_you_mean, unknown_name_help, LoadError, Problem, Severity};
pub use ktab_xml::KtabSettings;
pub use params::{parse_params, write_params};
pub use tables::MAX_TABLE_CELLS;

/// A file format statecraft reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Statecraft's own format (`.toml`).
    Toml,
    /// The same structure as JSON (`.json`).
    Json,
    /// The one-issue table `Actor,Capability,Position,Salience` (`.csv`).
    Table,
    /// KTAB's CSV (`name,description,nActors,nDims,` then `Actor,Description,Power,...`).
    Ktab,
    /// Decide's tagged TSV (`#A`, `#P`, `#M`, `#D` rows).
    Decide,
    /// KTAB's XML scenario (`<Scenario>` with dimensions, actors, seed, model parameters and
    /// ideal adjustments; `.xml`).
    KtabXml,
}

impl Format {
    /// Every format, in the order the help lists them.
    pub const ALL: [Format; 6] = [
        Format::Toml,
        Format::Json,
        Format::Table,
        Format::Ktab,
        Format::Decide,
        Format::KtabXml,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
            Format::Table => "csv",
            Format::Ktab => "ktab",
            Format::Decide => "decide",
            Format::KtabXml => "ktab-xml",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Whether statecraft can write this format.
    pub fn can_write(self) -> bool {
        matches!(self, Format::Toml | Format::Json)
    }

    /// Guesses the format from the file name and, for `.csv`/`.tsv` (or no known extension),
    /// the first lines.
    pub fn detect(file: &str, text: &str) -> Option<Format> {
        let extension = Path::new(file)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("toml") => Some(Format::Toml),
            Some("json") => Some(Format::Json),
            Some("csv") | Some("tsv") | Some("txt") => Some(tables::sniff(text)),
            Some("xml") => Some(Format::KtabXml),
            _ if ktab_xml::sniff(text) => Some(Format::KtabXml),
            _ => None,
        }
    }
}

/// A scenario that loaded, with the soft problems found and notes on how the file was read.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Soft problems, located in the file.
    pub warnings: Vec<Problem>,
    /// How the input was interpreted (e.g. "saliences read on 0..100").
    pub notes: Vec<String>,
    /// What a KTAB XML file says about running its model (seed, parameters, ideal
    /// adjustments); `None` for other formats.
    pub ktab: Option<KtabSettings>,
}

/// Reads and validates a scenario file; the format comes from `format` or is detected.
pub fn load_path(path: &Path, format: Option<Format>) -> Result<Loaded, LoadError> {
    let text = read_path(path)?;
    parse_text(&path.display().to_string(), text, format)
}

/// The largest file statecraft reads: a scenario, a table, the DEU file or a request (16 MiB).
/// The largest scenario any analysis runs on (20,000 actors, 1,000 issues) is checked after
/// reading; this bound keeps reading itself from exhausting memory (a 200 MB table used to abort
/// asking for 7.8 GB) and stops a read of an endless input such as `/dev/zero`.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Reads all of `reader`, or `Ok(None)` when it holds more than [`MAX_FILE_BYTES`].
pub fn read_bounded(reader: impl std::io::Read) -> std::io::Result<Option<Vec<u8>>> {
    read_bounded_into(reader, Vec::new())
}

/// [`read_bounded`] into `bytes` (reserved ahead when the size is known).
fn read_bounded_into(
    reader: impl std::io::Read,
    mut bytes: Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    std::io::Read::read_to_end(&mut reader.take(MAX_FILE_BYTES + 1), &mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

/// The message for an input larger than [`MAX_FILE_BYTES`].
pub fn too_large_message() -> String {
    format!(
        "the file is larger than the limit of {} MiB ({MAX_FILE_BYTES} bytes)",
        MAX_FILE_BYTES >> 20
    )
}

/// The problem of file `file` being larger than [`MAX_FILE_BYTES`].
fn too_large(file: &str) -> Problem {
    Problem::whole_file(file, too_large_message()).with_help(
        "statecraft reads files of at most 16 MiB (docs/reliability.md lists every limit)",
    )
}

/// Reads a scenario file's text, with a located message when it cannot be read, is larger than
/// [`MAX_FILE_BYTES`] or is not UTF-8.
pub fn read_path(path: &Path) -> Result<String, LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::File::open(path)
        .and_then(|file| {
            // Reserved from the size on disk (up to the limit), so a large file is not copied
            // as the buffer doubles; a pipe or a device reports 0 and grows as it is read.
            let size = file
                .metadata()
                .map_or(0, |m| m.len().min(MAX_FILE_BYTES + 1));
            read_bounded_into(file, Vec::with_capacity(size as usize))
        })
        .map_err(|e| {
            let reason = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_owned(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
                _ => e.to_string(),
            };
            let mut problem = Problem::whole_file(&file, format!("cannot read the file: {reason}"));
            if e.kind() == std::io::ErrorKind::NotFound {
                problem = problem.with_help(format!(
                    "give a path to a scenario file, or a built-in scenario: {}",
                    builtin_names().join(", ")
                ));
            }
            LoadError::one(problem)
        })?
        .ok_or_else(|| LoadError::one(too_large(&file)))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = Arc::new(String::from_utf8_lossy(e.as_bytes()).into_owned());
            let problem = Problem::new(
                &file,
                &lossy,
                Some(offset..offset + 1),
                format!("the file is not valid UTF-8 (byte {offset} cannot be decoded)"),
            )
            .with_help("save the file as UTF-8 text");
            Err(LoadError::one(problem))
        }
    }
}

/// Reads a file as UTF-8 text, returning the name it goes by in messages with it.
pub(crate) fn read_text(path: &Path) -> Result<(String, String), LoadError> {
    Ok((path.display().to_string(), read_path(path)?))
}

/// Reads and validates the text of file `file`; the format comes from `format` or is detected
/// from the file's name and first lines.
pub fn parse_text(file: &str, text: String, format: Option<Format>) -> Result<Loaded, LoadError> {
    let format = format
        .or_else(|| Format::detect(file, text.strip_prefix('\u{feff}').unwrap_or(&text)))
        .ok_or_else(|| {
            LoadError::one(
                Problem::whole_file(file, "cannot tell the file's format from its name")
                    .with_help(
                    "name it .toml, .json, .csv, .tsv or .xml, or give --from toml|json|csv|ktab|decide|ktab-xml",
                ),
            )
        })?;
    parse_str(file, text, format)
}

/// Reads and validates scenario text; `file` names it in messages.
pub fn parse_str(file: &str, text: String, format: Format) -> Result<Loaded, LoadError> {
    // KTAB's XML reader notes a byte-order mark itself (KTAB refuses one).
    let text = if format == Format::KtabXml {
        text
    } else {
        without_bom(text)
    };
    // Text that did not come through `read_path` (a request, Python, the server) meets the
    // same bound.
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::one(too_large(file)));
    }
    if text.trim().is_empty() {
        let problem = Problem::whole_file(file, "the file is empty")
            .with_help("a scenario needs [[issues]] and [[actors]]; see docs/scenario-format.md");
        return Err(LoadError::one(problem));
    }
    let text = Arc::new(text);
    match format {
        Format::Toml => native::parse_toml(file, text),
        Format::Json => native::parse_json(file, text),
        Format::Table => tables::parse_table(file, text),
        Format::Ktab => tables::parse_ktab(file, text),
        Format::Decide => tables::parse_decide(file, text),
        Format::KtabXml => ktab_xml::parse_ktab_xml(file, text),
    }
}

/// The text without a leading UTF-8 byte-order mark, which spreadsheets and Windows editors
/// write and which every format reads as if it were not there.
fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Loads a built-in scenario by name.
pub fn load_builtin(name: &str) -> Option<Loaded> {
    let source = builtin_source(name)?;
    let file = format!("{name}.toml");
    Some(parse_str(&file, source.to_owned(), Format::Toml).expect("built-in scenarios are valid"))
}

/// Writes a scenario in `format` (TOML or JSON).
///
/// # Panics
/// When `format` cannot be written (see [`Format::can_write`]).
pub fn export(scenario: &Scenario, format: Format) -> String {
    match format {
        Format::Toml => native::to_toml(scenario),
        Format::Json => native::to_json(scenario),
        other => panic!("statecraft cannot write {} files", other.name()),
    }
}

/// Validates parts built from a file, locating every error and warning with `locate`.
pub(crate) fn validate(
    file: &str,
    text: &Arc<String>,
    parts: ScenarioParts,
    locate: &dyn Fn(Locus) -> Option<Range<usize>>,
    path_of: &dyn Fn(Locus) -> Option<String>,
) -> Result<Loaded, LoadError> {
    let place = |locus: Locus| {
        let mut next = Some(locus);
        while let Some(l) = next {
            if let Some(span) = locate(l) {
                return Some(span);
            }
            next = l.parent();
        }
        None
    };
    let scenario = Scenario::new(parts).map_err(|errors| LoadError {
        problems: errors
            .0
            .into_iter()
            .map(|e| {
                let problem = Problem::new(file, text, place(e.locus), e.to_string())
                    .with_path(path_of(e.locus));
                match help_for(&e.kind) {
                    Some(help) => problem.with_help(help),
                    None => problem,
                }
            })
            .collect(),
    })?;
    let warnings = scenario
        .warnings()
        .into_iter()
        .map(|w| {
            Problem::new(file, text, place(w.locus), w.message)
                .with_path(path_of(w.locus))
                .warning()
        })
        .collect();
    Ok(Loaded {
        scenario,
        warnings,
        notes: Vec::new(),
        ktab: None,
    })
}

/// What is allowed, for each kind of error.
pub fn help_for(kind: &ErrorKind) -> Option<String> {
    Some(match kind {
        ErrorKind::CapabilityNotPositive { .. } => "capability is clout on any positive scale, e.g. 0.16 or 80".into(),
        ErrorKind::OutsideUnit { field: "salience", .. } => {
            "salience is how much the issue matters to the actor, from 0 (not at all) to 1 (above all)".into()
        }
        ErrorKind::OutsideUnit { field: "share", .. } => {
            "an affinity is the share of a partner's gains and losses counted as the actor's own, from 0 to 1".into()
        }
        ErrorKind::OutsideUnit { .. } => "probabilities lie between 0 and 1".into(),
        ErrorKind::OutsideScale { min, max, .. } => format!("use a value from {min} to {max}, or widen the issue's scale"),
        ErrorKind::NotFinite { .. } => "use an ordinary number; nan and inf are not allowed".into(),
        ErrorKind::TooLarge { limit, .. } => format!(
            "numbers in a scenario lie between -{limit:e} and {limit:e}, so that every result stays finite; rescale the units (thousands, millions)"
        ),
        ErrorKind::CapabilityTooSmall { limit, .. } => format!(
            "capabilities lie between {limit:e} and 1e100; rescale them so the smallest is at least {limit:e}"
        ),
        ErrorKind::TooFewPositioned { .. } => "give at least two actors a position on this issue, or remove it".into(),
        ErrorKind::DuplicateActor { .. } | ErrorKind::DuplicateIssue { .. } => "rename or remove one of them".into(),
        ErrorKind::InvalidId { .. } => "ids are used on the command line; put the full name in `name` or `label`".into(),
        ErrorKind::RedLineOwnPosition { .. } => {
            "a red line is what the actor refuses; it cannot contain what the actor asks for".into()
        }
        ErrorKind::SuccessorProbabilities { .. } => "the successors' probabilities must add up to 1".into(),
        ErrorKind::BadScale { .. } => "an issue's scale runs from `min` up to a larger `max`".into(),
        _ => return None,
    })
}
