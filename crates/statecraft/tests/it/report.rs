//! `statecraft report` as a reader meets it: the HTML page opened in a real headless Chromium
//! (no console errors, no network, every chart laid out, narrow and A4 print), the charts written
//! as SVG and PNG and checked for size and content, the other formats, and bad usage.
//!
//! The browser tests need Node.js, `npm ci` in `tests/browser` and Debian's `chromium`, which
//! `.ci/run` installs. Without them they print `SKIPPED` and pass, unless
//! `STATECRAFT_REQUIRE_BROWSER` is set (as `.ci/run` sets it), when they fail.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

use crate::support::{ok_with, run, statecraft};

/// The options that keep the built-in report quick while exercising every section.
const QUICK: [&str; 6] = [
    "--sweep",
    "300",
    "--sensitivity",
    "64",
    "--histories",
    "2000",
];

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Writes the built-in scenario's report (with `extra` options) to `dir/report.html`.
fn write_report(dir: &Path, extra: &[&str]) -> PathBuf {
    write_report_of(dir, None, extra)
}

/// Writes the report of `scenario` (a path from the workspace root; the built-in one when
/// `None`) to `dir/report.html`.
fn write_report_of(dir: &Path, scenario: Option<&str>, extra: &[&str]) -> PathBuf {
    let path = dir.join("report.html");
    let mut args = vec!["report"];
    args.extend(scenario);
    args.extend(["-o", path.to_str().expect("UTF-8 path")]);
    args.extend_from_slice(&QUICK);
    args.extend_from_slice(extra);
    ok_with(&[], &args);
    path
}

/// The crowded scenario of issue 19: long labels, anchors at 3.67 and 5 on a 0..20 scale, a
/// 10..10,200 scale, red lines and actors with equal positions.
const CROWDED: &str = "crates/statecraft/tests/fixtures/crowded/iran-2015.toml";

/// Copies the browser's screenshots in `dir` to `$STATECRAFT_SCREENSHOTS` as `NAME-wide.png` and
/// `NAME-narrow.png`, when that is set, for a person to look at.
fn keep_screenshots(dir: &Path, name: &str) {
    let Ok(keep) = std::env::var("STATECRAFT_SCREENSHOTS") else {
        return;
    };
    std::fs::create_dir_all(&keep).expect("screenshot dir");
    for shot in ["wide", "narrow"] {
        std::fs::copy(
            dir.join(format!("{shot}.png")),
            Path::new(&keep).join(format!("{name}-{shot}.png")),
        )
        .expect("copy the screenshot");
    }
}

/// The chart ids the built-in report must contain: five per issue, then durability and power.
fn expected_charts() -> Vec<String> {
    let report = report_json();
    let mut ids = Vec::new();
    for issue in report["scenario"]["issues"].as_array().expect("issues") {
        let id = issue["id"].as_str().expect("id");
        for prefix in [
            "forecast",
            "rounds",
            "turns",
            "coalition",
            "spread",
            "tornado",
        ] {
            ids.push(format!("{prefix}-{id}"));
        }
    }
    // Flat lines at 100% are not drawn: the section says so in a sentence instead.
    let flat = report["durability"]["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .all(|f| {
            f["survival"]
                .as_array()
                .expect("curve")
                .iter()
                .all(|s| s == 1.0)
        });
    if !flat {
        ids.push("durability".into());
    }
    ids.push("power".into());
    ids
}

