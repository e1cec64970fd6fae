//! Taking a function offline and back online.
//!
//! Knative has no "pause", and `spec.traffic` must sum to 100, so funcdeck does not fake one.
//! Offline is Knative's own switch instead: the label `networking.knative.dev/visibility:
//! cluster-local` on the Service takes it off the external ingress (only callers inside the
//! cluster reach it), so with no external traffic its revisions scale to zero; config, revisions
//! and the split are untouched (changing the template would create a revision). An annotation
//! records what online must put back: the label's previous value, if any, and when it went
//! offline. Online removes exactly what offline wrote. Both are merge patches of `metadata`
//! carrying the resourceVersion read, so a change made meanwhile is a 409, not overwritten.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::knative::Service;
use crate::revisions::RevisionSummary;

/// Knative's label selecting the ingress a Service is exposed on.
pub const VISIBILITY_LABEL: &str = "networking.knative.dev/visibility";
/// Its value for "inside the cluster only".
pub const CLUSTER_LOCAL: &str = "cluster-local";
/// funcdeck's record of an offline function: what online restores.
pub const OFFLINE_ANNOTATION: &str = "funcdeck.dev/offline";

/// The annotation's value (JSON): the visibility label before offline (absent: none) and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfflineRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_visibility: Option<String>,
    pub since: String,
}

/// How a function can be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reachability {
    Online,
    /// Taken offline by funcdeck (label and annotation); `since` as recorded.
    Offline {
        since: Option<String>,
    },
    /// Cluster-local by its own label, not funcdeck's doing.
    ClusterLocal,
}

pub fn reachability(service: &Service) -> Reachability {
    let meta = &service.metadata;
    let label = meta.labels.as_ref().and_then(|l| l.get(VISIBILITY_LABEL));
    let record = meta
        .annotations
        .as_ref()
        .and_then(|a| a.get(OFFLINE_ANNOTATION));
    match (label.map(String::as_str), record) {
        (Some(CLUSTER_LOCAL), Some(record)) => Reachability::Offline {
            since: serde_json::from_str::<OfflineRecord>(record)
                .ok()
                .map(|r| r.since),
        },
        (Some(CLUSTER_LOCAL), None) => Reachability::ClusterLocal,
        _ => Reachability::Online,
    }
}

/// What offline or online writes, said before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct VisibilityPlan {
    /// The JSON merge patch (metadata only, with the resourceVersion read).
    pub patch: Value,
    /// Each write in words, e.g. `label networking.knative.dev/visibility=cluster-local`.
    pub writes: Vec<String>,
    /// Things the user should know (a revision that keeps pods despite no traffic).
    pub warnings: Vec<String>,
}

/// A plan, or why there is nothing to do (not an error: the function already is that way).
#[derive(Debug, Clone, PartialEq)]
pub enum VisibilityOutcome {
    Plan(VisibilityPlan),
    AlreadyDone(String),
}

/// Offline: the cluster-local label and the record of what it replaced.
pub fn plan_offline(
    service: &Service,
    revisions: &[RevisionSummary],
    now: DateTime<Utc>,
) -> VisibilityOutcome {
    let name = service.metadata.name.as_deref().unwrap_or_default();
    match reachability(service) {
        Reachability::Offline { .. } => {
            return VisibilityOutcome::AlreadyDone(format!(
                "function \"{name}\" is already offline; nothing was written"
            ));
        }
        Reachability::ClusterLocal => {
            return VisibilityOutcome::AlreadyDone(format!(
                "function \"{name}\" is already cluster-local (its own label \
                 {VISIBILITY_LABEL}={CLUSTER_LOCAL}): no external traffic reaches it; nothing was written"
            ));
        }
        Reachability::Online => {}
    }
    let previous = service
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(VISIBILITY_LABEL))
        .cloned();
    let record = OfflineRecord {
        previous_visibility: previous,
        since: now.to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    let record = serde_json::to_string(&record).unwrap_or_default();
    let patch = metadata_patch(
        service,
        json!({ VISIBILITY_LABEL: CLUSTER_LOCAL }),
        json!({ OFFLINE_ANNOTATION: record }),
    );
    VisibilityOutcome::Plan(VisibilityPlan {
        patch,
        writes: vec![
            format!("label {VISIBILITY_LABEL}={CLUSTER_LOCAL}"),
            format!("annotation {OFFLINE_ANNOTATION}={record}"),
        ],
        warnings: min_scale_warnings(service, revisions),
    })
}

