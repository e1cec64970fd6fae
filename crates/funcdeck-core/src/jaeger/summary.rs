//! One line per trace for the search list and `funcdeck traces -o json`, and the cold-start
//! figures over a window. Field names are the CLI's JSON contract (issue #10).
//!
//! Percentiles are by nearest rank: the smallest value with at least p% of the values at or
//! below it (`sorted[ceil(p/100 · n) − 1]`), so every figure is a cold start that happened.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::knative::{cold_start, revision};
use super::model::{Trace, TraceId};
use super::tree::SpanTree;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceSummary {
    pub trace_id: TraceId,
    /// The earliest span's start (`None` for a trace without spans).
    pub start: Option<DateTime<Utc>>,
    pub duration_ms: f64,
    pub span_count: usize,
    /// Spans marked as errors.
    pub errors: usize,
    pub revision: Option<String>,
    /// `None` when the request was warm.
    pub cold_start_ms: Option<f64>,
}

impl TraceSummary {
    /// `trace` summed up; a wait under `threshold` counts as warm.
    pub fn of(trace: &Trace, threshold: Duration) -> Self {
        let tree = SpanTree::build(trace);
        let cold = cold_start(trace, &tree).filter(|c| c.is_cold(threshold));
        Self {
            trace_id: trace.id.clone(),
            start: trace.start(),
            duration_ms: ms(trace.duration_us()),
            span_count: trace.spans.len(),
            errors: trace.error_count(),
            revision: revision(trace),
            cold_start_ms: cold.map(|c| ms(c.duration_us)),
        }
    }

    pub fn is_cold(&self) -> bool {
        self.cold_start_ms.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ColdStartStats {
    pub count: usize,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

impl ColdStartStats {
    pub fn of(traces: &[TraceSummary]) -> Self {
        let mut cold: Vec<f64> = traces.iter().filter_map(|t| t.cold_start_ms).collect();
        cold.sort_by(f64::total_cmp);
        Self {
            count: cold.len(),
            p50_ms: nearest_rank(&cold, 50),
            p95_ms: nearest_rank(&cold, 95),
        }
    }
}

/// `sorted[ceil(p/100 · n) − 1]`, `None` when empty.
pub fn nearest_rank(sorted: &[f64], percent: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len())
        .div_ceil(100)
        .clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// `funcdeck traces -o json`: the traces shown and the cold starts over the whole window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracesReport {
    pub traces: Vec<TraceSummary>,
    pub cold_starts: ColdStartStats,
}

impl TracesReport {
    /// With `cold_only`, `traces` keeps only the cold ones; the figures always cover all.
    pub fn new(traces: Vec<TraceSummary>, cold_only: bool) -> Self {
        let cold_starts = ColdStartStats::of(&traces);
        let traces = if cold_only {
            traces.into_iter().filter(TraceSummary::is_cold).collect()
        } else {
            traces
        };
        Self {
            traces,
            cold_starts,
        }
    }

    /// The `n` slowest cold starts, slowest first.
    pub fn slowest_cold(&self, n: usize) -> Vec<&TraceSummary> {
        let mut cold: Vec<&TraceSummary> = self.traces.iter().filter(|t| t.is_cold()).collect();
        cold.sort_by(|a, b| {
            b.cold_start_ms
                .unwrap_or(0.0)
                .total_cmp(&a.cold_start_ms.unwrap_or(0.0))
        });
        cold.truncate(n);
        cold
    }
}

fn ms(us: i64) -> f64 {
    us as f64 / 1000.0
}
