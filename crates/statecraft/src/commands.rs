//! What each command does: read the input, call the library, print the result.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement, Table};
use serde::Serialize;
use statecraft_core::model::{ChangeTiming, Scenario};
use statecraft_core::models::bdm::{self, BdmParams, BdmRun, StopRule, Variant};
use statecraft_core::models::smp::SmpRun;
use statecraft_core::models::{all_models, ExpectedUtility, Forecast, Model};
use statecraft_io::{Format, Loaded};

use crate::cli::{
    BdmArgs, Command, ConvertArgs, ForecastArgs, OutputFormat, ScenarioArg, ShowArgs,
};
use crate::{report, Failure};

/// The scenario used when none is named.
pub(crate) const DEFAULT_SCENARIO: &str = "six-party-2009";

pub(crate) fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Forecast(args) => forecast(args),
        Command::Check(args) => check(args),
        Command::Show(args) => show(args),
        Command::Durability(args) => crate::durability::run(args),
        Command::Coalitions(args) => crate::coalitions::run(args),
        Command::Sweep(args) => crate::sweep::run(args),
        Command::Runs(args) => crate::runs::run(args),
        Command::Power(args) => crate::power::run(args),
        Command::Report(args) => crate::report_cmd::run(args),
        Command::Convert(args) => convert(args),
        Command::Validate(args) => crate::validate::run(args),
        Command::Scenarios => scenarios(),
    }
}

/// Reads a scenario file or built-in, printing warnings and notes; errors are printed and
/// turned into exit code 2.
pub(crate) fn load(spec: &str, from: Option<&str>) -> Result<Loaded, Failure> {
    let format = from.map(|f| Format::from_name(f).expect("clap checked the format name"));
    let result = if !Path::new(spec).exists() && statecraft_io::builtin_source(spec).is_some() {
        Ok(statecraft_io::load_builtin(spec).expect("the name was checked"))
    } else {
        statecraft_io::load_path(Path::new(spec), format)
    };
    match result {
        Ok(loaded) => {
            for note in &loaded.notes {
                report::note(note);
            }
            for warning in &loaded.warnings {
                report::problem(warning);
            }
            Ok(loaded)
        }
        Err(error) => {
            report::load_error(&error);
            Err(Failure::BadInput)
        }
    }
}

fn stdout() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

pub(crate) fn write_out(text: &str) -> Result<(), Failure> {
    stdout()
        .write_all(text.as_bytes())
        .context("cannot write to stdout")?;
    Ok(())
}

pub(crate) fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

pub(crate) use statecraft_core::text::number as fmt_value;

pub(crate) fn selected_models(
    names: &[String],
    bdm: BdmParams,
) -> Result<Vec<Box<dyn Model>>, Failure> {
    if names.iter().any(|n| n == "all") {
        return Ok(all_models(bdm));
    }
    let mut chosen = Vec::new();
    for name in names {
        match all_models(bdm).into_iter().find(|m| m.id() == name) {
            Some(model) => chosen.push(model),
            None => {
                let ids: Vec<&str> = all_models(bdm).iter().map(|m| m.id()).collect();
                let _ = writeln!(
                    std::io::stderr(),
                    "error: unknown model `{name}`\n  help: the models are: {}, or all",
                    ids.join(", ")
                );
                return Err(Failure::BadInput);
            }
        }
    }
    Ok(chosen)
}

/// The expected-utility parameters from the command line, checked.
fn bdm_params(args: &BdmArgs) -> Result<BdmParams, Failure> {
    for (name, value) in [("--q", args.q), ("--t", args.t)] {
        if !(0.0..=1.0).contains(&value) {
            let _ = writeln!(
                std::io::stderr(),
                "error: {name} {value} is outside 0..=1\n  help: it is a probability"
            );
            return Err(Failure::BadInput);
        }
    }
    let variant = Variant::from_name(&args.variant).expect("clap checked the variant");
    let mut params = BdmParams::forecast(variant);
    params.capitulation_fix = args.capitulation_fix;
    params.q = args.q;
    params.t = args.t;
    match args.rounds {
        Some(rounds) => {
            params.max_rounds = rounds;
            params.stop = StopRule::Fixed;
        }
        None => params.max_rounds = args.max_rounds,
    }
    Ok(params)
}

