//! `PodSummary`: one row of a pod table, with the status word kubectl would print and the
//! container states that explain a failure (what it waits for, how it last died).

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use serde::Serialize;

use crate::condition::non_empty;
use crate::key::ObjectKey;
use crate::labels;
use crate::time::from_time;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodSummary {
    pub key: ObjectKey,
    /// Labels `serving.knative.dev/service` and `serving.knative.dev/revision`.
    pub function: Option<String>,
    pub revision: Option<String>,
    /// `status.phase` (`Pending`, `Running`, …).
    pub phase: Option<String>,
    pub ready_containers: u32,
    pub total_containers: u32,
    /// Restarts summed over all containers.
    pub restarts: u32,
    /// The word in kubectl's STATUS column: `CrashLoopBackOff`, `ImagePullBackOff`,
    /// `ContainerCreating`, `Terminating`, `Running`, …
    pub status: String,
    /// The first container that waits with a reason.
    pub waiting: Option<ContainerWaiting>,
    /// How the container that crashed last terminated.
    pub last_termination: Option<Termination>,
    pub node: Option<String>,
    pub created: Option<DateTime<Utc>>,
}

/// A container that is not running yet, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerWaiting {
    pub container: String,
    pub image: Option<String>,
    pub reason: Option<String>,
    /// The kubelet's message (e.g. `Back-off pulling image "…"`).
    pub message: Option<String>,
}

/// A container's last exit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Termination {
    pub container: String,
    pub reason: Option<String>,
    pub exit_code: i32,
    pub signal: Option<i32>,
    /// What the container wrote as its termination message (or its last log lines).
    pub message: Option<String>,
    /// That container's restart count.
    pub restarts: u32,
}

impl PodSummary {
    /// Never panics: any missing part of a partial object just leaves its field empty.
    pub fn from_pod(pod: &Pod) -> Self {
        let meta = &pod.metadata;
        let label = |k: &str| meta.labels.as_ref()?.get(k).cloned();
        let status = pod.status.as_ref();
        let containers = status
            .and_then(|s| s.container_statuses.as_deref())
            .unwrap_or_default();
        let init = status
            .and_then(|s| s.init_container_statuses.as_deref())
            .unwrap_or_default();
        let total = pod
            .spec
            .as_ref()
            .map_or(containers.len(), |s| s.containers.len());
        let restarts = containers
            .iter()
            .chain(init)
            .map(|c| count(c.restart_count))
            .sum();
        Self {
            key: ObjectKey::of(pod),
            function: label(labels::SERVICE),
            revision: label(labels::REVISION),
            phase: status.and_then(|s| non_empty(s.phase.as_deref())),
            ready_containers: u32::try_from(containers.iter().filter(|c| c.ready).count())
                .unwrap_or(u32::MAX),
            total_containers: u32::try_from(total).unwrap_or(u32::MAX),
            restarts,
            status: status_word(pod, containers, init),
            waiting: waiting(pod, containers),
            last_termination: last_termination(containers),
            node: pod
                .spec
                .as_ref()
                .and_then(|s| non_empty(s.node_name.as_deref())),
            created: meta.creation_timestamp.as_ref().and_then(from_time),
        }
    }

    /// `"1/2"`, as kubectl's READY column.
    pub fn ready_text(&self) -> String {
        format!("{}/{}", self.ready_containers, self.total_containers)
    }
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// kubectl's `printPod`: the pod's reason or phase, overridden by an init container still at
/// work, else by the first container that waits or terminated; `Terminating` while deleted.
fn status_word(pod: &Pod, containers: &[ContainerStatus], init: &[ContainerStatus]) -> String {
    let status = pod.status.as_ref();
    let mut word = status
        .and_then(|s| non_empty(s.reason.as_deref()))
        .or_else(|| status.and_then(|s| non_empty(s.phase.as_deref())))
        .unwrap_or_else(|| "Unknown".to_owned());
    let init_total = pod
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_ref())
        .map_or(init.len(), Vec::len);
    let mut initializing = false;
    for (i, c) in init.iter().enumerate() {
        let state = c.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting_reason = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| non_empty(w.reason.as_deref()));
        match (terminated, waiting_reason) {
            (Some(t), _) if t.exit_code == 0 => continue,
            (Some(t), _) => {
                word = match (non_empty(t.reason.as_deref()), t.signal) {
                    (Some(r), _) => format!("Init:{r}"),
                    (None, Some(sig)) if sig != 0 => format!("Init:Signal:{sig}"),
                    (None, _) => format!("Init:ExitCode:{}", t.exit_code),
                };
            }
            (None, Some(r)) if r != "PodInitializing" => word = format!("Init:{r}"),
            _ => word = format!("Init:{i}/{init_total}"),
        }
        initializing = true;
        break;
    }
    if !initializing {
        let mut has_running = false;
        // Backwards, overwriting: the first container with something to say has the last word.
        for c in containers.iter().rev() {
            let state = c.state.as_ref();
            let waiting = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| non_empty(w.reason.as_deref()));
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(reason) = waiting {
                word = reason;
            } else if let Some(t) = terminated {
                word = match (non_empty(t.reason.as_deref()), t.signal) {
                    (Some(r), _) => r,
                    (None, Some(sig)) if sig != 0 => format!("Signal:{sig}"),
                    (None, _) => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
            }
        }
        if word == "Completed" && has_running {
            let ready = status
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            word = if ready { "Running" } else { "NotReady" }.to_owned();
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        word = if status.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            "Unknown".to_owned()
        } else {
            "Terminating".to_owned()
        };
    }
    word
}

fn waiting(pod: &Pod, containers: &[ContainerStatus]) -> Option<ContainerWaiting> {
    containers.iter().find_map(|c| {
        let w = c.state.as_ref()?.waiting.as_ref()?;
        let reason = non_empty(w.reason.as_deref())?;
        let spec_image = || {
            pod.spec
                .as_ref()?
                .containers
                .iter()
                .find(|s| s.name == c.name)
                .and_then(|s| non_empty(s.image.as_deref()))
        };
        Some(ContainerWaiting {
            container: c.name.clone(),
            image: non_empty(Some(c.image.as_str())).or_else(spec_image),
            reason: Some(reason),
            message: non_empty(w.message.as_deref()),
        })
    })
}

/// The container in a crash loop if there is one, else the one that restarted most, else one
/// that exited with an error and stays down.
fn last_termination(containers: &[ContainerStatus]) -> Option<Termination> {
    let crash_looping = |c: &ContainerStatus| {
        c.state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
            == Some("CrashLoopBackOff")
    };
    let termination = |c: &ContainerStatus| {
        let current = c
            .state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .filter(|t| t.exit_code != 0);
        let last = c.last_state.as_ref().and_then(|s| s.terminated.as_ref());
        current.or(last).map(|t| Termination {
            container: c.name.clone(),
            reason: non_empty(t.reason.as_deref()),
            exit_code: t.exit_code,
            signal: t.signal.filter(|s| *s != 0),
            message: non_empty(t.message.as_deref()),
            restarts: count(c.restart_count),
        })
    };
    containers
        .iter()
        .filter_map(|c| Some((crash_looping(c), termination(c)?)))
        .max_by_key(|(looping, t)| (*looping, t.restarts))
        .map(|(_, t)| t)
}

#[cfg(test)]
mod tests;
