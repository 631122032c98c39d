//! Every chart kind laid out (see `layout.rs`) and then drawn in pixels by plotters, to SVG or
//! PNG alike: the layout decides where each piece of text and the legend go, the drawing only
//! follows it, so what the tests check is what a reader sees.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use statecraft_core::coalitions::Interval;
use statecraft_core::text::on_scale;

use crate::charts::{Chart, Kind, ScaleAxis, HEIGHT, PALETTE, WIDTH};
use crate::layout::{
    line_height, lines_size, text_width, wrap, Align, Dash, Label, Layout, LegendEntry, Marker,
    Placer, Rect, SeriesStyle, Swatch, FONT, GAP,
};

const W: i32 = WIDTH as i32;
const H: i32 = HEIGHT as i32;
const MARGIN: i32 = 24;
const TITLE: u32 = 28;
const TEXT: u32 = 19;
const SMALL: u32 = 16;
/// Widest text of a legend entry before it wraps.
const LEGEND_TEXT: i32 = 230;
/// Widest row or tick label on the left before it wraps.
const LEFT_TEXT: i32 = 290;
/// Widest anchor label under a horizontal axis before it wraps.
const ANCHOR_TEXT: i32 = 210;

/// Text.
pub(crate) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
/// Secondary text, the status quo, greyed series.
pub(crate) const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Grid lines and frames (not an ink: nothing is read from them).
const RULE: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Red lines: hatching and their legend.
pub(crate) const RED_LINE: RGBColor = RGBColor(0xB2, 0x18, 0x2B);
/// The win-set's tint.
const WIN_SET: RGBColor = RGBColor(0x00, 0x9E, 0x73);

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
struct Map {
    lo: f64,
    hi: f64,
    p0: i32,
    p1: i32,
}

impl Map {
    fn at(&self, v: f64) -> i32 {
        let share = if self.hi > self.lo {
            (v - self.lo) / (self.hi - self.lo)
        } else {
            0.5
        };
        self.p0 + (share * f64::from(self.p1 - self.p0)).round() as i32
    }
}

fn x_map(layout: &Layout) -> Map {
    Map {
        lo: layout.x_range.0,
        hi: layout.x_range.1,
        p0: layout.plot.x,
        p1: layout.plot.right() - 1,
    }
}

fn y_map(layout: &Layout) -> Map {
    Map {
        lo: layout.y_range.0,
        hi: layout.y_range.1,
        p0: layout.plot.bottom() - 1,
        p1: layout.plot.y,
    }
}

/// A tick of an axis: where, its number, and the anchor's label if any.
struct Tick {
    value: f64,
    number: String,
    name: Option<String>,
}

fn scale_ticks(axis: &ScaleAxis) -> Vec<Tick> {
    let span = axis.max - axis.min;
    if axis.anchors.is_empty() {
        nice_ticks(axis.min, axis.max)
            .into_iter()
            .map(|v| Tick {
                value: v,
                number: on_scale(v, span),
                name: None,
            })
            .collect()
    } else {
        axis.anchors
            .iter()
            .map(|(v, name)| Tick {
                value: *v,
                number: on_scale(*v, span),
                name: Some(name.clone()),
            })
            .collect()
    }
}

/// Round-numbered ticks from `lo` to `hi`, about five.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return vec![lo];
    }
    let raw = span / 5.0;
    let decade = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * decade);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut k = 0.0;
    while first + k * step <= hi + 1e-9 * span {
        out.push(first + k * step);
        k += 1.0;
    }
    out
}

/// The chart's text so far, its legend and the room left for the plot.
struct Frame {
    placer: Placer,
    entries: Vec<LegendEntry>,
    legend: Option<Rect>,
    /// Below the title.
    top: i32,
    /// Right edge of the plot (left of the legend).
    right: i32,
}

fn frame(title: &str, legend: Vec<(Swatch, String)>) -> Frame {
    let mut placer = Placer::default();
    let mut lines = wrap(title, TITLE, W - 2 * MARGIN);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(crate::layout::fit(&rest, TITLE, W - 2 * MARGIN));
    }
    let (w, h) = lines_size(&lines, TITLE);
    placer.place(
        lines,
        TITLE,
        INK,
        Rect::new((W - w) / 2, MARGIN / 2, w, h),
        Align::Centre,
    );
    let top = MARGIN / 2 + h + 14;
    let mut entries = Vec::new();
    let mut right = W - MARGIN;
    let mut legend_rect = None;
    if !legend.is_empty() {
        let texts: Vec<Vec<String>> = legend
            .iter()
            .map(|(_, t)| wrap(t, SMALL, LEGEND_TEXT))
            .collect();
        let text_w = texts
            .iter()
            .map(|l| lines_size(l, SMALL).0)
            .max()
            .unwrap_or(0);
        let box_w = 10 + 36 + 8 + text_w + 10;
        let x = W - MARGIN - box_w;
        let mut y = top + 8;
        for ((swatch, _), lines) in legend.into_iter().zip(texts) {
            let (tw, th) = lines_size(&lines, SMALL);
            let row_h = th.max(20);
            let label = placer.place(
                lines,
                SMALL,
                INK,
                Rect::new(x + 54, y + (row_h - th) / 2, tw, th),
                Align::Left,
            );
            entries.push(LegendEntry {
                swatch,
                rect: Rect::new(x + 10, y + row_h / 2 - 8, 36, 16),
                label,
            });
            y += row_h + 6;
        }
        let rect = Rect::new(x, top, box_w, y - top + 2);
        placer.block(rect);
        legend_rect = Some(rect);
        right = x - 24;
    }
    Frame {
        placer,
        entries,
        legend: legend_rect,
        top,
        right,
    }
}

