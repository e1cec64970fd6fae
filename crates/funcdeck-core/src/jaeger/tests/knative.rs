use std::time::Duration;

use super::*;
use crate::jaeger::knative::{
    COLD_START_THRESHOLD, ColdStartSource, cold_start, revision, revision_of_pod,
};
use crate::jaeger::summary::{ColdStartStats, TraceSummary, TracesReport, nearest_rank};
use crate::jaeger::tree::SpanTree;

/// A request through the activator in ≤1.18's names (Knative docs' screenshot), waiting
/// `wait` µs in `throttler_try`.
fn era_1_18(wait: i64) -> Trace {
    let pod = "hello-00001-deployment-5d8f7c9b6-x2kqz";
    trace(vec![
        kind(
            span("1", None, "activator-service", "/", 0, wait + 5_000),
            SpanKind::Server,
        ),
        span(
            "2",
            Some("1"),
            "activator-service",
            "throttler_try",
            10,
            wait,
        ),
        span(
            "3",
            Some("1"),
            "activator-service",
            "activator_proxy",
            wait + 20,
            4_900,
        ),
        kind(
            span("4", Some("3"), "activator-service", "/", wait + 30, 4_800),
            SpanKind::Client,
        ),
        kind(
            span("5", Some("4"), pod, "/", wait + 100, 4_600),
            SpanKind::Server,
        ),
        span("6", Some("5"), pod, "queue_proxy", wait + 110, 4_500),
    ])
}

/// The same in ≥1.23's names, without `throttler_try` (only the fallback applies).
fn era_otel_without_throttler(activator: i64, queue_proxy: i64) -> Trace {
    trace(vec![
        kind(
            span("a", None, "activator", "GET", 0, activator),
            SpanKind::Server,
        ),
        kind(
            span("b", Some("a"), "activator", "GET /", 5, activator - 10),
            SpanKind::Client,
        ),
        kind(
            span("c", Some("b"), "hello", "GET", 20, queue_proxy),
            SpanKind::Server,
        ),
        kind(
            span(
                "d",
                Some("c"),
                "hello",
                "kn.queueproxy.proxy",
                25,
                queue_proxy - 10,
            ),
            SpanKind::Internal,
        ),
    ])
}

#[test]
fn throttler_try_is_the_cold_start_in_the_old_era() {
    let t = era_1_18(2_500_000);
    let c = cold_start(&t, &SpanTree::build(&t)).expect("activator on the path");
    assert_eq!(
        (c.duration_us, c.source, c.span),
        (2_500_000, ColdStartSource::ThrottlerTry, 1)
    );
    assert!(c.is_cold(COLD_START_THRESHOLD));
    let warm = era_1_18(11);
    let c = cold_start(&warm, &SpanTree::build(&warm)).expect("activator on the path");
    assert!(!c.is_cold(COLD_START_THRESHOLD));
    assert_eq!(revision(&t).as_deref(), Some("hello-00001"));
}

#[test]
fn throttler_try_is_the_cold_start_in_the_otel_era() {
    let mut t = era_otel_without_throttler(1_900_000, 300_000);
    t.spans.push(span(
        "t",
        Some("a"),
        "activator",
        "throttler_try",
        6,
        1_500_000,
    ));
    let c = cold_start(&t, &SpanTree::build(&t)).expect("activator on the path");
    assert_eq!(
        (c.duration_us, c.source),
        (1_500_000, ColdStartSource::ThrottlerTry)
    );
}

#[test]
fn without_throttler_try_the_activator_minus_queue_proxy_is_used() {
    let t = era_otel_without_throttler(1_900_000, 300_000);
    let c = cold_start(&t, &SpanTree::build(&t)).expect("fits the fallback");
    assert_eq!(
        (c.duration_us, c.source, c.span),
        (1_600_000, ColdStartSource::ActivatorMinusQueueProxy, 0)
    );
    // Skew can make the queue-proxy look longer: never a negative cold start.
    let t = era_otel_without_throttler(100, 300);
    assert_eq!(
        cold_start(&t, &SpanTree::build(&t)).map(|c| c.duration_us),
        Some(0)
    );
}

