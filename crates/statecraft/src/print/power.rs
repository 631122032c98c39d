//! Voting power printed: a table of every player's indices (with standard errors for Monte
//! Carlo estimates), or CSV.

use comfy_table::{Cell, CellAlignment};
use statecraft_api::PowerResult;

use super::new_table;
use crate::cli::OutputFormat;
use crate::Failure;

/// Prints the indices in `format`.
pub(crate) fn print(result: &PowerResult, format: OutputFormat) -> Result<(), Failure> {
    let monte_carlo = result.samples.is_some();
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => {
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
            super::csv_text(
                &header,
                result.players.iter().map(|p| {
                    let mut row = vec![
                        p.name.clone(),
                        p.weight.to_string(),
                        p.shapley_shubik.to_string(),
                        p.banzhaf.to_string(),
                        p.banzhaf_absolute.to_string(),
                    ];
                    for e in [p.shapley_shubik_se, p.banzhaf_se, p.banzhaf_absolute_se]
                        .into_iter()
                        .flatten()
                    {
                        row.push(e.to_string());
                    }
                    row
                }),
            )?
        }
        OutputFormat::Table => super::for_people(&table(result)),
    };
    super::write_out(&text)
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

fn table(result: &PowerResult) -> String {
    let mut out = String::new();
    if let Some(scenario) = &result.scenario {
        out.push_str(scenario);
        out.push('\n');
    }
    let rule = result
        .rule
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let total = result.total_weight;
    match result.samples {
        Some(samples) => out.push_str(&format!(
            "Monte Carlo estimates ± one standard error, {samples} samples, seed {}; quota {} of {total}{rule}\n",
            result.seed.unwrap_or_default(),
            result.quota
        )),
        None => out.push_str(&format!(
            "Exact indices; quota {} of {total}{rule}\n",
            result.quota
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
    for p in &result.players {
        grid.add_row(vec![
            Cell::new(&p.name),
            Cell::new(p.weight).set_alignment(CellAlignment::Right),
            Cell::new(fmt_with_error(p.shapley_shubik, p.shapley_shubik_se))
                .set_alignment(CellAlignment::Right),
            Cell::new(fmt_with_error(p.banzhaf, p.banzhaf_se)).set_alignment(CellAlignment::Right),
            Cell::new(fmt_with_error(p.banzhaf_absolute, p.banzhaf_absolute_se))
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
    fn indices_print_with_four_significant_digits() {
        assert_eq!(fmt_index(421.0 / 2145.0), "0.1963");
        assert_eq!(fmt_index(4.0 / 2145.0), "0.001865");
        assert_eq!(fmt_index(1.0), "1.000");
        assert_eq!(fmt_index(0.0), "0");
    }
}
