//! Damaged and unusual payloads (the recorded ones are in tests/jaeger_contract.rs).

use serde_json::json;

use crate::jaeger::model::{SpanKind, TagValue};
use crate::jaeger::{classic, otlp};

#[test]
fn unreadable_classic_spans_are_skipped_with_a_warning_and_the_rest_kept() {
    let t = classic::trace(json!({
        "traceID": "AB",
        "spans": [
            {"traceID": "ab", "spanID": "01", "operationName": "ok", "startTime": 10, "duration": 5,
             "processID": "p1", "tags": null, "logs": null, "references": null},
            {"traceID": "ab", "spanID": "02", "operationName": "cut off"},
            {"traceID": "ab", "spanID": "03", "startTime": "soon", "duration": 1},
            "not a span",
            {"traceID": "ab", "spanID": "04", "operationName": "lost process", "startTime": 11,
             "duration": -3, "processID": "p9"}
        ],
        "processes": {"p1": {"serviceName": "svc", "tags": [{"key": "hostname", "type": "string", "value": "h"}]},
                      "p2": "garbage"}
    }))
    .expect("the trace is kept");
    assert_eq!(t.id.as_str(), "ab");
    let ops: Vec<&str> = t.spans.iter().map(|s| s.operation.as_str()).collect();
    assert_eq!(ops, ["ok", "lost process"]);
    assert_eq!(
        t.spans[0].process_tags,
        [("hostname".to_owned(), TagValue::Str("h".into()))]
    );
    assert_eq!(
        (t.spans[1].service.as_str(), t.spans[1].duration_us),
        ("unknown", 0)
    );
    let warnings = t.warnings.join("\n");
    for expected in [
        "span #1 skipped",
        "span #2 skipped",
        "span #3 skipped",
        "process p2 unreadable",
        "span 04 has no process",
    ] {
        assert!(warnings.contains(expected), "{expected} in {warnings}");
    }
}

#[test]
fn hostile_text_in_warnings_is_made_inert() {
    let t = classic::trace(json!({
        "traceID": "ab",
        "spans": [{"spanID": "\u{1b}]0;pwned\u{7}"}],
        "warnings": ["\u{1b}[2J cleared"]
    }))
    .expect("a trace");
    assert!(
        t.warnings.iter().all(|w| !w.contains('\u{1b}')),
        "{:?}",
        t.warnings
    );
}

