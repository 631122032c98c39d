//! Past cases with known outcomes, for `statecraft validate`: the DEU data on EU legislation
//! (tab-separated and quoted, a row per issue grouped by proposal) and users' own cases
//! (scenario files plus an outcomes CSV `scenario,issue,outcome`), each read as `Case`s with
//! every problem located at its file, line and cell.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use statecraft_core::scenario::{
    Actor, Issue, IssueField, Locus, Metadata, Scale, ScenarioParts, Stance, StanceField,
};
use statecraft_core::validation::Case;

use crate::diagnostic::{unknown_name_help, Problem};
use crate::tables::{id_from_name, read_rows, Row};
use crate::{LoadError, Loaded};

/// Cases read from a file, with what was assumed and any soft problems.
#[derive(Debug, Clone)]
pub struct CaseSet {
    /// One case per proposal (DEU) or scenario (outcomes CSV), in the file's order.
    pub cases: Vec<Case>,
    /// How the file was read.
    pub notes: Vec<String>,
    /// Soft problems of the scenarios, located.
    pub warnings: Vec<Problem>,
}

/// The salience DEU's convention gives a position whose salience was not coded.
pub const DEU_MISSING_SALIENCE: f64 = 50.0;

/// The DEU actors' names by code.
const NAMES: [(&str, &str); 30] = [
    ("com", "European Commission"),
    ("ep", "European Parliament"),
    ("at", "Austria"),
    ("be", "Belgium"),
    ("bu", "Bulgaria"),
    ("cr", "Croatia"),
    ("cy", "Cyprus"),
    ("cz", "Czech Republic"),
    ("dk", "Denmark"),
    ("ee", "Estonia"),
    ("fi", "Finland"),
    ("fr", "France"),
    ("de", "Germany"),
    ("el", "Greece"),
    ("hu", "Hungary"),
    ("ie", "Ireland"),
    ("it", "Italy"),
    ("lv", "Latvia"),
    ("lt", "Lithuania"),
    ("lu", "Luxembourg"),
    ("mt", "Malta"),
    ("nl", "Netherlands"),
    ("pl", "Poland"),
    ("pt", "Portugal"),
    ("ro", "Romania"),
    ("si", "Slovenia"),
    ("sk", "Slovakia"),
    ("es", "Spain"),
    ("se", "Sweden"),
    ("uk", "United Kingdom"),
];

/// Reads a file of past cases: a DEU table (its header names `prnr` and `isnr`) or an outcomes
/// CSV (`scenario,issue,outcome`), whose scenario paths are relative to the CSV's folder.
pub fn load_cases(path: &Path) -> Result<CaseSet, LoadError> {
    let (file, text) = crate::read_text(path)?;
    let first = text.lines().next().unwrap_or("").to_ascii_lowercase();
    let names: Vec<String> = first
        .split(['\t', ','])
        .map(|h| h.trim().trim_matches('"').to_owned())
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("prnr") && has("isnr") {
        parse_deu(&file, text)
    } else if has("scenario") && has("issue") && has("outcome") {
        let base = path.parent().unwrap_or(Path::new("."));
        parse_outcomes(&file, text, base)
    } else {
        let text = Arc::new(text);
        let line = 0..text.find('\n').unwrap_or(text.len());
        Err(LoadError::one(
            Problem::new(&file, &text, Some(line), "cannot tell what kind of case file this is")
                .with_help(
                    "give a DEU table (tab-separated, with `prnr`, `isnr`, `p<actor>`, `s<actor>`, `rp`, `out`) or an outcomes CSV with the columns scenario,issue,outcome",
                ),
        ))
    }
}

/// Collects problems with their places.
struct Problems<'a> {
    file: &'a str,
    text: &'a Arc<String>,
    list: Vec<Problem>,
}

impl Problems<'_> {
    fn add(&mut self, span: Range<usize>, message: String, help: &str) {
        self.list
            .push(Problem::new(self.file, self.text, Some(span), message).with_help(help));
    }

    /// A number in `row`'s cell `k`, `None` when empty; a problem when it is not a number in
    /// 0..=100.
    fn number(&mut self, row: &Row, k: usize, what: &str) -> Option<f64> {
        let cell = row.cell(k);
        if cell.is_empty() {
            return None;
        }
        match cell.parse::<f64>() {
            Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Some(v),
            Ok(v) => {
                self.add(
                    row.span(k),
                    format!("line {}: {what} {v} is outside 0..100", row.number),
                    "DEU values lie on 0..100",
                );
                None
            }
            Err(_) => {
                self.add(
                    row.span(k),
                    format!("line {}: {what} `{cell}` is not a number", row.number),
                    "write a number from 0 to 100, or leave the cell empty",
                );
                None
            }
        }
    }
}

