//! One-issue win-sets, exactly: where on one issue (the others at the status quo) each actor's
//! gain beats its margin, outside its red lines, and where every member's does.
//!
//! Along one issue an actor's gain is a sum of terms -s |x - p| / R (or their squares) over its
//! own and its partners' positions, so between consecutive positions it is a polynomial of
//! degree at most 2. On each such segment the polynomial is recovered from three values and the
//! points where it equals the margin are its roots: the accepted set is a union of intervals with
//! exact ends (up to rounding).

use serde::Serialize;

use super::utility::Utilities;

/// A closed interval `[lo, hi]` of an issue's scale (the ends themselves may be excluded: a gain
/// equal to the margin does not accept; the ends are where it equals it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// A sorted union of disjoint intervals.
pub type IntervalSet = Vec<Interval>;

/// The intersection of two sorted interval sets.
pub fn intersect(a: &[Interval], b: &[Interval]) -> IntervalSet {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i].lo.max(b[j].lo);
        let hi = a[i].hi.min(b[j].hi);
        if lo < hi {
            out.push(Interval { lo, hi });
        }
        if a[i].hi < b[j].hi {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `a` without the closed range `[lo, hi]`.
fn subtract(a: &[Interval], lo: f64, hi: f64) -> IntervalSet {
    let mut out = Vec::new();
    for iv in a {
        if iv.hi <= lo || iv.lo >= hi {
            out.push(*iv);
            continue;
        }
        if iv.lo < lo {
            out.push(Interval { lo: iv.lo, hi: lo });
        }
        if iv.hi > hi {
            out.push(Interval { lo: hi, hi: iv.hi });
        }
    }
    out
}

/// The real roots of a x^2 + b x + c = 0 strictly inside (lo, hi), ascending.
fn roots_between(a: f64, b: f64, c: f64, lo: f64, hi: f64) -> Vec<f64> {
    let scale = a.abs().max(b.abs()).max(c.abs()).max(f64::MIN_POSITIVE);
    let mut roots = Vec::new();
    if a.abs() <= 1e-12 * scale {
        if b.abs() > 1e-12 * scale {
            roots.push(-c / b);
        }
    } else {
        let disc = b * b - 4.0 * a * c;
        if disc >= 0.0 {
            // The numerically stable pair of roots.
            let q = -0.5 * (b + b.signum() * disc.sqrt());
            roots.push(q / a);
            if q != 0.0 {
                roots.push(c / q);
            }
        }
    }
    roots.retain(|r| *r > lo && *r < hi);
    roots.sort_by(f64::total_cmp);
    roots.dedup();
    roots
}

/// Where on issue `k`, the other issues at the status quo, actor `i` accepts.
pub fn accepted_on_issue(u: &Utilities<'_>, i: usize, k: usize) -> IntervalSet {
    let scale = u.scenario.issues()[k].scale;
    let mut package = u.status_quo().to_vec();
    let mut f = |x: f64| {
        package[k] = x;
        u.gain(i, &package) - u.margin(i)
    };
    let mut cuts = vec![scale.min, scale.max];
    for j in u.involved(i) {
        if let Some(s) = u.scenario.stance(j, k) {
            cuts.push(s.position);
        }
    }
    // An actor with no stake in the issue (no position of its own or its partners') abstains.
    let indifferent = cuts.len() == 2;
    cuts.retain(|c| scale.contains(*c));
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut set: IntervalSet = Vec::new();
    if indifferent {
        set.push(Interval {
            lo: scale.min,
            hi: scale.max,
        });
        cuts.clear();
    }
    let mut push = |lo: f64, hi: f64| match set.last_mut() {
        Some(last) if last.hi >= lo => last.hi = last.hi.max(hi),
        _ if lo < hi => set.push(Interval { lo, hi }),
        _ => {}
    };
    for w in cuts.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let mid = 0.5 * (lo + hi);
        let (f_lo, f_mid, f_hi) = (f(lo), f(mid), f(hi));
        // The quadratic through the three values, in t = x - mid.
        let h = 0.5 * (hi - lo);
        let a = (f_hi + f_lo - 2.0 * f_mid) / (2.0 * h * h);
        let b = (f_hi - f_lo) / (2.0 * h);
        let c = f_mid;
        let mut ends = vec![lo];
        ends.extend(roots_between(a, b, c, -h, h).into_iter().map(|t| mid + t));
        ends.push(hi);
        for e in ends.windows(2) {
            let t = 0.5 * (e[0] + e[1]) - mid;
            if a * t * t + b * t + c > 0.0 {
                push(e[0], e[1]);
            }
        }
    }
    for line in u.scenario.actors()[i]
        .red_lines
        .iter()
        .filter(|l| l.issue == k)
    {
        set = subtract(&set, line.min, line.max);
    }
    set
}

/// Where on issue `k`, the others at the status quo, every one of `members` accepts.
pub fn win_set_on_issue(u: &Utilities<'_>, members: &[usize], k: usize) -> IntervalSet {
    let scale = u.scenario.issues()[k].scale;
    let mut set = vec![Interval {
        lo: scale.min,
        hi: scale.max,
    }];
    for &i in members {
        set = intersect(&set, &accepted_on_issue(u, i, k));
    }
    set
}
