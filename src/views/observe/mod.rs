//! One function observed (`o` on a function): its metrics, its traces and its logs side by
//! side, over one window — the on-call view of DESIGN.md §2, where a spike in the charts, the
//! slow or cold traces and the log lines behind it are read together. Each pane is the view it is on its own (its reads,
//! its keys, its failures kept to itself); this view only places them, moves the focus between
//! them (Tab), keeps their windows the same (the range keys move both) and opens the focused
//! one on its own (`z`).

mod render;
#[cfg(test)]
mod tests;

pub use render::render;

use funcdeck_core::key::ObjectKey;

use super::metrics::TimeRange;
use super::{Action, Ctx, LogsView, MetricsView, TracesView, View};
use crate::app::{LogTarget, Reply, Ticket};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Metrics,
    Traces,
    Logs,
}

impl Focus {
    const ALL: [Focus; 3] = [Focus::Metrics, Focus::Traces, Focus::Logs];

    fn step(self, forward: bool) -> Focus {
        let at = Focus::ALL.iter().position(|f| *f == self).unwrap_or(0);
        let n = Focus::ALL.len();
        Focus::ALL[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }
}

const SHARED_HINTS: [(Command, &str); 4] = [
    (Command::NextSection, "pane"),
    (Command::ZoomPane, "zoom"),
    (Command::RangeNext, "longer"),
    (Command::RangePrevious, "shorter"),
];

pub const METRICS_HINTS: &[(Command, &str)] = &[
    SHARED_HINTS[0],
    SHARED_HINTS[1],
    SHARED_HINTS[2],
    SHARED_HINTS[3],
    (Command::Back, "back"),
];

pub const TRACES_HINTS: &[(Command, &str)] = &[
    SHARED_HINTS[0],
    SHARED_HINTS[1],
    SHARED_HINTS[2],
    SHARED_HINTS[3],
    (Command::Open, "waterfall"),
    (Command::ErrorsOnly, "errors"),
    (Command::ColdOnly, "cold"),
    (Command::SlowestCold, "slowest cold"),
    (Command::Back, "back"),
];

pub const LOGS_HINTS: &[(Command, &str)] = &[
    SHARED_HINTS[0],
    SHARED_HINTS[1],
    SHARED_HINTS[2],
    SHARED_HINTS[3],
    (Command::Query, "query"),
    (Command::Pause, "pause"),
    (Command::Traces, "trace of line"),
    (Command::Back, "back"),
];

#[derive(Debug)]
pub struct ObserveView {
    pub key: ObjectKey,
    pub metrics: MetricsView,
    pub traces: TracesView,
    pub logs: LogsView,
    pub focus: Focus,
}

impl ObserveView {
    pub fn new(key: ObjectKey) -> Self {
        ObserveView {
            metrics: MetricsView::new(key.clone()),
            traces: TracesView::new(key.clone()),
            logs: LogsView::new(
                LogTarget::function(key.clone()),
                funcdeck_core::elastic::DEFAULT_CAPACITY,
            ),
            key,
            focus: Focus::Metrics,
        }
    }

    pub fn title(&self) -> String {
        format!("Observe {}", self.key)
    }

    /// The window both panes show.
    pub fn range(&self) -> TimeRange {
        self.metrics.range
    }

