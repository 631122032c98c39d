//! Issue 19, item 1: every chart of the report is laid out so that a person can read it, on the
//! built-in scenario (with a package whose durability chart has curves) and on a crowded one
//! (long labels, anchors at 3.67 and 5 on a 0..20 scale, a 10..10,200 scale, red lines, equal
//! actors): no two label boxes meet, the legend is outside the plot, equal series differ in
//! dash or marker and say "same as", every colour stands out on white, every anchor label is
//! shown in full (on the axis or in the key), and red lines are drawn and labelled. The checks
//! read the layout data the drawing follows, not pixels.

use std::path::Path;

use statecraft_core::durability::{default_forms, DurabilityParams};
use statecraft_core::models::bdm::{BdmParams, Variant};
use statecraft_core::scenario::Scenario;
use statecraft_report::{
    charts, contrast_on_white, Chart, DurabilityOptions, Kind, Rect, Report, ReportOptions,
    ScaleAxis, Swatch, SweepOptions, HEIGHT, PALETTE, WIDTH,
};

fn crowded() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../statecraft/tests/fixtures/crowded/iran-2015.toml");
    statecraft_io::load_path(&path, None)
        .unwrap_or_else(|e| panic!("the crowded fixture loads: {e:?}"))
        .scenario
}

fn built_in() -> Scenario {
    statecraft_io::load_builtin("six-party-2009")
        .expect("the default built-in scenario")
        .scenario
}

/// A report with every analysis; `package` names some issues' values (the rest at the status
/// quo), or `None` for the compromise forecast.
fn report(scenario: &Scenario, package: Option<&[(&str, f64)]>) -> Report {
    let compromise = Report::build(
        scenario,
        &ReportOptions {
            bdm: BdmParams::forecast(Variant::ScholzReference),
            durability: None,
            sweep: None,
            power_samples: 500,
            seed: 1,
            fitted: None,
        },
    );
    let values: Vec<f64> = scenario
        .issues()
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let named = package.and_then(|p| p.iter().find(|(id, _)| *id == issue.id));
            match (named, package) {
                (Some((_, v)), _) => *v,
                (None, Some(_)) => issue.status_quo.unwrap_or(issue.scale.min),
                (None, None) => compromise.forecasts[0].issues[k]
                    .value
                    .unwrap_or(issue.scale.min),
            }
        })
        .collect();
    let forms = if scenario.forms().is_empty() {
        default_forms()
    } else {
        scenario.forms().to_vec()
    };
    let options = ReportOptions {
        bdm: BdmParams::forecast(Variant::ScholzReference),
        durability: Some(DurabilityOptions {
            package: values,
            forms,
            params: DurabilityParams {
                years: 8.0,
                runs: 2000,
                seed: 1,
                step: 0.25,
                start: scenario.meta().date.expect("dated"),
            },
        }),
        sweep: Some(SweepOptions {
            runs: 40,
            uncertainty: 0.1,
            sensitivity: Some(8),
        }),
        power_samples: 500,
        seed: 1,
        fitted: None,
    };
    Report::build(scenario, &options)
}

/// The README's package tilted toward Pyongyang: its durability chart has curves.
const TILTED: &[(&str, f64)] = &[
    ("nuclear_status", 25.0),
    ("security_assurance", 70.0),
    ("agreement_form", 50.0),
    ("sanctions", 70.0),
    ("talks_format", 50.0),
];

/// Every chart of the reports the acceptance names, with the report's name.
fn every_chart() -> Vec<(&'static str, Chart)> {
    let mut out = Vec::new();
    for (name, report) in [
        ("built-in", report(&built_in(), None)),
        (
            "built-in, tilted package",
            report(&built_in(), Some(TILTED)),
        ),
        ("crowded", report(&crowded(), None)),
    ] {
        out.extend(charts(&report).into_iter().map(|c| (name, c)));
    }
    out
}

fn canvas() -> Rect {
    Rect::new(0, 0, WIDTH as i32, HEIGHT as i32)
}