/// The forecasts with the what-ifs next to those without: `baseline -> what-if` per model.
fn what_if_table(
    scenario: &Scenario,
    changes: &str,
    baseline: &[Forecast],
    changed: &[Forecast],
) -> String {
    let mut t = new_table();
    let mut header = vec![Cell::new("Issue")];
    header.extend(changed.iter().map(|f| Cell::new(&f.model)));
    t.set_header(header);
    for (i, issue) in scenario.issues().iter().enumerate() {
        let mut row = vec![Cell::new(&issue.id)];
        for (b, c) in baseline.iter().zip(changed) {
            let show = |v: Option<f64>| v.map_or_else(|| "none".to_string(), fmt_value);
            let (was, now) = (b.issues[i].value, c.issues[i].value);
            let text = if was == now {
                format!("{} (same)", show(now))
            } else {
                format!("{} -> {}", show(was), show(now))
            };
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        t.add_row(row);
    }
    format!("\nWhat if {changes}: baseline -> with the change\n{t}\n")
}

/// Python's `repr` of a float (shortest round trip, exponent below 1e-4 and from 1e16), so that
/// traces can be compared with the reference implementation's files as text.
fn repr(value: f64) -> String {
    if value == 0.0 || (1e-4..1e16).contains(&value.abs()) {
        let text = format!("{value:?}");
        return if text.contains('.') || text.contains("inf") || text.contains("NaN") {
            text
        } else {
            format!("{text}.0")
        };
    }
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').expect("exponent form");
    let exponent: i32 = exponent.parse().expect("exponent");
    format!(
        "{mantissa}e{}{:02}",
        if exponent < 0 { '-' } else { '+' },
        exponent.abs()
    )
}

/// The per-round actor table, with the reference's parity columns (and `issue` first when the
/// scenario has several issues).
fn trace_csv(scenario: &Scenario, runs: &[(usize, BdmRun)]) -> Result<String, Failure> {
    let with_issue = scenario.issues().len() > 1;
    // CRLF, as Python's csv module writes the reference files, so that the two compare byte for byte.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec![
        "round",
        "actor",
        "x_before",
        "danger_r1",
        "R",
        "r",
        "offer_type",
        "offer_from",
        "eu_ij",
        "eu_ji",
        "x_after",
    ];
    if with_issue {
        header.insert(0, "issue");
    }
    writer.write_record(&header).context("CSV")?;
    for (issue, run) in runs {
        for round in &run.rounds {
            for (a, actor) in round.actors.iter().enumerate() {
                let (kind, from, eu_ij, eu_ji) = match actor.offer {
                    Some(o) => (
                        o.kind.name().to_owned(),
                        run.actors[o.from].clone(),
                        repr(o.eu_ij),
                        repr(o.eu_ji),
                    ),
                    None => Default::default(),
                };
                let mut record = vec![
                    round.round.to_string(),
                    run.actors[a].clone(),
                    repr(actor.x_before),
                    repr(actor.danger_r1),
                    repr(actor.risk),
                    repr(actor.r),
                    kind,
                    from,
                    eu_ij,
                    eu_ji,
                    repr(actor.x_after),
                ];
                if with_issue {
                    record.insert(0, scenario.issues()[*issue].id.clone());
                }
                writer.write_record(&record).context("CSV")?;
            }
        }
    }
    Ok(String::from_utf8(writer.into_inner().context("CSV")?).context("CSV is UTF-8")?)
}

/// The JSON written by `forecast --format json` (documented in docs/output.md).
#[derive(Serialize)]
struct ForecastOutput<'a> {
    scenario: Option<&'a str>,
    issues: Vec<IssueInfo<'a>>,
    models: Vec<ModelInfo>,
    forecasts: Vec<Forecast>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bdm_runs: Vec<BdmRunOutput<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smp_run: Option<&'a SmpRun>,
    #[serde(skip_serializing_if = "Option::is_none")]
    what_if: Option<WhatIfOutput>,
}

