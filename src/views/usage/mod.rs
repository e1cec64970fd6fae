//! The Usage view (`:usage`, `:metering`): what each function and each tenant used over a period
//! — invocations, pod-seconds, and the allocated GB- and CPU-seconds — the numbers
//! `funcdeck usage` prints, read the same way (`prometheus::usage`). Two tables stacked,
//! functions over tenants; Tab moves between them, Enter on a function opens it. The period
//! moves through 24h, 7d and 30d with the metrics pane's range keys. Metering a month is an
//! expensive query, so it is read on open, on a new period or scope, and then once a minute;
//! the last good tables stay, marked stale with the reason, when a read fails.

mod render;
#[cfg(test)]
mod tests;

pub use render::render;

use std::time::Duration;

use chrono::{DateTime, Utc};
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::prometheus::metering::TenantUsage;

use super::list::{ListState, Row};
use super::metrics::TimeRange;
use super::{Action, Ctx, FunctionView, View};
use crate::app::layout::TABLE_CHROME;
use crate::app::{Generation, Metered, Pane, Polled, Reply, Ticket, Watch};
use crate::columns::{Column, FUNCTION_USAGE_COLUMNS, FunctionUsageRow, TENANT_USAGE_COLUMNS};
use crate::command::Command;
use crate::keymap::KeyContext;

/// The periods `[` and `]` move through; a month is what a bill covers.
pub const PERIODS: [Duration; 3] = [
    Duration::from_secs(24 * 3600),
    Duration::from_secs(7 * 86_400),
    Duration::from_secs(30 * 86_400),
];

pub const HINTS: &[(Command, &str)] = &[
    (Command::RangePrevious, "shorter"),
    (Command::RangeNext, "longer"),
    (Command::NextSection, "functions/tenants"),
    (Command::Open, "function"),
    (Command::SortNext, "sort"),
    (Command::Retry, "refresh"),
    (Command::Back, "back"),
];

impl Row for FunctionUsageRow {
    type Key = funcdeck_core::key::ObjectKey;

    fn key(&self) -> &Self::Key {
        &self.key
    }

    fn haystack(&self) -> String {
        self.key.to_string()
    }

    fn columns() -> &'static [Column<Self>] {
        FUNCTION_USAGE_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        None
    }
}

impl Row for TenantUsage {
    type Key = String;

    fn key(&self) -> &String {
        &self.namespace
    }

    fn haystack(&self) -> String {
        self.namespace.clone()
    }

    fn columns() -> &'static [Column<Self>] {
        TENANT_USAGE_COLUMNS
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        None
    }
}

/// Which table keys move in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    Functions,
    Tenants,
}

#[derive(Debug)]
pub struct UsageView {
    pub period: TimeRange,
    /// The last read as a whole: where it came from, and whether the newest read failed.
    pub read: Pane<Metered>,
    pub functions: ListState<FunctionUsageRow>,
    pub tenants: ListState<TenantUsage>,
    pub focus: Focus,
    generation: Generation,
}

impl Default for UsageView {
    fn default() -> Self {
        UsageView {
            period: TimeRange {
                length: PERIODS[PERIODS.len() - 1],
            },
            read: Pane::loading(),
            // Sorted by their first column: functions by tenant then name, tenants by name.
            functions: ListState::default(),
            tenants: ListState::default(),
            focus: Focus::default(),
            generation: Generation::default(),
        }
    }
}

impl UsageView {
    pub fn title(&self) -> String {
        "Usage".to_owned()
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.functions.filtering || self.tenants.filtering {
            &[KeyContext::Input]
        } else {
            // The metrics pane's range keys move the period: one binding for both.
            &[KeyContext::Usage, KeyContext::Metrics, KeyContext::List]
        }
    }

