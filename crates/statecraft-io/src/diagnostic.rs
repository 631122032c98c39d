//! Located diagnostics: every problem with an input names the file, line and column, shows the
//! offending text and says what is allowed.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input can be used, but probably does not say what its author meant.
    Warning,
}

/// One problem with an input file, with its place in the file when known.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file as the user named it.
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub line_column: Option<(usize, usize)>,
    /// What is wrong, naming the actor, issue and field.
    pub message: String,
    /// What is allowed, or how to fix it.
    pub help: Option<String>,
    /// Where the value is in the scenario's structure (`actors[1].positions.sanctions.salience`,
    /// as in docs/scenario-format.md), when the reader knows it: front ends that edit the
    /// scenario as data (the web app) put the message next to that field.
    pub path: Option<String>,
    source: Option<NamedSource<Arc<String>>>,
    span: Option<Range<usize>>,
}

impl Problem {
    /// A problem at byte range `span` of `source` (or without a place when `span` is `None`).
    pub(crate) fn new(
        file: &str,
        source: &Arc<String>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let span = span.map(|r| clamp_span(source, r));
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            line_column: span.as_ref().map(|r| line_column(source, r.start)),
            message: message.into(),
            help: None,
            path: None,
            source: Some(NamedSource::new(file, Arc::clone(source))),
            span,
        }
    }

    /// A problem with the file as a whole (it cannot be read, say).
    pub(crate) fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            line_column: None,
            message: message.into(),
            help: None,
            path: None,
            source: None,
            span: None,
        }
    }

    /// Adds what is allowed or how to fix it.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names where the value is in the scenario's structure.
    pub(crate) fn with_path(mut self, path: Option<String>) -> Self {
        self.path = path.filter(|p| !p.is_empty());
        self
    }

    /// Marks this problem as a warning.
    pub(crate) fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// A copy fit for a terminal: every control character of the message, the help and the
    /// quoted source but newline, tab and the carriage return of a CRLF line end is shown as
    /// `?` (one per byte, so that the problem's place in the source does not move), so that a
    /// hostile file cannot send escape sequences to the terminal that shows its problems.
    pub fn printable(&self) -> Problem {
        fn text(s: &str) -> String {
            let mut out = String::with_capacity(s.len());
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                let keep = matches!(c, '\n' | '\t')
                    || (c == '\r' && chars.peek() == Some(&'\n'))
                    || !c.is_control();
                if keep {
                    out.push(c);
                } else {
                    out.push_str(&"?".repeat(c.len_utf8()));
                }
            }
            out
        }
        let mut copy = self.clone();
        copy.message = text(&self.message);
        copy.help = self.help.as_deref().map(text);
        copy.file = text(&self.file);
        copy.source = self
            .source
            .as_ref()
            .map(|source| NamedSource::new(text(source.name()), Arc::new(text(source.inner()))));
        copy
    }

    /// The length in characters of the longest source line a drawing of this problem shows:
    /// the lines of its place and one line either side (0 when it has no place). A front end
    /// prints a problem beside a line too long to read on a screen (the header of a wide
    /// table) without its source lines.
    pub fn widest_shown_line(&self) -> usize {
        let (Some(source), Some(span)) = (&self.source, &self.span) else {
            return 0;
        };
        let text = source.inner().as_str();
        let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
        // From the start of the line before the place to the end of the line after it.
        let line_start = text[..start].rfind('\n').unwrap_or(0);
        let from = text[..line_start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let to = text
            .get(line_end + 1..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| line_end + 1 + i);
        text[from..to]
            .lines()
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0)
    }

    /// `file:line:column`, or just the file when there is no place.
    pub fn place(&self) -> String {
        match self.line_column {
            Some((line, column)) => format!("{}:{line}:{column}", self.file),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = miette::LabeledSpan::new_with_span(Some("here".into()), SourceSpan::from(span));
        Some(Box::new(std::iter::once(label)))
    }
}

/// Every problem that stopped an input from loading (never empty), with any warnings.
#[derive(Debug, Clone)]
pub struct LoadError {
    /// The problems, errors first.
    pub problems: Vec<Problem>,
}

impl LoadError {
    pub(crate) fn one(problem: Problem) -> Self {
        Self {
            problems: vec![problem],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, problem) in self.problems.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Keeps a span inside the text and on character boundaries.
fn clamp_span(source: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// 1-based line and column (in characters) of byte `offset`.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The help for a name that is not among `names` (the `plural` of what they are): "did you
/// mean `X`? the issues are: a, b, c", or just the list when nothing is close.
pub fn unknown_name_help(name: &str, names: &[&str], plural: &str) -> String {
    match did_you_mean(name, names.iter().copied()) {
        Some(guess) => format!(
            "did you mean `{guess}`? the {plural} are: {}",
            names.join(", ")
        ),
        None => format!("the {plural} are: {}", names.join(", ")),
    }
}