/// Space between the plot and the first row of labels under it: half a line, so that a label of
/// the vertical axis centred on the plot's bottom edge stays clear of them.
const ROW_GAP: i32 = 14;

/// Labels under a horizontal axis, planned in rows before the plot's height is known.
struct Bottom {
    /// (lines, size, x, width, height, row) with rows counted from the axis down.
    items: Vec<(Vec<String>, u32, i32, i32, i32, usize)>,
    /// Height of each row.
    rows: Vec<i32>,
    /// The axis title, wrapped.
    title: Vec<String>,
    /// Anchors whose labels did not fit: "value: label".
    key: Vec<String>,
}

impl Bottom {
    fn height(&self) -> i32 {
        let rows: i32 = self.rows.iter().sum::<i32>() + ROW_GAP;
        let title = if self.title.is_empty() {
            0
        } else {
            lines_size(&self.title, TEXT).1 + 6
        };
        rows + title + key_height(&self.key)
    }
}

fn key_lines(key: &[String]) -> Vec<Vec<String>> {
    key.iter().map(|k| wrap(k, SMALL, W - 2 * MARGIN)).collect()
}

fn key_height(key: &[String]) -> i32 {
    key_lines(key)
        .iter()
        .map(|l| lines_size(l, SMALL).1 + 2)
        .sum::<i32>()
        + if key.is_empty() { 0 } else { 4 }
}

/// Finds the first of `max_rows` rows in which `[x, x + w)` meets nothing.
fn free_row(rows: &mut Vec<Vec<(i32, i32)>>, max_rows: usize, x: i32, w: i32) -> Option<usize> {
    for r in 0..max_rows {
        if rows.len() <= r {
            rows.push(Vec::new());
        }
        if rows[r]
            .iter()
            .all(|&(a, b)| x + w + GAP <= a || b + GAP <= x)
        {
            rows[r].push((x, x + w));
            return Some(r);
        }
    }
    None
}

/// Plans the labels of `ticks` under a horizontal axis from `x0` to `x1` (`at` maps a value to
/// its pixel): numbers in up to two staggered rows, then anchor labels, wrapped, in up to three;
/// what fits in none (or needs more than three lines) goes into the key.
fn plan_bottom(
    ticks: &[Tick],
    at: impl Fn(f64) -> i32,
    limits: (i32, i32),
    title: &str,
    title_width: i32,
) -> Bottom {
    let mut items = Vec::new();
    let mut key = Vec::new();
    let mut number_rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut name_rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let clamp = |x: i32, w: i32| x.clamp(limits.0, (limits.1 - w).max(limits.0));
    let mut named = Vec::new();
    for t in ticks {
        let w = text_width(&t.number, TEXT);
        let x = clamp(at(t.value) - w / 2, w);
        let shown = match free_row(&mut number_rows, 2, x, w) {
            Some(r) => {
                items.push((vec![t.number.clone()], TEXT, x, w, line_height(TEXT), r));
                true
            }
            None => false,
        };
        if let Some(name) = &t.name {
            named.push((t, name, shown));
        }
    }
    let n_number_rows = number_rows.iter().filter(|r| !r.is_empty()).count().max(1);
    for (t, name, shown) in named {
        let lines = wrap(name, SMALL, ANCHOR_TEXT);
        let (w, h) = lines_size(&lines, SMALL);
        let x = clamp(at(t.value) - w / 2, w);
        let row = if lines.len() <= 3 && shown {
            free_row(&mut name_rows, 3, x, w)
        } else {
            None
        };
        match row {
            Some(r) => items.push((lines, SMALL, x, w, h, n_number_rows + r)),
            None => key.push(format!("{}: {name}", t.number)),
        }
    }
    let n_name_rows = name_rows.iter().filter(|r| !r.is_empty()).count();
    let mut rows = vec![line_height(TEXT); n_number_rows];
    for r in 0..n_name_rows {
        let h = items
            .iter()
            .filter(|i| i.5 == n_number_rows + r)
            .map(|i| i.4)
            .max()
            .unwrap_or(0);
        rows.push(h + 4);
    }
    Bottom {
        items,
        rows,
        title: if title.is_empty() {
            Vec::new()
        } else {
            wrap(title, TEXT, title_width)
        },
        key,
    }
}

/// Places a planned bottom under `plot`; returns the labels' bottom edge.
fn place_bottom(placer: &mut Placer, bottom: &Bottom, plot: &Rect) -> i32 {
    let row_top = |r: usize| plot.bottom() + ROW_GAP + bottom.rows[..r].iter().sum::<i32>();
    for (lines, size, x, w, h, row) in &bottom.items {
        let colour = if *size == SMALL { MUTED } else { INK };
        // Rows are disjoint by construction; a box that still meets one is left out.
        placer.try_place(
            lines.clone(),
            *size,
            colour,
            Rect::new(*x, row_top(*row), *w, *h),
            Align::Centre,
        );
    }
    let mut y = row_top(bottom.rows.len()) + 6;
    if !bottom.title.is_empty() {
        let (w, h) = lines_size(&bottom.title, TEXT);
        placer.try_place(
            bottom.title.clone(),
            TEXT,
            INK,
            Rect::new(plot.x + (plot.w - w) / 2, y, w, h),
            Align::Centre,
        );
        y += h + 6;
    }
    place_key(placer, &bottom.key, y)
}

fn place_key(placer: &mut Placer, key: &[String], mut y: i32) -> i32 {
    if key.is_empty() {
        return y;
    }
    y += 4;
    for lines in key_lines(key) {
        let (w, h) = lines_size(&lines, SMALL);
        placer.try_place(lines, SMALL, MUTED, Rect::new(MARGIN, y, w, h), Align::Left);
        y += h + 2;
    }
    y
}

