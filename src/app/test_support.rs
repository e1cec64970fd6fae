//! Setup shared by the app's transition tests: a connected app with a few functions, keys.

use funcdeck_core::function::Readiness;
use funcdeck_core::functions::{FunctionEvent, NamespaceScope};

use super::*;
use crate::keymap::{Key, Keymap};
use crate::testing::{fixed_now, summary};

pub fn ticket(view: ViewId, generation: u64) -> Ticket {
    Ticket { view, generation }
}

/// An app connected to a pretend cluster, listing three functions in all namespaces.
pub fn loaded_app(keymap: Keymap) -> App {
    let mut app = App::new(keymap, Some(NamespaceScope::All), fixed_now());
    app.start();
    app.update(Msg::Connected {
        ticket: ticket(ViewId::SHELL, 1),
        result: Ok(ContextInfo {
            context: "funcdeck-sandbox".into(),
            server: "http://127.0.0.1:1".into(),
            default_namespace: "shop".into(),
            contexts: Vec::new(),
        }),
    });
    app.update(Msg::Reply {
        ticket: ticket(ViewId(1), 1),
        reply: Box::new(Reply::Functions(FunctionEvent::Synced(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("shop", "checkout", Readiness::Failed),
            summary("payments", "refund", Readiness::Deploying),
        ]))),
    });
    app.settle();
    app
}

/// Types `keys`, settling after each as the event loop does before every frame.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        effects.extend(app.update(Msg::Key(Key::plain(c))));
        app.settle();
    }
    effects
}

pub fn press_named(app: &mut App, key: &str) -> Vec<Effect> {
    let effects = app.update(Msg::Key(key.parse().expect("valid key")));
    app.settle();
    effects
}

/// Types `:line` and Enter.
pub fn prompt(app: &mut App, line: &str) -> Vec<Effect> {
    press(app, ":");
    press(app, line);
    press_named(app, "<Enter>")
}

/// The effects less the access reviews the app asks for along the way (tests of those look
/// at them on their own).
pub(crate) fn without_reviews(effects: Vec<Effect>) -> Vec<Effect> {
    effects
        .into_iter()
        .filter(|e| !matches!(e, Effect::ReviewAccess { .. }))
        .collect()
}
