//! The rows a list view holds, and the filtered, sorted order it shows them in.
//!
//! Entries live in a Vec with a key index so a re-sort moves `usize`s, not rows: with 10,000
//! functions a filter keystroke must reach the screen within a few milliseconds.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::{DateTime, Utc};

use super::sort::Sort;
use crate::columns::Column;

/// What a list view needs from its row type.
pub trait Row: Clone + 'static {
    type Key: Clone + Eq + Hash + Ord + std::fmt::Debug + std::fmt::Display;

    fn key(&self) -> &Self::Key;
    /// Lower-case text the filter matches against.
    fn haystack(&self) -> String;
    fn columns() -> &'static [Column<Self>];
    /// When the row's object was created, so the screen redraws while young ages tick.
    fn created(&self) -> Option<DateTime<Utc>>;

    /// The row in words for messages; its name unless the row is about another object.
    fn describe(&self) -> String {
        self.key().to_string()
    }
}

#[derive(Debug, Clone)]
pub struct ListModel<T: Row> {
    entries: Vec<Entry<T>>,
    index: HashMap<T::Key, usize>,
    rows: Vec<usize>,
    rows_stale: bool,
}

impl<T: Row> Default for ListModel<T> {
    fn default() -> Self {
        ListModel {
            entries: Vec::new(),
            index: HashMap::new(),
            rows: Vec::new(),
            rows_stale: true,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry<T> {
    row: T,
    /// Computed once per change, not per keystroke.
    haystack: String,
}

impl<T: Row> Entry<T> {
    fn new(row: T) -> Self {
        let haystack = row.haystack().to_lowercase();
        Entry { row, haystack }
    }
}

impl<T: Row> ListModel<T> {
    pub fn from_rows(rows: Vec<T>) -> Self {
        let mut list = ListModel::default();
        list.replace_all(rows);
        list
    }

    pub fn replace_all(&mut self, rows: Vec<T>) {
        self.entries = rows.into_iter().map(Entry::new).collect();
        self.index = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.row.key().clone(), i))
            .collect();
        self.rows_stale = true;
    }

    pub fn apply(&mut self, row: T) {
        match self.index.get(row.key()) {
            Some(&i) => self.entries[i] = Entry::new(row),
            None => {
                self.index.insert(row.key().clone(), self.entries.len());
                self.entries.push(Entry::new(row));
            }
        }
        self.rows_stale = true;
    }

    pub fn remove(&mut self, key: &T::Key) {
        let Some(i) = self.index.remove(key) else {
            return;
        };
        self.entries.swap_remove(i);
        if let Some(moved) = self.entries.get(i) {
            self.index.insert(moved.row.key().clone(), i);
        }
        self.rows_stale = true;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every row, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        self.entries.iter().map(|e| &e.row)
    }

    pub fn mark_stale(&mut self) {
        self.rows_stale = true;
    }

    /// Recomputes the visible rows if data, filter or sort changed since the last call.
    pub fn refresh_rows(&mut self, filter: &str, sort: Sort) -> bool {
        if !self.rows_stale {
            return false;
        }
        let needle = filter.trim().to_lowercase();
        self.rows.clear();
        self.rows.extend(
            self.entries
                .iter()
                .enumerate()
                .filter(|(_, e)| needle.is_empty() || e.haystack.contains(&needle))
                .map(|(i, _)| i),
        );
        let entries = &self.entries;
        let compare = T::columns().get(sort.column).and_then(|c| c.sort);
        self.rows.sort_unstable_by(|&a, &b| {
            let (a, b) = (&entries[a].row, &entries[b].row);
            let primary = compare.map_or(std::cmp::Ordering::Equal, |compare| compare(a, b));
            let primary = if sort.descending {
                primary.reverse()
            } else {
                primary
            };
            primary.then_with(|| a.key().cmp(b.key()))
        });
        self.rows_stale = false;
        true
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    pub fn row(&self, position: usize) -> Option<&T> {
        self.rows.get(position).map(|&i| &self.entries[i].row)
    }

    pub fn rows(&self, start: usize, count: usize) -> impl Iterator<Item = &T> {
        self.rows
            .iter()
            .skip(start)
            .take(count)
            .map(|&i| &self.entries[i].row)
    }

    pub fn position_of(&self, key: &T::Key) -> Option<usize> {
        let entry = *self.index.get(key)?;
        self.rows.iter().position(|&i| i == entry)
    }
}
