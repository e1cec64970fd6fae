//! Hand-made observations for the screens: Knative-shaped traces (activator, throttler_try,
//! queue-proxy, the function and a database below it) and a function's charts of two
//! revisions, with known shapes — shared by the metrics, traces and observe screens.

use chrono::{DateTime, Utc};
use funcdeck::app::{LogFeed, LogSummary, LogsOpened, Reply, TraceSearch};
use funcdeck_core::elastic::{Histogram, LineParser, LogLine, TopValues};
use funcdeck_core::jaeger::knative::COLD_START_THRESHOLD;
use funcdeck_core::jaeger::{TagValue, Trace, TraceId, TraceSummary};
use serde_json::json;

pub use super::testing::span;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::series::{ChartLines, FunctionCharts, Line};

/// 15 minutes in 15 s steps: `shape(i)` at each.
pub fn line(name: &str, shape: impl Fn(f64) -> f64) -> Line {
    Line::new(
        name,
        (0..=60).map(|i| (f64::from(i) * 15.0, shape(f64::from(i)))),
    )
}

pub fn charts() -> FunctionCharts {
    FunctionCharts {
        source: "service monitoring/prometheus:9090 via the API server".into(),
        era: Era::OpenTelemetry,
        start: 0.0,
        end: 900.0,
        requests_per_second: ChartLines::new(vec![
            line("cart-00001", |i| 4.0 + (i / 6.0).sin()),
            line("cart-00002", |i| if i > 30.0 { 1.5 } else { 0.0 }),
        ]),
        latency_ms: ChartLines::new(vec![
            line("p50", |_| 12.0),
            line("p95", |i| 40.0 + i / 2.0),
            line("p99", |i| 80.0 + i),
        ]),
        error_ratio: ChartLines::new(vec![line("cart-00002", |i| {
            if i > 30.0 { 0.02 } else { f64::NAN }
        })]),
        concurrency: ChartLines::new(vec![line("cart-00001", |_| 0.8)]),
        pods: ChartLines::new(vec![
            line("actual", |i| if i > 31.0 { 2.0 } else { 1.0 }),
            line("desired", |i| if i > 30.0 { 2.0 } else { 1.0 }),
        ]),
        cold_starts: vec![("cart-00001".into(), 0.0), ("cart-00002".into(), 1.0)],
    }
}

/// 2026-11-27 12:00:00 UTC, the screens' now.
pub const NOW_US: i64 = 1_796_212_800_000_000;

/// A Knative request `ago_s` seconds before now: activator → throttler_try (waiting `cold_ms`)
/// → queue-proxy → the user container, which calls a database.
pub fn trace(id: &str, ago_s: i64, cold_ms: i64, user_ms: i64, error: bool) -> Trace {
    let t0 = NOW_US - ago_s * 1_000_000;
    let wait = cold_ms * 1000;
    let user_us = user_ms * 1000;
    let mut user = span(5, Some(4), "cart", "GET /items", t0 + wait + 300, user_us);
    user.error = error;
    user.tags = vec![
        (
            "http.status_code".into(),
            TagValue::Int(if error { 500 } else { 200 }),
        ),
        (
            "serving.knative.dev/revision".into(),
            TagValue::Str("cart-00002".into()),
        ),
    ];
    user.events = vec![funcdeck_core::jaeger::Event {
        time_us: t0 + wait + 400,
        name: "cache miss".into(),
        fields: vec![("key".into(), TagValue::Str("items".into()))],
    }];
    user.process_tags = vec![(
        "hostname".into(),
        TagValue::Str("cart-00002-deployment-5d9f7b-x2x4q".into()),
    )];
    Trace {
        id: TraceId::new(id),
        spans: vec![
            span(
                1,
                None,
                "activator-service",
                "/",
                t0,
                wait + user_us + 2_000,
            ),
            span(
                2,
                Some(1),
                "activator-service",
                "throttler_try",
                t0 + 50,
                wait,
            ),
            span(
                3,
                Some(1),
                "activator-service",
                "activator_proxy",
                t0 + wait + 100,
                user_us + 1_500,
            ),
            span(
                4,
                Some(3),
                "cart",
                "kn.queueproxy.proxy",
                t0 + wait + 200,
                user_us + 1_000,
            ),
            user,
            span(
                6,
                Some(5),
                "postgres",
                "SELECT items",
                t0 + wait + 600,
                user_us / 2,
            ),
        ],
        warnings: Vec::new(),
    }
}