#[test]
fn otlp_values_of_every_type_and_enum_names_are_read() {
    let traces = otlp::result(json!({"result": {"resourceSpans": [{
        "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "activator"}},
            {"key": "k8s.pod.name", "value": {"stringValue": "activator-7d9f-abcde"}}
        ]},
        "scopeSpans": [{"scope": {"name": "otelhttp", "version": "0.69"}, "spans": [
            {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "parentSpanId": "",
             "name": "GET", "kind": "SPAN_KIND_SERVER", "startTimeUnixNano": 1000000000, "endTimeUnixNano": "3000000000",
             "status": {"code": "STATUS_CODE_ERROR", "message": "boom"},
             "attributes": [
                {"key": "big", "value": {"intValue": "9223372036854775807"}},
                {"key": "small", "value": {"intValue": 7}},
                {"key": "ratio", "value": {"doubleValue": 0.5}},
                {"key": "ok", "value": {"boolValue": true}},
                {"key": "list", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": "2"}]}}},
                {"key": "map", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"stringValue": "v"}}]}}},
                {"key": "raw", "value": {"bytesValue": "AAE="}},
                {"value": {"stringValue": "no key"}}
             ],
             "events": [{"timeUnixNano": "2000000000", "name": "retry", "attributes": [{"key": "n", "value": {"intValue": "1"}}]}]},
            {"spanId": "no trace id"}
        ]}]
    }]}}))
    .expect("OTLP");
    assert_eq!(traces.len(), 1);
    let t = &traces[0];
    assert_eq!(t.spans.len(), 1);
    assert!(
        t.warnings[0].contains("span #1 of activator skipped"),
        "{:?}",
        t.warnings
    );
    let s = &t.spans[0];
    assert_eq!(
        (s.parent.clone(), s.kind, s.error),
        (None, SpanKind::Server, true)
    );
    assert_eq!((s.start_us, s.duration_us), (1_000_000, 2_000_000));
    assert_eq!(s.tag("big"), Some(&TagValue::Int(i64::MAX)));
    assert_eq!(s.tag("small"), Some(&TagValue::Int(7)));
    assert_eq!(s.tag("ratio"), Some(&TagValue::Float(0.5)));
    assert_eq!(s.tag("ok"), Some(&TagValue::Bool(true)));
    assert_eq!(
        s.tag("list").map(ToString::to_string).as_deref(),
        Some("[a, 2]")
    );
    assert_eq!(
        s.tag("map").map(ToString::to_string).as_deref(),
        Some("{k=v}")
    );
    assert_eq!(s.tag("raw"), Some(&TagValue::Binary("AAE=".into())));
    assert_eq!(
        s.tag("otel.status_description"),
        Some(&TagValue::Str("boom".into()))
    );
    assert_eq!(
        s.tag("otel.scope.version"),
        Some(&TagValue::Str("0.69".into()))
    );
    assert_eq!(
        s.tag("k8s.pod.name"),
        Some(&TagValue::Str("activator-7d9f-abcde".into()))
    );
    assert_eq!(
        (s.events[0].name.as_str(), s.events[0].time_us),
        ("retry", 2_000_000)
    );
    assert_eq!(s.tags.len(), 11, "the attribute without a key is left out");
}

#[test]
fn a_null_or_empty_result_is_no_traces_and_other_shapes_are_refused() {
    assert_eq!(
        otlp::result(json!({"result": null})).map(|t| t.len()),
        Ok(0)
    );
    assert_eq!(otlp::result(json!({"result": {}})).map(|t| t.len()), Ok(0));
    assert!(otlp::result(json!([])).is_err());
    assert!(otlp::result(json!({"result": {"resourceSpans": "x"}})).is_err());
    assert_eq!(classic::traces(json!(null)).map(|t| t.len()), Ok(0));
    assert!(classic::traces(json!({"traceID": "ab"})).is_err());
}

#[test]
fn a_trace_serializes_as_funcdeck_trace_prints_it() {
    let t = classic::trace(json!({
        "traceID": "ab",
        "spans": [{"traceID": "ab", "spanID": "01", "operationName": "GET /", "startTime": 10, "duration": 5,
                   "processID": "p1", "references": [{"refType": "CHILD_OF", "traceID": "ab", "spanID": "00"}],
                   "tags": [{"key": "span.kind", "type": "string", "value": "server"},
                            {"key": "big", "type": "int64", "value": "9223372036854775222"},
                            {"key": "nan", "type": "float64", "value": "NaN"}],
                   "logs": [{"timestamp": 12, "fields": [{"key": "event", "type": "string", "value": "x"}]}]}],
        "processes": {"p1": {"serviceName": "svc", "tags": []}}
    }))
    .expect("a trace");
    assert_eq!(
        serde_json::to_value(&t).expect("json"),
        json!({
            "trace_id": "ab",
            "spans": [{
                "span_id": "01", "parent_id": "00", "trace_id": "ab", "service": "svc",
                "operation": "GET /", "start_us": 10, "duration_us": 5, "kind": "server", "error": false,
                "tags": [{"key": "span.kind", "value": "server"},
                         {"key": "big", "value": 9_223_372_036_854_775_222_i64},
                         {"key": "nan", "value": null}],
                "events": [{"time_us": 12, "name": "x", "fields": [{"key": "event", "value": "x"}]}],
                "process_tags": [], "warnings": []
            }],
            "warnings": []
        })
    );
}
