//! Contract tests: every file in `shared/fixtures/elasticsearch/` (the Elasticsearch
//! specification's request/response examples and fluent-bit's own test records; see its
//! PROVENANCE.md) read by our answer readers and line parser, in place at run time. Expected
//! values below were read from those files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use funcdeck_core::backend::Failure;
use funcdeck_core::backend::transport::RawResponse;
use funcdeck_core::elastic::answer::{read_count, read_json, read_page};
use funcdeck_core::elastic::client::read_pit;
use funcdeck_core::elastic::{LineParser, LogQuery, Scope};
use serde_json::{Map, Value, json};

fn fixtures_dir() -> PathBuf {
    match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    }
    .join("elasticsearch")
}

/// Every file this suite reads; `every_file_is_checked` fails when the directory has others.
const CHECKED: &[&str] = &[
    "PROVENANCE.md",
    "es-specification/CountResponseExample1.yaml",
    "es-specification/OpenPointInTimeResponseExample1.yaml",
    "es-specification/PostStreamsEnableResponseExample2.error409.yaml",
    "es-specification/SearchRequestExample1.yaml",
    "es-specification/SearchRequestExample2.yaml",
    "es-specification/SearchResponseExample1.yaml",
    "fluent-bit/core_base_fluent-bit.log",
    "fluent-bit/core_base_fluent-bit.out",
    "fluent-bit/options_merge-log-enabled_json.out",
];

