//! The pulse (requests/s sparkline, p99) from Prometheus: columns of the Functions list and of
//! a function's revisions, a line in its overview; shown once a read answers, kept through a
//! failed read, and "–" for what Prometheus has not counted.

mod screens;

use std::collections::HashMap;

use funcdeck::app::{App, Reply};
use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::pulse::{Pulse, PulseWindow, Pulses};
use screens::objects::{healthy, revision_name};
use screens::testing::summary;
use screens::{all, app, deliver, feed_detail, open_function, render, render_tall, reply};

fn listed() -> App {
    let mut app = app(NamespaceScope::One("shop".into()));
    deliver(
        &mut app,
        FunctionEvent::Synced(vec![
            summary("shop", "checkout-api", Readiness::Ready),
            summary("shop", "cart-sync", Readiness::Ready),
            summary("shop", "new-fn", Readiness::Deploying),
        ]),
    );
    app
}

/// A climb to 20 req/s with a missed scrape, p99 120 ms; an idle function (0 req/s, no p99).
fn pulses() -> Pulses {
    let points = PulseWindow::default().points();
    let mut climbing: Vec<Option<f64>> = (0..points).map(|i| Some(2.0 * i as f64)).collect();
    climbing[3] = None;
    let functions = HashMap::from([
        (
            ObjectKey::new("shop", "checkout-api"),
            Pulse {
                requests_per_second: climbing,
                p99_ms: Some(120.4),
            },
        ),
        (
            ObjectKey::new("shop", "cart-sync"),
            Pulse {
                requests_per_second: vec![Some(0.0); points],
                p99_ms: None,
            },
        ),
    ]);
    Pulses {
        source: "service monitoring/prometheus:9090 via the API server".into(),
        era: Some(Era::OpenCensus),
        of: functions,
    }
}

#[test]
fn without_a_pulse_the_columns_are_not_there() {
    let screen = render(&mut listed());
    assert!(!screen.contains("REQ/S"), "{screen}");
    assert!(!screen.contains("P99"), "{screen}");
}

#[test]
fn the_pulse_shows_beside_each_function() {
    let mut app = listed();
    reply(&mut app, 1, Reply::Pulse(Ok(pulses())));
    let screen = render(&mut app);
    insta::assert_snapshot!(screen);
    let row = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row("checkout-api").contains("▁▂▂ ▄▅▅▆▇▇█ 20.0"), "{screen}");
    assert!(row("checkout-api").contains("120ms"), "{screen}");
    assert!(row("cart-sync").contains("▁▁▁▁▁▁▁▁▁▁▁ 0  "), "{screen}");
    assert!(
        row("new-fn").contains("–"),
        "not counted is not zero: {screen}"
    );
}

#[test]
fn a_failed_read_keeps_the_last_pulse() {
    let mut app = listed();
    reply(&mut app, 1, Reply::Pulse(Ok(pulses())));
    let before = render(&mut app);
    reply(
        &mut app,
        1,
        Reply::Pulse(Err(CoreError::Unreachable {
            server: "Prometheus".into(),
            reason: "connection refused".into(),
        })),
    );
    assert_eq!(render(&mut app), before);
}

#[test]
fn a_functions_detail_shows_each_revisions_pulse_and_their_sum() {
    let mut app = all();
    open_function(&mut app, "shop", "cart");
    let h = healthy();
    feed_detail(&mut app, h.service, h.revisions, h.pods, h.events);
    let points = PulseWindow::default().points();
    let pulse = |rps: f64, p99: f64| Pulse {
        requests_per_second: vec![Some(rps); points],
        p99_ms: Some(p99),
    };
    let of = HashMap::from([
        (
            ObjectKey::new("shop", revision_name("cart", 2)),
            pulse(18.0, 95.0),
        ),
        (
            ObjectKey::new("shop", revision_name("cart", 1)),
            pulse(2.0, 1500.0),
        ),
    ]);
    reply(
        &mut app,
        1,
        Reply::Pulse(Ok(Pulses {
            source: "here".into(),
            era: Some(Era::OpenTelemetry),
            of,
        })),
    );
    let screen = render_tall(&mut app);
    insta::assert_snapshot!(screen);
    assert!(screen.contains("Requests   ███████████ 20.0/s"), "{screen}");
    assert!(screen.contains("1.50s"), "{screen}");
}
