//! The tail against a simulated index: writers add documents between (and during) polls,
//! some becoming searchable late with older timestamps, many sharing a millisecond; the
//! search honours the range, the order and `search_after` as Elasticsearch does. Every
//! document must come out exactly once.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::*;
use crate::elastic::line::LineParser;

/// A document in the simulated index: its time, its index order (the `_doc` tiebreaker).
#[derive(Debug, Clone)]
struct Doc {
    ms: i64,
    seq: u64,
}

#[derive(Default)]
struct Index {
    docs: Vec<Doc>,
    seq: u64,
}

impl Index {
    fn write(&mut self, ms: i64) {
        self.seq += 1;
        self.docs.push(Doc { ms, seq: self.seq });
    }

    /// `range gte from`, sort `@timestamp asc, _doc asc`, `search_after`, `size`.
    fn search(&self, q: &LogQuery) -> LogPage {
        let from = q.from.map_or(i64::MIN, |t| t.timestamp_millis());
        let after = q
            .after
            .as_ref()
            .map(|a| (a[0].as_i64().expect("ms"), a[1].as_u64().expect("doc")));
        let mut hits: Vec<&Doc> = self
            .docs
            .iter()
            .filter(|d| d.ms >= from && after.is_none_or(|a| (d.ms, d.seq) > a))
            .collect();
        hits.sort_by_key(|d| (d.ms, d.seq));
        hits.truncate(q.size);
        let mut parser = LineParser::default();
        let lines: Vec<LogLine> = hits
            .iter()
            .map(|d| parser.parse_raw(format!("logs/{}", d.seq), "p", "c", at(d.ms), "x"))
            .collect();
        let next = (hits.len() == q.size)
            .then(|| hits.last().map(|d| vec![json!(d.ms), json!(d.seq)]))
            .flatten();
        LogPage {
            lines,
            total: None,
            next,
            pit_id: None,
            took_ms: 0,
            partial: false,
        }
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("in range")
}

/// A small deterministic generator (no dependency, same run every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// Runs `steps` rounds: each page request is preceded by a burst of writes stamped up to
/// `lateness_ms` before the writer's clock. Returns every id given out, in order.
fn run(seed: u64, steps: u64, lateness_ms: u64, overlap: Duration) -> (Index, Vec<String>, Tail) {
    let mut rng = Lcg(seed);
    let mut index = Index::default();
    let start = 1_795_740_000_000;
    let mut tail = Tail::with(at(start), overlap, 7);
    let base = LogQuery::new(Default::default());
    let mut out = Vec::new();
    let mut clock = start;
    for _ in 0..steps {
        loop {
            // Concurrent writers: documents land between every page of a poll.
            for _ in 0..rng.next(6) {
                let late = rng.next(lateness_ms + 1) as i64;
                // Coarse clocks: many documents share a millisecond.
                index.write((clock - late).max(start) / 10 * 10);
            }
            clock += rng.next(400) as i64;
            let page = index.search(&tail.query(&base));
            let step = tail.accept(page);
            out.extend(step.lines.into_iter().map(|l| l.id));
            if !step.more {
                break;
            }
        }
    }
    // Writers stop; polls catch up.
    for _ in 0..50 {
        let q = tail.query(&base);
        let step = tail.accept(index.search(&q));
        out.extend(step.lines.into_iter().map(|l| l.id));
    }
    (index, out, tail)
}

#[test]
fn concurrent_late_writes_come_out_once_each_with_no_gaps() {
    for seed in 1..=10 {
        let (index, out, tail) = run(seed, 300, 2_000, Duration::seconds(3));
        let mut unique = out.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            out.len(),
            "seed {seed}: a line came out twice"
        );
        let mut all: Vec<String> = index
            .docs
            .iter()
            .map(|d| format!("logs/{}", d.seq))
            .collect();
        all.sort();
        assert_eq!(unique, all, "seed {seed}: a line was skipped");
        // Only the overlap window's ids are remembered, not the whole history.
        assert!(tail.remembered() < index.docs.len() / 4, "seed {seed}");
    }
}

#[test]
fn a_document_later_than_the_overlap_is_the_stated_bound() {
    let mut index = Index::default();
    let t0 = 1_795_740_000_000;
    let mut tail = Tail::with(at(t0), Duration::seconds(1), 100);
    let base = LogQuery::new(Default::default());
    index.write(t0 + 10_000);
    let q = tail.query(&base);
    assert_eq!(tail.accept(index.search(&q)).lines.len(), 1);
    // Within the overlap: found; beyond it: not (a fresh search still finds it).
    index.write(t0 + 9_500);
    index.write(t0 + 5_000);
    let q = tail.query(&base);
    let step = tail.accept(index.search(&q));
    assert_eq!(
        step.lines.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["logs/2"]
    );
    assert_eq!(tail.query(&base).from, Some(at(t0 + 9_000)));
}

#[test]
fn the_tail_asks_oldest_first_from_the_window_and_keeps_the_users_query() {
    let since = at(1_795_740_000_000);
    let mut tail = Tail::with(since, Duration::seconds(30), 50);
    let base = LogQuery::new(crate::elastic::Scope::function("default", "hello"))
        .with_text("level:error")
        .with_range(Some(at(0)), Some(at(1)));
    let q = tail.query(&base);
    assert_eq!(q.from, Some(since));
    assert_eq!(q.to, None);
    assert_eq!(q.order, Order::OldestFirst);
    assert_eq!(q.size, 50);
    assert_eq!(q.text, "level:error");
    assert_eq!(q.scope.function.as_deref(), Some("hello"));
    assert!(!q.track_total_hits && q.pit.is_none() && q.after.is_none());
}
