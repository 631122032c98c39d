//! Capabilities that follow the EU's decision rule: the Council's voting weights of the treaty
//! in force when a proposal was decided, with the Commission and the Parliament weighted by the
//! legislative procedure. The numbers and their sources are in `docs/validation.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Case;
use crate::power::{self, Choice, Game, Method, PowerConfig, Rule};
use crate::scenario::{Scenario, ValueRef};

/// How the actors' capabilities are set before the models run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CapabilityScheme {
    /// As the data gives them (the DEU reader gives every actor capability 1).
    Given,
    /// Every actor capability 1.
    Equal,
    /// Council voting weights of the period (shares of the Council's votes or population), the
    /// Commission and the Parliament as shares of the whole Council by procedure.
    Council,
    /// Shapley-Shubik shares of the Council's qualified-majority game of the date (its members,
    /// votes or population and the member count), the Commission and the Parliament as in
    /// `Council`.
    ShapleyShubik,
}

impl CapabilityScheme {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            CapabilityScheme::Given => "given",
            CapabilityScheme::Equal => "equal",
            CapabilityScheme::Council => "council",
            CapabilityScheme::ShapleyShubik => "shapley-shubik",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Given, Self::Equal, Self::Council, Self::ShapleyShubik]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// Which Council voting rule was in force for a proposal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TreatyPeriod {
    /// Before 1 November 2004: the weights of the EU-15 (Amsterdam, Art. 205(2) TEC).
    PreNice,
    /// 1 November 2004 to 31 October 2014: the Nice weights (EU-25, 27, 28).
    Nice,
    /// From 1 November 2014: double majority, the population criterion (Art. 16(4) TEU).
    DoubleMajority,
    /// The proposal has no date.
    Unknown,
}

impl TreatyPeriod {
    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            TreatyPeriod::PreNice => "EU-15 weights (to Oct 2004)",
            TreatyPeriod::Nice => "Nice weights (Nov 2004 - Oct 2014)",
            TreatyPeriod::DoubleMajority => "double majority (from Nov 2014)",
            TreatyPeriod::Unknown => "no date",
        }
    }

    /// The period of a case: the rule in force on its decision date (its introduction when it
    /// has no decision). A proposal dated before November 2004 on which a member that joined in
    /// 2004 or later took a position was negotiated by the enlarged Council, so it counts as Nice.
    pub fn of(case: &Case) -> TreatyPeriod {
        let Some(date) = case.date() else {
            return TreatyPeriod::Unknown;
        };
        let nice = NaiveDate::from_ymd_opt(2004, 11, 1).expect("a valid date");
        let double = NaiveDate::from_ymd_opt(2014, 11, 1).expect("a valid date");
        if date >= double {
            TreatyPeriod::DoubleMajority
        } else if date >= nice
            || case
                .scenario
                .actors()
                .iter()
                .any(|a| PRE_NICE.iter().all(|(code, _)| *code != a.id) && is_member(&a.id))
        {
            TreatyPeriod::Nice
        } else {
            TreatyPeriod::PreNice
        }
    }
}

/// The Commission's and the Parliament's ids in the DEU data.
pub const COMMISSION: &str = "com";
/// The Parliament's id in the DEU data.
pub const PARLIAMENT: &str = "ep";

/// Council votes of the EU-15 (Art. 205(2) TEC, 1995 to October 2004); 87 in all.
pub const PRE_NICE: [(&str, f64); 15] = [
    ("de", 10.0),
    ("fr", 10.0),
    ("it", 10.0),
    ("uk", 10.0),
    ("es", 8.0),
    ("be", 5.0),
    ("el", 5.0),
    ("nl", 5.0),
    ("pt", 5.0),
    ("at", 4.0),
    ("se", 4.0),
    ("dk", 3.0),
    ("ie", 3.0),
    ("fi", 3.0),
    ("lu", 2.0),
];

