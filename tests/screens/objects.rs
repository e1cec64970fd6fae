//! Knative and Kubernetes objects shaped like what the controllers and the kubelet write, built
//! from JSON so every field goes through the same deserializers as a real watch.
//!
//! Shared by the screen snapshots (`tests/screens`) and the view transition tests under `src/`
//! (included there by path), so both see the same functions. Times are minutes before the
//! pinned test clock (2026-11-27 12:00 UTC), so ages on screen never change.
#![allow(dead_code)]

use chrono::{Duration, TimeZone, Utc};
use funcdeck_core::events::EventSummary;
use funcdeck_core::knative::{Revision, Service};
use funcdeck_core::pods::PodSummary;
use funcdeck_core::revisions::RevisionSummary;
use k8s_openapi::api::core::v1::{Event, Pod};
use serde_json::{Value, json};

/// An RFC 3339 time `minutes` before the pinned clock.
pub fn ago(minutes: i64) -> String {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
        .single()
        .unwrap_or_default();
    (now - Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `cart-00002` for function `cart`, revision 2.
pub fn revision_name(function: &str, number: u32) -> String {
    format!("{function}-{number:05}")
}

/// The conditions of a Service whose every part is ready.
pub fn service_ready() -> Value {
    json!([
        {"type": "ConfigurationsReady", "status": "True", "lastTransitionTime": ago(50)},
        {"type": "Ready", "status": "True", "lastTransitionTime": ago(50)},
        {"type": "RoutesReady", "status": "True", "lastTransitionTime": ago(50)}
    ])
}

/// The conditions of a Service whose latest revision failed: `reason` and `message` as the
/// revision's Ready condition says them.
pub fn service_failing(latest: &str, reason: &str, message: &str) -> Value {
    json!([
        {"type": "ConfigurationsReady", "status": "False", "reason": reason,
         "message": message, "lastTransitionTime": ago(20)},
        {"type": "Ready", "status": "False", "reason": "RevisionMissing",
         "message": format!("Configuration \"{latest}\" does not have any ready Revision."),
         "lastTransitionTime": ago(20)},
        {"type": "RoutesReady", "status": "True", "lastTransitionTime": ago(3 * 24 * 60)}
    ])
}

/// All traffic to one revision, following the latest.
pub fn all_to(revision: &str) -> Value {
    json!([{"revisionName": revision, "percent": 100, "latestRevision": true}])
}

pub fn service(
    namespace: &str,
    name: &str,
    latest_created: &str,
    latest_ready: Option<&str>,
    conditions: Value,
    traffic: Value,
) -> Service {
    serde_json::from_value(json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {
            "namespace": namespace, "name": name, "generation": 2, "uid": "0c1e5f0a-1",
            "creationTimestamp": ago(3 * 24 * 60)
        },
        "spec": {
            "template": {"spec": {"containers": [{"image": format!("ghcr.io/acme/{name}:2")}]}},
            "traffic": [{"latestRevision": true, "percent": 100}]
        },
        "status": {
            "observedGeneration": 2,
            "url": format!("http://{name}.{namespace}.example.com"),
            "address": {"url": format!("http://{name}.{namespace}.svc.cluster.local")},
            "latestCreatedRevisionName": latest_created,
            "latestReadyRevisionName": latest_ready,
            "conditions": conditions,
            "traffic": traffic
        }
    }))
    .expect("service")
}

/// The conditions of a revision that serves.
pub fn revision_ready() -> Value {
    json!([
        {"type": "Active", "status": "True", "lastTransitionTime": ago(40)},
        {"type": "ContainerHealthy", "status": "True", "lastTransitionTime": ago(40)},
        {"type": "Ready", "status": "True", "lastTransitionTime": ago(40)},
        {"type": "ResourcesAvailable", "status": "True", "lastTransitionTime": ago(40)}
    ])
}

