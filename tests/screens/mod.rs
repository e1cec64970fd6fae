//! Shared setup for the screen snapshot tests: an app connected to a pretend cluster, answers
//! delivered as the runner would, and rendering on ratatui's TestBackend.
#![allow(dead_code)]

#[path = "../../src/testing.rs"]
pub mod testing;

pub mod objects;
pub mod observed;

use funcdeck::app::{App, ContextInfo, Msg, Reply, Ticket, ViewId};
use funcdeck::keymap::{Key, Keymap};
use funcdeck::theme::Theme;
use funcdeck::ui;
use funcdeck::views::{FunctionView, View};
use funcdeck_core::events::EventSummary;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use funcdeck_core::knative::{Revision, Service};
use funcdeck_core::pods::PodSummary;
use funcdeck_core::watch::WatchEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const WIDTH: u16 = 150;
pub const HEIGHT: u16 = 16;
/// The height of the screens with a function's detail: room for every part.
pub const TALL: u16 = 40;

pub fn info() -> ContextInfo {
    ContextInfo {
        context: "funcdeck-sandbox".into(),
        server: "http://127.0.0.1:6443".into(),
        default_namespace: "default".into(),
        contexts: vec!["funcdeck-sandbox".into()],
    }
}

pub fn app(scope: NamespaceScope) -> App {
    let mut app = App::new(Keymap::defaults(), Some(scope), testing::fixed_now());
    app.update(Msg::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    app.start();
    app.update(Msg::Connected {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Ok(info()),
    });
    app
}

/// Connected, showing all namespaces.
pub fn all() -> App {
    app(NamespaceScope::All)
}

/// An answer for the top view's current watch, as the runner would deliver it.
pub fn reply(app: &mut App, generation: u64, reply: Reply) {
    let view = app.top().id;
    app.update(Msg::Reply {
        ticket: Ticket { view, generation },
        reply: Box::new(reply),
    });
}

/// A function watch event for the first watch of the top view.
pub fn deliver(app: &mut App, event: FunctionEvent) {
    reply(app, 1, Reply::Functions(event));
}

pub fn render(app: &mut App) -> String {
    render_sized(app, WIDTH, HEIGHT)
}

pub fn render_sized(app: &mut App, width: u16, height: u16) -> String {
    draw(app, width, height).to_string()
}

/// The drawn screen with its styles, for what text alone cannot show (marks, selection).
pub fn draw(app: &mut App, width: u16, height: u16) -> TestBackend {
    app.update(Msg::Resize { width, height });
    app.settle();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let theme = Theme::builtin();
    terminal
        .draw(|frame| ui::draw(frame, app, &theme))
        .expect("draw");
    terminal.backend().clone()
}

pub fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(Msg::Key(Key::plain(c)));
    }
}

pub fn press_named(app: &mut App, key: &str) {
    app.update(Msg::Key(key.parse().expect("valid key")));
}

/// The style of the first cell of the screen row that starts with `start` inside a box.
pub fn row_style(backend: &TestBackend, start: &str) -> ratatui::style::Style {
    let buf = backend.buffer();
    let area = buf.area;
    let y = (area.top()..area.bottom())
        .find(|&y| {
            let line: String = (area.left()..area.right())
                .filter_map(|x| buf.cell((x, y)).map(|c| c.symbol().to_owned()))
                .collect();
            line.starts_with(&format!("│{start}"))
        })
        .unwrap_or_else(|| panic!("no row starts with {start}"));
    buf.cell((1, y)).map(|c| c.style()).unwrap_or_default()
}

/// Opens `namespace/name`'s detail on top of the stack, as Enter on its row would.
pub fn open_function(app: &mut App, namespace: &str, name: &str) {
    let key = funcdeck_core::key::ObjectKey::new(namespace, name);
    app.push(View::Function(Box::new(FunctionView::new(key))));
}

/// Answers the top view's four detail watches with whole lists.
pub fn feed_detail(
    app: &mut App,
    service: Service,
    revisions: Vec<Revision>,
    pods: Vec<PodSummary>,
    events: Vec<EventSummary>,
) {
    reply(app, 1, Reply::Function(WatchEvent::Synced(vec![service])));
    reply(
        app,
        1,
        Reply::FunctionRevisions(WatchEvent::Synced(revisions)),
    );
    reply(app, 1, Reply::Pods(WatchEvent::Synced(pods)));
    reply(app, 1, Reply::Events(WatchEvent::Synced(events)));
}

pub fn render_tall(app: &mut App) -> String {
    render_sized(app, WIDTH, TALL)
}
