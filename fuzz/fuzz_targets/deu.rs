//! Fuzzes the DEU reader (past cases for `validate`): no panic, and every problem renders.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match statecraft_io::parse_deu("fuzz.csv", text.to_owned()) {
        Ok(cases) => {
            for case in &cases.cases {
                let _ = statecraft_core::scenario::Scenario::new(case.scenario.parts().clone())
                    .expect("an accepted case's scenario validates");
            }
        }
        Err(error) => statecraft_fuzz::render_error(&error),
    }
});