#[test]
fn no_activator_or_no_remote_child_is_no_cold_start() {
    let direct = trace(vec![
        kind(span("c", None, "hello", "GET", 0, 300), SpanKind::Server),
        span("d", Some("c"), "hello", "kn.queueproxy.proxy", 5, 290),
    ]);
    assert_eq!(cold_start(&direct, &SpanTree::build(&direct)), None);
    let alone = trace(vec![kind(
        span("a", None, "activator", "GET", 0, 300),
        SpanKind::Server,
    )]);
    assert_eq!(cold_start(&alone, &SpanTree::build(&alone)), None);
}

#[test]
fn revisions_come_from_knative_labels_or_pod_names() {
    assert_eq!(
        revision_of_pod("hello-00001-deployment-5d8f7c9b6-x2kqz").as_deref(),
        Some("hello-00001")
    );
    assert_eq!(
        revision_of_pod("my-deployment-app-00002-deployment-7f9c4d-abcde").as_deref(),
        Some("my-deployment-app-00002")
    );
    for not_a_pod in [
        "hello",
        "activator",
        "x-deployment-",
        "-deployment-abc-def",
        "a-deployment-ABC-def",
    ] {
        assert_eq!(revision_of_pod(not_a_pod), None, "{not_a_pod}");
    }
    // ≥1.19: the queue-proxy is named after the Knative Service; a collector's label copy
    // or the pod name tag names the revision.
    let mut t = era_otel_without_throttler(10, 5);
    assert_eq!(revision(&t), None);
    t.spans[2].process_tags.push((
        "k8s.pod.name".into(),
        TagValue::Str("hello-00003-deployment-6b7c8d9f-q8w7e".into()),
    ));
    assert_eq!(revision(&t).as_deref(), Some("hello-00003"));
    t.spans[3] = tag(
        t.spans[3].clone(),
        "k8s.pod.labels.serving.knative.dev/revision",
        "hello-00004",
    );
    assert_eq!(revision(&t).as_deref(), Some("hello-00004"));
}

#[test]
fn percentiles_are_by_nearest_rank() {
    let sorted: Vec<f64> = (1..=20).map(f64::from).collect();
    assert_eq!(nearest_rank(&sorted, 50), Some(10.0));
    assert_eq!(nearest_rank(&sorted, 95), Some(19.0));
    assert_eq!(nearest_rank(&[7.0], 95), Some(7.0));
    assert_eq!(nearest_rank(&[1.0, 2.0, 3.0], 50), Some(2.0));
    assert_eq!(nearest_rank(&[], 50), None);
}

#[test]
fn the_traces_report_has_the_cli_shape_and_counts_the_whole_window() {
    let mut cold = era_1_18(2_000_000);
    cold.spans[4].error = true;
    for s in &mut cold.spans {
        s.start_us += 1_795_740_580_000_000;
    }
    let slower = era_1_18(3_000_000);
    let warm = era_1_18(11);
    let summaries: Vec<TraceSummary> = [&cold, &warm, &slower]
        .iter()
        .map(|t| TraceSummary::of(t, COLD_START_THRESHOLD))
        .collect();
    assert_eq!(summaries[1].cold_start_ms, None);
    let report = TracesReport::new(summaries, true);
    assert_eq!(report.traces.len(), 2);
    assert_eq!(
        report.cold_starts,
        ColdStartStats {
            count: 2,
            p50_ms: Some(2000.0),
            p95_ms: Some(3000.0)
        }
    );
    assert_eq!(report.slowest_cold(1)[0].cold_start_ms, Some(3000.0));
    let json = serde_json::to_value(&report).expect("serializes");
    assert_eq!(
        json["traces"][0],
        serde_json::json!({
            "trace_id": "t1",
            "start": "2026-11-27T00:49:40Z",
            "duration_ms": 2005.0,
            "span_count": 6,
            "errors": 1,
            "revision": "hello-00001",
            "cold_start_ms": 2000.0
        })
    );
    assert_eq!(
        json["cold_starts"],
        serde_json::json!({"count": 2, "p50_ms": 2000.0, "p95_ms": 3000.0})
    );
    let warm_only = TracesReport::new(
        vec![TraceSummary::of(&warm, Duration::from_millis(100))],
        false,
    );
    assert_eq!(
        serde_json::to_value(&warm_only).expect("json")["traces"][0]["cold_start_ms"],
        serde_json::Value::Null
    );
}