/// Council votes under the Treaty of Nice (Protocol on enlargement, Art. 3, with the Acts of
/// Accession of 2003, 2005 and 2011), November 2004 to October 2014; 352 in all for the EU-28.
pub const NICE: [(&str, f64); 28] = [
    ("de", 29.0),
    ("fr", 29.0),
    ("it", 29.0),
    ("uk", 29.0),
    ("es", 27.0),
    ("pl", 27.0),
    ("ro", 14.0),
    ("nl", 13.0),
    ("be", 12.0),
    ("cz", 12.0),
    ("el", 12.0),
    ("hu", 12.0),
    ("pt", 12.0),
    ("at", 10.0),
    ("bu", 10.0),
    ("se", 10.0),
    ("dk", 7.0),
    ("ie", 7.0),
    ("lt", 7.0),
    ("sk", 7.0),
    ("fi", 7.0),
    ("cr", 7.0),
    ("cy", 4.0),
    ("ee", 4.0),
    ("lv", 4.0),
    ("lu", 4.0),
    ("si", 4.0),
    ("mt", 3.0),
];

/// Population in thousands (Eurostat, 1 January 2014, rounded), the criterion of the double
/// majority from November 2014 (Art. 16(4) TEU, Art. 238(3) TFEU).
pub const POPULATION: [(&str, f64); 28] = [
    ("de", 80_780.0),
    ("fr", 65_857.0),
    ("uk", 64_308.0),
    ("it", 60_783.0),
    ("es", 46_508.0),
    ("pl", 38_018.0),
    ("ro", 19_947.0),
    ("nl", 16_829.0),
    ("be", 11_204.0),
    ("el", 10_993.0),
    ("cz", 10_512.0),
    ("pt", 10_427.0),
    ("hu", 9_879.0),
    ("se", 9_645.0),
    ("at", 8_508.0),
    ("bu", 7_246.0),
    ("dk", 5_627.0),
    ("fi", 5_451.0),
    ("sk", 5_416.0),
    ("ie", 4_604.0),
    ("cr", 4_247.0),
    ("lt", 2_944.0),
    ("si", 2_061.0),
    ("lv", 2_001.0),
    ("ee", 1_316.0),
    ("cy", 858.0),
    ("lu", 550.0),
    ("mt", 425.0),
];

/// The Commission's and the Parliament's capability as a share of the whole Council's, by
/// procedure: co-decision makes the Parliament a co-legislator with a veto (as strong as the
/// Council); under consultation it gives an opinion only. The Commission proposes, and under
/// both procedures the Council can amend its proposal only by unanimity. These are a-priori
/// assumptions, not estimates; `validate` fits them as well (`institutions`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InstitutionWeights {
    /// Commission under co-decision.
    pub commission_cod: f64,
    /// Parliament under co-decision.
    pub parliament_cod: f64,
    /// Commission under consultation (and any other procedure).
    pub commission_cns: f64,
    /// Parliament under consultation (and any other procedure).
    pub parliament_cns: f64,
}

impl InstitutionWeights {
    /// The a-priori weights of the `council` scheme.
    pub const A_PRIORI: InstitutionWeights = InstitutionWeights {
        commission_cod: 0.5,
        parliament_cod: 1.0,
        commission_cns: 0.5,
        parliament_cns: 0.1,
    };
}

fn is_member(id: &str) -> bool {
    NICE.iter().any(|(code, _)| *code == id)
}

/// The Council table of a period, as shares summing to 1 over the members it lists.
fn table(period: TreatyPeriod) -> Vec<(&'static str, f64)> {
    let raw: &[(&str, f64)] = match period {
        TreatyPeriod::PreNice => &PRE_NICE,
        TreatyPeriod::Nice | TreatyPeriod::Unknown => &NICE,
        TreatyPeriod::DoubleMajority => &POPULATION,
    };
    let total: f64 = raw.iter().map(|(_, w)| w).sum();
    raw.iter().map(|&(code, w)| (code, w / total)).collect()
}

