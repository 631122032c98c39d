//! When the forecasts part ways: the issues on which the models (or the expected-utility model's
//! variants) lie further apart than a share of the issue's scale, which side stands apart, and
//! what each model assumes, in the models' own words ([`Model::assumption`]).

use serde::Serialize;

use super::bdm::{BdmParams, ExpectedUtility, Variant};
use super::{Forecast, Model};
use crate::scenario::Scenario;
use crate::text::on_scale;

/// Forecasts further apart than this share of the issue's scale are a disagreement.
pub const DISAGREEMENT_SHARE: f64 = 0.25;

/// What disagrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Between {
    /// The models that ran.
    Models,
    /// The expected-utility model's variants (reference, reference with the capitulation fix,
    /// paper).
    BdmVariants,
}

/// One model's (or variant's) value in a disagreement.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Voice {
    /// The model's id, or the variant as its options (`scholz-reference --capitulation-fix`).
    pub model: String,
    /// Its forecast.
    pub value: f64,
    /// What it assumes, from the model's own description.
    pub assumption: String,
}

/// An issue on which the forecasts are further apart than [`DISAGREEMENT_SHARE`] of the scale.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Disagreement {
    /// The issue's id.
    pub issue: String,
    /// Models or the expected-utility model's variants.
    pub between: Between,
    /// The highest forecast less the lowest.
    pub gap: f64,
    /// `gap` as a share of the issue's scale (above [`DISAGREEMENT_SHARE`]).
    pub share: f64,
    /// Every value, lowest first, with what its model assumes.
    pub values: Vec<Voice>,
    /// The side of the widest gap between neighbouring values with fewer members (the higher
    /// side on a tie): the models that stand apart.
    pub apart: Vec<String>,
    /// How to read the reasoning behind the values that stand apart (`--explain`).
    pub explain: String,
    /// The disagreement in words.
    pub note: String,
}

/// One forecast to compare: who gave it and what it assumes.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The model's id or the variant's name.
    pub name: &'a str,
    /// What it assumes.
    pub assumption: &'a str,
    /// Its forecast on every issue.
    pub forecast: &'a Forecast,
}

/// The issues of `scenario` on which `entries` disagree by more than [`DISAGREEMENT_SHARE`] of
/// the scale, in issue order. Entries without a value on an issue are left out of it.
pub fn disagreements(
    scenario: &Scenario,
    entries: &[Entry],
    between: Between,
) -> Vec<Disagreement> {
    scenario
        .issues()
        .iter()
        .enumerate()
        .filter_map(|(i, issue)| {
            let mut values: Vec<Voice> = entries
                .iter()
                .filter_map(|e| {
                    let value = e.forecast.issues.get(i)?.value.filter(|v| v.is_finite())?;
                    Some(Voice {
                        model: e.name.to_owned(),
                        value,
                        assumption: e.assumption.to_owned(),
                    })
                })
                .collect();
            values.sort_by(|a, b| a.value.total_cmp(&b.value));
            let (low, high) = (values.first()?.value, values.last()?.value);
            let (gap, range) = (high - low, issue.scale.range());
            let share = gap / range;
            // NaN (a scale of width 0 cannot occur, but a NaN would) is no disagreement.
            if share.is_nan() || share <= DISAGREEMENT_SHARE {
                return None;
            }
            // Split at the widest gap between neighbours; the smaller side stands apart.
            let split = (1..values.len())
                .max_by(|&a, &b| {
                    let step = |k: usize| values[k].value - values[k - 1].value;
                    step(a).total_cmp(&step(b)).then(b.cmp(&a))
                })
                .expect("two values or more");
            let (below, above) = values.split_at(split);
            let (apart, rest) = if below.len() < above.len() {
                (below, above)
            } else {
                (above, below)
            };
            let names = |side: &[Voice]| side.iter().map(|v| v.model.clone()).collect::<Vec<_>>();
            let explain = explain(between, apart);
            let note = note(
                &issue.label,
                range,
                between,
                gap,
                share,
                apart,
                rest,
                &explain,
            );
            Some(Disagreement {
                issue: issue.id.clone(),
                between,
                gap,
                share,
                apart: names(apart),
                values,
                explain,
                note,
            })
        })
        .collect()
}

/// The `--explain` pointer for the values that stand apart: the models that narrate their
/// reasoning, or the variant's own options.
fn explain(between: Between, apart: &[Voice]) -> String {
    match between {
        Between::BdmVariants => {
            let runs: Vec<String> = apart
                .iter()
                .map(|v| {
                    format!(
                        "`statecraft forecast --models bdm --variant {} --explain`",
                        v.model
                    )
                })
                .collect();
            format!("{} narrates the rounds", runs.join(" or "))
        }
        Between::Models => {
            let narrated: Vec<&str> = apart
                .iter()
                .map(|v| v.model.as_str())
                .filter(|m| *m == "bdm" || *m == "smp")
                .collect();
            if narrated.is_empty() {
                "`statecraft forecast --models bdm --explain` narrates the expected-utility rounds; \
                 docs/models/ gives every model's equations"
                    .into()
            } else {
                format!(
                    "`statecraft forecast --models {} --explain` narrates how it got there",
                    narrated.join(",")
                )
            }
        }
    }
}

