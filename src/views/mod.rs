//! Every screen of the console is a view: a room of its own with its state, its transitions and
//! its drawing. The app keeps a stack of them (Enter pushes, Esc pops, `:` jumps) and routes
//! input and answers here; this file is the one match per question that dispatches to each.

pub mod functions;
pub mod list;

use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{Effect, Reply, Shell, Ticket, ViewId};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::theme::Theme;

pub use functions::FunctionsView;

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
    Push(View),
    /// The primary data of the view arrived: the connection is live.
    Live,
    /// The primary data of the view failed; the header shows it and it retries.
    Degraded(funcdeck_core::error::CoreError),
}

#[derive(Debug)]
pub enum View {
    Functions(FunctionsView),
}

impl View {
    /// The breadcrumb for this view in the header.
    pub fn title(&self) -> String {
        match self {
            View::Functions(_) => "Functions".to_owned(),
        }
    }

    /// Where keys are looked up, most specific first (`global` is always last).
    pub fn key_chain(&self) -> &'static [KeyContext] {
        match self {
            View::Functions(view) => view.key_chain(),
        }
    }

    /// The commands worth a hint in the footer, with the word for each.
    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        match self {
            View::Functions(_) => functions::HINTS,
        }
    }

    /// (Re)starts the view's watches: on connect, on reconnect, when first shown.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        match self {
            View::Functions(view) => view.subscribe(ctx),
        }
    }

    /// The namespace scope changed; views that list a namespace start over.
    pub fn scope_changed(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        match self {
            View::Functions(view) => view.scope_changed(ctx),
        }
    }

    /// A command from the keymap; `None` when the view leaves it to the app.
    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        match self {
            View::Functions(view) => view.on_command(command, ctx),
        }
    }

    /// A printable key no binding took (text typed into a filter).
    pub fn on_char(&mut self, c: char) {
        match self {
            View::Functions(view) => view.list.on_char(c),
        }
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match self {
            View::Functions(view) => view.on_reply(ticket, reply),
        }
    }

    /// The cluster cannot be reached at all (bad kubeconfig, unknown context).
    pub fn connection_failed(&mut self, error: funcdeck_core::error::CoreError) {
        match self {
            View::Functions(view) => view.list.failed(error),
        }
    }

    /// Brings derived state (sorted rows, scroll windows) up to date before a frame.
    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        match self {
            View::Functions(view) => view.settle(ctx),
        }
    }

    /// Whether the clock moving on changes something on screen (young ages tick by the second).
    pub fn ticks(&self, ctx: &Ctx<'_>) -> bool {
        match self {
            View::Functions(view) => view.ticks(ctx),
        }
    }

    /// The footer's `row/rows`, for views with a cursor.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            View::Functions(view) => view.position(),
        }
    }

    /// The text being typed into the view, if any (the footer shows the prompt).
    pub fn typing(&self) -> Option<&str> {
        match self {
            View::Functions(view) => view.list.filtering.then_some(view.list.filter.as_str()),
        }
    }

    /// Whether the view holds data it would keep showing through an error.
    pub fn has_data(&self) -> bool {
        match self {
            View::Functions(view) => view.list.items.data().is_some(),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx<'_>, theme: &Theme) {
        match self {
            View::Functions(view) => functions::render(view, area, buf, ctx, theme),
        }
    }
}

/// A scope in words, for titles and messages.
pub fn scope_words(scope: &NamespaceScope) -> String {
    match scope {
        NamespaceScope::All => "all namespaces".to_owned(),
        NamespaceScope::One(ns) => format!("namespace {}", funcdeck_core::text::sanitize(ns)),
    }
}