/// Sets the capabilities of `case` by `scheme`; returns notes on what had to be assumed.
/// `power` holds the Councils' Shapley-Shubik shares (needed by that scheme only).
pub(crate) fn apply(
    scheme: CapabilityScheme,
    case: &Case,
    power: &CouncilPower,
) -> (Scenario, Vec<String>) {
    let mut scenario = case.scenario.clone();
    let mut notes = Vec::new();
    let n = scenario.actors().len();
    match scheme {
        CapabilityScheme::Given => {}
        CapabilityScheme::Equal => {
            for actor in 0..n {
                scenario.set_value(ValueRef::Capability { actor }, 1.0);
            }
        }
        CapabilityScheme::Council | CapabilityScheme::ShapleyShubik => {
            let (shares, label) = if scheme == CapabilityScheme::Council {
                let period = TreatyPeriod::of(case);
                (table(period), period.label())
            } else {
                let council = Council::of(case);
                (power.shares(council), council.label())
            };
            let smallest = shares
                .iter()
                .map(|(_, w)| *w)
                .filter(|w| *w > 0.0)
                .fold(f64::INFINITY, f64::min);
            let cod = case.procedure.as_deref() == Some("COD");
            let w = InstitutionWeights::A_PRIORI;
            let mut unknown = Vec::new();
            for actor in 0..n {
                let id = scenario.actors()[actor].id.clone();
                let value = match id.as_str() {
                    COMMISSION if cod => w.commission_cod,
                    COMMISSION => w.commission_cns,
                    PARLIAMENT if cod => w.parliament_cod,
                    PARLIAMENT => w.parliament_cns,
                    other => match shares.iter().find(|(code, _)| *code == other) {
                        // A member without power (a dummy) still takes part, with the least.
                        Some((_, share)) if *share > 0.0 => *share,
                        Some(_) => smallest,
                        None => {
                            unknown.push(id.clone());
                            smallest
                        }
                    },
                };
                scenario.set_value(ValueRef::Capability { actor }, value);
            }
            if !unknown.is_empty() {
                notes.push(format!(
                    "case `{}`: {} not in the Council table of {}; given its smallest weight",
                    case.id,
                    unknown.join(", "),
                    label
                ));
            }
        }
    }
    (scenario, notes)
}

/// The Council that decided a case, with its members and its qualified-majority rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Council {
    /// EU-15, 62 of 87 votes (Art. 205(2) TEC).
    Eu15,
    /// EU-25 under the Nice weights: 232 of 321 votes and a majority of the members.
    Eu25,
    /// EU-27 under the Nice weights: 255 of 345 votes and a majority of the members.
    Eu27,
    /// EU-28 under the Nice weights: 260 of 352 votes and a majority of the members.
    Eu28,
    /// EU-28 under the double majority: 16 of 28 members and 65% of the population.
    Eu28Double,
    /// EU-27 (after the United Kingdom left) under the double majority: 15 of 27 members and
    /// 65% of the population.
    Eu27Double,
}

/// Members who joined in 2007 (Bulgaria, Romania) and 2013 (Croatia), absent before.
const JOINED_2007: [&str; 2] = ["bu", "ro"];
const JOINED_2013: &str = "cr";

impl Council {
    const ALL: [Council; 6] = [
        Council::Eu15,
        Council::Eu25,
        Council::Eu27,
        Council::Eu28,
        Council::Eu28Double,
        Council::Eu27Double,
    ];

    /// The Council of the case's date (the decision, else the introduction; a case without a
    /// date counts as the EU-28 under the Nice weights, as the `council` scheme does).
    pub(crate) fn of(case: &Case) -> Council {
        let date = case.date();
        let before = |y, m, d| {
            date.is_some_and(|x| x < NaiveDate::from_ymd_opt(y, m, d).expect("a valid date"))
        };
        match TreatyPeriod::of(case) {
            TreatyPeriod::PreNice => Council::Eu15,
            TreatyPeriod::Nice if before(2007, 1, 1) => Council::Eu25,
            TreatyPeriod::Nice if before(2013, 7, 1) => Council::Eu27,
            TreatyPeriod::Nice | TreatyPeriod::Unknown => Council::Eu28,
            TreatyPeriod::DoubleMajority if before(2020, 2, 1) => Council::Eu28Double,
            TreatyPeriod::DoubleMajority => Council::Eu27Double,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Council::Eu15 => "the EU-15 (62 of 87 votes)",
            Council::Eu25 => "the EU-25 (Nice: 232 of 321 votes, 13 members)",
            Council::Eu27 => "the EU-27 (Nice: 255 of 345 votes, 14 members)",
            Council::Eu28 => "the EU-28 (Nice: 260 of 352 votes, 15 members)",
            Council::Eu28Double => "the EU-28 (double majority: 16 members, 65% of population)",
            Council::Eu27Double => "the EU-27 (double majority: 15 members, 65% of population)",
        }
    }

