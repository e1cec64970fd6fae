//! The logs pane's transitions: moving through the lines and the fields panel, the toggles,
//! answers from the runner (the first read, tail batches, summaries, failures) and the
//! cursor kept in place as the bounded buffer lets its oldest lines go.

use funcdeck_core::elastic::LogLine;

use super::rows::{self, Shape};
use super::{Focus, Input, InputKind, Loaded, LogsView};
use crate::app::{LogFeed, Reply, Ticket};
use crate::command::Command;
use crate::views::metrics::TimeRange;
use crate::views::{Action, Ctx, View};

impl LogsView {
    pub fn on_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if self.input.is_some() {
            return Some(self.on_input_command(command, ctx));
        }
        if self.focus == Focus::Fields
            && let Some(actions) = self.on_fields_command(command, ctx)
        {
            return Some(actions);
        }
        let page = usize::from(ctx.shell.body_height.saturating_sub(10)).max(1);
        let last = self.lines.len().saturating_sub(1);
        match command {
            Command::Up => self.move_to(self.cursor.saturating_sub(1)),
            Command::Down => self.move_to(self.cursor + 1),
            Command::PageUp => self.move_to(self.cursor.saturating_sub(page)),
            Command::PageDown => self.move_to(self.cursor + page),
            Command::Top => self.move_to(0),
            Command::Bottom => self.move_to(last),
            Command::Pause => return Some(self.toggle_pause()),
            Command::Wrap => self.wrap = !self.wrap,
            Command::Timestamps => self.timestamps = !self.timestamps,
            Command::Pretty => self.pretty = !self.pretty,
            Command::NextSection | Command::PreviousSection => self.focus = Focus::Fields,
            Command::Query => self.start_input(InputKind::Query, self.asked.clone()),
            Command::Filter => self.start_input(InputKind::Find, self.find.clone()),
            Command::Save => self.start_input(InputKind::Save, default_path(self)),
            Command::NextMatch => return Some(self.find_next(true)),
            Command::PreviousMatch => return Some(self.find_next(false)),
            Command::Open => return Some(self.open_line().into_iter().collect()),
            Command::Traces => return Some(vec![self.open_trace()]),
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

    /// Moves the cursor to `at` (within the lines); at the newest line the pane follows the
    /// tail again, anywhere else it stays put.
    fn move_to(&mut self, at: usize) {
        let last = self.lines.len().saturating_sub(1);
        self.cursor = at.min(last);
        self.follow = self.cursor == last;
    }

    fn toggle_pause(&mut self) -> Vec<Action> {
        self.paused = !self.paused;
        if !self.paused {
            let waiting: Vec<LogLine> = self.waiting.drain(..).collect();
            self.take(waiting);
        }
        Vec::new()
    }

    fn start_input(&mut self, kind: InputKind, text: String) {
        self.input = Some(Input { kind, text });
    }

    /// The fields panel's keys; `None` for what the lines' keys do the same way.
    fn on_fields_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        let rows = self.field_rows().len();
        match command {
            Command::Up => self.field_cursor = self.field_cursor.saturating_sub(1),
            Command::Down => {
                self.field_cursor = (self.field_cursor + 1).min(rows.saturating_sub(1));
            }
            Command::Top => self.field_cursor = 0,
            Command::Bottom => self.field_cursor = rows.saturating_sub(1),
            Command::NextSection | Command::PreviousSection => self.focus = Focus::Lines,
            Command::Open => {
                let Some((field, value)) = self.field_rows().get(self.field_cursor).cloned() else {
                    return Some(Vec::new());
                };
                let clause = funcdeck_core::elastic::fields::clause(&field, &value, false);
                self.asked = funcdeck_core::elastic::fields::and(&self.query, &clause);
                return Some(self.subscribe(ctx));
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// The fields panel's rows: each value under its field, as (exact field, value).
    pub fn field_rows(&self) -> Vec<(String, String)> {
        let Some(loaded) = self.loaded.data() else {
            return Vec::new();
        };
        loaded
            .summary
            .fields
            .iter()
            .flat_map(|top| {
                top.values
                    .iter()
                    .map(|(value, _)| (top.exact_field.clone(), value.clone()))
            })
            .collect()
    }

    fn on_input_command(&mut self, command: Command, ctx: &Ctx<'_>) -> Vec<Action> {
        let Some(input) = &mut self.input else {
            return Vec::new();
        };
        match command {
            Command::Cancel | Command::Back => self.input = None,
            Command::DeleteChar => {
                input.text.pop();
            }
            Command::Confirm => {
                let Input { kind, text } = input.clone();
                self.input = None;
                return match kind {
                    InputKind::Query => {
                        self.asked = text.trim().to_owned();
                        self.subscribe(ctx)
                    }
                    InputKind::Find => {
                        self.find = text;
                        self.find_next(true)
                    }
                    InputKind::Save => self.save(text.trim(), ctx),
                };
            }
            _ => {}
        }
        Vec::new()
    }

    pub fn on_key(&mut self, key: crate::keymap::Key) {
        if let (Some(input), Some(c)) = (&mut self.input, key.typed_char()) {
            input.text.push(c);
        }
    }

    /// The cursor on the next (or previous) line holding the find text, going round.
    fn find_next(&mut self, forward: bool) -> Vec<Action> {
        if self.find.is_empty() {
            return Vec::new();
        }
        let n = self.lines.len();
        let found = (1..=n)
            .map(|step| {
                if forward {
                    (self.cursor + step) % n
                } else {
                    (self.cursor + n - step % n) % n
                }
            })
            .find(|&i| {
                self.lines
                    .get(i)
                    .is_some_and(|l| rows::matches(l, &self.find))
            });
        match found {
            Some(at) => {
                self.move_to(at);
                Vec::new()
            }
            None => vec![Action::Notice(format!(
                "\"{}\" is in none of the {} loaded lines",
                funcdeck_core::text::reveal(&self.find),
                n
            ))],
        }
    }

    /// The selected line whole: what it says, pretty-printed if JSON, and its fields.
    fn open_line(&self) -> Option<Action> {
        let line = self.selected()?;
        Some(Action::Push(Box::new(View::Text(super::input::line_text(
            line,
        )))))
    }

    /// The selected line's trace (a request log's `traceId`), read from Jaeger by its id.
    fn open_trace(&self) -> Action {
        let Some(line) = self.selected() else {
            return Action::Notice("no line selected".into());
        };
        match &line.trace_id {
            Some(id) => Action::Push(Box::new(View::Trace(Box::new(
                crate::views::TraceView::by_id(funcdeck_core::jaeger::TraceId::new(id)),
            )))),
            None => Action::Notice(
                "this line carries no trace id (request logs from the queue-proxy do)".into(),
            ),
        }
    }

    fn save(&self, path: &str, ctx: &Ctx<'_>) -> Vec<Action> {
        if path.is_empty() {
            return vec![Action::Notice("no file named: nothing saved".into())];
        }
        vec![Action::Effect(crate::app::Effect::WriteFile {
            ticket: self.ticket(ctx),
            path: path.into(),
            text: super::input::saved_text(self.lines.iter()),
        })]
    }

    /// Reads another window (the observe view moves its panes together).
    pub fn set_range(&mut self, range: TimeRange, ctx: &Ctx<'_>) -> Vec<Action> {
        if range == self.range {
            return Vec::new();
        }
        self.range = range;
        self.subscribe(ctx)
    }

    pub fn on_reply(&mut self, ticket: Ticket, reply: Reply) -> Vec<Action> {
        if !self.expects(ticket) {
            return Vec::new();
        }
        match reply {
            Reply::Logs(Ok(LogFeed::Opened(opened))) => {
                self.query = self.asked.clone();
                self.lines.clear();
                self.waiting.clear();
                self.lines.extend(opened.lines);
                self.follow = true;
                self.cursor = self.lines.len().saturating_sub(1);
                self.top = 0;
                self.field_cursor = 0;
                self.loaded.succeed(Loaded {
                    source: opened.source,
                    summary: opened.summary,
                });
            }
            Reply::Logs(Ok(LogFeed::Tail { lines, credit })) => {
                self.ingest(lines);
                // The batch is taken: the tail may send another.
                drop(credit);
                self.loaded.update(|_| {});
            }
            Reply::Logs(Ok(LogFeed::Summary(summary))) => {
                self.loaded.update(|loaded| loaded.summary = *summary);
            }
            Reply::Logs(Err(error)) => self.loaded.fail(error),
            Reply::Saved(Ok(path)) => {
                return vec![Action::Notice(format!(
                    "saved {} lines to {}",
                    self.lines.len(),
                    path.display()
                ))];
            }
            Reply::Saved(Err(reason)) => return vec![Action::Notice(reason)],
            _ => {}
        }
        Vec::new()
    }

    /// New lines from the tail: kept aside while paused, else into the buffer.
    pub fn ingest(&mut self, lines: Vec<LogLine>) {
        if self.paused {
            self.waiting.extend(lines);
            let over = self.waiting.len().saturating_sub(self.lines.capacity());
            self.waiting.drain(..over);
        } else {
            self.take(lines);
        }
    }

    /// Into the buffer, the cursor staying on its line as the oldest lines go (or on the
    /// newest line when following).
    fn take(&mut self, lines: Vec<LogLine>) {
        let before = self.lines.dropped();
        self.lines.extend(lines);
        let gone = usize::try_from(self.lines.dropped() - before).unwrap_or(usize::MAX);
        self.cursor = self.cursor.saturating_sub(gone);
        self.top = self.top.saturating_sub(gone);
        if self.follow {
            self.cursor = self.lines.len().saturating_sub(1);
        }
    }

    /// Keeps the cursor's line in sight for a frame of the lines' `height` rows, `shape` wide.
    pub fn settle_lines(&mut self, shape: &Shape, height: usize) {
        let last = self.lines.len().saturating_sub(1);
        self.cursor = self.cursor.min(last);
        if self.cursor < self.top {
            self.top = self.cursor;
            return;
        }
        // From the cursor up, never above the current top: the first line that still fits.
        let rows = |i: usize| self.lines.get(i).map_or(1, |l| rows::height(l, shape));
        let mut used = rows(self.cursor);
        let mut first = self.cursor;
        while first > self.top && used + rows(first - 1) <= height {
            first -= 1;
            used += rows(first);
        }
        self.top = first;
    }
}

/// Where a save goes unless another path is typed.
fn default_path(view: &LogsView) -> String {
    format!("{}-logs.txt", view.target.key.name)
}
