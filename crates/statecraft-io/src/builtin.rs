//! The scenarios shipped inside the binary, so that a fresh clone runs with no files at hand.

/// A built-in scenario.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The name used on the command line.
    pub name: &'static str,
    /// One line on what it is.
    pub summary: &'static str,
    /// The TOML source.
    pub source: &'static str,
}

/// Every built-in scenario; the first is the default. The others are the casebook of
/// `durability --backtest`: agreements whose fate is known, each written as of its signing.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "six-party-2009",
        summary: "The Six-Party Talks on North Korea as they stood in May 2009 (US, DPRK, ROK, Japan, China, Russia)",
        source: include_str!("../../../scenarios/six-party-2009.toml"),
    },
    Builtin {
        name: "agreed-framework-1994",
        summary: "Backtest case: the US-DPRK Agreed Framework (signed 1994; ended 2002-03)",
        source: include_str!("../../../scenarios/cases/agreed-framework-1994.toml"),
    },
    Builtin {
        name: "jcpoa-2015",
        summary: "Backtest case: the Iran nuclear deal (signed 2015; US withdrawal 2018)",
        source: include_str!("../../../scenarios/cases/jcpoa-2015.toml"),
    },
    Builtin {
        name: "paris-2015",
        summary: "Backtest case: the Paris Agreement (adopted 2015; US withdrawal announced 2017)",
        source: include_str!("../../../scenarios/cases/paris-2015.toml"),
    },
    Builtin {
        name: "abm-1972",
        summary: "Backtest case: the ABM Treaty (signed 1972; US withdrawal 2002)",
        source: include_str!("../../../scenarios/cases/abm-1972.toml"),
    },
    Builtin {
        name: "inf-1987",
        summary: "Backtest case: the INF Treaty (signed 1987; ended 2019)",
        source: include_str!("../../../scenarios/cases/inf-1987.toml"),
    },
    Builtin {
        name: "new-start-2010",
        summary: "Backtest case: New START (signed 2010; survived 2017 and 2021; suspended by Russia 2023)",
        source: include_str!("../../../scenarios/cases/new-start-2010.toml"),
    },
    Builtin {
        name: "good-friday-1998",
        summary: "Backtest case: the Good Friday Agreement (signed 1998; still in force)",
        source: include_str!("../../../scenarios/cases/good-friday-1998.toml"),
    },
    Builtin {
        name: "egypt-israel-1979",
        summary: "Backtest case: the Egypt-Israel Peace Treaty (signed 1979; still in force)",
        source: include_str!("../../../scenarios/cases/egypt-israel-1979.toml"),
    },
    Builtin {
        name: "montreal-1987",
        summary: "Backtest case: the Montreal Protocol (signed 1987; still in force)",
        source: include_str!("../../../scenarios/cases/montreal-1987.toml"),
    },
];

/// The built-in scenarios' names.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.name).collect()
}

/// The TOML source of a built-in scenario (its name, with or without `.toml`).
pub fn builtin_source(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    BUILTINS.iter().find(|b| b.name == name).map(|b| b.source)
}
