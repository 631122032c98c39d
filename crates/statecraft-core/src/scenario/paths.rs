//! Every value of a scenario by a path (`US.capability`, `US.domestic.1.turnover`,
//! `forms.treaty.costs.US`): listed for comparisons, read and set for what-ifs.
//!
//! One walk over the scenario ([`visit`]) names each value and hands out a slot to read or write
//! it, so the paths that are listed, documented and accepted by `--set` are the same by
//! construction. A set value is not checked here: the changed scenario is validated again, with
//! the rules of the file.

use chrono::NaiveDate;

use super::error::{
    ActorField, AgreementField, ChangeField, FormField, IssueField, Locus, ObservationField,
    RedLineField, ScenarioField, StanceField, SuccessorField,
};
use super::types::{
    ChangeTiming, DirectionalCost, Distribution, ObservationKind, Scenario, ScenarioParts,
    StanceChange,
};

/// What a path holds, and so what a what-if may set it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A number.
    Number,
    /// A number, or `none` when it is not given.
    OptionalNumber,
    /// A number or a distribution: `normal(MEAN, SD)`, `uniform(MIN, MAX)` or
    /// `triangular(MIN, MODE, MAX)` (the value is then the distribution's central value).
    Uncertain,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A date, or `none`.
    OptionalDate,
    /// Actor ids separated by commas, or `all`.
    Actors,
    /// An id (the agreement's form).
    Id,
    /// `true` or `false`.
    Bool,
}

impl ValueKind {
    /// What a value of this kind is, in words, for messages: "a number or `none`".
    pub fn expected(self) -> &'static str {
        match self {
            ValueKind::Number => "a number",
            ValueKind::OptionalNumber => "a number or `none`",
            ValueKind::Uncertain => {
                "a number, normal(MEAN, SD), uniform(MIN, MAX) or triangular(MIN, MODE, MAX)"
            }
            ValueKind::Date => "a date YYYY-MM-DD",
            ValueKind::OptionalDate => "a date YYYY-MM-DD or `none`",
            ValueKind::Actors => "actor ids separated by commas, or `all`",
            ValueKind::Id => "an id",
            ValueKind::Bool => "`true` or `false`",
        }
    }
}

/// One value of a scenario: its path, what it holds, its value as text (as a what-if writes it)
/// and where it is (for the validation's messages).
#[derive(Debug, Clone, PartialEq)]
pub struct PathValue {
    /// The path, e.g. `US.domestic.1.turnover`.
    pub path: String,
    /// What it holds.
    pub kind: ValueKind,
    /// The value, e.g. `0.4`, `none`, `normal(50, 5)`.
    pub value: String,
    /// Which value of the scenario, by index.
    pub locus: Locus,
}

/// Why a value could not be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// No value of the scenario has this path.
    #[error("`{path}` is not a value of the scenario")]
    Unknown {
        /// The path as written.
        path: String,
    },
    /// An index was left out where the list has more than one entry.
    #[error("`{path}` is ambiguous: write {}", candidates.join(" or "))]
    Ambiguous {
        /// The path as written.
        path: String,
        /// The paths it may mean.
        candidates: Vec<String>,
    },
    /// The text is not a value of the path's kind.
    #[error("`{path}`: `{text}` is not {}", kind.expected())]
    BadValue {
        /// The path.
        path: String,
        /// The value as written.
        text: String,
        /// What the path holds.
        kind: ValueKind,
    },
}

impl Scenario {
    /// Every value of the scenario with its path, in file order.
    pub fn values(&self) -> Vec<PathValue> {
        let mut parts = self.parts().clone();
        let names = Names::of(&parts);
        let mut values = Vec::new();
        visit(&mut parts, &mut |segments, locus, slot| {
            values.push(PathValue {
                path: join(segments),
                kind: slot.kind(),
                value: slot.read(&names),
                locus,
            });
        });
        values
    }

