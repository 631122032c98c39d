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

/// Every built-in scenario; the first is the default.
pub const BUILTINS: &[Builtin] = &[Builtin {
    name: "six-party-2009",
    summary: "The Six-Party Talks on North Korea as they stood in May 2009 (US, DPRK, ROK, Japan, China, Russia)",
    source: include_str!("../../../scenarios/six-party-2009.toml"),
}];

/// The built-in scenarios' names.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.name).collect()
}

/// The TOML source of a built-in scenario (its name, with or without `.toml`).
pub fn builtin_source(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    BUILTINS.iter().find(|b| b.name == name).map(|b| b.source)
}
