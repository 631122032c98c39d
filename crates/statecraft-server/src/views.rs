//! The page's views of a scenario: one report request through the API, its sections rendered
//! by the report crate (the same HTML and charts as `statecraft report`), and, when the page
//! sends the scenario it loaded as well, the two results side by side with the changes marked.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use statecraft_api::{
    Analysis, AnalysisResult, ProblemData, ReportOptions, Request, ScenarioSource, WhatIf,
};
use statecraft_core::text::number;
use statecraft_report::{escape, html_sections, HtmlSection, Report};

use crate::error::HttpError;
use crate::routes::{finished, json_body, run_fast};
use crate::AppState;

/// What the page sends on every edit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewsRequest {
    /// The scenario as edited.
    pub scenario: ScenarioSource,
    /// The scenario as loaded, for the what-if view.
    #[serde(default)]
    pub baseline: Option<ScenarioSource>,
    /// The report's options [default: those of `statecraft report`].
    #[serde(default)]
    pub options: Option<ReportOptions>,
}

/// One view: an id the page's tabs use, a title, and HTML in which every string from the
/// scenario is escaped.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// `lands`, `coalitions`, `durability`, `power`, `sure`, `whatif`, `notes`.
    pub id: &'static str,
    /// The tab's title.
    pub title: &'static str,
    /// The body.
    pub html: String,
}

/// Durability histories per form in the live views: a standard error under 0.71 percentage
/// points, at a quarter of the report's 20,000 (a downloaded report uses those).
pub const LIVE_HISTORIES: usize = 5_000;

/// The reports of the scenarios as loaded, most recent last: the baseline does not change while
/// an analyst edits, so each edit analyses only the edited scenario.
#[derive(Default)]
pub(crate) struct BaselineCache(std::sync::Mutex<Vec<(String, Arc<Report>)>>);

const CACHED_BASELINES: usize = 8;

async fn baseline_report(
    state: &Arc<AppState>,
    baseline: ScenarioSource,
    options: ReportOptions,
) -> Result<Arc<Report>, HttpError> {
    let key = serde_json::to_string(&(&baseline, &options)).unwrap_or_default();
    let cached = {
        let cache = state.baselines.0.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, r)| Arc::clone(r))
    };
    if let Some(report) = cached {
        return Ok(report);
    }
    let (report, _) = report_of(state, baseline, options).await?;
    let report = Arc::new(report);
    let mut cache = state.baselines.0.lock().unwrap_or_else(|e| e.into_inner());
    cache.retain(|(k, _)| *k != key);
    cache.push((key, Arc::clone(&report)));
    if cache.len() > CACHED_BASELINES {
        cache.remove(0);
    }
    Ok(report)
}

/// The views, with what the run noticed.
#[derive(Debug, Clone, Serialize)]
pub struct ViewsResponse {
    /// The views in tab order.
    pub views: Vec<View>,
    /// Notes of the run.
    pub notes: Vec<String>,
    /// Soft problems with the scenario (each with its `path` when known).
    pub warnings: Vec<ProblemData>,
    /// The compromise forecast per issue id, for the page's summary line.
    pub compromise: serde_json::Map<String, serde_json::Value>,
}

fn report_request(scenario: ScenarioSource, options: ReportOptions) -> Request {
    Request {
        scenario,
        what_if: WhatIf::default(),
        analysis: Analysis::Report(options),
    }
}

async fn report_of(
    state: &Arc<AppState>,
    scenario: ScenarioSource,
    options: ReportOptions,
) -> Result<(Report, statecraft_api::Response), HttpError> {
    let response = run_fast(state, report_request(scenario, options)).await?;
    match &response.result {
        AnalysisResult::Report(report) => Ok((report.clone(), response)),
        _ => Err(HttpError::internal(
            state.incident(),
            "a report request gave another result",
        )),
    }
}

fn sections(report: &Report, state: &AppState) -> Result<Vec<HtmlSection>, HttpError> {
    html_sections(report).map_err(|e| HttpError::internal(state.incident(), &e.to_string()))
}

fn body<'a>(sections: &'a [HtmlSection], id: &str) -> Option<&'a str> {
    sections
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.html.as_str())
}

