//! Screens of the Usage view (`:usage`): the functions' and tenants' tables with the source and
//! era named, figures that cannot be known shown as `-` (never 0), a failed refresh over the
//! last good tables, and no Prometheus at all (what was tried, and how to get one).
//!
//! Rendered on ratatui's TestBackend; the figures are built by hand.

mod screens;

use funcdeck::app::{App, Metered, Reply};
use funcdeck::theme::{StyleName, Theme};
use funcdeck::views::{UsageView, View};
use funcdeck_core::backend::{Attempt, Backend, BackendError};
use funcdeck_core::error::CoreError;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::metering::{FunctionUsage, TenantUsage};
use funcdeck_core::prometheus::usage::Usage;
use screens::{all, draw, press_named, render_sized, reply, row_style};

const WIDTH: u16 = 150;
const HEIGHT: u16 = 22;

fn function(
    ns: &str,
    name: &str,
    invocations: f64,
    gb: Option<f64>,
    cpu: Option<f64>,
) -> FunctionUsage {
    FunctionUsage {
        namespace: ns.into(),
        function: name.into(),
        invocations,
        pod_seconds: invocations / 10.0 + 60.0,
        gb_seconds: gb,
        cpu_seconds: cpu,
    }
}

fn tenant(
    ns: &str,
    functions: usize,
    invocations: f64,
    gb: Option<f64>,
    cpu: Option<f64>,
) -> TenantUsage {
    TenantUsage {
        namespace: ns.into(),
        functions,
        invocations,
        pod_seconds: invocations / 10.0 + 60.0 * functions as f64,
        gb_seconds: gb,
        cpu_seconds: cpu,
    }
}

fn metered(functions: Vec<FunctionUsage>, tenants: Vec<TenantUsage>) -> Metered {
    Metered {
        source: "service monitoring/prometheus:9090 via the API server".into(),
        era: Era::OpenTelemetry,
        usage: Usage { functions, tenants },
    }
}

fn known() -> Metered {
    metered(
        vec![
            function("payments", "refund", 1200.0, Some(22.5), Some(18.0)),
            function("shop", "cart", 51_840.0, Some(2430.0), Some(972.0)),
            function("shop", "checkout", 0.0, Some(0.0), Some(0.0)),
        ],
        vec![
            tenant("payments", 1, 1200.0, Some(22.5), Some(18.0)),
            tenant("shop", 2, 51_840.0, Some(2430.0), Some(972.0)),
        ],
    )
}

fn usage_view() -> App {
    let mut app = all();
    app.push(View::Usage(Box::<UsageView>::default()));
    app
}

#[test]
fn functions_over_tenants_with_source_and_era() {
    let mut app = usage_view();
    reply(&mut app, 1, Reply::Usage(Ok(known())));
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
}

#[test]
fn unknown_figures_are_a_dash_not_zero() {
    let mut app = usage_view();
    reply(
        &mut app,
        1,
        Reply::Usage(Ok(metered(
            vec![
                // A revision without requests: its allocation cannot be known.
                function("shop", "cart", 300.0, None, None),
                function("shop", "legacy", 40.0, Some(1.5), None),
            ],
            vec![tenant("shop", 2, 340.0, None, None)],
        ))),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    insta::assert_snapshot!(screen);
}

#[test]
fn a_failed_refresh_keeps_the_tables_and_says_why() {
    let mut app = usage_view();
    reply(&mut app, 1, Reply::Usage(Ok(known())));
    reply(
        &mut app,
        1,
        Reply::Usage(Err(CoreError::from(BackendError::Failed {
            backend: Backend::Prometheus,
            at: "service monitoring/prometheus:9090 via the API server".into(),
            reason: funcdeck_core::backend::Failure::Timeout {
                after: std::time::Duration::from_secs(30),
            },
        }))),
    );
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(screen.contains("showing the last good figures"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn no_prometheus_says_what_was_tried_and_how_to_get_one() {
    let mut app = usage_view();
    insta::assert_snapshot!("loading", render_sized(&mut app, WIDTH, 12));
    reply(
        &mut app,
        1,
        Reply::Usage(Err(CoreError::from(BackendError::NotFound {
            backend: Backend::Prometheus,
            tried: vec![
                Attempt::new("config", "none"),
                Attempt::new("service monitoring/prometheus", "not found"),
            ],
        }))),
    );
    insta::assert_snapshot!("no_prometheus", render_sized(&mut app, WIDTH, 14));
}

#[test]
fn only_the_focused_table_shows_its_cursor() {
    let selected = Theme::builtin().style(StyleName::TableSelected).bg;
    assert!(
        selected.is_some(),
        "the theme marks the selection with a background"
    );
    let mut app = usage_view();
    reply(&mut app, 1, Reply::Usage(Ok(known())));
    let backend = draw(&mut app, WIDTH, HEIGHT);
    assert_eq!(row_style(&backend, "payments    refund").bg, selected);
    assert_ne!(row_style(&backend, "payments  1").bg, selected);
    press_named(&mut app, "<Tab>");
    let backend = draw(&mut app, WIDTH, HEIGHT);
    assert_ne!(row_style(&backend, "payments    refund").bg, selected);
    assert_eq!(row_style(&backend, "payments  1").bg, selected);
}
