//! The data plane a real cluster would run under Knative: one pod per revision that should have
//! one (ready and routed, deploying, or failing in a back-off loop), with kubelet-style statuses
//! and events. Pods are owned by their Revision so deleting a Service garbage-collects them.
//! (Upstream pods are owned by a ReplicaSet of a Deployment; we skip those two layers.)

use serde_json::Value;

mod pod;

use pod::{make_pod, status_for};

use crate::events;
use crate::knative::revision::{ImageFate, digest_ref, image_fate, image_of, rng_for};
use crate::knative::{Controller, L_ROUTING_STATE};
use crate::obj;
use crate::resources::Res;
use crate::write::{DeleteOptions, WriteOp};

pub const NODE: &str = "sandbox-worker";
pub(crate) const QUEUE_IMAGE: &str = "gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:0e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PodState {
    Creating,
    Running,
    ImagePullBackOff,
    CrashLoopBackOff,
}

fn desired(rev: &Value) -> Option<PodState> {
    let fate = image_fate(&image_of(rev));
    match obj::condition_status(rev, "Ready") {
        Some("True") => match obj::label(rev, L_ROUTING_STATE) {
            Some("reserve") => None,
            _ => Some(PodState::Running),
        },
        Some("False") => match fate {
            ImageFate::Missing => Some(PodState::ImagePullBackOff),
            _ => Some(PodState::CrashLoopBackOff),
        },
        _ if fate == ImageFate::Missing => None,
        _ => Some(PodState::Creating),
    }
}

fn pod_name(rev: &Value) -> String {
    let mut rng = rng_for(obj::uid(rev));
    format!(
        "{}-deployment-{}-{}",
        obj::name(rev),
        rng.name_suffix(10),
        rng.name_suffix(5)
    )
}

fn pod_events(ctl: &Controller, pod: &Value, state: PodState, image: &str) {
    let ns = obj::namespace(pod);
    let name = obj::name(pod);
    let kubelet = "kubelet";
    match state {
        PodState::Creating => events::record(
            ctl,
            pod,
            "Normal",
            "Scheduled",
            &format!("Successfully assigned {ns}/{name} to {NODE}"),
            "default-scheduler",
        ),
        PodState::Running => {
            events::record(
                ctl,
                pod,
                "Normal",
                "Pulled",
                &format!(
                    "Container image \"{}\" already present on machine",
                    digest_ref(image)
                ),
                kubelet,
            );
            events::record(
                ctl,
                pod,
                "Normal",
                "Created",
                "Created container: user-container",
                kubelet,
            );
            events::record(
                ctl,
                pod,
                "Normal",
                "Started",
                "Started container user-container",
                kubelet,
            );
        }
        PodState::ImagePullBackOff => {
            events::record(
                ctl,
                pod,
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
                kubelet,
            );
            events::record(
                ctl,
                pod,
                "Warning",
                "Failed",
                &format!(
                    "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"
                ),
                kubelet,
            );
            events::record(
                ctl,
                pod,
                "Normal",
                "BackOff",
                &format!("Back-off pulling image \"{image}\""),
                kubelet,
            );
        }
        PodState::CrashLoopBackOff => {
            events::record(
                ctl,
                pod,
                "Warning",
                "BackOff",
                &format!(
                    "Back-off restarting failed container user-container in pod {name}_{ns}({})",
                    obj::uid(pod)
                ),
                kubelet,
            );
        }
    }
}

fn state_of(pod: &Value) -> Option<PodState> {
    let waiting = obj::at(pod, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|c| obj::str_at(c, &["state", "waiting", "reason"]));
    match (obj::str_at(pod, &["status", "phase"]), waiting) {
        (_, Some("ContainerCreating")) => Some(PodState::Creating),
        (_, Some("ImagePullBackOff")) => Some(PodState::ImagePullBackOff),
        (_, Some("CrashLoopBackOff")) => Some(PodState::CrashLoopBackOff),
        (Some("Running"), None) => Some(PodState::Running),
        _ => None,
    }
}

/// Brings the revision's pod in line with its status and routing state.
pub fn sync(ctl: &Controller, rev: &Value) {
    let ns = obj::namespace(rev);
    let want = desired(rev);
    let pods: Vec<_> = {
        let t = ctl.store.txn();
        t.dependents(obj::uid(rev))
            .into_iter()
            .filter(|(r, _)| *r == Res::Pod)
            .filter_map(|(r, (n, k))| t.get(r, &n, &k))
            .collect()
    };
    let name = pod_name(rev);
    for p in &pods {
        if want.is_none() || obj::name(p) != name {
            let _ = ctl.commit(WriteOp::Delete {
                res: Res::Pod,
                namespace: ns.to_string(),
                name: obj::name(p).to_string(),
                options: DeleteOptions::default(),
            });
        }
    }
    let Some(want) = want else {
        return;
    };
    let image = image_of(rev);
    let now = ctl.now_str();
    match pods.iter().find(|p| obj::name(p) == name) {
        Some(p) if state_of(p) == Some(want) => {}
        Some(p) => {
            let status = status_for(want, &name, ns, &image, obj::uid(rev), &now);
            ctl.write_status(Res::Pod, p, status);
            pod_events(ctl, p, want, &image);
        }
        None => {
            if let Some(p) = ctl.create(Res::Pod, ns, make_pod(rev, &name, want, &now)) {
                if want != PodState::Creating {
                    pod_events(ctl, &p, PodState::Creating, &image);
                }
                pod_events(ctl, &p, want, &image);
            }
        }
    }
}
