//! Transition tests: messages in, state and effects out. No terminal, no cluster, no tokio.

use funcdeck_core::error::CoreError;
use funcdeck_core::function::{FunctionKey, Readiness};
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};

use super::test_support::{press, press_named, prompt, ticket, without_reviews};
use super::*;
use crate::keymap::Keymap;
use crate::testing::{fixed_now, summary};
use crate::views::{FunctionsView, View};

const SHELL: ViewId = ViewId::SHELL;
/// The Functions view the app starts with.
const LIST: ViewId = ViewId(1);

fn info(default_namespace: &str) -> ContextInfo {
    ContextInfo {
        context: "funcdeck-sandbox".into(),
        server: "http://127.0.0.1:1".into(),
        default_namespace: default_namespace.into(),
        contexts: vec!["funcdeck-sandbox".into(), "sandbox-viewer".into()],
    }
}

fn connected_app(scope: Option<NamespaceScope>) -> App {
    let mut app = App::new(Keymap::defaults(), scope, fixed_now());
    assert_eq!(
        app.start(),
        vec![
            Effect::Connect {
                ticket: ticket(SHELL, 1),
                context: None
            },
            // Drafts left by an earlier session are looked for at start.
            Effect::ListDrafts {
                ticket: ticket(SHELL, 1)
            }
        ]
    );
    app.update(Msg::Connected {
        ticket: ticket(SHELL, 1),
        result: Ok(info("shop")),
    });
    app
}

fn functions(app: &mut App, view: ViewId, generation: u64, event: FunctionEvent) {
    app.update(Msg::Reply {
        ticket: ticket(view, generation),
        reply: Box::new(Reply::Functions(event)),
    });
}

fn loaded_app() -> App {
    let mut app = connected_app(Some(NamespaceScope::All));
    functions(
        &mut app,
        LIST,
        1,
        FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("shop", "checkout", Readiness::Failed),
            summary("payments", "refund", Readiness::Deploying),
        ]),
    );
    app.settle();
    app
}

fn list(app: &App) -> &FunctionsView {
    match &app.top().view {
        View::Functions(view) => view,
        #[allow(unreachable_patterns)]
        other => panic!("expected the Functions view, got {}", other.title()),
    }
}

fn visible_names(app: &App) -> Vec<String> {
    let data = list(app).list.items.data().expect("loaded");
    data.rows(0, 100).map(|s| s.key.name.clone()).collect()
}

/// What the Functions list watches: the functions, and their pulse from Prometheus.
fn watches(view: ViewId, generation: u64, scope: NamespaceScope) -> Vec<Effect> {
    let ticket = ticket(view, generation);
    let pulse = funcdeck_core::prometheus::dialect::Scope::functions(scope.namespace());
    vec![
        Effect::Watch {
            ticket,
            watch: Watch::Functions {
                scope: scope.clone(),
            },
        },
        Effect::Watch {
            ticket,
            watch: Watch::Polled(crate::app::Polled::Pulse { scope: pulse }),
        },
    ]
}

fn unreachable() -> CoreError {
    CoreError::Unreachable {
        server: "http://127.0.0.1:1".into(),
        reason: "connection refused".into(),
    }
}

mod connection;
mod list;
mod stack;