pub fn search(traces: Vec<Trace>) -> TraceSearch {
    TraceSearch {
        source: "service observability/jaeger-query:16686 via the API server · API v3".into(),
        end: chrono::DateTime::from_timestamp_micros(NOW_US).expect("now"),
        summaries: traces
            .iter()
            .map(|t| TraceSummary::of(t, COLD_START_THRESHOLD))
            .collect(),
        traces,
    }
}

pub fn traces() -> Vec<Trace> {
    vec![
        trace("4bf92f3577b34da6a3ce929d0e0e4736", 30, 0, 45, false),
        trace("00f067aa0ba902b7a3ce929d0e0e4737", 120, 0, 60, true),
        trace("5c1c63a3c2f0d0e9a3ce929d0e0e4738", 300, 2_400, 80, false),
        trace("7a85d1c9e3a2b4f6a3ce929d0e0e4739", 480, 0, 38, false),
        trace("9e107d9d372bb682a3ce929d0e0e4740", 700, 1_100, 52, false),
    ]
}

/// 2026-11-27 12:00:00 UTC, the screens' now.
pub const NOW_MS: i64 = 1_796_212_800_000;

pub fn at(ago_ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(NOW_MS - ago_ms).expect("in range")
}

/// A fluent-bit document for `greeter`'s pod `pod`, as the sandbox writes them.
pub fn log_line(parser: &mut LineParser, n: usize, pod: &str, log: &str) -> LogLine {
    let source = json!({
        "@timestamp": at(60_000 - n as i64 * 1500).to_rfc3339(),
        "log": format!("{log}\n"),
        "stream": "stdout",
        "kubernetes": {
            "namespace_name": "default",
            "pod_name": format!("greeter-00001-deployment-6d4f7b9c8-{pod}"),
            "container_name": "user-container",
            "labels": {"serving_knative_dev/service": "greeter"}
        }
    });
    parser.parse("logstash-2026.11.27", &format!("doc{n}"), &source, None)
}

pub fn lines() -> Vec<LogLine> {
    let mut p = LineParser::default();
    vec![
        log_line(&mut p, 0, "x2x4q", "INFO server listening on :8080"),
        log_line(
            &mut p,
            1,
            "x2x4q",
            r#"{"level":"info","msg":"GET /hello","status":200,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
        ),
        log_line(&mut p, 2, "k8m2p", "WARN slow upstream: 850ms to payments"),
        log_line(
            &mut p,
            3,
            "k8m2p",
            "ERROR upstream refused: connection reset by peer; retrying the request with a longer timeout and a fresh connection from the pool",
        ),
        log_line(&mut p, 4, "x2x4q", "DEBUG cache hit items=12"),
        log_line(
            &mut p,
            5,
            "x2x4q",
            "traceback:\n  at handler (index.js:12)\n  at main (index.js:40)",
        ),
        log_line(
            &mut p,
            6,
            "k8m2p",
            r#"{"level":"error","msg":"payment declined","code":"card_expired"}"#,
        ),
        log_line(&mut p, 7, "x2x4q", "INFO done in 12ms"),
    ]
}

pub fn summary() -> LogSummary {
    LogSummary {
        end: at(0),
        histogram: Histogram {
            interval_s: 60,
            buckets: (0..15)
                .map(|i| {
                    (
                        at((15 - i) * 60_000),
                        [3, 5, 8, 2, 0, 1, 9, 14, 6, 4, 3, 7, 12, 5, 8][i as usize],
                    )
                })
                .collect(),
        },
        fields: vec![
            TopValues {
                field: "kubernetes.pod_name".into(),
                exact_field: "kubernetes.pod_name.keyword".into(),
                values: vec![
                    ("greeter-00001-deployment-6d4f7b9c8-x2x4q".into(), 52),
                    ("greeter-00001-deployment-6d4f7b9c8-k8m2p".into(), 35),
                ],
                others: 0,
            },
            TopValues {
                field: "stream".into(),
                exact_field: "stream.keyword".into(),
                values: vec![("stdout".into(), 80), ("stderr".into(), 7)],
                others: 0,
            },
        ],
    }
}

pub fn opened(lines: Vec<LogLine>) -> Reply {
    Reply::Logs(Ok(LogFeed::Opened(Box::new(LogsOpened {
        source: "Elasticsearch 8.15.0 at service logging/elasticsearch:9200 via the API server"
            .into(),
        lines,
        summary: summary(),
    }))))
}