fn axis_of(kind: &Kind) -> Option<&ScaleAxis> {
    match kind {
        Kind::Forecasts { axis, .. }
        | Kind::Rounds { axis, .. }
        | Kind::Acceptance { axis, .. }
        | Kind::Spread { axis, .. } => Some(axis),
        _ => None,
    }
}

#[test]
fn the_reports_have_every_kind_of_chart() {
    let all = every_chart();
    for prefix in [
        "forecast-",
        "rounds-",
        "turns-",
        "coalition-",
        "spread-",
        "tornado-",
        "durability",
        "power",
    ] {
        assert!(
            all.iter().any(|(_, c)| c.id.starts_with(prefix)),
            "no {prefix} chart: the checks below would not cover it"
        );
    }
}

#[test]
fn no_two_label_boxes_meet_and_all_are_on_the_canvas() {
    for (report, chart) in every_chart() {
        let layout = chart.layout();
        assert!(
            !layout.labels.is_empty(),
            "{report} {}: no labels",
            chart.id
        );
        for (i, a) in layout.labels.iter().enumerate() {
            assert!(
                a.rect.inside(&canvas()),
                "{report} {}: `{}` at {:?} is off the canvas",
                chart.id,
                a.text(),
                a.rect
            );
            for b in &layout.labels[i + 1..] {
                assert!(
                    !a.rect.intersects(&b.rect),
                    "{report} {}: `{}` {:?} meets `{}` {:?}",
                    chart.id,
                    a.text(),
                    a.rect,
                    b.text(),
                    b.rect
                );
            }
        }
    }
}

#[test]
fn the_legend_is_outside_the_plot_area() {
    let mut legends = 0;
    for (report, chart) in every_chart() {
        let layout = chart.layout();
        let Some(legend) = layout.legend else {
            assert!(
                layout.entries.is_empty(),
                "{}: entries without a box",
                chart.id
            );
            continue;
        };
        legends += 1;
        assert!(
            !legend.intersects(&layout.plot),
            "{report} {}: legend {legend:?} on the plot {:?}",
            chart.id,
            layout.plot
        );
        assert!(
            legend.inside(&canvas()),
            "{report} {}: legend off the canvas",
            chart.id
        );
        for entry in &layout.entries {
            assert!(
                entry.rect.inside(&legend),
                "{}: a swatch outside its legend",
                chart.id
            );
            assert!(
                layout.labels[entry.label].rect.inside(&legend),
                "{}: `{}` outside its legend",
                chart.id,
                layout.labels[entry.label].text()
            );
        }
    }
    assert!(legends > 10, "only {legends} charts have a legend");
}

#[test]
fn equal_series_differ_in_dash_or_marker_and_say_so() {
    let mut equal_pairs = 0;
    for (report, chart) in every_chart() {
        let (values, span): (Vec<Vec<f64>>, f64) = match &chart.kind {
            Kind::Rounds {
                axis,
                series,
                highlighted,
                ..
            } => (
                series
                    .iter()
                    .zip(highlighted)
                    .filter(|(_, &h)| h)
                    .map(|(s, _)| s.1.clone())
                    .collect(),
                axis.max - axis.min,
            ),
            Kind::Survival { series, .. } => (
                series
                    .iter()
                    .map(|s| s.1.iter().map(|p| p.1).collect())
                    .collect(),
                1.0,
            ),
            _ => continue,
        };
        let layout = chart.layout();
        assert_eq!(
            layout.series.len(),
            values.len(),
            "{}: a style per series",
            chart.id
        );
        for b in 0..values.len() {
            for a in 0..b {
                let (sa, sb) = (&layout.series[a], &layout.series[b]);
                let equal = values[a]
                    .iter()
                    .zip(&values[b])
                    .all(|(p, q)| (p - q).abs() <= 1e-9 * span);
                if equal {
                    equal_pairs += 1;
                    assert!(
                        sa.dash != sb.dash || sa.marker != sb.marker,
                        "{report} {}: {} and {} are equal and drawn alike",
                        chart.id,
                        sa.name,
                        sb.name
                    );
                    let said = sb.same_as.as_ref().expect("an equal series says so");
                    let legend: Vec<String> = layout.labels.iter().map(|l| l.text()).collect();
                    assert!(
                        legend
                            .iter()
                            .any(|t| t.contains(&format!("same as {said}"))),
                        "{}: the legend does not say {} is the same as {said}",
                        chart.id,
                        sb.name
                    );
                }
            }
        }
    }
    // The crowded fixture's United Kingdom and France take the same positions throughout.
    assert!(
        equal_pairs > 0,
        "no equal series: the check was not exercised"
    );
}