fn report_json() -> Value {
    let mut args = vec!["report", "--format", "json"];
    args.extend_from_slice(&QUICK);
    let text = ok_with(&[], &args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The report's browser checker, or `None` when this machine lacks a browser.
fn browser_checker() -> Option<(PathBuf, String)> {
    crate::support::browser_script("check.mjs")
}

/// Opens `html` in headless Chromium; returns what the checker saw.
fn open_in_browser(checker: &(PathBuf, String), html: &Path, out: &Path) -> Value {
    let output = Process::new("node")
        .arg(&checker.0)
        .arg(html)
        .arg(out)
        .env("CHROMIUM", &checker.1)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// A decoded PNG: width, height, RGB(A) pixels and the bytes per pixel.
struct Image {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    channels: usize,
}

fn decode_png(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut pixels)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pixels.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        channels: info.color_type.samples(),
        pixels,
    }
}

impl Image {
    /// The share of pixels that are not (near) white, and the number of distinct colours.
    fn ink(&self) -> (f64, usize) {
        let mut colours = std::collections::HashSet::new();
        let mut inked = 0usize;
        let n = self.pixels.len() / self.channels;
        for px in self.pixels.chunks(self.channels) {
            let rgb = [px[0], px[1], px[2]];
            if rgb.iter().any(|&c| c < 235) {
                inked += 1;
            }
            if colours.len() < 1000 {
                colours.insert(rgb);
            }
        }
        (inked as f64 / n as f64, colours.len())
    }
}

#[test]
fn report_renders_in_headless_chromium_without_errors_or_network() {
    let Some(checker) = browser_checker() else {
        return;
    };
    let dir = temp_dir();
    let html = write_report(dir.path(), &[]);
    let seen = open_in_browser(&checker, &html, dir.path());

    assert_eq!(
        seen["consoleMessages"],
        Value::Array(vec![]),
        "console: {seen:#}"
    );
    assert_eq!(seen["requests"], Value::Array(vec![]), "network: {seen:#}");
    let headings: Vec<&str> = seen["headings"]
        .as_array()
        .expect("headings")
        .iter()
        .map(|h| h.as_str().expect("text"))
        .collect();
    for section in [
        "The scenario",
        "Where it lands",
        "Who pressed whom",
        "The spatial model's turns",
        "What do they want?",
        "How sure?",
        "Is it election-proof?",
        "Who holds voting power",
    ] {
        assert!(
            headings.contains(&section),
            "no section `{section}` in {headings:?}"
        );
    }

    let charts = seen["charts"].as_array().expect("charts");
    let ids: Vec<&str> = charts
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), expected_charts().len(), "{ids:?}");
    for id in expected_charts() {
        let chart = charts
            .iter()
            .find(|c| c["id"] == id.as_str())
            .unwrap_or_else(|| panic!("chart `{id}` missing from {ids:?}"));
        let number = |key: &str| chart[key].as_f64().expect("a number");
        assert!(
            number("width") > 600.0 && number("height") > 300.0,
            "{chart}"
        );
        assert!(
            number("shapes") >= 10.0 && number("texts") >= 4.0,
            "empty chart {chart}"
        );
        assert_eq!(chart["role"], "img", "{chart}");
        for key in ["title", "description", "caption"] {
            assert!(
                chart[key].as_str().is_some_and(|t| t.len() > 10),
                "chart `{id}` has no {key}: {chart}"
            );
        }
    }

    // A narrow window scrolls nothing sideways but tables (which scroll inside their box).
    assert!(
        seen["narrowOverflow"].as_f64().expect("a number") <= 0.0,
        "the page is wider than a 360px window: {seen:#}"
    );
    // Printed on A4: 595 x 842 points.
    let media = seen["pdf"]["mediaBox"].as_array().expect("a media box");
    assert!(
        (media[0].as_f64().unwrap() - 595.3).abs() < 2.0,
        "{media:?}"
    );
    assert!(
        (media[1].as_f64().unwrap() - 841.9).abs() < 2.0,
        "{media:?}"
    );
    assert!(
        seen["pdf"]["pages"].as_u64().expect("pages") >= 5,
        "{seen:#}"
    );

    let shot = decode_png(&dir.path().join("wide.png"));
    assert_eq!(shot.width, 1280);
    assert!(
        shot.height > 5000,
        "the page is only {}px tall",
        shot.height
    );
    let (ink, colours) = shot.ink();
    assert!(
        ink > 0.02 && colours > 20,
        "the screenshot looks blank: {ink} {colours}"
    );
    let narrow = decode_png(&dir.path().join("narrow.png"));
    assert!(narrow.ink().0 > 0.02, "the narrow screenshot looks blank");
    keep_screenshots(dir.path(), "built-in");
}

#[test]
fn the_crowded_report_renders_in_headless_chromium_too() {
    let Some(checker) = browser_checker() else {
        return;
    };
    let dir = temp_dir();
    let html = write_report_of(dir.path(), Some(CROWDED), &[]);
    let seen = open_in_browser(&checker, &html, dir.path());
    assert_eq!(seen["consoleMessages"], Value::Array(vec![]), "{seen:#}");
    assert_eq!(seen["requests"], Value::Array(vec![]), "{seen:#}");
    assert!(
        seen["narrowOverflow"].as_f64().expect("a number") <= 0.0,
        "the page is wider than a 360px window: {seen:#}"
    );
    let charts = seen["charts"].as_array().expect("charts");
    for issue in ["enrichment", "centrifuges", "sanctions_relief"] {
        for prefix in ["forecast", "rounds", "turns", "coalition", "spread"] {
            let id = format!("{prefix}-{issue}");
            let chart = charts
                .iter()
                .find(|c| c["id"] == id.as_str())
                .unwrap_or_else(|| panic!("chart `{id}` missing: {seen:#}"));
            let number = |key: &str| chart[key].as_f64().expect("a number");
            assert!(
                number("width") > 600.0 && number("height") > 300.0,
                "{chart}"
            );
            assert!(
                number("shapes") >= 10.0 && number("texts") >= 4.0,
                "empty chart {chart}"
            );
        }
    }
    let (ink, colours) = decode_png(&dir.path().join("wide.png")).ink();
    assert!(
        ink > 0.02 && colours > 20,
        "the screenshot looks blank: {ink} {colours}"
    );
    keep_screenshots(dir.path(), "crowded");
}

