//! The dispatcher: each command's arguments become a request, the analysis API runs it, and the
//! result is printed or written. No analysis is decided here.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use statecraft_api::{AnalysisResult, CancelToken, Context, Event, Request, Response};
use statecraft_io::Format;
use statecraft_report::{charts, Report};

use crate::cli::{CheckArgs, Command, ConvertArgs, OutputFormat, ReportArgs, RunArgs, ShowArgs};
use crate::print::{self, diagnostics};
use crate::progress::Progress;
use crate::{requests, Failure};

pub(crate) fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Forecast(args) => {
            let request = requests::forecast(&args)?;
            // The expected-utility model's rounds are counted as they end (long on many actors).
            let response = run_with_progress(
                &request,
                args.store.clone(),
                &recorded_in(&args.store),
                "at most rounds of the expected-utility model",
                CancelToken::new(),
                diagnostics::api_error,
            )?;
            let scenario = response
                .scenario
                .as_ref()
                .expect("a forecast has a scenario");
            let AnalysisResult::Forecast(result) = &response.result else {
                unreachable!("a forecast request gives a forecast")
            };
            if let Some(path) = &args.bdm.trace {
                refuse_input_as_output(path, args.scenario.as_deref())?;
                refuse_overwrite(path, args.force)?;
                print::forecast::write_trace(scenario, result, path)?;
            }
            print::forecast::print(scenario, result, args.format, args.bdm.explain)
        }
        Command::Check(args) => check(args),
        Command::Show(args) => show(args),
        Command::Durability(args) if args.backtest.is_some() => {
            let cases = args.backtest.as_deref().unwrap_or_default();
            let request = requests::backtest(&args, cases)?;
            let response = execute(&request, None, recorded_in(&None))?;
            let AnalysisResult::Backtest(result) = &response.result else {
                unreachable!("a backtest request gives a backtest result")
            };
            print::durability::print_backtest(result, args.format)
        }
        Command::Durability(args) => {
            let request = requests::durability(&args)?;
            let response = execute(&request, args.store.clone(), recorded_in(&args.store))?;
            let AnalysisResult::Durability(result) = &response.result else {
                unreachable!("a durability request gives a durability result")
            };
            print::durability::print(scenario(&response), result, args.format)
        }
        Command::Coalitions(args) => {
            let request = requests::coalitions(&args)?;
            let response = execute(&request, args.store.clone(), recorded_in(&args.store))?;
            let AnalysisResult::Coalitions(result) = &response.result else {
                unreachable!("a coalitions request gives a coalitions result")
            };
            print::coalitions::print(scenario(&response), result, args.format)
        }
        Command::Infer(args) => infer(args),
        Command::Sweep(args) => {
            let request = requests::sweep(&args)?;
            let response = execute_long(
                &request,
                args.store.clone(),
                |id| format!("recording as run {id}"),
                "draws",
                diagnostics::api_error,
            )?;
            let AnalysisResult::Sweep(result) = &response.result else {
                unreachable!("a sweep request gives a sweep result")
            };
            print::sweep::print(scenario(&response), result, args.format)?;
            if result.complete {
                Ok(())
            } else {
                Err(Failure::Interrupted)
            }
        }
        Command::Runs(args) => crate::runs::run(args),
        Command::Power(args) => {
            let request = requests::power(&args)?;
            let response = execute(&request, None, |_| String::new())?;
            let AnalysisResult::Power(result) = &response.result else {
                unreachable!("a power request gives a power result")
            };
            print::power::print(result, args.format)
        }
        Command::Compare(args) => {
            let request = requests::compare(&args)?;
            let response = execute(&request, args.store.clone(), |_| String::new())?;
            let AnalysisResult::Compare(result) = &response.result else {
                unreachable!("a compare request gives a comparison")
            };
            print::compare::print(result, response.scenario.as_ref(), args.format)
        }
        Command::Report(args) => report(args),
        Command::Convert(args) => convert(args),
        Command::Run(args) => run_request(args),
        Command::Validate(args) => validate(args),
        Command::Fit(args) => fit(args),
        Command::Serve(args) => crate::serve::serve(args),
        Command::Scenarios => scenarios(),
    }
}