/// The legend entries of an issue chart's status quo and red lines.
fn scale_entries(axis: &ScaleAxis) -> Vec<(Swatch, String)> {
    let span = axis.max - axis.min;
    let mut out = Vec::new();
    if let Some(sq) = axis.status_quo {
        out.push((
            Swatch::Line {
                colour: MUTED,
                width: 2,
                dash: Dash::Short,
                marker: None,
            },
            format!("status quo {}", on_scale(sq, span)),
        ));
    }
    for (actor, lo, hi) in &axis.red_lines {
        out.push((
            Swatch::Hatch { colour: RED_LINE },
            format!(
                "{actor}'s red line: {}–{}",
                on_scale(*lo, span),
                on_scale(*hi, span)
            ),
        ));
    }
    out
}

/// Lays out a chart whose rows are categories, listed top to bottom, against a horizontal axis.
fn rows_layout(
    title: &str,
    rows: &[String],
    ticks: &[Tick],
    x_range: (f64, f64),
    x_title: &str,
    legend: Vec<(Swatch, String)>,
) -> (Layout, Frame) {
    let mut f = frame(title, legend);
    let n = rows.len().max(1);
    let guess = (560.0 / n as f64).clamp(9.0, f64::from(TEXT)) as u32;
    let left = rows
        .iter()
        .map(|r| text_width(r, guess))
        .max()
        .unwrap_or(40)
        .min(LEFT_TEXT)
        + 14;
    let x0 = MARGIN + left;
    let map = Map {
        lo: x_range.0,
        hi: x_range.1,
        p0: x0,
        p1: f.right - 1,
    };
    let bottom = plan_bottom(
        ticks,
        |v| map.at(v),
        (MARGIN, f.right + 16),
        x_title,
        f.right - x0,
    );
    let plot_top = f.top + 8;
    let plot_bottom = H - MARGIN / 2 - bottom.height();
    let plot = Rect::new(x0, plot_top, f.right - x0, plot_bottom - plot_top);
    place_bottom(&mut f.placer, &bottom, &plot);
    // Row labels: wrapped to the left margin, smaller as rows crowd in, cut only when even two
    // lines at the smallest size do not fit a row.
    let pitch = f64::from(plot.h) / n as f64;
    let size = ((pitch * 0.55).clamp(9.0, f64::from(TEXT))) as u32;
    for (i, row) in rows.iter().enumerate() {
        let max_lines = ((pitch - 2.0) / f64::from(line_height(size)))
            .floor()
            .max(1.0) as usize;
        let mut lines = wrap(row, size, LEFT_TEXT);
        if lines.len() > max_lines {
            let rest = lines[max_lines - 1..].join(" ");
            lines.truncate(max_lines - 1);
            lines.push(crate::layout::fit(&rest, size, LEFT_TEXT));
        }
        let (w, h) = lines_size(&lines, size);
        let centre = plot.y as f64 + pitch * (i as f64 + 0.5);
        f.placer.try_place(
            lines,
            size,
            INK,
            Rect::new(
                x0 - 10 - w,
                (centre - f64::from(h) / 2.0).round() as i32,
                w,
                h,
            ),
            Align::Right,
        );
    }
    let layout = Layout {
        plot,
        labels: Vec::new(),
        legend: f.legend,
        entries: Vec::new(),
        series: Vec::new(),
        inks: Vec::new(),
        x_grid: ticks.iter().map(|t| t.value).collect(),
        y_grid: Vec::new(),
        x_range,
        y_range: (-0.5, n as f64 - 0.5),
    };
    (layout, f)
}

fn finish(mut layout: Layout, f: Frame) -> Layout {
    layout.labels = f.placer.labels;
    layout.entries = f.entries;
    layout
}