/// How a date cell was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateRead {
    /// Empty or DEU's `999`: not known.
    Missing,
    /// `dd-mm-yy` or `dd-mm-yyyy`.
    Plain(NaiveDate),
    /// `yyyy-mm-dd` that is a `dd-mm-yy` a spreadsheet read as year-month-day.
    Swapped(NaiveDate),
}

/// A two-digit year: 50..99 is 19xx, 00..49 is 20xx.
fn century(yy: u32) -> i32 {
    if yy >= 50 {
        1900 + yy as i32
    } else {
        2000 + yy as i32
    }
}

/// Reads a DEU date: `dd-mm-yy`, `dd-mm-yyyy`, or `yyyy-mm-dd` where the file's upstream copy
/// has a `dd-mm-yy` turned around by a spreadsheet (`2014-07-04` is 14 July 2004: the
/// "year" is the day and the century, the "day" the year).
fn parse_date(cell: &str) -> Result<DateRead, String> {
    if cell.is_empty() || cell == "999" {
        return Ok(DateRead::Missing);
    }
    let parts: Vec<&str> = cell.split('-').collect();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(|p| digits(p)) {
        return Err("is not a date (dd-mm-yy, dd-mm-yyyy or 999 for none)".into());
    }
    let n = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
    let (a, b, c) = (n(parts[0]), n(parts[1]), n(parts[2]));
    let (date, swapped) = match (parts[0].len(), parts[2].len()) {
        (4, 2) => (NaiveDate::from_ymd_opt(century(c), b, a % 100), true),
        (1 | 2, 2) => (NaiveDate::from_ymd_opt(century(c), b, a), false),
        (1 | 2, 4) => (NaiveDate::from_ymd_opt(c as i32, b, a), false),
        _ => return Err("is not a date (dd-mm-yy, dd-mm-yyyy or 999 for none)".into()),
    };
    match (date, swapped) {
        (Some(d), true) => Ok(DateRead::Swapped(d)),
        (Some(d), false) => Ok(DateRead::Plain(d)),
        (None, _) => Err("is not a day of the calendar".into()),
    }
}

/// The columns of a DEU table.
struct Columns {
    prnr: usize,
    prname: Option<usize>,
    isnr: usize,
    procedure: usize,
    intro: usize,
    finact: usize,
    rp: usize,
    out: usize,
    /// (code, position column, salience column), in the header's order.
    actors: Vec<(String, usize, usize)>,
}

fn columns(header: &Row, problems: &mut Problems<'_>) -> Option<Columns> {
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let mut missing = Vec::new();
    let mut need = |name: &'static str| {
        let found = find(name);
        if found.is_none() {
            missing.push(name);
        }
        found.unwrap_or(0)
    };
    let (prnr, isnr, procedure) = (need("prnr"), need("isnr"), need("proc"));
    let (intro, finact, rp, out) = (need("intro"), need("finact"), need("rp"), need("out"));
    let skip = ["prnr", "prnrnmc", "prname", "proc", "proccde"];
    let actors: Vec<(String, usize, usize)> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.len() > 1 && n.starts_with('p') && !skip.contains(&n.as_str()))
        .filter_map(|(k, n)| {
            let code = &n[1..];
            find(&format!("s{code}")).map(|s| (code.to_owned(), k, s))
        })
        .collect();
    if actors.is_empty() {
        missing.push("p<actor>/s<actor> pairs");
    }
    if !missing.is_empty() {
        problems.add(
            header.line.clone(),
            format!("the header has no {} column", missing.join(", ")),
            "a DEU table has prnr, isnr, proc, intro, finact, then p<actor> and s<actor> for every actor, then rp and out",
        );
        return None;
    }
    Some(Columns {
        prnr,
        prname: find("prname"),
        isnr,
        procedure,
        intro,
        finact,
        rp,
        out,
        actors,
    })
}

