//! What a search gives back, read from the wire: a page of lines, a histogram, top values.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::answer::{SearchWire, Total};
use super::line::{LineParser, LogLine};
use crate::backend::Failure;

/// One page of lines in the query's order.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPage {
    pub lines: Vec<LogLine>,
    /// Present when the query asked for totals (or the server sent one anyway).
    pub total: Option<Total>,
    /// The last line's sort values when the page was full: pass as [`super::LogQuery::after`]
    /// for the next page. `None`: there is no more.
    pub next: Option<Vec<Value>>,
    /// A PIT search's id for the next page (the server may change it).
    pub pit_id: Option<String>,
    pub took_ms: u64,
    /// The server gave up part way (`timed_out`), or some shards failed: lines may be missing.
    pub partial: bool,
}

impl LogPage {
    pub(crate) fn from_wire(wire: SearchWire, size: usize, parser: &mut LineParser) -> Self {
        let full = wire.hits.hits.len() >= size;
        let next = if full {
            wire.hits.hits.last().and_then(|h| h.sort.clone())
        } else {
            None
        };
        let lines = wire
            .hits
            .hits
            .iter()
            .map(|hit| {
                let source = hit.source.as_ref().unwrap_or(&Value::Null);
                parser.parse(&hit.index, &hit.id, source, hit.sort.as_deref())
            })
            .collect();
        Self {
            lines,
            total: wire.hits.total.as_ref().map(Total::from),
            next,
            pit_id: wire.pit_id,
            took_ms: wire.took,
            partial: wire.timed_out || wire.shards.is_some_and(|s| s.failed > 0),
        }
    }
}

/// Lines per time bucket, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    pub interval_s: u64,
    pub buckets: Vec<(DateTime<Utc>, u64)>,
}

impl Histogram {
    pub(crate) fn from_wire(wire: &SearchWire, interval_s: u64) -> Result<Self, Failure> {
        let buckets = aggregation(wire, "counts")?
            .iter()
            .filter_map(|b| {
                let at = DateTime::from_timestamp_millis(b.get("key")?.as_i64()?)?;
                Some((at, b.get("doc_count")?.as_u64()?))
            })
            .collect();
        Ok(Self {
            interval_s,
            buckets,
        })
    }

    pub fn max(&self) -> u64 {
        self.buckets.iter().map(|b| b.1).max().unwrap_or(0)
    }
}

/// The most common values of one field, for the fields panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopValues {
    /// As asked (e.g. `kubernetes.pod_name`).
    pub field: String,
    /// As aggregated and to filter on (e.g. `kubernetes.pod_name.keyword`): give it to
    /// [`super::fields::clause`] when the user picks a value.
    pub exact_field: String,
    /// Value and how many lines have it, most first.
    pub values: Vec<(String, u64)>,
    /// Lines with other values than those listed.
    pub others: u64,
}

impl TopValues {
    pub(crate) fn from_wire(
        wire: &SearchWire,
        name: &str,
        field: &str,
        exact_field: &str,
    ) -> Result<Self, Failure> {
        let values = aggregation(wire, name)?
            .iter()
            .filter_map(|b| {
                let key = match b.get("key")? {
                    // Raw, so a clause built from it matches; shown through `text::reveal`.
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some((key, b.get("doc_count")?.as_u64()?))
            })
            .collect();
        let others = wire
            .aggregations
            .as_ref()
            .and_then(|a| a.get(name)?.get("sum_other_doc_count")?.as_u64())
            .unwrap_or(0);
        Ok(Self {
            field: field.to_owned(),
            exact_field: exact_field.to_owned(),
            values,
            others,
        })
    }
}

fn aggregation<'a>(wire: &'a SearchWire, name: &str) -> Result<&'a Vec<Value>, Failure> {
    wire.aggregations
        .as_ref()
        .and_then(|a| a.get(name)?.get("buckets")?.as_array())
        .ok_or_else(|| Failure::Decode {
            message: format!("the answer has no {name:?} aggregation"),
        })
}
