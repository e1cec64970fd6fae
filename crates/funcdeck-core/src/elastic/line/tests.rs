use serde_json::json;

use super::*;

/// A document as fluent-bit's `es` output writes a Knative user-container line with
/// `Replace_Dots On` (the kubernetes part shaped as in the fixture
/// `fluent-bit/core_base_fluent-bit.out`).
fn knative_doc(log: &str) -> Value {
    json!({
        "@timestamp": "2026-11-27T10:15:30.123Z",
        "log": log,
        "stream": "stderr",
        "time": "2026-11-27T10:15:30.123456789Z",
        "kubernetes": {
            "pod_name": "hello-00002-deployment-7d9f8b6c5d-x2x4q",
            "namespace_name": "default",
            "container_name": "user-container",
            "pod_id": "e9f2963f-55f2-11e9-84c5-02e422b8a84a",
            "docker_id": "c98980",
            "labels": {
                "serving_knative_dev/service": "hello",
                "serving_knative_dev/revision": "hello-00002",
                "app": "hello-00002"
            },
            "annotations": {"autoscaling_knative_dev/target": "10"},
            "host": "node-1",
            "container_image": "ghcr.io/funcdeck/hello:1"
        }
    })
}

#[test]
fn a_knative_document_gives_pod_container_stream_time_and_fields() {
    let doc = knative_doc("E1127 10:15:30.123456 1 main.go:42] connection refused\n");
    let line = LineParser::default().parse("logstash-2026.11.27", "abc", &doc, None);
    assert_eq!(line.id, "logstash-2026.11.27/abc");
    assert_eq!(line.timestamp.timestamp_millis(), 1_795_774_530_123);
    assert_eq!(line.namespace, "default");
    assert_eq!(line.pod, "hello-00002-deployment-7d9f8b6c5d-x2x4q");
    assert_eq!(line.container, "user-container");
    assert_eq!(line.stream, "stderr");
    assert_eq!(line.level, Some(Level::Error));
    assert_eq!(
        line.message,
        "E1127 10:15:30.123456 1 main.go:42] connection refused"
    );
    assert_eq!(line.trace_id, None);
    assert_eq!(
        line.field("kubernetes.labels.serving_knative_dev/service"),
        Some("hello")
    );
    assert_eq!(line.field("kubernetes.host"), Some("node-1"));
    assert_eq!(line.field("kubernetes.docker_id"), None);
    assert_eq!(line.field("log"), None);
}

#[test]
fn merged_request_logs_give_the_trace_and_level() {
    // Knative's request log (queue-proxy), lifted to the top level by Merge_Log.
    let log = r#"{"httpRequest":{"requestMethod":"GET","requestUrl":"/","status":500,"latency":"0.004s"},"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","level":"warn"}"#;
    let mut doc = knative_doc(&format!("{log}\n"));
    let merged = serde_json::from_str::<Value>(log).expect("json");
    for (k, v) in merged.as_object().expect("object") {
        doc[k] = v.clone();
    }
    let line = LineParser::default().parse("i", "1", &doc, None);
    assert_eq!(
        line.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(line.level, Some(Level::Warn));
    assert_eq!(line.message, log);
    assert_eq!(line.field("httpRequest.status"), Some("500"));

    // Under Merge_Log_Key, and without Merge_Log at all (the JSON is only in `log`).
    let mut keyed = knative_doc(log);
    keyed["log_processed"] = merged.clone();
    let unmerged = knative_doc(log);
    for doc in [keyed, unmerged] {
        let line = LineParser::default().parse("i", "1", &doc, None);
        assert_eq!(
            line.trace_id.as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(line.level, Some(Level::Warn));
    }
}

#[test]
fn json_is_exactly_the_cli_line_shape() {
    let line = LineParser::default().parse("i", "1", &knative_doc("INFO ready\n"), None);
    assert_eq!(
        serde_json::to_value(&line).expect("serializes"),
        json!({
            "timestamp": "2026-11-27T10:15:30.123Z",
            "pod": "hello-00002-deployment-7d9f8b6c5d-x2x4q",
            "container": "user-container",
            "stream": "stderr",
            "level": "info",
            "message": "INFO ready",
        })
    );
    let plain = LineParser::default().parse("i", "1", &knative_doc("ready\n"), None);
    let v = serde_json::to_value(&plain).expect("serializes");
    assert!(
        v.get("level").is_none() && v.get("trace_id").is_none(),
        "{v}"
    );
}

#[test]
fn huge_lines_are_cut_with_a_marker_at_a_character_boundary() {
    let huge = format!("{}é{}\n", "a".repeat(99), "b".repeat(5000));
    let line = LineParser::new(100).parse("i", "1", &knative_doc(&huge), None);
    assert_eq!(
        line.message,
        format!("{} …[truncated: 5002 more bytes]", "a".repeat(99))
    );
    let exact = LineParser::new(3).parse("i", "1", &knative_doc("abc\r\n"), None);
    assert_eq!(exact.message, "abc");
}

#[test]
fn missing_or_odd_fields_never_panic_and_time_falls_back_to_the_sort_value() {
    let sort = [json!(1_795_740_560_000_i64), json!(3)];
    for doc in [
        json!(null),
        json!([1, 2]),
        json!({"log": 5, "kubernetes": "x"}),
        json!({}),
    ] {
        let line = LineParser::default().parse("i", "1", &doc, Some(&sort));
        assert_eq!(
            line.timestamp.timestamp_millis(),
            1_795_740_560_000,
            "{doc}"
        );
        assert_eq!((line.pod.as_str(), line.message.as_str()), ("", ""));
    }
    let naive = LineParser::default().parse(
        "i",
        "1",
        &json!({"@timestamp": "2099-11-15T14:12:12", "message": "m"}),
        None,
    );
    assert_eq!(naive.timestamp.to_rfc3339(), "2099-11-15T14:12:12+00:00");
    assert_eq!(naive.message, "m");
}

#[test]
fn the_inert_message_shows_escapes_the_raw_one_keeps_them() {
    let doc = knative_doc("\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}done\r\n");
    let line = LineParser::default().parse("i", "1", &doc, None);
    assert!(line.message.contains('\u{1b}'));
    assert_eq!(line.inert_message(), "␛[2J␛]0;pwned␇␛]52;c;aGk=␇done");
}

#[test]
fn pod_log_lines_get_the_same_detection() {
    let t = DateTime::from_timestamp_millis(0).expect("epoch");
    let line = LineParser::default().parse_raw(
        "p/c/1".into(),
        "p",
        "c",
        t,
        r#"{"level":"error","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"#,
    );
    assert_eq!(line.level, Some(Level::Error));
    assert_eq!(
        line.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
}