/// The row of value `i` of `n` listed top to bottom, as a y value.
fn row_value(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// Styles of named series: colour, dash and marker all cycle, with periods 8, 4 and 5, so that
/// no two of the first 20 share both dash and marker; a series equal to an earlier one (within
/// `1e-9` of `span` at every point) says so.
fn series_styles(series: &[(&str, Vec<f64>)], span: f64) -> Vec<SeriesStyle> {
    let tolerance = 1e-9 * span.abs().max(1e-300);
    series
        .iter()
        .enumerate()
        .map(|(a, (name, values))| SeriesStyle {
            name: (*name).to_owned(),
            colour: PALETTE[a % PALETTE.len()],
            dash: Dash::ALL[a % Dash::ALL.len()],
            marker: Marker::ALL[a % Marker::ALL.len()],
            same_as: series[..a]
                .iter()
                .find(|(_, other)| {
                    other.len() == values.len()
                        && other
                            .iter()
                            .zip(values)
                            .all(|(p, q)| (p - q).abs() <= tolerance)
                })
                .map(|(other, _)| (*other).to_owned()),
        })
        .collect()
}

fn series_entry(style: &SeriesStyle) -> (Swatch, String) {
    (
        Swatch::Line {
            colour: style.colour,
            width: 3,
            dash: style.dash,
            marker: Some(style.marker),
        },
        match &style.same_as {
            Some(other) => format!("{} (same as {other})", style.name),
            None => style.name.clone(),
        },
    )
}

impl Chart {
    /// Where everything of the chart goes: plot area, every label's box, the legend and the
    /// styles of its series.
    pub fn layout(&self) -> Layout {
        match &self.kind {
            Kind::Forecasts { axis, rows } => {
                let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
                scale_rows_layout(&self.title, axis, &names, Vec::new(), |layout, f| {
                    let (xm, ym) = (x_map(layout), y_map(layout));
                    let n = rows.len();
                    for (i, (_, value)) in rows.iter().enumerate() {
                        let y = ym.at(row_value(i, n));
                        let text = match value {
                            Some(v) => on_scale(*v, axis.max - axis.min),
                            None => "no forecast".into(),
                        };
                        let (w, h) = lines_size(std::slice::from_ref(&text), SMALL);
                        let x = match value {
                            Some(v) => {
                                let right = (layout.plot.right() - w).max(layout.plot.x);
                                (xm.at(*v) - w / 2).clamp(layout.plot.x, right)
                            }
                            None => layout.plot.x + 6,
                        };
                        f.placer.try_place(
                            vec![text],
                            SMALL,
                            INK,
                            Rect::new(x, y - 12 - h, w, h),
                            Align::Centre,
                        );
                        layout.inks.push(PALETTE[i % PALETTE.len()]);
                    }
                })
            }
            Kind::Spread { axis, rows } => {
                let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
                let legend = vec![
                    (
                        Swatch::Fill {
                            colour: PALETTE[0],
                            opacity: 0.35,
                        },
                        "middle half (25%–75%); whiskers 5%–95%".to_owned(),
                    ),
                    (
                        Swatch::Line {
                            colour: INK,
                            width: 3,
                            dash: Dash::Solid,
                            marker: None,
                        },
                        "median".to_owned(),
                    ),
                    (
                        Swatch::Mark {
                            colour: INK,
                            marker: Marker::Circle,
                        },
                        "mean".to_owned(),
                    ),
                ];
                scale_rows_layout(&self.title, axis, &names, legend, |layout, _| {
                    layout
                        .inks
                        .extend((0..rows.len()).map(|i| PALETTE[i % PALETTE.len()]));
                })
            }
            Kind::Acceptance { axis, rows, .. } => {
                let names: Vec<String> = rows
                    .iter()
                    .map(|(a, _, _, hold)| {
                        if *hold {
                            format!("{a} (holdout)")
                        } else {
                            a.clone()
                        }
                    })
                    .collect();
                let mut legend = vec![(
                    Swatch::Fill {
                        colour: PALETTE[0],
                        opacity: 0.6,
                    },
                    "acceptable to the actor".to_owned(),
                )];
                if rows.iter().any(|r| r.3) {
                    legend.push((
                        Swatch::Fill {
                            colour: PALETTE[1],
                            opacity: 0.85,
                        },
                        "acceptable to a holdout".to_owned(),
                    ));
                }
                legend.push((
                    Swatch::Fill {
                        colour: WIN_SET,
                        opacity: 0.3,
                    },
                    "all accept (win-set)".to_owned(),
                ));
                legend.push((
                    Swatch::Mark {
                        colour: INK,
                        marker: Marker::Triangle,
                    },
                    "actor's position".to_owned(),
                ));
                scale_rows_layout(&self.title, axis, &names, legend, |_, _| {})
            }
            Kind::Rounds {
                axis,
                series,
                highlighted,
                forecast,
                step,
            } => rounds_layout(&self.title, axis, series, highlighted, *forecast, step),
            Kind::Survival {
                years,
                series,
                elections,
            } => survival_layout(&self.title, *years, series, elections),
            Kind::Power { players } => bars_layout(
                &self.title,
                "Share of voting power",
                players,
                ("Shapley-Shubik", "Banzhaf (normalised)"),
            ),
            Kind::Tornado { bars } => {
                let rows: Vec<(String, f64, f64)> = bars
                    .iter()
                    .map(|(i, s, t)| (i.clone(), *t, s.max(0.0)))
                    .collect();
                bars_layout(
                    &self.title,
                    "Sobol index (share of the forecast's variance)",
                    &rows,
                    ("total effect", "first order"),
                )
            }
        }
    }
}

fn scale_rows_layout(
    title: &str,
    axis: &ScaleAxis,
    rows: &[String],
    mut legend: Vec<(Swatch, String)>,
    extra: impl FnOnce(&mut Layout, &mut Frame),
) -> Layout {
    legend.extend(scale_entries(axis));
    let ticks = scale_ticks(axis);
    let (mut layout, mut f) = rows_layout(
        title,
        rows,
        &ticks,
        (axis.min, axis.max),
        &axis.label,
        legend,
    );
    layout.inks.push(MUTED);
    if !axis.red_lines.is_empty() {
        layout.inks.push(RED_LINE);
    }
    extra(&mut layout, &mut f);
    finish(layout, f)
}

fn rounds_layout(
    title: &str,
    axis: &ScaleAxis,
    series: &[(String, Vec<f64>)],
    highlighted: &[bool],
    forecast: f64,
    step: &str,
) -> Layout {
    let span = axis.max - axis.min;
    let rounds = series
        .first()
        .map_or(1, |s| s.1.len().saturating_sub(1))
        .max(1);
    let named: Vec<(&str, Vec<f64>)> = series
        .iter()
        .zip(highlighted)
        .filter(|(_, &h)| h)
        .map(|((name, values), _)| (name.as_str(), values.clone()))
        .collect();
    let styles = series_styles(&named, span);
    let mut legend: Vec<(Swatch, String)> = styles.iter().map(series_entry).collect();
    if highlighted.iter().any(|h| !h) {
        legend.push((
            Swatch::Line {
                colour: MUTED,
                width: 1,
                dash: Dash::Solid,
                marker: None,
            },
            "others (moved less)".to_owned(),
        ));
    }
    legend.push((
        Swatch::Line {
            colour: INK,
            width: 2,
            dash: Dash::Long,
            marker: None,
        },
        format!("forecast {}", on_scale(forecast, span)),
    ));
    legend.extend(scale_entries(axis));
    let base = frame(title, legend);
    let ticks = scale_ticks(axis);
    let full = |t: &Tick| match &t.name {
        Some(name) => format!("{} {name}", t.number),
        None => t.number.clone(),
    };
    let left = ticks
        .iter()
        .map(|t| lines_size(&wrap(&full(t), SMALL, LEFT_TEXT), SMALL).0)
        .max()
        .unwrap_or(40)
        .min(LEFT_TEXT)
        + 14;
    let x0 = MARGIN + left;
    let x_ticks: Vec<Tick> = (0..=rounds)
        .step_by(rounds.div_ceil(12))
        .map(|r| Tick {
            value: r as f64,
            number: if r == 0 {
                "start".into()
            } else {
                r.to_string()
            },
            name: None,
        })
        .collect();
    let x_map = Map {
        lo: 0.0,
        hi: rounds as f64,
        p0: x0,
        p1: base.right - 1,
    };
    let bottom = plan_bottom(
        &x_ticks,
        |v| x_map.at(v),
        (MARGIN, base.right + 16),
        step,
        base.right - x0,
    );
    // The key's height is reserved before the labels that go into it are known; passes repeat
    // until the reserve holds them, the last ones putting every anchor label into the key.
    let mut reserved = 0;
    for pass in 0..10 {
        let force = pass >= 8;
        let mut f = Frame {
            placer: base.placer.clone(),
            entries: base.entries.clone(),
            legend: base.legend,
            top: base.top,
            right: base.right,
        };
        let y_title = wrap(&axis.label, TEXT, f.right - MARGIN);
        let (tw, th) = lines_size(&y_title, TEXT);
        f.placer.try_place(
            y_title,
            TEXT,
            INK,
            Rect::new(MARGIN, f.top, tw, th),
            Align::Left,
        );
        let plot_top = f.top + th + 24;
        let plot_bottom = H - MARGIN / 2 - bottom.height() - reserved;
        let plot = Rect::new(x0, plot_top, f.right - x0, plot_bottom - plot_top);
        let ym = Map {
            lo: axis.min,
            hi: axis.max,
            p0: plot.bottom() - 1,
            p1: plot.y,
        };
        // The labels under the plot first, so that a label of the scale at its bottom makes way
        // for them rather than they for it.
        let key_top = place_bottom(&mut f.placer, &bottom, &plot);
        let mut key = Vec::new();
        for t in ticks.iter().rev() {
            let y = ym.at(t.value);
            let mut attempts: Vec<Vec<String>> = Vec::new();
            let lines = wrap(&full(t), SMALL, LEFT_TEXT);
            if t.name.is_some() && !force && lines.len() <= 3 {
                attempts.push(lines);
            }
            attempts.push(vec![t.number.clone()]);
            let mut placed_full = false;
            'attempts: for (k, lines) in attempts.iter().enumerate() {
                let (w, h) = lines_size(lines, SMALL);
                // Centred on its tick, else nudged down or up by up to half its height.
                for shift in [0, h / 2 - 10, 10 - h / 2] {
                    let rect = Rect::new(x0 - 10 - w, y - h / 2 + shift, w, h);
                    if f.placer
                        .try_place(lines.clone(), SMALL, INK, rect, Align::Right)
                        .is_some()
                    {
                        placed_full = k == 0 && attempts.len() == 2;
                        break 'attempts;
                    }
                }
            }
            if let (Some(name), false) = (&t.name, placed_full) {
                key.push(format!("{}: {name}", t.number));
            }
        }
        let key_h = key_height(&key);
        if key_h > reserved && pass < 9 {
            reserved = key_h;
            continue;
        }
        // Anchor labels go into the key in increasing order, as the scale reads.
        key.reverse();
        place_key(&mut f.placer, &key, key_top);
        // Muted: the status quo and the actors not named.
        let mut inks = vec![INK, MUTED];
        if !axis.red_lines.is_empty() {
            inks.push(RED_LINE);
        }
        let layout = Layout {
            plot,
            labels: Vec::new(),
            legend: f.legend,
            entries: Vec::new(),
            series: styles.clone(),
            inks,
            x_grid: x_ticks.iter().map(|t| t.value).collect(),
            y_grid: ticks.iter().map(|t| t.value).collect(),
            x_range: (0.0, rounds as f64),
            y_range: (axis.min, axis.max),
        };
        return finish(layout, f);
    }
    unreachable!("the last pass always returns")
}