#[test]
fn every_colour_has_contrast_of_3_to_1_on_white() {
    for (report, chart) in every_chart() {
        for colour in chart.layout().colours() {
            let ratio = contrast_on_white(colour);
            assert!(
                ratio >= 3.0,
                "{report} {}: colour {colour:?} has contrast {ratio:.2}",
                chart.id
            );
        }
    }
}

#[test]
fn every_palette_colour_has_contrast_of_3_to_1_on_white() {
    // The scenarios above name at most seven series; a chart with eight takes the last colour.
    for colour in PALETTE {
        let ratio = contrast_on_white(colour);
        assert!(
            ratio >= 3.0,
            "palette colour {colour:?} has contrast {ratio:.2}"
        );
    }
}

#[test]
fn anchor_labels_are_shown_in_full_on_the_axis_or_in_the_key() {
    for (report, chart) in every_chart() {
        let Some(axis) = axis_of(&chart.kind) else {
            continue;
        };
        let text: Vec<String> = chart.layout().labels.iter().map(|l| l.text()).collect();
        for (_, anchor) in &axis.anchors {
            assert!(
                text.iter().any(|t| t.contains(anchor.as_str())),
                "{report} {}: `{anchor}` is not shown in full",
                chart.id
            );
        }
    }
}

#[test]
fn every_rounds_chart_labels_its_start() {
    // A label of the scale at the plot's bottom once pushed the first step's label out.
    for (report, chart) in every_chart() {
        if let Kind::Rounds { step, .. } = &chart.kind {
            let layout = chart.layout();
            let texts: Vec<String> = layout.labels.iter().map(|l| l.text()).collect();
            assert!(
                texts.iter().any(|t| t == "start") && texts.iter().any(|t| t == step),
                "{report} {}: {texts:?}",
                chart.id
            );
        }
    }
}

#[test]
fn axis_numbers_follow_the_scale() {
    let report = report(&crowded(), None);
    let all = charts(&report);
    let texts = |id: &str| -> Vec<String> {
        let chart = all.iter().find(|c| c.id == id).expect("the chart");
        chart.layout().labels.iter().map(|l| l.text()).collect()
    };
    let centrifuges = texts("forecast-centrifuges");
    assert!(centrifuges.iter().any(|t| t == "10,200"), "{centrifuges:?}");
    let enrichment = texts("forecast-enrichment");
    for number in ["0", "3.67", "5", "20"] {
        assert!(
            enrichment.iter().any(|t| t == number),
            "{number} in {enrichment:?}"
        );
    }
}

#[test]
fn red_lines_are_drawn_and_labelled_on_their_issue_charts() {
    let report = report(&crowded(), None);
    for chart in charts(&report) {
        let Some(axis) = axis_of(&chart.kind) else {
            continue;
        };
        let issue = chart.id.split_once('-').map_or("", |(_, i)| i);
        let expected = match issue {
            "enrichment" => Some("United States of America (the Obama administration)"),
            "centrifuges" => Some("Islamic Republic of Iran (the Rouhani government)"),
            _ => None,
        };
        let layout = chart.layout();
        let hatched: Vec<String> = layout
            .entries
            .iter()
            .filter(|e| matches!(e.swatch, Swatch::Hatch { .. }))
            .map(|e| layout.labels[e.label].text())
            .collect();
        match expected {
            Some(actor) => {
                assert_eq!(axis.red_lines.len(), 1, "{}", chart.id);
                assert_eq!(hatched.len(), 1, "{}: {hatched:?}", chart.id);
                assert!(
                    hatched[0].starts_with(&format!("{actor}'s red line")),
                    "{}: {}",
                    chart.id,
                    hatched[0]
                );
            }
            None => assert!(hatched.is_empty(), "{}: {hatched:?}", chart.id),
        }
    }
}
