//! The metrics pane of one function (`m` on a function, `:metrics`): requests per second per
//! revision, latency quantiles, the 5xx ratio, concurrency, desired against actual pods and the
//! cold starts of the range, charted from Prometheus and read again every few seconds. The
//! last good charts stay on screen, marked stale with the reason, when a read fails; the range
//! moves between presets and zooms without leaving the view.

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
    (Command::Retry, "refresh"),
    (Command::Back, "back"),
];

#[derive(Debug)]
pub struct MetricsView {
    pub key: ObjectKey,
    pub range: TimeRange,
    pub charts: Pane<FunctionCharts>,
    generation: Generation,
}

impl MetricsView {
    pub fn new(key: ObjectKey) -> Self {
        MetricsView {
            key,
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
                range: self.range.length,
            }),
        )]
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let range = match command {
            Command::RangeNext => self.range.longer(),
            Command::RangePrevious => self.range.shorter(),
            Command::ZoomIn => self.range.zoom_in(),
            Command::ZoomOut => self.range.zoom_out(),
            _ => return None,
        };
        if range == self.range {
            return Some(Vec::new());
        }
        self.range = range;
        // Another range is other data: the old charts would mislead under the new title.
        self.charts.restart();
        Some(self.subscribe(ctx))
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        match reply {
            Reply::Metrics(Ok(charts)) => self.charts.succeed(charts),
            // Prometheus trouble is this pane's, not the cluster's: the header stays as it is.
            Reply::Metrics(Err(error)) => self.charts.fail(error),
            _ => {}
        }
        Vec::new()
    }
}