fn survival_layout(
    title: &str,
    years: f64,
    series: &[(String, Vec<(f64, f64)>)],
    elections: &[(f64, String)],
) -> Layout {
    let shares: Vec<(&str, Vec<f64>)> = series
        .iter()
        .map(|(name, points)| (name.as_str(), points.iter().map(|p| p.1).collect()))
        .collect();
    let styles = series_styles(&shares, 1.0);
    let mut legend: Vec<(Swatch, String)> = styles.iter().map(series_entry).collect();
    if !elections.is_empty() {
        legend.push((
            Swatch::Line {
                colour: MUTED,
                width: 1,
                dash: Dash::Short,
                marker: None,
            },
            "scheduled change (E1, E2, ...: see the caption)".to_owned(),
        ));
    }
    let mut f = frame(title, legend);
    let y_title = vec!["Agreements still in force".to_owned()];
    let (tw, th) = lines_size(&y_title, TEXT);
    f.placer.try_place(
        y_title,
        TEXT,
        INK,
        Rect::new(MARGIN, f.top, tw, th),
        Align::Left,
    );
    let y_ticks = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0];
    let left = text_width("100%", TEXT) + 14;
    let x0 = MARGIN + left.max(60);
    let x_ticks: Vec<Tick> = nice_ticks(0.0, years)
        .into_iter()
        .map(|v| Tick {
            value: v,
            number: on_scale(v, years),
            name: None,
        })
        .collect();
    let xm = Map {
        lo: 0.0,
        hi: years,
        p0: x0,
        p1: f.right - 1,
    };
    let bottom = plan_bottom(
        &x_ticks,
        |v| xm.at(v),
        (MARGIN, f.right + 16),
        "Years after signing",
        f.right - x0,
    );
    // The marks of the scheduled changes sit in two staggered rows above the plot.
    let mark_top = f.top + th + 6;
    let mut mark_rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut marks = Vec::new();
    for (at, mark) in elections {
        let w = text_width(mark, SMALL);
        let x = xm.at(*at) - w / 2;
        if let Some(r) = free_row(&mut mark_rows, 2, x, w) {
            marks.push((mark.clone(), x, w, r));
        }
    }
    let rows_used = mark_rows.iter().filter(|r| !r.is_empty()).count() as i32;
    let plot_top = mark_top + rows_used * line_height(SMALL) + 8;
    let plot_bottom = H - MARGIN / 2 - bottom.height();
    let plot = Rect::new(x0, plot_top, f.right - x0, plot_bottom - plot_top);
    for (mark, x, w, r) in marks {
        f.placer.try_place(
            vec![mark],
            SMALL,
            MUTED,
            Rect::new(
                x,
                mark_top + r as i32 * line_height(SMALL),
                w,
                line_height(SMALL),
            ),
            Align::Centre,
        );
    }
    place_bottom(&mut f.placer, &bottom, &plot);
    let ym = Map {
        lo: 0.0,
        hi: 100.0,
        p0: plot.bottom() - 1,
        p1: plot.y,
    };
    for v in y_ticks {
        let text = format!("{v:.0}%");
        let (w, h) = lines_size(std::slice::from_ref(&text), TEXT);
        f.placer.try_place(
            vec![text],
            TEXT,
            INK,
            Rect::new(x0 - 10 - w, ym.at(v) - h / 2, w, h),
            Align::Right,
        );
    }
    let layout = Layout {
        plot,
        labels: Vec::new(),
        legend: f.legend,
        entries: Vec::new(),
        series: styles,
        inks: if elections.is_empty() {
            vec![INK]
        } else {
            vec![INK, MUTED]
        },
        x_grid: x_ticks.iter().map(|t| t.value).collect(),
        y_grid: y_ticks.to_vec(),
        x_range: (0.0, years),
        y_range: (0.0, 100.0),
    };
    finish(layout, f)
}

