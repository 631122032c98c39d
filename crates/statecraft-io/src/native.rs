//! Statecraft's own formats, TOML and JSON: parsing with located errors, and writing.

use std::ops::Range;
use std::sync::Arc;

use statecraft_core::scenario::{Locus, Scenario};

use toml_edit::{ImDocument, Item, Table, Value};

use crate::diagnostic::{did_you_mean, Problem};
use crate::dto::{display_path, FileDto, Path, Seg};
use crate::{LoadError, Loaded};

/// A node of a parsed TOML document, whatever its syntax (`[table]`, inline table, array).
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(item) => item.span(),
            Node::Table(table) => table.span(),
            Node::Value(value) => value.span(),
        }
    }

    fn key(self, key: &str) -> Option<Node<'a>> {
        match self {
            Node::Item(Item::Table(t)) | Node::Table(t) => t.get(key).map(Node::Item),
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                t.get(key).map(Node::Value)
            }
            _ => None,
        }
    }

    /// The span of a key itself (where the value has none of its own).
    fn key_span(self, key: &str) -> Option<Range<usize>> {
        match self {
            Node::Item(Item::Table(t)) | Node::Table(t) => t.key(key).and_then(|k| k.span()),
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                t.key(key).and_then(|k| k.span())
            }
            _ => None,
        }
    }

    fn index(self, index: usize) -> Option<Node<'a>> {
        match self {
            Node::Item(Item::ArrayOfTables(a)) => a.get(index).map(Node::Table),
            Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
                a.get(index).map(Node::Value)
            }
            _ => None,
        }
    }
}

/// The span of the deepest node along `path` that has one.
fn toml_span(doc: &ImDocument<&str>, path: &Path) -> Option<Range<usize>> {
    let mut node = Node::Table(doc.as_table());
    let mut best = None;
    for seg in path {
        let next = match seg {
            Seg::Key(k) => {
                if let Some(span) = node.key_span(k) {
                    best = Some(span);
                }
                node.key(k)
            }
            Seg::Index(i) => node.index(*i),
        };
        match next {
            Some(n) => {
                node = n;
                if let Some(span) = node.span() {
                    best = Some(span);
                }
            }
            None => break,
        }
    }
    best
}

/// Reads a scenario from TOML text.
pub(crate) fn parse_toml(file: &str, text: Arc<String>) -> Result<Loaded, LoadError> {
    // Syntax first, so that a syntax error is reported as one; then the structure.
    let doc = ImDocument::parse(text.as_str()).map_err(|e| {
        LoadError::one(Problem::new(
            file,
            &text,
            e.span(),
            format!("TOML syntax error: {}", e.message()),
        ))
    })?;
    let dto: FileDto = match toml::from_str(&text) {
        Ok(dto) => dto,
        Err(e) => return Err(LoadError::one(toml_error(file, &text, &e))),
    };
    let locate = |path: &Path| toml_span(&doc, path);
    build(file, &text, &dto, &locate)
}

/// Reads a scenario from JSON text (the same structure as the TOML).
pub(crate) fn parse_json(file: &str, text: Arc<String>) -> Result<Loaded, LoadError> {
    let mut de = serde_json::Deserializer::from_str(&text);
    let parsed = match serde_path_to_error::deserialize::<_, FileDto>(&mut de) {
        // Where in the structure the value is, for editors that show the message there.
        Err(e) => Err((
            Some(e.path().to_string()).filter(|p| p != "."),
            e.into_inner(),
        )),
        Ok(dto) => de.end().map(|()| dto).map_err(|e| (None, e)),
    };
    let dto: FileDto = match parsed {
        Ok(dto) => dto,
        Err((path, e)) => {
            let offset = offset_of(&text, e.line(), e.column());
            let message = e.to_string();
            // serde_json appends " at line L column C"; the place is given in front instead.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            // A type error points at the value only: name the key it belongs to.
            let key = (message.starts_with("invalid type") || message.starts_with("invalid value"))
                .then(|| json_key_before(&text, offset))
                .flatten();
            let shown = match key {
                Some(key) => format!(
                    "JSON: `{key}`: {}",
                    message.replace("expected f64", "expected a number")
                ),
                None => format!("JSON: {message}"),
            };
            let mut problem =
                Problem::new(file, &text, Some(offset..offset), shown).with_path(path);
            if let Some(help) = unknown_key_help(message) {
                problem = problem.with_help(help);
            }
            return Err(LoadError::one(problem));
        }
    };
    // serde_json keeps no spans: values are located by searching for their key's path.
    let locate = |path: &Path| json_span(&text, path);
    build(file, &text, &dto, &locate)
}

