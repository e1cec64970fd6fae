//! A function's whole story in one value: what it is doing right now, and why.
//!
//! [`FunctionDetail::build`] is pure: it takes the Service plus whatever revisions, pods and
//! events the caller has (from a one-shot fetch or from live watches) and joins them, so the
//! CLI's `fn get` and the TUI's detail view show the same facts, and every rule (traffic per
//! revision, pods per revision, the failure explained in words) is tested without a cluster.

mod traffic;
mod why;

use serde::Serialize;

pub use traffic::TrafficRow;

use super::{FunctionSummary, Readiness};
use crate::condition::{ConditionStatus, ConditionSummary};
use crate::events::{EventSummary, relates_to_function};
use crate::key::ObjectKey;
use crate::knative::Service;
use crate::pods::PodSummary;
use crate::revisions::RevisionSummary;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionDetail {
    pub key: ObjectKey,
    pub url: Option<String>,
    /// The Service's `Ready` condition status.
    pub ready: ConditionStatus,
    /// The word the function table shows (accounts for an unobserved generation).
    pub readiness: Readiness,
    pub latest_created: Option<String>,
    pub latest_ready: Option<String>,
    /// Every condition of the Service, in the server's order.
    pub conditions: Vec<ConditionSummary>,
    /// From `status.traffic`, else `spec.traffic`.
    pub traffic: Vec<TrafficRow>,
    /// Newest first.
    pub revisions: Vec<RevisionRow>,
    /// The function's pods, by revision (newest first), then name.
    pub pods: Vec<PodSummary>,
    /// Events about the function and its revisions' objects, most recently seen first.
    pub events: Vec<EventSummary>,
}

/// A revision with what the function's traffic and pods say about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionRow {
    pub revision: RevisionSummary,
    /// Summed over every traffic target that resolves to this revision.
    pub traffic_percent: u32,
    /// Pods of this revision with every container ready, and all its pods.
    pub pods_ready: u32,
    pub pods_total: u32,
    /// For a revision that is not ready: why, in words.
    pub why: Option<String>,
}

impl RevisionRow {
    /// `"1/2"`: ready pods of all pods.
    pub fn pods_text(&self) -> String {
        format!("{}/{}", self.pods_ready, self.pods_total)
    }
}

impl FunctionDetail {
    /// Joins the parts; revisions, pods and events that belong to another function are left
    /// out, so callers may pass a whole namespace's worth.
    pub fn build(
        service: &Service,
        revisions: &[RevisionSummary],
        pods: &[PodSummary],
        events: &[EventSummary],
    ) -> Self {
        let summary = FunctionSummary::from_service(service);
        let name = summary.key.name.as_str();
        let status = service.status.as_ref();
        let traffic = traffic::rows(service);

        let mine = |function: &Option<String>, namespace: &str| {
            function.as_deref().is_none_or(|f| f == name) && namespace == summary.key.namespace
        };
        let mut revisions: Vec<&RevisionSummary> = revisions
            .iter()
            .filter(|r| mine(&r.function, &r.key.namespace))
            .collect();
        revisions.sort_by(RevisionSummary::newest_first);
        let revision_names: Vec<&str> = revisions.iter().map(|r| r.key.name.as_str()).collect();
        let of_revision = |p: &PodSummary, rev: &str| {
            p.revision.as_deref() == Some(rev)
                || (p.revision.is_none() && pod_name_of_revision(&p.key.name, rev))
        };

        let mut pods: Vec<PodSummary> = pods
            .iter()
            .filter(|p| mine(&p.function, &p.key.namespace))
            .filter(|p| p.function.is_some() || revision_names.iter().any(|r| of_revision(p, r)))
            .cloned()
            .collect();
        let rank = |p: &PodSummary| {
            revision_names
                .iter()
                .position(|r| of_revision(p, r))
                .unwrap_or(usize::MAX)
        };
        pods.sort_by(|a, b| (rank(a), &a.key.name).cmp(&(rank(b), &b.key.name)));

        let mut events: Vec<EventSummary> = events
            .iter()
            .filter(|e| e.key.namespace == summary.key.namespace)
            .filter(|e| relates_to_function(e, name, &revision_names))
            .cloned()
            .collect();
        events.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(a.key.cmp(&b.key)));

        let revisions = revisions
            .into_iter()
            .map(|rev| {
                let rev_name = rev.key.name.as_str();
                let rev_pods: Vec<&PodSummary> =
                    pods.iter().filter(|p| of_revision(p, rev_name)).collect();
                let ready = rev_pods
                    .iter()
                    .filter(|p| p.total_containers > 0 && p.ready_containers == p.total_containers)
                    .count();
                RevisionRow {
                    traffic_percent: traffic
                        .iter()
                        .filter(|t| {
                            t.revision.as_deref().or(if t.latest {
                                summary.latest_ready.as_deref()
                            } else {
                                None
                            }) == Some(rev_name)
                        })
                        .map(|t| t.percent)
                        .sum(),
                    pods_ready: u32::try_from(ready).unwrap_or(u32::MAX),
                    pods_total: u32::try_from(rev_pods.len()).unwrap_or(u32::MAX),
                    why: why::explain(rev, &rev_pods, &events),
                    revision: rev.clone(),
                }
            })
            .collect();

        Self {
            ready: ConditionStatus::of(status.and_then(|s| s.condition("Ready"))),
            readiness: summary.readiness,
            conditions: ConditionSummary::all(status.and_then(|s| s.conditions.as_ref())),
            url: summary.url,
            latest_created: summary.latest_created,
            latest_ready: summary.latest_ready,
            key: summary.key,
            traffic,
            revisions,
            pods,
            events,
        }
    }
}

/// Knative names a revision's pods `<revision>-deployment-<hash>-<id>`.
fn pod_name_of_revision(pod: &str, revision: &str) -> bool {
    pod.strip_prefix(revision)
        .and_then(|rest| rest.strip_prefix("-deployment-"))
        .is_some_and(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests;