/// Colours of the two bars of a bar chart.
const BARS: (RGBColor, RGBColor) = (PALETTE[0], PALETTE[5]);

fn bars_top(rows: &[(String, f64, f64)]) -> f64 {
    rows.iter()
        .map(|r| r.1.max(r.2))
        .fold(0.0_f64, f64::max)
        .max(1e-9)
        * 1.15
}

fn bars_layout(
    title: &str,
    x_title: &str,
    rows: &[(String, f64, f64)],
    names: (&str, &str),
) -> Layout {
    let top = bars_top(rows);
    let ticks: Vec<Tick> = nice_ticks(0.0, top)
        .into_iter()
        .map(|v| Tick {
            value: v,
            number: on_scale(v, top),
            name: None,
        })
        .collect();
    let legend = vec![
        (
            Swatch::Fill {
                colour: BARS.0,
                opacity: 1.0,
            },
            names.0.to_owned(),
        ),
        (
            Swatch::Fill {
                colour: BARS.1,
                opacity: 1.0,
            },
            names.1.to_owned(),
        ),
    ];
    let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let (mut layout, f) = rows_layout(title, &labels, &ticks, (0.0, top), x_title, legend);
    layout.inks.extend([BARS.0, BARS.1]);
    finish(layout, f)
}

/// What the drawing returns: plotters' error for the backend.
pub(crate) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `chart` as `layout` places it.
pub(crate) fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    layout: &Layout,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (xm, ym) = (x_map(layout), y_map(layout));
    let plot = layout.plot;
    // Grid first, behind everything.
    for &x in &layout.x_grid {
        let px = xm.at(x);
        root.draw(&PathElement::new(
            vec![(px, plot.y), (px, plot.bottom() - 1)],
            RULE.stroke_width(1),
        ))?;
    }
    for &y in &layout.y_grid {
        let py = ym.at(y);
        root.draw(&PathElement::new(
            vec![(plot.x, py), (plot.right() - 1, py)],
            RULE.stroke_width(1),
        ))?;
    }
    match &chart.kind {
        Kind::Forecasts { axis, rows } => {
            scale_backdrop(root, layout, axis, true)?;
            let n = rows.len();
            for (i, (_, value)) in rows.iter().enumerate() {
                let y = ym.at(row_value(i, n));
                root.draw(&PathElement::new(
                    vec![(plot.x, y), (plot.right() - 1, y)],
                    RULE.stroke_width(1),
                ))?;
                if let Some(v) = value {
                    root.draw(&Circle::new(
                        (xm.at(*v), y),
                        9,
                        PALETTE[i % PALETTE.len()].filled(),
                    ))?;
                }
            }
        }
        Kind::Spread { axis, rows } => {
            scale_backdrop(root, layout, axis, true)?;
            let n = rows.len();
            let half = ((f64::from(plot.h) / n.max(1) as f64) * 0.25).min(22.0) as i32;
            for (i, (_, q, mean)) in rows.iter().enumerate() {
                let y = ym.at(row_value(i, n));
                let colour = PALETTE[i % PALETTE.len()];
                root.draw(&PathElement::new(
                    vec![(xm.at(q[0]), y), (xm.at(q[4]), y)],
                    colour.stroke_width(3),
                ))?;
                for end in [q[0], q[4]] {
                    root.draw(&PathElement::new(
                        vec![(xm.at(end), y - half / 2), (xm.at(end), y + half / 2)],
                        colour.stroke_width(3),
                    ))?;
                }
                let corners = [(xm.at(q[1]), y - half), (xm.at(q[3]), y + half)];
                root.draw(&Rectangle::new(corners, colour.mix(0.35).filled()))?;
                root.draw(&Rectangle::new(corners, colour.stroke_width(2)))?;
                root.draw(&PathElement::new(
                    vec![(xm.at(q[2]), y - half), (xm.at(q[2]), y + half)],
                    INK.stroke_width(3),
                ))?;
                root.draw(&Circle::new((xm.at(*mean), y), 6, INK.filled()))?;
            }
        }
        Kind::Acceptance {
            axis,
            rows,
            win_set,
        } => {
            let range = axis.max - axis.min;
            for w in win_set {
                let (lo, hi) = widen(w, 0.004 * range);
                root.draw(&Rectangle::new(
                    [(xm.at(lo), plot.y), (xm.at(hi), plot.bottom() - 1)],
                    WIN_SET.mix(0.18).filled(),
                ))?;
            }
            scale_backdrop(root, layout, axis, true)?;
            let n = rows.len();
            let half = ((f64::from(plot.h) / n.max(1) as f64) * 0.28).min(24.0) as i32;
            for (i, (_, set, position, hold)) in rows.iter().enumerate() {
                let y = ym.at(row_value(i, n));
                let colour = if *hold { PALETTE[1] } else { PALETTE[0] };
                for iv in set {
                    let (lo, hi) = widen(iv, 0.003 * range);
                    root.draw(&Rectangle::new(
                        [(xm.at(lo), y - half), (xm.at(hi), y + half)],
                        colour.mix(if *hold { 0.85 } else { 0.6 }).filled(),
                    ))?;
                }
                if let Some(p) = position {
                    root.draw(&TriangleMarker::new((xm.at(*p), y), 9, INK.filled()))?;
                }
            }
        }
        Kind::Rounds {
            axis,
            series,
            highlighted,
            forecast,
            ..
        } => {
            scale_backdrop(root, layout, axis, false)?;
            let line = |points: &[f64]| -> Vec<(i32, i32)> {
                points
                    .iter()
                    .enumerate()
                    .map(|(r, &p)| (xm.at(r as f64), ym.at(p)))
                    .collect()
            };
            for ((_, points), _) in series.iter().zip(highlighted).filter(|(_, &h)| !h) {
                root.draw(&PathElement::new(
                    line(points),
                    MUTED.mix(0.5).stroke_width(1),
                ))?;
            }
            draw_line(
                root,
                vec![
                    (plot.x, ym.at(*forecast)),
                    (plot.right() - 1, ym.at(*forecast)),
                ],
                INK,
                2,
                Dash::Long,
            )?;
            let named = series
                .iter()
                .zip(highlighted)
                .filter(|(_, &h)| h)
                .map(|(s, _)| s);
            for ((_, points), style) in named.zip(&layout.series) {
                let data = line(points);
                draw_line(root, data.clone(), style.colour, 3, style.dash)?;
                for p in data {
                    draw_marker(root, p, style.marker, style.colour, 5)?;
                }
            }
        }
        Kind::Survival {
            series, elections, ..
        } => {
            for (at, _) in elections {
                draw_line(
                    root,
                    vec![(xm.at(*at), plot.y), (xm.at(*at), plot.bottom() - 1)],
                    MUTED,
                    1,
                    Dash::Short,
                )?;
            }
            for ((_, points), style) in series.iter().zip(&layout.series) {
                let data: Vec<(i32, i32)> = points
                    .iter()
                    .map(|&(t, s)| (xm.at(t), ym.at(100.0 * s)))
                    .collect();
                draw_line(root, data.clone(), style.colour, 4, style.dash)?;
                let every = (data.len() / 8).max(1);
                for p in data.into_iter().step_by(every) {
                    draw_marker(root, p, style.marker, style.colour, 6)?;
                }
            }
        }
        Kind::Power { players } => draw_bar_rows(root, layout, players)?,
        Kind::Tornado { bars } => {
            let rows: Vec<(String, f64, f64)> = bars
                .iter()
                .map(|(i, s, t)| (i.clone(), *t, s.max(0.0)))
                .collect();
            draw_bar_rows(root, layout, &rows)?;
        }
    }
    root.draw(&Rectangle::new(
        [(plot.x, plot.y), (plot.right() - 1, plot.bottom() - 1)],
        RGBColor(0xAA, 0xAA, 0xAA).stroke_width(1),
    ))?;
    if let Some(legend) = layout.legend {
        root.draw(&Rectangle::new(
            [(legend.x, legend.y), (legend.right(), legend.bottom())],
            WHITE.filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(legend.x, legend.y), (legend.right(), legend.bottom())],
            RULE.stroke_width(1),
        ))?;
        for entry in &layout.entries {
            draw_swatch(root, entry)?;
        }
    }
    for label in &layout.labels {
        draw_label(root, label)?;
    }
    Ok(())
}

