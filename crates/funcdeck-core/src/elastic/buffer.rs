//! The lines a logs pane holds: a bounded ring in time order.
//!
//! A tail can run for hours; memory must not grow with it. At capacity the oldest line goes
//! for each new one (and is counted, so the pane can say how many it let go). A late line —
//! an older `@timestamp` found by the tail's overlap — is put in its place by time, not at the
//! end; one older than everything a full buffer holds is not kept at all.

use std::collections::VecDeque;

use super::line::LogLine;

/// Lines kept unless configured otherwise.
pub const DEFAULT_CAPACITY: usize = 100_000;

#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    capacity: usize,
    dropped: u64,
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl LogBuffer {
    /// A buffer of at most `capacity` lines (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            lines: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    /// Adds `line` in time order (after lines with the same time), dropping the oldest line
    /// when full.
    pub fn push(&mut self, line: LogLine) {
        let full = self.lines.len() >= self.capacity;
        if full
            && self
                .lines
                .front()
                .is_some_and(|f| line.timestamp < f.timestamp)
        {
            self.dropped += 1;
            return;
        }
        if full {
            self.lines.pop_front();
            self.dropped += 1;
        }
        match self.lines.back() {
            Some(last) if line.timestamp < last.timestamp => {
                let at = self
                    .lines
                    .partition_point(|l| l.timestamp <= line.timestamp);
                self.lines.insert(at, line);
            }
            _ => self.lines.push_back(line),
        }
    }

    pub fn extend(&mut self, lines: impl IntoIterator<Item = LogLine>) {
        for line in lines {
            self.push(line);
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Lines let go since the buffer was made or cleared.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogLine> + ExactSizeIterator {
        self.lines.iter()
    }

    pub fn get(&self, index: usize) -> Option<&LogLine> {
        self.lines.get(index)
    }

    pub fn newest(&self) -> Option<&LogLine> {
        self.lines.back()
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.dropped = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elastic::line::LineParser;

    fn line(ms: i64, id: &str) -> LogLine {
        let t = chrono::DateTime::from_timestamp_millis(ms).expect("in range");
        LineParser::default().parse_raw(id.to_owned(), "p", "c", t, id)
    }

    fn ids(b: &LogBuffer) -> Vec<&str> {
        b.iter().map(|l| l.id.as_str()).collect()
    }

    #[test]
    fn stays_bounded_evicting_the_oldest_and_counts_what_it_dropped() {
        let mut b = LogBuffer::new(1000);
        for i in 0..250_000 {
            b.push(line(i, "x"));
            assert!(b.len() <= 1000);
        }
        assert_eq!(b.len(), 1000);
        assert_eq!(b.dropped(), 249_000);
        assert_eq!(
            b.iter().next().map(|l| l.timestamp.timestamp_millis()),
            Some(249_000)
        );
        assert_eq!(LogBuffer::default().capacity(), 100_000);
        assert_eq!(LogBuffer::new(0).capacity(), 1);
    }

    #[test]
    fn late_lines_go_in_their_place_by_time_and_too_old_ones_are_not_kept() {
        let mut b = LogBuffer::new(4);
        b.extend([line(10, "a"), line(30, "c"), line(30, "d")]);
        b.push(line(20, "b"));
        assert_eq!(ids(&b), ["a", "b", "c", "d"]);
        b.push(line(30, "e"));
        assert_eq!(ids(&b), ["b", "c", "d", "e"]);
        b.push(line(5, "too-old"));
        assert_eq!(ids(&b), ["b", "c", "d", "e"]);
        assert_eq!(b.dropped(), 2);
        b.clear();
        assert!(b.is_empty());
        assert_eq!(b.dropped(), 0);
    }
}
