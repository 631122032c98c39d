//! Parameter files (`statecraft fit -o params.toml`, read by `--params`): fitted forecasters'
//! parameters and residual quantiles as documented TOML, read back with located errors.

use std::ops::Range;
use std::sync::Arc;

use statecraft_core::validation::{FittedParameters, PARAMS_SCHEMA};
use toml_edit::{ImDocument, Item};

use crate::diagnostic::Problem;
use crate::LoadError;

/// The parameters as a TOML file, with a header saying what it is and how it was made.
pub fn write_params(params: &FittedParameters) -> String {
    let body = toml::to_string(params).expect("fitted parameters serialise to TOML");
    format!(
        "# statecraft parameter file ({PARAMS_SCHEMA}), written by `statecraft fit`.\n\
         # The fitted forecasters were trained on every case of `data` (capabilities as named);\n\
         # `residual_q10` and `residual_q90` are the 10% and 90% quantiles of the training\n\
         # residuals (outcome - forecast, points of 0..100): forecast + them is the 80% interval.\n\
         # `training_mae` is in sample. Read by `forecast`, `validate` and `sweep` with --params\n\
         # (docs/validation.md).\n\n{body}"
    )
}

/// Reads a parameter file's text; every problem names the file, line and field.
pub fn parse_params(file: &str, text: String) -> Result<FittedParameters, LoadError> {
    let text = Arc::new(text);
    let params: FittedParameters = toml::from_str(&text).map_err(|e| {
        let mut message = e.message().trim().to_owned();
        if message.contains("missing field") {
            message.push_str(" (see docs/validation.md, \"Parameter files\")");
        }
        LoadError::one(
            Problem::new(file, &text, e.span(), message)
                .with_help("a parameter file is written by `statecraft fit DATA -o FILE`"),
        )
    })?;
    if let Err(problem) = params.check() {
        let span = locate(&text, problem.forecaster, &problem.field);
        let field = match problem.forecaster {
            Some(k) => format!("forecasters[{k}].{}", problem.field),
            None => problem.field.clone(),
        };
        return Err(LoadError::one(
            Problem::new(file, &text, span, format!("`{field}`: {}", problem.message))
                .with_help("see docs/validation.md, \"Parameter files\""),
        ));
    }
    Ok(params)
}

/// The byte range of `field` (dotted) in forecaster `forecaster`, or at the top level.
fn locate(text: &str, forecaster: Option<usize>, field: &str) -> Option<Range<usize>> {
    let doc = ImDocument::parse(text.to_owned()).ok()?;
    let mut table = doc.as_table();
    let mut whole = None;
    if let Some(k) = forecaster {
        let entry = match doc.get("forecasters")? {
            Item::ArrayOfTables(a) => a.get(k)?,
            _ => return None,
        };
        whole = entry.span();
        table = entry;
    }
    let mut parts = field.split('.').peekable();
    while let Some(part) = parts.next() {
        let item = table.get(part);
        let key_span = table.key(part).and_then(|k| k.span());
        match (item, parts.peek()) {
            (Some(Item::Table(t)), Some(_)) => table = t,
            (Some(item), _) => return item.span().or(key_span).or(whole),
            (None, _) => return key_span.or(whole),
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;
    use statecraft_core::validation::{CapabilityScheme, FittedForecaster};

    fn sample() -> FittedParameters {
        FittedParameters {
            schema: PARAMS_SCHEMA.into(),
            data: "small.tsv".into(),
            capabilities: CapabilityScheme::Equal,
            cases: 3,
            issues: 5,
            forecasters: vec![FittedForecaster {
                id: "sq-pull".into(),
                parameters: [("pull".to_owned(), 0.25)].into_iter().collect(),
                residual_q10: -12.5,
                residual_q90: 10.0,
                training_mae: 7.0,
                training_issues: 5,
            }],
        }
    }

    #[test]
    fn a_written_file_reads_back_the_same() {
        let params = sample();
        let text = write_params(&params);
        assert!(text.starts_with("# statecraft parameter file"));
        assert_eq!(parse_params("p.toml", text).expect("it reads"), params);
    }

    #[test]
    fn problems_name_the_line_and_field() {
        let text = write_params(&sample());
        let bad = text.replace("pull = 0.25", "pul = 0.25");
        let line = bad.lines().position(|l| l.starts_with("pul =")).unwrap() + 1;
        let error = parse_params("p.toml", bad).expect_err("an unknown parameter");
        let problem = &error.problems[0];
        assert_eq!(problem.line_column.map(|(l, _)| l), Some(line), "{problem}");
        assert!(problem.message.contains("parameters.pul"), "{problem}");

        let bad = text.replace("residual_q10 = -12.5", "residual_q10 = \"low\"");
        let line = bad.lines().position(|l| l.contains("\"low\"")).unwrap() + 1;
        let error = parse_params("p.toml", bad).expect_err("a string for a number");
        assert_eq!(error.problems[0].line_column.map(|(l, _)| l), Some(line));

        let bad = text.replace("residual_q90 = 10.0", "residual_q90 = -20.0");
        let line = bad.lines().position(|l| l.contains("-20.0")).unwrap() + 1;
        let error = parse_params("p.toml", bad).expect_err("q90 below q10");
        assert_eq!(error.problems[0].line_column.map(|(l, _)| l), Some(line));
        assert!(error.problems[0].message.contains("residual_q90"));
    }
}
