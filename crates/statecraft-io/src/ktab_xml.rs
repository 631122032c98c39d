//! KTAB's XML scenario (`examples/smp/doc/smpSchema.xsd`, read by KTAB's `smpread.cpp`):
//!
//! ```text
//! <Scenario>
//!   <name/> <desc/> <prngSeed/>                 the seed of stochastic runs
//!   <ModelParameters> <VotingRule>Prop</VotingRule> ... </ModelParameters>   (optional)
//!   <Dimensions> <dName/>... </Dimensions>
//!   <Actors> <Actor> <name/> <description/> <capability/>
//!       <Position> <dCoord/>... </Position> <Salience> <dSal/>... </Salience> </Actor>...
//!   </Actors>
//!   <IdealAdjustment> <iaPair> <adjustingIdeal/> <referencePos/> <adjust/> </iaPair>...
//!   </IdealAdjustment>                          (optional)
//! </Scenario>
//! ```
//!
//! Dimensions become issues on 0..100; saliences (0..100) are divided by 100, as KTAB does.
//! The seed, the model parameters and the ideal adjustments are returned beside the scenario
//! in [`KtabSettings`]; parameter names and values are checked against the SMP's (KTAB's own
//! names, and the XSD's spellings). Unlike KTAB, a byte-order mark and a missing
//! `<IdealAdjustment>` are accepted (see `../shared/docs/models/ktab-smp.md`, gotcha 2).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use roxmltree::{Document, Node};
use statecraft_core::models::smp::SmpParams;
use statecraft_core::scenario::{
    Actor, ActorField, Issue, IssueField, Locus, Metadata, Scale, ScenarioParts, Stance,
    StanceField,
};

use crate::diagnostic::{did_you_mean, Problem};
use crate::tables::id_from_name;
use crate::{LoadError, Loaded};

/// What a KTAB XML file says beyond the scenario: how to run the SMP on it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KtabSettings {
    /// `<prngSeed>`, the seed of stochastic transitions.
    pub seed: Option<u64>,
    /// `<ModelParameters>`: (KTAB's parameter name, value name), as written (checked).
    pub parameters: Vec<(String, String)>,
    /// `<IdealAdjustment>`: (adjusting actor, reference actor, share), by actor index.
    pub ideal_adjustment: Vec<(usize, usize, f64)>,
}

const HELP: &str = "KTAB's XML is <Scenario> with <name>, <desc>, <prngSeed>, <Dimensions><dName>, <Actors><Actor> (name, description, capability, Position/dCoord, Salience/dSal) and optional <ModelParameters> and <IdealAdjustment>";

/// Whether `text` looks like KTAB's XML (an XML document whose root is `<Scenario>`).
pub(crate) fn sniff(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    body.starts_with("<?xml") || body.starts_with("<Scenario")
}

struct Reader<'a> {
    file: &'a str,
    text: &'a Arc<String>,
    /// Where the parsed text starts in the file (after a byte-order mark).
    offset: usize,
    spans: HashMap<Locus, Range<usize>>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn span(&self, node: Node<'_, '_>) -> Range<usize> {
        let r = node.range();
        r.start + self.offset..r.end + self.offset
    }

    fn problem(&mut self, span: Range<usize>, message: String, help: &str) {
        self.problems
            .push(Problem::new(self.file, self.text, Some(span), message).with_help(help));
    }

    /// The trimmed text of an element (empty when it has none).
    fn text<'n>(node: Node<'n, '_>) -> &'n str {
        node.text().unwrap_or("").trim()
    }

    /// The first child element called `name`, or a problem on `parent`.
    fn child<'n, 'i>(&mut self, parent: Node<'n, 'i>, name: &str) -> Option<Node<'n, 'i>> {
        let found = elements(parent).find(|c| c.has_tag_name(name));
        if found.is_none() {
            self.problem(
                self.span(parent),
                format!("<{}> has no <{name}>", parent.tag_name().name()),
                HELP,
            );
        }
        found
    }

    fn number(&mut self, node: Node<'_, '_>, what: &str) -> Option<f64> {
        let text = Self::text(node);
        match text.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let message = if text.is_empty() {
                    format!("{what} is empty")
                } else {
                    format!("{what} `{text}` is not a number")
                };
                self.problem(
                    self.span(node),
                    message,
                    "write a plain number such as 52.8",
                );
                None
            }
        }
    }
}

fn elements<'n, 'i>(node: Node<'n, 'i>) -> impl Iterator<Item = Node<'n, 'i>> {
    node.children().filter(|c| c.is_element())
}

/// Byte offset of a 1-based (row, column) position, columns counted in characters.
fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let mut offset = 0;
    for (r, line) in text.split_inclusive('\n').enumerate() {
        if r + 1 == row as usize {
            return offset
                + line
                    .char_indices()
                    .nth(col.saturating_sub(1) as usize)
                    .map_or(line.len(), |(i, _)| i);
        }
        offset += line.len();
    }
    text.len()
}