fn scenario(response: &Response) -> &statecraft_core::scenario::Scenario {
    response
        .scenario
        .as_ref()
        .expect("an analysis of a scenario returns it")
}

/// The message for a run recorded in the store at `path`.
fn recorded_in(path: &Option<PathBuf>) -> impl Fn(i64) -> String + '_ {
    move |id| {
        format!(
            "recorded as run {id} in {}",
            path.as_deref().unwrap_or(Path::new("")).display()
        )
    }
}

/// Prints what a run says on the way: notes, warnings, where it was recorded.
fn on_event(event: &Event, recorded: &dyn Fn(i64) -> String) {
    match event {
        Event::Note(text) => diagnostics::note(text),
        Event::Warning(problem) => diagnostics::warning(problem),
        Event::Recorded(id) => {
            let _ = writeln!(std::io::stderr(), "{}", recorded(*id));
        }
        Event::Progress { .. } => {}
    }
}

/// Runs a request, printing its notes and warnings as they come, and its progress on stderr
/// when it reports any; errors are printed and become the exit code.
fn execute(
    request: &Request,
    store: Option<PathBuf>,
    recorded: impl Fn(i64) -> String,
) -> Result<Response, Failure> {
    run_with_progress(
        request,
        store,
        &recorded,
        "steps",
        CancelToken::new(),
        diagnostics::api_error,
    )
}

/// Like [`execute`], with Ctrl-C stopping the run between chunks (the partial result is
/// printed, then the command exits 130).
fn execute_long(
    request: &Request,
    store: Option<PathBuf>,
    recorded: impl Fn(i64) -> String,
    unit: &str,
    render: fn(statecraft_api::ApiError) -> Failure,
) -> Result<Response, Failure> {
    let cancel = CancelToken::new();
    {
        let cancel = cancel.clone();
        // A second handler cannot be installed; the first one is enough for a process.
        let _ = ctrlc::set_handler(move || cancel.cancel());
    }
    run_with_progress(request, store, &recorded, unit, cancel, render)
}

fn run_with_progress(
    request: &Request,
    store: Option<PathBuf>,
    recorded: &dyn Fn(i64) -> String,
    unit: &str,
    cancel: CancelToken,
    render: fn(statecraft_api::ApiError) -> Failure,
) -> Result<Response, Failure> {
    let progress = std::cell::RefCell::new(Progress::new(unit));
    let events = |event: Event| match event {
        Event::Progress { done, total } => progress.borrow_mut().update(done, total),
        other => progress.borrow().suspend(|| on_event(&other, recorded)),
    };
    let context = Context {
        on_event: Some(&events),
        cancel,
        store,
    };
    let result = statecraft_api::run(request, &context);
    progress.borrow().finish();
    result.map_err(render)
}

fn check(args: CheckArgs) -> Result<(), Failure> {
    let request = requests::scenario(
        &args.input.scenario,
        args.input.from.as_deref(),
        &Default::default(),
        statecraft_api::Analysis::Check,
    )?;
    let response = execute(&request, None, |_| String::new())?;
    let AnalysisResult::Check(result) = &response.result else {
        unreachable!("a check request gives a check result")
    };
    match args.format {
        OutputFormat::Json => print::write_out(&print::json(&response.result_json())?),
        _ => print::write_out(&print::scenario::check_line(&args.input.scenario, result)),
    }
}

fn show(args: ShowArgs) -> Result<(), Failure> {
    let request = requests::scenario(
        &args.input.scenario,
        args.input.from.as_deref(),
        &args.what_if,
        statecraft_api::Analysis::Show,
    )?;
    let response = execute(&request, None, |_| String::new())?;
    print::scenario::show(scenario(&response), args.format)
}

