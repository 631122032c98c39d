//! Reports of statecraft's analyses for people and for programs.
//!
//! [`Report::build`] runs every analysis of a scenario (forecasts of every model, the
//! expected-utility rounds, the 6-0 / 5-1 analysis, durability by agreement form, voting power
//! and, when asked, a sweep with Sobol sensitivity) and gathers the results into one document.
//! [`charts`] turns the document into charts drawn with plotters, as SVG or PNG; the
//! [`Exporter`]s write it as JSON (stable, for notebooks), CSV, Markdown or a self-contained HTML
//! page, and [`xlsx`] writes its tables as a workbook. Nothing here reads or writes files: the binary does.

mod charts;
mod draw;
mod export;
mod layout;
mod report;
mod validation;
mod xlsx;

pub use charts::{charts, Chart, ChartError, DataTable, Kind, ScaleAxis, HEIGHT, PALETTE, WIDTH};
pub use export::{
    escape, exporter, exporters, html_sections, Csv, ExportError, Exporter, Html, HtmlSection,
    Json, Markdown, REPORT_CSS,
};
pub use layout::{
    contrast_on_white, Align, Dash, Label, Layout, LegendEntry, Marker, Rect, SeriesStyle, Swatch,
};
pub use report::*;
pub use validation::{validation_chart, validation_html, validation_section};
pub use xlsx::xlsx;
