//! `RevisionSummary`: one row of a function's revision table, built from a Revision.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::condition::{ConditionStatus, ConditionSummary, non_empty};
use crate::key::ObjectKey;
use crate::knative::Revision;
use crate::labels;
use crate::time::from_time;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionSummary {
    pub key: ObjectKey,
    /// The owning function (label `serving.knative.dev/service`).
    pub function: Option<String>,
    /// Label `serving.knative.dev/configurationGeneration`.
    pub configuration_generation: Option<i64>,
    pub created: Option<DateTime<Utc>>,
    /// The `Ready` condition's status.
    pub ready: ConditionStatus,
    /// From the `Ready` condition.
    pub reason: Option<String>,
    pub message: Option<String>,
    /// The first container's image.
    pub image: Option<String>,
    /// `spec.containerConcurrency` (0 = unlimited).
    pub container_concurrency: Option<i64>,
    /// Autoscaling bounds from the revision's annotations (current or legacy spelling).
    pub min_scale: Option<u32>,
    pub max_scale: Option<u32>,
    /// The first container's requests and limits, as the server wrote them.
    pub cpu_request: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_request: Option<String>,
    pub memory_limit: Option<String>,
    /// Pods ready / wanted, as the revision's status reports them.
    pub actual_replicas: Option<i32>,
    pub desired_replicas: Option<i32>,
    /// Every condition, for the detail view and for explaining a failure.
    pub conditions: Vec<ConditionSummary>,
}

impl RevisionSummary {
    /// Newest first: by creation, then configuration generation, then name.
    pub fn newest_first(a: &&RevisionSummary, b: &&RevisionSummary) -> std::cmp::Ordering {
        (b.created, b.configuration_generation, &b.key.name).cmp(&(
            a.created,
            a.configuration_generation,
            &a.key.name,
        ))
    }

    /// Never panics: any missing part of a partial object just leaves its field empty.
    pub fn from_revision(rev: &Revision) -> Self {
        let meta = &rev.metadata;
        let label = |k: &str| meta.labels.as_ref()?.get(k).cloned();
        let annotation = |keys: [&str; 2]| {
            let annotations = meta.annotations.as_ref()?;
            keys.iter()
                .find_map(|k| annotations.get(*k))
                .and_then(|v| v.trim().parse::<u32>().ok())
        };
        let status = rev.status.as_ref();
        let ready = status.and_then(|s| s.condition("Ready"));
        let container = rev.spec.first_container();
        let resources = container.and_then(|c| c.resources.as_ref());
        Self {
            key: ObjectKey::of(rev),
            function: label(labels::SERVICE),
            configuration_generation: label(labels::CONFIGURATION_GENERATION)
                .and_then(|g| g.parse().ok()),
            created: meta.creation_timestamp.as_ref().and_then(from_time),
            ready: ConditionStatus::of(ready),
            reason: ready.and_then(|c| non_empty(c.reason.as_deref())),
            message: ready.and_then(|c| non_empty(c.message.as_deref())),
            image: container.and_then(|c| non_empty(c.image.as_deref())),
            container_concurrency: rev.spec.container_concurrency,
            min_scale: annotation(labels::MIN_SCALE),
            max_scale: annotation(labels::MAX_SCALE),
            cpu_request: resources.and_then(|r| r.request("cpu")),
            cpu_limit: resources.and_then(|r| r.limit("cpu")),
            memory_request: resources.and_then(|r| r.request("memory")),
            memory_limit: resources.and_then(|r| r.limit("memory")),
            actual_replicas: status.and_then(|s| s.actual_replicas),
            desired_replicas: status.and_then(|s| s.desired_replicas),
            conditions: ConditionSummary::all(status.and_then(|s| s.conditions.as_ref())),
        }
    }

    /// The condition of the given type, if the controller has set it.
    pub fn condition(&self, type_: &str) -> Option<&ConditionSummary> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

#[cfg(test)]
mod tests;
