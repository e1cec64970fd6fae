//! Screens of the traces pane: the list under its duration scatter with cold starts flagged,
//! a trace's waterfall with the critical path and the span detail, two traces compared, and
//! the failures (no Jaeger, a stale list, a trace with tree trouble and hostile text).
//!
//! Rendered on ratatui's TestBackend from hand-made Knative-shaped traces.

mod screens;

use funcdeck::app::{App, Reply, TraceSearch};
use funcdeck::views::{CompareView, TraceView, TracesView, View, Waterfall};
use funcdeck_core::backend::{Attempt, Backend, BackendError, Failure};
use funcdeck_core::error::CoreError;
use funcdeck_core::jaeger::knative::COLD_START_THRESHOLD;
use funcdeck_core::jaeger::{Span, SpanId, SpanKind, TagValue, Trace, TraceId, TraceSummary};
use funcdeck_core::key::ObjectKey;
use screens::{all, render_sized, reply};

const WIDTH: u16 = 140;
const HEIGHT: u16 = 36;

/// 2026-11-27 12:00:00 UTC, the screens' now.
const NOW_US: i64 = 1_796_212_800_000_000;

fn span(id: u32, parent: Option<u32>, service: &str, op: &str, start: i64, us: i64) -> Span {
    Span {
        id: SpanId::new(&format!("{id:016x}")),
        parent: parent.map(|p| SpanId::new(&format!("{p:016x}"))),
        trace_id: TraceId::default(),
        service: service.into(),
        operation: op.into(),
        start_us: start,
        duration_us: us,
        kind: SpanKind::Server,
        error: false,
        tags: Vec::new(),
        events: Vec::new(),
        process_tags: Vec::new(),
        warnings: Vec::new(),
    }
}

/// A Knative request `ago_s` seconds before now: activator → throttler_try (waiting `cold_ms`)
/// → queue-proxy → the user container, which calls a database.
fn trace(id: &str, ago_s: i64, cold_ms: i64, user_ms: i64, error: bool) -> Trace {
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

fn search(traces: Vec<Trace>) -> TraceSearch {
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

fn traces() -> Vec<Trace> {
    vec![
        trace("4bf92f3577b34da6a3ce929d0e0e4736", 30, 0, 45, false),
        trace("00f067aa0ba902b7a3ce929d0e0e4737", 120, 0, 60, true),
        trace("5c1c63a3c2f0d0e9a3ce929d0e0e4738", 300, 2_400, 80, false),
        trace("7a85d1c9e3a2b4f6a3ce929d0e0e4739", 480, 0, 38, false),
        trace("9e107d9d372bb682a3ce929d0e0e4740", 700, 1_100, 52, false),
    ]
}

fn traces_view() -> App {
    let mut app = all();
    app.push(View::Traces(Box::new(TracesView::new(ObjectKey::new(
        "shop", "cart",
    )))));
    app
}

#[test]
fn the_list_with_its_scatter_and_cold_starts() {
    let mut app = traces_view();
    reply(&mut app, 1, Reply::Traces(Ok(search(traces()))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_failed_refresh_keeps_the_list_marked_stale() {
    let mut app = traces_view();
    reply(&mut app, 1, Reply::Traces(Ok(search(traces()))));
    let slow = BackendError::Failed {
        backend: Backend::Jaeger,
        at: "service observability/jaeger-query:16686".into(),
        reason: Failure::Timeout {
            after: std::time::Duration::from_secs(10),
        },
    };
    reply(&mut app, 1, Reply::Traces(Err(CoreError::Backend(slow))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn no_jaeger_says_what_was_tried_and_how_to_get_one() {
    let mut app = traces_view();
    let missing = BackendError::NotFound {
        backend: Backend::Jaeger,
        tried: vec![
            Attempt::new("config", "none"),
            Attempt::new("observability/jaeger-query", "not found"),
        ],
    };
    reply(&mut app, 1, Reply::Traces(Err(CoreError::Backend(missing))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn the_waterfall_with_the_critical_path_and_the_span_detail() {
    let mut app = traces_view();
    let mut t = trace("5c1c63a3c2f0d0e9a3ce929d0e0e4738", 300, 2_400, 80, false);
    // Tree trouble and hostile text are shown, never obeyed.
    t.spans.push(span(
        9,
        Some(77),
        "cart",
        "lost \x1b[31mchild",
        t.spans[0].start_us + 10,
        500,
    ));
    t.spans.push(span(
        10,
        Some(5),
        "cart",
        "early",
        t.spans[4].start_us - 100,
        200,
    ));
    t.warnings
        .push("span 0000000000000008: invalid parent span IDs".into());
    let mut waterfall = Waterfall::new(t);
    // The user container's span, with its tags, events and process.
    waterfall.cursor = 4;
    app.push(View::Trace(Box::new(TraceView::of(waterfall, None))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn two_traces_compared_span_by_span() {
    let mut app = traces_view();
    let a = trace("4bf92f3577b34da6a3ce929d0e0e4736", 30, 0, 45, false);
    let mut b = trace("5c1c63a3c2f0d0e9a3ce929d0e0e4738", 300, 2_400, 80, false);
    b.spans.push(span(
        7,
        Some(5),
        "redis",
        "GET items",
        b.spans[4].start_us + 50,
        300,
    ));
    app.push(View::TraceCompare(Box::new(CompareView::new(a, b))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_trace_named_by_its_id_is_read_then_shown_with_where_it_came_from() {
    let mut app = all();
    let id = "4bf92f3577b34da6a3ce929d0e0e4736";
    app.push(View::Trace(Box::new(TraceView::by_id(TraceId::new(id)))));
    let waiting = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        waiting.contains("Reading trace 4bf92f3577b34da6a3ce929d0e0e4736 from Jaeger"),
        "{waiting}"
    );
    let source = "service observability/jaeger-query:16686 · v3 API".to_owned();
    reply(
        &mut app,
        1,
        Reply::Trace(Ok((trace(id, 30, 2_400, 45, true), source))),
    );
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_trace_jaeger_does_not_know_says_why_and_how_to_ask_again() {
    let mut app = all();
    app.push(View::Trace(Box::new(TraceView::by_id(TraceId::new(
        "0123456789abcdef",
    )))));
    let missing = BackendError::Failed {
        backend: Backend::Jaeger,
        at: "service observability/jaeger-query:16686".into(),
        reason: Failure::NotFound {
            what: "trace 0123456789abcdef".into(),
        },
    };
    reply(&mut app, 1, Reply::Trace(Err(CoreError::Backend(missing))));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}
