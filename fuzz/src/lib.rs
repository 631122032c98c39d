//! What every fuzz target checks on an input, so that each target is one line: no panic, an
//! accepted scenario validates and reads back equal from what statecraft writes, every forecast
//! is finite and within the positions, and every problem renders.

use miette::{GraphicalReportHandler, GraphicalTheme};
use statecraft_core::models::baseline_models;
use statecraft_core::scenario::Scenario;
use statecraft_io::{export, parse_str, Format, LoadError};

/// Scenarios larger than this are read but not forecast (a fuzz run should stay fast).
const MAX_FORECAST_CELLS: usize = 300;

/// Reads `data` as `format` (named `file` in messages) and checks everything about the result.
pub fn check_scenario(file: &str, data: &[u8], format: Format) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_str(file, text.to_owned(), format) {
        Ok(loaded) => {
            let scenario = loaded.scenario;
            // Accepted means valid: constructing it again from its parts passes validation.
            Scenario::new(scenario.parts().clone()).expect("an accepted scenario validates");
            render_all(&loaded.warnings);
            for out in [Format::Toml, Format::Json] {
                let written = export(&scenario, out);
                let name = format!("written.{}", out.name());
                let again = match parse_str(&name, written.clone(), out) {
                    Ok(again) => again.scenario,
                    Err(e) => panic!("what statecraft wrote does not read back: {e}\n{written}"),
                };
                assert_eq!(
                    scenario, again,
                    "read -> write -> read changed the scenario"
                );
                forecasts_agree(&scenario, &again);
            }
        }
        Err(error) => render_error(&error),
    }
}

/// The baseline forecasts of two equal scenarios are equal, finite and inside the positions.
fn forecasts_agree(a: &Scenario, b: &Scenario) {
    if a.actors().len() * a.issues().len() > MAX_FORECAST_CELLS {
        return;
    }
    for model in baseline_models() {
        let (fa, fb) = (model.forecast(a), model.forecast(b));
        assert_eq!(
            fa,
            fb,
            "{}: equal scenarios, different forecasts",
            model.id()
        );
        for (issue, f) in fa.issues.iter().enumerate() {
            let Some(v) = f.value else { continue };
            assert!(v.is_finite(), "{}: forecast {v}", model.id());
            let positions: Vec<f64> = a.positioned(issue).map(|(_, _, s)| s.position).collect();
            let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(lo <= v && v <= hi, "{}: {v} outside {lo}..{hi}", model.id());
        }
    }
}

/// Renders every problem of a load error as the CLI does (miette's graphical handler, 100
/// columns; problems past column 4096 or beside a line longer than that, and past the 20th, are
/// printed without their snippet, as the CLI does).
pub fn render_error(error: &LoadError) {
    assert!(!error.problems.is_empty(), "a load error names a problem");
    render_all(&error.problems);
}

fn render_all(problems: &[statecraft_io::Problem]) {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    // As the CLI: the first 20 problems with their source lines, the rest one line each.
    for (k, problem) in problems.iter().enumerate() {
        let far_right = problem.line_column.is_some_and(|(_, column)| column > 4096)
            || problem.widest_shown_line() > 4096;
        if k >= 20 || far_right {
            let _ = problem.to_string();
            continue;
        }
        let mut out = String::new();
        let _ = handler.render_report(&mut out, problem);
    }
}