/// Reads DEU text: each proposal (`prnr`) becomes one case with its issues, every actor with a
/// position on one of them taking part with capability 1, saliences divided by 100 (a position
/// without a salience gets 50, DEU's convention), the status quo at `rp` where coded.
pub fn parse_deu(file: &str, text: String) -> Result<CaseSet, LoadError> {
    let text = Arc::new(text);
    let rows = read_rows(file, &text, b'\t', b'"', None)?;
    let mut problems = Problems {
        file,
        text: &text,
        list: Vec::new(),
    };
    let Some(cols) = columns(&rows[0], &mut problems) else {
        return Err(LoadError {
            problems: problems.list,
        });
    };
    let mut notes = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&Row>> = HashMap::new();
    for row in &rows[1..] {
        let prnr = row.cell(cols.prnr);
        if prnr.is_empty() && row.cell(cols.isnr).is_empty() {
            notes.push(format!(
                "{file}: line {} has no proposal or issue: a capability row added to this copy of the data (GDP-like figures, not DEU data); not used",
                row.number
            ));
            continue;
        }
        if prnr.is_empty() {
            problems.add(
                row.span(cols.prnr),
                format!("line {}: the proposal number `prnr` is missing", row.number),
                "every issue row names its proposal in `prnr`",
            );
            continue;
        }
        if !groups.contains_key(prnr) {
            order.push(prnr.to_owned());
        }
        groups.entry(prnr.to_owned()).or_default().push(row);
    }
    let mut cases = Vec::new();
    let mut warnings = Vec::new();
    let (mut defaulted, mut swapped, mut dropped) = (0usize, 0usize, Vec::new());
    for prnr in &order {
        let group = &groups[prnr];
        let first = group[0];
        let procedure = first.cell(cols.procedure).to_owned();
        for row in &group[1..] {
            if row.cell(cols.procedure) != procedure {
                problems.add(
                    row.span(cols.procedure),
                    format!(
                        "line {}: proposal `{prnr}` has procedure `{}` here but `{procedure}` on line {}",
                        row.number,
                        row.cell(cols.procedure),
                        first.number
                    ),
                    "a proposal has one procedure; correct one of the rows",
                );
            }
        }
        let mut date = |k: usize, what: &str| match parse_date(first.cell(k)) {
            Ok(DateRead::Missing) => None,
            Ok(DateRead::Plain(d)) => Some(d),
            Ok(DateRead::Swapped(d)) => {
                swapped += 1;
                Some(d)
            }
            Err(why) => {
                problems.add(
                    first.span(k),
                    format!("line {}: {what} `{}` {why}", first.number, first.cell(k)),
                    "write dates as dd-mm-yy or dd-mm-yyyy, or 999 when unknown",
                );
                None
            }
        };
        let introduced = date(cols.intro, "introduction date `intro`");
        let decided = date(cols.finact, "final act date `finact`");

        // Issues with at least two positions, and the actors with a position on one of them.
        let mut issue_rows = Vec::new();
        for row in group {
            let positioned = cols
                .actors
                .iter()
                .filter(|(_, p, _)| !row.cell(*p).is_empty())
                .count();
            if positioned < 2 {
                dropped.push(format!("{} ({positioned} position)", row.cell(cols.isnr)));
            } else {
                issue_rows.push(*row);
            }
        }
        if issue_rows.is_empty() {
            continue;
        }
        let taking_part: Vec<&(String, usize, usize)> = cols
            .actors
            .iter()
            .filter(|(_, p, _)| issue_rows.iter().any(|row| !row.cell(*p).is_empty()))
            .collect();
        let mut spans: HashMap<Locus, Range<usize>> = HashMap::new();
        let mut issues = Vec::new();
        let mut outcomes = Vec::new();
        let mut stances = vec![Vec::new(); taking_part.len()];
        for (i, row) in issue_rows.iter().enumerate() {
            let id = id_from_name(row.cell(cols.isnr));
            let mut issue = Issue::new(id, Scale::new(0.0, 100.0));
            issue.label = row.cell(cols.isnr).to_owned();
            issue.status_quo = problems.number(row, cols.rp, "reference point `rp`");
            for field in [IssueField::Whole, IssueField::Id] {
                spans.insert(Locus::Issue { issue: i, field }, row.span(cols.isnr));
            }
            spans.insert(
                Locus::Issue {
                    issue: i,
                    field: IssueField::StatusQuo,
                },
                row.span(cols.rp),
            );
            issues.push(issue);
            outcomes.push(problems.number(row, cols.out, "outcome `out`"));
            for (a, (code, p, s)) in taking_part.iter().enumerate() {
                let position = problems.number(row, *p, &format!("position `p{code}`"));
                let salience = if row.cell(*s).is_empty() {
                    if position.is_some() {
                        defaulted += 1;
                    }
                    Some(DEU_MISSING_SALIENCE)
                } else {
                    problems.number(row, *s, &format!("salience `s{code}`"))
                };
                let at = |field| Locus::Stance {
                    actor: a,
                    issue: i,
                    field,
                };
                spans.insert(at(StanceField::Whole), row.span(*p));
                spans.insert(at(StanceField::Position), row.span(*p));
                spans.insert(at(StanceField::Salience), row.span(*s));
                stances[a].push(
                    position
                        .zip(salience)
                        .map(|(x, s)| Stance::new(x, s / 100.0)),
                );
            }
        }
        let actors = taking_part
            .iter()
            .map(|(code, _, _)| {
                let mut actor = Actor::new(code.clone(), 1.0);
                if let Some((_, name)) = NAMES.iter().find(|(c, _)| c == code) {
                    actor.name = (*name).to_owned();
                }
                actor
            })
            .collect();
        let title = cols
            .prname
            .map(|k| first.cell(k).to_owned())
            .filter(|t| !t.is_empty())
            .map(|t| format!("{prnr} {t}"))
            .or_else(|| Some(prnr.clone()));
        let parts = ScenarioParts {
            meta: Metadata {
                title,
                date: introduced,
                sources: vec![format!("DEU proposal {prnr}, read from {file}")],
                ..Metadata::default()
            },
            actors,
            issues,
            stances,
            forms: Vec::new(),
            observations: Vec::new(),
            agreement: None,
        };
        if !problems.list.is_empty() {
            continue;
        }
        match crate::validate(
            file,
            &text,
            parts,
            &|locus| spans.get(&locus).cloned(),
            &|_| None,
        ) {
            Ok(Loaded {
                scenario,
                warnings: w,
                ..
            }) => {
                warnings.extend(w);
                cases.push(Case {
                    id: prnr.clone(),
                    scenario,
                    outcomes,
                    procedure: (!procedure.is_empty()).then_some(procedure),
                    introduced,
                    decided,
                });
            }
            Err(e) => problems.list.extend(e.problems),
        }
    }
    if !problems.list.is_empty() {
        return Err(LoadError {
            problems: problems.list,
        });
    }
    let issues: usize = cases.iter().map(|c| c.outcomes.len()).sum();
    let with_outcome: usize = cases
        .iter()
        .map(|c| c.outcomes.iter().flatten().count())
        .sum();
    notes.push(format!(
        "{file}: {} proposals, {issues} issues ({with_outcome} with an outcome); saliences on 0..100 divided by 100; every actor capability 1 (see --capabilities)",
        cases.len()
    ));
    if defaulted > 0 {
        notes.push(format!(
            "{file}: {defaulted} positions have no salience and get {DEU_MISSING_SALIENCE} (the DEU convention)"
        ));
    }
    if swapped > 0 {
        notes.push(format!(
            "{file}: {swapped} dates written yyyy-mm-dd were read as dd-mm-yy turned around by a spreadsheet (2014-07-04 is 14 July 2004)"
        ));
    }
    if !dropped.is_empty() {
        notes.push(format!(
            "{file}: left out, fewer than two positions: {}",
            dropped.join(", ")
        ));
    }
    Ok(CaseSet {
        cases,
        notes,
        warnings,
    })
}