/// An interval widened to at least `min_half` either side of its middle, so a point shows.
fn widen(iv: &Interval, min_half: f64) -> (f64, f64) {
    let half = min_half.max((iv.hi - iv.lo) / 2.0);
    let mid = (iv.lo + iv.hi) / 2.0;
    (mid - half, mid + half)
}

/// The red lines (hatched, tinted bands) and status quo (dashed) of an issue chart; the scale
/// runs across when `across`, else up.
fn scale_backdrop<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    axis: &ScaleAxis,
    across: bool,
) -> DrawResult<DB> {
    let plot = layout.plot;
    let (xm, ym) = (x_map(layout), y_map(layout));
    for (_, lo, hi) in &axis.red_lines {
        let band = if across {
            let (a, b) = (xm.at(*lo), xm.at(*hi));
            Rect::new(a.min(b), plot.y, (a - b).abs().max(3), plot.h)
        } else {
            let (a, b) = (ym.at(*lo), ym.at(*hi));
            Rect::new(plot.x, a.min(b), plot.w, (a - b).abs().max(3))
        };
        hatch(root, band)?;
    }
    if let Some(sq) = axis.status_quo {
        let points = if across {
            vec![(xm.at(sq), plot.y), (xm.at(sq), plot.bottom() - 1)]
        } else {
            vec![(plot.x, ym.at(sq)), (plot.right() - 1, ym.at(sq))]
        };
        draw_line(root, points, MUTED, 2, Dash::Short)?;
    }
    Ok(())
}

