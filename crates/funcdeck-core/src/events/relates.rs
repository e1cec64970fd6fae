//! Which events concern a function, by the names Knative gives what it creates for it.
//!
//! For function `f` with revision `f-00001`: the Service, Configuration, Route and Ingress
//! `f`; the Revision, PodAutoscaler and ServerlessService `f-00001`; the Deployment
//! `f-00001-deployment`, its ReplicaSets `f-00001-deployment-<hash>` and their pods
//! `f-00001-deployment-<hash>-<id>` (or any pod named `f-00001-…`).

use super::EventSummary;

/// Whether `event` is about function `function` or one of `revisions` (revision names).
pub fn relates_to_function(event: &EventSummary, function: &str, revisions: &[&str]) -> bool {
    let name = event.involved_name.as_str();
    if name.is_empty() {
        return false;
    }
    match event.involved_kind.as_str() {
        "Service" | "Configuration" | "Route" | "Ingress" | "Certificate" => name == function,
        _ => revisions.iter().any(|rev| relates_to_revision(event, rev)),
    }
}

/// Whether `event` is about revision `revision` or the workload that runs it.
pub fn relates_to_revision(event: &EventSummary, revision: &str) -> bool {
    let name = event.involved_name.as_str();
    if name.is_empty() || revision.is_empty() {
        return false;
    }
    let rest = name.strip_prefix(revision);
    match event.involved_kind.as_str() {
        "Revision" | "PodAutoscaler" | "ServerlessService" => name == revision,
        "Deployment" => rest == Some("-deployment"),
        "ReplicaSet" => rest
            .and_then(|r| r.strip_prefix("-deployment-"))
            .is_some_and(|hash| !hash.is_empty()),
        "Pod" => rest
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(|r| !r.is_empty()),
        _ => false,
    }
}