/// A ready revision whose pods were scaled away for want of requests.
pub fn revision_idle() -> Value {
    json!([
        {"type": "Active", "status": "False", "reason": "NoTraffic",
         "message": "The target is not receiving traffic.", "lastTransitionTime": ago(30)},
        {"type": "ContainerHealthy", "status": "True", "lastTransitionTime": ago(90)},
        {"type": "Ready", "status": "True", "lastTransitionTime": ago(90)},
        {"type": "ResourcesAvailable", "status": "True", "lastTransitionTime": ago(90)}
    ])
}

/// A revision that is not ready for `reason`: `message`.
pub fn revision_failed(reason: &str, message: &str) -> Value {
    json!([
        {"type": "ContainerHealthy", "status": "False", "reason": reason, "message": message,
         "lastTransitionTime": ago(20)},
        {"type": "Ready", "status": "False", "reason": reason, "message": message,
         "lastTransitionTime": ago(20)},
        {"type": "ResourcesAvailable", "status": "Unknown", "reason": "Deploying",
         "lastTransitionTime": ago(20)}
    ])
}

/// Revision `number` of `function`, created `minutes` ago, running `image`.
pub fn revision(
    namespace: &str,
    function: &str,
    number: u32,
    minutes: i64,
    image: &str,
    conditions: Value,
) -> Revision {
    let name = revision_name(function, number);
    serde_json::from_value(json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Revision",
        "metadata": {
            "namespace": namespace, "name": name, "generation": 1,
            "creationTimestamp": ago(minutes),
            "labels": {
                "serving.knative.dev/service": function,
                "serving.knative.dev/configuration": function,
                "serving.knative.dev/configurationGeneration": number.to_string(),
                "serving.knative.dev/routingState": "active"
            },
            "annotations": {
                "autoscaling.knative.dev/max-scale": "5",
                "serving.knative.dev/creator": "dev@example.com"
            },
            "managedFields": [{"manager": "controller", "operation": "Update"}]
        },
        "spec": {
            "containerConcurrency": 0,
            "timeoutSeconds": 300,
            "containers": [{
                "name": "user-container", "image": image,
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}
            }]
        },
        "status": {
            "observedGeneration": 1,
            "conditions": conditions,
            "containerStatuses": [{"name": "user-container", "imageDigest": format!("{image}@sha256:0f3a")}]
        }
    }))
    .expect("revision")
}

pub fn summary_of(revision: &Revision) -> RevisionSummary {
    RevisionSummary::from_revision(revision)
}

/// A user container that runs and is ready.
pub fn running() -> Value {
    json!({"name": "user-container", "image": "i", "imageID": "", "ready": true,
           "restartCount": 0, "state": {"running": {"startedAt": ago(40)}}})
}

/// A user container in CrashLoopBackOff after exiting with `exit_code`, `restarts` times.
pub fn crash_looping(exit_code: i32, restarts: i32) -> Value {
    json!({
        "name": "user-container", "image": "i", "imageID": "", "ready": false,
        "restartCount": restarts,
        "state": {"waiting": {"reason": "CrashLoopBackOff",
            "message": "back-off 5m0s restarting failed container=user-container"}},
        "lastState": {"terminated": {"exitCode": exit_code, "reason": "Error",
            "startedAt": ago(3), "finishedAt": ago(3)}}
    })
}

/// A user container whose image cannot be pulled.
pub fn image_pull_backoff(image: &str) -> Value {
    json!({
        "name": "user-container", "image": image, "imageID": "", "ready": false,
        "restartCount": 0,
        "state": {"waiting": {"reason": "ImagePullBackOff",
            "message": format!("Back-off pulling image \"{image}\"")}}
    })
}

