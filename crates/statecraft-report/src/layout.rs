//! Where a chart's text goes, worked out as data before anything is drawn: every label is a box
//! in pixels, placed so that no two boxes meet (staggered into rows, wrapped, or moved into a key
//! under the chart), and the legend is a box beside the plot, never on it. The drawing code draws
//! exactly these boxes, and the tests check them.

use std::sync::Once;

use plotters::style::{FontStyle, IntoFont, RGBColor};

/// The family name charts use; the embedded font is registered under it.
pub(crate) const FONT: &str = "sans-serif";

/// Room kept for a viewer's font being wider than the embedded one (SVG text is drawn by the
/// viewer's own sans-serif).
const WIDER: f64 = 1.18;

/// A rectangle in pixels: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub fn new(x: i32, y: i32, w: i32, h: i32) -> Self {
        Rect { x, y, w, h }
    }

    /// The right edge.
    pub fn right(&self) -> i32 {
        self.x + self.w
    }

    /// The bottom edge.
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }

    /// Whether the two share any area (touching edges do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `self` lies wholly inside `outer`.
    pub fn inside(&self, outer: &Rect) -> bool {
        self.x >= outer.x
            && self.y >= outer.y
            && self.right() <= outer.right()
            && self.bottom() <= outer.bottom()
    }
}

/// How text sits in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Lines start at the box's left edge.
    Left,
    /// Lines are centred in the box.
    Centre,
    /// Lines end at the box's right edge.
    Right,
}

/// One piece of text on a chart: its lines, font size, colour and the box it fills.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The lines, top to bottom.
    pub lines: Vec<String>,
    /// Font size in pixels.
    pub size: u32,
    /// Text colour.
    pub colour: RGBColor,
    /// The box the lines fill.
    pub rect: Rect,
    /// How the lines sit in the box.
    pub align: Align,
}

impl Label {
    /// The lines as one string, separated by spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// A line's dash pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    /// Unbroken.
    Solid,
    /// Long dashes.
    Long,
    /// Short dashes.
    Short,
    /// Dots.
    Dotted,
}

impl Dash {
    /// Every pattern, in the order series take them.
    pub const ALL: [Dash; 4] = [Dash::Solid, Dash::Long, Dash::Short, Dash::Dotted];

    /// (dash, gap) in pixels, or `None` when unbroken.
    pub fn pattern(self) -> Option<(u32, u32)> {
        match self {
            Dash::Solid => None,
            Dash::Long => Some((18, 8)),
            Dash::Short => Some((8, 6)),
            Dash::Dotted => Some((3, 6)),
        }
    }
}

/// A point marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled triangle.
    Triangle,
    /// A filled square.
    Square,
    /// A filled diamond.
    Diamond,
    /// A cross.
    Cross,
}

impl Marker {
    /// Every marker, in the order series take them.
    pub const ALL: [Marker; 5] = [
        Marker::Circle,
        Marker::Triangle,
        Marker::Square,
        Marker::Diamond,
        Marker::Cross,
    ];
}

/// How one series (a line of a rounds or survival chart) is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStyle {
    /// The series' name.
    pub name: String,
    /// Line and marker colour.
    pub colour: RGBColor,
    /// Dash pattern.
    pub dash: Dash,
    /// Marker.
    pub marker: Marker,
    /// The name of an earlier series this one equals at every point, if any.
    pub same_as: Option<String>,
}

/// What a legend entry shows before its text.
#[derive(Debug, Clone, PartialEq)]
pub enum Swatch {
    /// A line with a dash pattern and maybe a marker.
    Line {
        /// Colour.
        colour: RGBColor,
        /// Stroke width.
        width: u32,
        /// Dash pattern.
        dash: Dash,
        /// Marker.
        marker: Option<Marker>,
    },
    /// A filled block (opacity 0..1).
    Fill {
        /// Colour.
        colour: RGBColor,
        /// Opacity.
        opacity: f64,
    },
    /// A hatched, tinted block: a red line.
    Hatch {
        /// Colour.
        colour: RGBColor,
    },
    /// A marker alone.
    Mark {
        /// Colour.
        colour: RGBColor,
        /// Marker.
        marker: Marker,
    },
}

/// One entry of a legend: its swatch's box and its text (an index into [`Layout::labels`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// What is drawn.
    pub swatch: Swatch,
    /// Where the swatch goes.
    pub rect: Rect,
    /// The entry's text, as an index into the layout's labels.
    pub label: usize,
}

/// A chart's layout: the plot area, every piece of text, the legend and the styles of its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The area the data is drawn in.
    pub plot: Rect,
    /// Every piece of text: title, tick and anchor labels, axis titles, legend entries, key.
    pub labels: Vec<Label>,
    /// The legend's box, outside the plot area.
    pub legend: Option<Rect>,
    /// The legend's entries.
    pub entries: Vec<LegendEntry>,
    /// How each named series is drawn.
    pub series: Vec<SeriesStyle>,
    /// Every colour used for lines, markers and text (tints behind data excepted).
    pub inks: Vec<RGBColor>,
    /// Data values of the vertical grid lines (horizontal axis ticks).
    pub x_grid: Vec<f64>,
    /// Data values of the horizontal grid lines (vertical axis ticks).
    pub y_grid: Vec<f64>,
    /// The data values at the plot's left and right edges.
    pub x_range: (f64, f64),
    /// The data values at the plot's bottom and top edges.
    pub y_range: (f64, f64),
}