#[test]
fn the_browser_check_sees_network_requests_and_console_errors() {
    // The checks above are only worth something if they can fail: a page that fetches an image
    // and runs a failing script must be caught.
    let Some(checker) = browser_checker() else {
        return;
    };
    let dir = temp_dir();
    let html = write_report(dir.path(), &[]);
    let text = std::fs::read_to_string(&html).expect("the report");
    let csp_start = text
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("a CSP");
    let csp_end = csp_start + text[csp_start..].find('>').expect("end of the meta tag") + 1;
    let tampered = format!(
        "{}{}",
        &text[..csp_start],
        &text[csp_end..].replacen(
            "</main>",
            "<img src=\"http://192.0.2.1/tracker.png\" alt=\"\"><script>console.error('broken')</script></main>",
            1
        )
    );
    std::fs::write(&html, tampered).expect("write");
    let seen = open_in_browser(&checker, &html, dir.path());
    let requests = seen["requests"].to_string();
    assert!(
        requests.contains("192.0.2.1"),
        "the request went unseen: {seen:#}"
    );
    assert!(
        seen["consoleMessages"].to_string().contains("broken"),
        "the console error went unseen: {seen:#}"
    );
}

#[test]
fn charts_are_written_as_svg_and_non_blank_png_sized_for_slides() {
    let dir = temp_dir();
    let charts = dir.path().join("charts");
    write_report(
        dir.path(),
        &["--charts", charts.to_str().expect("UTF-8 path")],
    );
    for id in expected_charts() {
        let svg = std::fs::read_to_string(charts.join(format!("{id}.svg")))
            .unwrap_or_else(|e| panic!("{id}.svg: {e}"));
        assert!(
            svg.contains("<svg") && svg.contains("viewBox=\"0 0 1280 720\""),
            "{id}.svg"
        );
        assert!(svg.matches("<text").count() >= 4, "{id}.svg has no labels");
        let image = decode_png(&charts.join(format!("{id}.png")));
        assert_eq!((image.width, image.height), (1280, 720), "{id}.png");
        let (ink, colours) = image.ink();
        assert!(
            ink > 0.01 && ink < 0.9 && colours >= 4,
            "{id}.png looks blank or flooded: {:.3} inked, {colours} colours",
            ink
        );
    }
}

#[test]
fn the_report_is_written_in_every_format() {
    let dir = temp_dir();
    for (file, check) in [
        ("r.md", "## Where it lands"),
        (
            "r.csv",
            "section,subject,subject_label,issue,issue_label,measure,value",
        ),
        ("r.json", "\"schema\": \"statecraft-report/1\""),
        ("r.html", "<!DOCTYPE html>"),
        // A zip archive, whose part names are plain text.
        ("r.xlsx", "xl/worksheets/sheet2.xml"),
    ] {
        let path = dir.path().join(file);
        ok_with(
            &[],
            &[
                "report",
                "-o",
                path.to_str().expect("UTF-8"),
                "--histories",
                "500",
            ],
        );
        let bytes = std::fs::read(&path).expect("the report");
        assert!(
            String::from_utf8_lossy(&bytes).contains(check),
            "{file} lacks `{check}`"
        );
    }
    let json = report_json();
    assert_eq!(json["schema"], "statecraft-report/1");
    // Asked for, the sweep is there; the compromise model's spread brackets its forecast.
    let spread = &json["sweep"]["models"][0];
    assert_eq!(spread["model"], "compromise");
    let forecast = json["forecasts"][0]["issues"][0]["value"]
        .as_f64()
        .expect("a value");
    let q = spread["issues"][0]["quantiles"]
        .as_array()
        .expect("quantiles");
    assert!(q[0].as_f64().unwrap() <= forecast && forecast <= q[4].as_f64().unwrap());
}

