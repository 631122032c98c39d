//! The scenario file's structure as written on disk (shared by TOML and JSON), and its conversion
//! to and from the validated core `Scenario`.

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use statecraft_core::scenario::{
    Actor, ActorField, AgreementField, AgreementForm, AgreementRecord, Anchor, ChangeField,
    ChangeTiming, Decision, DirectionalCost, Distribution, FateCheck, FormField, Issue, IssueField,
    LeadershipChange, Locus, Metadata, Observation, ObservationField, ObservationKind, RedLine,
    RedLineField, Response, Scale, Scenario, ScenarioField, ScenarioParts, Stance, StanceChange,
    StanceField, Statement, Successor, SuccessorField,
};

/// One step of a path into the file: a key or an index in a list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A place in the file's structure: `actors[2].positions.nuclear_status.salience`.
pub(crate) type Path = Vec<Seg>;

pub(crate) fn display_path(path: &Path) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A problem found while turning the file's structure into a scenario (an unknown name, a bad
/// date), at a path.
pub(crate) struct DtoError {
    pub(crate) path: Path,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDto {
    #[serde(default, skip_serializing_if = "MetaDto::is_empty")]
    pub(crate) scenario: MetaDto,
    #[serde(default)]
    pub(crate) issues: Vec<IssueDto>,
    #[serde(default)]
    pub(crate) actors: Vec<ActorDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) forms: Vec<FormDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) observations: Vec<ObservationDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) agreement: Option<AgreementDto>,
}

