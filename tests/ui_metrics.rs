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
use funcdeck_core::prometheus::series::ChartLines;
use screens::observed::{charts, line};
use screens::{all, render_sized, reply};

const WIDTH: u16 = 150;
const HEIGHT: u16 = 40;

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
