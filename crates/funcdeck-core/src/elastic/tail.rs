//! Live tail over `_search` polls: every line once, none skipped, even when documents become
//! searchable late and with an older `@timestamp` than lines already shown.
//!
//! Documents reach the index out of order: fluent-bit batches and retries, each shard
//! refreshes on its own clock. A cursor that only moves forward from the last timestamp seen
//! would skip a document that arrives after a newer one. So each poll searches again from
//! `newest - overlap` (oldest first, paging with `search_after`), and every line whose id was
//! already given out is dropped. The ids kept are only those still inside the window: a
//! document older than `newest - overlap` can never match the next poll's range again.
//!
//! The bound, said plainly: a document that becomes searchable more than `overlap` after the
//! newest line already seen is not shown by the tail (a fresh search still finds it).
//!
//! This is a pure cursor: the caller runs the query it gives and hands back the page, so the
//! logic is tested without a server (see the tests) and the runner owns the I/O.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::line::LogLine;
use super::page::LogPage;
use super::query::{LogQuery, Order};

/// How late a document may become searchable and still be shown: fluent-bit's flush (1 s) and
/// retries plus the index refresh (1 s) fit well inside.
pub const DEFAULT_OVERLAP: Duration = Duration::seconds(30);
/// Lines per page while tailing.
pub const DEFAULT_PAGE: usize = 500;
/// Ids remembered at most; past this the oldest are forgotten even inside the window (only a
/// tail of more than this many lines per `overlap` could then see one twice).
pub const MAX_SEEN: usize = 500_000;

#[derive(Debug, Clone)]
pub struct Tail {
    since: DateTime<Utc>,
    overlap: Duration,
    page: usize,
    newest: Option<DateTime<Utc>>,
    seen: Seen,
    /// Inside a poll: its fixed lower bound and where the next page starts.
    poll: Option<(DateTime<Utc>, Option<Vec<Value>>)>,
}

/// What one page brought.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Lines not given out before, oldest first.
    pub lines: Vec<LogLine>,
    /// The page was full: ask [`Tail::query`] again now. Otherwise the poll is over; wait
    /// for the next tick.
    pub more: bool,
}

impl Tail {
    /// A tail of lines from `since` on.
    pub fn new(since: DateTime<Utc>) -> Self {
        Self::with(since, DEFAULT_OVERLAP, DEFAULT_PAGE)
    }

    pub fn with(since: DateTime<Utc>, overlap: Duration, page: usize) -> Self {
        Self {
            since,
            overlap: overlap.max(Duration::zero()),
            page: page.max(1),
            newest: None,
            seen: Seen::default(),
            poll: None,
        }
    }

    /// The newest timestamp given out so far.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.newest
    }

    /// How many ids are remembered (bounded by the window, and by [`MAX_SEEN`]).
    pub fn remembered(&self) -> usize {
        self.seen.ids.len()
    }

    /// The next request: `base`'s scope and text, from the window's start, oldest first.
    pub fn query(&mut self, base: &LogQuery) -> LogQuery {
        let (floor, after) = self
            .poll
            .get_or_insert_with(|| {
                let floor = self
                    .newest
                    .map_or(self.since, |n| (n - self.overlap).max(self.since));
                (floor, None)
            })
            .clone();
        LogQuery {
            from: Some(floor),
            to: None,
            size: self.page,
            order: Order::OldestFirst,
            after,
            pit: None,
            track_total_hits: false,
            ..base.clone()
        }
    }

    /// Takes the answer to the last [`Tail::query`].
    pub fn accept(&mut self, page: LogPage) -> Step {
        let more = page.next.is_some();
        match (&mut self.poll, page.next) {
            (Some((_, after)), Some(next)) => *after = Some(next),
            _ => self.poll = None,
        }
        let mut lines = Vec::new();
        for line in page.lines {
            if line.timestamp < self.since || !self.seen.insert(&line.id, line.timestamp) {
                continue;
            }
            self.newest = Some(
                self.newest
                    .map_or(line.timestamp, |n| n.max(line.timestamp)),
            );
            lines.push(line);
        }
        if let Some(newest) = self.newest {
            self.seen.forget_before(newest - self.overlap);
        }
        Step { lines, more }
    }
}

/// Ids given out, with their times, so the oldest can be forgotten.
#[derive(Debug, Clone, Default)]
struct Seen {
    ids: HashSet<String>,
    by_time: BinaryHeap<Reverse<(DateTime<Utc>, String)>>,
}

impl Seen {
    /// `false` if `id` was given out already.
    fn insert(&mut self, id: &str, at: DateTime<Utc>) -> bool {
        if self.ids.contains(id) {
            return false;
        }
        self.ids.insert(id.to_owned());
        self.by_time.push(Reverse((at, id.to_owned())));
        while self.ids.len() > MAX_SEEN {
            self.pop();
        }
        true
    }

    fn forget_before(&mut self, floor: DateTime<Utc>) {
        while self
            .by_time
            .peek()
            .is_some_and(|Reverse((at, _))| *at < floor)
        {
            self.pop();
        }
    }

    fn pop(&mut self) {
        if let Some(Reverse((_, id))) = self.by_time.pop() {
            self.ids.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests;