/// The `[agreement]` block of a backtest case: what was signed, when, in which form, and the
/// dates on which it is known to have been in force or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgreementDto {
    signed: String,
    form: String,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    package: IndexMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default)]
    fate: Vec<FateDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FateDto {
    date: String,
    in_force: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

impl AgreementDto {
    fn to_record(&self, issue_ids: &[&str], errors: &mut Vec<DtoError>) -> Option<AgreementRecord> {
        let at = |rest: &[Seg]| {
            let mut p = vec![key("agreement")];
            p.extend_from_slice(rest);
            p
        };
        let n_errors = errors.len();
        let signed = parse_date(&self.signed, at(&[key("signed")]))
            .map_err(|e| errors.push(e))
            .ok();
        let mut package = Vec::new();
        for (id, &value) in &self.package {
            let path = at(&[key("package"), key(id)]);
            match issue_index(issue_ids, id, path, "the agreement's package") {
                Ok(k) => package.push((k, value)),
                Err(e) => errors.push(e),
            }
        }
        let mut fate = Vec::new();
        for (k, check) in self.fate.iter().enumerate() {
            if let Ok(date) =
                parse_date(&check.date, at(&[key("fate"), Seg::Index(k), key("date")]))
                    .map_err(|e| errors.push(e))
            {
                fate.push(FateCheck {
                    date,
                    in_force: check.in_force,
                    note: check.note.clone(),
                    source: check.source.clone(),
                });
            }
        }
        (errors.len() == n_errors).then(|| AgreementRecord {
            signed: signed.expect("no error"),
            package,
            form: self.form.clone(),
            fate,
        })
    }

    fn from_record(record: &AgreementRecord, issues: &[Issue]) -> Self {
        AgreementDto {
            signed: record.signed.format("%Y-%m-%d").to_string(),
            form: record.form.clone(),
            package: record
                .package
                .iter()
                .map(|(k, v)| (issues[*k].id.clone(), *v))
                .collect(),
            note: None,
            fate: record
                .fate
                .iter()
                .map(|c| FateDto {
                    date: c.date.format("%Y-%m-%d").to_string(),
                    in_force: c.in_force,
                    note: c.note.clone(),
                    source: c.source.clone(),
                })
                .collect(),
        }
    }
}

/// One `[[observations]]` entry: a decision (`package`, `status_quo`, `accepted`, `refused`) or
/// a statement (`actor`, `issue`, `position`, `trust`), told apart by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ObservationDto {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    package: IndexMap<String, f64>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    status_quo: IndexMap<String, f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    accepted: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    refused: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trust: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

const DECISION_KEYS: &str = "`package`, `status_quo`, `accepted` and `refused`";
const STATEMENT_KEYS: &str = "`actor`, `issue`, `position` and `trust`";

impl ObservationDto {
    fn to_observation(
        &self,
        o: usize,
        actor_ids: &[&str],
        issue_ids: &[&str],
        errors: &mut Vec<DtoError>,
    ) -> Option<Observation> {
        let at = |rest: &[Seg]| {
            let mut p = vec![key("observations"), Seg::Index(o)];
            p.extend_from_slice(rest);
            p
        };
        let what = format!("observation {}", o + 1);
        let n_errors = errors.len();
        let date = self.date.as_deref().and_then(|d| {
            parse_date(d, at(&[key("date")]))
                .map_err(|e| errors.push(e))
                .ok()
        });
        let misplaced = |errors: &mut Vec<DtoError>, field: &str, belongs: &str, allowed: &str| {
            errors.push(DtoError {
                path: at(&[key(field)]),
                message: format!(
                    "{what}: `{field}` belongs to a {belongs}, and this is a {}",
                    self.kind
                ),
                help: Some(format!("a {} takes {allowed}", self.kind)),
            })
        };
        let kind = match self.kind.as_str() {
            "decision" => {
                for (field, given) in [
                    ("actor", self.actor.is_some()),
                    ("issue", self.issue.is_some()),
                    ("position", self.position.is_some()),
                    ("trust", self.trust.is_some()),
                ] {
                    if given {
                        misplaced(errors, field, "statement", DECISION_KEYS);
                    }
                }
                let mut values = |map: &IndexMap<String, f64>, field: &str| {
                    let mut out = Vec::new();
                    for (issue_id, &value) in map {
                        let path = at(&[key(field), key(issue_id)]);
                        let whose = format!("{what}: its {}", field.replace('_', " "));
                        match issue_index(issue_ids, issue_id, path, &whose) {
                            Ok(i) => out.push((i, value)),
                            Err(e) => errors.push(e),
                        }
                    }
                    out
                };
                let package = values(&self.package, "package");
                let status_quo = values(&self.status_quo, "status_quo");
                let mut responses = Vec::new();
                for (field, list, accepted) in [
                    ("accepted", &self.accepted, true),
                    ("refused", &self.refused, false),
                ] {
                    for (k, actor_id) in list.iter().enumerate() {
                        let path = at(&[key(field), Seg::Index(k)]);
                        let whose = format!("{what}: `{field}`");
                        match actor_index(actor_ids, actor_id, path, &whose) {
                            Ok(a) => responses.push((a, accepted)),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                ObservationKind::Decision(Decision {
                    package,
                    status_quo,
                    responses,
                })
            }
            "statement" => {
                for (field, given) in [
                    ("package", !self.package.is_empty()),
                    ("status_quo", !self.status_quo.is_empty()),
                    ("accepted", !self.accepted.is_empty()),
                    ("refused", !self.refused.is_empty()),
                ] {
                    if given {
                        misplaced(errors, field, "decision", STATEMENT_KEYS);
                    }
                }
                let mut required = |field: &str, given: bool| {
                    if !given {
                        errors.push(DtoError {
                            path: at(&[key("kind")]),
                            message: format!("{what}: a statement needs `{field}`"),
                            help: Some(format!("a statement takes {STATEMENT_KEYS}")),
                        });
                    }
                };
                required("actor", self.actor.is_some());
                required("issue", self.issue.is_some());
                required("position", self.position.is_some());
                required("trust", self.trust.is_some());
                let actor = self.actor.as_deref().and_then(|id| {
                    actor_index(actor_ids, id, at(&[key("actor")]), &what)
                        .map_err(|e| errors.push(e))
                        .ok()
                });
                let issue = self.issue.as_deref().and_then(|id| {
                    issue_index(issue_ids, id, at(&[key("issue")]), &what)
                        .map_err(|e| errors.push(e))
                        .ok()
                });
                match (actor, issue, self.position, self.trust) {
                    (Some(actor), Some(issue), Some(position), Some(trust)) => {
                        ObservationKind::Statement(Statement {
                            actor,
                            issue,
                            position,
                            trust,
                        })
                    }
                    _ => return None,
                }
            }
            other => {
                errors.push(DtoError {
                    path: at(&[key("kind")]),
                    message: format!("{what}: unknown kind `{other}`"),
                    help: Some(format!(
                        "the kinds are `decision` (with {DECISION_KEYS}) and `statement` (with {STATEMENT_KEYS})"
                    )),
                });
                return None;
            }
        };
        (errors.len() == n_errors).then(|| Observation {
            date,
            kind,
            note: self.note.clone(),
            source: self.source.clone(),
        })
    }

    fn from_observation(observation: &Observation, actors: &[Actor], issues: &[Issue]) -> Self {
        let values = |pairs: &[(usize, f64)]| -> IndexMap<String, f64> {
            pairs
                .iter()
                .map(|(i, v)| (issues[*i].id.clone(), *v))
                .collect()
        };
        let mut dto = ObservationDto {
            kind: String::new(),
            date: observation.date.map(|d| d.format("%Y-%m-%d").to_string()),
            package: IndexMap::new(),
            status_quo: IndexMap::new(),
            accepted: Vec::new(),
            refused: Vec::new(),
            actor: None,
            issue: None,
            position: None,
            trust: None,
            note: observation.note.clone(),
            source: observation.source.clone(),
        };
        match &observation.kind {
            ObservationKind::Decision(d) => {
                dto.kind = "decision".into();
                dto.package = values(&d.package);
                dto.status_quo = values(&d.status_quo);
                for &(a, accepted) in &d.responses {
                    let list = if accepted {
                        &mut dto.accepted
                    } else {
                        &mut dto.refused
                    };
                    list.push(actors[a].id.clone());
                }
            }
            ObservationKind::Statement(s) => {
                dto.kind = "statement".into();
                dto.actor = Some(actors[s.actor].id.clone());
                dto.issue = Some(issues[s.issue].id.clone());
                dto.position = Some(s.position);
                dto.trust = Some(s.trust);
            }
        }
        dto
    }

    /// The path of an observation's field in the file.
    fn field_path(
        &self,
        field: ObservationField,
        actor_ids: &[&str],
        issue_ids: &[&str],
    ) -> Vec<Seg> {
        let issue = |i: usize| key(issue_ids.get(i).copied().unwrap_or(""));
        match field {
            ObservationField::Whole => vec![key("kind")],
            ObservationField::Package => vec![key("package")],
            ObservationField::PackageValue(i) => vec![key("package"), issue(i)],
            ObservationField::StatusQuoValue(i) => vec![key("status_quo"), issue(i)],
            ObservationField::Response(a) => {
                let id = actor_ids.get(a).copied().unwrap_or("");
                // The second mention is the one at fault (the first is where it was first named).
                let mut mentions = self
                    .accepted
                    .iter()
                    .enumerate()
                    .map(|(k, x)| ("accepted", k, x))
                    .chain(
                        self.refused
                            .iter()
                            .enumerate()
                            .map(|(k, x)| ("refused", k, x)),
                    )
                    .filter(|(_, _, x)| x.as_str() == id)
                    .map(|(list, k, _)| vec![key(list), Seg::Index(k)]);
                mentions.next_back().unwrap_or_else(|| vec![key("kind")])
            }
            ObservationField::Position => vec![key("position")],
            ObservationField::Trust => vec![key("trust")],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FormDto {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    cost: f64,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    costs: IndexMap<String, f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    issue_costs: Vec<IssueCostDto>,
    #[serde(default, skip_serializing_if = "is_zero")]
    cost_trend: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IssueCostDto {
    issue: String,
    #[serde(default)]
    down: f64,
    #[serde(default)]
    up: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetaDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uncertainty: Option<f64>,
}

impl MetaDto {
    fn is_empty(&self) -> bool {
        self == &MetaDto::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IssueDto {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    min: f64,
    max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_quo: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_quo_note: Option<String>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    anchors: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    controlled_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorDto {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    capability: ValueDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    positions: IndexMap<String, StanceDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    red_lines: Vec<RedLineDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    domestic: Option<DomesticDto>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    affinity: IndexMap<String, f64>,
    #[serde(default, skip_serializing_if = "is_zero")]
    reservation: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response: Option<ResponseDto>,
}

/// `response = { probability, delay }`: how the actor answers another party's reneging.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResponseDto {
    #[serde(default = "one")]
    probability: f64,
    #[serde(default)]
    delay: f64,
}

fn one() -> f64 {
    1.0
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StanceDto {
    position: ValueDto,
    salience: ValueDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fallback: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// A number, or a distribution for sweeps: `{ mean, sd }`, `{ min, max }`, `{ min, mode, max }`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ValueDto {
    Number(f64),
    Normal { mean: f64, sd: f64 },
    Uniform { min: f64, max: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
}

const VALUE_EXPECTED: &str =
    "a number, or a distribution { mean, sd }, { min, max } or { min, mode, max }";

impl ValueDto {
    fn new(value: f64, distribution: Option<Distribution>) -> Self {
        match distribution {
            None => ValueDto::Number(value),
            Some(Distribution::Normal { mean, sd }) => ValueDto::Normal { mean, sd },
            Some(Distribution::Uniform { min, max }) => ValueDto::Uniform { min, max },
            Some(Distribution::Triangular { min, mode, max }) => {
                ValueDto::Triangular { min, mode, max }
            }
        }
    }

    /// The central value and the distribution, if any.
    fn split(self) -> (f64, Option<Distribution>) {
        let distribution = match self {
            ValueDto::Number(v) => return (v, None),
            ValueDto::Normal { mean, sd } => Distribution::Normal { mean, sd },
            ValueDto::Uniform { min, max } => Distribution::Uniform { min, max },
            ValueDto::Triangular { min, mode, max } => Distribution::Triangular { min, mode, max },
        };
        (distribution.central(), Some(distribution))
    }
}

impl Serialize for ValueDto {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let entries: Vec<(&str, f64)> = match *self {
            ValueDto::Number(v) => return serializer.serialize_f64(v),
            ValueDto::Normal { mean, sd } => vec![("mean", mean), ("sd", sd)],
            ValueDto::Uniform { min, max } => vec![("min", min), ("max", max)],
            ValueDto::Triangular { min, mode, max } => {
                vec![("min", min), ("mode", mode), ("max", max)]
            }
        };
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (k, v) in entries {
            map.serialize_entry(k, &v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ValueDto {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ValueDto;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(VALUE_EXPECTED)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ValueDto, E> {
                Ok(ValueDto::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ValueDto, E> {
                Ok(ValueDto::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ValueDto, E> {
                Ok(ValueDto::Number(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ValueDto, A::Error> {
                const KEYS: &[&str] = &["mean", "sd", "min", "mode", "max"];
                let mut found: [Option<f64>; 5] = [None; 5];
                while let Some(key) = map.next_key::<String>()? {
                    let Some(k) = KEYS.iter().position(|name| *name == key) else {
                        return Err(serde::de::Error::unknown_field(&key, KEYS));
                    };
                    found[k] = Some(map.next_value()?);
                }
                match found {
                    [Some(mean), Some(sd), None, None, None] => Ok(ValueDto::Normal { mean, sd }),
                    [None, None, Some(min), None, Some(max)] => Ok(ValueDto::Uniform { min, max }),
                    [None, None, Some(min), Some(mode), Some(max)] => {
                        Ok(ValueDto::Triangular { min, mode, max })
                    }
                    _ => Err(serde::de::Error::invalid_value(
                        serde::de::Unexpected::Map,
                        &"a distribution with exactly the keys { mean, sd }, { min, max } or { min, mode, max }",
                    )),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedLineDto {
    issue: String,
    min: f64,
    max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DomesticDto {
    #[serde(default)]
    changes: Vec<ChangeDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeDto {
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    turnover: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hazard: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    successors: Vec<SuccessorDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuccessorDto {
    label: String,
    probability: f64,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    positions: IndexMap<String, StanceChangeDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StanceChangeDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salience: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spread: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fallback: Option<f64>,
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_owned())
}

fn parse_date(text: &str, path: Path) -> Result<NaiveDate, DtoError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| DtoError {
        path,
        message: format!("date `{text}` is not a valid date: {e}"),
        help: Some("write dates as YYYY-MM-DD, e.g. 2009-05-09".into()),
    })
}

/// The index of `id` among `ids` (the ids of `plural`: "issues", "actors"), or a message that
/// `what` names an unknown one, with a "did you mean".
fn resolve(
    ids: &[&str],
    id: &str,
    path: Path,
    what: &str,
    plural: &str,
) -> Result<usize, DtoError> {
    ids.iter().position(|i| *i == id).ok_or_else(|| DtoError {
        path,
        message: format!(
            "{what} names {} `{id}`, which the scenario does not define",
            plural.trim_end_matches('s')
        ),
        help: Some(crate::diagnostic::unknown_name_help(id, ids, plural)),
    })
}

fn issue_index(issue_ids: &[&str], id: &str, path: Path, what: &str) -> Result<usize, DtoError> {
    resolve(issue_ids, id, path, what, "issues")
}

fn actor_index(actor_ids: &[&str], id: &str, path: Path, what: &str) -> Result<usize, DtoError> {
    resolve(actor_ids, id, path, what, "actors")
}

impl FormDto {
    fn to_form(
        &self,
        f: usize,
        actor_ids: &[&str],
        issue_ids: &[&str],
        errors: &mut Vec<DtoError>,
    ) -> AgreementForm {
        let at = |rest: &[Seg]| {
            let mut p = vec![key("forms"), Seg::Index(f)];
            p.extend_from_slice(rest);
            p
        };
        let what = format!("form `{}`", self.id);
        let mut form = AgreementForm::new(
            self.id.clone(),
            self.label.clone().unwrap_or_else(|| self.id.clone()),
            self.cost,
        );
        form.note = self.note.clone();
        form.cost_trend = self.cost_trend;
        for (actor_id, &cost) in &self.costs {
            let path = at(&[key("costs"), key(actor_id)]);
            match actor_index(actor_ids, actor_id, path, &format!("{what}: a cost")) {
                Ok(a) => form.actor_costs.push((a, cost)),
                Err(e) => errors.push(e),
            }
        }
        for (k, c) in self.issue_costs.iter().enumerate() {
            let path = at(&[key("issue_costs"), Seg::Index(k), key("issue")]);
            let whose = format!("{what}: issue cost {}", k + 1);
            match issue_index(issue_ids, &c.issue, path, &whose) {
                Ok(issue) => form.issue_costs.push(DirectionalCost {
                    issue,
                    down: c.down,
                    up: c.up,
                }),
                Err(e) => errors.push(e),
            }
        }
        form
    }

    fn from_form(form: &AgreementForm, actors: &[Actor], issues: &[Issue]) -> Self {
        FormDto {
            id: form.id.clone(),
            label: (form.label != form.id).then(|| form.label.clone()),
            cost: form.cost,
            costs: form
                .actor_costs
                .iter()
                .map(|(a, c)| (actors[*a].id.clone(), *c))
                .collect(),
            issue_costs: form
                .issue_costs
                .iter()
                .map(|c| IssueCostDto {
                    issue: issues[c.issue].id.clone(),
                    down: c.down,
                    up: c.up,
                })
                .collect(),
            cost_trend: form.cost_trend,
            note: form.note.clone(),
        }
    }
}

impl FileDto {
    /// Turns the file's structure into scenario parts, resolving names; values are checked later
    /// by `Scenario::new`.
    /// The scenario's parts and the problems found building them: a value with a problem (a
    /// reference to an undefined id, a bad date) is left out, so that the rest can still be
    /// validated and every problem reported in one pass.
    pub(crate) fn to_parts(&self) -> (ScenarioParts, Vec<DtoError>) {
        let mut errors = Vec::new();
        let issue_ids: Vec<&str> = self.issues.iter().map(|i| i.id.as_str()).collect();
        let meta = Metadata {
            title: self.scenario.title.clone(),
            date: self.scenario.date.as_deref().and_then(|d| {
                parse_date(d, vec![key("scenario"), key("date")])
                    .map_err(|e| errors.push(e))
                    .ok()
            }),
            description: self.scenario.description.clone(),
            sources: self.scenario.sources.clone(),
            uncertainty: self.scenario.uncertainty,
        };
        let actor_ids: Vec<&str> = self.actors.iter().map(|a| a.id.as_str()).collect();
        let issues = self.issues.iter().enumerate().map(|(i, dto)| {
            let mut anchors = Vec::new();
            for (k, (value, label)) in dto.anchors.iter().enumerate() {
                match value.trim().parse::<f64>() {
                    Ok(v) => anchors.push(Anchor { value: v, label: label.clone() }),
                    Err(_) => errors.push(DtoError {
                        path: vec![key("issues"), Seg::Index(i), key("anchors"), key(value)],
                        message: format!("issue `{}`: anchor key `{value}` is not a number (anchor {})", dto.id, k + 1),
                        help: Some("anchors map points of the scale to labels: `anchors = { 0 = \"none\", 100 = \"full\" }`".into()),
                    }),
                }
            }
            let mut controlled_by = Vec::new();
            for (j, id) in dto.controlled_by.iter().enumerate() {
                let path = vec![key("issues"), Seg::Index(i), key("controlled_by"), Seg::Index(j)];
                let what = format!("issue `{}`: controlled_by", dto.id);
                match actor_index(&actor_ids, id, path.clone(), &what) {
                    Ok(a) if controlled_by.contains(&a) => errors.push(DtoError {
                        path,
                        message: format!("issue `{}`: controlled_by names actor `{id}` twice", dto.id),
                        help: Some("name each controlling actor once".into()),
                    }),
                    Ok(a) => controlled_by.push(a),
                    Err(e) => errors.push(e),
                }
            }
            controlled_by.sort_unstable();
            Issue {
                id: dto.id.clone(),
                label: dto.label.clone().unwrap_or_else(|| dto.id.clone()),
                description: dto.description.clone(),
                scale: Scale::new(dto.min, dto.max),
                status_quo: dto.status_quo,
                status_quo_note: dto.status_quo_note.clone(),
                anchors,
                controlled_by,
            }
        }).collect();
        let mut actors = Vec::new();
        let mut stances = Vec::new();
        for (a, dto) in self.actors.iter().enumerate() {
            let at = |rest: &[Seg]| {
                let mut p = vec![key("actors"), Seg::Index(a)];
                p.extend_from_slice(rest);
                p
            };
            let mut row = vec![None; issue_ids.len()];
            for (issue_id, stance) in &dto.positions {
                let path = at(&[key("positions"), key(issue_id)]);
                let what = format!("actor `{}`: a position", dto.id);
                match issue_index(&issue_ids, issue_id, path, &what) {
                    Ok(i) => {
                        let (position, position_uncertainty) = stance.position.split();
                        let (salience, salience_uncertainty) = stance.salience.split();
                        row[i] = Some(Stance {
                            position,
                            salience,
                            note: stance.note.clone(),
                            position_uncertainty,
                            salience_uncertainty,
                            fallback: stance.fallback,
                        })
                    }
                    Err(e) => errors.push(e),
                }
            }
            stances.push(row);
            let mut red_lines = Vec::new();
            for (k, line) in dto.red_lines.iter().enumerate() {
                let path = at(&[key("red_lines"), Seg::Index(k), key("issue")]);
                let what = format!("actor `{}`: red line {}", dto.id, k + 1);
                match issue_index(&issue_ids, &line.issue, path, &what) {
                    Ok(issue) => red_lines.push(RedLine {
                        issue,
                        min: line.min,
                        max: line.max,
                        note: line.note.clone(),
                    }),
                    Err(e) => errors.push(e),
                }
            }
            let mut domestic = Vec::new();
            let changes = dto.domestic.as_ref().map_or(&[][..], |d| &d.changes[..]);
            for (c, change) in changes.iter().enumerate() {
                let change_path =
                    |field: &str| at(&[key("domestic"), key("changes"), Seg::Index(c), key(field)]);
                let timing = match (&change.date, change.turnover, change.hazard) {
                    (Some(date), Some(turnover), None) => parse_date(date, change_path("date"))
                        .map(|date| ChangeTiming::Scheduled { date, turnover }),
                    (None, None, Some(yearly)) => Ok(ChangeTiming::Hazard { yearly }),
                    _ => Err(DtoError {
                        path: change_path("label"),
                        message: format!(
                            "actor `{}`: leadership change `{}` must have either `date` and `turnover` (scheduled) or `hazard` (yearly probability)",
                            dto.id, change.label
                        ),
                        help: Some("e.g. `date = \"2012-11-06\"` with `turnover = 0.5`, or `hazard = 0.15`".into()),
                    }),
                };
                let mut successors = Vec::new();
                for (s, succ) in change.successors.iter().enumerate() {
                    let mut positions = Vec::new();
                    for (issue_id, delta) in &succ.positions {
                        let path = at(&[
                            key("domestic"),
                            key("changes"),
                            Seg::Index(c),
                            key("successors"),
                            Seg::Index(s),
                            key("positions"),
                            key(issue_id),
                        ]);
                        let what = format!("actor `{}`: successor `{}`", dto.id, succ.label);
                        match issue_index(&issue_ids, issue_id, path, &what) {
                            Ok(i) => positions.push((
                                i,
                                StanceChange {
                                    position: delta.position,
                                    salience: delta.salience,
                                    spread: delta.spread,
                                    fallback: delta.fallback,
                                },
                            )),
                            Err(e) => errors.push(e),
                        }
                    }
                    successors.push(Successor {
                        label: succ.label.clone(),
                        probability: succ.probability,
                        positions,
                        note: succ.note.clone(),
                    });
                }
                match timing {
                    Ok(timing) => domestic.push(LeadershipChange {
                        label: change.label.clone(),
                        timing,
                        successors,
                        note: change.note.clone(),
                    }),
                    Err(e) => errors.push(e),
                }
            }
            let mut affinity = Vec::new();
            for (partner, &share) in &dto.affinity {
                let path = at(&[key("affinity"), key(partner)]);
                let what = format!("actor `{}`: an affinity", dto.id);
                match actor_index(&actor_ids, partner, path, &what) {
                    Ok(b) => affinity.push((b, share)),
                    Err(e) => errors.push(e),
                }
            }
            let (capability, capability_uncertainty) = dto.capability.split();
            actors.push(Actor {
                id: dto.id.clone(),
                name: dto.name.clone().unwrap_or_else(|| dto.id.clone()),
                capability,
                capability_uncertainty,
                note: dto.note.clone(),
                red_lines,
                domestic,
                affinity,
                reservation: dto.reservation,
                response: dto.response.map_or_else(Response::default, |r| Response {
                    probability: r.probability,
                    delay: r.delay,
                }),
            });
        }
        let forms = self
            .forms
            .iter()
            .enumerate()
            .map(|(f, dto)| dto.to_form(f, &actor_ids, &issue_ids, &mut errors))
            .collect();
        let observations = self
            .observations
            .iter()
            .enumerate()
            .filter_map(|(o, dto)| dto.to_observation(o, &actor_ids, &issue_ids, &mut errors))
            .collect();
        let agreement = self
            .agreement
            .as_ref()
            .and_then(|a| a.to_record(&issue_ids, &mut errors));
        let parts = ScenarioParts {
            meta,
            actors,
            issues,
            stances,
            forms,
            observations,
            agreement,
        };
        (parts, errors)
    }

    /// The file structure that describes `scenario`.
    pub(crate) fn from_scenario(scenario: &Scenario) -> Self {
        let issues = scenario.issues();
        let meta = scenario.meta();
        FileDto {
            scenario: MetaDto {
                title: meta.title.clone(),
                date: meta.date.map(|d| d.format("%Y-%m-%d").to_string()),
                description: meta.description.clone(),
                sources: meta.sources.clone(),
                uncertainty: meta.uncertainty,
            },
            issues: issues
                .iter()
                .map(|i| IssueDto {
                    id: i.id.clone(),
                    label: (i.label != i.id).then(|| i.label.clone()),
                    description: i.description.clone(),
                    min: i.scale.min,
                    max: i.scale.max,
                    status_quo: i.status_quo,
                    status_quo_note: i.status_quo_note.clone(),
                    anchors: i
                        .anchors
                        .iter()
                        .map(|a| (format_number(a.value), a.label.clone()))
                        .collect(),
                    controlled_by: i
                        .controlled_by
                        .iter()
                        .map(|a| scenario.actors()[*a].id.clone())
                        .collect(),
                })
                .collect(),
            actors: scenario
                .actors()
                .iter()
                .enumerate()
                .map(|(a, actor)| ActorDto {
                    id: actor.id.clone(),
                    name: (actor.name != actor.id).then(|| actor.name.clone()),
                    capability: ValueDto::new(actor.capability, actor.capability_uncertainty),
                    note: actor.note.clone(),
                    positions: (0..issues.len())
                        .filter_map(|i| {
                            scenario.stance(a, i).map(|s| {
                                (
                                    issues[i].id.clone(),
                                    StanceDto {
                                        position: ValueDto::new(s.position, s.position_uncertainty),
                                        salience: ValueDto::new(s.salience, s.salience_uncertainty),
                                        fallback: s.fallback,
                                        note: s.note.clone(),
                                    },
                                )
                            })
                        })
                        .collect(),
                    red_lines: actor
                        .red_lines
                        .iter()
                        .map(|l| RedLineDto {
                            issue: issues[l.issue].id.clone(),
                            min: l.min,
                            max: l.max,
                            note: l.note.clone(),
                        })
                        .collect(),
                    domestic: (!actor.domestic.is_empty()).then(|| DomesticDto {
                        changes: actor
                            .domestic
                            .iter()
                            .map(|c| {
                                let (date, turnover, hazard) = match c.timing {
                                    ChangeTiming::Scheduled { date, turnover } => (
                                        Some(date.format("%Y-%m-%d").to_string()),
                                        Some(turnover),
                                        None,
                                    ),
                                    ChangeTiming::Hazard { yearly } => (None, None, Some(yearly)),
                                };
                                ChangeDto {
                                    label: c.label.clone(),
                                    date,
                                    turnover,
                                    hazard,
                                    note: c.note.clone(),
                                    successors: c
                                        .successors
                                        .iter()
                                        .map(|s| SuccessorDto {
                                            label: s.label.clone(),
                                            probability: s.probability,
                                            positions: s
                                                .positions
                                                .iter()
                                                .map(|(i, d)| {
                                                    (
                                                        issues[*i].id.clone(),
                                                        StanceChangeDto {
                                                            position: d.position,
                                                            salience: d.salience,
                                                            spread: d.spread,
                                                            fallback: d.fallback,
                                                        },
                                                    )
                                                })
                                                .collect(),
                                            note: s.note.clone(),
                                        })
                                        .collect(),
                                }
                            })
                            .collect(),
                    }),
                    affinity: actor
                        .affinity
                        .iter()
                        .map(|(b, share)| (scenario.actors()[*b].id.clone(), *share))
                        .collect(),
                    reservation: actor.reservation,
                    response: (actor.response != Response::default()).then_some(ResponseDto {
                        probability: actor.response.probability,
                        delay: actor.response.delay,
                    }),
                })
                .collect(),
            forms: scenario
                .forms()
                .iter()
                .map(|f| FormDto::from_form(f, scenario.actors(), issues))
                .collect(),
            observations: scenario
                .observations()
                .iter()
                .map(|o| ObservationDto::from_observation(o, scenario.actors(), issues))
                .collect(),
            agreement: scenario
                .agreement()
                .map(|a| AgreementDto::from_record(a, issues)),
        }
    }

    /// The path in this file of the value a core error or warning is about.
    pub(crate) fn locus_path(&self, locus: Locus) -> Path {
        let actor = |a: usize, rest: Vec<Seg>| {
            let mut p = vec![key("actors"), Seg::Index(a)];
            p.extend(rest);
            p
        };
        let issue_id = |i: usize| key(self.issues.get(i).map_or("", |d| d.id.as_str()));
        let stance_field = |f: StanceField| match f {
            StanceField::Whole => None,
            StanceField::Position => Some(key("position")),
            StanceField::Salience => Some(key("salience")),
            StanceField::Spread => Some(key("spread")),
            StanceField::Fallback => Some(key("fallback")),
        };
        match locus {
            Locus::Observation { index, field } => {
                let mut p = vec![key("observations"), Seg::Index(index)];
                if let Some(dto) = self.observations.get(index) {
                    let actor_ids: Vec<&str> = self.actors.iter().map(|a| a.id.as_str()).collect();
                    let issue_ids: Vec<&str> = self.issues.iter().map(|i| i.id.as_str()).collect();
                    p.extend(dto.field_path(field, &actor_ids, &issue_ids));
                }
                p
            }
            Locus::Form { form, field } => {
                let mut p = vec![key("forms"), Seg::Index(form)];
                match field {
                    FormField::Whole | FormField::Id => p.push(key("id")),
                    FormField::Cost => p.push(key("cost")),
                    FormField::ActorCost(a) => {
                        p.push(key("costs"));
                        p.push(key(self.actors.get(a).map_or("", |d| d.id.as_str())));
                    }
                    FormField::IssueCost(k) => {
                        p.extend([key("issue_costs"), Seg::Index(k), key("issue")])
                    }
                    FormField::IssueCostDown(k) => {
                        p.extend([key("issue_costs"), Seg::Index(k), key("down")])
                    }
                    FormField::IssueCostUp(k) => {
                        p.extend([key("issue_costs"), Seg::Index(k), key("up")])
                    }
                    FormField::CostTrend => p.push(key("cost_trend")),
                }
                p
            }
            Locus::Agreement(field) => {
                let mut p = vec![key("agreement")];
                match field {
                    AgreementField::Whole => p.push(key("signed")),
                    AgreementField::Form => p.push(key("form")),
                    AgreementField::PackageValue(k) => {
                        p.extend([key("package"), issue_id(k)]);
                    }
                    AgreementField::FateDate(k) => {
                        p.extend([key("fate"), Seg::Index(k), key("date")]);
                    }
                }
                p
            }
            Locus::Scenario(ScenarioField::Actors) => vec![key("actors")],
            Locus::Scenario(ScenarioField::Issues) => vec![key("issues")],
            Locus::Scenario(ScenarioField::Uncertainty) => {
                vec![key("scenario"), key("uncertainty")]
            }
            Locus::Scenario(_) => vec![],
            Locus::Issue { issue, field } => {
                let mut p = vec![key("issues"), Seg::Index(issue)];
                match field {
                    IssueField::Whole => p.push(key("id")),
                    IssueField::Id => p.push(key("id")),
                    IssueField::Min => p.push(key("min")),
                    IssueField::Max => p.push(key("max")),
                    IssueField::StatusQuo => p.push(key("status_quo")),
                    IssueField::ControlledBy => p.push(key("controlled_by")),
                    IssueField::Anchor(k) => {
                        p.push(key("anchors"));
                        if let Some((name, _)) =
                            self.issues.get(issue).and_then(|d| d.anchors.get_index(k))
                        {
                            p.push(key(name));
                        }
                    }
                }
                p
            }
            Locus::Actor { actor: a, field } => actor(
                a,
                match field {
                    ActorField::Whole | ActorField::Id => vec![key("id")],
                    ActorField::Capability => vec![key("capability")],
                    ActorField::Reservation => vec![key("reservation")],
                    ActorField::ResponseProbability => vec![key("response"), key("probability")],
                    ActorField::ResponseDelay => vec![key("response"), key("delay")],
                    ActorField::Affinity(b) => vec![
                        key("affinity"),
                        key(self.actors.get(b).map_or("", |d| d.id.as_str())),
                    ],
                },
            ),
            Locus::Stance {
                actor: a,
                issue,
                field,
            } => {
                let mut rest = vec![key("positions"), issue_id(issue)];
                rest.extend(stance_field(field));
                actor(a, rest)
            }
            Locus::RedLine {
                actor: a,
                index,
                field,
            } => actor(
                a,
                vec![
                    key("red_lines"),
                    Seg::Index(index),
                    key(match field {
                        RedLineField::Whole => "issue",
                        RedLineField::Min => "min",
                        RedLineField::Max => "max",
                    }),
                ],
            ),
            Locus::Change {
                actor: a,
                index,
                field,
            } => actor(
                a,
                vec![
                    key("domestic"),
                    key("changes"),
                    Seg::Index(index),
                    key(match field {
                        ChangeField::Whole => "label",
                        ChangeField::Turnover => "turnover",
                        ChangeField::Hazard => "hazard",
                    }),
                ],
            ),
            Locus::Successor {
                actor: a,
                change,
                index,
                field,
            } => actor(
                a,
                vec![
                    key("domestic"),
                    key("changes"),
                    Seg::Index(change),
                    key("successors"),
                    Seg::Index(index),
                    key(match field {
                        SuccessorField::Whole => "label",
                        SuccessorField::Probability => "probability",
                    }),
                ],
            ),
            Locus::SuccessorStance {
                actor: a,
                change,
                successor,
                issue,
                field,
            } => {
                let mut rest = vec![
                    key("domestic"),
                    key("changes"),
                    Seg::Index(change),
                    key("successors"),
                    Seg::Index(successor),
                    key("positions"),
                    issue_id(issue),
                ];
                rest.extend(stance_field(field));
                actor(a, rest)
            }
        }
    }
}

/// Shortest text that reads back as the same number (`50` rather than `50.0` for anchors).
pub(crate) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}