#[test]
fn sections_not_run_are_left_out_not_faked() {
    // Without --sweep there is no spread or tornado, in the HTML or the JSON.
    let dir = temp_dir();
    let path = dir.path().join("r.html");
    ok_with(
        &[],
        &[
            "report",
            "-o",
            path.to_str().expect("UTF-8"),
            "--histories",
            "500",
        ],
    );
    let html = std::fs::read_to_string(&path).expect("the report");
    assert!(!html.contains("id=\"sweep\"") && !html.contains("data-chart=\"spread-"));
    // The built-in package holds in every history: a sentence, not four flat lines.
    assert!(html.contains("id=\"durability\""));
    assert!(!html.contains("data-chart=\"durability\""));
    assert!(
        html.contains("no survival curve to draw"),
        "no sentence for flat lines"
    );
    let json: Value = serde_json::from_str(&ok_with(
        &[],
        &["report", "--format", "json", "--histories", "500"],
    ))
    .expect("JSON");
    assert!(json["sweep"].is_null());

    // A scenario without a date has no durability section, and says why.
    let scenario = dir.path().join("undated.toml");
    std::fs::write(
        &scenario,
        "[scenario]\ntitle = \"Undated\"\n\n[[issues]]\nid = \"tax\"\nmin = 0\nmax = 10\nstatus_quo = 5\n\n\
         [[actors]]\nid = \"A\"\ncapability = 2\n[actors.positions]\ntax = { position = 1, salience = 0.5 }\n\n\
         [[actors]]\nid = \"B\"\ncapability = 1\n[actors.positions]\ntax = { position = 9, salience = 0.5 }\n",
    )
    .expect("write");
    let json: Value = serde_json::from_str(&ok_with(
        &[],
        &[
            "report",
            scenario.to_str().expect("UTF-8"),
            "--format",
            "json",
        ],
    ))
    .expect("JSON");
    assert!(json["durability"].is_null(), "{json:#}");
    assert!(json["notes"].to_string().contains("no date"), "{json:#}");
}

#[test]
fn bad_report_usage_exits_2_with_a_message() {
    let dir = temp_dir();
    for (args, expected) in [
        (
            vec!["report", "-o", "r.txt"],
            "cannot tell the report format",
        ),
        (
            vec!["report", "--sensitivity", "100"],
            "--sensitivity needs a sweep",
        ),
        (
            vec!["report", "--sweep", "10", "--uncertainty=-1"],
            "--uncertainty -1",
        ),
        (
            vec!["report", "--package", "nuclear_status=500"],
            "nuclear_status",
        ),
        (
            vec!["report", "--form", "handshake"],
            "unknown agreement form",
        ),
        (vec!["report", "no-such-file.toml"], "no-such-file.toml"),
        (vec!["report", "--format", "xlsx"], "give -o FILE.xlsx"),
    ] {
        let mut cmd = statecraft();
        cmd.current_dir(dir.path()).args(&args);
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?} wrote {stdout}");
    }
    assert!(!dir.path().join("r.txt").exists());
}

