//! Numbers as people read them in sentences, tables and chart labels, formatted one way
//! everywhere.

/// At most two decimals, no trailing zeros, and never `-0`: `18.8449` is `18.84`, `5.0` is `5`.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// How many decimals a value on a scale `span` wide shows: four significant digits of the
/// scale's width, to the decade, so `4 - ceil(log10(span))` clamped to 0..=6. A 0..100 or 0..20
/// scale shows 2 decimals, a 0..1,000 scale 1, a 0..10,200 scale none, a 0..1 scale 4.
pub fn decimals_for(span: f64) -> usize {
    if !span.is_finite() || span <= 0.0 {
        return 2;
    }
    let digits = span.log10().ceil();
    (4.0 - digits).clamp(0.0, 6.0) as usize
}

/// `value` as a person reads it on a scale `span` wide (the one rule of displayed precision):
/// [`decimals_for`] decimals, trailing zeros dropped, thousands grouped, never `-0`.
/// `8637.21` on 0..10,200 is `8,637`; `18.8449` on 0..100 is `18.84`.
pub fn on_scale(value: f64, span: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    // Past a thousand million million, grouped digits stop being read: four significant digits
    // in exponent form (`1.798e308`).
    if value.abs() >= 1e15 {
        let text = format!("{value:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let decimals = decimals_for(span);
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text.as_str()
    };
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.chars().all(|c| c == '0') && fraction.is_empty() {
        return "0".into();
    }
    let mut out = String::from(sign);
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// The terms an output may use that a reader may not know, each with the words that show it is
/// used (lower case) and a one-line definition. The CLI prints the definitions of those it used
/// under its output; `docs/glossary.md` says the same at more length.
pub const GLOSSARY: &[(&str, &[&str], &str)] = &[
    (
        "win-set",
        &["win-set", "values that all accept", "all accept"],
        "the values (or packages) that every actor prefers to the status quo",
    ),
    (
        "linear losses",
        &["linear losses", "quadratic losses"],
        "an actor's loss grows with the distance from its position as a share of the scale (linear) or with its square (quadratic), weighted by salience",
    ),
    (
        "gain",
        &["gain"],
        "how much better than the status quo an actor finds a package: its salience-weighted losses at the status quo minus those at the package, in shares of each issue's scale (1 = a whole scale on an issue of full salience), plus its affinity-weighted share of its partners' gains",
    ),
    (
        "margin",
        &["its margin", "reservation margin", "blame margin"],
        "reservation margin: the gain an actor needs before it accepts; blame margin: how far the holdout falls short of accepting the best package the others would give (in gain)",
    ),
    (
        "capability-weighted log-gain",
        &["log-gain", "nash bargaining"],
        "the Nash bargaining point maximises the sum over actors of capability x log(gain over the status quo), so no actor loses",
    ),
    (
        "red line",
        &["red line"],
        "a range of an issue that its actor says it will never accept; both edges are part of it",
    ),
    (
        "Sobol index",
        &["sobol", "first-order", "s > st"],
        "S, the first-order index, is the share of a forecast's variance an input causes alone; ST, the total index, the share it causes with its interactions; ST >= S when the estimates are exact",
    ),
    (
        "weighted median",
        &["weighted median", "median"],
        "the position where a capability x salience majority is on neither side",
    ),
    (
        "Shapley-Shubik and Banzhaf",
        &["shapley", "banzhaf"],
        "voting power: how often a player's weight turns a losing coalition into a winning one (in orderings of all players, or in all coalitions)",
    ),
];

/// The glossary entries whose words `text` uses, in glossary order.
pub fn terms_in(text: &str) -> Vec<(&'static str, &'static str)> {
    let lower = text.to_lowercase();
    GLOSSARY
        .iter()
        .filter(|(_, words, _)| words.iter().any(|w| contains_word(&lower, w)))
        .map(|&(term, _, meaning)| (term, meaning))
        .collect()
}

/// Whether `words` occurs in `text` not as part of a longer word (`gain` is in "each gain" but
/// not in "against").
fn contains_word(text: &str, words: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(words).any(|(at, _)| {
        !is_word(text[..at].chars().next_back())
            && !is_word(text[at + words.len()..].chars().next())
    })
}

/// A count with thousands separated by commas: `2000` is `2,000`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
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
    use super::{count, decimals_for, number, on_scale};

    #[test]
    fn terms_are_found_as_words() {
        let names = |text: &str| -> Vec<&str> {
            super::terms_in(text).into_iter().map(|(t, _)| t).collect()
        };
        assert_eq!(
            names("reneging is worth 0.2 against a cost of 0.3"),
            Vec::<&str>::new()
        );
        assert_eq!(names("Japan and Russia, who each gain 0.408"), ["gain"]);
        assert_eq!(names("Sobol indices; S > ST"), ["Sobol index"]);
        assert_eq!(names("inside DPRK's red line 0..=10"), ["red line"]);
    }

    #[test]
    fn values_show_the_precision_of_their_scale() {
        for (value, span, text) in [
            (8637.21, 10_200.0, "8,637"),
            (6118.0, 10_190.0, "6,118"),
            (18.8449, 100.0, "18.84"),
            (6.391, 20.0, "6.39"),
            (3.0, 20.0, "3"),
            (512.345, 1000.0, "512.3"),
            (0.123456, 1.0, "0.1235"),
            (-0.0001, 100.0, "0"),
            (-1234.6, 10_000.0, "-1,235"),
            (1_000_000.0, 2_000_000.0, "1,000,000"),
            (f64::MAX, f64::MAX, "1.798e308"),
            (-2e15, 1e16, "-2e15"),
        ] {
            assert_eq!(on_scale(value, span), text, "{value} on a span of {span}");
        }
        assert_eq!(decimals_for(0.0), 2, "a degenerate scale falls back to 2");
        assert_eq!(decimals_for(1e-12), 6, "at most 6 decimals");
    }

    #[test]
    fn counts_group_their_thousands() {
        for (n, text) in [
            (0, "0"),
            (8, "8"),
            (999, "999"),
            (2000, "2,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(count(n), text);
        }
    }

    #[test]
    fn numbers_read_without_noise() {
        for (value, text) in [
            (18.8449, "18.84"),
            (5.0, "5"),
            (-0.001, "0"),
            (0.5, "0.5"),
            (-2.345, "-2.35"),
        ] {
            assert_eq!(number(value), text, "{value}");
        }
    }
}
