//! The field's tables: the one-issue CSV (`Actor,Capability,Position,Salience`), KTAB's CSV and
//! Decide's tagged TSV, each turned into a scenario with every cell's place kept for messages.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use statecraft_core::scenario::{
    Actor, ActorField, Issue, IssueField, Locus, Metadata, Scale, ScenarioParts, Stance,
    StanceField, MAX_ACTORS, MAX_POSITIONS,
};

use crate::diagnostic::Problem;
use crate::{Format, LoadError, Loaded};

/// Column names accepted for each field of the one-issue table, lower case.
const ACTOR_NAMES: &[&str] = &[
    "actor",
    "stakeholder",
    "name",
    "player",
    "actors",
    "party",
    "country",
    "state",
    "member",
    "participant",
    "delegation",
];
const CAPABILITY_NAMES: &[&str] = &[
    "capability",
    "clout",
    "resources",
    "power",
    "influence",
    "cap",
    "capabilities",
];
const POSITION_NAMES: &[&str] = &[
    "position",
    "pos",
    "stance",
    "policy position",
    "preference",
    "ideal point",
];
const SALIENCE_NAMES: &[&str] = &[
    "salience",
    "sal",
    "importance",
    "policy salience",
    "priority",
    "intensity",
];

/// Tells a KTAB CSV or a Decide TSV from a plain one-issue table by its first lines.
pub(crate) fn sniff(text: &str) -> Format {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or("");
    if first.trim_start().starts_with("'#") || first.trim_start().starts_with("#A") {
        return Format::Decide;
    }
    let fields: Vec<&str> = first.split(',').map(str::trim).collect();
    let counts = fields.len() >= 4
        && fields[2].parse::<usize>().is_ok()
        && fields[3].parse::<usize>().is_ok();
    let second = lines.next().unwrap_or("");
    if counts
        && second
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("actor")
    {
        Format::Ktab
    } else {
        Format::Table
    }
}

/// A record of a table with the byte range of each of its cells in the source text.
pub(crate) struct Row {
    pub(crate) fields: Vec<String>,
    pub(crate) spans: Vec<Range<usize>>,
    /// The whole line, for problems about the row.
    pub(crate) line: Range<usize>,
    /// 1-based line number.
    pub(crate) number: usize,
}

impl Row {
    pub(crate) fn cell(&self, k: usize) -> &str {
        self.fields.get(k).map_or("", String::as_str)
    }

    pub(crate) fn span(&self, k: usize) -> Range<usize> {
        self.spans.get(k).cloned().unwrap_or(self.line.clone())
    }
}

/// The most cells any table may have. While a table is read each cell costs about 60 bytes (its
/// text and place), so this bounds reading at about 300 MB, whatever the file holds: a one-issue
/// table of 3.8 million rows (64 MiB) used to take 6 GB before it was refused.
pub const MAX_TABLE_CELLS: usize = 5_000_000;

/// The most rows a reader takes, and why: the end of the message when a table has more.
pub(crate) struct MostRows {
    pub(crate) rows: usize,
    pub(crate) why: String,
}

impl MostRows {
    /// A table with a header line of `header` rows and a row per actor.
    pub(crate) fn actors(header: usize, what: &str) -> Self {
        MostRows {
            rows: MAX_ACTORS + header,
            why: format!(
                "{what} has a row per actor, and a scenario has at most {MAX_ACTORS} actors"
            ),
        }
    }
}

