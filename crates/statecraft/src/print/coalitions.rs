//! The 6-0 / 5-1 analysis printed: as a briefing, or one CSV row per package and value.

use statecraft_api::CoalitionsResult;
use statecraft_core::coalitions::{CoalitionAnalysis, Package, Shape, GAIN_TOLERANCE};
use statecraft_core::red_lines;
use statecraft_core::scenario::Scenario;

use super::{name, on_issue, on_scale, red_line_cell, RED_LINE_MARK};
use crate::cli::OutputFormat;
use crate::Failure;

/// Prints the analysis in `format`.
pub(crate) fn print(
    scenario: &Scenario,
    result: &CoalitionsResult,
    format: OutputFormat,
) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => super::json(result)?,
        OutputFormat::Csv => csv(scenario, &result.analysis)?,
        OutputFormat::Table => super::for_people(&briefing(scenario, &result.analysis)),
    };
    super::write_out(&text)
}

/// Every package of the analysis: (name, members, package).
fn packages(analysis: &CoalitionAnalysis) -> Vec<(String, String, &Package)> {
    let mut out = Vec::new();
    if let Some(p) = &analysis.unanimous {
        out.push(("unanimous".into(), analysis.actors.join(" "), p));
    }
    if let Some(p) = &analysis.nash {
        out.push(("nash".into(), analysis.actors.join(" "), p));
    }
    for (n, c) in analysis.coalitions.iter().enumerate() {
        out.push((
            format!("coalition-{}", n + 1),
            c.members.join(" "),
            &c.package,
        ));
    }
    if let Some(b) = &analysis.blame {
        out.push((
            "most-generous-to-holdout".into(),
            b.holdout.clone(),
            &b.most_generous,
        ));
        if let Some(p) = &b.to_bring_in {
            out.push(("to-bring-in-holdout".into(), b.holdout.clone(), p));
        }
    }
    out
}

/// One row per package and issue value or actor gain.
/// `id` is an issue's id for a value, an actor's for a gain; `label` is its label or name.
fn csv(scenario: &Scenario, analysis: &CoalitionAnalysis) -> Result<String, Failure> {
    let mut rows: Vec<[String; 7]> = Vec::new();
    for (name, members, p) in packages(analysis) {
        for (issue, v) in scenario.issues().iter().zip(&p.values) {
            let flags: Vec<_> = p
                .red_lines
                .iter()
                .filter(|f| f.issue == issue.id)
                .cloned()
                .collect();
            rows.push([
                name.to_string(),
                members.to_string(),
                "value".into(),
                issue.id.clone(),
                v.to_string(),
                red_line_cell(&flags),
                issue.label.clone(),
            ]);
        }
        for (actor, g) in analysis.actors.iter().zip(&p.net_gains) {
            rows.push([
                name.to_string(),
                members.to_string(),
                "net_gain".into(),
                actor.clone(),
                g.to_string(),
                String::new(),
                super::name(scenario, actor).to_owned(),
            ]);
        }
    }
    super::csv_text(
        &[
            "package",
            "members",
            "kind",
            "id",
            "value",
            "red_lines",
            "label",
        ],
        rows,
    )
}

