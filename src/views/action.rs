//! What a view sees while it updates or draws, and what it asks of the app in return.

use funcdeck_core::error::CoreError;
use funcdeck_core::functions::NamespaceScope;

use super::View;
use crate::app::{Effect, Generation, Shell, ViewId, Watch};

/// What a view sees of the world while it updates or draws.
pub struct Ctx<'a> {
    pub shell: &'a Shell,
    /// The view's own id, for the tickets of the effects it asks for.
    pub id: ViewId,
}

/// What a view asks of the app besides I/O.
#[derive(Debug)]
pub enum Action {
    Effect(Effect),
    /// Open another view on top of this one.
    Push(Box<View>),
    /// A change to the cluster, to go through the gate (read-only, confirmation).
    Request(crate::app::Mutation),
    /// Close this view (the editor, once its change is applied or put aside), wherever it is
    /// in the stack by now.
    Close(ViewId),
    /// Show another namespace (every view follows, as with the namespace picker).
    Scope(NamespaceScope),
    /// Tell the user something in the banner (a key that cannot act here, and why).
    Notice(String),
    /// The primary data of the view arrived: the connection is live.
    Live,
    /// The primary data of the view failed; the header shows it and it retries.
    Degraded(CoreError),
}

impl Action {
    /// Starts `watch` for the view under a new generation, so answers to the one it replaces
    /// are dropped.
    pub fn watch(generation: &mut Generation, ctx: &Ctx<'_>, watch: Watch) -> Action {
        generation.bump();
        Action::Effect(Effect::Watch {
            ticket: generation.ticket(ctx.id),
            watch,
        })
    }
}