/// Converts the structure, validates it, and maps every error and warning to its place.
fn build(
    file: &str,
    text: &Arc<String>,
    dto: &FileDto,
    locate: &dyn Fn(&Path) -> Option<Range<usize>>,
) -> Result<Loaded, LoadError> {
    let at = |path: &Path, message: String| {
        let located = locate(path);
        let message = if located.is_none() && !path.is_empty() {
            format!("{message} (at `{}`)", display_path(path))
        } else {
            message
        };
        Problem::new(file, text, located, message)
    };
    let (parts, errors) = dto.to_parts();
    let mut problems: Vec<Problem> = errors
        .into_iter()
        .map(|e| {
            let p = at(&e.path, e.message).with_path(Some(display_path(&e.path)));
            match e.help {
                Some(h) => p.with_help(h),
                None => p,
            }
        })
        .collect();
    let locate_locus = |locus: Locus| locate(&dto.locus_path(locus));
    let path_of = |locus: Locus| Some(display_path(&dto.locus_path(locus)));
    match crate::validate(file, text, parts, &locate_locus, &path_of) {
        Ok(loaded) if problems.is_empty() => Ok(loaded),
        // The values left out for their problems are not validated; the rest are, so that one
        // run reports every problem.
        Ok(_) => Err(LoadError { problems }),
        Err(more) => {
            problems.extend(more.problems);
            // Problems in file order.
            problems.sort_by_key(|p| p.line_column.unwrap_or((usize::MAX, usize::MAX)));
            Err(LoadError { problems })
        }
    }
}

/// A TOML parse or structure error as a problem, with "did you mean" for unknown keys.
fn toml_error(file: &str, text: &Arc<String>, e: &toml::de::Error) -> Problem {
    let message = e.message().trim().to_owned();
    // A type error points at the value only: name the key written before it.
    let shown = match e.span().and_then(|span| key_before(text, span.start)) {
        Some(key) => format!(
            "`{key}`: {}",
            message.replace("expected f64", "expected a number")
        ),
        None => message.clone(),
    };
    let mut problem = Problem::new(file, text, e.span(), shown);
    let at = e
        .span()
        .and_then(|span| text.get(span.start..))
        .unwrap_or("");
    let line = at.lines().next().unwrap_or("");
    if let Some(key) = decimal_key(line) {
        problem = problem.with_help(format!(
            "TOML reads the bare key `{key}` as the dotted key `{}`: quote it, `\"{key}\" = ...`",
            key.replace('.', "` then `")
        ));
    } else if let Some(help) = unknown_key_help(&message) {
        problem = problem.with_help(help);
    } else if message.contains("missing field") {
        problem = problem.with_help("see docs/scenario-format.md for the required keys");
    }
    problem
}

/// The bare decimal key a line starts with (`3.67 = "..."` gives `3.67`): TOML splits it at the
/// point, so an anchor written that way becomes a table.
fn decimal_key(line: &str) -> Option<&str> {
    let key = line.split('=').next()?.trim();
    let (whole, fraction) = key.trim_start_matches('-').split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (line.contains('=') && digits(whole) && digits(fraction)).then_some(key)
}

/// The key of `key = value` when the value starts at byte `offset` (`capability = "high"` gives
/// `capability`).
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?.trim_end().strip_suffix('=')?.trim_end();
    let rest = before.trim_end_matches(|c: char| {
        c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\'')
    });
    Some(&before[rest.len()..]).filter(|key| !key.is_empty())
}

/// The last object key written before byte `offset` of JSON text: the key of the value there.
fn json_key_before(text: &str, offset: usize) -> Option<&str> {
    let mut key = None;
    let mut last_string: Option<Range<usize>> = None;
    let mut string_start = None;
    let mut escaped = false;
    for (i, c) in text.get(..offset)?.char_indices() {
        if let Some(start) = string_start {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    last_string = Some(start + 1..i);
                    string_start = None;
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => string_start = Some(i),
            ':' => key = last_string.take().map(|r| &text[r]),
            c if c.is_whitespace() => {}
            _ => last_string = None,
        }
    }
    key
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": suggest the closest allowed key.
fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (word, expected) = rest.split_once('`')?;
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match did_you_mean(word, allowed.iter().copied()) {
        Some(guess) => format!("did you mean `{guess}`? allowed keys here: {list}"),
        None => format!("allowed keys here: {list}"),
    })
}

/// Byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// The first JSON string literal at or after `from` whose value is `key` (written with escapes).
fn escaped_json_key(text: &str, from: usize, key: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        if bytes[at] != b'"' {
            at += 1;
            continue;
        }
        let mut end = at + 1;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let literal = text.get(at..=end.min(bytes.len() - 1))?;
        if serde_json::from_str::<String>(literal).is_ok_and(|value| value == key) {
            return Some(at..end + 1);
        }
        at = end + 1;
    }
    None
}

