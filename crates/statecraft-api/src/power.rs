//! Voting power: a weighted voting game given by its weights and quota, or a scenario's actors
//! weighted by capability under a decision rule, and its Shapley-Shubik and Banzhaf indices.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statecraft_core::power::{
    capability_weight, power_indices, Choice, Game, Method, PowerConfig, Rule, CAPABILITY_SCALE,
};
use statecraft_core::scenario::Scenario;

use crate::context::NoteLog;
use crate::error::ApiError;
use crate::AnalysisResult;

fn usage(message: &str, help: &str) -> ApiError {
    ApiError::usage(message, help)
}

/// Options of `power`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PowerOptions {
    /// The players' weights, whole numbers written as text (instead of the scenario's
    /// capabilities).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<String>,
    /// The weight a coalition needs to win (with `weights`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota: Option<String>,
    /// The players' names, in the order of `weights` [default: p1, p2, ...].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// majority, unanimity or qualified=SHARE [default: majority with a scenario].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Estimate by Monte Carlo even when the exact computation is feasible.
    pub monte_carlo: bool,
    /// Monte Carlo samples.
    pub samples: usize,
    /// Seed of the Monte Carlo streams.
    pub seed: u64,
}

impl Default for PowerOptions {
    fn default() -> Self {
        Self {
            weights: Vec::new(),
            quota: None,
            names: Vec::new(),
            rule: None,
            monte_carlo: false,
            samples: 100_000,
            seed: 1,
        }
    }
}

/// What `power` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PowerResult {
    /// exact or monte-carlo.
    pub method: Method,
    /// The scenario's title (or name), when the game comes from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The decision rule, when given as one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The weight a coalition needs.
    pub quota: u64,
    /// The total weight.
    pub total_weight: u64,
    /// Monte Carlo samples, when estimated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Monte Carlo seed, when estimated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Every player's indices.
    pub players: Vec<PlayerOutput>,
}

/// One player's indices.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlayerOutput {
    /// The player.
    pub name: String,
    /// Its weight.
    pub weight: u64,
    /// Shapley-Shubik index.
    pub shapley_shubik: f64,
    /// Normalised Banzhaf index.
    pub banzhaf: f64,
    /// Absolute Banzhaf index.
    pub banzhaf_absolute: f64,
    /// Standard errors of Monte Carlo estimates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shapley_shubik_se: Option<f64>,
    /// Standard errors of Monte Carlo estimates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banzhaf_se: Option<f64>,
    /// Standard errors of Monte Carlo estimates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banzhaf_absolute_se: Option<f64>,
}

/// A decision rule named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedRule {
    /// More than half of the total weight.
    Majority,
    /// The total weight: every player with a weight must agree.
    Unanimity,
    /// At least numerator / denominator of the total weight.
    Qualified { numerator: u64, denominator: u64 },
}

impl NamedRule {
    fn parse(text: &str) -> Result<Self, ApiError> {
        let help = "the rules are majority, unanimity and qualified=SHARE with SHARE in (0, 1], \
                    e.g. qualified=0.65 or qualified=65%";
        match text.trim() {
            "majority" => Ok(Self::Majority),
            "unanimity" => Ok(Self::Unanimity),
            other => {
                let share = other
                    .strip_prefix("qualified=")
                    .ok_or_else(|| usage(&format!("unknown rule `{other}`"), help))?;
                match parse_share(share) {
                    Some((numerator, denominator)) => Ok(Self::Qualified {
                        numerator,
                        denominator,
                    }),
                    None => Err(usage(
                        &format!("`{share}` in --rule is not a share in (0, 1]"),
                        help,
                    )),
                }
            }
        }
    }

    fn rule(self, weights: Vec<u64>) -> Rule {
        match self {
            Self::Majority => Rule::majority(weights),
            Self::Unanimity => Rule::with_share(weights, 1, 1),
            Self::Qualified {
                numerator,
                denominator,
            } => Rule::with_share(weights, numerator, denominator),
        }
    }

    fn describe(self) -> String {
        match self {
            Self::Majority => "majority".into(),
            Self::Unanimity => "unanimity".into(),
            Self::Qualified {
                numerator,
                denominator,
            } => format!("qualified={}", numerator as f64 / denominator as f64),
        }
    }
}