    /// (Re)reads the period for the scope; the tables stay until the answer comes.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.read.reload();
        vec![Action::watch(
            &mut self.generation,
            ctx,
            Watch::Polled(Polled::Usage {
                scope: ctx.shell.scope.clone(),
                since: self.period.length,
            }),
        )]
    }

    /// Another scope, or another period: the old figures would mislead under the new title.
    pub fn restart(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.read.restart();
        self.functions.restart();
        self.tenants.restart();
        self.subscribe(ctx)
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    /// An answer the app has checked this view [`expects`](Self::expects).
    pub fn on_reply(&mut self, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::Usage(Ok(metered)) => {
                let usage = &metered.usage;
                self.functions
                    .synced(usage.functions.iter().cloned().map(Into::into).collect());
                self.tenants.synced(usage.tenants.clone());
                self.read.succeed(metered);
            }
            // Prometheus trouble is this view's, not the cluster's: the header stays as it is.
            Reply::Usage(Err(error)) => self.read.fail(error),
            _ => {}
        }
        Vec::new()
    }

    /// The filter being typed into either table.
    pub fn typing(&self) -> Option<&str> {
        if self.functions.filtering {
            Some(&self.functions.filter)
        } else {
            self.tenants
                .filtering
                .then_some(self.tenants.filter.as_str())
        }
    }

    pub fn on_char(&mut self, c: char) {
        match self.focus {
            Focus::Functions => self.functions.on_char(c),
            Focus::Tenants => self.tenants.on_char(c),
        }
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let period = match command {
            Command::RangeNext | Command::ZoomOut => Some(self.period.longer_in(&PERIODS)),
            Command::RangePrevious | Command::ZoomIn => Some(self.period.shorter_in(&PERIODS)),
            _ => None,
        };
        if let Some(period) = period {
            if period == self.period {
                return Some(Vec::new());
            }
            self.period = period;
            return Some(self.restart(ctx));
        }
        if matches!(command, Command::NextSection | Command::PreviousSection)
            && !self.functions.filtering
            && !self.tenants.filtering
        {
            self.focus = match self.focus {
                Focus::Functions => Focus::Tenants,
                Focus::Tenants => Focus::Functions,
            };
            return Some(Vec::new());
        }
        let (functions_rows, tenants_rows) = self.visible_rows(ctx.shell.body_height);
        let all = ctx.shell.all_namespaces();
        let handled = match self.focus {
            Focus::Functions => self.functions.on_command(command, functions_rows, all),
            Focus::Tenants => self.tenants.on_command(command, tenants_rows, all),
        };
        if handled {
            return Some(Vec::new());
        }
        if command != Command::Open {
            return None;
        }
        self.functions.refresh_rows();
        self.tenants.refresh_rows();
        let mut actions = Vec::new();
        match self.focus {
            Focus::Functions => {
                if let Some(row) = self.functions.selected() {
                    actions.push(Action::Push(Box::new(View::Function(Box::new(
                        FunctionView::new(row.key.clone()),
                    )))));
                }
            }
            // A tenant's row narrows the view to its functions: the tenant becomes the scope.
            Focus::Tenants => {
                if let Some(tenant) = self.tenants.selected() {
                    actions.push(Action::Scope(NamespaceScope::One(tenant.namespace.clone())));
                    self.focus = Focus::Functions;
                }
            }
        }
        Some(actions)
    }

    /// Heights of the two tables in a body this tall: the header line, the stale line when a
    /// read failed over data, then the tenants (as many rows as they have, up to half) under
    /// the functions.
    pub fn table_heights(&self, body: u16) -> (u16, u16) {
        let stale = u16::from(self.read.is_stale());
        let rest = body.saturating_sub(1 + stale);
        let tenants = self.tenants.row_count().max(1);
        let tenants = u16::try_from(tenants)
            .unwrap_or(u16::MAX)
            .saturating_add(TABLE_CHROME)
            .min(rest / 2);
        (rest - tenants, tenants)
    }

    /// Rows each table shows (its height less the borders and the header).
    fn visible_rows(&self, body: u16) -> (usize, usize) {
        let (functions, tenants) = self.table_heights(body);
        (
            usize::from(functions.saturating_sub(TABLE_CHROME)),
            usize::from(tenants.saturating_sub(TABLE_CHROME)),
        )
    }

    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        let (functions, tenants) = self.visible_rows(ctx.shell.body_height);
        self.functions.settle(functions);
        self.tenants.settle(tenants);
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        match self.focus {
            Focus::Functions => self.functions.position(),
            Focus::Tenants => self.tenants.position(),
        }
    }
}
