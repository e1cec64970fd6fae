//! DESIGN.md §9 budgets for the Functions view:
//! - render the table with 10,000 functions at 200x60: ≤ 2 ms per frame (also with every
//!   function's pulse: a sparkline and p99 per row);
//! - a filter keystroke over 10,000 functions: ≤ 5 ms to the next frame (update + rows + draw).

use criterion::{Criterion, criterion_group, criterion_main};
mod support;

use funcdeck::app::{App, Msg, Reply, Ticket};
use funcdeck::keymap::Key;
use funcdeck::theme::Theme;
use funcdeck::ui;
use funcdeck_core::functions::FunctionEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::testing::synthetic;

const FUNCTIONS: usize = 10_000;

fn loaded_app() -> App {
    let mut app = support::connected_app();
    let view = app.top().id;
    app.update(Msg::Reply {
        ticket: Ticket {
            view,
            generation: 1,
        },
        reply: Box::new(Reply::Functions(FunctionEvent::Synced(synthetic(
            FUNCTIONS,
        )))),
    });
    app.settle();
    app
}

fn render_table(c: &mut Criterion) {
    let mut app = loaded_app();
    // Somewhere in the middle, as after scrolling.
    for _ in 0..5_000 {
        app.update(Msg::Key(Key::plain('j')));
    }
    app.settle();
    let theme = Theme::builtin();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    c.bench_function("render 10k functions 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::draw(frame, &app, &theme))
                .expect("draw");
        })
    });
}

/// Every function busy: an 11-point sparkline and a p99 each.
fn pulses(app: &App) -> funcdeck_core::prometheus::pulse::Pulses {
    use funcdeck_core::prometheus::pulse::{Pulse, PulseWindow, Pulses};
    let funcdeck::views::View::Functions(list) = &app.top().view else {
        panic!("the Functions list");
    };
    let points = PulseWindow::default().points();
    let data = list.list.items.data().expect("loaded");
    let of = data
        .rows(0, FUNCTIONS)
        .enumerate()
        .map(|(i, f)| {
            let pulse = Pulse {
                requests_per_second: (0..points).map(|p| Some((i + p) as f64 % 17.0)).collect(),
                p99_ms: Some(40.0 + (i % 300) as f64),
            };
            (f.key.clone(), pulse)
        })
        .collect();
    Pulses {
        source: "bench".into(),
        era: None,
        of,
    }
}

fn render_table_with_pulse(c: &mut Criterion) {
    let mut app = loaded_app();
    let pulses = pulses(&app);
    let view = app.top().id;
    app.update(Msg::Reply {
        ticket: Ticket {
            view,
            generation: 1,
        },
        reply: Box::new(Reply::Pulse(Ok(pulses))),
    });
    for _ in 0..5_000 {
        app.update(Msg::Key(Key::plain('j')));
    }
    app.settle();
    let theme = Theme::builtin();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    c.bench_function("render 10k functions with their pulse 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::draw(frame, &app, &theme))
                .expect("draw");
        })
    });
}

fn filter_keystroke(c: &mut Criterion) {
    let mut app = loaded_app();
    app.update(Msg::Key(Key::plain('/')));
    app.update(Msg::Key(Key::plain('s')));
    app.settle();
    let theme = Theme::builtin();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let backspace: Key = "<Backspace>".parse().expect("key");
    let mut typed = false;
    c.bench_function(
        "filter keystroke over 10k functions, to the next frame",
        |b| {
            b.iter(|| {
                // Alternate typing and deleting a character so every iteration filters the full set.
                let key = if typed { backspace } else { Key::plain('h') };
                typed = !typed;
                app.update(Msg::Key(key));
                app.settle();
                terminal
                    .draw(|frame| ui::draw(frame, &app, &theme))
                    .expect("draw");
            })
        },
    );
}

criterion_group!(
    benches,
    render_table,
    render_table_with_pulse,
    filter_keystroke
);
criterion_main!(benches);
