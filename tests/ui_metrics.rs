//! Screens of the metrics pane: charts of two revisions with legends and axes, a stale refresh
//! over the last good charts, Prometheus unreachable before any data, and a chart that keeps
//! only the busiest of many revisions.
//!
//! Rendered on ratatui's TestBackend; the charts are built by hand with known shapes.

mod screens;

use funcdeck::app::{App, Reply};
use funcdeck::views::{MetricsView, View};
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::series::{ChartLines, FunctionCharts, Line};
use screens::{all, render_sized, reply};

const WIDTH: u16 = 150;
const HEIGHT: u16 = 40;

/// 15 minutes in 15 s steps: `shape(i)` at each.
fn line(name: &str, shape: impl Fn(f64) -> f64) -> Line {
    Line::new(
        name,
        (0..=60).map(|i| (f64::from(i) * 15.0, shape(f64::from(i)))),
    )
}

fn charts() -> FunctionCharts {
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

fn metrics_view() -> App {
    let mut app = all();
    app.push(View::Metrics(Box::new(MetricsView::new(ObjectKey::new(
        "shop", "cart",
    )))));
    app
}

#[test]
fn charts_of_two_revisions_with_legends() {
    let mut app = metrics_view();
    reply(&mut app, 1, Reply::Metrics(Ok(charts())));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn a_failed_refresh_keeps_the_charts_and_says_why() {
    let mut app = metrics_view();
    reply(&mut app, 1, Reply::Metrics(Ok(charts())));
    reply(
        &mut app,
        1,
        Reply::Metrics(Err(CoreError::Unreachable {
            server: "http://127.0.0.1:9090".into(),
            reason: "connection refused".into(),
        })),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(screen.contains("showing the last good data"), "{screen}");
    assert!(screen.contains("cart-00002"), "the charts stay: {screen}");
}

#[test]
fn no_prometheus_before_any_data_says_so() {
    let mut app = metrics_view();
    insta::assert_snapshot!("loading", render_sized(&mut app, WIDTH, 12));
    reply(
        &mut app,
        1,
        Reply::Metrics(Err(CoreError::Unreachable {
            server: "http://127.0.0.1:9090".into(),
            reason: "connection refused".into(),
        })),
    );
    insta::assert_snapshot!("unreachable", render_sized(&mut app, WIDTH, 12));
}

#[test]
fn many_revisions_keep_the_busiest() {
    let mut app = metrics_view();
    let mut many = charts();
    many.requests_per_second = ChartLines::new(
        (0..30)
            .map(|r| line(&format!("cart-{r:05}"), move |_| f64::from(r)))
            .collect(),
    );
    reply(&mut app, 1, Reply::Metrics(Ok(many)));
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(screen.contains("Requests/s (busiest 8 of 30)"), "{screen}");
}

#[test]
fn tab_charts_one_revision_and_says_which() {
    let mut app = metrics_view();
    reply(&mut app, 1, Reply::Metrics(Ok(charts())));
    screens::press_named(&mut app, "<Tab>");
    let mut one = charts();
    one.requests_per_second =
        ChartLines::new(vec![line(
            "cart-00002",
            |i| {
                if i > 30.0 { 1.5 } else { 0.0 }
            },
        )]);
    one.error_ratio = ChartLines::default();
    one.concurrency = ChartLines::default();
    reply(&mut app, 2, Reply::Metrics(Ok(one)));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn no_prometheus_found_says_how_to_get_one() {
    let mut app = metrics_view();
    reply(
        &mut app,
        1,
        Reply::Metrics(Err(CoreError::Backend(
            funcdeck_core::backend::BackendError::NotFound {
                backend: funcdeck_core::backend::Backend::Prometheus,
                tried: vec![funcdeck_core::backend::Attempt::new("config", "none")],
            },
        ))),
    );
    let screen = render_sized(&mut app, WIDTH, 12);
    assert!(
        screen.contains("Prometheus not found: tried config (none)"),
        "{screen}"
    );
    assert!(screen.contains("apt-get install prometheus"), "{screen}");
}
