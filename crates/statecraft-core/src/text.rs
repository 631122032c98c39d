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

#[cfg(test)]
mod tests {
    use super::number;

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
