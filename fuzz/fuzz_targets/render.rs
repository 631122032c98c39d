//! Fuzzes the diagnostic renderer: any text read as each format, its problems drawn by miette as
//! the CLI draws them (long lines, wide characters, control characters, spans at the end).
#![no_main]

use statecraft_io::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = Format::ALL[usize::from(which) % Format::ALL.len()];
    if let Err(error) = statecraft_io::parse_str("fuzz.in", text.to_owned(), format) {
        statecraft_fuzz::render_error(&error);
    }
});
