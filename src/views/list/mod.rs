//! The machinery every table view shares: rows from a watch, a filter typed with `/`, a sort
//! column, a cursor and a scroll window. A view wraps a [`ListState`] and adds what is its own
//! (which watch feeds it, where Enter goes).

mod model;
pub mod render;
mod sort;
mod view;

pub use model::{ListModel, Row};
pub use sort::Sort;
pub use view::{LEADS_TO_FUNCTION, ListView, Listed, function_in};

use chrono::{DateTime, Utc};
use funcdeck_core::error::CoreError;

use crate::app::Pane;
use crate::command::Command;

#[derive(Debug, Clone)]
pub struct ListState<T: Row> {
    pub items: Pane<ListModel<T>>,
    pub filter: String,
    /// Typing into the filter; rows narrow as you type.
    pub filtering: bool,
    pub sort: Sort,
    pub cursor: usize,
    pub offset: usize,
}

impl<T: Row> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            items: Pane::loading(),
            filter: String::new(),
            filtering: false,
            sort: Sort::default(),
            cursor: 0,
            offset: 0,
        }
    }
}

impl<T: Row> ListState<T> {
    pub fn sorted_by(column: usize) -> Self {
        ListState {
            sort: Sort {
                column,
                descending: false,
            },
            ..ListState::default()
        }
    }

    /// Runs the commands every list understands; `false` for the rest. `page` is the number of
    /// rows on screen.
    pub fn on_command(&mut self, command: Command, page: usize, all_namespaces: bool) -> bool {
        let page = page.max(2) as isize - 1;
        match command {
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp => self.move_by(-page),
            Command::PageDown => self.move_by(page),
            Command::Top => self.move_by(isize::MIN / 2),
            Command::Bottom => self.move_by(isize::MAX / 2),
            Command::Filter => self.filtering = true,
            Command::SortNext | Command::SortPrevious => {
                let forward = command == Command::SortNext;
                self.sort = self.sort.step(T::columns(), forward, all_namespaces);
                self.rows_changed();
            }
            Command::SortReverse => {
                self.sort.descending = !self.sort.descending;
                self.rows_changed();
            }
            // Esc: a filter is the first thing to go; with none, the view goes back.
            Command::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.filter_changed();
            }
            Command::Confirm if self.filtering => self.filtering = false,
            Command::Cancel if self.filtering => {
                self.filtering = false;
                self.filter.clear();
                self.filter_changed();
            }
            Command::DeleteChar if self.filtering => {
                self.filter.pop();
                self.filter_changed();
            }
            _ => return false,
        }
        true
    }

    pub fn on_char(&mut self, c: char) {
        if self.filtering {
            self.filter.push(c);
            self.filter_changed();
        }
    }

    /// A whole new set of rows (a watch's list or relist).
    pub fn synced(&mut self, rows: Vec<T>) {
        match self.items.data_mut() {
            Some(list) => {
                list.replace_all(rows);
                self.items.update(|_| {});
            }
            None => self.items.succeed(ListModel::from_rows(rows)),
        }
    }

    pub fn applied(&mut self, row: T) {
        self.items.update(|list| list.apply(row));
    }

    pub fn deleted(&mut self, key: &T::Key) {
        self.items.update(|list| list.remove(key));
    }

    pub fn failed(&mut self, error: CoreError) {
        self.items.fail(error);
    }

    /// Another scope: rows and position start over, filter and sort stay.
    pub fn restart(&mut self) {
        self.items.restart();
        self.cursor = 0;
        self.offset = 0;
    }

    pub fn selected(&self) -> Option<&T> {
        self.items.data()?.row(self.cursor)
    }

    /// Brings rows and the scroll window up to date before a frame; `true` if rows changed.
    pub fn settle(&mut self, visible: usize) -> bool {
        let changed = self.refresh_rows();
        let visible = visible.max(1);
        let rows = self.row_count();
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + visible {
            self.offset = self.cursor + 1 - visible;
        }
        self.offset = self.offset.min(rows.saturating_sub(visible));
        changed
    }

    /// The footer's `row/rows`, once there are rows to count.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.items.data()?;
        let rows = self.row_count();
        Some((if rows == 0 { 0 } else { self.cursor + 1 }, rows))
    }

    pub fn row_count(&self) -> usize {
        self.items.data().map_or(0, ListModel::row_count)
    }

    /// Whether an age under ten minutes is on screen (those tick by the second).
    pub fn has_young_rows(&self, now: DateTime<Utc>, visible: usize) -> bool {
        let Some(list) = self.items.data() else {
            return false;
        };
        list.rows(self.offset, visible)
            .any(|row| row.created().is_some_and(|c| (now - c).num_seconds() < 600))
    }

    /// Recomputes filtered, sorted rows if stale, keeping the same row under the cursor.
    pub fn refresh_rows(&mut self) -> bool {
        let Some(list) = self.items.data_mut() else {
            return false;
        };
        let selected = list.row(self.cursor).map(|row| row.key().clone());
        let changed = list.refresh_rows(&self.filter, self.sort);
        if changed && let Some(position) = selected.as_ref().and_then(|key| list.position_of(key)) {
            self.cursor = position;
        }
        self.cursor = self.cursor.min(list.row_count().saturating_sub(1));
        changed
    }

    fn move_by(&mut self, delta: isize) {
        self.refresh_rows();
        self.cursor = self
            .cursor
            .saturating_add_signed(delta)
            .min(self.row_count().saturating_sub(1));
    }

    fn filter_changed(&mut self) {
        self.cursor = 0;
        self.offset = 0;
        self.rows_changed();
    }

    fn rows_changed(&mut self) {
        if let Some(list) = self.items.data_mut() {
            list.mark_stale();
        }
    }
}
