//! Pod objects and kubelet-style statuses for each simulated pod state.

use serde_json::{Map, Value, json};

use super::{NODE, POD_TEMPLATE_HASH, PodState, QUEUE_IMAGE};
use crate::knative::revision::{digest_ref, image_of, rng_for};
use crate::knative::{
    L_CONFIGURATION, L_CONFIGURATION_GEN, L_CONFIGURATION_UID, L_REVISION, L_REVISION_UID,
    L_SERVICE, L_SERVICE_UID,
};
use crate::obj;

fn container_status(
    name: &str,
    image: &str,
    state: Value,
    ready: bool,
    restarts: u64,
    last: Value,
) -> Value {
    json!({
        "name": name,
        "image": image,
        "imageID": if state.get("running").is_some() || state.get("waiting").and_then(|w| w.get("reason")) == Some(&json!("CrashLoopBackOff")) { json!(image) } else { json!("") },
        "ready": ready,
        "started": state.get("running").is_some(),
        "restartCount": restarts,
        "state": state,
        "lastState": last,
    })
}

/// The pod's IP, a function of its name (traces name the same pod by it).
pub(crate) fn pod_ip(pod: &str) -> String {
    let mut rng = rng_for(pod);
    format!("10.244.{}.{}", rng.range(0, 3), rng.range(2, 254))
}

