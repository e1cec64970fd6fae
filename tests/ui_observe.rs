//! The observe screen: a function's charts beside its traces, its logs under both, over one
//! window, the focused pane's frame in the focus colour and its keys in the footer; a pane
//! without its backend says so on its side while the others work.
//!
//! Rendered on ratatui's TestBackend from hand-made charts and Knative-shaped traces.

mod screens;

use funcdeck::app::{App, Reply};
use funcdeck::theme::StyleName;
use funcdeck::views::{ObserveView, View};
use funcdeck_core::backend::{Attempt, Backend, BackendError};
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use screens::observed::{charts, lines, opened, search, traces};
use screens::{all, draw, press_named, render_sized, reply};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn observe() -> App {
    let mut app = all();
    app.push(View::Observe(Box::new(ObserveView::new(ObjectKey::new(
        "shop", "cart",
    )))));
    app
}

#[test]
fn charts_traces_and_logs_side_by_side_with_the_traces_focused() {
    let mut app = observe();
    reply(&mut app, 1, Reply::Metrics(Ok(charts())));
    reply(&mut app, 1, Reply::Traces(Ok(search(traces()))));
    reply(&mut app, 1, opened(lines()));
    press_named(&mut app, "<Tab>");
    insta::assert_snapshot!(render_sized(&mut app, WIDTH, HEIGHT));
    // The focused pane's frame is in the focus colour, the other's in the tables' own.
    let theme = funcdeck::theme::Theme::builtin();
    let focus = theme
        .style(StyleName::PopupBorder)
        .fg
        .expect("a focus colour");
    let plain = theme
        .style(StyleName::TableBorder)
        .fg
        .expect("a border colour");
    assert_ne!(focus, plain);
    let screen = draw(&mut app, WIDTH, HEIGHT);
    let corner = |x: u16| screen.buffer()[(x, 1)].fg;
    assert_eq!((corner(0), corner(WIDTH / 2)), (plain, focus));
    press_named(&mut app, "<Tab>");
    let screen = draw(&mut app, WIDTH, HEIGHT);
    let corner = |x: u16| screen.buffer()[(x, 1)].fg;
    assert_eq!((corner(0), corner(WIDTH / 2)), (plain, plain));
    // The logs' frame starts right under the metrics' one.
    let symbol = |y: u16| screen.buffer()[(0, y)].symbol().to_owned();
    let logs_top = (2..HEIGHT)
        .find(|&y| symbol(y) == "┌" && symbol(y - 1) == "└")
        .expect("the logs pane's frame");
    assert_eq!(
        screen.buffer()[(0, logs_top)].fg,
        focus,
        "Tab reaches the logs"
    );
}

#[test]
fn a_pane_without_its_backend_says_so_beside_the_one_that_works() {
    let mut app = observe();
    let missing = BackendError::NotFound {
        backend: Backend::Prometheus,
        tried: vec![
            Attempt::new("config", "none"),
            Attempt::new("service monitoring/prometheus", "not found"),
        ],
    };
    reply(
        &mut app,
        1,
        Reply::Metrics(Err(CoreError::Backend(missing))),
    );
    reply(&mut app, 1, Reply::Traces(Ok(search(traces()))));
    let screen = render_sized(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains("No metrics (backend-not-found)"),
        "{screen}"
    );
    assert!(screen.contains("❄ cold starts 2"), "{screen}");
}