/// A decimal share such as `0.65`, `.5`, `1` or `65%` as an exact fraction in (0, 1].
fn parse_share(text: &str) -> Option<(u64, u64)> {
    let (digits, percent) = match text.trim().strip_suffix('%') {
        Some(d) => (d.trim(), true),
        None => (text.trim(), false),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || fraction.len() > 12
        || whole.len() > 3
    {
        return None;
    }
    let mut denominator = 10u64.pow(fraction.len() as u32);
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let numerator = whole * denominator + fraction;
    if percent {
        denominator *= 100;
    }
    (numerator > 0 && numerator <= denominator).then_some((numerator, denominator))
}

/// The game as read: names and weights in input order, the rule, and where it came from.
struct Input {
    names: Vec<String>,
    weights: Vec<u64>,
    quota: u64,
    rule: Option<String>,
    scenario: Option<String>,
}

/// `weights` (with `quota` or `rule`, and optional `names`).
fn from_weights(options: &PowerOptions) -> Result<Input, ApiError> {
    let mut weights = Vec::with_capacity(options.weights.len());
    for text in &options.weights {
        match text.trim().parse::<u64>() {
            Ok(w) => weights.push(w),
            Err(_) => {
                return Err(usage(
                    &format!("`{text}` in --weights is not a whole number of 0 or more"),
                    "weights are whole numbers, e.g. --weights 7,7,7,7,7,1,1,1; multiply \
                     fractional weights by a power of ten first",
                ))
            }
        }
    }
    let names = if options.names.is_empty() {
        (1..=weights.len()).map(|k| format!("p{k}")).collect()
    } else if options.names.len() != weights.len() {
        return Err(usage(
            &format!(
                "{} names for {} weights",
                options.names.len(),
                weights.len()
            ),
            "give one name per weight, in the same order, e.g. --names usa,china,russia",
        ));
    } else {
        options.names.iter().map(|n| n.trim().to_owned()).collect()
    };
    let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let (quota, rule) = match (&options.quota, &options.rule) {
        (Some(_), Some(_)) => {
            return Err(usage(
                "both --quota and --rule were given",
                "give the quota as a weight (--quota 39) or as a rule (--rule qualified=0.65)",
            ))
        }
        (Some(text), None) => match text.trim().parse::<u64>() {
            Ok(q) => (q, None),
            Err(_) => {
                return Err(usage(
                    &format!("the quota `{text}` is not a whole number"),
                    &format!("give the weight a coalition needs, from 1 to the total {total}"),
                ))
            }
        },
        (None, Some(text)) => {
            let named = NamedRule::parse(text)?;
            (named.rule(weights.clone()).quota, Some(named.describe()))
        }
        (None, None) => {
            return Err(usage(
                "--weights needs a quota",
                "add --quota Q (the weight a coalition needs) or --rule majority|unanimity|qualified=SHARE",
            ))
        }
    };
    Ok(Input {
        names,
        weights,
        quota,
        rule,
        scenario: None,
    })
}

/// A scenario's actors, weighted by capability x 100 rounded (at least 1), under `rule`.
fn from_scenario(
    scenario: &Scenario,
    name: &str,
    options: &PowerOptions,
    notes: &NoteLog,
) -> Result<Input, ApiError> {
    if options.quota.is_some() {
        return Err(usage(
            "--quota needs --weights",
            "with a scenario, give the rule instead: --rule majority|unanimity|qualified=SHARE",
        ));
    }
    if !options.names.is_empty() {
        return Err(usage(
            "--names needs --weights",
            "with a scenario, the players are its actors and keep their ids",
        ));
    }
    let named = match &options.rule {
        Some(text) => NamedRule::parse(text)?,
        None => NamedRule::Majority,
    };
    let actors = scenario.actors();
    let mut weights = Vec::with_capacity(actors.len());
    let mut changed = Vec::new();
    for actor in actors {
        let Some(weight) = capability_weight(actor.capability) else {
            return Err(usage(
                &format!(
                    "actor `{}` has capability {}, too large to use as a weight",
                    actor.id, actor.capability
                ),
                "give the capabilities on a smaller scale",
            ));
        };
        if weight as f64 != actor.capability * CAPABILITY_SCALE {
            changed.push(format!(
                "{} {} -> {}",
                actor.id,
                actor.capability,
                weight as f64 / CAPABILITY_SCALE
            ));
        }
        weights.push(weight);
    }
    if !changed.is_empty() {
        notes.note(format!(
            "weights are capabilities x {CAPABILITY_SCALE} rounded to whole numbers (at least 1); \
             rounding changed {}",
            changed.join(", ")
        ));
    }
    let rule = named.rule(weights.clone());
    Ok(Input {
        names: actors.iter().map(|a| a.id.clone()).collect(),
        weights,
        quota: rule.quota,
        rule: Some(named.describe()),
        scenario: Some(
            scenario
                .meta()
                .title
                .clone()
                .unwrap_or_else(|| name.to_owned()),
        ),
    })
}

/// The indices of the game given by `options.weights`, or else by `scenario`'s actors.
pub(crate) fn run(
    scenario: Option<(&Scenario, &str)>,
    options: &PowerOptions,
    notes: &NoteLog,
) -> Result<AnalysisResult, ApiError> {
    let input = match scenario {
        Some((s, name)) if options.weights.is_empty() => from_scenario(s, name, options, notes)?,
        _ => from_weights(options)?,
    };
    let game = Game::weighted(input.weights.clone(), input.quota).map_err(|e| {
        let total: u128 = input.weights.iter().map(|&w| u128::from(w)).sum();
        usage(
            &e.to_string(),
            &format!(
                "the quota is the weight a coalition needs: a whole number from 1 to the total \
                 weight {total}"
            ),
        )
    })?;
    if options.samples < 2 {
        return Err(usage(
            &format!("--samples {} is too few", options.samples),
            "Monte Carlo needs at least 2 samples to estimate its error; e.g. --samples 100000",
        ));
    }
    let config = PowerConfig {
        choice: if options.monte_carlo {
            Choice::MonteCarlo
        } else {
            Choice::Auto
        },
        samples: options.samples,
        seed: options.seed,
    };
    let indices = power_indices(&game, &config)
        .map_err(|e| usage(&e.to_string(), "add --monte-carlo to estimate the indices"))?;
    if !options.monte_carlo && indices.method == Method::MonteCarlo {
        notes.note(format!(
            "this game is too large for the exact method; the indices are Monte Carlo estimates \
             from {} samples (seed {})",
            options.samples, options.seed
        ));
    }
    let total = game.rules()[0].total().expect("a valid game's total fits");
    let monte_carlo = indices.method == Method::MonteCarlo;
    Ok(AnalysisResult::Power(PowerResult {
        method: indices.method,
        scenario: input.scenario.clone(),
        rule: input.rule.clone(),
        quota: input.quota,
        total_weight: total,
        samples: indices.samples,
        seed: monte_carlo.then_some(options.seed),
        players: input
            .names
            .iter()
            .zip(&input.weights)
            .zip(&indices.players)
            .map(|((name, &weight), p)| PlayerOutput {
                name: name.clone(),
                weight,
                shapley_shubik: p.shapley_shubik,
                banzhaf: p.banzhaf,
                banzhaf_absolute: p.banzhaf_absolute,
                shapley_shubik_se: p.standard_errors.map(|e| e.shapley_shubik),
                banzhaf_se: p.standard_errors.map(|e| e.banzhaf),
                banzhaf_absolute_se: p.standard_errors.map(|e| e.banzhaf_absolute),
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_fractions() {
        let cases = [
            ("0.65", Some((65, 100))),
            ("65%", Some((65, 100))),
            (".5", Some((5, 10))),
            ("1", Some((1, 1))),
            ("1.0", Some((10, 10))),
            ("12.5%", Some((125, 1000))),
            ("0", None),
            ("1.5", None),
            ("-0.5", None),
            ("abc", None),
            ("", None),
            (".", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_share(text), expected, "{text}");
        }
    }
}
