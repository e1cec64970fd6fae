//! The functions the watcher has told us about, and the filtered, sorted rows the table shows.
//!
//! Entries live in a Vec with a key index so a re-sort moves `usize`s, not strings: with 10,000
//! functions a filter keystroke must reach the screen within a few milliseconds.

use std::collections::HashMap;

use funcdeck_core::function::{FunctionKey, FunctionSummary, Readiness};

use super::sort::Sort;

#[derive(Debug, Clone, Default)]
pub struct FunctionList {
    entries: Vec<Entry>,
    index: HashMap<FunctionKey, usize>,
    rows: Vec<usize>,
    rows_stale: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    summary: FunctionSummary,
    /// Lower-cased text the filter matches against, computed once per change.
    haystack: String,
}

impl Entry {
    fn new(summary: FunctionSummary) -> Self {
        let haystack = format!(
            "{}/{} {} {}",
            summary.key.namespace,
            summary.key.name,
            summary.readiness.label(),
            summary.reason.as_deref().unwrap_or("")
        )
        .to_lowercase();
        Entry { summary, haystack }
    }
}

/// Counts for the header: how much is wrong at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub failed: usize,
    pub deploying: usize,
}

impl FunctionList {
    pub fn from_summaries(summaries: Vec<FunctionSummary>) -> Self {
        let mut list = FunctionList::default();
        list.replace_all(summaries);
        list
    }

    pub fn replace_all(&mut self, summaries: Vec<FunctionSummary>) {
        self.entries = summaries.into_iter().map(Entry::new).collect();
        self.index = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.summary.key.clone(), i))
            .collect();
        self.rows_stale = true;
    }

    pub fn apply(&mut self, summary: FunctionSummary) {
        match self.index.get(&summary.key) {
            Some(&i) => self.entries[i] = Entry::new(summary),
            None => {
                self.index.insert(summary.key.clone(), self.entries.len());
                self.entries.push(Entry::new(summary));
            }
        }
        self.rows_stale = true;
    }

    pub fn remove(&mut self, key: &FunctionKey) {
        let Some(i) = self.index.remove(key) else {
            return;
        };
        self.entries.swap_remove(i);
        if let Some(moved) = self.entries.get(i) {
            self.index.insert(moved.summary.key.clone(), i);
        }
        self.rows_stale = true;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn tally(&self) -> Tally {
        let mut tally = Tally {
            total: self.entries.len(),
            ..Tally::default()
        };
        for entry in &self.entries {
            match entry.summary.readiness {
                Readiness::Failed => tally.failed += 1,
                Readiness::Deploying => tally.deploying += 1,
                Readiness::Ready | Readiness::Unknown => {}
            }
        }
        tally
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
        self.rows
            .sort_unstable_by(|&a, &b| sort.compare(&entries[a].summary, &entries[b].summary));
        self.rows_stale = false;
        true
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    pub fn row(&self, position: usize) -> Option<&FunctionSummary> {
        self.rows.get(position).map(|&i| &self.entries[i].summary)
    }

    pub fn rows(&self, start: usize, count: usize) -> impl Iterator<Item = &FunctionSummary> {
        self.rows
            .iter()
            .skip(start)
            .take(count)
            .map(|&i| &self.entries[i].summary)
    }

    pub fn position_of(&self, key: &FunctionKey) -> Option<usize> {
        let entry = *self.index.get(key)?;
        self.rows.iter().position(|&i| i == entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sort::SortColumn;
    use crate::app::test_support::summary;

    #[test]
    fn filter_matches_namespace_name_and_status_case_insensitively() {
        let mut list = FunctionList::from_summaries(vec![
            summary("shop", "cart", Readiness::Ready),
            summary("payments", "refund", Readiness::Failed),
            summary("default", "SHOPPER", Readiness::Ready),
        ]);
        list.refresh_rows("Shop", Sort::default());
        let names: Vec<_> = list.rows(0, 10).map(|s| s.key.name.as_str()).collect();
        assert_eq!(names, ["SHOPPER", "cart"]);
        list.mark_stale();
        list.refresh_rows("failed", Sort::default());
        assert_eq!(list.row(0).map(|s| s.key.name.as_str()), Some("refund"));
        assert_eq!(list.row_count(), 1);
    }

    #[test]
    fn apply_replaces_and_remove_keeps_the_index_consistent() {
        let mut list = FunctionList::from_summaries(vec![
            summary("a", "one", Readiness::Ready),
            summary("a", "two", Readiness::Ready),
            summary("a", "three", Readiness::Ready),
        ]);
        list.apply(summary("a", "one", Readiness::Failed));
        list.remove(&FunctionKey {
            namespace: "a".into(),
            name: "one".into(),
        });
        list.apply(summary("a", "three", Readiness::Deploying));
        list.refresh_rows("", Sort::default());
        let rows: Vec<_> = list
            .rows(0, 10)
            .map(|s| (s.key.name.as_str(), s.readiness))
            .collect();
        assert_eq!(
            rows,
            [("three", Readiness::Deploying), ("two", Readiness::Ready)]
        );
        assert_eq!(list.tally().deploying, 1);
    }

    #[test]
    fn sorting_by_ready_puts_trouble_first_and_reverses() {
        let mut list = FunctionList::from_summaries(vec![
            summary("a", "fine", Readiness::Ready),
            summary("a", "broken", Readiness::Failed),
            summary("a", "rolling", Readiness::Deploying),
        ]);
        let by_ready = Sort {
            column: SortColumn::Ready,
            descending: false,
        };
        list.refresh_rows("", by_ready);
        let names: Vec<_> = list.rows(0, 3).map(|s| s.key.name.clone()).collect();
        assert_eq!(names, ["broken", "rolling", "fine"]);
        list.mark_stale();
        list.refresh_rows(
            "",
            Sort {
                descending: true,
                ..by_ready
            },
        );
        assert_eq!(list.row(0).map(|s| s.key.name.as_str()), Some("fine"));
    }
}
