//! The OpenAPI 3.1 document of the HTTP API, with the request and response schemas generated
//! from the API's types (the same as docs/schema/), so that it cannot drift from the code.

use serde_json::{json, Map, Value};

/// Moves a schema's `$defs` into `defs` and points its references at the components.
fn absorb(mut schema: Value, defs: &mut Map<String, Value>) -> Value {
    if let Some(Value::Object(inner)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (name, def) in inner {
            defs.insert(name, def);
        }
    }
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    schema
}

fn repoint(value: &mut Value) {
    match value {
        Value::Object(o) => {
            for (k, v) in o.iter_mut() {
                if k == "$ref" {
                    if let Value::String(s) = v {
                        if let Some(rest) = s.strip_prefix("#/$defs/") {
                            *s = format!("#/components/schemas/{rest}");
                        }
                    }
                } else {
                    repoint(v);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(repoint),
        _ => {}
    }
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["kind", "problems"],
        "properties": {
            "kind": { "type": "string", "description": "bad_input, failed, cancelled, too_large, timeout, busy, forbidden, not_found, conflict, unsupported_media_type or malformed" },
            "problems": { "type": "array", "items": { "$ref": "#/components/schemas/ProblemData" } },
            "incident": { "type": "string", "description": "for a 500: the id the server log prints" }
        }
    })
}

fn job_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "analysis", "state", "done", "total", "interrupted"],
        "properties": {
            "id": { "type": "integer" },
            "analysis": { "type": "string" },
            "state": { "enum": ["queued", "running", "done", "failed", "cancelled"] },
            "done": { "type": "integer", "description": "units of work finished (draws, histories)" },
            "total": { "type": "integer", "description": "units of work in all; 0 until known" },
            "note": { "type": "string" },
            "error": { "type": "object" },
            "interrupted": { "type": "boolean", "description": "a sweep cancelled after some draws: its result is partial" }
        }
    })
}

fn errors(codes: &[(&str, &str)]) -> Map<String, Value> {
    codes
        .iter()
        .map(|(code, why)| {
            (
                (*code).to_owned(),
                json!({ "description": why, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HttpError" } } } }),
            )
        })
        .collect()
}

fn responses(ok: (&str, Value), codes: &[(&str, &str)]) -> Value {
    let mut all = errors(codes);
    all.insert(
        ok.0.to_owned(),
        json!({ "description": "success", "content": { "application/json": { "schema": ok.1 } } }),
    );
    Value::Object(all)
}

const BODY_ERRORS: [(&str, &str); 7] = [
    ("400", "the body is not JSON"),
    ("403", "sent from another origin"),
    ("408", "the body came too slowly"),
    ("413", "the body is over the limit (4 MiB by default)"),
    ("415", "the body is not sent as application/json"),
    (
        "422",
        "the request or its scenario is invalid: the problems as data",
    ),
    (
        "500",
        "an internal error; `incident` names it in the server log",
    ),
];

/// The OpenAPI document served at `/api/v1/openapi.json`.
pub fn openapi() -> Value {
    let mut defs = Map::new();
    let request = absorb(statecraft_api::request_schema(), &mut defs);
    let response = absorb(statecraft_api::response_schema(), &mut defs);
    defs.insert("Request".into(), request);
    defs.insert("Response".into(), response);
    defs.insert("HttpError".into(), error_schema());
    defs.insert("Job".into(), job_schema());
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "statecraft",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The analysis API over HTTP: the same requests and results as `statecraft run` (docs/api.md)."
        },
        "paths": {
            "/api/v1/run": { "post": {
                "summary": "Run one fast request; past the time limit it is stopped with 503",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
                "responses": responses(("200", json!({ "$ref": "#/components/schemas/Response" })),
                    &[BODY_ERRORS.as_slice(), &[("503", "the request ran past the time limit")]].concat())
            }},
            "/api/v1/jobs": {
                "post": {
                    "summary": "Run a slow request as a job",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
                    "responses": responses(("202", json!({ "$ref": "#/components/schemas/Job" })),
                        &[BODY_ERRORS.as_slice(), &[("429", "too many jobs are running or waiting")]].concat())
                },
                "get": {
                    "summary": "Every job, oldest first",
                    "responses": responses(("200", json!({ "type": "array", "items": { "$ref": "#/components/schemas/Job" } })), &[])
                }
            },
            "/api/v1/jobs/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "get": { "summary": "A job's state and progress", "responses": responses(("200", json!({ "$ref": "#/components/schemas/Job" })), &[("404", "no such job")]) },
                "delete": { "summary": "Cancel a job", "responses": responses(("202", json!({ "$ref": "#/components/schemas/Job" })), &[("404", "no such job")]) }
            },
            "/api/v1/jobs/{id}/result": {
                "parameters": [
                    { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
                    { "name": "format", "in": "query", "schema": { "enum": ["json", "html", "md", "csv"] }, "description": "json: the response; html, md, csv: a report job's report as a file" }
                ],
                "get": { "summary": "A finished job's result", "responses": responses(("200", json!({ "$ref": "#/components/schemas/Response" })), &[("404", "no such job"), ("409", "the job has no result (yet)"), ("422", "that format needs a report")]) }
            },
            "/api/v1/builtins": { "get": { "summary": "The built-in scenarios", "responses": responses(("200", json!({ "type": "array", "items": { "type": "object", "properties": { "name": { "type": "string" }, "summary": { "type": "string" } } } })), &[]) } },
            "/api/v1/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "the OpenAPI document" } } } }
        },
        "components": { "schemas": Value::Object(defs) }
    });
    repoint(&mut doc);
    doc
}
