//! The checked-in JSON Schemas (`docs/schema/`) are the ones the types generate, and every
//! example request in `docs/requests/` reads and runs.

use std::path::{Path, PathBuf};

use statecraft_api::{request_schema, response_schema, run, Context, Request};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// Compares a generated schema with its file; `STATECRAFT_UPDATE_SCHEMA=1` rewrites the file.
fn check(name: &str, schema: serde_json::Value) {
    let path = docs().join("schema").join(name);
    let text = serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n";
    if std::env::var_os("STATECRAFT_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &text).expect("the schema file is writable");
        return;
    }
    let checked_in =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        checked_in == text,
        "docs/schema/{name} differs from the types; run \
         `STATECRAFT_UPDATE_SCHEMA=1 cargo test -p statecraft-api --test schema` and review the diff"
    );
}

#[test]
fn request_schema_is_checked_in() {
    check("request.json", request_schema());
}

#[test]
fn response_schema_is_checked_in() {
    check("response.json", response_schema());
}

#[test]
fn every_example_request_reads_and_runs() {
    let mut n = 0;
    for entry in std::fs::read_dir(docs().join("requests")).expect("docs/requests") {
        let path = entry.expect("an entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.display().to_string();
        let request = Request::from_json(&name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let response = run(&request, &Context::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(response.schema, statecraft_api::SCHEMA_VERSION);
        // A request survives a round trip through its own JSON.
        let again = Request::from_json(&name, &serde_json::to_string(&request).unwrap()).unwrap();
        assert_eq!(again, request, "{name}");
        n += 1;
    }
    assert!(n >= 8, "only {n} example requests");
}