    /// The members and the rules a winning coalition meets.
    fn game(self) -> (Vec<&'static str>, Game) {
        let members = |table: &[(&'static str, f64)]| -> Vec<(&'static str, u64)> {
            table
                .iter()
                .filter(|(code, _)| match self {
                    Council::Eu25 => !JOINED_2007.contains(code) && *code != JOINED_2013,
                    Council::Eu27 => *code != JOINED_2013,
                    Council::Eu27Double => *code != "uk",
                    _ => true,
                })
                .map(|&(code, w)| (code, w as u64))
                .collect()
        };
        let (list, quota) = match self {
            Council::Eu15 => (members(&PRE_NICE), Some(62)),
            Council::Eu25 => (members(&NICE), Some(232)),
            Council::Eu27 => (members(&NICE), Some(255)),
            Council::Eu28 => (members(&NICE), Some(260)),
            Council::Eu28Double | Council::Eu27Double => (members(&POPULATION), None),
        };
        let codes: Vec<&'static str> = list.iter().map(|(c, _)| *c).collect();
        let weights: Vec<u64> = list.iter().map(|(_, w)| *w).collect();
        let n = codes.len() as u64;
        let rules = match (self, quota) {
            (Council::Eu15, Some(q)) => vec![Rule::new(weights, q)],
            (_, Some(q)) => vec![Rule::new(weights, q), Rule::majority(vec![1; codes.len()])],
            // 55% of the members (rounded up) and 65% of the population.
            (_, None) => vec![
                Rule::new(vec![1; codes.len()], (55 * n).div_ceil(100)),
                Rule::with_share(weights, 65, 100),
            ],
        };
        (
            codes,
            Game::new(rules).expect("the Council games are well formed"),
        )
    }
}

/// Monte Carlo orderings for the Councils whose games have two rules.
pub const SHAPLEY_SAMPLES: usize = 200_000;
/// Seed of those orderings (fixed, so that the scheme gives the same capabilities every run).
pub const SHAPLEY_SEED: u64 = 1;

/// The Shapley-Shubik shares of the Councils that some case needs, each computed once.
#[derive(Debug, Clone, Default)]
pub(crate) struct CouncilPower {
    tables: Vec<(Council, Vec<(&'static str, f64)>)>,
    /// The largest Monte Carlo standard error of a share, over every table.
    pub(crate) max_standard_error: f64,
}

impl CouncilPower {
    /// The tables of the Councils of `cases` (none unless `scheme` needs them).
    pub(crate) fn of(scheme: CapabilityScheme, cases: &[Case]) -> CouncilPower {
        let mut power = CouncilPower::default();
        if scheme != CapabilityScheme::ShapleyShubik {
            return power;
        }
        let needed: Vec<Council> = Council::ALL
            .into_iter()
            .filter(|c| cases.iter().any(|case| Council::of(case) == *c))
            .collect();
        for council in needed {
            let (codes, game) = council.game();
            let config = PowerConfig {
                choice: if game.rules().len() == 1 {
                    Choice::Exact
                } else {
                    Choice::MonteCarlo
                },
                samples: SHAPLEY_SAMPLES,
                seed: SHAPLEY_SEED,
            };
            let indices = power::power_indices(&game, &config).expect("a Council game computes");
            if indices.method == Method::MonteCarlo {
                for p in &indices.players {
                    if let Some(se) = p.standard_errors {
                        power.max_standard_error = power.max_standard_error.max(se.shapley_shubik);
                    }
                }
            }
            let shares = codes
                .into_iter()
                .zip(&indices.players)
                .map(|(code, p)| (code, p.shapley_shubik))
                .collect();
            power.tables.push((council, shares));
        }
        power
    }

    fn shares(&self, council: Council) -> Vec<(&'static str, f64)> {
        self.tables
            .iter()
            .find(|(c, _)| *c == council)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// The Councils computed, with their shares (for the report's notes and the tests).
    pub(crate) fn tables(&self) -> &[(Council, Vec<(&'static str, f64)>)] {
        &self.tables
    }
}