/// Splits `text` into rows with cell spans, using the csv crate for quoting rules. A table of
/// more than [`MAX_TABLE_CELLS`] cells or more rows than `most` allows is refused as soon as
/// the reading gets there, with the line.
pub(crate) fn read_rows(
    file: &str,
    text: &Arc<String>,
    delimiter: u8,
    quote: u8,
    most: Option<MostRows>,
) -> Result<Vec<Row>, LoadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quote(quote)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    let too_many = |at: usize, message: String| {
        let line = at..text[at..].find('\n').map_or(text.len(), |i| at + i);
        LoadError::one(
            Problem::new(file, text, Some(line), message)
                .with_help("split the scenario (docs/reliability.md lists every limit)"),
        )
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let offset = e.position().map_or(0, |p| p.byte() as usize);
            LoadError::one(Problem::new(
                file,
                text,
                Some(offset..offset),
                format!("cannot read the table: {e}"),
            ))
        })?;
        let position = record
            .position()
            .expect("records read from text have a position");
        let start = position.byte() as usize;
        cells += record.len();
        if cells > MAX_TABLE_CELLS {
            return Err(too_many(
                start,
                format!("the table has more than the limit of {MAX_TABLE_CELLS} cells"),
            ));
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let raw = &text[start..end];
        let mut cursor = 0;
        let mut spans = Vec::new();
        let mut fields = Vec::new();
        for field in record.iter() {
            let trimmed = field.trim();
            let at = if trimmed.is_empty() {
                None
            } else {
                raw[cursor..].find(trimmed).map(|i| cursor + i)
            };
            let at = at.unwrap_or(cursor);
            spans.push(start + at..start + at + trimmed.len());
            cursor = (at + trimmed.len()).min(raw.len());
            // An unquoted cell is not always in the raw line as read (`'US'é`), so the cursor
            // may land inside a character.
            while !raw.is_char_boundary(cursor) {
                cursor += 1;
            }
            // Move past the delimiter, so that an empty cell sits at its own place.
            if let Some(i) = raw[cursor..].find(delimiter as char) {
                cursor += i + 1;
            }
            fields.push(trimmed.to_owned());
        }
        if fields.iter().all(String::is_empty) {
            continue;
        }
        if let Some(most) = most.as_ref().filter(|m| rows.len() == m.rows) {
            return Err(too_many(
                start,
                format!(
                    "the table has more than the limit of {} rows: {}",
                    most.rows, most.why
                ),
            ));
        }
        rows.push(Row {
            fields,
            spans,
            line: start..end,
            number: position.line() as usize,
        });
    }
    if rows.is_empty() {
        let first_line = 0..text.find('\n').unwrap_or(text.len());
        let problem = Problem::new(
            file,
            text,
            Some(first_line),
            "the table has no values: every row is empty",
        )
        .with_help("a table needs a header line and one row per actor");
        return Err(LoadError::one(problem));
    }
    Ok(rows)
}

/// Collects the pieces of a scenario from a table and where each value came from.
struct Builder<'a> {
    file: &'a str,
    text: &'a Arc<String>,
    spans: HashMap<Locus, Range<usize>>,
    problems: Vec<Problem>,
    notes: Vec<String>,
    /// The table's own name for capability (KTAB's and Decide's `power`), used in messages.
    capability_column: Option<&'static str>,
    /// Whether numbers may use a decimal comma (`0,5`), as semicolon-separated tables do.
    decimal_comma: bool,
}

impl<'a> Builder<'a> {
    fn new(file: &'a str, text: &'a Arc<String>) -> Self {
        Self {
            file,
            text,
            spans: HashMap::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            capability_column: None,
            decimal_comma: false,
        }
    }

    /// Calls capability by the table's own column name in the messages of `problems`.
    fn rename_capability(&self, problems: &mut [Problem]) {
        let Some(column) = self.capability_column else {
            return;
        };
        for p in problems {
            p.message = p.message.replace("capability", column);
            if let Some(help) = &mut p.help {
                *help = help.replace("capability", column);
            }
        }
    }

    fn problem(&mut self, span: Range<usize>, message: String, help: &str) {
        let problem = Problem::new(self.file, self.text, Some(span), message).with_help(help);
        self.problems.push(problem);
    }

    /// Parses a number cell, or records a problem naming the row's actor and the field.
    fn number(&mut self, row: &Row, k: usize, what: &str) -> Option<f64> {
        let cell = row.cell(k);
        let parsed = match cell.parse::<f64>() {
            Err(_) if self.decimal_comma && cell.matches(',').count() == 1 => {
                cell.replace(',', ".").parse::<f64>()
            }
            other => other,
        };
        match parsed {
            Ok(v) => Some(v),
            Err(_) => {
                let message = if cell.is_empty() {
                    format!("line {}: {what} is missing", row.number)
                } else {
                    format!("line {}: {what} `{cell}` is not a number", row.number)
                };
                self.problem(
                    row.span(k),
                    message,
                    "write a plain number such as 0.5 or 80",
                );
                None
            }
        }
    }

