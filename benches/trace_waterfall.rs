//! Drawing a trace's waterfall at 200x60 for a 10,000-span trace, as every key press and
//! refresh does: the ruler, the rows on screen with their critical-path parts, and the
//! selected span's detail (the tree, the rows and the critical path are built once when the
//! view opens, measured by `trace_layout`). Only the visible rows are drawn, so this should
//! cost a small part of a 16 ms frame whatever the trace's size.

use criterion::{Criterion, criterion_group, criterion_main};
mod support;

#[path = "support/traces.rs"]
mod traces;

use funcdeck::theme::Theme;
use funcdeck::ui;
use funcdeck::views::{TraceView, View, Waterfall};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SPANS: usize = 10_000;

fn render_waterfall(c: &mut Criterion) {
    let mut app = support::connected_app();
    let mut waterfall = Waterfall::new(traces::synthetic(SPANS));
    // Mid-trace, where rows are deep and the detail pane has a span to show.
    waterfall.cursor = SPANS / 2;
    app.push(View::Trace(Box::new(TraceView::of(waterfall, None))));
    app.settle();
    let theme = Theme::builtin();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    c.bench_function("render trace waterfall 10k spans 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::draw(frame, &app, &theme))
                .expect("draw");
        })
    });
}

criterion_group!(benches, render_waterfall);
criterion_main!(benches);
