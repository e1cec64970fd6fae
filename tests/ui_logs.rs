//! Screens of the logs pane: the lines under their histogram with the fields panel, wrapped,
//! JSON pretty-printed, a refused query, a stale tail, no Elasticsearch at all, a paused tail.
//!
//! Rendered on ratatui's TestBackend from hand-made fluent-bit-shaped lines.

mod screens;

use chrono::{DateTime, Utc};
use funcdeck::app::{App, Credit, LogFeed, LogSummary, LogTarget, LogsOpened, Reply};
use funcdeck::views::{LogsView, View};
use funcdeck_core::backend::{Attempt, Backend, BackendError, Failure};
use funcdeck_core::elastic::{Histogram, LineParser, LogLine, TopValues};
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use screens::{all, press, press_named, render_sized, reply};
use serde_json::json;

const WIDTH: u16 = 140;
const HEIGHT: u16 = 30;

/// 2026-11-27 12:00:00 UTC, the screens' now.
const NOW_MS: i64 = 1_796_212_800_000;

fn at(ago_ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(NOW_MS - ago_ms).expect("in range")
}

/// A fluent-bit document for `greeter`'s pod `pod`, as the sandbox writes them.
fn line(parser: &mut LineParser, n: usize, pod: &str, log: &str) -> LogLine {
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

fn lines() -> Vec<LogLine> {
    let mut p = LineParser::default();
    vec![
        line(&mut p, 0, "x2x4q", "INFO server listening on :8080"),
        line(
            &mut p,
            1,
            "x2x4q",
            r#"{"level":"info","msg":"GET /hello","status":200,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
        ),
        line(&mut p, 2, "k8m2p", "WARN slow upstream: 850ms to payments"),
        line(
            &mut p,
            3,
            "k8m2p",
            "ERROR upstream refused: connection reset by peer; retrying the request with a longer timeout and a fresh connection from the pool",
        ),
        line(&mut p, 4, "x2x4q", "DEBUG cache hit items=12"),
        line(
            &mut p,
            5,
            "x2x4q",
            "traceback:\n  at handler (index.js:12)\n  at main (index.js:40)",
        ),
        line(
            &mut p,
            6,
            "k8m2p",
            r#"{"level":"error","msg":"payment declined","code":"card_expired"}"#,
        ),
        line(&mut p, 7, "x2x4q", "INFO done in 12ms"),
    ]
}

fn summary() -> LogSummary {
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

fn opened(lines: Vec<LogLine>) -> Reply {
    Reply::Logs(Ok(LogFeed::Opened(Box::new(LogsOpened {
        source: "Elasticsearch 8.15.0 at service logging/elasticsearch:9200 via the API server"
            .into(),
        lines,
        summary: summary(),
    }))))
}

fn logs_view() -> App {
    let mut app = all();
    let target = LogTarget::function(ObjectKey::new("default", "greeter"));
    app.push(View::Logs(Box::new(LogsView::new(target, 1000))));
    app
}

fn loaded() -> App {
    let mut app = logs_view();
    reply(&mut app, 1, opened(lines()));
    app
}

#[test]
fn the_lines_under_their_histogram_with_the_fields_panel() {
    let mut app = loaded();
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn wrapped_lines_and_the_fields_panel_focused() {
    let mut app = loaded();
    press(&mut app, "w");
    press_named(&mut app, "<Tab>");
    press(&mut app, "j");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn json_lines_pretty_printed_and_found_text_picked_out() {
    let mut app = loaded();
    press(&mut app, "J/upstream");
    press_named(&mut app, "<Enter>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT + 10));
}

#[test]
fn a_refused_query_says_why_and_keeps_the_last_good_lines() {
    let mut app = loaded();
    press(&mut app, "flevel:(");
    press_named(&mut app, "<Enter>");
    let refused = BackendError::Failed {
        backend: Backend::Elasticsearch,
        at: "service logging/elasticsearch:9200 via the API server".into(),
        reason: Failure::BadQuery {
            message:
                "[query_string] Cannot parse 'level:(': Encountered \"<EOF>\" at line 1, column 7."
                    .into(),
        },
    };
    reply(&mut app, 2, Reply::Logs(Err(CoreError::Backend(refused))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_failed_poll_keeps_the_lines_marked_stale() {
    let mut app = loaded();
    let slow = BackendError::Failed {
        backend: Backend::Elasticsearch,
        at: "service logging/elasticsearch:9200 via the API server".into(),
        reason: Failure::Timeout {
            after: std::time::Duration::from_secs(10),
        },
    };
    reply(&mut app, 1, Reply::Logs(Err(CoreError::Backend(slow))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn no_elasticsearch_says_what_was_tried_and_how_to_get_one() {
    let mut app = logs_view();
    let missing = BackendError::NotFound {
        backend: Backend::Elasticsearch,
        tried: vec![
            Attempt::new("config", "none"),
            Attempt::new("logging/elasticsearch", "not found"),
        ],
    };
    reply(&mut app, 1, Reply::Logs(Err(CoreError::Backend(missing))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_paused_tail_holds_still_and_counts_what_waits() {
    let mut app = loaded();
    press(&mut app, "s");
    let mut p = LineParser::default();
    let new = (20..25)
        .map(|n| line(&mut p, n, "x2x4q", "INFO a new line"))
        .collect();
    reply(
        &mut app,
        1,
        Reply::Logs(Ok(LogFeed::Tail {
            lines: new,
            credit: Credit::default(),
        })),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}