/// The what-ifs applied and the forecasts without them.
#[derive(Serialize)]
struct WhatIfOutput {
    changes: String,
    baseline: Vec<Forecast>,
}

#[derive(Serialize)]
struct BdmRunOutput<'a> {
    issue: &'a str,
    run: &'a BdmRun,
}

#[derive(Serialize)]
struct IssueInfo<'a> {
    id: &'a str,
    label: &'a str,
    min: f64,
    max: f64,
    status_quo: Option<f64>,
}

#[derive(Serialize)]
struct ModelInfo {
    id: &'static str,
    label: &'static str,
}

fn forecast(args: ForecastArgs) -> Result<(), Failure> {
    let spec = args.scenario.as_deref().unwrap_or(DEFAULT_SCENARIO);
    let loaded = load(spec, args.from.as_deref())?;
    let params = bdm_params(&args.bdm)?;
    // The spatial model runs every issue at once, so it is not among `all`: it is named.
    let (smp_wanted, names) = crate::smp::split_models(&args.model);
    let mut models = if names.is_empty() {
        Vec::new()
    } else {
        selected_models(&names, params)?
    };
    let smp_params = crate::smp::params(&args.smp, &loaded)?;
    if smp_wanted {
        models.push(crate::smp::model(smp_params));
    }
    let changed = crate::what_if::apply(&loaded.scenario, &args.what_if)?;
    // With what-ifs, the forecasts are of the changed scenario and the original's are the
    // baseline they are compared with.
    let baseline: Option<Vec<Forecast>> = changed.as_ref().map(|_| {
        models
            .iter()
            .map(|m| m.forecast(&loaded.scenario))
            .collect()
    });
    let scenario = changed.as_ref().unwrap_or(&loaded.scenario);
    // The expected-utility model is run once per issue here, so that its rounds can be shown.
    let eu_model = ExpectedUtility { params };
    let mut runs: Vec<(usize, BdmRun)> = Vec::new();
    let mut smp_run = None;
    let forecasts: Vec<Forecast> = models
        .iter()
        .map(|m| {
            if m.id() == crate::smp::ID {
                let (forecast, run) = crate::smp::run(scenario, &loaded, smp_params);
                smp_run = run;
                return forecast;
            }
            if m.id() != eu_model.id() {
                return m.forecast(scenario);
            }
            let issues = (0..scenario.issues().len())
                .map(|i| match eu_model.run_issue(scenario, i) {
                    Ok(run) => {
                        let f = bdm::forecast_of(&run, &scenario.issues()[i].id);
                        runs.push((i, run));
                        f
                    }
                    Err(no_run) => no_run,
                })
                .collect();
            Forecast {
                model: m.id().to_owned(),
                issues,
            }
        })
        .collect();
    if let Some(path) = &args.bdm.trace {
        let text = match (runs.is_empty(), &smp_run) {
            (false, None) => trace_csv(scenario, &runs)?,
            (true, Some(run)) => crate::smp::trace_csv(run)?,
            (bdm_ran, _) => {
                let message = if bdm_ran {
                    "error: --trace needs the bdm or the smp model\n  help: add --model bdm or --model smp"
                } else {
                    "error: --trace writes one model's trace, but bdm and smp both ran\n  help: give --model bdm or --model smp"
                };
                let _ = writeln!(std::io::stderr(), "{message}");
                return Err(Failure::BadInput);
            }
        };
        std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
        let _ = writeln!(
            std::io::stderr(),
            "wrote the round-by-round trace to {}",
            path.display()
        );
    }
    if let Some(path) = &args.store {
        let params = serde_json::json!({
            "models": args.model,
            "variant": args.bdm.variant,
            "rounds": args.bdm.rounds,
            "max_rounds": args.bdm.max_rounds,
            "capitulation_fix": args.bdm.capitulation_fix,
            "q": args.bdm.q,
            "t": args.bdm.t,
            "what_if": crate::what_if::describe(&args.what_if),
        });
        crate::runs::record(path, "forecast", scenario, params, None, &forecasts)?;
    }
    let only_bdm = models.len() == 1 && !runs.is_empty();
    let text = match args.format {
        OutputFormat::Csv if only_bdm => trace_csv(scenario, &runs)?,
        OutputFormat::Csv if models.len() == 1 && smp_run.is_some() => {
            crate::smp::trace_csv(smp_run.as_ref().expect("checked"))?
        }
        OutputFormat::Json => {
            let output = ForecastOutput {
                scenario: scenario.meta().title.as_deref(),
                issues: scenario
                    .issues()
                    .iter()
                    .map(|i| IssueInfo {
                        id: &i.id,
                        label: &i.label,
                        min: i.scale.min,
                        max: i.scale.max,
                        status_quo: i.status_quo,
                    })
                    .collect(),
                models: models
                    .iter()
                    .map(|m| ModelInfo {
                        id: m.id(),
                        label: m.label(),
                    })
                    .collect(),
                forecasts,
                bdm_runs: runs
                    .iter()
                    .map(|(i, run)| BdmRunOutput {
                        issue: &scenario.issues()[*i].id,
                        run,
                    })
                    .collect(),
                smp_run: smp_run.as_ref(),
                what_if: baseline.clone().map(|baseline| WhatIfOutput {
                    changes: crate::what_if::describe(&args.what_if),
                    baseline,
                }),
            };
            let mut text = serde_json::to_string_pretty(&output).context("cannot write JSON")?;
            text.push('\n');
            text
        }
        OutputFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer
                .write_record(["model", "issue", "value", "note"])
                .context("CSV")?;
            for f in &forecasts {
                for issue in &f.issues {
                    let value = issue.value.map(|v| v.to_string()).unwrap_or_default();
                    let note = issue.note.as_deref().unwrap_or("");
                    writer
                        .write_record([f.model.as_str(), issue.issue.as_str(), &value, note])
                        .context("CSV")?;
                }
            }
            String::from_utf8(writer.into_inner().context("CSV")?).context("CSV is UTF-8")?
        }
        OutputFormat::Table => {
            let mut text = forecast_table(scenario, &models, &forecasts);
            if let Some(run) = &smp_run {
                text.push_str(&crate::smp::tables(run));
            }
            if let Some(baseline) = &baseline {
                text.push_str(&what_if_table(
                    scenario,
                    &crate::what_if::describe(&args.what_if),
                    baseline,
                    &forecasts,
                ));
            }
            text
        }
    };
    write_out(&text)?;
    if args.bdm.explain {
        if runs.is_empty() && smp_run.is_none() {
            let _ = writeln!(
                std::io::stderr(),
                "note: --explain narrates the bdm and smp models, which were not run"
            );
        }
        let mut out = String::new();
        if let Some(run) = &smp_run {
            out.push_str(&crate::smp::explain(run));
        }
        for (i, run) in &runs {
            out.push('\n');
            for line in bdm::narrate(run, &scenario.issues()[*i].label) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        // After a table the narration belongs on stdout; after JSON or CSV it would spoil the
        // data, so it goes to stderr.
        if args.format == OutputFormat::Table {
            write_out(&out)?;
        } else {
            let _ = std::io::stderr().write_all(out.as_bytes());
        }
    }
    Ok(())
}

