//! The Functions view: every Knative Service in scope, live, filterable and sortable; Enter opens
//! a function's detail.

mod render;

pub use render::render;

use chrono::{DateTime, Utc};
use funcdeck_core::function::{FunctionKey, FunctionSummary, Readiness};
use funcdeck_core::functions::FunctionEvent;

use super::list::{ListState, Row};
use super::{Action, Ctx};
use crate::app::{Effect, Generation, Reply, Ticket, Watch, layout};
use crate::columns::{Column, FUNCTION_COLUMNS};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const HINTS: &[(Command, &str)] = &[
    (Command::Help, "help"),
    (Command::Open, "detail"),
    (Command::Filter, "filter"),
    (Command::PickNamespace, "namespace"),
    (Command::AllNamespaces, "all"),
    (Command::SortNext, "sort"),
    (Command::CommandMode, "command"),
    (Command::Quit, "quit"),
];

impl Row for FunctionSummary {
    type Key = FunctionKey;

    fn key(&self) -> &FunctionKey {
        &self.key
    }

    fn haystack(&self) -> String {
        format!(
            "{}/{} {} {}",
            self.key.namespace,
            self.key.name,
            self.readiness.label(),
            self.reason.as_deref().unwrap_or("")
        )
    }

    fn columns() -> &'static [Column<Self>] {
        FUNCTION_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        self.created
    }
}

/// Counts for the header: how much is wrong at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub failed: usize,
    pub deploying: usize,
}

#[derive(Debug, Default)]
pub struct FunctionsView {
    pub list: ListState<FunctionSummary>,
    generation: Generation,
}

impl FunctionsView {
    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.list.filtering {
            &[KeyContext::Input]
        } else {
            &[KeyContext::Functions, KeyContext::List]
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.list.items.reload();
        self.generation.bump();
        vec![Action::Effect(Effect::Watch {
            ticket: self.generation.ticket(ctx.id),
            watch: Watch::Functions {
                scope: ctx.shell.scope.clone(),
            },
        })]
    }

    pub fn scope_changed(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.list.restart();
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
        None
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        let Reply::Functions(event) = reply;
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        match event {
            FunctionEvent::Synced(summaries) => self.list.synced(summaries),
            FunctionEvent::Applied(summary) => self.list.applied(summary),
            FunctionEvent::Deleted(key) => self.list.deleted(&key),
            FunctionEvent::Failed(error) => {
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

    pub fn position(&self) -> Option<(usize, usize)> {
        self.list.position()
    }

    pub fn tally(&self) -> Option<Tally> {
        let list = self.list.items.data()?;
        let mut tally = Tally {
            total: list.len(),
            ..Tally::default()
        };
        for summary in list.all() {
            match summary.readiness {
                Readiness::Failed => tally.failed += 1,
                Readiness::Deploying => tally.deploying += 1,
                Readiness::Ready | Readiness::Unknown => {}
            }
        }
        Some(tally)
    }
}
