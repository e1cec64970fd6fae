//! The events the kubelet, scheduler and replica set controller would record for our pods.

use serde_json::Value;

use super::{NODE, PodState};
use crate::events::record;
use crate::knative::Controller;
use crate::knative::revision::digest_ref;
use crate::obj;

const RS_CONTROLLER: &str = "replicaset-controller";

pub(super) fn pod(ctl: &Controller, pod: &Value, state: PodState, image: &str) {
    let ns = obj::namespace(pod);
    let name = obj::name(pod);
    let kubelet = "kubelet";
    match state {
        PodState::Pending => record(
            ctl,
            pod,
            "Normal",
            "Scheduled",
            &format!("Successfully assigned {ns}/{name} to {NODE}"),
            "default-scheduler",
        ),
        PodState::Creating => {}
        PodState::Running => {
            let pulled = format!(
                "Container image \"{}\" already present on machine",
                digest_ref(image)
            );
            record(ctl, pod, "Normal", "Pulled", &pulled, kubelet);
            let created = "Created container: user-container";
            record(ctl, pod, "Normal", "Created", created, kubelet);
            let started = "Started container user-container";
            record(ctl, pod, "Normal", "Started", started, kubelet);
        }
        PodState::ImagePullBackOff => {
            let pulling = format!("Pulling image \"{image}\"");
            record(ctl, pod, "Normal", "Pulling", &pulling, kubelet);
            let failed = format!(
                "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"
            );
            record(ctl, pod, "Warning", "Failed", &failed, kubelet);
            let backoff = format!("Back-off pulling image \"{image}\"");
            record(ctl, pod, "Normal", "BackOff", &backoff, kubelet);
        }
        PodState::CrashLoopBackOff => crash(ctl, pod),
    }
}

/// Recorded again on every restart; the event coalesces (count, lastTimestamp).
pub(super) fn crash(ctl: &Controller, pod: &Value) {
    let msg = format!(
        "Back-off restarting failed container user-container in pod {}_{}({})",
        obj::name(pod),
        obj::namespace(pod),
        obj::uid(pod)
    );
    record(ctl, pod, "Warning", "BackOff", &msg, "kubelet");
}

/// The replica set controller's events on its ReplicaSet.
pub(super) fn created(ctl: &Controller, rs: &Value, pod: &str) {
    let msg = format!("Created pod: {pod}");
    record(ctl, rs, "Normal", "SuccessfulCreate", &msg, RS_CONTROLLER);
}

pub(super) fn deleted(ctl: &Controller, rs: &Value, pod: &str) {
    let msg = format!("Deleted pod: {pod}");
    record(ctl, rs, "Normal", "SuccessfulDelete", &msg, RS_CONTROLLER);
}

/// A pod create refused by the apiserver (`error` is the Status message, e.g. a quota's).
pub(super) fn failed_create(ctl: &Controller, rs: &Value, error: &str) {
    let msg = format!("Error creating: {error}");
    record(ctl, rs, "Warning", "FailedCreate", &msg, RS_CONTROLLER);
}
