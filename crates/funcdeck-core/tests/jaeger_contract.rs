//! Contract tests: every file in `shared/fixtures/jaeger/` (Jaeger's and Jaeger UI's own test
//! payloads, see its PROVENANCE.md) read by our classic and OTLP readers, in place at run
//! time. Expected values below were read from those files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use funcdeck_core::backend::transport::RawResponse;
use funcdeck_core::jaeger::answer::{Outcome, read_classic, read_v3};
use funcdeck_core::jaeger::critical::critical_path;
use funcdeck_core::jaeger::otlp::{self, TracesData};
use funcdeck_core::jaeger::{SpanKind, SpanTree, TagValue, Trace, classic};

fn fixtures_dir() -> PathBuf {
    match std::env::var_os("FUNCDECK_FIXTURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    }
    .join("jaeger")
}

/// Every file this suite reads; `every_file_is_checked` fails when the directory has others.
const CHECKED: &[&str] = &[
    "PROVENANCE.md",
    "jaeger-ui/dependencies.small.json",
    "jaeger-ui/otlp2jaeger-out.envelope.json",
    "jaeger-ui/testTraceNormal.trace.json",
    "v1-http-api/otlp2jaeger-out.envelope.json",
    "v1-http-api/ui_01.trace.json",
    "v3-http-api/FindTraceSummaries.json",
    "v3-http-api/FindTraces.json",
    "v3-http-api/GetOperations.json",
    "v3-http-api/GetServices.json",
    "v3-http-api/GetTrace.json",
    "v3-http-api/example_trace.otlp.json",
    "v3-http-api/otlp2jaeger-in.otlp.json",
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

fn raw(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

fn json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&raw(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ok(status: u16, name: &str) -> RawResponse {
    RawResponse {
        status,
        content_type: "application/json".into(),
        body: raw(name),
    }
}

fn ids(t: &Trace) -> Vec<&str> {
    t.spans.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn every_file_is_checked() {
    let dir = fixtures_dir();
    let mut found = BTreeSet::new();
    files_under(&dir, &dir, &mut found);
    let checked: BTreeSet<String> = CHECKED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        found, checked,
        "fixtures added or removed: update this suite"
    );
}

#[test]
fn provenance_names_every_fixture() {
    let text = String::from_utf8(raw("PROVENANCE.md")).expect("utf-8");
    for name in CHECKED.iter().filter(|n| **n != "PROVENANCE.md") {
        assert!(text.contains(name), "{name} is not in PROVENANCE.md");
    }
}

#[test]
fn ui_01_reads_typed_tags_references_logs_and_warnings() {
    let t = classic::trace(json("v1-http-api/ui_01.trace.json")).expect("a trace");
    assert_eq!(t.id.as_str(), "0000000000000001");
    assert_eq!(
        ids(&t),
        [
            "0000000000000002",
            "0000000000000002",
            "0000000000000003",
            "0000000000000004",
            "0000000000000005"
        ]
    );
    assert_eq!(t.warnings, ["some trace warning"]);
    let services: Vec<&str> = t.spans.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(
        services,
        [
            "service-x",
            "service-x",
            "service-y",
            "service-y",
            "service-y"
        ]
    );
    assert_eq!(t.spans[0].start_us, 1_485_467_191_639_875);
    assert_eq!(t.spans[0].duration_us, 5);

    let logs = &t.spans[0].events;
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0].name, "some-event");
    assert_eq!(
        logs[1].fields,
        [("x".to_owned(), TagValue::Str("y".into()))]
    );

    let tagged = &t.spans[1];
    assert!(tagged.error, "error=true marks the span");
    assert_eq!(tagged.tag("peer.ipv4"), Some(&TagValue::Int(23456)));
    assert_eq!(tagged.tag("temperature"), Some(&TagValue::Float(72.5)));
    // Beyond 2^53, sent as a JSON string: read exactly.
    assert_eq!(
        tagged.tag("javascript_limit"),
        Some(&TagValue::Int(9_223_372_036_854_775_222))
    );
    assert_eq!(
        tagged.tag("blob"),
        Some(&TagValue::Binary("AAAwOQ==".into()))
    );

    // The reference into another trace is a link, not the parent.
    let parents: Vec<Option<&str>> = t
        .spans
        .iter()
        .map(|s| s.parent.as_ref().map(|p| p.as_str()))
        .collect();
    assert_eq!(
        parents,
        [
            None,
            None,
            Some("0000000000000002"),
            Some("0000000000000002"),
            Some("0000000000000004")
        ]
    );
    assert_eq!(t.spans[3].warnings, ["some span warning"]);

    let tree = SpanTree::build(&t);
    assert!(tree.flags(1).duplicate);
    assert_eq!(tree.depth_first().len(), 5);
    assert_eq!(t.error_count(), 1);
}

#[test]
fn the_jaeger_ui_trace_builds_a_tree_and_a_critical_path_through_every_span() {
    let t = classic::trace(json("jaeger-ui/testTraceNormal.trace.json")).expect("a trace");
    assert_eq!(t.spans.len(), 5);
    let tree = SpanTree::build(&t);
    let root = tree.root().expect("a root");
    assert_eq!(t.spans[root].id.as_str(), "150c193cf155b46b");
    assert_eq!(t.spans[root].service, "api-gateway");
    assert_eq!(t.spans[root].kind, SpanKind::Server);
    assert_eq!(tree.orphans().count(), 0);
    assert_eq!(tree.skewed().count(), 0);
    let order: Vec<(&str, usize)> = tree
        .depth_first()
        .into_iter()
        .map(|(i, d)| (t.spans[i].id.as_str(), d))
        .collect();
    assert_eq!(
        order,
        [
            ("150c193cf155b46b", 0),
            ("22be69e72cbcde0b", 1),
            ("e821b549888cbc3b", 2),
            ("4085dddb47429851", 3),
            ("622a5079b565623e", 3)
        ]
    );
    assert_eq!(t.duration_us(), 4902);
    let path = critical_path(&t, &tree);
    assert_eq!(path.spans().count(), 5);
    let covered: i64 = path.segments.iter().map(|s| s.end_us - s.start_us).sum();
    assert_eq!(
        covered, 4902,
        "the path covers the root once: {:?}",
        path.segments
    );
}

#[test]
fn the_transform_envelopes_read_through_the_classic_envelope() {
    for name in [
        "v1-http-api/otlp2jaeger-out.envelope.json",
        "jaeger-ui/otlp2jaeger-out.envelope.json",
    ] {
        let Outcome::Ok((data, errors)) = read_classic(&ok(200, name)) else {
            panic!("{name}: an answer");
        };
        assert!(errors.is_empty());
        let traces = classic::traces(data).expect("traces");
        assert_eq!(traces.len(), 1, "{name}");
        let t = &traces[0];
        assert_eq!(t.id.as_str(), "83a9efd15c1c98a977e0711cc93ee28b");
        assert_eq!(ids(t), ["e127af99e3b3e074", "e127af99e3b3e074"]);
        assert!(
            t.spans
                .iter()
                .all(|s| s.kind == SpanKind::Server && s.service == "telemetrygen")
        );
        // The parent was never sent: both are orphans, and both are shown.
        let tree = SpanTree::build(t);
        assert_eq!(tree.orphans().count(), 2, "{name}");
        assert_eq!(tree.depth_first().len(), 2);
    }
}

#[test]
fn otlp_and_its_classic_translation_read_into_the_same_spans() {
    let data: TracesData =
        serde_json::from_value(json("v3-http-api/otlp2jaeger-in.otlp.json")).expect("OTLP");
    let from_otlp = otlp::traces(data);
    let Outcome::Ok((data, _)) =
        read_classic(&ok(200, "v1-http-api/otlp2jaeger-out.envelope.json"))
    else {
        panic!("an answer");
    };
    let from_classic = classic::traces(data).expect("traces");
    assert_eq!(from_otlp.len(), 1);
    let (a, b) = (&from_otlp[0], &from_classic[0]);
    assert_eq!(a.id, b.id);
    for (x, y) in a.spans.iter().zip(&b.spans) {
        assert_eq!(
            (
                &x.id,
                &x.parent,
                &x.service,
                &x.operation,
                x.start_us,
                x.duration_us,
                x.kind
            ),
            (
                &y.id,
                &y.parent,
                &y.service,
                &y.operation,
                y.start_us,
                y.duration_us,
                y.kind
            )
        );
        assert_eq!(x.tag("otel.scope.name"), y.tag("otel.scope.name"));
        assert_eq!(x.tag("peer.service"), y.tag("peer.service"));
    }
}

#[test]
fn the_storage_example_reads_resources_kinds_and_events() {
    let data: TracesData =
        serde_json::from_value(json("v3-http-api/example_trace.otlp.json")).expect("OTLP");
    let traces = otlp::traces(data);
    assert_eq!(traces.len(), 1);
    let t = &traces[0];
    assert_eq!(t.id.as_str(), "00000000000000000000000000000011");
    assert_eq!(
        ids(t),
        [
            "0000000000000004",
            "0000000000000005",
            "0000000000000003",
            "0000000000000006",
            "0000000000000007"
        ]
    );
    assert_eq!(
        t.services(),
        [
            "example-service-2",
            "example-service-3",
            "example-service-1"
        ]
    );
    let kinds: Vec<SpanKind> = t.spans.iter().map(|s| s.kind).collect();
    use SpanKind::{Client, Server, Unspecified};
    assert_eq!(
        kinds,
        [Unspecified, Unspecified, Unspecified, Server, Client]
    );
    assert!(
        t.spans
            .iter()
            .all(|s| s.duration_us == 100 && s.events.len() == 2 && !s.error)
    );
    assert_eq!(t.spans[0].start_us, 1_485_449_191_639_875);
    assert_eq!(t.spans[0].events[0].time_us, 1_485_449_191_639_875);
    assert_eq!(SpanTree::build(t).roots().len(), 5);
}

#[test]
fn v3_trace_answers_read_kind_and_error_status() {
    for name in ["v3-http-api/GetTrace.json", "v3-http-api/FindTraces.json"] {
        let Outcome::Ok(value) = read_v3(&ok(200, name)) else {
            panic!("{name}: an answer");
        };
        let traces = otlp::result(value).expect("OTLP");
        assert_eq!(traces.len(), 1);
        let t = &traces[0];
        assert_eq!(t.id.as_str(), "00000000000000000000000000000001");
        assert_eq!(ids(t), ["0000000000000002"]);
        let s = &t.spans[0];
        assert_eq!(
            (s.operation.as_str(), s.kind, s.error),
            ("foobar", SpanKind::Server, true)
        );
        assert_eq!(
            s.tag("otel.status_code"),
            Some(&TagValue::Str("ERROR".into()))
        );
        // No resource: OTel's name for a service that did not say.
        assert_eq!(s.service, "unknown_service");
        // proto3 left the times out: zero, not an error.
        assert_eq!((s.start_us, s.duration_us), (0, 0));
    }
}

#[test]
fn v3_lists_are_json_objects_and_summaries_are_not_traces() {
    let Outcome::Ok(services) = read_v3(&ok(200, "v3-http-api/GetServices.json")) else {
        panic!("an answer");
    };
    assert_eq!(services["services"], serde_json::json!(["foo"]));
    let Outcome::Ok(ops) = read_v3(&ok(200, "v3-http-api/GetOperations.json")) else {
        panic!("an answer");
    };
    assert_eq!(ops["operations"][0]["name"], "get_users");
    // funcdeck reads whole traces, not `/api/v3/trace-summaries`; its answer is refused,
    // not misread as an empty search.
    let Outcome::Ok(summaries) = read_v3(&ok(200, "v3-http-api/FindTraceSummaries.json")) else {
        panic!("an answer");
    };
    assert!(otlp::result(summaries).is_err());
}

#[test]
fn dependencies_are_not_mistaken_for_traces() {
    let err = classic::traces(json("jaeger-ui/dependencies.small.json")).expect_err("not traces");
    assert!(err.contains("traceID"), "{err}");
}
