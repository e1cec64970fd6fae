//! What every benchmark starts from: an app at 200x60, connected to a pretend cluster,
//! showing all namespaces.

use funcdeck::app::{App, ContextInfo, Msg, Ticket, ViewId};
use funcdeck::keymap::Keymap;
use funcdeck_core::functions::NamespaceScope;

#[path = "../../src/testing.rs"]
pub mod testing;

pub fn connected_app() -> App {
    let mut app = App::new(
        Keymap::defaults(),
        Some(NamespaceScope::All),
        testing::fixed_now(),
    );
    app.update(Msg::Resize {
        width: 200,
        height: 60,
    });
    app.start();
    app.update(Msg::Connected {
        ticket: Ticket {
            view: ViewId::SHELL,
            generation: 1,
        },
        result: Ok(ContextInfo {
            context: "bench".into(),
            server: "http://127.0.0.1:6443".into(),
            default_namespace: "default".into(),
            contexts: Vec::new(),
        }),
    });
    app
}