fn files_under(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            let rel = path.strip_prefix(base).expect("under base");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn text(name: &str) -> String {
    let path = fixtures_dir().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

/// The spec's example wrapper: the payload is the JSON text under `value`.
#[derive(serde::Deserialize)]
struct Example {
    value: String,
    method_request: Option<String>,
}

fn example(name: &str) -> Example {
    serde_saphyr::from_str(&text(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn answer(name: &str, status: u16) -> RawResponse {
    RawResponse {
        status,
        content_type: "application/json".into(),
        body: example(name).value.into_bytes(),
    }
}

/// What fluent-bit's `es` output makes of a filter record `[epoch, {record}]`: `@timestamp`
/// prepended (milliseconds, truncated as its `%3N`), and with `Replace_Dots On` every `.` in a key made `_`.
fn as_indexed(record: &str) -> Value {
    let parsed: Value = serde_json::from_str(record).expect("record is JSON");
    let epoch = parsed[0].as_f64().expect("epoch");
    let at =
        chrono::DateTime::from_timestamp_millis((epoch * 1000.0).floor() as i64).expect("time");
    let mut doc = Map::new();
    doc.insert(
        "@timestamp".into(),
        json!(at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
    );
    if let Value::Object(fields) = replace_dots(&parsed[1]) {
        doc.extend(fields);
    }
    Value::Object(doc)
}

fn replace_dots(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.replace('.', "_"), replace_dots(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn every_file_is_checked() {
    let base = fixtures_dir();
    let mut found = BTreeSet::new();
    files_under(&base, &base, &mut found);
    let checked: BTreeSet<String> = CHECKED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        found, checked,
        "fixtures/elasticsearch changed; check the new files here"
    );
    let provenance = text("PROVENANCE.md");
    for name in CHECKED.iter().filter(|n| **n != "PROVENANCE.md") {
        assert!(provenance.contains(name), "{name} has no provenance");
    }
}

#[test]
fn the_spec_search_response_is_a_page_of_one_line() {
    let mut parser = LineParser::default();
    let page = read_page(
        &answer("es-specification/SearchResponseExample1.yaml", 200),
        20,
        &mut parser,
    )
    .expect("a search answer");
    assert_eq!(page.took_ms, 5);
    assert!(!page.partial);
    assert_eq!(page.total.map(|t| (t.value, t.exact)), Some((20, true)));
    // One hit of the 20 asked: the last page.
    assert_eq!(page.next, None);
    let line = &page.lines[0];
    assert_eq!(line.id, "my-index-000001/0");
    assert_eq!(line.message, "GET /search HTTP/1.1 200 1070000");
    assert_eq!(line.timestamp.to_rfc3339(), "2099-11-15T14:12:12+00:00");
    assert_eq!(line.level, None);
    assert_eq!(line.field("http.response.status_code"), Some("200"));
    assert_eq!(line.field("user.id"), Some("kimchy"));
}

#[test]
fn the_spec_count_pit_and_error_answers_are_read() {
    assert_eq!(
        read_count(&answer("es-specification/CountResponseExample1.yaml", 200)),
        Ok(1)
    );
    let pit = read_pit(&answer(
        "es-specification/OpenPointInTimeResponseExample1.yaml",
        200,
    ))
    .expect("pit");
    assert!(
        pit.is_some_and(|id| id.starts_with("46ToAwMDaWR5BXV1aWQy") && id.ends_with("gAAAAA="))
    );
    // The one recorded error body (a 409): the root cause's reason, not the summary.
    assert_eq!(
        read_json(&answer("es-specification/PostStreamsEnableResponseExample2.error409.yaml", 409)),
        Err(Failure::Http {
            code: 409,
            message: "Cannot enable logs.otel streams: indices named 'logs.otel' or starting with 'logs.otel.' already exist.".into()
        })
    );
}

#[test]
fn our_requests_have_the_specs_shapes() {
    // A term query: `{"term": {FIELD: VALUE}}` on `/<index>/_search`.
    let simple = example("es-specification/SearchRequestExample1.yaml");
    let spec: Value = serde_json::from_str(&simple.value).expect("json");
    let q = LogQuery::new(Scope::function("default", "hello"));
    let ours = q.query_json(".keyword");
    let term = &ours["bool"]["filter"][0]["term"];
    let spec_term = spec["query"]["term"].as_object().expect("term");
    assert_eq!(term.as_object().map(Map::len), Some(spec_term.len()));
    assert!(
        term.as_object()
            .expect("term")
            .values()
            .all(Value::is_string)
    );
    let line = simple.method_request.expect("method");
    assert!(line.starts_with("GET /my-index-000001/_search"), "{line}");

    // A PIT search: `POST /_search` (no index), `pit: {id, keep_alive}` beside `size`/`query`.
    let pit = example("es-specification/SearchRequestExample2.yaml");
    assert_eq!(pit.method_request.as_deref(), Some("POST /_search"));
    let spec: Value = serde_json::from_str(&pit.value).expect("json");
    let mut q = LogQuery::new(Scope::default()).with_size(100);
    q.pit = spec["pit"]["id"].as_str().map(str::to_owned);
    let ours = q.search_json(".keyword", "1m");
    assert_eq!(ours["pit"], spec["pit"]);
    assert_eq!(ours["size"], spec["size"]);
    let keys = |v: &Value| {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    assert!(
        keys(&spec).is_subset(&keys(&ours)),
        "{:?} vs {:?}",
        keys(&spec),
        keys(&ours)
    );
}

#[test]
fn a_kubernetes_filter_record_becomes_a_line_with_pod_facts() {
    let doc = as_indexed(&text("fluent-bit/core_base_fluent-bit.out"));
    let line = LineParser::default().parse("fluent-bit", "1", &doc, None);
    assert_eq!(line.timestamp.to_rfc3339(), "2019-04-01T17:58:33.598+00:00");
    assert_eq!(
        (
            line.namespace.as_str(),
            line.pod.as_str(),
            line.container.as_str(),
            line.stream.as_str()
        ),
        ("core", "base", "fluent-bit", "stdout")
    );
    assert_eq!(line.message, "Fluent Bit is logging");
    assert_eq!(line.level, None);
    // Replace_Dots: the label key's dots are underscores; its slash stays.
    assert_eq!(
        line.field("kubernetes.labels.app_kubernetes_io/name"),
        Some("fluent-bit")
    );
    assert_eq!(
        line.field("kubernetes.host"),
        Some("ip-10-49-18-80.eu-west-1.compute.internal")
    );
    assert_eq!(
        line.field("kubernetes.annotations.prometheus_io/port"),
        None
    );
    assert_eq!(line.field("kubernetes.docker_id"), None);
}

#[test]
fn a_merge_log_record_keeps_the_raw_line_and_lifts_its_fields() {
    let doc = as_indexed(&text("fluent-bit/options_merge-log-enabled_json.out"));
    let line = LineParser::default().parse("fluent-bit", "2", &doc, None);
    assert_eq!(line.message, r#"{"text":"Simple text"}"#);
    assert_eq!(line.field("text"), Some("Simple text"));
    assert_eq!(
        (line.pod.as_str(), line.container.as_str()),
        ("merge-log-enabled", "json")
    );
    assert_eq!(line.trace_id, None);
}

#[test]
fn a_raw_docker_line_reads_without_kubernetes_facts() {
    let raw: Value =
        serde_json::from_str(text("fluent-bit/core_base_fluent-bit.log").trim()).expect("json");
    let line = LineParser::default().parse("fluent-bit", "3", &raw, None);
    assert_eq!(line.message, "Fluent Bit is logging");
    assert_eq!(line.stream, "stdout");
    assert_eq!(
        line.timestamp.to_rfc3339(),
        "2019-04-01T17:58:33.598656444+00:00"
    );
    assert_eq!(line.pod, "");
}
