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
    use super::{count, number};

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
