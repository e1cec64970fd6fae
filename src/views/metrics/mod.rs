//! The metrics pane of one function (`m` on a function, `:metrics`): requests per second per
//! revision, latency quantiles, the 5xx ratio, concurrency, desired against actual pods and the
//! cold starts of the range, charted from Prometheus and read again every few seconds. The
//! last good charts stay on screen, marked stale with the reason, when a read fails; the range
//! moves between presets and zooms without leaving the view, and Tab narrows every chart to one
//! revision after another (and back to the whole function).

mod range;
mod render;
#[cfg(test)]
mod tests;

pub use range::{PRESETS, TimeRange};
pub use render::render;

use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::series::FunctionCharts;

use super::{Action, Ctx};
use crate::app::{Generation, Pane, Polled, Reply, Ticket, Watch};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const HINTS: &[(Command, &str)] = &[
    (Command::RangePrevious, "shorter"),
    (Command::RangeNext, "longer"),
    (Command::ZoomIn, "zoom in"),
    (Command::ZoomOut, "zoom out"),
    (Command::NextSection, "revision"),
    (Command::Retry, "refresh"),
    (Command::Back, "back"),
];

#[derive(Debug)]
pub struct MetricsView {
    pub key: ObjectKey,
    /// The one revision charted, or `None` for the whole function.
    pub revision: Option<String>,
    /// The revisions seen in the whole function's charts, in name order: what Tab steps through.
    pub revisions: Vec<String>,
    pub range: TimeRange,
    pub charts: Pane<FunctionCharts>,
    generation: Generation,
}

impl MetricsView {
    pub fn new(key: ObjectKey) -> Self {
        MetricsView {
            key,
            revision: None,
            revisions: Vec::new(),
            range: TimeRange::default(),
            charts: Pane::loading(),
            generation: Generation::default(),
        }
    }

    pub fn title(&self) -> String {
        format!("Metrics {}", self.key)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        &[KeyContext::Metrics]
    }

    /// (Re)starts reading the charts for the current range; what is on screen stays until the
    /// answer comes.
    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.charts.reload();
        vec![Action::watch(
            &mut self.generation,
            ctx,
            Watch::Polled(Polled::Metrics {
                key: self.key.clone(),
                revision: self.revision.clone(),
                range: self.range.length,
            }),
        )]
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if let Some(forward) = match command {
            Command::NextSection => Some(true),
            Command::PreviousSection => Some(false),
            _ => None,
        } {
            let revision = self.step_revision(forward);
            if revision == self.revision {
                return Some(Vec::new());
            }
            self.revision = revision;
            // Another revision is other data, as another range is.
            self.charts.restart();
            return Some(self.subscribe(ctx));
        }
        let range = match command {
            Command::RangeNext => self.range.longer(),
            Command::RangePrevious => self.range.shorter(),
            Command::ZoomIn => self.range.zoom_in(),
            Command::ZoomOut => self.range.zoom_out(),
            _ => return None,
        };
        Some(self.set_range(range, ctx))
    }

    /// Charts another range (the observe view moves its panes together).
    pub fn set_range(&mut self, range: TimeRange, ctx: &Ctx<'_>) -> Vec<Action> {
        if range == self.range {
            return Vec::new();
        }
        self.range = range;
        // Another range is other data: the old charts would mislead under the new title.
        self.charts.restart();
        self.subscribe(ctx)
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        match reply {
            Reply::Metrics(Ok(charts)) => {
                if self.revision.is_none() {
                    self.learn_revisions(&charts);
                }
                self.charts.succeed(charts);
            }
            // Prometheus trouble is this pane's, not the cluster's: the header stays as it is.
            Reply::Metrics(Err(error)) => self.charts.fail(error),
            _ => {}
        }
        Vec::new()
    }

    /// The revision after (or before) the one charted, the whole function at either end.
    fn step_revision(&self, forward: bool) -> Option<String> {
        let at = self
            .revision
            .as_ref()
            .and_then(|r| self.revisions.iter().position(|n| n == r));
        let next = match (at, forward) {
            (None, true) => Some(0),
            (None, false) => self.revisions.len().checked_sub(1),
            (Some(i), true) => Some(i + 1).filter(|&n| n < self.revisions.len()),
            (Some(i), false) => i.checked_sub(1),
        };
        next.map(|i| self.revisions[i].clone())
    }

    /// Keeps every revision that served in the range (and those seen before: one that stopped
    /// serving is still worth a look), newest first.
    fn learn_revisions(&mut self, charts: &FunctionCharts) {
        let seen = charts
            .requests_per_second
            .lines
            .iter()
            .chain(&charts.concurrency.lines)
            .map(|line| line.name.clone())
            .chain(charts.cold_starts.iter().map(|(name, _)| name.clone()));
        self.revisions.extend(seen);
        self.revisions.retain(|name| !name.is_empty());
        self.revisions.sort_by(|a, b| b.cmp(a));
        self.revisions.dedup();
    }
}
