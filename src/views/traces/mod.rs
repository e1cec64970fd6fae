//! The traces pane of one function (`T` on a function, `:traces`): its traces over a window
//! from Jaeger, newest first, under a duration scatter over time, with the window's cold-start
//! figures. Filters (errors only, cold starts only, a minimum duration, span tags) work on
//! what was read, at once; the duration and the tags are also sent to Jaeger, which reads again
//! so a narrow search is not limited to the traces a broad one brought (Jaeger's rule is a span
//! of the function lasting that long, or carrying those tags: its answer is a subset of what the
//! filters kept, and replaces it). The list is read again
//! every few seconds and the cursor stays on its trace. Enter
//! opens a trace's waterfall ([`TraceView`]); two marked traces are compared span by span
//! ([`CompareView`]). The last good list stays on screen, marked stale with the reason, when a
//! read fails.

pub mod compare;
mod filters;
mod opened;
mod render;
mod render_span;
mod render_waterfall;
mod tags;
#[cfg(test)]
mod tests;
pub mod waterfall;

pub use compare::CompareView;
pub use filters::{FilterLine, LineKind};
pub use opened::TraceView;
pub use render::render;
pub use render_waterfall::render_trace;
pub use waterfall::Waterfall;

use funcdeck_core::jaeger::TraceId;
use funcdeck_core::key::ObjectKey;

use super::metrics::TimeRange;
use super::{Action, Ctx, View};
use crate::app::{Generation, Pane, Polled, Reply, Ticket, TraceFilter, TraceSearch, Watch};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};

pub const HINTS: &[(Command, &str)] = &[
    (Command::Open, "waterfall"),
    (Command::Mark, "mark"),
    (Command::Diff, "compare"),
    // The filters' keys are on the filters' line, each with its state.
    (Command::RangeNext, "longer"),
    (Command::Back, "back"),
];

pub const LINE_HINTS: &[(Command, &str)] =
    &[(Command::Confirm, "apply"), (Command::Cancel, "cancel")];

#[derive(Debug)]
pub struct TracesView {
    pub key: ObjectKey,
    pub range: TimeRange,
    pub search: Pane<TraceSearch>,
    pub errors_only: bool,
    pub cold_only: bool,
    /// What Jaeger is asked to keep (and what is kept at once of what is here).
    pub filter: TraceFilter,
    /// `Some` while a filter is being typed.
    pub line: Option<FilterLine>,
    /// Position in [`TracesView::shown`].
    pub cursor: usize,
    /// At most two traces, to compare.
    pub marked: Vec<TraceId>,
    generation: Generation,
}

impl TracesView {
    pub fn new(key: ObjectKey) -> Self {
        TracesView {
            key,
            range: TimeRange::default(),
            search: Pane::loading(),
            errors_only: false,
            cold_only: false,
            filter: TraceFilter::default(),
            line: None,
            cursor: 0,
            marked: Vec::new(),
            generation: Generation::default(),
        }
    }

    pub fn title(&self) -> String {
        format!("Traces {}", self.key)
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.line.is_some() {
            &[KeyContext::Input]
        } else {
            &[KeyContext::Traces, KeyContext::Metrics]
        }
    }