/// Reads an outcomes CSV: `scenario,issue,outcome` (any order, any case), optionally
/// `procedure`, `introduced` and `decided` (YYYY-MM-DD). `scenario` is a scenario file relative
/// to `base` (or a built-in name); issues not listed have no outcome.
pub fn parse_outcomes(file: &str, text: String, base: &Path) -> Result<CaseSet, LoadError> {
    let text = Arc::new(text);
    let rows = read_rows(file, &text, b',', b'"', None)?;
    let mut problems = Problems {
        file,
        text: &text,
        list: Vec::new(),
    };
    let header: Vec<String> = rows[0]
        .fields
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let find = |name: &str| header.iter().position(|h| h == name);
    let (Some(scenario_col), Some(issue_col), Some(outcome_col)) =
        (find("scenario"), find("issue"), find("outcome"))
    else {
        problems.add(
            rows[0].line.clone(),
            format!(
                "the header needs scenario, issue and outcome columns (found: {})",
                rows[0].fields.join(", ")
            ),
            "write the header `scenario,issue,outcome`",
        );
        return Err(LoadError {
            problems: problems.list,
        });
    };
    let optional = [find("procedure"), find("introduced"), find("decided")];
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    // Each scenario named, read once: its case's index, or `None` when it could not be read.
    let mut read: HashMap<String, Option<usize>> = HashMap::new();
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for row in &rows[1..] {
        let name = row.cell(scenario_col);
        let c = match read.get(name) {
            Some(Some(c)) => *c,
            Some(None) => continue,
            None => {
                let path = base.join(name);
                let loaded = if !path.exists() && crate::builtin_source(name).is_some() {
                    Ok(crate::load_builtin(name).expect("the name was checked"))
                } else {
                    crate::load_path(&path, None)
                };
                match loaded {
                    Ok(loaded) => {
                        notes.extend(loaded.notes);
                        warnings.extend(loaded.warnings);
                        let n = loaded.scenario.issues().len();
                        cases.push(Case {
                            id: name.to_owned(),
                            scenario: loaded.scenario,
                            outcomes: vec![None; n],
                            procedure: None,
                            introduced: None,
                            decided: None,
                        });
                        read.insert(name.to_owned(), Some(cases.len() - 1));
                        cases.len() - 1
                    }
                    Err(e) => {
                        problems.add(
                            row.span(scenario_col),
                            format!("line {}: scenario `{name}` cannot be read", row.number),
                            "the path is relative to the outcomes file's folder",
                        );
                        problems.list.extend(e.problems);
                        read.insert(name.to_owned(), None);
                        continue;
                    }
                }
            }
        };
        let scenario = &cases[c].scenario;
        let issue_name = row.cell(issue_col);
        let Some(i) = scenario.issue_index(issue_name) else {
            let ids: Vec<&str> = scenario.issues().iter().map(|x| x.id.as_str()).collect();
            problems.add(
                row.span(issue_col),
                format!(
                    "line {}: scenario `{name}` has no issue `{issue_name}`",
                    row.number
                ),
                &unknown_name_help(issue_name, &ids, "issues"),
            );
            continue;
        };
        if let Some(line) = seen.insert((c, i), row.number) {
            problems.add(
                row.span(issue_col),
                format!(
                    "line {}: the outcome of `{name}` issue `{issue_name}` is given again (first on line {line})",
                    row.number
                ),
                "give each issue's outcome once",
            );
            continue;
        }
        let scale = scenario.issues()[i].scale;
        let cell = row.cell(outcome_col);
        match cell.parse::<f64>() {
            Ok(v) if v.is_finite() && scale.contains(v) => cases[c].outcomes[i] = Some(v),
            Ok(v) => problems.add(
                row.span(outcome_col),
                format!(
                    "line {}: outcome {v} of issue `{issue_name}` is outside its scale {}..{}",
                    row.number, scale.min, scale.max
                ),
                "an outcome lies on the issue's scale",
            ),
            Err(_) => problems.add(
                row.span(outcome_col),
                format!("line {}: outcome `{cell}` is not a number", row.number),
                "write the outcome as a number on the issue's scale",
            ),
        }
        if let Some(k) = optional[0].filter(|&k| !row.cell(k).is_empty()) {
            cases[c].procedure = Some(row.cell(k).to_owned());
        }
        for (slot, k) in [(1, optional[1]), (2, optional[2])] {
            let Some(k) = k.filter(|&k| !row.cell(k).is_empty()) else {
                continue;
            };
            match NaiveDate::parse_from_str(row.cell(k), "%Y-%m-%d") {
                Ok(d) if slot == 1 => cases[c].introduced = Some(d),
                Ok(d) => cases[c].decided = Some(d),
                Err(_) => problems.add(
                    row.span(k),
                    format!("line {}: `{}` is not a date", row.number, row.cell(k)),
                    "write dates as YYYY-MM-DD",
                ),
            }
        }
    }
    if !problems.list.is_empty() {
        return Err(LoadError {
            problems: problems.list,
        });
    }
    let with_outcome: usize = cases
        .iter()
        .map(|c| c.outcomes.iter().flatten().count())
        .sum();
    notes.push(format!(
        "{file}: {} scenarios, {with_outcome} issues with an outcome",
        cases.len()
    ));
    Ok(CaseSet {
        cases,
        notes,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_form_of_the_file() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_date("26-01-00"), Ok(DateRead::Plain(d(2000, 1, 26))));
        assert_eq!(parse_date("07-02-96"), Ok(DateRead::Plain(d(1996, 2, 7))));
        assert_eq!(parse_date("02-02-2016"), Ok(DateRead::Plain(d(2016, 2, 2))));
        assert_eq!(
            parse_date("2014-07-04"),
            Ok(DateRead::Swapped(d(2004, 7, 14)))
        );
        assert_eq!(
            parse_date("1930-05-01"),
            Ok(DateRead::Swapped(d(2001, 5, 30)))
        );
        assert_eq!(parse_date("999"), Ok(DateRead::Missing));
        assert_eq!(parse_date(""), Ok(DateRead::Missing));
        assert!(parse_date("31-02-01").is_err());
        assert!(parse_date("soon").is_err());
    }
}