    /// Reads salience on 0..1, or on 0..100 when every value is in 0..100 and one exceeds 1.
    fn scale_saliences(&mut self, stances: &mut [Vec<Option<Stance>>]) {
        let all: Vec<f64> = stances
            .iter()
            .flatten()
            .flatten()
            .map(|s| s.salience)
            .collect();
        let percent =
            all.iter().any(|&s| s > 1.0) && all.iter().all(|&s| (0.0..=100.0).contains(&s));
        if percent {
            for stance in stances.iter_mut().flatten().flatten() {
                stance.salience /= 100.0;
            }
            self.notes.push(format!(
                "{}: saliences are on 0..100 (one exceeds 1); read as percentages and divided by 100",
                self.file
            ));
        }
    }

    fn finish(mut self, mut parts: ScenarioParts) -> Result<Loaded, LoadError> {
        // Tables often repeat a name ("Attorney" three times): number the repeats.
        // Counted in hash maps: comparing every row with every earlier one made reading a
        // 100,000-row table take seconds (issue 21).
        let originals: Vec<String> = parts.actors.iter().map(|a| a.id.clone()).collect();
        let mut taken: std::collections::HashSet<String> = originals.iter().cloned().collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (a, id) in originals.iter().enumerate() {
            let count = seen.entry(id.as_str()).or_insert(0);
            let mut n = *count;
            *count += 1;
            if id.is_empty() || n == 0 {
                continue;
            }
            let mut new_id = format!("{id}_{}", n + 1);
            while taken.contains(&new_id) {
                n += 1;
                new_id = format!("{id}_{}", n + 1);
            }
            taken.insert(new_id.clone());
            // The display name is numbered the same way ("Attorney #2"), as the reference
            // implementation does, so two rows never read alike in a table or a trace.
            let actor = &mut parts.actors[a];
            actor.name = format!("{} #{}", actor.name, n + 1);
            self.notes.push(format!(
                "{}: actor name `{id}` repeats; this one is `{new_id}`",
                self.file
            ));
            actor.id = new_id;
        }
        if !self.problems.is_empty() {
            return Err(LoadError {
                problems: self.problems,
            });
        }
        let spans = &self.spans;
        let result = crate::validate(
            self.file,
            self.text,
            parts,
            &|locus| spans.get(&locus).cloned(),
            &|_| None,
        );
        match result {
            Ok(mut loaded) => {
                self.rename_capability(&mut loaded.warnings);
                loaded.notes = self.notes;
                Ok(loaded)
            }
            Err(mut error) => {
                self.rename_capability(&mut error.problems);
                Err(error)
            }
        }
    }
}

/// An actor id from a display name: characters other than letters, digits, `_` and `-` become
/// `_` (ids are used on the command line).
pub(crate) fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '-' {
            id.push(c);
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_matches('_').to_owned()
}

/// The delimiter of a one-issue table: tab for `.tsv`, else whichever of `,`, `;` and tab
/// splits the header line (outside quotes) into the most fields; `,` when none does.
fn table_delimiter(file: &str, text: &str) -> u8 {
    if file.to_ascii_lowercase().ends_with(".tsv") {
        return b'\t';
    }
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in header.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in &mut counts {
                if c == *d {
                    *n += 1;
                }
            }
        }
    }
    // Ties go to the comma (the first), then the semicolon.
    let best = counts.iter().fold(
        (b',', 0),
        |best, &(d, n)| if n > best.1 { (d, n) } else { best },
    );
    best.0
}

fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