    /// The value a path names. An index may be left out where its list has a single entry
    /// (`US.domestic.turnover` for `US.domestic.1.turnover`).
    pub fn resolve(&self, path: &str) -> Result<PathValue, PathError> {
        let wanted: Vec<&str> = path.trim().split('.').collect();
        let values = self.values();
        let mut exact = None;
        let mut shortened = Vec::new();
        let mut parts = self.parts().clone();
        let mut n = 0;
        visit(&mut parts, &mut |segments, _, _| {
            match matches(segments, &wanted) {
                Match::Exact => exact = Some(n),
                Match::Shortened => shortened.push(n),
                Match::No => {}
            }
            n += 1;
        });
        let chosen = match (exact, shortened.as_slice()) {
            (Some(k), _) | (None, &[k]) => k,
            (None, []) => {
                return Err(PathError::Unknown {
                    path: path.trim().to_owned(),
                })
            }
            (None, many) => {
                return Err(PathError::Ambiguous {
                    path: path.trim().to_owned(),
                    candidates: many.iter().map(|&k| values[k].path.clone()).collect(),
                })
            }
        };
        Ok(values[chosen].clone())
    }
}

/// Sets the value at `path` (a path as [`Scenario::values`] lists it) to `text`.
pub(crate) fn set(parts: &mut ScenarioParts, path: &str, text: &str) -> Result<(), PathError> {
    let names = Names::of(parts);
    let mut outcome = Err(PathError::Unknown {
        path: path.to_owned(),
    });
    visit(parts, &mut |segments, _, slot| {
        if join(segments) == path {
            let kind = slot.kind();
            outcome = slot.write(text.trim(), &names).ok_or(PathError::BadValue {
                path: path.to_owned(),
                text: text.trim().to_owned(),
                kind,
            });
        }
    });
    outcome
}

/// One part of a path: a name, or an index into a list (1-based).
struct Segment {
    text: String,
    index: bool,
}

