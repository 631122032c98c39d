//! Capabilities that follow the EU's decision rule: the Council's voting weights of the treaty
//! in force when a proposal was decided, with the Commission and the Parliament weighted by the
//! legislative procedure. The numbers and their sources are in `docs/validation.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Case;
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
}

impl CapabilityScheme {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            CapabilityScheme::Given => "given",
            CapabilityScheme::Equal => "equal",
            CapabilityScheme::Council => "council",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Given, Self::Equal, Self::Council]
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
pub(crate) fn apply(scheme: CapabilityScheme, case: &Case) -> (Scenario, Vec<String>) {
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
        CapabilityScheme::Council => {
            let period = TreatyPeriod::of(case);
            let shares = table(period);
            let smallest = shares.iter().map(|(_, w)| *w).fold(f64::INFINITY, f64::min);
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
                        Some((_, share)) => *share,
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
                    period.label()
                ));
            }
        }
    }
    (scenario, notes)
}