fn convert(args: ConvertArgs) -> Result<(), Failure> {
    let to_stdout = args.output.as_os_str() == "-";
    let format = match args.to.as_deref() {
        Some(name) => Format::from_name(name).expect("clap checked the format name"),
        None if to_stdout => Format::Toml,
        None => match Format::detect(&args.output.display().to_string(), "") {
            Some(f) if f.can_write() => f,
            _ => {
                return Err(diagnostics::usage(
                    &format!(
                        "cannot tell which format to write from `{}`",
                        args.output.display()
                    ),
                    "name the output .toml or .json, or give --to toml|json",
                ))
            }
        },
    };
    let request = requests::convert(
        &args.input,
        args.from.as_deref(),
        &args.what_if,
        format.name(),
    )?;
    let response = execute(&request, None, |_| String::new())?;
    let AnalysisResult::Convert(result) = &response.result else {
        unreachable!("a convert request gives a convert result")
    };
    let comments = toml_comments(&args.input);
    if comments > 0 {
        diagnostics::note(&format!(
            "the input's {comments} comment(s) are not carried over: statecraft writes the scenario's values, not its comments; keep the original for them"
        ));
    }
    if to_stdout {
        return print::write_out(&result.text);
    }
    refuse_input_as_output(&args.output, Some(&args.input))?;
    refuse_overwrite(&args.output, args.force)?;
    write_atomically(&args.output, &result.text)
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} ({})",
        args.output.display(),
        format.name()
    );
    Ok(())
}

/// `statecraft validate`: the API scores, this prints the report and, with --output, writes it
/// as an HTML page.
fn validate(args: crate::cli::ValidateArgs) -> Result<(), Failure> {
    if let Some(path) = &args.output {
        if same_file(path, &args.data) || args.params.as_deref().is_some_and(|p| same_file(path, p))
        {
            return Err(diagnostics::usage(
                &format!(
                    "`{}` is an input of this run; statecraft does not write over its input",
                    path.display()
                ),
                "write the page to another file",
            ));
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if ext != "html" && ext != "htm" {
            return Err(diagnostics::usage(
                &format!(
                    "`{}`: the accuracy report is written as HTML",
                    path.display()
                ),
                "name the file .html; for JSON or CSV use --format json or --format csv",
            ));
        }
        refuse_overwrite(path, args.force)?;
    }
    let request = requests::validate(&args)?;
    let response = execute(&request, None, |_| String::new())?;
    let AnalysisResult::Validate(report) = &response.result else {
        unreachable!("a validate request gives a validation report")
    };
    if let Some(path) = &args.output {
        let name = args.data.file_name().map_or_else(
            || args.data.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let page =
            statecraft_api::export_validation(&response, &name).map_err(diagnostics::api_error)?;
        write_atomically(path, page)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        let _ = writeln!(std::io::stderr(), "wrote {}", path.display());
    }
    print::validate::print(report, args.format)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// How many comments the TOML scenario `input` (a file or a built-in name) has: `#` outside a
/// one-line string (multi-line strings are skipped). 0 for other formats or an unreadable file.
fn toml_comments(input: &str) -> usize {
    let text = match statecraft_io::builtin_source(input) {
        Some(text) => text.to_owned(),
        None if input.to_ascii_lowercase().ends_with(".toml") => {
            std::fs::read_to_string(input).unwrap_or_default()
        }
        None => return 0,
    };
    let mut comments = 0;
    let mut multi_line: Option<&str> = None;
    for line in text.lines() {
        if let Some(delimiter) = multi_line {
            if line.contains(delimiter) {
                multi_line = None;
            }
            continue;
        }
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (Some('"'), '\\') if !escaped => {
                    escaped = true;
                    continue;
                }
                (Some(q), c) if c == q && !escaped => quote = None,
                (None, '"' | '\'') => {
                    let triple = if c == '"' { "\"\"\"" } else { "'''" };
                    if line[i..].starts_with(triple) {
                        if !line[i + 3..].contains(triple) {
                            multi_line = Some(triple);
                        }
                        break;
                    }
                    quote = Some(c);
                }
                (None, '#') => {
                    comments += 1;
                    break;
                }
                _ => {}
            }
            escaped = false;
        }
    }
    comments
}

/// `statecraft fit`: the API fits, this writes the parameter file (never over an existing one
/// without --force) and prints a summary.
fn fit(args: crate::cli::FitArgs) -> Result<(), Failure> {
    refuse_overwrite(&args.output, args.force)?;
    let request = requests::fit(&args);
    let response = execute(&request, None, |_| String::new())?;
    let AnalysisResult::Fit(params) = &response.result else {
        unreachable!("a fit request gives fitted parameters")
    };
    write_atomically(&args.output, statecraft_io::write_params(params))
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    let _ = writeln!(std::io::stderr(), "wrote {}", args.output.display());
    print::validate::print_fit(params, args.format)
}

/// The report format asked for, or the one the output file's extension names, or HTML.
fn report_format(args: &ReportArgs) -> Result<String, Failure> {
    if let Some(f) = &args.format {
        return Ok(f.clone());
    }
    let Some(path) = &args.output else {
        return Ok("html".into());
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => Ok("html".into()),
        "md" | "markdown" => Ok("md".into()),
        "json" => Ok("json".into()),
        "csv" => Ok("csv".into()),
        "xlsx" => Ok("xlsx".into()),
        _ => Err(diagnostics::usage(
            &format!("cannot tell the report format from `{}`", path.display()),
            "name the file .html, .md, .json, .csv or .xlsx, or give --format",
        )),
    }
}

fn report(args: ReportArgs) -> Result<(), Failure> {
    let format = report_format(&args)?;
    if format == "xlsx" && args.output.is_none() {
        return Err(diagnostics::usage(
            "a workbook is not text: it is not written to the terminal",
            "give -o FILE.xlsx",
        ));
    }
    if let Some(path) = &args.output {
        refuse_input_as_output(path, args.scenario.as_deref())?;
        refuse_overwrite(path, args.force)?;
    }
    let request = requests::report(&args)?;
    let response = execute(&request, args.store.clone(), |_| String::new())?;
    let AnalysisResult::Report(report) = &response.result else {
        unreachable!("a report request gives a report")
    };
    let text =
        statecraft_api::export_report_bytes(&response, &format).map_err(diagnostics::api_error)?;
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            let _ = writeln!(std::io::stderr(), "wrote {}", path.display());
        }
        None => print::write_out(&String::from_utf8_lossy(&text))?,
    }
    if let Some(dir) = &args.charts {
        write_charts(report, dir)?;
    }
    Ok(())
}

