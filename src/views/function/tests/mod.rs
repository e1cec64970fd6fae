//! Transition tests for a function's detail: answers from its four watches in, the detail and
//! the cursor, marks and pushed views out. Driven through the app as the runner would.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;
use serde_json::json;

use super::{FunctionView, Section};
use crate::app::{App, Banner, ContextInfo, Health, Msg, Reply, Ticket, ViewId};
use crate::keymap::{Key, Keymap};
use crate::testing::{fixed_now, summary};
use crate::views::{TextView, View};

// The same objects as the screen snapshots; the other view tests include them too.
#[allow(clippy::duplicate_mod)]
#[path = "../../../../tests/screens/objects.rs"]
mod objects;

use objects::{healthy, pod, revision, revision_name, revision_ready, running};

/// The app with the Functions view loaded and `shop/cart`'s detail opened from it.
fn opened() -> App {
    let mut app = App::new(Keymap::defaults(), Some(NamespaceScope::All), fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Ok(ContextInfo {
            context: "funcdeck-sandbox".into(),
            server: "http://127.0.0.1:1".into(),
            default_namespace: "default".into(),
            contexts: Vec::new(),
        }),
    });
    reply(
        &mut app,
        Reply::Functions(FunctionEvent::Synced(vec![summary(
            "shop",
            "cart",
            Readiness::Ready,
        )])),
    );
    app.settle();
    press_named(&mut app, "<Enter>");
    assert!(matches!(app.top().view, View::Function(_)), "detail open");
    app
}

/// `opened()` fed the healthy function: two revisions, three pods, three events.
fn loaded() -> App {
    let mut app = opened();
    let h = healthy();
    reply(
        &mut app,
        Reply::Function(WatchEvent::Synced(vec![h.service])),
    );
    reply(
        &mut app,
        Reply::FunctionRevisions(WatchEvent::Synced(h.revisions)),
    );
    reply(&mut app, Reply::Pods(WatchEvent::Synced(h.pods)));
    reply(&mut app, Reply::Events(WatchEvent::Synced(h.events)));
    app.settle();
    app
}

/// An answer for the top view's first watches.
fn reply(app: &mut App, reply: Reply) {
    let view = app.top().id;
    app.update(Msg::Reply {
        ticket: Ticket {
            view,
            generation: 1,
        },
        reply: Box::new(reply),
    });
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(Msg::Key(Key::plain(c)));
    }
    app.settle();
}

fn press_named(app: &mut App, key: &str) {
    app.update(Msg::Key(key.parse().expect("valid key")));
    app.settle();
}

fn detail_view(app: &App) -> &FunctionView {
    match &app.top().view {
        View::Function(view) => view,
        other => panic!("expected a function's detail, got {}", other.title()),
    }
}

fn text_view(app: &App) -> &TextView {
    match &app.top().view {
        View::Text(view) => view,
        other => panic!("expected a text view, got {}", other.title()),
    }
}

fn lines(view: &TextView) -> Vec<&str> {
    view.lines.iter().map(|(line, _)| line.as_str()).collect()
}

fn revision_names(app: &App) -> Vec<String> {
    let detail = detail_view(app).detail.as_ref().expect("detail built");
    detail
        .revisions
        .iter()
        .map(|r| r.revision.key.name.clone())
        .collect()
}

fn notice(app: &App) -> String {
    match app.banner() {
        Some(Banner::Notice(text)) => text,
        other => panic!("expected a notice, got {other:?}"),
    }
}

mod changes;
mod failures;
mod revisions;
mod sections;
mod traffic;
