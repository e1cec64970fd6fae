//! The logs pane of a function, one of its revisions or one of its pods (`L`, `:logs`): the
//! newest lines of a window from Elasticsearch under a histogram of counts over the window,
//! with a fields panel of the commonest values (Enter on one narrows the query to it), then a
//! live tail. The query bar takes Lucene as Elasticsearch reads it; a query it refuses shows
//! its reason and the last good lines stay. Lines are shown inert: every control character
//! and escape sequence is drawn visibly (`␛[31m`), never sent to the terminal.
//!
//! Pausing works as in k9s (autoscroll off) rather than stern (which has none): the tail keeps
//! reading so nothing is missed, but the screen holds still; new lines wait aside, counted, and
//! join the buffer on resume. The buffer is bounded (`[logs] buffer_lines`, 100,000 by
//! default), the waiting lines too, so memory stays flat however long the tail runs.

mod input;
mod render;
pub mod rows;
#[cfg(test)]
mod tests;
mod update;

pub use render::render;

use std::collections::VecDeque;

use funcdeck_core::elastic::{LogBuffer, LogLine};

use super::metrics::TimeRange;
use super::{Action, Ctx};
use crate::app::{Generation, LogSummary, LogTarget, Pane, Polled, Ticket, Watch};
use crate::command::Command;
use crate::keymap::KeyContext;

pub const HINTS: &[(Command, &str)] = &[
    (Command::Query, "query"),
    (Command::Filter, "find"),
    (Command::Pause, "pause"),
    (Command::Wrap, "wrap"),
    (Command::Pretty, "json"),
    (Command::NextSection, "fields"),
    (Command::Traces, "trace"),
    (Command::Save, "save"),
    (Command::RangeNext, "longer"),
    (Command::Back, "back"),
];

pub const INPUT_HINTS: &[(Command, &str)] =
    &[(Command::Confirm, "apply"), (Command::Cancel, "cancel")];

/// What a line being typed is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// The Lucene query Elasticsearch runs.
    Query,
    /// Text to find in the loaded lines.
    Find,
    /// The file to save the loaded lines to.
    Save,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub kind: InputKind,
    pub text: String,
}

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Lines,
    Fields,
}

/// The read for the query on screen: where from, and the counts over its window.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub source: String,
    pub summary: LogSummary,
}

#[derive(Debug)]
pub struct LogsView {
    pub target: LogTarget,
    pub range: TimeRange,
    /// The query the lines on screen answer.
    pub query: String,
    /// The query asked for now: differs from `query` until Elasticsearch has answered it.
    pub asked: String,
    pub loaded: Pane<Loaded>,
    pub lines: LogBuffer,
    /// Lines that came while paused (bounded like the buffer).
    pub waiting: VecDeque<LogLine>,
    pub paused: bool,
    /// The cursor stays on the newest line as lines arrive.
    pub follow: bool,
    /// Position of the selected line in `lines`.
    pub cursor: usize,
    /// The first line drawn (kept by `settle` so the cursor stays in sight).
    pub top: usize,
    pub wrap: bool,
    pub timestamps: bool,
    pub pretty: bool,
    /// Text found in the loaded lines, highlighted (case-insensitive).
    pub find: String,
    pub input: Option<Input>,
    pub focus: Focus,
    /// Position in the fields panel's (field, value) rows.
    pub field_cursor: usize,
    /// The buffer's size was chosen by the caller (else the shell's is taken on subscribe).
    sized: bool,
    generation: Generation,
}

impl LogsView {
    /// The logs of `target`, keeping at most `capacity` lines, or as many as the config says
    /// ([`LogsView::new`] with `DEFAULT_CAPACITY` defers to it).
    pub fn new(target: LogTarget, capacity: usize) -> Self {
        LogsView {
            target,
            range: TimeRange::default(),
            query: String::new(),
            asked: String::new(),
            loaded: Pane::loading(),
            lines: LogBuffer::new(capacity),
            waiting: VecDeque::new(),
            paused: false,
            follow: true,
            cursor: 0,
            top: 0,
            wrap: false,
            timestamps: true,
            pretty: false,
            find: String::new(),
            input: None,
            focus: Focus::Lines,
            field_cursor: 0,
            sized: capacity != funcdeck_core::elastic::DEFAULT_CAPACITY,
            generation: Generation::default(),
        }
    }

    /// A view of `target` sized as the config says.
    pub fn open(target: LogTarget, ctx: &Ctx<'_>) -> Self {
        Self::new(target, ctx.shell.log_buffer_lines)
    }

    pub fn title(&self) -> String {
        format!("Logs {}", self.target.words())
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.input.is_some() {
            &[KeyContext::Input]
        } else {
            &[KeyContext::Logs, KeyContext::Metrics]
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.input.is_some() {
            INPUT_HINTS
        } else {
            HINTS
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        // Opened where no context was at hand (`on_function`): sized now, before any line.
        if !self.sized && self.lines.is_empty() {
            self.lines = LogBuffer::new(ctx.shell.log_buffer_lines);
        }
        self.sized = true;
        self.loaded.reload();
        vec![Action::watch(
            &mut self.generation,
            ctx,
            Watch::Polled(Polled::Logs {
                target: self.target.clone(),
                text: self.asked.clone(),
                since: self.range.length,
            }),
        )]
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    /// A ticket for a one-off answer (a save) under the current read.
    fn ticket(&self, ctx: &Ctx<'_>) -> Ticket {
        self.generation.ticket(ctx.id)
    }

    /// The selected line, if any.
    pub fn selected(&self) -> Option<&LogLine> {
        self.lines.get(self.cursor)
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        let rows = self.lines.len();
        (rows > 0).then(|| (self.cursor + 1, rows))
    }

    /// The text being typed, for the footer's prompt.
    pub fn typing(&self) -> Option<&str> {
        self.input.as_ref().map(|i| i.text.as_str())
    }
}