fn forecast_table(
    scenario: &Scenario,
    models: &[Box<dyn Model>],
    forecasts: &[Forecast],
) -> String {
    let mut out = String::new();
    if let Some(title) = &scenario.meta().title {
        out.push_str(title);
        out.push('\n');
    }
    let mut table = new_table();
    let mut header = vec![
        Cell::new("Issue"),
        Cell::new("Scale"),
        Cell::new("Status quo"),
    ];
    header.extend(models.iter().map(|m| Cell::new(m.label())));
    table.set_header(header);
    let mut notes = Vec::new();
    for (i, issue) in scenario.issues().iter().enumerate() {
        let mut row = vec![
            Cell::new(&issue.label),
            Cell::new(format!(
                "{}..{}",
                fmt_value(issue.scale.min),
                fmt_value(issue.scale.max)
            )),
            Cell::new(issue.status_quo.map_or("-".into(), fmt_value))
                .set_alignment(CellAlignment::Right),
        ];
        for f in forecasts {
            let result = &f.issues[i];
            let text = match result.value {
                Some(v) => fmt_value(v),
                None => "none".into(),
            };
            if let Some(note) = &result.note {
                notes.push(format!("{} on {}: {note}", f.model, issue.id));
            }
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        table.add_row(row);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    // What the first model's forecast means on each issue's own labelled scale.
    if let Some(first) = forecasts.first() {
        let mut meaning = Vec::new();
        for (i, issue) in scenario.issues().iter().enumerate() {
            if let (Some(v), Some(anchor)) = (
                first.issues[i].value,
                first.issues[i].value.and_then(|v| issue.nearest_anchor(v)),
            ) {
                meaning.push(format!(
                    "  {}: {} is nearest \"{}\" ({})",
                    issue.id,
                    fmt_value(v),
                    anchor.label,
                    fmt_value(anchor.value)
                ));
            }
        }
        if !meaning.is_empty() {
            out.push_str(&format!("\nWhere the {} forecast lands:\n", first.model));
            for line in meaning {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for note in notes {
            out.push_str(&format!("  {note}\n"));
        }
    }
    out
}

fn check(args: ScenarioArg) -> Result<(), Failure> {
    let loaded = load(&args.scenario, args.from.as_deref())?;
    let s = &loaded.scenario;
    let red_lines: usize = s.actors().iter().map(|a| a.red_lines.len()).sum();
    let changes: usize = s.actors().iter().map(|a| a.domestic.len()).sum();
    write_out(&format!(
        "ok: {}: {} actors, {} issues, {} red lines, {} leadership changes, {} warning(s)\n",
        args.scenario,
        s.actors().len(),
        s.issues().len(),
        red_lines,
        changes,
        loaded.warnings.len()
    ))
}

fn show(args: ShowArgs) -> Result<(), Failure> {
    let changed = crate::what_if::load_changed(
        Some(&args.input.scenario),
        args.input.from.as_deref(),
        &args.what_if,
    )?;
    let s = &changed;
    match args.format {
        OutputFormat::Json => return write_out(&statecraft_io::export(s, Format::Json)),
        OutputFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer
                .write_record(["actor", "capability", "issue", "position", "salience"])
                .context("CSV")?;
            for (a, actor) in s.actors().iter().enumerate() {
                for (i, issue) in s.issues().iter().enumerate() {
                    if let Some(st) = s.stance(a, i) {
                        writer
                            .write_record([
                                &actor.id,
                                &actor.capability.to_string(),
                                &issue.id,
                                &st.position.to_string(),
                                &st.salience.to_string(),
                            ])
                            .context("CSV")?;
                    }
                }
            }
            return write_out(
                &String::from_utf8(writer.into_inner().context("CSV")?).context("CSV")?,
            );
        }
        OutputFormat::Table => {}
    }
    let mut out = String::new();
    let meta = s.meta();
    if let Some(title) = &meta.title {
        out.push_str(title);
        if let Some(date) = meta.date {
            out.push_str(&format!(" ({date})"));
        }
        out.push('\n');
    }
    let mut issues = new_table();
    issues.set_header(vec!["Issue", "Scale", "Status quo", "Anchors"]);
    for issue in s.issues() {
        let anchors: Vec<String> = issue
            .anchors
            .iter()
            .map(|a| format!("{} = {}", fmt_value(a.value), a.label))
            .collect();
        issues.add_row(vec![
            format!("{}\n({})", issue.label, issue.id),
            format!(
                "{}..{}",
                fmt_value(issue.scale.min),
                fmt_value(issue.scale.max)
            ),
            issue.status_quo.map_or("-".into(), fmt_value),
            anchors.join("\n"),
        ]);
    }
    out.push_str(&issues.to_string());
    out.push_str("\n\nPositions (salience in brackets):\n");
    let mut grid = new_table();
    let mut header = vec![Cell::new("Actor"), Cell::new("Capability")];
    header.extend(s.issues().iter().map(|i| Cell::new(&i.id)));
    grid.set_header(header);
    for (a, actor) in s.actors().iter().enumerate() {
        let mut row = vec![
            Cell::new(&actor.name),
            Cell::new(fmt_value(actor.capability)).set_alignment(CellAlignment::Right),
        ];
        for i in 0..s.issues().len() {
            let text = s.stance(a, i).map_or("-".into(), |st| {
                format!("{} ({})", fmt_value(st.position), fmt_value(st.salience))
            });
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        grid.add_row(row);
    }
    out.push_str(&grid.to_string());
    out.push('\n');
    let lines: Vec<String> = s
        .actors()
        .iter()
        .flat_map(|a| {
            a.red_lines.iter().map(move |l| {
                format!(
                    "  {} refuses {} in {}..{}",
                    a.id,
                    s.issues()[l.issue].id,
                    fmt_value(l.min),
                    fmt_value(l.max)
                )
            })
        })
        .collect();
    if !lines.is_empty() {
        out.push_str("\nRed lines:\n");
        out.push_str(&lines.join("\n"));
        out.push('\n');
    }
    let changes: Vec<String> = s
        .actors()
        .iter()
        .flat_map(|a| {
            a.domestic.iter().map(move |c| {
                let when = match c.timing {
                    ChangeTiming::Scheduled { date, turnover } => {
                        format!("{date}, turnover {}", fmt_value(turnover))
                    }
                    ChangeTiming::Hazard { yearly } => {
                        format!("yearly probability {}", fmt_value(yearly))
                    }
                };
                format!(
                    "  {}: {} ({when}; {} possible successor(s))",
                    a.id,
                    c.label,
                    c.successors.len()
                )
            })
        })
        .collect();
    if !changes.is_empty() {
        out.push_str("\nDomestic politics:\n");
        out.push_str(&changes.join("\n"));
        out.push('\n');
    }
    write_out(&out)
}

fn convert(args: ConvertArgs) -> Result<(), Failure> {
    let to_stdout = args.output.as_os_str() == "-";
    let format = match args.to.as_deref() {
        Some(name) => Format::from_name(name).expect("clap checked the format name"),
        None if to_stdout => Format::Toml,
        None => match Format::detect(&args.output.display().to_string(), "") {
            Some(f) if f.can_write() => f,
            _ => {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: cannot tell which format to write from `{}`\n  help: name the output .toml or .json, or give --to toml|json",
                    args.output.display()
                );
                return Err(Failure::BadInput);
            }
        },
    };
    let scenario =
        crate::what_if::load_changed(Some(&args.input), args.from.as_deref(), &args.what_if)?;
    let text = statecraft_io::export(&scenario, format);
    if to_stdout {
        return write_out(&text);
    }
    if args.output.exists() && !args.force {
        let _ = writeln!(
            std::io::stderr(),
            "error: `{}` already exists; statecraft does not overwrite files\n  help: choose another name, or add --force to replace it",
            args.output.display()
        );
        return Err(Failure::BadInput);
    }
    write_atomically(&args.output, &text)
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} ({})",
        args.output.display(),
        format.name()
    );
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it: a failure never leaves half a file.
pub(crate) fn write_atomically(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.statecraft-tmp"));
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

fn scenarios() -> Result<(), Failure> {
    let mut out = String::new();
    for b in statecraft_io::BUILTINS {
        out.push_str(&format!("{}\t{}\n", b.name, b.summary));
    }
    write_out(&out)
}