/// Online: the label back as it was (or removed) and the record removed.
pub fn plan_online(service: &Service) -> VisibilityOutcome {
    let name = service.metadata.name.as_deref().unwrap_or_default();
    let meta = &service.metadata;
    let Some(record) = meta
        .annotations
        .as_ref()
        .and_then(|a| a.get(OFFLINE_ANNOTATION))
    else {
        let words = match reachability(service) {
            Reachability::ClusterLocal => format!(
                "function \"{name}\" was not taken offline by funcdeck; it is cluster-local by \
                 its own label {VISIBILITY_LABEL}={CLUSTER_LOCAL}, which online leaves alone; \
                 nothing was written"
            ),
            _ => format!("function \"{name}\" is already online; nothing was written"),
        };
        return VisibilityOutcome::AlreadyDone(words);
    };
    let mut warnings = Vec::new();
    let previous = match serde_json::from_str::<OfflineRecord>(record) {
        Ok(record) => record.previous_visibility,
        Err(_) => {
            warnings.push(format!(
                "the annotation {OFFLINE_ANNOTATION} is not what funcdeck wrote; the label is removed"
            ));
            None
        }
    };
    let label = meta.labels.as_ref().and_then(|l| l.get(VISIBILITY_LABEL));
    let mut writes = Vec::new();
    let labels = if label.map(String::as_str) == Some(CLUSTER_LOCAL) {
        match &previous {
            Some(value) => {
                writes.push(format!(
                    "label {VISIBILITY_LABEL}={value} (as before offline)"
                ));
                json!({ VISIBILITY_LABEL: value })
            }
            None => {
                writes.push(format!("label {VISIBILITY_LABEL} removed"));
                json!({ VISIBILITY_LABEL: null })
            }
        }
    } else {
        // Someone changed the label since: theirs stays.
        warnings.push(format!(
            "the label {VISIBILITY_LABEL} was changed since the function went offline; it is left as it is"
        ));
        json!({})
    };
    writes.push(format!("annotation {OFFLINE_ANNOTATION} removed"));
    VisibilityOutcome::Plan(VisibilityPlan {
        patch: metadata_patch(service, labels, json!({ OFFLINE_ANNOTATION: null })),
        writes,
        warnings,
    })
}

fn metadata_patch(service: &Service, labels: Value, annotations: Value) -> Value {
    let mut metadata = json!({ "labels": labels, "annotations": annotations });
    if let Some(rv) = &service.metadata.resource_version {
        metadata["resourceVersion"] = json!(rv);
    }
    if metadata["labels"].as_object().is_some_and(|l| l.is_empty())
        && let Some(m) = metadata.as_object_mut()
    {
        m.remove("labels");
    }
    json!({ "metadata": metadata })
}

/// Routed revisions whose minimum scale keeps pods running with no traffic.
pub fn min_scale_warnings(service: &Service, revisions: &[RevisionSummary]) -> Vec<String> {
    let routed: Vec<&str> = service
        .status
        .as_ref()
        .and_then(|s| s.traffic.as_deref())
        .unwrap_or(&[])
        .iter()
        .filter(|t| t.percent.unwrap_or(0) > 0)
        .filter_map(|t| t.revision_name.as_deref())
        .collect();
    revisions
        .iter()
        .filter(|r| routed.contains(&r.key.name.as_str()))
        .filter_map(|r| {
            let min = r.min_scale.filter(|m| *m > 0)?;
            Some(format!(
                "revision {} keeps {min} pod{} running without traffic \
                 (autoscaling.knative.dev/min-scale: {min})",
                r.key.name,
                if min == 1 { "" } else { "s" }
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
