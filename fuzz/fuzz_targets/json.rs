//! Fuzzes the Json reader: see statecraft_fuzz::check_scenario for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    statecraft_fuzz::check_scenario("fuzz.json", data, statecraft_io::Format::Json);
});