/// Reads KTAB's XML scenario.
pub(crate) fn parse_ktab_xml(file: &str, text: Arc<String>) -> Result<Loaded, LoadError> {
    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[offset..];
    let document = match Document::parse(body) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            let at = offset + offset_of(body, pos.row, pos.col);
            let problem = Problem::new(
                file,
                &text,
                Some(at..at + 1),
                format!("the XML cannot be read: {e}"),
            )
            .with_help("check that every element is closed and the file is well-formed XML");
            return Err(LoadError::one(problem));
        }
    };
    let mut r = Reader {
        file,
        text: &text,
        offset,
        spans: HashMap::new(),
        problems: Vec::new(),
    };
    let mut notes = Vec::new();
    if offset > 0 {
        notes.push(format!(
            "{file}: the file starts with a byte-order mark (KTAB's own reader refuses it; read as UTF-8)"
        ));
    }
    let root = document.root_element();
    if !root.has_tag_name("Scenario") {
        r.problem(
            r.span(root),
            format!(
                "the root element is <{}>, not <Scenario>",
                root.tag_name().name()
            ),
            HELP,
        );
        return Err(LoadError {
            problems: r.problems,
        });
    }
    let title = elements(root)
        .find(|c| c.has_tag_name("name"))
        .map(|n| Reader::text(n).to_owned());
    let description = elements(root)
        .find(|c| c.has_tag_name("desc"))
        .map(|n| Reader::text(n).to_owned());
    let mut settings = KtabSettings::default();
    if let Some(seed) = elements(root).find(|c| c.has_tag_name("prngSeed")) {
        match Reader::text(seed).parse::<u64>() {
            Ok(value) => settings.seed = Some(value),
            Err(_) => r.problem(
                r.span(seed),
                format!(
                    "<prngSeed> `{}` is not a whole number from 0 to 2^64 - 1",
                    Reader::text(seed)
                ),
                "KTAB's seed is an unsigned 64-bit integer, e.g. 03707583219545544125",
            ),
        }
    }
    if let Some(block) = elements(root).find(|c| c.has_tag_name("ModelParameters")) {
        let mut check = SmpParams::default();
        for parameter in elements(block) {
            let key = parameter.tag_name().name().to_owned();
            let value = Reader::text(parameter).to_owned();
            match check.set(&key, &value) {
                Ok(()) => settings.parameters.push((key, value)),
                Err(e) => r.problem(
                    r.span(parameter),
                    e.to_string().trim_start_matches("smp: ").to_owned(),
                    "see the SMP's parameters in docs/models/smp.md",
                ),
            }
        }
    }

    let mut issues = Vec::new();
    if let Some(block) = r.child(root, "Dimensions") {
        for (d, node) in elements(block)
            .filter(|c| c.has_tag_name("dName"))
            .enumerate()
        {
            let name = Reader::text(node);
            let id = match id_from_name(name) {
                id if id.is_empty() => format!("dim{}", d + 1),
                id => id,
            };
            let mut issue = Issue::new(id, Scale::new(0.0, 100.0));
            if !name.is_empty() {
                issue.label = name.to_owned();
            }
            for field in [IssueField::Whole, IssueField::Id] {
                r.spans
                    .insert(Locus::Issue { issue: d, field }, r.span(node));
            }
            issues.push(issue);
        }
        if issues.is_empty() {
            r.problem(r.span(block), "<Dimensions> names no <dName>".into(), HELP);
        }
    }
    let n_dims = issues.len();

    let mut actors = Vec::new();
    let mut stances = Vec::new();
    let mut ktab_names = Vec::new();
    let mut descriptions = Vec::new();
    if let Some(block) = r.child(root, "Actors") {
        for node in elements(block).filter(|c| c.has_tag_name("Actor")) {
            let a = actors.len();
            let name = r.child(node, "name").map(|n| Reader::text(n).to_owned());
            let name = name.unwrap_or_default();
            let description = elements(node)
                .find(|c| c.has_tag_name("description"))
                .map(|n| Reader::text(n).to_owned())
                .unwrap_or_default();
            let capability = r
                .child(node, "capability")
                .and_then(|c| {
                    let span = r.span(c);
                    r.spans.insert(
                        Locus::Actor {
                            actor: a,
                            field: ActorField::Capability,
                        },
                        span,
                    );
                    r.number(c, &format!("actor `{name}`: capability"))
                })
                .unwrap_or(f64::NAN);
            r.spans.insert(
                Locus::Actor {
                    actor: a,
                    field: ActorField::Id,
                },
                r.span(node),
            );
            let coordinates = |r: &mut Reader<'_>, block: &str, item: &str| -> Vec<Option<f64>> {
                let Some(list) = r.child(node, block) else {
                    return vec![None; n_dims];
                };
                let items: Vec<Node<'_, '_>> =
                    elements(list).filter(|c| c.has_tag_name(item)).collect();
                if items.len() != n_dims {
                    r.problem(
                        r.span(list),
                        format!(
                            "actor `{name}`: <{block}> has {} <{item}>, but there are {n_dims} dimensions",
                            items.len()
                        ),
                        HELP,
                    );
                    return vec![None; n_dims];
                }
                let field = if item == "dCoord" {
                    StanceField::Position
                } else {
                    StanceField::Salience
                };
                items
                    .iter()
                    .enumerate()
                    .map(|(d, &n)| {
                        let span = r.span(n);
                        r.spans.insert(
                            Locus::Stance {
                                actor: a,
                                issue: d,
                                field,
                            },
                            span,
                        );
                        r.number(n, &format!("actor `{name}`, <{item}> {}", d + 1))
                    })
                    .collect()
            };
            let positions = coordinates(&mut r, "Position", "dCoord");
            let saliences = coordinates(&mut r, "Salience", "dSal");
            stances.push(
                positions
                    .iter()
                    .zip(&saliences)
                    .map(|(p, s)| p.zip(*s).map(|(p, s)| Stance::new(p, s / 100.0)))
                    .collect::<Vec<_>>(),
            );
            actors.push(Actor::new(id_from_name(&name), capability));
            ktab_names.push(name);
            descriptions.push(description);
        }
        if actors.is_empty() {
            r.problem(r.span(block), "<Actors> holds no <Actor>".into(), HELP);
        }
    }
    // As for KTAB's CSV: distinct descriptions are the display names, else the KTAB names.
    let distinct = descriptions.iter().all(|d| !d.is_empty())
        && descriptions
            .iter()
            .enumerate()
            .all(|(k, d)| !descriptions[..k].contains(d));
    for (a, actor) in actors.iter_mut().enumerate() {
        actor.name = if distinct {
            descriptions[a].clone()
        } else {
            ktab_names[a].clone()
        };
    }

    if let Some(block) = elements(root).find(|c| c.has_tag_name("IdealAdjustment")) {
        for pair in elements(block).filter(|c| c.has_tag_name("iaPair")) {
            let actor_of = |r: &mut Reader<'_>, tag: &str| -> Option<usize> {
                let node = r.child(pair, tag)?;
                let wanted = Reader::text(node);
                let found = ktab_names
                    .iter()
                    .position(|n| n == wanted)
                    .or_else(|| actors.iter().position(|a| a.id == wanted));
                if found.is_none() {
                    let help = match did_you_mean(wanted, ktab_names.iter().map(String::as_str)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("the actors are: {}", ktab_names.join(", ")),
                    };
                    r.problem(
                        r.span(node),
                        format!("<{tag}> names `{wanted}`, which is not an actor"),
                        &help,
                    );
                }
                found
            };
            let adjusting = actor_of(&mut r, "adjustingIdeal");
            let reference = actor_of(&mut r, "referencePos");
            let share = r.child(pair, "adjust").and_then(|n| {
                let value = r.number(n, "<adjust>")?;
                if !(0.0..=1.0).contains(&value) {
                    r.problem(
                        r.span(n),
                        format!("<adjust> {value} is outside 0..1"),
                        "an ideal moves toward a position by a share from 0 (not at all) to 1 (all the way)",
                    );
                    return None;
                }
                Some(value)
            });
            if let (Some(i), Some(j), Some(share)) = (adjusting, reference, share) {
                settings.ideal_adjustment.push((i, j, share));
            }
        }
        // Unspecified entries are the identity's: an actor's own share is 1 unless given.
        for (i, name) in ktab_names.iter().enumerate() {
            let given: Vec<(usize, f64)> = settings
                .ideal_adjustment
                .iter()
                .filter(|&&(a, _, _)| a == i)
                .map(|&(_, b, share)| (b, share))
                .collect();
            if given.is_empty() {
                continue;
            }
            let own = given.iter().find(|(b, _)| *b == i).map_or(1.0, |(_, s)| *s);
            let others: f64 = given.iter().filter(|(b, _)| *b != i).map(|(_, s)| s).sum();
            if own + others > 1.0 + 1e-10 {
                r.problem(
                    r.span(block),
                    format!(
                        "the ideal adjustments of `{name}` sum to {} (its own share is 1 unless given); they may sum to at most 1",
                        own + others
                    ),
                    "give the actor's own share too: an <iaPair> with the actor as adjustingIdeal and referencePos",
                );
            }
        }
    }

    if !r.problems.is_empty() {
        return Err(LoadError {
            problems: r.problems,
        });
    }
    let parts = ScenarioParts {
        meta: Metadata {
            title: title.filter(|t| !t.is_empty()),
            description: description.filter(|t| !t.is_empty()),
            sources: vec![format!("imported from KTAB XML {file}")],
            ..Metadata::default()
        },
        actors,
        issues,
        stances,
        forms: Vec::new(),
        observations: Vec::new(),
        agreement: None,
    };
    let spans = r.spans;
    let mut loaded = crate::validate(
        file,
        &text,
        parts,
        &|locus| spans.get(&locus).cloned(),
        &|_| None,
    )?;
    loaded.notes = notes;
    loaded.ktab = Some(settings);
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use crate::{parse_str, Format};

    fn xml(parameters: &str, actors: &str, adjustment: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<Scenario>\n  <name>T</name>\n  <desc>test</desc>\n  <prngSeed>0042</prngSeed>\n{parameters}  <Dimensions><dName>First</dName><dName>Second</dName></Dimensions>\n  <Actors>\n{actors}  </Actors>\n{adjustment}</Scenario>\n"
        )
    }

    fn actor(name: &str, position: &str) -> String {
        format!(
            "    <Actor><name>{name}</name><description>d</description><capability>10</capability><Position>{position}</Position><Salience><dSal>40</dSal><dSal>20</dSal></Salience></Actor>\n"
        )
    }

    fn two_dims(name: &str) -> String {
        actor(name, "<dCoord>10</dCoord><dCoord>90</dCoord>")
    }

    fn messages(text: String) -> Vec<String> {
        match parse_str("s.xml", text, Format::KtabXml) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn reads_the_scenario_and_its_settings() {
        let text = format!(
            "\u{feff}{}",
            xml(
                "  <ModelParameters><VotingRule>Proportional</VotingRule><PCEModel>MarkovUniform</PCEModel></ModelParameters>\n",
                &(two_dims("Ann") + &two_dims("Bob")),
                "  <IdealAdjustment><iaPair><adjustingIdeal>Bob</adjustingIdeal><referencePos>Bob</referencePos><adjust>0.6</adjust></iaPair><iaPair><adjustingIdeal>Bob</adjustingIdeal><referencePos>Ann</referencePos><adjust>0.3</adjust></iaPair></IdealAdjustment>\n",
            )
        );
        let loaded = parse_str("s.xml", text, Format::KtabXml).expect("valid");
        let s = &loaded.scenario;
        assert_eq!(s.actors().len(), 2);
        assert_eq!(s.issues()[1].label, "Second");
        assert_eq!(s.stance(1, 0).unwrap().salience, 0.4);
        let ktab = loaded.ktab.expect("settings");
        assert_eq!(ktab.seed, Some(42));
        assert_eq!(ktab.parameters.len(), 2);
        assert_eq!(ktab.ideal_adjustment, vec![(1, 1, 0.6), (1, 0, 0.3)]);
        assert!(loaded.notes[0].contains("byte-order mark"));
        assert_eq!(
            Format::detect("x.xml", "<Scenario/>"),
            Some(Format::KtabXml)
        );
    }

    #[test]
    fn problems_are_located_and_named() {
        let found = messages(xml(
            "  <ModelParameters><VotingRule>Majority</VotingRule></ModelParameters>\n",
            &(two_dims("Ann") + &actor("Bob", "<dCoord>10</dCoord>")),
            "  <IdealAdjustment><iaPair><adjustingIdeal>Bobb</adjustingIdeal><referencePos>Ann</referencePos><adjust>0.3</adjust></iaPair></IdealAdjustment>\n",
        ));
        let all = found.join("\n");
        assert!(
            all.contains("unknown value `Majority` for VotingRule"),
            "{all}"
        );
        assert!(
            all.contains("<Position> has 1 <dCoord>, but there are 2 dimensions"),
            "{all}"
        );
        assert!(all.contains("names `Bobb`, which is not an actor"), "{all}");
        let found = messages(
            xml("", &(two_dims("Ann") + &two_dims("Bob")), "")
                .replace("<dCoord>90</dCoord>", "<dCoord></dCoord>"),
        );
        assert!(found.iter().any(|m| m.contains("is empty")), "{found:?}");
        let found = messages("<Scenario><Actors>".into());
        assert!(found[0].contains("the XML cannot be read"), "{found:?}");
        let found = messages(xml(
            "",
            &(two_dims("Ann") + &two_dims("Bob")),
            "  <IdealAdjustment><iaPair><adjustingIdeal>Ann</adjustingIdeal><referencePos>Bob</referencePos><adjust>0.3</adjust></iaPair></IdealAdjustment>\n",
        ));
        assert!(found.iter().any(|m| m.contains("sum to 1.3")), "{found:?}");
    }
}
