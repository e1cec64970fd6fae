//! A list view: a [`ListState`] fed by one watch over the current namespace scope, where Enter
//! opens the row's function. Functions, revisions, pods and events are all this, differing only
//! in what [`Listed`] says about their row type.

use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::Scope;
use funcdeck_core::prometheus::pulse::Pulses;
use funcdeck_core::watch::WatchEvent;

use super::{ListState, Row};
use crate::app::{Effect, Generation, Mutation, Polled, Reply, Ticket, Watch, layout};
use crate::command::Command;
use crate::keymap::KeyContext;
use crate::views::{Action, Ctx, FunctionView, View};

/// The footer hints of the lists that lead to a function (revisions, pods, events).
pub const LEADS_TO_FUNCTION: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::Open, "function"),
    (Command::Filter, "filter"),
    (Command::PickNamespace, "namespace"),
    (Command::SortNext, "sort"),
    (Command::Back, "back"),
    (Command::CommandMode, "command"),
];

/// The function a row labelled with its function's name belongs to.
pub fn function_in(namespace: &str, function: Option<&String>) -> Option<ObjectKey> {
    Some(ObjectKey::new(namespace, function?))
}

/// What a list view needs to know about its rows beyond [`Row`].
pub trait Listed: Row<Key = ObjectKey> {
    /// The view's title, e.g. "Revisions".
    const NAME: &'static str;
    /// Plural noun for messages, e.g. "revisions".
    const NOUN: &'static str;
    /// The view's own keymap section (looked up before `list`).
    const KEYS: KeyContext;
    const HINTS: &'static [(Command, &'static str)];
    /// The column a new view sorts by.
    const SORT: usize = 0;

    fn watch(scope: NamespaceScope) -> Watch;
    /// This view's events out of a reply, if the reply is of its kind.
    fn events(reply: Reply) -> Option<WatchEvent<Self>>;
    /// The function Enter opens for this row.
    fn function(&self) -> Option<ObjectKey>;

    /// What deleting this row means, for rows that can be deleted from their list.
    fn deletion(&self) -> Option<Mutation> {
        None
    }

    /// Whether the list also reads the functions' pulse (requests/s, p99) from Prometheus.
    const PULSE: bool = false;
}

#[derive(Debug)]
pub struct ListView<T: Listed> {
    pub list: ListState<T>,
    generation: Generation,
    /// The last pulse read (kept when a later read fails: Prometheus hiccups should not make
    /// the columns blink); `None` until one answers, and the pulse columns stay hidden.
    pub pulse: Option<Pulses>,
}

impl<T: Listed> Default for ListView<T> {
    fn default() -> Self {
        ListView {
            list: ListState::sorted_by(T::SORT),
            generation: Generation::default(),
            pulse: None,
        }
    }
}

impl<T: Listed> ListView<T> {
    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.list.filtering {
            &[KeyContext::Input]
        } else {
            &[T::KEYS, KeyContext::List]
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.list.items.reload();
        let scope = ctx.shell.scope.clone();
        self.generation.bump();
        let ticket = self.generation.ticket(ctx.id);
        let pulse = T::PULSE.then(|| {
            Watch::Polled(Polled::Pulse {
                scope: Scope::functions(scope.namespace()),
            })
        });
        std::iter::once(T::watch(scope))
            .chain(pulse)
            .map(|watch| Action::Effect(Effect::Watch { ticket, watch }))
            .collect()
    }

    pub fn scope_changed(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.list.restart();
        self.pulse = None;
        self.subscribe(ctx)
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let page = usize::from(layout::table_rows(ctx.shell.body_height));
        if self
            .list
            .on_command(command, page, ctx.shell.all_namespaces())
        {
            return Some(Vec::new());
        }
        // Act on the row under the cursor as the data is now, not as it was last drawn.
        self.list.refresh_rows();
        if command == Command::Delete && !self.list.filtering {
            let request = self.list.selected().and_then(Listed::deletion);
            return Some(request.map(Action::Request).into_iter().collect());
        }
        if command == Command::Create && !self.list.filtering {
            // A new function goes where the user is looking (all namespaces: the context's).
            let namespace = match &ctx.shell.scope {
                funcdeck_core::functions::NamespaceScope::One(ns) => ns.clone(),
                funcdeck_core::functions::NamespaceScope::All => ctx
                    .shell
                    .context
                    .as_ref()
                    .map_or_else(|| "default".to_owned(), |c| c.default_namespace.clone()),
            };
            let form = crate::views::FormView::create(&namespace, ctx.shell.templates.clone());
            return Some(vec![Action::Push(Box::new(View::Form(Box::new(form))))]);
        }
        if command == Command::Edit && !self.list.filtering {
            let key = self.list.selected().and_then(Listed::function);
            return Some(
                key.map(|k| crate::views::editor::open(k, ctx))
                    .into_iter()
                    .collect(),
            );
        }
        if crate::views::on_function::opens_view(command) && !self.list.filtering {
            let key = self.list.selected().and_then(Listed::function);
            return Some(
                key.and_then(|key| crate::views::on_function::view_for(command, key))
                    .map(|view| Action::Push(Box::new(view)))
                    .into_iter()
                    .collect(),
            );
        }
        if command == Command::Open && !self.list.filtering {
            let Some(row) = self.list.selected() else {
                return Some(Vec::new());
            };
            return Some(match row.function() {
                Some(key) => vec![Action::Push(Box::new(View::Function(Box::new(
                    FunctionView::new(key),
                ))))],
                None => vec![Action::Notice(format!(
                    "cannot tell which function {} belongs to",
                    funcdeck_core::text::sanitize(&row.describe())
                ))],
            });
        }
        None
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        if let Reply::Pulse(read) = reply {
            // A failed read keeps the last pulse; the metrics pane is where Prometheus'
            // troubles are explained.
            if let Ok(pulses) = read {
                self.pulse = Some(pulses);
            }
            return Vec::new();
        }
        let Some(event) = T::events(reply) else {
            return Vec::new();
        };
        match event {
            WatchEvent::Synced(rows) => self.list.synced(rows),
            WatchEvent::Applied(row) => self.list.applied(row),
            WatchEvent::Deleted(key) => self.list.deleted(&key),
            WatchEvent::Failed(error) => {
                self.list.failed(error.clone());
                return vec![Action::Degraded(error)];
            }
        }
        vec![Action::Live]
    }

    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        self.list
            .settle(usize::from(layout::table_rows(ctx.shell.body_height)));
    }

    pub fn ticks(&self, ctx: &Ctx<'_>) -> bool {
        let visible = usize::from(layout::table_rows(ctx.shell.body_height));
        self.list.has_young_rows(ctx.shell.now, visible)
    }
}