/// The pod status for `state`. A crash-looping container's restart count, back-off message
/// and last termination are filled in by `tick::crashed`, which knows the pod's uid.
pub(super) fn status_for(state: PodState, pod: &str, image: &str, now: &str) -> Value {
    let ip = pod_ip(pod);
    let running = json!({"running": {"startedAt": now}});
    let user_img = digest_ref(image);
    if state == PodState::Pending {
        return json!({
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now}],
            "qosClass": "Burstable",
        });
    }
    let (phase, user, queue, ready) = match state {
        PodState::Pending | PodState::Creating => (
            "Pending",
            container_status(
                "user-container",
                image,
                json!({"waiting": {"reason": "ContainerCreating"}}),
                false,
                0,
                json!({}),
            ),
            container_status(
                "queue-proxy",
                QUEUE_IMAGE,
                json!({"waiting": {"reason": "ContainerCreating"}}),
                false,
                0,
                json!({}),
            ),
            false,
        ),
        PodState::Running => (
            "Running",
            container_status(
                "user-container",
                &user_img,
                running.clone(),
                true,
                0,
                json!({}),
            ),
            container_status(
                "queue-proxy",
                QUEUE_IMAGE,
                running.clone(),
                true,
                0,
                json!({}),
            ),
            true,
        ),
        PodState::ImagePullBackOff => (
            "Pending",
            container_status(
                "user-container",
                image,
                json!({"waiting": {"reason": "ImagePullBackOff", "message": format!("Back-off pulling image \"{image}\"")}}),
                false,
                0,
                json!({}),
            ),
            container_status(
                "queue-proxy",
                QUEUE_IMAGE,
                running.clone(),
                false,
                0,
                json!({}),
            ),
            false,
        ),
        PodState::CrashLoopBackOff => (
            "Running",
            container_status(
                "user-container",
                &user_img,
                json!({"waiting": {"reason": "CrashLoopBackOff"}}),
                false,
                0,
                json!({}),
            ),
            container_status(
                "queue-proxy",
                QUEUE_IMAGE,
                running.clone(),
                false,
                0,
                json!({}),
            ),
            false,
        ),
    };
    let cond = |t: &str, ok: bool| json!({"type": t, "status": if ok { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": now});
    let scheduled = true;
    let initialized = state != PodState::Creating;
    json!({
        "phase": phase,
        "conditions": [
            cond("PodReadyToStartContainers", initialized),
            cond("Initialized", true),
            cond("Ready", ready),
            cond("ContainersReady", ready),
            cond("PodScheduled", scheduled),
        ],
        "hostIP": "172.18.0.2",
        "hostIPs": [{"ip": "172.18.0.2"}],
        "podIP": if state == PodState::Creating { Value::Null } else { json!(ip) },
        "startTime": now,
        "containerStatuses": [user, queue],
        "qosClass": "Burstable",
    })
}

/// The labels Knative puts on the revision's Deployment and its pod template (`makeLabels`):
/// the revision's own (minus routing state), its name and UID, and `app`.
pub(super) fn template_labels(rev: &Value) -> Map<String, Value> {
    let mut labels = Map::new();
    labels.insert("app".into(), json!(obj::name(rev)));
    for k in [
        L_CONFIGURATION,
        L_CONFIGURATION_GEN,
        L_CONFIGURATION_UID,
        L_SERVICE,
        L_SERVICE_UID,
    ] {
        if let Some(v) = obj::label(rev, k) {
            labels.insert(k.into(), json!(v));
        }
    }
    labels.insert(L_REVISION.into(), json!(obj::name(rev)));
    labels.insert(L_REVISION_UID.into(), json!(obj::uid(rev)));
    labels
}

/// The annotations on the pod template (and so on every pod). `kubectl logs POD` reads the
/// default container from `kubectl.kubernetes.io/default-container`: the user's, not the sidecar.
pub(super) fn template_annotations(rev: &Value) -> Value {
    json!({
        "serving.knative.dev/creator": obj::at(rev, &["metadata", "annotations", "serving.knative.dev/creator"]).cloned().unwrap_or(json!("system:serviceaccount:knative-serving:controller")),
        "kubectl.kubernetes.io/default-container": "user-container",
    })
}

/// The pod spec of the revision's template; `image` is what the user container runs (the
/// resolved digest, or the tag when it could not be resolved).
pub(super) fn pod_spec(rev: &Value, image: &str) -> Value {
    let container = obj::at(rev, &["spec", "containers"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut env = vec![
        json!({"name": "PORT", "value": "8080"}),
        json!({"name": "K_REVISION", "value": obj::name(rev)}),
        json!({"name": "K_CONFIGURATION", "value": obj::label(rev, L_CONFIGURATION).unwrap_or("")}),
        json!({"name": "K_SERVICE", "value": obj::label(rev, L_SERVICE).unwrap_or("")}),
    ];
    if let Some(user_env) = container.get("env").and_then(Value::as_array) {
        env.extend(user_env.iter().cloned());
    }
    json!({
        "containers": [
            {
                "name": container.get("name").cloned().unwrap_or(json!("user-container")),
                "image": image,
                "ports": [{"name": "user-port", "containerPort": 8080, "protocol": "TCP"}],
                "env": env,
                "resources": container.get("resources").cloned().unwrap_or(json!({})),
                "terminationMessagePolicy": "FallbackToLogsOnError",
                "imagePullPolicy": "IfNotPresent",
            },
            {
                "name": "queue-proxy",
                "image": QUEUE_IMAGE,
                "ports": [
                    {"name": "http-queueadm", "containerPort": 8022, "protocol": "TCP"},
                    {"name": "http-autometric", "containerPort": 9090, "protocol": "TCP"},
                    {"name": "http-usermetric", "containerPort": 9091, "protocol": "TCP"},
                    {"name": "queue-port", "containerPort": 8012, "protocol": "TCP"}
                ],
                "resources": {"requests": {"cpu": "25m"}},
                "imagePullPolicy": "IfNotPresent",
            }
        ],
        "enableServiceLinks": false,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": obj::at(rev, &["spec", "timeoutSeconds"]).cloned().unwrap_or(json!(300)),
    })
}

/// A pod of the revision's ReplicaSet `rs`, as the replica set controller creates it from the
/// template: the template's labels plus `pod-template-hash`, owned by the ReplicaSet.
pub(super) fn make_pod(rev: &Value, rs: &Value, name: &str, state: PodState, now: &str) -> Value {
    let image = image_of(rev);
    let mut labels = template_labels(rev);
    if let Some(h) = obj::label(rs, POD_TEMPLATE_HASH) {
        labels.insert(POD_TEMPLATE_HASH.into(), json!(h));
    }
    let user_image = if state == PodState::ImagePullBackOff {
        image.clone()
    } else {
        digest_ref(&image)
    };
    let mut spec = pod_spec(rev, &user_image);
    spec["nodeName"] = json!(NODE);
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "generateName": format!("{}-", obj::name(rs)),
            "namespace": obj::namespace(rev),
            "labels": labels,
            "annotations": template_annotations(rev),
            "ownerReferences": [obj::controller_ref(rs)],
        },
        "spec": spec,
        "status": status_for(state, name, &image, now),
    })
}

/// The user container's `restartCount`.
pub(super) fn restart_count(pod: &Value) -> u64 {
    obj::at(pod, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|c| c.get("restartCount"))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

/// A container keeps its restart count and last termination across state changes of the
/// same pod (a crash loop that ends leaves `RESTARTS` where it was).
pub(super) fn carry_restarts(old: &Value, status: &mut Value) {
    let Some(prev) = obj::at(old, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    else {
        return;
    };
    if let Some(c) = status
        .pointer_mut("/containerStatuses/0")
        .and_then(Value::as_object_mut)
    {
        for k in ["restartCount", "lastState"] {
            if let Some(v) = prev.get(k) {
                c.insert(k.into(), v.clone());
            }
        }
    }
}