/// A pod of `revision` (of `function`) with the given user container status; its queue-proxy
/// is ready whenever the user container is.
pub fn pod(
    namespace: &str,
    function: &str,
    revision: &str,
    id: &str,
    minutes: i64,
    user: Value,
) -> PodSummary {
    let ready = user["ready"].as_bool().unwrap_or(false);
    let phase = if ready { "Running" } else { "Pending" };
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {
            "namespace": namespace, "name": format!("{revision}-deployment-7f9c8d6b5-{id}"),
            "creationTimestamp": ago(minutes),
            "labels": {"serving.knative.dev/service": function,
                       "serving.knative.dev/revision": revision}
        },
        "spec": {"nodeName": "worker-1", "containers": [
            {"name": "user-container", "image": "i"},
            {"name": "queue-proxy", "image": "queue"}
        ]},
        "status": {"phase": phase, "containerStatuses": [user, {
            "name": "queue-proxy", "image": "queue", "imageID": "", "ready": ready,
            "restartCount": 0, "state": {"running": {"startedAt": ago(minutes)}}
        }]}
    }))
    .expect("pod");
    PodSummary::from_pod(&pod)
}

/// An event about `kind/name`, last seen `minutes` ago.
pub fn event(
    namespace: &str,
    kind: &str,
    name: &str,
    type_: &str,
    reason: &str,
    message: &str,
    minutes: i64,
) -> EventSummary {
    let event: Event = serde_json::from_value(json!({
        "metadata": {"namespace": namespace, "name": format!("{name}.{reason}.{minutes}")},
        "involvedObject": {"kind": kind, "name": name, "namespace": namespace},
        "type": type_, "reason": reason, "message": message, "count": 1,
        "firstTimestamp": ago(minutes), "lastTimestamp": ago(minutes),
        "source": {"component": if kind == "Pod" { "kubelet" } else { "knative-serving" }}
    }))
    .expect("event");
    EventSummary::from_event(&event)
}

/// The server's words when a user may not list events.
pub fn events_forbidden(namespace: &str) -> funcdeck_core::error::CoreError {
    funcdeck_core::error::CoreError::Forbidden {
        message: format!(
            "events is forbidden: User \"dev\" cannot list resource \"events\" in API group \"\" in the namespace \"{namespace}\""
        ),
    }
}

/// A healthy function `shop/cart`: two ready revisions, 90% on the newest and 10% on the
/// older one tagged `canary`, two running pods of the newest and one of the older, and a few
/// Normal events.
pub struct Healthy {
    pub service: Service,
    pub revisions: Vec<Revision>,
    pub pods: Vec<PodSummary>,
    pub events: Vec<EventSummary>,
}

pub fn healthy() -> Healthy {
    let (ns, f) = ("shop", "cart");
    let (old, new) = (revision_name(f, 1), revision_name(f, 2));
    let traffic = json!([
        {"revisionName": new, "percent": 90, "latestRevision": true},
        {"revisionName": old, "percent": 10, "latestRevision": false, "tag": "canary",
         "url": "http://canary-cart.shop.example.com"}
    ]);
    Healthy {
        service: service(ns, f, &new, Some(&new), service_ready(), traffic),
        revisions: vec![
            revision(
                ns,
                f,
                1,
                2 * 24 * 60,
                "ghcr.io/acme/cart:1.4.0",
                revision_ready(),
            ),
            revision(ns, f, 2, 45, "ghcr.io/acme/cart:1.5.0", revision_ready()),
        ],
        pods: vec![
            pod(ns, f, &new, "abcde", 44, running()),
            pod(ns, f, &new, "fghij", 12, running()),
            pod(ns, f, &old, "klmno", 2 * 24 * 60, running()),
        ],
        events: vec![
            event(
                ns,
                "Revision",
                &new,
                "Normal",
                "RevisionReady",
                "Revision becomes ready upon all resources being ready",
                44,
            ),
            event(
                ns,
                "Pod",
                &format!("{new}-deployment-7f9c8d6b5-fghij"),
                "Normal",
                "Started",
                "Started container user-container",
                12,
            ),
            event(
                ns,
                "Service",
                f,
                "Normal",
                "Updated",
                "Updated Service \"cart\"",
                46,
            ),
        ],
    }
}
