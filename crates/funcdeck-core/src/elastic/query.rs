//! What the logs pane and `funcdeck logs` ask for, and the `_search` bodies that ask it.
//!
//! One [`LogQuery`] drives the lines, the histogram and the fields panel alike, so the three
//! always agree on what "these logs" are: a bool *filter* (no scoring: lines are ordered by
//! time) on the time range, the scope's pod labels as fluent-bit writes them (exact `term`s on
//! the `.keyword` sub-field that dynamic mapping adds), and the user's Lucene text passed as
//! typed to `query_string`, so a mistake in it comes back as the server's own reason.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::fields;

/// Whose logs: each part given narrows the search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub namespace: Option<String>,
    /// The Knative Service (`serving.knative.dev/service` label).
    pub function: Option<String>,
    /// The Revision (`serving.knative.dev/revision` label).
    pub revision: Option<String>,
    pub pod: Option<String>,
    pub container: Option<String>,
}

impl Scope {
    pub fn function(namespace: &str, function: &str) -> Self {
        Self {
            namespace: Some(namespace.to_owned()),
            function: Some(function.to_owned()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// The pane's first page and `funcdeck logs`: the latest lines.
    #[default]
    NewestFirst,
    /// Live tail: forward in time from a point.
    OldestFirst,
}

impl Order {
    fn word(self) -> &'static str {
        match self {
            Self::NewestFirst => "desc",
            Self::OldestFirst => "asc",
        }
    }
}

/// One search. Build with [`LogQuery::new`] and the `with_*` helpers.
#[derive(Debug, Clone, PartialEq)]
pub struct LogQuery {
    pub scope: Scope,
    /// Lucene syntax as the user typed it; empty or blank means every line.
    pub text: String,
    /// Inclusive bounds on `@timestamp`; `None` is open-ended.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Lines per page.
    pub size: usize,
    pub order: Order,
    /// `search_after`: the sort values of the last line of the previous page
    /// ([`super::LogPage::next`]).
    pub after: Option<Vec<Value>>,
    /// A point in time to page through (see [`super::ElasticClient::open_pit`]).
    pub pit: Option<String>,
    /// Count every match (`hits.total` exact) rather than stopping at 10,000.
    pub track_total_hits: bool,
}

/// Lines per page unless asked otherwise.
pub const DEFAULT_SIZE: usize = 500;
/// Elasticsearch refuses `from + size` above this (`index.max_result_window`).
pub const MAX_SIZE: usize = 10_000;

impl LogQuery {
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            text: String::new(),
            from: None,
            to: None,
            size: DEFAULT_SIZE,
            order: Order::NewestFirst,
            after: None,
            pit: None,
            track_total_hits: false,
        }
    }

    pub fn with_text(mut self, text: &str) -> Self {
        self.text = text.to_owned();
        self
    }

    pub fn with_range(mut self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Self {
        self.from = from;
        self.to = to;
        self
    }

    pub fn with_size(mut self, size: usize) -> Self {
        self.size = size.clamp(1, MAX_SIZE);
        self
    }

    pub fn with_order(mut self, order: Order) -> Self {
        self.order = order;
        self
    }

    /// The bool query every request shares.
    pub fn query_json(&self, keyword: &str) -> Value {
        let mut filter = Vec::new();
        if self.from.is_some() || self.to.is_some() {
            let mut range = json!({"format": "epoch_millis"});
            if let Some(from) = self.from {
                range["gte"] = json!(from.timestamp_millis());
            }
            if let Some(to) = self.to {
                range["lte"] = json!(to.timestamp_millis());
            }
            filter.push(json!({"range": {fields::TIMESTAMP: range}}));
        }
        let s = &self.scope;
        for (field, value) in [
            (fields::NAMESPACE, &s.namespace),
            (fields::FUNCTION, &s.function),
            (fields::REVISION, &s.revision),
            (fields::POD, &s.pod),
            (fields::CONTAINER, &s.container),
        ] {
            if let Some(value) = value {
                filter.push(json!({"term": {format!("{field}{keyword}"): value}}));
            }
        }
        if !self.text.trim().is_empty() {
            filter.push(json!({"query_string": {"query": self.text}}));
        }
        json!({"bool": {"filter": filter}})
    }

    /// The `_search` body for a page of lines.
    pub fn search_json(&self, keyword: &str, keep_alive: &str) -> Value {
        let order = self.order.word();
        // Equal timestamps are common (millisecond clocks, bursts); search_after needs a
        // tiebreaker. In a PIT `_shard_doc` is unique; without one `_doc` is the best there
        // is, and the tail's overlap window covers what it cannot (see `tail`).
        let tiebreaker = if self.pit.is_some() {
            "_shard_doc"
        } else {
            "_doc"
        };
        let mut body = json!({
            "size": self.size,
            "track_total_hits": self.track_total_hits,
            "query": self.query_json(keyword),
            "sort": [{fields::TIMESTAMP: order}, {tiebreaker: order}],
        });
        if let Some(after) = &self.after {
            body["search_after"] = json!(after);
        }
        if let Some(pit) = &self.pit {
            body["pit"] = json!({"id": pit, "keep_alive": keep_alive});
        }
        body
    }

    /// A `_search` body counting lines per `interval` over the query's range.
    pub fn histogram_json(&self, keyword: &str, interval_s: u64) -> Value {
        let mut histogram = json!({
            "field": fields::TIMESTAMP,
            "fixed_interval": format!("{interval_s}s"),
            "min_doc_count": 0,
        });
        if let (Some(from), Some(to)) = (self.from, self.to) {
            // Empty buckets at both ends too, so the chart spans the whole range.
            histogram["extended_bounds"] =
                json!({"min": from.timestamp_millis(), "max": to.timestamp_millis()});
        }
        json!({
            "size": 0,
            "track_total_hits": self.track_total_hits,
            "query": self.query_json(keyword),
            "aggs": {"counts": {"date_histogram": histogram}},
        })
    }

    /// A `_search` body with a terms aggregation per field (named `f0`, `f1`, … because
    /// field names may hold characters aggregation names may not).
    pub fn top_values_json(&self, keyword: &str, fields: &[String], n: usize) -> Value {
        let mut aggs = serde_json::Map::new();
        for (i, field) in fields.iter().enumerate() {
            aggs.insert(
                format!("f{i}"),
                json!({"terms": {"field": field, "size": n.max(1)}}),
            );
        }
        json!({
            "size": 0,
            "track_total_hits": false,
            "query": self.query_json(keyword),
            "aggs": aggs,
        })
    }
}

/// Histogram bucket widths, in seconds: the smallest that gives at most the asked number of
/// buckets is used, so the axis reads in round numbers.
const STEPS: &[u64] = &[
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    172_800, 604_800,
];

/// The bucket width for `buckets` buckets over `from..to`.
pub fn histogram_interval(from: DateTime<Utc>, to: DateTime<Utc>, buckets: usize) -> u64 {
    let span_s = (to - from).num_seconds().max(1) as u64;
    let want = span_s.div_ceil(buckets.max(1) as u64);
    STEPS
        .iter()
        .copied()
        .find(|s| *s >= want)
        .unwrap_or_else(|| want.div_ceil(86_400) * 86_400)
}

#[cfg(test)]
mod tests;