#[test]
fn a_stored_sweep_is_reported_with_its_own_spreads_and_sensitivities() {
    let dir = temp_dir();
    let store = dir.path().join("runs.sqlite");
    let store = store.to_str().expect("UTF-8");
    let sweep: Value = serde_json::from_str(&ok_with(
        &[],
        &[
            "sweep",
            "--runs",
            "200",
            "--seed",
            "5",
            "--sensitivity",
            "32",
            "--store",
            store,
            "--format",
            "json",
        ],
    ))
    .expect("JSON");
    let report: Value = serde_json::from_str(&ok_with(
        &[],
        &[
            "report",
            "--store",
            store,
            "--run",
            "1",
            "--format",
            "json",
            "--histories",
            "500",
        ],
    ))
    .expect("JSON");
    let section = &report["sweep"];
    assert_eq!(section["runs"], 200);
    assert_eq!(section["seed"], 5);
    // The report shows the stored numbers, not a new sweep's.
    assert_eq!(section["models"][0]["model"], sweep["models"][0]["model"]);
    assert_eq!(
        section["models"][0]["issues"][0]["quantiles"],
        sweep["models"][0]["issues"][0]["quantiles"]
    );
    assert_eq!(
        section["sensitivity"][0]["inputs"],
        sweep["sensitivity"]["issues"][0]["inputs"]
    );

    // A run that is not a sweep, or is not there, is bad input; so is naming a scenario too.
    ok_with(&[], &["forecast", "--store", store]);
    for (args, expected) in [
        (
            vec!["report", "--store", store, "--run", "2"],
            "not a sweep",
        ),
        (vec!["report", "--store", store, "--run", "9"], "no run 9"),
        (
            vec!["report", "six-party-2009", "--store", store, "--run", "1"],
            "cannot be used with",
        ),
    ] {
        let mut cmd = statecraft();
        cmd.args(&args);
        let (code, _, stderr) = run(&mut cmd);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn report_with_infer_adds_what_the_record_says() {
    // Without --infer there is no such section.
    let plain = report_json();
    assert!(plain["inference"].is_null());

    let text = ok_with(
        &[],
        &[
            "report",
            "--infer",
            "--histories",
            "500",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&text).unwrap();
    let inference = &report["inference"];
    assert_eq!(inference["converged"], true, "{inference}");
    assert!(inference["n_observations"].as_u64().unwrap() > 0);
    // The same numbers as `statecraft infer` with the same seed.
    let infer: Value = serde_json::from_str(&ok_with(&[], &["infer", "--format", "json"])).unwrap();
    assert_eq!(inference["parameters"], infer["parameters"]);
    assert_eq!(inference["prediction"], infer["prediction"]);

    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    ok_with(
        &[],
        &[
            "report",
            "--infer",
            "--histories",
            "500",
            "-o",
            html.to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<section id=\"inference\"><h2>What the record says</h2>"));
    assert!(page.contains("data-chart=\"record-nuclear_status\""));
    assert!(page.contains("data-chart=\"record-saliences\""));
    assert!(page.contains("Chance of accepting the package, before and after the record"));
}

/// The DEU fixture of the readers' tests.
fn deu_fixture() -> String {
    crate::support::crate_dir()
        .join("../statecraft-io/tests/fixtures/deu/small.tsv")
        .display()
        .to_string()
}

#[test]
fn validate_writes_an_accuracy_page_with_the_error_chart() {
    let dir = temp_dir();
    let page = dir.path().join("accuracy.html");
    let data = deu_fixture();
    let args = [
        "validate",
        data.as_str(),
        "--folds",
        "3",
        "--bootstrap",
        "100",
        "-o",
        page.to_str().expect("utf-8"),
    ];
    let (code, stdout, stderr) = run(statecraft().args(args));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Accuracy on"),
        "the table is still printed: {stdout}"
    );
    let html = std::fs::read_to_string(&page).expect("the page is written");
    assert!(
        html.contains("data-chart=\"validation-errors\""),
        "no error chart"
    );
    for id in ["compromise", "median", "bdm", "smp", "sq-pull *"] {
        assert!(
            html.contains(&format!(">{id}<")),
            "the chart has no row `{id}`"
        );
    }
    assert!(
        !html.contains("NaN") && !html.contains("inf<"),
        "a non-number in the page"
    );

    // Never over an existing file without --force, never over an input, only HTML.
    let (code, _, stderr) = run(statecraft().args(args));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(run(statecraft().args(&forced)).0, Some(0));
    let copy = dir.path().join("small.tsv");
    std::fs::copy(&data, &copy).expect("copy");
    let (code, _, stderr) = run(statecraft().args([
        "validate",
        copy.to_str().expect("utf-8"),
        "--folds",
        "3",
        "-o",
        copy.to_str().expect("utf-8"),
        "--force",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("input"), "{stderr}");
    let (code, _, stderr) = run(statecraft().args(["validate", data.as_str(), "-o", "x.pdf"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("HTML"), "{stderr}");

    let Some(checker) = browser_checker() else {
        return;
    };
    let seen = open_in_browser(&checker, &page, dir.path());
    assert_eq!(seen["consoleMessages"], Value::Array(vec![]), "{seen:#}");
    assert_eq!(seen["requests"], Value::Array(vec![]), "{seen:#}");
    assert_eq!(
        seen["narrowOverflow"], 0,
        "the page scrolls sideways on a phone"
    );
    let chart = &seen["charts"][0];
    assert_eq!(chart["id"], "validation-errors", "{seen:#}");
    assert!(
        chart["shapes"].as_f64().expect("a number") >= 20.0,
        "{chart}"
    );
    if let Ok(keep) = std::env::var("STATECRAFT_SCREENSHOTS") {
        std::fs::create_dir_all(&keep).expect("screenshot dir");
        std::fs::copy(
            dir.path().join("wide.png"),
            Path::new(&keep).join("accuracy.png"),
        )
        .expect("copy the screenshot");
    }
}