/// "nuclear_status 18.8, sanctions 55" with the anchor nearest each value, and the red lines a
/// value falls inside.
fn describe(scenario: &Scenario, package: &Package) -> String {
    scenario
        .issues()
        .iter()
        .zip(&package.values)
        .enumerate()
        .map(|(k, (issue, &v))| {
            let beside = red_lines::beside_words(scenario, k, v)
                .map(|words| format!(", {words}"))
                .unwrap_or_default();
            let anchor = issue
                .nearest_anchor(v)
                .map(|a| format!(" (\"{}\")", a.label))
                .unwrap_or_default();
            let inside: Vec<String> = package
                .red_lines
                .iter()
                .filter(|f| f.issue == issue.id)
                .map(|f| f.describe())
                .collect();
            let red = if inside.is_empty() {
                String::new()
            } else {
                format!(" {RED_LINE_MARK} inside {}", inside.join(", "))
            };
            format!(
                "    {}: {}{anchor}{beside}{red}",
                issue.id,
                on_issue(issue, v)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The width of the scale of the issue `id` (100 when the scenario has no such issue).
fn scale_of(scenario: &Scenario, id: &str) -> f64 {
    scenario
        .issue_index(id)
        .map_or(100.0, |i| scenario.issues()[i].scale.range())
}

/// The analysis in words, to paste into a briefing.
fn briefing(scenario: &Scenario, analysis: &CoalitionAnalysis) -> String {
    let n = analysis.actors.len();
    let mut out = String::new();
    if let Some(title) = &scenario.meta().title {
        out.push_str(&format!("{title}\n"));
    }
    let shape = match analysis.shape {
        Shape::Linear => "linear",
        Shape::Quadratic => "quadratic",
    };
    out.push_str(&format!(
        "Who would agree to what ({shape} losses; an actor accepts a package that beats the status quo by more than its margin and crosses none of its red lines).\n\n"
    ));
    out.push_str("One issue at a time, the others left at the status quo:\n");
    for (k, w) in analysis.issue_win_sets.iter().enumerate() {
        let text = if w.intervals.is_empty() {
            "no value that all accept".to_string()
        } else {
            w.intervals
                .iter()
                .map(|iv| red_lines::range_words(scenario, k, iv.lo, iv.hi))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("  {}: {text}\n", w.issue));
    }
    out.push_str("\nAll issues together:\n");
    if let Some(p) = &analysis.unanimous {
        let weakest = names(scenario, &p.least_satisfied);
        let who = if p.least_satisfied.len() == 1 {
            format!("{weakest}, who gains")
        } else {
            format!("tied: {weakest}, who each gain")
        };
        out.push_str(&format!(
            "  {n}-0 is possible. The package that does best by the least satisfied ({who} {:.3}):\n{}\n",
            p.min_gain,
            describe(scenario, p)
        ));
        if let Some(nash) = &analysis.nash {
            out.push_str(&format!(
                "  The Nash bargaining point inside the win-set (the most capability-weighted log-gain):\n{}\n",
                describe(scenario, nash)
            ));
        }
        out.push_str("  Values every actor accepts span, issue by issue:\n");
        for (k, (issue, extent)) in scenario
            .issues()
            .iter()
            .zip(&analysis.unanimous_extent)
            .enumerate()
        {
            if let Some(iv) = extent {
                out.push_str(&format!(
                    "    {}: {}\n",
                    issue.id,
                    red_lines::range_words(scenario, k, iv.lo, iv.hi)
                ));
            }
        }
    } else {
        out.push_str(&format!(
            "  {n}-0 is out of reach: no package is preferred to the status quo by every actor.\n"
        ));
        match analysis.coalitions.first() {
            None => out.push_str("  No coalition of two or more can agree either.\n"),
            Some(best) => {
                let k = best.members.len();
                out.push_str(&format!(
                    "  {k}-{} is the best: {} coalition(s) of {k} can agree.\n",
                    n - k,
                    analysis.coalitions.len()
                ));
                for c in &analysis.coalitions {
                    let left_out: Vec<&str> =
                        c.outsiders.iter().map(|o| name(scenario, o)).collect();
                    out.push_str(&format!(
                        "  - without {} ({:.0}% of capability in the coalition; smallest gain {:.3})\n",
                        left_out.join(", "),
                        100.0 * c.capability_share,
                        c.package.min_gain
                    ));
                }
                out.push_str(&format!(
                    "  The best coalition's package:\n{}\n",
                    describe(scenario, &best.package)
                ));
            }
        }
    }
    if let (Some(b), Some(unanimous), Some(without)) = (
        &analysis.blame,
        &analysis.unanimous,
        analysis.coalitions.first(),
    ) {
        let holdout = name(scenario, &b.holdout);
        let whose = if b.holdouts.len() > 1 {
            format!(
                "Tied as the actor whose inclusion costs the others most: {} (below, {holdout})",
                names(scenario, &b.holdouts)
            )
        } else {
            format!("The actor whose inclusion costs the others most is {holdout}")
        };
        out.push_str(&format!(
            "\nNo one is isolated. {whose}: without it, the others' smallest gain would be {:.3} instead of {:.3}.\n",
            without.package.min_gain, unanimous.min_gain
        ));
        out.push_str(&format!(
            "  The best {}-1 package, without {holdout}:\n{}\n",
            n - 1,
            describe(scenario, &without.package)
        ));
        out.push_str(&format!(
            "  The most the others would give {holdout} without any of them losing ({holdout} would gain {:.3}):\n{}\n",
            b.holdout_net_gain,
            describe(scenario, &b.most_generous)
        ));
    } else if let Some(b) = &analysis.blame {
        let holdout = name(scenario, &b.holdout);
        if b.holdouts.len() > 1 {
            out.push_str(&format!(
                "\nIsolation: tied between {} (the same capability share and smallest gain); below, {holdout}.\n",
                names(scenario, &b.holdouts)
            ));
        } else {
            out.push_str(&format!("\nIsolation: {holdout}.\n"));
        }
        let verdict = match &b.red_line {
            Some(issue) => format!(
                "it crosses {holdout}'s red line on {issue}, and its gain there is {:.3}",
                b.holdout_net_gain
            ),
            None if b.holdout_net_gain < -GAIN_TOLERANCE => format!(
                "it still leaves {holdout} {:.3} short of preferring it to the status quo",
                -b.holdout_net_gain
            ),
            None if b.holdout_net_gain <= GAIN_TOLERANCE => format!(
                "{holdout} would gain nothing by it: the two sides meet exactly at its acceptance boundary"
            ),
            None => format!("{holdout} would gain {:.3}", b.holdout_net_gain),
        };
        out.push_str(&format!(
            "  The most the others would give {holdout} without any of them losing:\n{}\n  and {verdict}.\n",
            describe(scenario, &b.most_generous)
        ));
        out.push_str("  Issue by issue, moving that issue alone toward its position:\n");
        for gap in &b.issues {
            let span = scale_of(scenario, &gap.issue);
            let fmt_value = |v: f64| on_scale(v, span);
            let text = match (gap.holdout_position, gap.move_needed) {
                (None, _) => "it takes no position".to_string(),
                (Some(p), Some(m)) if m < 0.005 => {
                    format!(
                        "the slightest move toward {} would bring it in",
                        fmt_value(p)
                    )
                }
                (Some(p), Some(m)) => format!(
                    "{} points toward {} would bring it in",
                    fmt_value(m),
                    fmt_value(p)
                ),
                (Some(p), None) => {
                    format!(
                        "not enough alone, even at its own position {}",
                        fmt_value(p)
                    )
                }
            };
            out.push_str(&format!("    {}: {text}\n", gap.issue));
        }
        match &b.to_bring_in {
            None => out.push_str(&format!(
                "  No package that {holdout} accepts exists within the others' red lines: the failure rests on {holdout}.\n"
            )),
            Some(p) if b.sacrifices.is_empty() && p.min_gain > GAIN_TOLERANCE => out.push_str(&format!(
                "  A package that {holdout} accepts would still leave every other actor better off (smallest gain {:.3}).\n",
                p.min_gain
            )),
            Some(_) if b.sacrifices.is_empty() => out.push_str(&format!(
                "  The best package that {holdout} accepts leaves the others no better off than the status quo: there is no margin on either side.\n"
            )),
            Some(_) => {
                let losses: Vec<String> = b
                    .sacrifices
                    .iter()
                    .map(|(a, loss)| format!("{} {:.3}", name(scenario, a), loss))
                    .collect();
                out.push_str(&format!(
                    "  To bring {holdout} in, the others would have to accept losses against the status quo: {}.\n",
                    losses.join(", ")
                ));
            }
        }
    }
    for note in &analysis.notes {
        out.push_str(&format!("\nnote: {note}\n"));
    }
    out
}

/// Actors' names as a list: `South Korea`, `Japan and China`, `Japan, China and Russia`.
fn names(scenario: &Scenario, ids: &[String]) -> String {
    let names: Vec<&str> = ids.iter().map(|id| name(scenario, id)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