/// A one-issue table: `Actor,Capability,Position,Salience` in any order, with synonyms.
pub(crate) fn parse_table(file: &str, text: Arc<String>) -> Result<Loaded, LoadError> {
    let delimiter = table_delimiter(file, &text);
    let rows = read_rows(
        file,
        &text,
        delimiter,
        b'"',
        Some(MostRows::actors(1, "a one-issue table")),
    )?;
    let mut b = Builder::new(file, &text);
    b.decimal_comma = delimiter == b';';
    let header = &rows[0];
    let find = |names: &[&str]| {
        header
            .fields
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    let columns = [
        ("actor", ACTOR_NAMES, find(ACTOR_NAMES)),
        ("capability", CAPABILITY_NAMES, find(CAPABILITY_NAMES)),
        ("position", POSITION_NAMES, find(POSITION_NAMES)),
        ("salience", SALIENCE_NAMES, find(SALIENCE_NAMES)),
    ];
    for (what, names, found) in &columns {
        if found.is_none() {
            let message = format!(
                "the header has no {what} column (found: {}; read as {}-separated)",
                header.fields.join(", "),
                delimiter_name(delimiter)
            );
            let help = format!(
                "name the {what} column one of: {} (any case)",
                names.join(", ")
            );
            b.problem(header.line.clone(), message, &help);
        }
    }
    if !b.problems.is_empty() {
        return Err(LoadError {
            problems: b.problems,
        });
    }
    let recognised: Vec<String> = columns
        .iter()
        .filter_map(|(what, _, found)| found.map(|k| format!("`{}` as {what}", header.cell(k))))
        .collect();
    let decimal = if b.decimal_comma {
        " (decimal commas accepted)"
    } else {
        ""
    };
    b.notes.push(format!(
        "{file}: {}-separated{decimal}; read {}",
        delimiter_name(delimiter),
        recognised.join(", ")
    ));
    let unread: Vec<String> = (0..header.fields.len())
        .filter(|k| columns.iter().all(|c| c.2 != Some(*k)))
        .filter(|k| !header.cell(*k).is_empty())
        .map(|k| format!("`{}`", header.cell(k)))
        .collect();
    if !unread.is_empty() {
        b.notes.push(format!(
            "{file}: column(s) {} are not read: a one-issue table gives each actor's capability, position and salience; keep the other columns in the original",
            unread.join(", ")
        ));
    }
    let [actor_col, cap_col, pos_col, sal_col] = columns.map(|c| c.2.expect("checked above"));
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("issue");
    let issue_id = match id_from_name(stem) {
        id if id.is_empty() => "issue".to_owned(),
        id => id,
    };
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    for row in &rows[1..] {
        if row.fields.len() != header.fields.len()
            && !(row.fields.len() == header.fields.len() + 1
                && row.cell(header.fields.len()).is_empty())
        {
            let message = format!(
                "line {}: {} fields, but the header has {}",
                row.number,
                row.fields.len(),
                header.fields.len()
            );
            b.problem(
                row.line.clone(),
                message,
                "every row needs one value per header column",
            );
            continue;
        }
        let name = row.cell(actor_col).to_owned();
        let a = actors.len();
        let who = if name.is_empty() {
            format!("row {}", a + 1)
        } else {
            format!("actor `{name}`")
        };
        let capability = b.number(row, cap_col, &format!("{who}: capability"));
        // An actor with neither position nor salience takes no position on the issue.
        let stance = if row.cell(pos_col).is_empty() && row.cell(sal_col).is_empty() {
            None
        } else {
            let position = b.number(row, pos_col, &format!("{who}: position"));
            let salience = b.number(row, sal_col, &format!("{who}: salience"));
            position.zip(salience).map(|(p, s)| Stance::new(p, s))
        };
        b.spans.insert(
            Locus::Actor {
                actor: a,
                field: ActorField::Id,
            },
            row.span(actor_col),
        );
        b.spans.insert(
            Locus::Actor {
                actor: a,
                field: ActorField::Capability,
            },
            row.span(cap_col),
        );
        b.spans.insert(
            Locus::Stance {
                actor: a,
                issue: 0,
                field: StanceField::Position,
            },
            row.span(pos_col),
        );
        b.spans.insert(
            Locus::Stance {
                actor: a,
                issue: 0,
                field: StanceField::Salience,
            },
            row.span(sal_col),
        );
        let mut actor = Actor::new(id_from_name(&name), capability.unwrap_or(f64::NAN));
        actor.name = name;
        actors.push(actor);
        stances.push(vec![stance]);
    }
    b.scale_saliences(&mut stances);
    let positions: Vec<f64> = stances
        .iter()
        .flatten()
        .flatten()
        .map(|s| s.position)
        .filter(|p| p.is_finite())
        .collect();
    let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // A table has no scale: it spans the positions (widened when they all agree).
    let scale = match (lo.is_finite(), hi > lo) {
        (true, true) => Scale::new(lo, hi),
        (true, false) => Scale::new(lo, lo + 1.0),
        _ => Scale::new(0.0, 1.0),
    };
    let mut issue = Issue::new(issue_id, scale);
    issue.label = stem.to_owned();
    b.spans.insert(
        Locus::Issue {
            issue: 0,
            field: IssueField::Whole,
        },
        header.span(pos_col),
    );
    let parts = ScenarioParts {
        meta: Metadata {
            title: Some(stem.to_owned()),
            sources: vec![format!("imported from {file}")],
            ..Metadata::default()
        },
        actors,
        issues: vec![issue],
        stances,
        forms: Vec::new(),
        observations: Vec::new(),
        agreement: None,
    };
    b.finish(parts)
}

/// KTAB's CSV: `name,description,nActors,nDims,` then `Actor,Description,Power,Pos1,Sal1,...`.
pub(crate) fn parse_ktab(file: &str, text: Arc<String>) -> Result<Loaded, LoadError> {
    let rows = read_rows(
        file,
        &text,
        b',',
        b'"',
        Some(MostRows::actors(2, "a KTAB table")),
    )?;
    let mut b = Builder::new(file, &text);
    b.capability_column = Some("power");
    let help = "KTAB's CSV starts `name,description,nActors,nDims,` then `Actor,Description,Power,Pstn1,Sal1,...`";
    let first = &rows[0];
    let n_actors = b.number(first, 2, "the number of actors");
    let n_dims = b.number(first, 3, "the number of dimensions");
    let (Some(n_actors), Some(n_dims)) = (n_actors, n_dims) else {
        return Err(LoadError {
            problems: b.problems,
        });
    };
    let (n_actors, n_dims) = (n_actors as usize, n_dims as usize);
    let Some(header) = rows.get(1) else {
        b.problem(
            first.line.clone(),
            "the header line `Actor,Description,Power,...` is missing".into(),
            help,
        );
        return Err(LoadError {
            problems: b.problems,
        });
    };
    // The header names two columns per dimension (and may end with an empty field).
    let named_dims = header.fields.len().saturating_sub(3) / 2;
    if n_dims > named_dims {
        b.problem(
            first.span(3),
            format!(
                "the first line announces {n_dims} dimensions, but the header line has columns for {named_dims}"
            ),
            help,
        );
        return Err(LoadError {
            problems: b.problems,
        });
    }
    // Refused before a position is read: each costs a few hundred bytes once read.
    let positions = (rows.len() - 2).saturating_mul(n_dims);
    if positions > MAX_POSITIONS {
        b.problem(
            first.span(3),
            format!(
                "{} actor rows x {n_dims} dimensions = {positions} positions, more than the limit of {MAX_POSITIONS}",
                rows.len() - 2
            ),
            "split the scenario (docs/reliability.md lists every limit)",
        );
        return Err(LoadError {
            problems: b.problems,
        });
    }
    let width = 3 + 2 * n_dims;
    let mut issues = Vec::new();
    for d in 0..n_dims {
        let name = header.cell(3 + 2 * d);
        let id = match id_from_name(name) {
            id if id.is_empty() => format!("dim{}", d + 1),
            id => id,
        };
        let mut issue = Issue::new(id, Scale::new(0.0, 100.0));
        if !name.is_empty() {
            issue.label = name.to_owned();
        }
        b.spans.insert(
            Locus::Issue {
                issue: d,
                field: IssueField::Whole,
            },
            header.span(3 + 2 * d),
        );
        b.spans.insert(
            Locus::Issue {
                issue: d,
                field: IssueField::Id,
            },
            header.span(3 + 2 * d),
        );
        issues.push(issue);
    }
    let data = &rows[2..];
    if data.len() != n_actors {
        b.problem(
            first.span(2),
            format!(
                "the first line announces {n_actors} actors, but {} rows follow",
                data.len()
            ),
            help,
        );
    }
    let descriptions: Vec<&str> = data.iter().map(|r| r.cell(1)).collect();
    let distinct = descriptions.iter().all(|d| !d.is_empty())
        && descriptions
            .iter()
            .enumerate()
            .all(|(k, d)| !descriptions[..k].contains(d));
    if !distinct && descriptions.iter().any(|d| !d.is_empty()) {
        b.notes.push(format!(
            "{file}: the Description column does not name every actor once (some are empty or repeated); each actor keeps its description as its note"
        ));
    }
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    for row in data {
        let extra_empty =
            row.fields.len() > width && row.fields[width..].iter().all(String::is_empty);
        if row.fields.len() != width && !extra_empty {
            let message = format!(
                "line {}: {} fields, but {n_dims} dimensions need {width} (name, description, power, then position and salience per dimension)",
                row.number,
                row.fields.len()
            );
            b.problem(row.line.clone(), message, help);
            continue;
        }
        let a = actors.len();
        let name = row.cell(0).to_owned();
        let capability = b.number(row, 2, &format!("actor `{name}`: power"));
        b.spans.insert(
            Locus::Actor {
                actor: a,
                field: ActorField::Id,
            },
            row.span(0),
        );
        b.spans.insert(
            Locus::Actor {
                actor: a,
                field: ActorField::Capability,
            },
            row.span(2),
        );
        let mut stance_row = Vec::new();
        for (d, issue) in issues.iter().enumerate() {
            let what = format!("actor `{name}`, dimension `{}`", issue.id);
            let position = b.number(row, 3 + 2 * d, &format!("{what}: position"));
            let salience = b.number(row, 4 + 2 * d, &format!("{what}: salience"));
            b.spans.insert(
                Locus::Stance {
                    actor: a,
                    issue: d,
                    field: StanceField::Position,
                },
                row.span(3 + 2 * d),
            );
            b.spans.insert(
                Locus::Stance {
                    actor: a,
                    issue: d,
                    field: StanceField::Salience,
                },
                row.span(4 + 2 * d),
            );
            // KTAB's saliences are percentages of the actor's attention (summing to at most 100).
            stance_row.push(
                position
                    .zip(salience)
                    .map(|(p, s)| Stance::new(p, s / 100.0)),
            );
        }
        let mut actor = Actor::new(id_from_name(&name), capability.unwrap_or(f64::NAN));
        if distinct {
            actor.name = row.cell(1).to_owned();
        } else {
            // Descriptions that cannot name the actors (some empty or repeated) are kept as
            // each actor's note, so that nothing the file says is lost.
            actor.name = name;
            actor.note = Some(row.cell(1).to_owned()).filter(|d| !d.is_empty());
        }
        actors.push(actor);
        stances.push(stance_row);
    }
    let parts = ScenarioParts {
        meta: Metadata {
            title: Some(first.cell(0).to_owned()).filter(|t| !t.is_empty()),
            description: Some(first.cell(1).to_owned()).filter(|t| !t.is_empty()),
            sources: vec![format!("imported from KTAB CSV {file}")],
            ..Metadata::default()
        },
        actors,
        issues,
        stances,
        forms: Vec::new(),
        observations: Vec::new(),
        agreement: None,
    };
    b.finish(parts)
}

/// Decide's tagged TSV: `#A actor name`, `#P issue name`, `#M issue point`,
/// `#D actor issue position salience power`, single-quoted strings, tab-separated.
pub(crate) fn parse_decide(file: &str, text: Arc<String>) -> Result<Loaded, LoadError> {
    let delimiter = if text.lines().next().is_some_and(|l| l.contains('\t')) {
        b'\t'
    } else {
        b','
    };
    let rows = read_rows(file, &text, delimiter, b'\'', None)?;
    let mut b = Builder::new(file, &text);
    b.capability_column = Some("power");
    let help = "Decide rows are `#A id name`, `#P id name`, `#M issue point`, `#D actor issue position salience power`";
    let mut actors: Vec<Actor> = Vec::new();
    let mut issues: Vec<Issue> = Vec::new();
    let mut points: Vec<Vec<f64>> = Vec::new();
    let mut entries = Vec::new();
    for row in &rows {
        match row.cell(0) {
            "#A" => {
                let a = actors.len();
                b.spans.insert(
                    Locus::Actor {
                        actor: a,
                        field: ActorField::Id,
                    },
                    row.span(1),
                );
                b.spans.insert(
                    Locus::Actor {
                        actor: a,
                        field: ActorField::Capability,
                    },
                    row.span(1),
                );
                let mut actor = Actor::new(id_from_name(row.cell(1)), f64::NAN);
                actor.name = Some(row.cell(2))
                    .filter(|n| !n.is_empty())
                    .unwrap_or(row.cell(1))
                    .to_owned();
                actors.push(actor);
            }
            "#P" => {
                let i = issues.len();
                b.spans.insert(
                    Locus::Issue {
                        issue: i,
                        field: IssueField::Whole,
                    },
                    row.span(1),
                );
                b.spans.insert(
                    Locus::Issue {
                        issue: i,
                        field: IssueField::Id,
                    },
                    row.span(1),
                );
                let mut issue = Issue::new(id_from_name(row.cell(1)), Scale::new(0.0, 100.0));
                issue.label = Some(row.cell(2))
                    .filter(|n| !n.is_empty())
                    .unwrap_or(row.cell(1))
                    .to_owned();
                issues.push(issue);
                points.push(Vec::new());
            }
            "#M" => match issues
                .iter()
                .position(|i| i.id == id_from_name(row.cell(1)))
            {
                Some(i) => {
                    if let Some(v) =
                        b.number(row, 2, &format!("issue `{}`: scale point", row.cell(1)))
                    {
                        points[i].push(v);
                    }
                }
                None => b.problem(
                    row.span(1),
                    format!(
                        "line {}: `#M` names issue `{}`, which no `#P` row defines before it",
                        row.number,
                        row.cell(1)
                    ),
                    help,
                ),
            },
            "#D" => entries.push(row),
            other => b.problem(
                row.span(0),
                format!("line {}: unknown row type `{other}`", row.number),
                help,
            ),
        }
    }
    for (issue, pts) in issues.iter_mut().zip(&points) {
        let lo = pts.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if lo < hi {
            issue.scale = Scale::new(lo, hi);
        }
    }
    let mut stances = vec![vec![None; issues.len()]; actors.len()];
    let mut powers: Vec<Vec<f64>> = vec![Vec::new(); actors.len()];
    for row in entries {
        let actor_id = id_from_name(row.cell(1));
        let issue_id = id_from_name(row.cell(2));
        let Some(a) = actors.iter().position(|x| x.id == actor_id) else {
            b.problem(
                row.span(1),
                format!(
                    "line {}: `#D` names actor `{}`, which no `#A` row defines",
                    row.number,
                    row.cell(1)
                ),
                help,
            );
            continue;
        };
        let Some(i) = issues.iter().position(|x| x.id == issue_id) else {
            b.problem(
                row.span(2),
                format!(
                    "line {}: `#D` names issue `{}`, which no `#P` row defines",
                    row.number,
                    row.cell(2)
                ),
                help,
            );
            continue;
        };
        let what = format!("actor `{}`, issue `{}`", row.cell(1), row.cell(2));
        let position = b.number(row, 3, &format!("{what}: position"));
        let salience = b.number(row, 4, &format!("{what}: salience"));
        if let Some(power) = b.number(row, 5, &format!("{what}: power")) {
            powers[a].push(power);
            if powers[a].len() == 1 {
                b.spans.insert(
                    Locus::Actor {
                        actor: a,
                        field: ActorField::Capability,
                    },
                    row.span(5),
                );
            }
        }
        b.spans.insert(
            Locus::Stance {
                actor: a,
                issue: i,
                field: StanceField::Position,
            },
            row.span(3),
        );
        b.spans.insert(
            Locus::Stance {
                actor: a,
                issue: i,
                field: StanceField::Salience,
            },
            row.span(4),
        );
        stances[a][i] = position.zip(salience).map(|(p, s)| Stance::new(p, s));
    }
    for (actor, power) in actors.iter_mut().zip(&powers) {
        // Statecraft gives an actor one capability; Decide gives one per issue.
        actor.capability = power.iter().copied().fold(f64::NAN, f64::max);
        if power.iter().any(|p| *p != power[0]) {
            b.notes.push(format!(
                "{file}: actor `{}` has different power on different issues; its largest, {}, is its capability",
                actor.id, actor.capability
            ));
        }
        if power.is_empty() {
            actor.capability = 1.0;
            b.notes.push(format!(
                "{file}: actor `{}` has no `#D` row; capability set to 1",
                actor.id
            ));
        }
    }
    b.scale_saliences(&mut stances);
    let title = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_owned);
    let parts = ScenarioParts {
        meta: Metadata {
            title,
            sources: vec![format!("imported from Decide TSV {file}")],
            ..Metadata::default()
        },
        actors,
        issues,
        stances,
        forms: Vec::new(),
        observations: Vec::new(),
        agreement: None,
    };
    b.finish(parts)
}