/// A tinted band with 45-degree hatching, clipped to `band`.
fn hatch<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, band: Rect) -> DrawResult<DB> {
    root.draw(&Rectangle::new(
        [(band.x, band.y), (band.right(), band.bottom())],
        RED_LINE.mix(0.08).filled(),
    ))?;
    let (x0, y0, x1, y1) = (band.x, band.y, band.right(), band.bottom());
    let mut t = 0;
    while t < band.w + band.h {
        // From the top edge (or the right edge) down-left to the bottom edge (or the left edge).
        let (mut sx, mut sy) = (x0 + t, y0);
        if sx > x1 {
            sy += sx - x1;
            sx = x1;
        }
        let (mut ex, mut ey) = (x0 + t - band.h, y1);
        if ex < x0 {
            ey -= x0 - ex;
            ex = x0;
        }
        if sy <= ey {
            root.draw(&PathElement::new(
                vec![(sx, sy), (ex, ey)],
                RED_LINE.mix(0.7).stroke_width(1),
            ))?;
        }
        t += 12;
    }
    root.draw(&Rectangle::new(
        [(band.x, band.y), (band.right(), band.bottom())],
        RED_LINE.stroke_width(1),
    ))?;
    Ok(())
}

fn draw_bar_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    rows: &[(String, f64, f64)],
) -> DrawResult<DB> {
    let (xm, ym) = (x_map(layout), y_map(layout));
    let n = rows.len();
    let half = ((f64::from(layout.plot.h) / n.max(1) as f64) * 0.36) as i32;
    for (i, r) in rows.iter().enumerate() {
        let y = ym.at(row_value(i, n));
        root.draw(&Rectangle::new(
            [(xm.at(0.0), y - half), (xm.at(r.1), y)],
            BARS.0.filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(xm.at(0.0), y), (xm.at(r.2), y + half)],
            BARS.1.filled(),
        ))?;
    }
    Ok(())
}

fn draw_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: Vec<(i32, i32)>,
    colour: RGBColor,
    width: u32,
    dash: Dash,
) -> DrawResult<DB> {
    let style = colour.stroke_width(width);
    match dash.pattern() {
        None => root.draw(&PathElement::new(points, style)),
        Some((on, off)) => root.draw(&DashedPathElement::new(
            points, on as i32, off as i32, style,
        )),
    }
}

fn draw_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    marker: Marker,
    colour: RGBColor,
    size: i32,
) -> DrawResult<DB> {
    let fill = colour.filled();
    match marker {
        Marker::Circle => root.draw(&Circle::new((x, y), size, fill)),
        Marker::Triangle => root.draw(&TriangleMarker::new((x, y), size + 2, fill)),
        Marker::Square => root.draw(&Rectangle::new(
            [(x - size + 1, y - size + 1), (x + size - 1, y + size - 1)],
            fill,
        )),
        Marker::Diamond => root.draw(&Polygon::new(
            vec![
                (x, y - size - 1),
                (x + size + 1, y),
                (x, y + size + 1),
                (x - size - 1, y),
            ],
            fill,
        )),
        Marker::Cross => root.draw(&Cross::new((x, y), size, colour.stroke_width(3))),
    }
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entry: &LegendEntry,
) -> DrawResult<DB> {
    let r = entry.rect;
    let mid = r.y + r.h / 2;
    match &entry.swatch {
        Swatch::Line {
            colour,
            width,
            dash,
            marker,
        } => {
            draw_line(
                root,
                vec![(r.x, mid), (r.right(), mid)],
                *colour,
                *width,
                *dash,
            )?;
            if let Some(m) = marker {
                draw_marker(root, (r.x + r.w / 2, mid), *m, *colour, 5)?;
            }
            Ok(())
        }
        Swatch::Fill { colour, opacity } => root.draw(&Rectangle::new(
            [(r.x, r.y), (r.right(), r.bottom())],
            colour.mix(*opacity).filled(),
        )),
        Swatch::Hatch { .. } => hatch(root, r),
        Swatch::Mark { colour, marker } => {
            draw_marker(root, (r.x + r.w / 2, mid), *marker, *colour, 7)
        }
    }
}

fn draw_label<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, label: &Label) -> DrawResult<DB> {
    let step = line_height(label.size);
    let (x, h) = match label.align {
        Align::Left => (label.rect.x, HPos::Left),
        Align::Centre => (label.rect.x + label.rect.w / 2, HPos::Center),
        Align::Right => (label.rect.right(), HPos::Right),
    };
    let style = (FONT, f64::from(label.size))
        .into_font()
        .color(&label.colour)
        .pos(Pos::new(h, VPos::Center));
    for (k, line) in label.lines.iter().enumerate() {
        let y = label.rect.y + k as i32 * step + step / 2;
        root.draw(&Text::new(line.clone(), (x, y), style.clone()))?;
    }
    Ok(())
}