/// The report's sections grouped as the page's views.
fn group(sections: &[HtmlSection]) -> Vec<View> {
    let mut views = Vec::new();
    let mut lands = body(sections, "forecasts").unwrap_or_default().to_owned();
    if let Some(rounds) = body(sections, "rounds") {
        let _ = write!(lands, "<h3>Who pressed whom</h3>{rounds}");
    }
    if let Some(turns) = body(sections, "turns") {
        let _ = write!(lands, "<h3>The spatial model's turns</h3>{turns}");
    }
    views.push(View {
        id: "lands",
        title: "Where it lands",
        html: lands,
    });
    let missing = |what: &str| format!("<p class=\"empty\">{what}</p>");
    views.push(View {
        id: "coalitions",
        title: "6-0 or 5-1",
        html: body(sections, "coalitions").map_or_else(
            || missing("No 6-0 / 5-1 analysis (see the notes)."),
            str::to_owned,
        ),
    });
    views.push(View {
        id: "durability",
        title: "Election-proof",
        html: body(sections, "durability").map_or_else(
            || missing("No durability analysis: the scenario needs a date (the signing date) and agreement forms."),
            str::to_owned,
        ),
    });
    if let Some(inputs) = body(sections, "inputs") {
        views.push(View {
            id: "inputs",
            title: "What it rests on",
            html: inputs.to_owned(),
        });
    }
    views.push(View {
        id: "power",
        title: "Voting power",
        html: body(sections, "power").map_or_else(
            || missing("No voting power (see the notes)."),
            str::to_owned,
        ),
    });
    if let Some(sweep) = body(sections, "sweep") {
        views.push(View {
            id: "sure",
            title: "How sure",
            html: sweep.to_owned(),
        });
    }
    if let Some(notes) = body(sections, "notes") {
        views.push(View {
            id: "notes",
            title: "Notes",
            html: notes.to_owned(),
        });
    }
    views
}

pub(crate) async fn views(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ViewsResponse>, HttpError> {
    let request: ViewsRequest = json_body(body, |text| {
        serde_json::from_str(text).map_err(|e| {
            HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_input",
                format!("not a views request: {e}"),
            )
            .with_help(
                "send {\"scenario\": SOURCE, \"baseline\": SOURCE}; SOURCE as in docs/api.md",
            )
        })
    })?;
    let options = request.options.clone().unwrap_or(ReportOptions {
        histories: LIVE_HISTORIES,
        ..ReportOptions::default()
    });
    let (edited, response) = report_of(&state, request.scenario, options.clone()).await?;
    let mut views = group(&sections(&edited, &state)?);
    if let Some(baseline) = request.baseline {
        // The loaded scenario always analyses (it was shown before): a failure here is the
        // baseline's own and leaves the what-if view out rather than the whole answer.
        match baseline_report(&state, baseline, options).await {
            Ok(loaded) => views.push(View {
                id: "whatif",
                title: "What-if",
                html: compare(&loaded, &edited),
            }),
            Err(e) => views.push(View {
                id: "whatif",
                title: "What-if",
                html: format!(
                    "<p class=\"empty\">The scenario as loaded does not analyse: {}</p>",
                    escape(e.problems.first().map_or("", |p| p.message.as_str()))
                ),
            }),
        }
    }
    let compromise = edited
        .forecasts
        .iter()
        .find(|f| f.model == "compromise")
        .map(|f| {
            f.issues
                .iter()
                .map(|i| (i.issue.clone(), serde_json::json!(i.value)))
                .collect()
        })
        .unwrap_or_default();
    Ok(Json(ViewsResponse {
        views,
        notes: response.notes,
        warnings: response.warnings,
        compromise,
    }))
}

/// The views of a finished sweep or report job, for the "How sure" tab.
pub(crate) async fn job_views(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Json<ViewsResponse>, HttpError> {
    let response = finished(&state, id).await?;
    let report = match &response.result {
        AnalysisResult::Report(report) => report.clone(),
        AnalysisResult::Sweep(_) => {
            statecraft_api::sweep_report(&response).map_err(|e| HttpError::from_api(e, &state))?
        }
        _ => {
            return Err(HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_input",
                format!("job {id} is neither a sweep nor a report, so it has no views"),
            ))
        }
    };
    Ok(Json(ViewsResponse {
        views: group(&sections(&report, &state)?),
        notes: response.notes.clone(),
        warnings: response.warnings.clone(),
        compromise: serde_json::Map::new(),
    }))
}

fn show(value: Option<f64>) -> String {
    value.map_or_else(|| "—".into(), number)
}

fn differs(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() > 1e-9 * (1.0 + a.abs().max(b.abs())),
        (None, None) => false,
        _ => true,
    }
}

fn row(out: &mut String, cells: &[String], changed: bool) {
    let _ = write!(
        out,
        "<tr{}>",
        if changed { " class=\"changed\"" } else { "" }
    );
    for (i, c) in cells.iter().enumerate() {
        let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
        let close = if i == 0 { "th" } else { "td" };
        let _ = write!(out, "<{tag}>{}</{close}>", escape(c));
    }
    out.push_str("</tr>");
}

fn table(out: &mut String, caption: &str, header: &[&str]) {
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table class=\"compare\"><caption>{}</caption><thead><tr>",
        escape(caption)
    );
    for h in header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
}

const END: &str = "</tbody></table></div>";

