//! The application shell: a stack of views, an optional overlay, and the routing between them.
//!
//! One task owns [`App`]. Input and background answers arrive as [`Msg`]s; [`App::update`] only
//! routes: keys to the overlay or the top view, answers to the view their [`Ticket`] names, and
//! what no view takes to the shell (quit, help, back, the `:` prompt, namespaces, reconnects).
//! It returns [`Effect`]s for the runner; nothing here does I/O, so every transition is tested
//! without a terminal or a cluster.

mod effect;
mod gate;
mod health;
mod key_permission;
pub mod layout;
pub mod logs;
mod msg;
mod mutation;
mod navigate;
mod overlay;
mod pane;
mod picker;
pub mod prompt;
mod shell;
mod ticket;
mod update;

pub use effect::{Effect, Polled, TraceFilter, Watch};
pub use gate::Confirm;
pub use health::Health;
pub use key_permission::command_permission;
pub use logs::{Credit, LogFeed, LogSummary, LogTarget, LogsOpened};
pub use msg::{ContextInfo, Metered, Msg, Quotas, Reply, StackPreview, Tenants, TraceSearch};
pub use mutation::Mutation;
pub use pane::Pane;
pub use picker::NamespacePicker;
pub use prompt::Prompt;
pub use shell::{Banner, Shell};
pub use ticket::{Generation, Ticket, ViewId};

use chrono::{DateTime, Utc};
use funcdeck_core::functions::NamespaceScope;

use crate::keymap::{KeyContext, Keymap};
use crate::views::functions::Tally;
use crate::views::{Ctx, FunctionsView, View};

/// What has the keyboard on top of the views.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    NamespacePicker(NamespacePicker),
    Prompt(Prompt),
    /// A change waiting for the user to type its target's name.
    Confirm(Confirm),
}

#[derive(Debug)]
pub struct ViewEntry {
    pub id: ViewId,
    pub view: View,
}

#[derive(Debug)]
pub struct App {
    pub shell: Shell,
    /// Never empty: the bottom view is where Esc stops.
    pub stack: Vec<ViewEntry>,
    pub overlay: Option<Overlay>,
    /// Lines run at the `:` prompt, oldest first.
    pub history: Vec<String>,
    next_view: u64,
    /// The next connect is to another cluster or user: views start over instead of reloading.
    switching_context: bool,
}

impl App {
    /// `scope` is the namespace asked for on the command line, if any.
    pub fn new(keymap: Keymap, scope: Option<NamespaceScope>, now: DateTime<Utc>) -> Self {
        App {
            shell: Shell::new(keymap, scope, now),
            stack: vec![ViewEntry {
                id: ViewId(1),
                view: View::Functions(FunctionsView::default()),
            }],
            overlay: None,
            history: Vec::new(),
            next_view: 2,
            switching_context: false,
        }
    }

    /// The first effects to run: connect, and look for drafts left by an earlier session.
    pub fn start(&mut self) -> Vec<Effect> {
        let mut effects = self.reconnect();
        effects.push(Effect::ListDrafts {
            ticket: self.shell.generation.ticket(ViewId::SHELL),
        });
        effects
    }

    pub fn top(&self) -> &ViewEntry {
        // The stack is never empty (see `pop`); the first entry stands in otherwise.
        self.stack.last().unwrap_or(&self.stack[0])
    }

    pub fn ctx(&self, id: ViewId) -> Ctx<'_> {
        Ctx {
            shell: &self.shell,
            id,
        }
    }

    /// Where the next key is looked up.
    pub fn key_chain(&self) -> &'static [KeyContext] {
        match &self.overlay {
            Some(Overlay::Help { .. }) => &[KeyContext::Help],
            Some(Overlay::NamespacePicker(_)) => &[KeyContext::Picker],
            Some(Overlay::Prompt(_)) => &[KeyContext::Command],
            Some(Overlay::Confirm(_)) => &[KeyContext::Input],
            None => self.top().view.key_chain(),
        }
    }

    /// The breadcrumbs for the header, bottom view first.
    pub fn breadcrumbs(&self) -> Vec<String> {
        self.stack.iter().map(|entry| entry.view.title()).collect()
    }

    /// Function counts from the Functions view, when one is open.
    pub fn tally(&self) -> Option<Tally> {
        self.stack.iter().find_map(|entry| match &entry.view {
            View::Functions(view) => view.tally(),
            _ => None,
        })
    }

    /// The banner line under the header, if any: errors first, then notices, then warnings.
    pub fn banner(&self) -> Option<Banner> {
        let shell = &self.shell;
        // The answer to what the user just did comes first; the connection's trouble stays in
        // the header and the view, and returns to the banner once the notice is dismissed.
        if let Some(notice) = &shell.notice {
            return Some(Banner::Notice(notice.clone()));
        }
        if let Some(error) = shell.health.error() {
            let retry = shell
                .keymap
                .hint(self.top().view.key_chain(), crate::command::Command::Retry);
            let retry = match shell.health {
                Health::Failed { .. } => format!("press {retry} to retry"),
                _ => format!("retrying; press {retry} to retry now"),
            };
            let mut text = error.to_string();
            if self.top().view.has_data() {
                text.push_str(" — showing last known data");
            }
            return Some(Banner::Error(format!("{text} ({retry})")));
        }
        shell.warnings.first().map(|w| Banner::Warning(w.clone()))
    }

    /// Lines the banner takes: long messages wrap onto a second line.
    pub fn banner_lines(&self) -> u16 {
        match self.banner() {
            None => 0,
            Some(banner) => {
                // The drawn banner adds a symbol and a dismiss hint around the text.
                if banner.text().chars().count() + 24 > usize::from(self.shell.terminal_size.0) {
                    2
                } else {
                    1
                }
            }
        }
    }

    /// Brings derived state up to date before a frame: the body size, then the top view's rows
    /// and scroll windows.
    pub fn settle(&mut self) {
        self.shell.body_height =
            layout::body_height(self.shell.terminal_size.1, self.banner_lines());
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        let ctx = Ctx {
            shell: &self.shell,
            id: top.id,
        };
        top.view.settle(&ctx);
    }

    fn new_view_id(&mut self) -> ViewId {
        let id = ViewId(self.next_view);
        self.next_view += 1;
        id
    }
}

#[cfg(test)]
mod gate_tests;
#[cfg(test)]
mod navigation_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
