//! Screens of the traces pane: the list under its duration scatter with cold starts flagged,
//! a trace's waterfall with the critical path and the span detail, two traces compared, and
//! the failures (no Jaeger, a stale list, a trace with tree trouble and hostile text).
//!
//! Rendered on ratatui's TestBackend from hand-made Knative-shaped traces.

mod screens;

use funcdeck::app::{App, Reply};
use funcdeck::views::{CompareView, TraceView, TracesView, View, Waterfall};
use funcdeck_core::backend::{Attempt, Backend, BackendError, Failure};
use funcdeck_core::error::CoreError;
use funcdeck_core::jaeger::{TagValue, TraceId};
use funcdeck_core::key::ObjectKey;
use screens::observed::{search, span, trace, traces};
use screens::{all, press, render_sized, reply};

const WIDTH: u16 = 140;
const HEIGHT: u16 = 36;

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

#[test]
fn a_span_with_more_than_the_pane_holds_scrolls_its_detail() {
    let mut app = traces_view();
    let mut t = trace("4bf92f3577b34da6a3ce929d0e0e4736", 30, 0, 45, false);
    t.spans[4].tags = (0..40)
        .map(|i| (format!("attr.{i:02}"), TagValue::Int(i)))
        .collect();
    let mut waterfall = Waterfall::new(t);
    waterfall.cursor = 4;
    app.push(View::Trace(Box::new(TraceView::of(waterfall, None))));
    let first = render_sized(&mut app, 120, 24);
    assert!(
        first.contains("attr.00") && !first.contains("attr.39"),
        "{first}"
    );
    // Scrolling past the end stops at the last line, and back up goes back at once.
    press(&mut app, &"J".repeat(60));
    press(&mut app, "K");
    insta::assert_snapshot!(render_sized(&mut app, 120, 24));
}
