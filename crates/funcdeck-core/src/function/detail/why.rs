//! Why a revision is not ready, in words a person acts on.
//!
//! The evidence is spread over three places: the pods' container states (what the kubelet
//! sees), the events (what a controller was refused) and the revision's own conditions (what
//! Knative concluded). The most specific explanation wins: a named image that cannot be pulled
//! or a container's exit code beats a quota refusal, which beats a deadline, which beats the
//! bare `Ready` reason.

use crate::condition::ConditionStatus;
use crate::events::{EventSummary, relates_to_revision};
use crate::pods::PodSummary;
use crate::revisions::RevisionSummary;

/// Waiting reasons that mean the kubelet cannot get the image.
const IMAGE_PULL: [&str; 4] = [
    "ImagePullBackOff",
    "ErrImagePull",
    "InvalidImageName",
    "ErrImageNeverPull",
];

/// `None` for a ready revision; otherwise the best explanation the evidence supports.
pub(super) fn explain(
    rev: &RevisionSummary,
    pods: &[&PodSummary],
    events: &[EventSummary],
) -> Option<String> {
    if rev.ready == ConditionStatus::True {
        return None;
    }
    let events: Vec<&EventSummary> = events
        .iter()
        .filter(|e| relates_to_revision(e, &rev.key.name))
        .collect();
    image_pull(rev, pods, &events)
        .or_else(|| crash_loop(pods))
        .or_else(|| refused(rev, &events))
        .or_else(|| progress_deadline(rev))
        .or_else(|| ready_reason(rev))
        .or_else(|| Some(no_reason(pods)))
}

fn image_pull(
    rev: &RevisionSummary,
    pods: &[&PodSummary],
    events: &[&EventSummary],
) -> Option<String> {
    let waiting = pods.iter().find_map(|p| {
        let w = p.waiting.as_ref()?;
        IMAGE_PULL.contains(&w.reason.as_deref()?).then_some((p, w))
    });
    if let Some((pod, w)) = waiting {
        let image = w.image.as_deref().or(rev.image.as_deref()).unwrap_or("?");
        // The kubelet's `Failed` event says what the registry answered; the waiting message
        // only says it is backing off.
        let failed = events.iter().find(|e| {
            e.is_warning()
                && e.involved_name == pod.key.name
                && matches!(e.reason.as_deref(), Some("Failed" | "ErrImagePull"))
        });
        let message = failed
            .and_then(|e| e.message.as_deref())
            .or(w.message.as_deref())
            .or(w.reason.as_deref())
            .unwrap_or("");
        return Some(format!("image {image} cannot be pulled: {message}"));
    }
    // No pod got as far as pulling: Knative could not resolve the image's digest.
    let missing = rev.conditions.iter().find(|c| {
        c.status == ConditionStatus::False && c.reason.as_deref() == Some("ContainerMissing")
    })?;
    let image = rev.image.as_deref().unwrap_or("?");
    let message = missing.message.as_deref().unwrap_or("ContainerMissing");
    Some(format!("image {image} cannot be pulled: {message}"))
}

fn crash_loop(pods: &[&PodSummary]) -> Option<String> {
    let t = pods
        .iter()
        .filter_map(|p| p.last_termination.as_ref())
        .filter(|t| t.restarts > 0 || t.exit_code != 0)
        .max_by_key(|t| t.restarts)?;
    let times = if t.restarts == 1 { "time" } else { "times" };
    let mut words = format!(
        "{} keeps crashing: exit code {}, restarted {} {times}",
        t.container, t.exit_code, t.restarts
    );
    if let Some(reason) = &t.reason {
        words.push_str("; last: ");
        words.push_str(reason);
    }
    Some(words)
}

/// A pod the ReplicaSet could not create: quota, or another admission refusal.
fn refused(rev: &RevisionSummary, events: &[&EventSummary]) -> Option<String> {
    let quota = |m: &str| m.contains("exceeded quota");
    let failed_create = events
        .iter()
        .filter(|e| e.is_warning() && e.reason.as_deref() == Some("FailedCreate"))
        .max_by_key(|e| e.last_seen);
    if let Some(e) = failed_create {
        let message = e.message.as_deref().unwrap_or("FailedCreate");
        return Some(if quota(message) {
            format!("a pod was refused by quota: {message}")
        } else {
            format!("a pod could not be created: {message}")
        });
    }
    let condition = rev
        .conditions
        .iter()
        .find_map(|c| c.message.as_deref().filter(|m| quota(m)))?;
    Some(format!("a pod was refused by quota: {condition}"))
}

fn progress_deadline(rev: &RevisionSummary) -> Option<String> {
    rev.conditions
        .iter()
        .any(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded"))
        .then(|| "did not become ready within the progress deadline".to_owned())
}

fn ready_reason(rev: &RevisionSummary) -> Option<String> {
    match (rev.reason.as_deref(), rev.message.as_deref()) {
        (Some(r), Some(m)) => Some(format!("{r}: {m}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

fn no_reason(pods: &[&PodSummary]) -> String {
    if pods.is_empty() {
        "not ready, and no pods are running".to_owned()
    } else {
        let ready = pods
            .iter()
            .filter(|p| p.total_containers > 0 && p.ready_containers == p.total_containers)
            .count();
        format!("not ready: {ready} of {} pods ready", pods.len())
    }
}