    /// Whether the focused pane is taking typed text (a filter, a query): keys are its own.
    fn typing(&self) -> bool {
        match self.focus {
            Focus::Metrics => false,
            Focus::Traces => self.traces.line.is_some(),
            Focus::Logs => self.logs.input.is_some(),
        }
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        match self.focus {
            Focus::Traces if self.typing() => self.traces.key_chain(),
            Focus::Logs if self.typing() => self.logs.key_chain(),
            Focus::Metrics => &[KeyContext::Observe, KeyContext::Metrics],
            Focus::Traces => &[KeyContext::Observe, KeyContext::Traces, KeyContext::Metrics],
            Focus::Logs => &[KeyContext::Observe, KeyContext::Logs, KeyContext::Metrics],
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        match self.focus {
            Focus::Traces if self.typing() => self.traces.hints(),
            Focus::Logs if self.typing() => self.logs.hints(),
            Focus::Traces => TRACES_HINTS,
            Focus::Logs => LOGS_HINTS,
            Focus::Metrics => METRICS_HINTS,
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let mut actions = self.metrics.subscribe(ctx);
        actions.extend(self.traces.subscribe(ctx));
        actions.extend(self.logs.subscribe(ctx));
        actions
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if !self.typing() {
            match command {
                Command::NextSection | Command::PreviousSection => {
                    self.focus = self.focus.step(command == Command::NextSection);
                    return Some(Vec::new());
                }
                Command::ZoomPane => return Some(vec![self.zoom()]),
                Command::RangeNext
                | Command::RangePrevious
                | Command::ZoomIn
                | Command::ZoomOut => {
                    let now = self.range();
                    let range = match command {
                        Command::RangeNext => now.longer(),
                        Command::RangePrevious => now.shorter(),
                        Command::ZoomIn => now.zoom_in(),
                        _ => now.zoom_out(),
                    };
                    let mut actions = self.metrics.set_range(range, ctx);
                    actions.extend(self.traces.set_range(range, ctx));
                    actions.extend(self.logs.set_range(range, ctx));
                    return Some(actions);
                }
                _ => {}
            }
        }
        match self.focus {
            Focus::Metrics => self.metrics.on_command(command, ctx),
            Focus::Traces => self.traces.on_command(command, ctx),
            Focus::Logs => self.logs.on_command(command, ctx),
        }
    }

    pub fn on_key(&mut self, key: Key) {
        match self.focus {
            Focus::Metrics => {}
            Focus::Traces => self.traces.on_key(key),
            Focus::Logs => self.logs.on_key(key),
        }
    }

    /// Keeps the logs' selected line in sight in the pane they are drawn in.
    pub fn settle(&mut self, ctx: &Ctx<'_>) {
        let body =
            ratatui::layout::Rect::new(0, 0, ctx.shell.terminal_size.0, ctx.shell.body_height);
        self.logs.settle_in(render::areas(body)[2]);
    }

    pub fn typed(&self) -> Option<&str> {
        match self.focus {
            Focus::Logs => self.logs.typing(),
            _ => None,
        }
    }

    /// The focused pane on its own, over the same window.
    fn zoom(&self) -> Action {
        let range = self.range();
        let view = match self.focus {
            Focus::Metrics => {
                let mut view = MetricsView::new(self.key.clone());
                view.range = range;
                View::Metrics(Box::new(view))
            }
            Focus::Traces => {
                let mut view = TracesView::new(self.key.clone());
                view.range = range;
                View::Traces(Box::new(view))
            }
            Focus::Logs => {
                let mut view = LogsView::new(
                    self.logs.target.clone(),
                    funcdeck_core::elastic::DEFAULT_CAPACITY,
                );
                view.range = range;
                view.asked = self.logs.asked.clone();
                View::Logs(Box::new(view))
            }
        };
        Action::Push(Box::new(view))
    }

    /// An answer for either pane: each checks that it is for its current question.
    pub fn expects(&self, ticket: Ticket) -> bool {
        self.metrics.expects(ticket) || self.traces.expects(ticket) || self.logs.expects(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        match reply {
            Reply::Metrics(_) => self.metrics.on_reply(ticket, reply),
            Reply::Traces(_) => self.traces.on_reply(ticket, reply),
            Reply::Logs(_) | Reply::Saved(_) => self.logs.on_reply(ticket, reply),
            _ => Vec::new(),
        }
    }

    pub fn connection_failed(&mut self, error: funcdeck_core::error::CoreError) {
        self.metrics.charts.fail(error.clone());
        self.traces.search.fail(error.clone());
        self.logs.loaded.fail(error);
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        match self.focus {
            Focus::Metrics => None,
            Focus::Traces => self.traces.position(),
            Focus::Logs => self.logs.position(),
        }
    }
}