/// The disagreement in words.
#[allow(clippy::too_many_arguments)]
fn note(
    label: &str,
    span: f64,
    between: Between,
    gap: f64,
    share: f64,
    apart: &[Voice],
    rest: &[Voice],
    explain: &str,
) -> String {
    let number = |v: f64| on_scale(v, span);
    let range = |side: &[Voice]| {
        let (lo, hi) = (side[0].value, side[side.len() - 1].value);
        if number(lo) == number(hi) {
            number(lo)
        } else {
            format!("{} to {}", number(lo), number(hi))
        }
    };
    let who = |side: &[Voice]| {
        let names: Vec<&str> = side.iter().map(|v| v.model.as_str()).collect();
        match names.split_last() {
            Some((last, first)) if !first.is_empty() => format!("{} and {last}", first.join(", ")),
            _ => names.join(""),
        }
    };
    let gives = |side: &[Voice]| if side.len() == 1 { "gives" } else { "give" };
    let what = match between {
        Between::Models => "",
        Between::BdmVariants => "the expected-utility variants: ",
    };
    let assumptions = |side: &[Voice]| {
        side.iter()
            .map(|v| format!("{}: {}", v.model, v.assumption))
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "{label}: {what}{} {} {} while {} {} {}, {} apart ({:.0}% of the scale; more than {:.0}% \
         is flagged). What drives it: {}; whereas {}. {explain}.",
        who(apart),
        gives(apart),
        range(apart),
        who(rest),
        gives(rest),
        range(rest),
        number(gap),
        100.0 * share,
        100.0 * DISAGREEMENT_SHARE,
        assumptions(apart),
        assumptions(rest),
    )
}

/// The expected-utility model's variants, named by their options: the reference, the reference
/// with the capitulation fix, and the paper's model (with `params`' q and t); each keeps
/// `params`' rounds and stopping rule.
pub fn bdm_variants(params: BdmParams) -> Vec<(String, ExpectedUtility)> {
    let with = |variant: Variant, capitulation_fix: bool| ExpectedUtility {
        params: BdmParams {
            variant,
            capitulation_fix,
            ..params
        },
    };
    let paper = if params.q == 1.0 && params.t == 1.0 {
        Variant::ScholzPaper.name().to_owned()
    } else {
        format!(
            "{} --q {} --t {}",
            Variant::ScholzPaper.name(),
            params.q,
            params.t
        )
    };
    vec![
        (
            Variant::ScholzReference.name().to_owned(),
            with(Variant::ScholzReference, false),
        ),
        (
            format!("{} --capitulation-fix", Variant::ScholzReference.name()),
            with(Variant::ScholzReference, true),
        ),
        (paper, with(Variant::ScholzPaper, false)),
    ]
}

/// Both kinds of disagreement of one forecast: between `models` (with their `forecasts`, in
/// the same order), and, when `bdm` parameters are given (the expected-utility model ran),
/// between its variants, run here on `scenario`.
pub fn forecast_disagreements(
    scenario: &Scenario,
    models: &[&dyn Model],
    forecasts: &[Forecast],
    bdm: Option<BdmParams>,
) -> Vec<Disagreement> {
    let assumptions: Vec<String> = models.iter().map(|m| m.assumption()).collect();
    let entries: Vec<Entry> = models
        .iter()
        .zip(forecasts)
        .zip(&assumptions)
        .map(|((m, forecast), assumption)| Entry {
            name: m.id(),
            assumption,
            forecast,
        })
        .collect();
    let mut found = disagreements(scenario, &entries, Between::Models);
    if let Some(params) = bdm {
        let variants = bdm_variants(params);
        let runs: Vec<(String, Forecast)> = variants
            .iter()
            .map(|(_, m)| {
                (
                    format!("runs {}", m.variant_assumption()),
                    m.forecast(scenario),
                )
            })
            .collect();
        let entries: Vec<Entry> = variants
            .iter()
            .zip(&runs)
            .map(|((name, _), (assumption, forecast))| Entry {
                name,
                assumption,
                forecast,
            })
            .collect();
        found.extend(disagreements(scenario, &entries, Between::BdmVariants));
    }
    // Issue by issue, the models before the variants.
    let order = |d: &Disagreement| scenario.issue_index(&d.issue);
    found.sort_by_key(|d| (order(d), d.between == Between::BdmVariants));
    found
}
