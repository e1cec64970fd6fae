//! A trace search and how each API spells it.
//!
//! Errors-only is a filter applied by the client to what the search returns, not a server
//! tag: Knative's two eras mark failures differently (Zipkin's `error` tag holds a message,
//! OTel sets the span status, Jaeger stores that as `otel.status_code`), and one `error=true`
//! tag query would miss some of them. The limit therefore applies before the filter.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::backend::transport::RawRequest;

/// What the search pane and `funcdeck traces` ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceQuery {
    pub service: String,
    pub operation: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub min_duration: Option<Duration>,
    pub max_duration: Option<Duration>,
    /// Span tags that must all match, `key=value`.
    pub tags: Vec<(String, String)>,
    /// At most this many traces (before the errors-only filter).
    pub limit: usize,
    /// Keep only traces with at least one error span (filtered by the client, see above).
    pub errors_only: bool,
}

/// Jaeger's own default for the classic API.
pub const DEFAULT_LIMIT: usize = 20;

impl TraceQuery {
    /// `service`'s traces that started in the `since` before `now` (never before 1970: a
    /// huge `--since` means "everything", not a date Jaeger cannot read).
    pub fn recent(service: &str, since: Duration, now: DateTime<Utc>) -> Self {
        let back = chrono::Duration::from_std(since).unwrap_or(chrono::Duration::MAX);
        let start = now
            .checked_sub_signed(back)
            .unwrap_or(DateTime::UNIX_EPOCH)
            .max(DateTime::UNIX_EPOCH);
        Self {
            service: service.to_owned(),
            operation: None,
            start,
            end: now,
            min_duration: None,
            max_duration: None,
            tags: Vec::new(),
            limit: DEFAULT_LIMIT,
            errors_only: false,
        }
    }

    /// `/api/v3/traces` with the snake_case parameters that Jaeger 1.x knows and 2.x still
    /// accepts (2.x's camelCase would be ignored by 1.x).
    pub fn v3_request(&self) -> RawRequest {
        let mut req = RawRequest::get("/api/v3/traces")
            .with_query("query.service_name", &self.service)
            .with_query("query.start_time_min", &rfc3339(self.start))
            .with_query("query.start_time_max", &rfc3339(self.end))
            .with_query("query.num_traces", &self.limit.max(1).to_string());
        if let Some(op) = &self.operation {
            req = req.with_query("query.operation_name", op);
        }
        if let Some(d) = self.min_duration {
            req = req.with_query("query.duration_min", &go_duration(d));
        }
        if let Some(d) = self.max_duration {
            req = req.with_query("query.duration_max", &go_duration(d));
        }
        if !self.tags.is_empty() {
            req = req.with_query("query.attributes", &self.tags_json());
        }
        req
    }

    /// `/api/traces` with microsecond times and Go durations.
    pub fn classic_request(&self) -> RawRequest {
        let mut req = RawRequest::get("/api/traces")
            .with_query("service", &self.service)
            .with_query("start", &self.start.timestamp_micros().to_string())
            .with_query("end", &self.end.timestamp_micros().to_string())
            .with_query("limit", &self.limit.max(1).to_string());
        if let Some(op) = &self.operation {
            req = req.with_query("operation", op);
        }
        if let Some(d) = self.min_duration {
            req = req.with_query("minDuration", &go_duration(d));
        }
        if let Some(d) = self.max_duration {
            req = req.with_query("maxDuration", &go_duration(d));
        }
        if !self.tags.is_empty() {
            req = req.with_query("tags", &self.tags_json());
        }
        req
    }

    fn tags_json(&self) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::Value::Object(map).to_string()
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// A duration as Go's `time.ParseDuration` reads it, in the largest exact unit.
pub fn go_duration(d: Duration) -> String {
    let us = d.as_micros();
    if us.is_multiple_of(1_000_000) {
        format!("{}s", us / 1_000_000)
    } else if us.is_multiple_of(1000) {
        format!("{}ms", us / 1000)
    } else {
        format!("{us}us")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> TraceQuery {
        let now = DateTime::from_timestamp(1_795_740_580, 5_000).expect("in range");
        let mut q = TraceQuery::recent("hello", Duration::from_secs(3600), now);
        q.operation = Some("GET /".into());
        q.min_duration = Some(Duration::from_millis(500));
        q.tags = vec![("http.status_code".into(), "500".into())];
        q.limit = 5;
        q
    }

    #[test]
    fn the_classic_search_uses_microseconds_and_go_durations() {
        assert_eq!(
            query().classic_request().path_and_query(),
            "/api/traces?service=hello&start=1795736980000005&end=1795740580000005&limit=5\
             &operation=GET+%2F&minDuration=500ms&tags=%7B%22http.status_code%22%3A%22500%22%7D"
        );
    }

    #[test]
    fn the_v3_search_uses_rfc3339_and_snake_case() {
        assert_eq!(
            query().v3_request().path_and_query(),
            "/api/v3/traces?query.service_name=hello\
             &query.start_time_min=2026-11-26T23%3A49%3A40.000005000Z\
             &query.start_time_max=2026-11-27T00%3A49%3A40.000005000Z&query.num_traces=5\
             &query.operation_name=GET+%2F&query.duration_min=500ms\
             &query.attributes=%7B%22http.status_code%22%3A%22500%22%7D"
        );
    }

    #[test]
    fn a_huge_since_starts_at_the_epoch() {
        let now = Utc::now();
        for since in [Duration::MAX, Duration::from_secs(200 * 365 * 86_400)] {
            let q = TraceQuery::recent("x", since, now);
            assert_eq!(q.start, DateTime::UNIX_EPOCH);
            assert!(q.classic_request().path_and_query().contains("&start=0&"));
        }
    }

    #[test]
    fn durations_take_the_largest_exact_unit() {
        assert_eq!(go_duration(Duration::from_secs(2)), "2s");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(go_duration(Duration::from_micros(1250)), "1250us");
        assert_eq!(go_duration(Duration::ZERO), "0s");
    }
}