fn write_charts(report: &Report, dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the chart directory `{}`", dir.display()))?;
    let charts = charts(report);
    for chart in &charts {
        let svg = chart.svg().context("cannot draw a chart")?;
        let png = chart.png().context("cannot draw a chart")?;
        for (ext, bytes) in [("svg", svg.as_bytes()), ("png", png.as_slice())] {
            let path = dir.join(format!("{}.{ext}", chart.id));
            write_atomically(&path, bytes)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} charts as SVG and PNG to {}",
        charts.len(),
        dir.display()
    );
    Ok(())
}

/// `statecraft run REQUEST.json`: any request, its response as JSON.
fn run_request(args: RunArgs) -> Result<(), Failure> {
    let help = "give a request file (JSON, see docs/api.md), or - for stdin";
    let (file, bytes) = if args.request.as_os_str() == "-" {
        let bytes = statecraft_io::read_bounded(std::io::stdin().lock())
            .context("cannot read the request from stdin")?;
        ("stdin".to_owned(), bytes)
    } else {
        let file = args.request.display().to_string();
        let bytes = std::fs::File::open(&args.request)
            .and_then(statecraft_io::read_bounded)
            .map_err(|e| {
                diagnostics::usage(&format!("cannot read the request `{file}`: {e}"), help)
            })?;
        (file, bytes)
    };
    let Some(bytes) = bytes else {
        let why = statecraft_io::too_large_message();
        return Err(diagnostics::usage(
            &format!("cannot read the request `{file}`: {why}"),
            help,
        ));
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        diagnostics::usage(
            &format!("cannot read the request `{file}`: it is not valid UTF-8 (byte {at})"),
            "save the request as UTF-8 text",
        )
    })?;
    let request = Request::from_json(&file, &text).map_err(|mut e| {
        // A request that does not parse is reported with its place.
        for p in &mut e.problems {
            if let (Some(l), Some(c)) = (p.line, p.column) {
                p.message = format!("{file}:{l}:{c}: {}", p.message);
            }
        }
        diagnostics::request_error(e)
    })?;
    let response = execute_long(
        &request,
        args.store.clone(),
        |id| format!("recorded as run {id}"),
        "units",
        diagnostics::request_error,
    )?;
    print::write_out(&print::json(&response)?)?;
    match &response.result {
        AnalysisResult::Sweep(result) if !result.complete => Err(Failure::Interrupted),
        _ => Ok(()),
    }
}

