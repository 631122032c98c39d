//! Fuzzes the request reader (`statecraft run`, the server's JSON API): no panic, and an
//! accepted request reads back equal from its own JSON.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(request) = statecraft_api::Request::from_json("fuzz.json", text) {
        let written = serde_json::to_string(&request).expect("a request serialises");
        let again = statecraft_api::Request::from_json("written.json", &written)
            .expect("a written request reads back");
        assert_eq!(request, again, "request -> JSON -> request changed it");
    }
});
