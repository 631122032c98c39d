//! Progress of a long run on stderr: a bar on a terminal, and plain lines when stderr is a file
//! or a pipe (a log, CI, a notebook), so that long work is never silent.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How long a run goes before plain progress lines start: quick runs print none.
const QUIET_FOR: Duration = Duration::from_secs(1);
/// The longest gap between two plain lines.
const AT_MOST_EVERY: Duration = Duration::from_secs(10);

/// Shows how far a run has come, in `unit`s (`draws`, `units`).
pub(crate) struct Progress {
    unit: String,
    /// Whether the total is only the most there may be (`4 of at most 100 rounds`).
    at_most: bool,
    shown: Shown,
}

enum Shown {
    Bar(ProgressBar),
    Lines {
        started: Instant,
        last: Option<Instant>,
        /// The last tenth printed (0..=10).
        tenth: u64,
    },
}

impl Progress {
    /// Progress in `unit`s; a unit written `at most rounds` says that the total is only the most
    /// there may be (a model that settles early skips the rest).
    pub(crate) fn new(unit: &str) -> Progress {
        let (at_most, unit) = match unit.strip_prefix("at most ") {
            Some(unit) => (true, unit),
            None => (false, unit),
        };
        let shown = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{bar:40}} {{pos}}/{{len}} {unit}, {{eta}} left"
                ))
                .expect("a valid template"),
            );
            Shown::Bar(bar)
        } else {
            Shown::Lines {
                started: Instant::now(),
                last: None,
                tenth: 0,
            }
        };
        Progress {
            unit: unit.to_owned(),
            at_most,
            shown,
        }
    }

    /// Records that `done` of `total` are done.
    pub(crate) fn update(&mut self, done: u64, total: u64) {
        match &mut self.shown {
            Shown::Bar(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            Shown::Lines {
                started,
                last,
                tenth,
            } => {
                let now = Instant::now();
                if total == 0 || done >= total || now - *started < QUIET_FOR {
                    return;
                }
                let reached = done.saturating_mul(10) / total;
                let overdue = last.is_some_and(|t| now - t >= AT_MOST_EVERY);
                if reached > *tenth || last.is_none() || overdue {
                    *tenth = reached;
                    *last = Some(now);
                    let _ = writeln!(
                        std::io::stderr(),
                        "progress: {} of {}{} {} ({}%)",
                        grouped(done),
                        if self.at_most { "at most " } else { "" },
                        grouped(total),
                        self.unit,
                        done.saturating_mul(100) / total
                    );
                }
            }
        }
    }

    /// Runs `f` (which prints to stderr) without tearing the bar.
    pub(crate) fn suspend(&self, f: impl FnOnce()) {
        match &self.shown {
            Shown::Bar(bar) => bar.suspend(f),
            Shown::Lines { .. } => f(),
        }
    }

    pub(crate) fn finish(&self) {
        if let Shown::Bar(bar) = &self.shown {
            bar.finish_and_clear();
        }
    }
}

/// `1234567` as `1,234,567`.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(super::grouped(n), text);
        }
    }
}