fn join(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

enum Match {
    Exact,
    /// Equal once some indices are left out.
    Shortened,
    No,
}

fn matches(segments: &[Segment], wanted: &[&str]) -> Match {
    if segments.len() == wanted.len() {
        let equal = segments.iter().zip(wanted).all(|(s, w)| s.text == *w);
        return if equal { Match::Exact } else { Match::No };
    }
    // Left out indices: walk both, skipping indices of the path that the text does not have.
    let mut w = 0;
    for segment in segments {
        if w < wanted.len() && segment.text == wanted[w] {
            w += 1;
        } else if !segment.index {
            return Match::No;
        }
    }
    if w == wanted.len() {
        Match::Shortened
    } else {
        Match::No
    }
}

/// The ids that values refer to by index.
struct Names {
    actors: Vec<String>,
}

impl Names {
    fn of(parts: &ScenarioParts) -> Self {
        Self {
            actors: parts.actors.iter().map(|a| a.id.clone()).collect(),
        }
    }
}

/// A value of the scenario to read or write.
enum Slot<'a> {
    Number(&'a mut f64),
    Optional(&'a mut Option<f64>),
    Uncertain(&'a mut f64, &'a mut Option<Distribution>),
    Date(&'a mut NaiveDate),
    OptionalDate(&'a mut Option<NaiveDate>),
    Actors(&'a mut Vec<usize>),
    /// The entry for a key (actor or issue index) of a list of pairs; absent is `none`.
    Keyed(&'a mut Vec<(usize, f64)>, usize),
    /// `down` (false) or `up` (true) of an issue's cost; absent is 0.
    IssueCost(&'a mut Vec<DirectionalCost>, usize, bool),
    /// A field of a successor's stance on an issue; absent is `none`.
    SuccessorStance(&'a mut Vec<(usize, StanceChange)>, usize, StanceField),
    Id(&'a mut String),
    Bool(&'a mut bool),
}

fn number(v: f64) -> String {
    format!("{v}")
}

fn optional(v: Option<f64>) -> String {
    v.map_or_else(|| "none".to_owned(), number)
}

fn parse_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}

fn parse_optional(text: &str) -> Option<Option<f64>> {
    if text == "none" {
        Some(None)
    } else {
        parse_number(text).map(Some)
    }
}

fn parse_distribution(text: &str) -> Option<Distribution> {
    let (name, rest) = text.split_once('(')?;
    let arguments: Vec<f64> = rest
        .strip_suffix(')')?
        .split(',')
        .map(|a| parse_number(a.trim()))
        .collect::<Option<_>>()?;
    Some(match (name.trim(), &arguments[..]) {
        ("normal", &[mean, sd]) => Distribution::Normal { mean, sd },
        ("uniform", &[min, max]) => Distribution::Uniform { min, max },
        ("triangular", &[min, mode, max]) => Distribution::Triangular { min, mode, max },
        _ => return None,
    })
}

fn distribution(d: &Distribution) -> String {
    match *d {
        Distribution::Normal { mean, sd } => format!("normal({mean}, {sd})"),
        Distribution::Uniform { min, max } => format!("uniform({min}, {max})"),
        Distribution::Triangular { min, mode, max } => {
            format!("triangular({min}, {mode}, {max})")
        }
    }
}

fn stance_field(change: &mut StanceChange, field: StanceField) -> &mut Option<f64> {
    match field {
        StanceField::Salience => &mut change.salience,
        StanceField::Spread => &mut change.spread,
        StanceField::Fallback => &mut change.fallback,
        StanceField::Position | StanceField::Whole => &mut change.position,
    }
}

impl Slot<'_> {
    fn kind(&self) -> ValueKind {
        match self {
            Slot::Number(_) | Slot::IssueCost(..) => ValueKind::Number,
            Slot::Optional(_) | Slot::Keyed(..) | Slot::SuccessorStance(..) => {
                ValueKind::OptionalNumber
            }
            Slot::Uncertain(..) => ValueKind::Uncertain,
            Slot::Date(_) => ValueKind::Date,
            Slot::OptionalDate(_) => ValueKind::OptionalDate,
            Slot::Actors(_) => ValueKind::Actors,
            Slot::Id(_) => ValueKind::Id,
            Slot::Bool(_) => ValueKind::Bool,
        }
    }

    fn read(self, names: &Names) -> String {
        match self {
            Slot::Number(v) => number(*v),
            Slot::Optional(v) => optional(*v),
            Slot::Uncertain(v, d) => d.as_ref().map_or_else(|| number(*v), distribution),
            Slot::Date(d) => d.to_string(),
            Slot::OptionalDate(d) => d.map_or_else(|| "none".to_owned(), |d| d.to_string()),
            Slot::Actors(list) if list.is_empty() => "all".to_owned(),
            Slot::Actors(list) => list
                .iter()
                .map(|&a| names.actors[a].as_str())
                .collect::<Vec<_>>()
                .join(","),
            Slot::Keyed(list, key) => optional(list.iter().find(|(k, _)| *k == key).map(|e| e.1)),
            Slot::IssueCost(list, issue, up) => {
                number(list.iter().find(|c| c.issue == issue).map_or(0.0, |c| {
                    if up {
                        c.up
                    } else {
                        c.down
                    }
                }))
            }
            Slot::SuccessorStance(list, issue, field) => optional(
                list.iter_mut()
                    .find(|(k, _)| *k == issue)
                    .and_then(|(_, change)| *stance_field(change, field)),
            ),
            Slot::Id(id) => id.clone(),
            Slot::Bool(b) => b.to_string(),
        }
    }

    /// Writes `text`; `None` when it is not a value of the slot's kind.
    fn write(self, text: &str, names: &Names) -> Option<()> {
        match self {
            Slot::Number(v) => *v = parse_number(text)?,
            Slot::Optional(v) => *v = parse_optional(text)?,
            Slot::Uncertain(v, d) => match parse_number(text) {
                Some(n) => {
                    *v = n;
                    *d = None;
                }
                None => {
                    let drawn = parse_distribution(text)?;
                    *v = drawn.central();
                    *d = Some(drawn);
                }
            },
            Slot::Date(d) => *d = text.parse().ok()?,
            Slot::OptionalDate(d) => {
                *d = if text == "none" {
                    None
                } else {
                    Some(text.parse().ok()?)
                }
            }
            Slot::Actors(list) => {
                *list = if text == "all" {
                    Vec::new()
                } else {
                    text.split(',')
                        .map(|id| names.actors.iter().position(|a| a == id.trim()))
                        .collect::<Option<_>>()?
                }
            }
            Slot::Keyed(list, key) => {
                let to = parse_optional(text)?;
                let at = list.iter().position(|(k, _)| *k == key);
                match (at, to) {
                    (Some(at), Some(v)) => list[at].1 = v,
                    (Some(at), None) => {
                        list.remove(at);
                    }
                    (None, Some(v)) => list.push((key, v)),
                    (None, None) => {}
                }
            }
            Slot::IssueCost(list, issue, up) => {
                let to = parse_number(text)?;
                let found = list.iter().position(|c| c.issue == issue);
                let at = found.unwrap_or_else(|| {
                    list.push(DirectionalCost {
                        issue,
                        down: 0.0,
                        up: 0.0,
                    });
                    list.len() - 1
                });
                if up {
                    list[at].up = to;
                } else {
                    list[at].down = to;
                }
                // A cost of 0 where none was given leaves the list as it was.
                if found.is_none() && list[at].down == 0.0 && list[at].up == 0.0 {
                    list.remove(at);
                }
            }
            Slot::SuccessorStance(list, issue, field) => {
                let to = parse_optional(text)?;
                let at = match list.iter().position(|(k, _)| *k == issue) {
                    Some(at) => at,
                    None => {
                        list.push((issue, StanceChange::default()));
                        list.len() - 1
                    }
                };
                *stance_field(&mut list[at].1, field) = to;
                if list[at].1 == StanceChange::default() {
                    list.remove(at);
                }
            }
            Slot::Id(id) if !text.is_empty() => *id = text.to_owned(),
            Slot::Id(_) => return None,
            Slot::Bool(b) => *b = text.parse().ok()?,
        }
        Some(())
    }
}

fn name(text: &str) -> Segment {
    Segment {
        text: text.to_owned(),
        index: false,
    }
}

fn index(k: usize) -> Segment {
    Segment {
        text: (k + 1).to_string(),
        index: true,
    }
}

/// `base` followed by `more`.
fn path(base: &[&Segment], more: &[Segment]) -> Vec<Segment> {
    base.iter()
        .map(|s| Segment {
            text: s.text.clone(),
            index: s.index,
        })
        .chain(more.iter().map(|s| Segment {
            text: s.text.clone(),
            index: s.index,
        }))
        .collect()
}

/// The four fields a successor may change on an issue, as they are named in paths.
const SUCCESSOR_FIELDS: [(&str, StanceField); 4] = [
    ("position", StanceField::Position),
    ("salience", StanceField::Salience),
    ("spread", StanceField::Spread),
    ("fallback", StanceField::Fallback),
];

/// Calls `f` with every value of the scenario, in file order: its path, where it is, and a slot
/// to read or write it.
fn visit(parts: &mut ScenarioParts, f: &mut dyn FnMut(&[Segment], Locus, Slot<'_>)) {
    let actor_ids: Vec<String> = parts.actors.iter().map(|a| a.id.clone()).collect();
    let issue_ids: Vec<String> = parts.issues.iter().map(|i| i.id.clone()).collect();
    let ScenarioParts {
        meta,
        actors,
        issues,
        stances,
        forms,
        observations,
        agreement,
    } = parts;
    let scenario = name("scenario");
    let whole = Locus::Scenario(ScenarioField::Whole);
    f(
        &path(&[&scenario], &[name("date")]),
        whole,
        Slot::OptionalDate(&mut meta.date),
    );
    f(
        &path(&[&scenario], &[name("uncertainty")]),
        Locus::Scenario(ScenarioField::Uncertainty),
        Slot::Optional(&mut meta.uncertainty),
    );

    let issues_name = name("issues");
    for (i, issue) in issues.iter_mut().enumerate() {
        let at = |field| Locus::Issue { issue: i, field };
        let id = name(&issue_ids[i]);
        let base = [&issues_name, &id];
        f(
            &path(&base, &[name("min")]),
            at(IssueField::Min),
            Slot::Number(&mut issue.scale.min),
        );
        f(
            &path(&base, &[name("max")]),
            at(IssueField::Max),
            Slot::Number(&mut issue.scale.max),
        );
        f(
            &path(&base, &[name("status_quo")]),
            at(IssueField::StatusQuo),
            Slot::Optional(&mut issue.status_quo),
        );
        f(
            &path(&base, &[name("controlled_by")]),
            at(IssueField::ControlledBy),
            Slot::Actors(&mut issue.controlled_by),
        );
    }

    for (a, actor) in actors.iter_mut().enumerate() {
        let at = |field| Locus::Actor { actor: a, field };
        let id = name(&actor_ids[a]);
        let base = [&id];
        f(
            &path(&base, &[name("capability")]),
            at(ActorField::Capability),
            Slot::Uncertain(&mut actor.capability, &mut actor.capability_uncertainty),
        );
        for (i, stance) in stances[a].iter_mut().enumerate() {
            let Some(stance) = stance.as_mut() else {
                continue;
            };
            let at = |field| Locus::Stance {
                actor: a,
                issue: i,
                field,
            };
            let issue = name(&issue_ids[i]);
            f(
                &path(&[&id, &issue], &[name("position")]),
                at(StanceField::Position),
                Slot::Uncertain(&mut stance.position, &mut stance.position_uncertainty),
            );
            f(
                &path(&[&id, &issue], &[name("salience")]),
                at(StanceField::Salience),
                Slot::Uncertain(&mut stance.salience, &mut stance.salience_uncertainty),
            );
            f(
                &path(&[&id, &issue], &[name("fallback")]),
                at(StanceField::Fallback),
                Slot::Optional(&mut stance.fallback),
            );
        }
        for (k, line) in actor.red_lines.iter_mut().enumerate() {
            let at = |field| Locus::RedLine {
                actor: a,
                index: k,
                field,
            };
            let line_base = [&id, &name("red_lines"), &index(k)];
            f(
                &path(&line_base, &[name("min")]),
                at(RedLineField::Min),
                Slot::Number(&mut line.min),
            );
            f(
                &path(&line_base, &[name("max")]),
                at(RedLineField::Max),
                Slot::Number(&mut line.max),
            );
        }
        for (c, change) in actor.domestic.iter_mut().enumerate() {
            let at = |field| Locus::Change {
                actor: a,
                index: c,
                field,
            };
            let change_index = index(c);
            let change_base = [&id, &name("domestic"), &change_index];
            match &mut change.timing {
                ChangeTiming::Scheduled { date, turnover } => {
                    f(
                        &path(&change_base, &[name("date")]),
                        at(ChangeField::Whole),
                        Slot::Date(date),
                    );
                    f(
                        &path(&change_base, &[name("turnover")]),
                        at(ChangeField::Turnover),
                        Slot::Number(turnover),
                    );
                }
                ChangeTiming::Hazard { yearly } => f(
                    &path(&change_base, &[name("hazard")]),
                    at(ChangeField::Hazard),
                    Slot::Number(yearly),
                ),
            }
            for (s, successor) in change.successors.iter_mut().enumerate() {
                let successor_index = index(s);
                let successor_base = [
                    &id,
                    &name("domestic"),
                    &change_index,
                    &name("successors"),
                    &successor_index,
                ];
                f(
                    &path(&successor_base, &[name("probability")]),
                    Locus::Successor {
                        actor: a,
                        change: c,
                        index: s,
                        field: SuccessorField::Probability,
                    },
                    Slot::Number(&mut successor.probability),
                );
                for (i, issue_id) in issue_ids.iter().enumerate() {
                    for (field_name, field) in SUCCESSOR_FIELDS {
                        f(
                            &path(&successor_base, &[name(issue_id), name(field_name)]),
                            Locus::SuccessorStance {
                                actor: a,
                                change: c,
                                successor: s,
                                issue: i,
                                field,
                            },
                            Slot::SuccessorStance(&mut successor.positions, i, field),
                        );
                    }
                }
            }
        }
        for (b, partner) in actor_ids.iter().enumerate() {
            if b != a {
                f(
                    &path(&base, &[name("affinity"), name(partner)]),
                    at(ActorField::Affinity(b)),
                    Slot::Keyed(&mut actor.affinity, b),
                );
            }
        }
        f(
            &path(&base, &[name("reservation")]),
            at(ActorField::Reservation),
            Slot::Number(&mut actor.reservation),
        );
        f(
            &path(&base, &[name("response"), name("probability")]),
            at(ActorField::ResponseProbability),
            Slot::Number(&mut actor.response.probability),
        );
        f(
            &path(&base, &[name("response"), name("delay")]),
            at(ActorField::ResponseDelay),
            Slot::Number(&mut actor.response.delay),
        );
    }

    let forms_name = name("forms");
    for (k, form) in forms.iter_mut().enumerate() {
        let at = |field| Locus::Form { form: k, field };
        let id = name(&form.id);
        let base = [&forms_name, &id];
        f(
            &path(&base, &[name("cost")]),
            at(FormField::Cost),
            Slot::Number(&mut form.cost),
        );
        for (b, actor_id) in actor_ids.iter().enumerate() {
            f(
                &path(&base, &[name("costs"), name(actor_id)]),
                at(FormField::ActorCost(b)),
                Slot::Keyed(&mut form.actor_costs, b),
            );
        }
        for (i, issue_id) in issue_ids.iter().enumerate() {
            let entry = form
                .issue_costs
                .iter()
                .position(|c| c.issue == i)
                .unwrap_or(form.issue_costs.len());
            for (direction, up) in [("down", false), ("up", true)] {
                let field = if up {
                    FormField::IssueCostUp(entry)
                } else {
                    FormField::IssueCostDown(entry)
                };
                f(
                    &path(
                        &base,
                        &[name("issue_costs"), name(issue_id), name(direction)],
                    ),
                    at(field),
                    Slot::IssueCost(&mut form.issue_costs, i, up),
                );
            }
        }
        f(
            &path(&base, &[name("cost_trend")]),
            at(FormField::CostTrend),
            Slot::Number(&mut form.cost_trend),
        );
    }

    if let Some(record) = agreement {
        let base = name("agreement");
        f(
            &path(&[&base], &[name("signed")]),
            Locus::Agreement(AgreementField::Whole),
            Slot::Date(&mut record.signed),
        );
        f(
            &path(&[&base], &[name("form")]),
            Locus::Agreement(AgreementField::Form),
            Slot::Id(&mut record.form),
        );
        for (i, issue_id) in issue_ids.iter().enumerate() {
            f(
                &path(&[&base], &[name("package"), name(issue_id)]),
                Locus::Agreement(AgreementField::PackageValue(i)),
                Slot::Keyed(&mut record.package, i),
            );
        }
        for (k, check) in record.fate.iter_mut().enumerate() {
            let fate_base = [&base, &name("fate"), &index(k)];
            f(
                &path(&fate_base, &[name("date")]),
                Locus::Agreement(AgreementField::FateDate(k)),
                Slot::Date(&mut check.date),
            );
            f(
                &path(&fate_base, &[name("in_force")]),
                Locus::Agreement(AgreementField::Whole),
                Slot::Bool(&mut check.in_force),
            );
        }
    }

    let observations_name = name("observations");
    for (o, observation) in observations.iter_mut().enumerate() {
        let at = |field| Locus::Observation { index: o, field };
        let observation_index = index(o);
        let base = [&observations_name, &observation_index];
        f(
            &path(&base, &[name("date")]),
            at(ObservationField::Whole),
            Slot::OptionalDate(&mut observation.date),
        );
        match &mut observation.kind {
            ObservationKind::Decision(decision) => {
                for (i, issue_id) in issue_ids.iter().enumerate() {
                    f(
                        &path(&base, &[name("package"), name(issue_id)]),
                        at(ObservationField::PackageValue(i)),
                        Slot::Keyed(&mut decision.package, i),
                    );
                }
                for (i, issue_id) in issue_ids.iter().enumerate() {
                    f(
                        &path(&base, &[name("status_quo"), name(issue_id)]),
                        at(ObservationField::StatusQuoValue(i)),
                        Slot::Keyed(&mut decision.status_quo, i),
                    );
                }
            }
            ObservationKind::Statement(statement) => {
                f(
                    &path(&base, &[name("position")]),
                    at(ObservationField::Position),
                    Slot::Number(&mut statement.position),
                );
                f(
                    &path(&base, &[name("trust")]),
                    at(ObservationField::Trust),
                    Slot::Number(&mut statement.trust),
                );
            }
        }
    }
}
