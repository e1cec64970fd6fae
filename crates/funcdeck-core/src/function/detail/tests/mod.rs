//! FunctionDetail on recorded payloads and on built objects; shared builders here.

use k8s_openapi::api::core::v1::{Event, Pod};
use serde_json::{Value, json};

use super::{FunctionDetail, TrafficRow};
use crate::condition::ConditionStatus;
use crate::events::EventSummary;
use crate::function::Readiness;
use crate::knative::{Revision, Service};
use crate::pods::PodSummary;
use crate::revisions::RevisionSummary;
use crate::testing::fixture_items;

fn summaries(revs: &[Revision]) -> Vec<RevisionSummary> {
    revs.iter().map(RevisionSummary::from_revision).collect()
}

const NS: &str = "shop";
const FN: &str = "cart";

fn service(traffic: Value) -> Service {
    serde_json::from_value(json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"namespace": NS, "name": FN, "generation": 2},
        "spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/cart:2"}]}}},
        "status": {
            "observedGeneration": 2,
            "url": "http://cart.shop.example.com",
            "latestCreatedRevisionName": "cart-00002",
            "latestReadyRevisionName": "cart-00001",
            "conditions": [
                {"type": "ConfigurationsReady", "status": "False", "reason": "RevisionFailed",
                 "message": "Revision \"cart-00002\" failed"},
                {"type": "Ready", "status": "False", "reason": "RevisionFailed"},
                {"type": "RoutesReady", "status": "True"}
            ],
            "traffic": traffic
        }
    }))
    .expect("service")
}

fn revision(name: &str, created: &str, conditions: Value) -> RevisionSummary {
    let rev: Revision = serde_json::from_value(json!({
        "metadata": {
            "namespace": NS, "name": name, "creationTimestamp": created,
            "labels": {"serving.knative.dev/service": FN}
        },
        "spec": {"containers": [{"name": "user-container", "image": "ghcr.io/acme/cart:2"}]},
        "status": {"conditions": conditions}
    }))
    .expect("revision");
    RevisionSummary::from_revision(&rev)
}

fn ready_revision(name: &str, created: &str) -> RevisionSummary {
    revision(name, created, json!([{"type": "Ready", "status": "True"}]))
}

fn pod(revision: &str, id: &str, user: Value) -> PodSummary {
    let p: Pod = serde_json::from_value(json!({
        "metadata": {
            "namespace": NS, "name": format!("{revision}-deployment-7f9c-{id}"),
            "labels": {"serving.knative.dev/service": FN, "serving.knative.dev/revision": revision}
        },
        "spec": {"containers": [
            {"name": "user-container", "image": "ghcr.io/acme/cart:2"},
            {"name": "queue-proxy", "image": "queue"}
        ]},
        "status": {"phase": "Running", "containerStatuses": [user, {
            "name": "queue-proxy", "image": "queue", "imageID": "", "ready": true,
            "restartCount": 0, "state": {"running": {}}
        }]}
    }))
    .expect("pod");
    PodSummary::from_pod(&p)
}

fn healthy(revision: &str, id: &str) -> PodSummary {
    pod(
        revision,
        id,
        json!({"name": "user-container", "image": "i", "imageID": "", "ready": true,
               "restartCount": 0, "state": {"running": {}}}),
    )
}

fn event(
    kind: &str,
    name: &str,
    etype: &str,
    reason: &str,
    message: &str,
    last: &str,
) -> EventSummary {
    let e: Event = serde_json::from_value(json!({
        "metadata": {"namespace": NS, "name": format!("{name}.{reason}")},
        "involvedObject": {"kind": kind, "name": name, "namespace": NS},
        "type": etype, "reason": reason, "message": message, "count": 1,
        "lastTimestamp": last, "source": {"component": "kubelet"}
    }))
    .expect("event");
    EventSummary::from_event(&e)
}

fn split_traffic() -> Value {
    json!([
        {"revisionName": "cart-00001", "percent": 90, "latestRevision": false},
        {"revisionName": "cart-00002", "percent": 10, "latestRevision": false, "tag": "canary",
         "url": "http://canary-cart.shop.example.com"},
        {"revisionName": "cart-00001", "percent": 0, "tag": "stable", "latestRevision": false}
    ])
}

fn failing(conditions: Value) -> RevisionSummary {
    revision("cart-00002", "2025-01-02T04:00:00Z", conditions)
}

const NOT_READY: &str = r#"[{"type": "Ready", "status": "False", "reason": "ExitCode1",
    "message": "Container failed with: panic"}]"#;

fn detail(rev2: RevisionSummary, pods: &[PodSummary], events: &[EventSummary]) -> FunctionDetail {
    let revs = [ready_revision("cart-00001", "2025-01-02T03:00:00Z"), rev2];
    FunctionDetail::build(&service(split_traffic()), &revs, pods, events)
}

fn why(d: &FunctionDetail) -> Option<&str> {
    let row = d
        .revisions
        .iter()
        .find(|r| r.revision.key.name == "cart-00002")
        .expect("cart-00002");
    row.why.as_deref()
}

mod join;
mod recorded;
mod why;