/// The scenario as loaded next to the scenario as edited: the inputs that differ, then every
/// analysis's results, rows that changed marked `changed`.
fn compare(loaded: &Report, edited: &Report) -> String {
    let mut out = String::new();
    let mut changes = 0usize;
    let mut inputs = String::new();
    table(
        &mut inputs,
        "Inputs that differ",
        &["Actor", "Issue", "Value", "Loaded", "Edited"],
    );
    for e in &edited.scenario.actors {
        let l = loaded.scenario.actors.iter().find(|a| a.id == e.id);
        let before = l.map(|a| a.capability);
        if differs(before, Some(e.capability)) {
            changes += 1;
            row(
                &mut inputs,
                &[
                    e.name.clone(),
                    String::new(),
                    "capability".into(),
                    show(before),
                    number(e.capability),
                ],
                true,
            );
        }
    }
    for s in &edited.scenario.stances {
        let l = loaded
            .scenario
            .stances
            .iter()
            .find(|t| t.actor == s.actor && t.issue == s.issue);
        for (what, before, after) in [
            ("position", l.map(|t| t.position), s.position),
            ("salience", l.map(|t| t.salience), s.salience),
        ] {
            if differs(before, Some(after)) {
                changes += 1;
                row(
                    &mut inputs,
                    &[
                        edited.actor_name(&s.actor).to_owned(),
                        edited
                            .issue(&s.issue)
                            .map_or(s.issue.clone(), |i| i.label.clone()),
                        what.into(),
                        show(before),
                        number(after),
                    ],
                    true,
                );
            }
        }
    }
    inputs.push_str(END);
    if changes == 0 {
        out.push_str("<p>The edited scenario has the same actors, positions, saliences and capabilities as the one loaded (other edits, such as red lines, show in the results below).</p>");
    } else {
        let _ = write!(
            out,
            "<p>{changes} input value{} from the scenario as loaded.</p>{inputs}",
            if changes == 1 { " differs" } else { "s differ" }
        );
    }

    table(
        &mut out,
        "Forecasts: loaded and edited",
        &["Issue", "Model", "Loaded", "Edited"],
    );
    for f in &edited.forecasts {
        let before = loaded.forecasts.iter().find(|g| g.model == f.model);
        for v in &f.issues {
            let b = before
                .and_then(|g| g.issues.iter().find(|w| w.issue == v.issue))
                .and_then(|w| w.value);
            let label = edited
                .issue(&v.issue)
                .map_or(v.issue.clone(), |i| i.label.clone());
            row(
                &mut out,
                &[label, f.label.clone(), show(b), show(v.value)],
                differs(b, v.value),
            );
        }
    }
    out.push_str(END);

    table(
        &mut out,
        "6-0 or 5-1: loaded and edited",
        &["Question", "Loaded", "Edited"],
    );
    let yes_no = |c: Option<bool>| match c {
        Some(true) => "yes".to_owned(),
        Some(false) => "no".to_owned(),
        None => "—".to_owned(),
    };
    let (lc, ec) = (loaded.coalitions.as_ref(), edited.coalitions.as_ref());
    let (a, b) = (
        lc.map(|c| c.unanimous_possible),
        ec.map(|c| c.unanimous_possible),
    );
    row(
        &mut out,
        &[
            "Does some package make everyone better off?".into(),
            yes_no(a),
            yes_no(b),
        ],
        a != b,
    );
    let holdout = |r: &Report| {
        r.coalitions
            .as_ref()
            .and_then(|c| c.holdout.as_ref())
            .map_or("—".to_owned(), |h| r.actor_name(h).to_owned())
    };
    let (a, b) = (holdout(loaded), holdout(edited));
    row(
        &mut out,
        &[
            "Whose inclusion costs the others most".into(),
            a.clone(),
            b.clone(),
        ],
        a != b,
    );
    let gain =
        |c: Option<&statecraft_report::CoalitionSection>| c.and_then(|c| c.unanimous_min_gain);
    let (a, b) = (gain(lc), gain(ec));
    row(
        &mut out,
        &[
            "Least-satisfied actor's gain in the best package".into(),
            show(a),
            show(b),
        ],
        differs(a, b),
    );
    out.push_str(END);

    if let (Some(lp), Some(ep)) = (&loaded.power, &edited.power) {
        table(
            &mut out,
            "Voting power (Shapley-Shubik): loaded and edited",
            &["Actor", "Loaded", "Edited"],
        );
        for p in &ep.players {
            let b = lp
                .players
                .iter()
                .find(|q| q.actor == p.actor)
                .map(|q| q.shapley_shubik);
            row(
                &mut out,
                &[
                    edited.actor_name(&p.actor).to_owned(),
                    show(b),
                    number(p.shapley_shubik),
                ],
                differs(b, Some(p.shapley_shubik)),
            );
        }
        out.push_str(END);
    }
    if let (Some(ld), Some(ed)) = (&loaded.durability, &edited.durability) {
        let caption = format!(
            "Share of histories in which the agreement holds after {} years: loaded and edited",
            number(ed.years)
        );
        table(&mut out, &caption, &["Form", "Loaded", "Edited"]);
        for f in &ed.forms {
            let b = ld
                .forms
                .iter()
                .find(|g| g.form == f.form)
                .map(|g| g.survives_horizon);
            row(
                &mut out,
                &[f.label.clone(), show(b), number(f.survives_horizon)],
                differs(b, Some(f.survives_horizon)),
            );
        }
        out.push_str(END);
    }
    out
}