impl Layout {
    /// Every colour the chart draws lines, markers and text in.
    pub fn colours(&self) -> Vec<RGBColor> {
        let mut out: Vec<RGBColor> = self.labels.iter().map(|l| l.colour).collect();
        out.extend(self.series.iter().map(|s| s.colour));
        out.extend(self.inks.iter().copied());
        for e in &self.entries {
            match &e.swatch {
                Swatch::Line { colour, .. } | Swatch::Mark { colour, .. } => out.push(*colour),
                Swatch::Hatch { colour } => out.push(*colour),
                Swatch::Fill { .. } => {}
            }
        }
        out
    }
}

/// WCAG 2 contrast ratio of `colour` against white.
pub fn contrast_on_white(colour: RGBColor) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(colour.0) + 0.7152 * channel(colour.1) + 0.0722 * channel(colour.2);
    1.05 / (l + 0.05)
}

pub(crate) fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font compiled in; a failure here is a build defect.
        plotters::style::register_font(FONT, FontStyle::Normal, epaint_default_fonts::UBUNTU_LIGHT)
            .unwrap_or_else(|_| panic!("the embedded font is not a valid TrueType font"));
    });
}

/// Width in pixels `text` takes at `size`, with room for a wider viewer font.
pub(crate) fn text_width(text: &str, size: u32) -> i32 {
    register_font();
    let font = (FONT, f64::from(size)).into_font();
    let measured = font
        .box_size(text)
        .map(|(w, _)| f64::from(w))
        .unwrap_or_else(|_| 0.55 * f64::from(size) * text.chars().count() as f64);
    (measured * WIDER).ceil() as i32
}

/// Height of one line of text at `size`.
pub(crate) fn line_height(size: u32) -> i32 {
    (f64::from(size) * 1.3).ceil() as i32
}

/// `text` broken at spaces into lines at most `width` pixels wide (a word wider than that keeps
/// a line of its own).
pub(crate) fn wrap(text: &str, size: u32, width: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&candidate, size) <= width {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The size of the box that `lines` fill.
pub(crate) fn lines_size(lines: &[String], size: u32) -> (i32, i32) {
    let w = lines.iter().map(|l| text_width(l, size)).max().unwrap_or(0);
    (w, line_height(size) * lines.len() as i32)
}

/// `text` cut to fit `width` pixels on one line, with an ellipsis when cut.
pub(crate) fn fit(text: &str, size: u32, width: i32) -> String {
    if text_width(text, size) <= width {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 1 {
        keep -= 1;
        let cut: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_owned()
            + "…";
        if text_width(&cut, size) <= width {
            return cut;
        }
    }
    "…".into()
}

/// A builder of a chart's labels that refuses a box meeting one already placed (or a blocked
/// area, such as the legend's box).
#[derive(Debug, Default, Clone)]
pub(crate) struct Placer {
    pub(crate) labels: Vec<Label>,
    pub(crate) blocked: Vec<Rect>,
}

/// Space kept between two boxes.
pub(crate) const GAP: i32 = 4;

impl Placer {
    /// Whether a box at `rect` would meet (or come within [`GAP`] of) a placed one.
    pub(crate) fn free(&self, rect: &Rect) -> bool {
        let padded = Rect::new(rect.x - GAP, rect.y, rect.w + 2 * GAP, rect.h);
        self.labels.iter().all(|l| !l.rect.intersects(&padded))
            && self.blocked.iter().all(|b| !b.intersects(rect))
    }

    /// Keeps every later label out of `rect`.
    pub(crate) fn block(&mut self, rect: Rect) {
        self.blocked.push(rect);
    }

    /// Places `lines` at `rect` whatever is there (the first labels of a chart: its title and
    /// legend); the label's index.
    pub(crate) fn place(
        &mut self,
        lines: Vec<String>,
        size: u32,
        colour: RGBColor,
        rect: Rect,
        align: Align,
    ) -> usize {
        self.labels.push(Label {
            lines,
            size,
            colour,
            rect,
            align,
        });
        self.labels.len() - 1
    }

    /// Places `lines` at `rect` if it is free; the label's index, or `None`.
    pub(crate) fn try_place(
        &mut self,
        lines: Vec<String>,
        size: u32,
        colour: RGBColor,
        rect: Rect,
        align: Align,
    ) -> Option<usize> {
        if !self.free(&rect) {
            return None;
        }
        self.labels.push(Label {
            lines,
            size,
            colour,
            rect,
            align,
        });
        Some(self.labels.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::{contrast_on_white, wrap, Rect};
    use plotters::style::RGBColor;

    #[test]
    fn rectangles_meet_only_when_they_share_area() {
        let a = Rect::new(0, 0, 10, 10);
        assert!(a.intersects(&Rect::new(5, 5, 10, 10)));
        assert!(!a.intersects(&Rect::new(10, 0, 10, 10)), "touching edges");
        assert!(!a.intersects(&Rect::new(0, 11, 10, 10)));
        assert!(Rect::new(2, 2, 3, 3).inside(&a));
        assert!(!Rect::new(8, 2, 3, 3).inside(&a));
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast_on_white(RGBColor(0, 0, 0)) - 21.0).abs() < 1e-9);
        assert!((contrast_on_white(RGBColor(255, 255, 255)) - 1.0).abs() < 1e-9);
        // Okabe-Ito yellow is barely visible on white.
        assert!(contrast_on_white(RGBColor(0xF0, 0xE4, 0x42)) < 1.5);
    }

    #[test]
    fn wrapping_keeps_every_word_in_order() {
        let text = "3.67% (JPOA and JCPOA limit for fifteen years)";
        let lines = wrap(text, 15, 120);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
    }
}