/// Refuses to write over an existing file unless `force`.
pub(crate) fn refuse_overwrite(path: &Path, force: bool) -> Result<(), Failure> {
    if path.exists() && !force {
        return Err(diagnostics::usage(
            &format!(
                "`{}` already exists; statecraft does not overwrite files",
                path.display()
            ),
            "choose another name, or add --force to replace it",
        ));
    }
    Ok(())
}

/// `statecraft infer`: the API infers; this prints the result (the findings only when the
/// chains converged) and writes the posterior scenario for --write.
fn infer(args: crate::cli::InferArgs) -> Result<(), Failure> {
    let write_format = match &args.write {
        Some(path) => {
            refuse_overwrite(path, args.force)?;
            refuse_input_as_output(path, args.scenario.as_deref())?;
            match Format::detect(&path.display().to_string(), "") {
                Some(f) if f.can_write() => Some(f),
                _ => {
                    return Err(diagnostics::usage(
                        &format!(
                            "cannot tell which format to write from `{}`",
                            path.display()
                        ),
                        "name the file .toml or .json",
                    ))
                }
            }
        }
        None => None,
    };
    let request = requests::infer(&args)?;
    let response = execute(&request, None, |_| String::new())?;
    let AnalysisResult::Infer(result) = &response.result else {
        unreachable!("an infer request gives an infer result")
    };
    print::infer::print(scenario(&response), result, args.format)?;
    if !result.inference.converged {
        return Err(Failure::Failed(anyhow::anyhow!(
            "the chains have not converged, so the inference is not a finding; run more --draws or --max-draws"
        )));
    }
    if let (Some(path), Some(format)) = (&args.write, write_format) {
        let text = statecraft_api::export_posterior(&response, format.name())
            .map_err(diagnostics::api_error)?;
        write_atomically(path, text)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        let _ = writeln!(
            std::io::stderr(),
            "wrote {} ({})",
            path.display(),
            format.name()
        );
    }
    Ok(())
}

/// Refuses to write `output` when it is the scenario file the run reads (even with --force):
/// nothing a user wrote is replaced by a result.
fn refuse_input_as_output(output: &Path, input: Option<&str>) -> Result<(), Failure> {
    let Some(input) = input else { return Ok(()) };
    let same = match (std::fs::canonicalize(output), std::fs::canonicalize(input)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(diagnostics::usage(
            &format!(
                "`{}` is the scenario this run reads; statecraft does not write over its input",
                output.display()
            ),
            "write the output to another file",
        ));
    }
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it: a failure never leaves half a file,
/// nor the temporary file. Only regular files are written: a device, a FIFO or a directory at
/// `path` is refused (renaming over it would replace it). A symbolic link is followed: the file
/// it points to is replaced and the link kept.
pub(crate) fn write_atomically(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(m) if !m.is_file() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "it is not a regular file (a directory, device or FIFO); statecraft writes only regular files",
            ))
        }
        _ => {}
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.statecraft-tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(text.as_ref())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

fn scenarios() -> Result<(), Failure> {
    let mut out = String::new();
    for (name, summary) in statecraft_api::builtins() {
        out.push_str(&format!("{name}\t{summary}\n"));
    }
    print::write_out(&out)
}