    pub fn hints(&self) -> &'static [(Command, &'static str)] {
        if self.line.is_some() {
            LINE_HINTS
        } else {
            HINTS
        }
    }

    pub fn subscribe(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        self.search.reload();
        vec![Action::watch(
            &mut self.generation,
            ctx,
            Watch::Polled(Polled::Traces {
                key: self.key.clone(),
                since: self.range.length,
                filter: self.filter.clone(),
            }),
        )]
    }

    /// Positions (in the search) of the traces the filters keep, newest first.
    pub fn shown(&self) -> Vec<usize> {
        let Some(search) = self.search.data() else {
            return Vec::new();
        };
        search
            .summaries
            .iter()
            .enumerate()
            .filter(|(_, s)| !self.errors_only || s.errors > 0)
            .filter(|(_, s)| !self.cold_only || s.is_cold())
            .filter(|(i, s)| self.keeps(&search.traces[*i], s.duration_ms))
            .map(|(i, _)| i)
            .collect()
    }

    /// The trace under the cursor, as a position in the search.
    pub fn selected(&self) -> Option<usize> {
        self.shown().get(self.cursor).copied()
    }

    fn selected_id(&self) -> Option<TraceId> {
        let search = self.search.data()?;
        Some(search.summaries[self.selected()?].trace_id.clone())
    }

    /// Puts the cursor back on `id` if it is still shown (else keeps the row, within bounds).
    fn follow(&mut self, id: Option<TraceId>) {
        let shown = self.shown();
        if let (Some(id), Some(search)) = (id, self.search.data())
            && let Some(at) = shown
                .iter()
                .position(|&i| search.summaries[i].trace_id == id)
        {
            self.cursor = at;
        }
        self.cursor = self.cursor.min(shown.len().saturating_sub(1));
    }

    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if self.line.is_some() {
            return Some(self.on_line_command(command, ctx));
        }
        let keep = self.selected_id();
        let rows = self.shown().len();
        match command {
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(rows.saturating_sub(1)),
            Command::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Command::PageDown => self.cursor = (self.cursor + 10).min(rows.saturating_sub(1)),
            Command::Top => self.cursor = 0,
            Command::Bottom => self.cursor = rows.saturating_sub(1),
            Command::ErrorsOnly => {
                self.errors_only = !self.errors_only;
                self.follow(keep);
            }
            Command::ColdOnly => {
                self.cold_only = !self.cold_only;
                self.follow(keep);
            }
            Command::MinDuration => self.open_line(LineKind::Duration),
            Command::OperationFilter => self.open_line(LineKind::Operation),
            Command::TagFilter => self.open_line(LineKind::Tags),
            Command::SlowestCold => return Some(self.slowest_cold(ctx)),
            Command::Mark => self.mark(),
            Command::Open => return Some(self.open().into_iter().collect()),
            Command::Diff => return Some(self.compare()),
            Command::RangeNext | Command::RangePrevious | Command::ZoomIn | Command::ZoomOut => {
                let range = match command {
                    Command::RangeNext => self.range.longer(),
                    Command::RangePrevious => self.range.shorter(),
                    Command::ZoomIn => self.range.zoom_in(),
                    _ => self.range.zoom_out(),
                };
                return Some(self.set_range(range, ctx));
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Lists another window (the observe view moves its panes together).
    pub fn set_range(&mut self, range: TimeRange, ctx: &Ctx<'_>) -> Vec<Action> {
        if range == self.range {
            return Vec::new();
        }
        self.range = range;
        // Another window is other data: the old list would mislead under the new title.
        self.search.restart();
        self.cursor = 0;
        self.subscribe(ctx)
    }

    pub fn on_key(&mut self, key: Key) {
        if let (Some(line), Some(c)) = (&mut self.line, key.typed_char()) {
            line.text.push(c);
            line.problem = None;
        }
    }

    /// The cursor on the slowest cold start (the cold-only filter is not needed for it; the
    /// other filters are lifted if they hide it).
    fn slowest_cold(&mut self, ctx: &Ctx<'_>) -> Vec<Action> {
        let Some(search) = self.search.data() else {
            return Vec::new();
        };
        let slowest = search
            .summaries
            .iter()
            .filter(|s| s.is_cold())
            .max_by(|a, b| {
                a.cold_start_ms
                    .unwrap_or(0.0)
                    .total_cmp(&b.cold_start_ms.unwrap_or(0.0))
            })
            .map(|s| s.trace_id.clone());
        let Some(id) = slowest else {
            return vec![Action::Notice(format!(
                "no cold start in the last {}",
                self.range.words()
            ))];
        };
        let mut actions = Vec::new();
        if !self.shown_ids().contains(&id) {
            self.errors_only = false;
        }
        if !self.shown_ids().contains(&id) {
            self.filter = TraceFilter::default();
            // Jaeger was asked with these: ask it again without them.
            actions = self.subscribe(ctx);
        }
        self.follow(Some(id));
        actions
    }

    fn shown_ids(&self) -> Vec<TraceId> {
        let Some(search) = self.search.data() else {
            return Vec::new();
        };
        self.shown()
            .into_iter()
            .map(|i| search.summaries[i].trace_id.clone())
            .collect()
    }

    fn mark(&mut self) {
        let Some(id) = self.selected_id() else { return };
        if let Some(at) = self.marked.iter().position(|m| *m == id) {
            self.marked.remove(at);
        } else {
            // A third mark replaces the oldest: two are compared.
            if self.marked.len() == 2 {
                self.marked.remove(0);
            }
            self.marked.push(id);
        }
    }

    fn open(&self) -> Option<Action> {
        let search = self.search.data()?;
        let trace = search.traces.get(self.selected()?)?;
        Some(Action::Push(Box::new(View::Trace(Box::new(
            TraceView::with_source(trace.clone(), Some(search.source.clone())),
        )))))
    }

    fn compare(&self) -> Vec<Action> {
        let Some(search) = self.search.data() else {
            return Vec::new();
        };
        let find = |id: &TraceId| search.traces.iter().find(|t| t.id == *id);
        match self.marked.as_slice() {
            [a, b] => match (find(a), find(b)) {
                (Some(a), Some(b)) => vec![Action::Push(Box::new(View::TraceCompare(Box::new(
                    CompareView::new(a.clone(), b.clone()),
                ))))],
                _ => vec![Action::Notice(
                    "a marked trace is no longer in the window; mark two again".into(),
                )],
            },
            _ => vec![Action::Notice(format!(
                "mark two traces to compare them ({} marked)",
                self.marked.len()
            ))],
        }
    }

    pub fn expects(&self, ticket: Ticket) -> bool {
        self.generation.is_current(ticket)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.generation.is_current(ticket) {
            return Vec::new();
        }
        match reply {
            Reply::Traces(Ok(search)) => {
                let keep = self.selected_id();
                self.search.succeed(search);
                self.follow(keep);
            }
            // Jaeger trouble is this pane's, not the cluster's: the header stays as it is.
            Reply::Traces(Err(error)) => self.search.fail(error),
            _ => {}
        }
        Vec::new()
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        let rows = self.shown().len();
        (rows > 0).then(|| (self.cursor + 1, rows))
    }
}