/// Finds the place of `path` in JSON text by walking its keys in order: good enough for files
/// statecraft wrote and for hand-edited ones, since keys are searched for after their parent.
fn json_span(text: &str, path: &Path) -> Option<Range<usize>> {
    let mut from = 0;
    let mut best = None;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                // By value, so that a key written with escapes (`"ab\u0063"`) is found too.
                let found = escaped_json_key(text, from, k)?;
                from = found.end;
                best = Some(found);
            }
            Seg::Index(i) => {
                // Skip to the (i+1)-th object opening after the current point, at the list's depth.
                let mut depth = 0i32;
                let mut seen = 0usize;
                let mut in_string = false;
                let mut escaped = false;
                let mut found = None;
                for (offset, c) in text[from..].char_indices() {
                    if in_string {
                        match (escaped, c) {
                            (true, _) => escaped = false,
                            (false, '\\') => escaped = true,
                            (false, '"') => in_string = false,
                            _ => {}
                        }
                        continue;
                    }
                    match c {
                        '"' => in_string = true,
                        '[' | '{' => {
                            if depth == 1 && c == '{' {
                                if seen == *i {
                                    found = Some(from + offset);
                                    break;
                                }
                                seen += 1;
                            }
                            depth += 1;
                        }
                        ']' | '}' => {
                            depth -= 1;
                            if depth <= 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let at = found?;
                best = Some(at..at + 1);
                from = at;
            }
        }
    }
    best
}

/// The scenario as TOML, in the layout of the built-in files (stances as inline tables).
pub(crate) fn to_toml(scenario: &Scenario) -> String {
    let dto = FileDto::from_scenario(scenario);
    // `toml` writes `[[issues]]` and `[[actors]]` as tables (`toml_edit::ser::to_document` would
    // make every one of them inline); the passes below then inline the stances and anchors.
    let text = toml::to_string(&dto).expect("scenario structure serialises to TOML");
    let mut doc: toml_edit::DocumentMut = text.parse().expect("serialised TOML parses");
    let inline = |item: &mut Item| {
        if let Some(table) = item.as_table_mut() {
            for (_, value) in table.iter_mut() {
                if let Some(inner) = value.as_table().cloned() {
                    *value = Item::Value(Value::InlineTable(inner.into_inline_table()));
                }
            }
        }
    };
    let to_inline = |item: &mut Item| {
        if let Some(table) = item.as_table().cloned() {
            *item = Item::Value(Value::InlineTable(table.into_inline_table()));
        }
    };
    if let Some(issues) = doc.get_mut("issues").and_then(Item::as_array_of_tables_mut) {
        for issue in issues.iter_mut() {
            if let Some(anchors) = issue.get_mut("anchors") {
                to_inline(anchors);
            }
            // A table turned inline keeps the key's decor of a header (`anchors= {`): reset it.
            issue.fmt();
        }
    }
    if let Some(actors) = doc.get_mut("actors").and_then(Item::as_array_of_tables_mut) {
        for actor in actors.iter_mut() {
            if let Some(positions) = actor.get_mut("positions") {
                inline(positions);
                if let Some(table) = positions.as_table_mut() {
                    table.fmt();
                }
            }
            if let Some(changes) = actor
                .get_mut("domestic")
                .and_then(|d| d.get_mut("changes"))
                .and_then(Item::as_array_of_tables_mut)
            {
                for change in changes.iter_mut() {
                    if let Some(successors) = change
                        .get_mut("successors")
                        .and_then(Item::as_array_of_tables_mut)
                    {
                        for successor in successors.iter_mut() {
                            if let Some(positions) = successor.get_mut("positions") {
                                to_inline(positions);
                                if let Some(t) = positions.as_inline_table_mut() {
                                    for (_, v) in t.iter_mut() {
                                        v.decor_mut().set_prefix(" ");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(observations) = doc
        .get_mut("observations")
        .and_then(Item::as_array_of_tables_mut)
    {
        for observation in observations.iter_mut() {
            for field in ["package", "status_quo"] {
                if let Some(values) = observation.get_mut(field) {
                    to_inline(values);
                }
            }
            observation.fmt();
        }
    }
    toml_edit::visit_mut::VisitMut::visit_document_mut(&mut WholeNumbers, &mut doc);
    doc.to_string()
}

/// Writes whole numbers as TOML integers (`min = 0`, not `min = 0.0`), as people write them; they
/// read back as the same numbers.
struct WholeNumbers;

impl toml_edit::visit_mut::VisitMut for WholeNumbers {
    fn visit_value_mut(&mut self, node: &mut Value) {
        if let Value::Float(f) = node {
            let v = *f.value();
            // Beyond 2^53 not every integer is a float; such values keep their float form, and
            // so does -0 (an integer has no sign of zero: `-0` would read back as 0).
            if v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
                let decor = f.decor().clone();
                let mut whole = Value::from(v as i64);
                *whole.decor_mut() = decor;
                *node = whole;
                return;
            }
        }
        toml_edit::visit_mut::visit_value_mut(self, node);
    }
}

/// The scenario as pretty-printed JSON.
pub(crate) fn to_json(scenario: &Scenario) -> String {
    let dto = FileDto::from_scenario(scenario);
    let mut out =
        serde_json::to_string_pretty(&dto).expect("scenario structure serialises to JSON");
    out.push('\n');
    out
}
