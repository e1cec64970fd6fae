//! Transition tests for moving between views: Enter pushes a function's detail, Esc pops it,
//! `:rev`, `:po` and `:ev` start a new trail, and every list view opens the right function.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::watch::WatchEvent;

use super::test_support::{press, press_named, prompt, ticket, without_reviews};
use super::*;
use crate::keymap::Keymap;
use crate::testing::{fixed_now, summary};
use crate::views::View;

// The same objects as the screen snapshots; the other view tests include them too.
#[allow(clippy::duplicate_mod)]
#[path = "../../../tests/screens/objects.rs"]
mod objects;

use objects::{
    crash_looping, event, healthy, pod, revision, revision_failed, revision_ready, running,
    summary_of,
};

/// The Functions view the app starts with.
const LIST: ViewId = ViewId(1);

fn info() -> ContextInfo {
    ContextInfo {
        context: "funcdeck-sandbox".into(),
        server: "http://127.0.0.1:1".into(),
        default_namespace: "default".into(),
        contexts: Vec::new(),
    }
}

/// Connected in all namespaces with three functions listed: payments/refund, shop/cart and
/// shop/checkout, in that order.
fn listed() -> App {
    let mut app = App::new(Keymap::defaults(), Some(NamespaceScope::All), fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: ticket(ViewId::SHELL, 1),
        result: Ok(info()),
    });
    send(
        &mut app,
        LIST,
        1,
        Reply::Functions(FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("shop", "checkout", Readiness::Failed),
            summary("payments", "refund", Readiness::Deploying),
        ])),
    );
    app.settle();
    app
}

fn send(app: &mut App, view: ViewId, generation: u64, reply: Reply) -> Vec<Effect> {
    app.update(Msg::Reply {
        ticket: ticket(view, generation),
        reply: Box::new(reply),
    })
}

/// An answer for the top view's first watches, then a frame's settling.
fn reply_top(app: &mut App, reply: Reply) {
    let view = app.top().id;
    send(app, view, 1, reply);
    app.settle();
}

/// The four watches a function's detail starts, in order.
fn detail_watches(view: ViewId, generation: u64, namespace: &str, name: &str) -> Vec<Effect> {
    let key = ObjectKey::new(namespace, name);
    let scope = NamespaceScope::One(namespace.into());
    [
        Watch::Function { key: key.clone() },
        Watch::FunctionRevisions { key },
        Watch::Pods {
            scope: scope.clone(),
            selector: Some(format!("serving.knative.dev/service={name}")),
        },
        Watch::Events { scope },
        Watch::Polled(crate::app::Polled::Pulse {
            scope: funcdeck_core::prometheus::dialect::Scope::revisions_of(namespace, name),
        }),
    ]
    .into_iter()
    .map(|watch| Effect::Watch {
        ticket: ticket(view, generation),
        watch,
    })
    .collect()
}

fn detail(app: &App) -> &crate::views::FunctionView {
    match &app.top().view {
        View::Function(view) => view,
        other => panic!("expected a function's detail, got {}", other.title()),
    }
}

/// The top list view's rows, as `namespace/name`.
fn rows(app: &App) -> Vec<String> {
    fn names<T: crate::views::Listed>(view: &crate::views::ListView<T>) -> Vec<String> {
        let list = view.list.items.data().expect("loaded");
        list.rows(0, 100).map(|row| row.key().to_string()).collect()
    }
    match &app.top().view {
        View::Revisions(view) => names(view),
        View::Pods(view) => names(view),
        View::Events(view) => names(view),
        other => panic!("expected a list view, got {}", other.title()),
    }
}

mod detail;
mod jumps;
mod lists;
