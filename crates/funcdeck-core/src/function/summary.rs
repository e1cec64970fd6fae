//! `FunctionSummary`: one row of the function table, built from a Service.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{FunctionKey, Readiness, TrafficShare, readiness, traffic};
use crate::knative::Service;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionSummary {
    pub key: FunctionKey,
    pub readiness: Readiness,
    /// From the `Ready` condition.
    pub reason: Option<String>,
    pub message: Option<String>,
    pub latest_created: Option<String>,
    pub latest_ready: Option<String>,
    /// From `status.traffic`, else `spec.traffic`.
    pub traffic: Vec<TrafficShare>,
    pub url: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub generation: i64,
    pub observed_generation: i64,
    /// Taken offline by funcdeck (`fn offline`): cluster-local, so no external traffic.
    pub offline: bool,
}

impl FunctionSummary {
    /// Never panics: any missing part of a partial object just leaves its field empty.
    pub fn from_service(svc: &Service) -> Self {
        let meta = &svc.metadata;
        let status = svc.status.as_ref();
        let (readiness, ready) = readiness::derive(svc);
        let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        Self {
            key: FunctionKey::of(svc),
            readiness,
            reason: ready.and_then(|c| non_empty(&c.reason)),
            message: ready.and_then(|c| non_empty(&c.message)),
            latest_created: status.and_then(|s| non_empty(&s.latest_created_revision_name)),
            latest_ready: status.and_then(|s| non_empty(&s.latest_ready_revision_name)),
            traffic: traffic::shares(svc),
            url: status.and_then(|s| non_empty(&s.url)),
            created: meta
                .creation_timestamp
                .as_ref()
                .and_then(|t| i64::try_from(t.0.as_nanosecond()).ok())
                .map(DateTime::from_timestamp_nanos),
            generation: meta.generation.unwrap_or(0),
            observed_generation: status.and_then(|s| s.observed_generation).unwrap_or(0),
            offline: matches!(
                super::visibility::reachability(svc),
                super::visibility::Reachability::Offline { .. }
            ),
        }
    }

    /// The newest revision: latest created, else latest ready.
    pub fn latest_revision(&self) -> Option<&str> {
        self.latest_created
            .as_deref()
            .or(self.latest_ready.as_deref())
    }

    /// A compact traffic cell, e.g. `"00003 90% · 00002 10% (canary)"`, or `"—"`.
    pub fn traffic_summary(&self) -> String {
        traffic::summary(&self.key.name, &self.traffic)
    }
}

#[cfg(test)]
mod tests;
