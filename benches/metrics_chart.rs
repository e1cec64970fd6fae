//! Drawing the metrics pane: six charts, eight revisions each (the most a chart shows), 121
//! points per line (a range at its usual resolution), 200x60. Live refresh redraws it every few
//! seconds and on every key; it should cost a small part of a 16 ms frame.

use criterion::{Criterion, criterion_group, criterion_main};
mod support;

use funcdeck::app::{App, Msg, Reply, Ticket};
use funcdeck::theme::Theme;
use funcdeck::ui;
use funcdeck::views::{MetricsView, View};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::Era;
use funcdeck_core::prometheus::series::{ChartLines, FunctionCharts, Line};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn lines(scale: f64) -> ChartLines {
    ChartLines::new(
        (0..8)
            .map(|r| {
                let r = f64::from(r);
                Line::new(
                    format!("fn-{r:05}"),
                    (0..=120).map(|i| {
                        let i = f64::from(i);
                        (i * 7.5, scale * (1.0 + r + (i / 9.0 + r).sin()))
                    }),
                )
            })
            .collect(),
    )
}

fn app_with_charts() -> App {
    let mut app = support::connected_app();
    app.push(View::Metrics(Box::new(MetricsView::new(ObjectKey::new(
        "shop", "cart",
    )))));
    let view = app.top().id;
    let charts = FunctionCharts {
        source: "bench".into(),
        era: Era::OpenTelemetry,
        start: 0.0,
        end: 900.0,
        requests_per_second: lines(3.0),
        latency_ms: lines(40.0),
        error_ratio: lines(0.01),
        concurrency: lines(0.5),
        pods: lines(1.0),
        cold_starts: (0..8)
            .map(|r| (format!("fn-{r:05}"), f64::from(r)))
            .collect(),
    };
    app.update(Msg::Reply {
        ticket: Ticket {
            view,
            generation: 1,
        },
        reply: Box::new(Reply::Metrics(Ok(charts))),
    });
    app.settle();
    app
}

fn render_charts(c: &mut Criterion) {
    let app = app_with_charts();
    let theme = Theme::builtin();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    c.bench_function(
        "render metrics pane 6 charts x 8 lines x 121 points 200x60",
        |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| ui::draw(frame, &app, &theme))
                    .expect("draw");
            })
        },
    );
}

criterion_group!(benches, render_charts);
criterion_main!(benches);
