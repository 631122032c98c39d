//! `statecraft power`: reads a weighted voting game from the command line (weights and a quota)
//! or from a scenario (the actors' capabilities under a decision rule), computes the
//! Shapley-Shubik and Banzhaf indices and prints them.

use std::io::Write;

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use serde::Serialize;
use statecraft_core::power::{
    capability_weight, power_indices, Choice, Game, Method, PowerConfig, PowerIndices, Rule,
    CAPABILITY_SCALE,
};

use crate::cli::{OutputFormat, PowerArgs};
use crate::commands::{new_table, write_out, DEFAULT_SCENARIO};
use crate::Failure;

/// Prints `error: MESSAGE` and `help: HELP` on stderr; the caller exits with code 2.
fn bad_input(message: &str, help: &str) -> Failure {
    let _ = writeln!(std::io::stderr(), "error: {message}\n  help: {help}");
    Failure::BadInput
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
    fn parse(text: &str) -> Result<Self, Failure> {
        let help = "the rules are majority, unanimity and qualified=SHARE with SHARE in (0, 1], \
                    e.g. qualified=0.65 or qualified=65%";
        match text.trim() {
            "majority" => Ok(Self::Majority),
            "unanimity" => Ok(Self::Unanimity),
            other => {
                let share = other
                    .strip_prefix("qualified=")
                    .ok_or_else(|| bad_input(&format!("unknown rule `{other}`"), help))?;
                match parse_share(share) {
                    Some((numerator, denominator)) => Ok(Self::Qualified {
                        numerator,
                        denominator,
                    }),
                    None => Err(bad_input(
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

/// `--weights` (with `--quota` or `--rule`, and optional `--names`).
fn from_weights(args: &PowerArgs) -> Result<Input, Failure> {
    if let Some(scenario) = &args.scenario {
        return Err(bad_input(
            &format!("both a scenario (`{scenario}`) and --weights were given"),
            "give either a scenario, whose capabilities are the weights, or --weights",
        ));
    }
    let mut weights = Vec::with_capacity(args.weights.len());
    for text in &args.weights {
        match text.trim().parse::<u64>() {
            Ok(w) => weights.push(w),
            Err(_) => {
                return Err(bad_input(
                    &format!("`{text}` in --weights is not a whole number of 0 or more"),
                    "weights are whole numbers, e.g. --weights 7,7,7,7,7,1,1,1; multiply \
                     fractional weights by a power of ten first",
                ))
            }
        }
    }
    let names = if args.names.is_empty() {
        (1..=weights.len()).map(|k| format!("p{k}")).collect()
    } else if args.names.len() != weights.len() {
        return Err(bad_input(
            &format!("{} names for {} weights", args.names.len(), weights.len()),
            "give one name per weight, in the same order, e.g. --names usa,china,russia",
        ));
    } else {
        args.names.iter().map(|n| n.trim().to_owned()).collect()
    };
    let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let (quota, rule) = match (&args.quota, &args.rule) {
        (Some(_), Some(_)) => {
            return Err(bad_input(
                "both --quota and --rule were given",
                "give the quota as a weight (--quota 39) or as a rule (--rule qualified=0.65)",
            ))
        }
        (Some(text), None) => match text.trim().parse::<u64>() {
            Ok(q) => (q, None),
            Err(_) => {
                return Err(bad_input(
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
            return Err(bad_input(
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

/// A scenario's actors, weighted by capability x 100 rounded (at least 1), under `--rule`.
fn from_scenario(args: &PowerArgs) -> Result<Input, Failure> {
    if args.quota.is_some() {
        return Err(bad_input(
            "--quota needs --weights",
            "with a scenario, give the rule instead: --rule majority|unanimity|qualified=SHARE",
        ));
    }
    if !args.names.is_empty() {
        return Err(bad_input(
            "--names needs --weights",
            "with a scenario, the players are its actors and keep their ids",
        ));
    }
    let named = match &args.rule {
        Some(text) => NamedRule::parse(text)?,
        None => NamedRule::Majority,
    };
    let spec = args.scenario.as_deref().unwrap_or(DEFAULT_SCENARIO);
    let scenario = crate::what_if::load_changed(Some(spec), args.from.as_deref(), &args.what_if)?;
    let actors = scenario.actors();
    let mut weights = Vec::with_capacity(actors.len());
    let mut changed = Vec::new();
    for actor in actors {
        let Some(weight) = capability_weight(actor.capability) else {
            return Err(bad_input(
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
        crate::report::note(&format!(
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
                .unwrap_or_else(|| spec.to_owned()),
        ),
    })
}

/// What `--format json` prints.
#[derive(Serialize)]
struct Output<'a> {
    method: Method,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    quota: u64,
    total_weight: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    samples: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    players: Vec<PlayerOutput<'a>>,
}

#[derive(Serialize)]
struct PlayerOutput<'a> {
    name: &'a str,
    weight: u64,
    shapley_shubik: f64,
    banzhaf: f64,
    banzhaf_absolute: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    shapley_shubik_se: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    banzhaf_se: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    banzhaf_absolute_se: Option<f64>,
}

pub(crate) fn run(args: PowerArgs) -> Result<(), Failure> {
    let input = if args.weights.is_empty() {
        from_scenario(&args)?
    } else {
        from_weights(&args)?
    };
    let game = Game::weighted(input.weights.clone(), input.quota).map_err(|e| {
        let total: u128 = input.weights.iter().map(|&w| u128::from(w)).sum();
        bad_input(
            &e.to_string(),
            &format!(
                "the quota is the weight a coalition needs: a whole number from 1 to the total \
                 weight {total}"
            ),
        )
    })?;
    if args.samples < 2 {
        return Err(bad_input(
            &format!("--samples {} is too few", args.samples),
            "Monte Carlo needs at least 2 samples to estimate its error; e.g. --samples 100000",
        ));
    }
    let config = PowerConfig {
        choice: if args.monte_carlo {
            Choice::MonteCarlo
        } else {
            Choice::Auto
        },
        samples: args.samples,
        seed: args.seed,
    };
    let indices = power_indices(&game, &config)
        .map_err(|e| bad_input(&e.to_string(), "add --monte-carlo to estimate the indices"))?;
    if !args.monte_carlo && indices.method == Method::MonteCarlo {
        crate::report::note(&format!(
            "this game is too large for the exact method; the indices are Monte Carlo estimates \
             from {} samples (seed {})",
            args.samples, args.seed
        ));
    }
    let total = game.rules()[0].total().expect("a valid game's total fits");
    let text = match args.format {
        OutputFormat::Json => json(&input, total, &indices, args.seed)?,
        OutputFormat::Csv => csv(&input, &indices)?,
        OutputFormat::Table => table(&input, total, &indices, args.seed),
    };
    write_out(&text)
}

fn json(input: &Input, total: u64, indices: &PowerIndices, seed: u64) -> Result<String, Failure> {
    let monte_carlo = indices.method == Method::MonteCarlo;
    let output = Output {
        method: indices.method,
        scenario: input.scenario.as_deref(),
        rule: input.rule.as_deref(),
        quota: input.quota,
        total_weight: total,
        samples: indices.samples,
        seed: monte_carlo.then_some(seed),
        players: input
            .names
            .iter()
            .zip(&input.weights)
            .zip(&indices.players)
            .map(|((name, &weight), p)| PlayerOutput {
                name,
                weight,
                shapley_shubik: p.shapley_shubik,
                banzhaf: p.banzhaf,
                banzhaf_absolute: p.banzhaf_absolute,
                shapley_shubik_se: p.standard_errors.map(|e| e.shapley_shubik),
                banzhaf_se: p.standard_errors.map(|e| e.banzhaf),
                banzhaf_absolute_se: p.standard_errors.map(|e| e.banzhaf_absolute),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&output).context("cannot write JSON")?;
    text.push('\n');
    Ok(text)
}

fn csv(input: &Input, indices: &PowerIndices) -> Result<String, Failure> {
    let monte_carlo = indices.method == Method::MonteCarlo;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "name",
        "weight",
        "shapley_shubik",
        "banzhaf",
        "banzhaf_absolute",
    ];
    if monte_carlo {
        header.extend(["shapley_shubik_se", "banzhaf_se", "banzhaf_absolute_se"]);
    }
    writer.write_record(&header).context("CSV")?;
    for ((name, weight), p) in input.names.iter().zip(&input.weights).zip(&indices.players) {
        let mut row = vec![
            name.clone(),
            weight.to_string(),
            p.shapley_shubik.to_string(),
            p.banzhaf.to_string(),
            p.banzhaf_absolute.to_string(),
        ];
        if let Some(e) = p.standard_errors {
            row.extend([
                e.shapley_shubik.to_string(),
                e.banzhaf.to_string(),
                e.banzhaf_absolute.to_string(),
            ]);
        }
        writer.write_record(&row).context("CSV")?;
    }
    Ok(String::from_utf8(writer.into_inner().context("CSV")?).context("CSV is UTF-8")?)
}

/// A number for people with `digits` significant digits, or 0.
fn fmt_significant(value: f64, digits: i32) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let decimals = (digits - 1 - value.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{value:.decimals$}")
}

/// An index: four significant digits.
fn fmt_index(value: f64) -> String {
    fmt_significant(value, 4)
}

/// An estimate with its standard error (two significant digits), or the exact value.
fn fmt_with_error(value: f64, error: Option<f64>) -> String {
    match error {
        Some(e) => format!("{} ± {}", fmt_index(value), fmt_significant(e, 2)),
        None => fmt_index(value),
    }
}

fn table(input: &Input, total: u64, indices: &PowerIndices, seed: u64) -> String {
    let mut out = String::new();
    if let Some(scenario) = &input.scenario {
        out.push_str(scenario);
        out.push('\n');
    }
    let rule = input
        .rule
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    match indices.samples {
        Some(samples) => out.push_str(&format!(
            "Monte Carlo estimates ± one standard error, {samples} samples, seed {seed}; quota {} of {total}{rule}\n",
            input.quota
        )),
        None => out.push_str(&format!(
            "Exact indices; quota {} of {total}{rule}\n",
            input.quota
        )),
    }
    let mut grid = new_table();
    grid.set_header(vec![
        "Player",
        "Weight",
        "Shapley-Shubik",
        "Banzhaf",
        "Banzhaf (absolute)",
    ]);
    for ((name, weight), p) in input.names.iter().zip(&input.weights).zip(&indices.players) {
        let e = p.standard_errors;
        grid.add_row(vec![
            Cell::new(name),
            Cell::new(weight).set_alignment(CellAlignment::Right),
            Cell::new(fmt_with_error(
                p.shapley_shubik,
                e.map(|e| e.shapley_shubik),
            ))
            .set_alignment(CellAlignment::Right),
            Cell::new(fmt_with_error(p.banzhaf, e.map(|e| e.banzhaf)))
                .set_alignment(CellAlignment::Right),
            Cell::new(fmt_with_error(
                p.banzhaf_absolute,
                e.map(|e| e.banzhaf_absolute),
            ))
            .set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&grid.to_string());
    out.push('\n');
    out
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

    #[test]
    fn indices_print_with_four_significant_digits() {
        assert_eq!(fmt_index(421.0 / 2145.0), "0.1963");
        assert_eq!(fmt_index(4.0 / 2145.0), "0.001865");
        assert_eq!(fmt_index(1.0), "1.000");
        assert_eq!(fmt_index(0.0), "0");
    }
}
