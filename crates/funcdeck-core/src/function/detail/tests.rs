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

#[test]
fn a_recorded_ready_function_with_tagged_traffic() {
    let svc: Vec<Service> = fixture_items("singleServiceServiceList.json");
    let revs: Vec<Revision> = fixture_items("singleServiceRevisionList.json");
    let d = FunctionDetail::build(&svc[0], &summaries(&revs), &[], &[]);
    assert_eq!(d.key.to_string(), "a-serverless-example/example");
    assert_eq!(
        d.url.as_deref(),
        Some("http://example-a-serverless-example.apps.devcluster.openshift.com")
    );
    assert_eq!(d.ready, ConditionStatus::True);
    assert_eq!(d.readiness, Readiness::Ready);
    let conditions: Vec<(&str, ConditionStatus)> = d
        .conditions
        .iter()
        .map(|c| (c.type_.as_str(), c.status))
        .collect();
    assert_eq!(
        conditions,
        [
            ("ConfigurationsReady", ConditionStatus::True),
            ("Ready", ConditionStatus::True),
            ("RoutesReady", ConditionStatus::True)
        ]
    );
    assert_eq!(
        d.traffic[1],
        TrafficRow {
            revision: Some("example-2fvz4".into()),
            percent: 0,
            tag: Some("old".into()),
            url: Some(
                "http://old-example-a-serverless-example.apps.devcluster.openshift.com".into()
            ),
            latest: false,
        }
    );
    assert_eq!(d.traffic.len(), 3);
    let rows: Vec<(&str, u32, Option<&str>)> = d
        .revisions
        .iter()
        .map(|r| {
            (
                r.revision.key.name.as_str(),
                r.traffic_percent,
                r.why.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("example-75w7v", 100, None),
            ("example-g4hm8", 0, None),
            ("example-2fvz4", 0, None)
        ],
        "newest first; 100% plus the 0% `current` tag"
    );
    assert_eq!(d.revisions[0].pods_text(), "0/0", "scaled to zero");
}

#[test]
fn a_recorded_failed_function_explains_the_unpullable_image_without_pods() {
    let svc: Vec<Service> = fixture_items("singleServiceFailedRevisionServiceList.json");
    let revs: Vec<Revision> = fixture_items("singleServiceFailedRevisionRevisionList.json");
    let d = FunctionDetail::build(&svc[0], &summaries(&revs), &[], &[]);
    assert_eq!(d.ready, ConditionStatus::False);
    let ready = d
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready")
        .expect("Ready");
    assert_eq!(ready.reason.as_deref(), Some("RevisionMissing"));
    // No status traffic yet: the spec's, unresolved.
    assert_eq!(
        d.traffic,
        [TrafficRow {
            revision: None,
            percent: 100,
            tag: None,
            url: None,
            latest: true
        }]
    );
    assert_eq!(d.revisions.len(), 1);
    assert_eq!(
        d.revisions[0].traffic_percent, 0,
        "no ready revision to follow"
    );
    assert_eq!(
        d.revisions[0].why.as_deref(),
        Some(
            "image quay.io/rhdevelopers cannot be pulled: Unable to fetch image \"quay.io/rhdevelopers\": \
             failed to resolve image to digest: HEAD https://quay.io/v2/rhdevelopers/manifests/latest: \
             unsupported status code 404"
        )
    );
}

#[test]
fn the_failed_yaml_capture_builds_without_revisions() {
    let svc: Service = serde_saphyr::from_str(&crate::testing::knative_fixture("failed.yaml"))
        .expect("failed.yaml parses");
    let d = FunctionDetail::build(&svc, &[], &[], &[]);
    assert_eq!(d.key.to_string(), "josh/aaa");
    assert_eq!(d.ready, ConditionStatus::False);
    assert_eq!(d.readiness, Readiness::Failed);
    assert_eq!(d.latest_created.as_deref(), Some("aaa-zpyvk-1"));
    assert_eq!(d.conditions.len(), 3);
    assert!(d.revisions.is_empty() && d.pods.is_empty() && d.events.is_empty());
}

// --- Objects shaped like what Knative, the kubelet and the controllers write. ---

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

#[test]
fn a_crash_loop_names_the_container_exit_code_and_restarts() {
    let crashing = pod(
        "cart-00002",
        "a",
        json!({
            "name": "user-container", "image": "i", "imageID": "", "ready": false, "restartCount": 7,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}},
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}
        }),
    );
    let conditions: Value = serde_json::from_str(
        r#"[{"type": "Ready", "status": "False", "reason": "ExitCode1", "message": "Container failed with: panic"},
            {"type": "ResourcesAvailable", "status": "False", "reason": "ProgressDeadlineExceeded",
             "message": "Initial scale was never achieved"}]"#,
    )
    .expect("json");
    let d = detail(failing(conditions), &[crashing], &[]);
    assert_eq!(
        why(&d),
        Some("user-container keeps crashing: exit code 1, restarted 7 times; last: Error"),
        "the exit code beats the deadline it caused"
    );
    assert_eq!(
        d.revisions[0].revision.key.name, "cart-00002",
        "newest first"
    );
    assert_eq!(
        (
            d.revisions[0].traffic_percent,
            d.revisions[1].traffic_percent
        ),
        (10, 90)
    );
    assert_eq!(d.revisions[0].pods_text(), "0/1");
    assert_eq!(d.revisions[1].why, None, "a ready revision needs no excuse");
}

#[test]
fn an_unpullable_image_quotes_the_kubelet() {
    let image = "ghcr.io/acme/does-not-exist:2";
    let pulling = pod(
        "cart-00002",
        "b",
        json!({"name": "user-container", "image": image, "imageID": "", "ready": false,
               "restartCount": 0,
               "state": {"waiting": {"reason": "ImagePullBackOff",
                                     "message": format!("Back-off pulling image \"{image}\"")}}}),
    );
    let d = detail(
        failing(serde_json::from_str(NOT_READY).expect("json")),
        std::slice::from_ref(&pulling),
        &[],
    );
    assert_eq!(
        why(&d),
        Some(
            format!("image {image} cannot be pulled: Back-off pulling image \"{image}\"").as_str()
        )
    );

    // With the kubelet's Failed event, its message says what the registry answered.
    let failed = event(
        "Pod",
        &pulling.key.name,
        "Warning",
        "Failed",
        "Failed to pull image: not found",
        "2025-01-02T04:01:00Z",
    );
    let d = detail(
        failing(serde_json::from_str(NOT_READY).expect("json")),
        &[pulling],
        &[failed],
    );
    assert_eq!(
        why(&d),
        Some(format!("image {image} cannot be pulled: Failed to pull image: not found").as_str())
    );
}

#[test]
fn a_quota_refusal_from_a_failed_create_event_or_a_condition() {
    let quota = "pods \"cart-00002-deployment-7f9c-x\" is forbidden: exceeded quota: compute, \
                 requested: requests.cpu=1, used: requests.cpu=4, limited: requests.cpu=4";
    let refused = event(
        "ReplicaSet",
        "cart-00002-deployment-7f9c",
        "Warning",
        "FailedCreate",
        &format!("Error creating: {quota}"),
        "2025-01-02T04:02:00Z",
    );
    let unknown = json!([{"type": "Ready", "status": "Unknown", "reason": "Deploying"}]);
    let d = detail(failing(unknown.clone()), &[], &[refused]);
    assert_eq!(
        why(&d),
        Some(format!("a pod was refused by quota: Error creating: {quota}").as_str())
    );

    let by_condition = json!([{"type": "Ready", "status": "False", "reason": "FailedCreate",
        "message": quota}]);
    let d = detail(failing(by_condition), &[], &[]);
    assert_eq!(
        why(&d),
        Some(format!("a pod was refused by quota: {quota}").as_str())
    );

    let other = event(
        "ReplicaSet",
        "cart-00002-deployment-7f9c",
        "Warning",
        "FailedCreate",
        "Error creating: pods is forbidden: violates PodSecurity",
        "2025-01-02T04:02:00Z",
    );
    let d = detail(failing(unknown), &[], &[other]);
    assert_eq!(
        why(&d),
        Some("a pod could not be created: Error creating: pods is forbidden: violates PodSecurity")
    );
}

#[test]
fn a_progress_deadline() {
    let conditions = json!([{"type": "Ready", "status": "False",
        "reason": "ProgressDeadlineExceeded", "message": "Initial scale was never achieved"}]);
    let d = detail(failing(conditions), &[], &[]);
    assert_eq!(
        why(&d),
        Some("did not become ready within the progress deadline")
    );
}

#[test]
fn otherwise_the_ready_reason_or_the_missing_pods() {
    let d = detail(
        failing(serde_json::from_str(NOT_READY).expect("json")),
        &[],
        &[],
    );
    assert_eq!(why(&d), Some("ExitCode1: Container failed with: panic"));

    let d = detail(
        failing(json!([{"type": "Ready", "status": "Unknown"}])),
        &[],
        &[],
    );
    assert_eq!(why(&d), Some("not ready, and no pods are running"));

    let d = detail(failing(json!([])), &[healthy("cart-00002", "c")], &[]);
    assert_eq!(why(&d), Some("not ready: 1 of 1 pods ready"));
}

#[test]
fn pods_and_events_of_other_functions_stay_out_and_events_are_newest_first() {
    let mut other_pod = healthy("cart-api-00001", "z");
    other_pod.function = Some("cart-api".into());
    let pods = [
        healthy("cart-00001", "b"),
        other_pod,
        healthy("cart-00002", "a"),
        healthy("cart-00001", "a"),
    ];
    let events = [
        event(
            "Revision",
            "cart-00001",
            "Normal",
            "Ready",
            "old",
            "2025-01-02T03:00:00Z",
        ),
        event(
            "Pod",
            "cart-api-00001-deployment-1-z",
            "Normal",
            "Started",
            "x",
            "2025-01-02T05:00:00Z",
        ),
        event(
            "Service",
            FN,
            "Normal",
            "Created",
            "svc",
            "2025-01-02T04:30:00Z",
        ),
        event(
            "Deployment",
            "cart-00002-deployment",
            "Normal",
            "ScalingReplicaSet",
            "up",
            "2025-01-02T04:10:00Z",
        ),
    ];
    let d = detail(
        ready_revision("cart-00002", "2025-01-02T04:00:00Z"),
        &pods,
        &events,
    );
    let names: Vec<&str> = d.pods.iter().map(|p| p.key.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cart-00002-deployment-7f9c-a",
            "cart-00001-deployment-7f9c-a",
            "cart-00001-deployment-7f9c-b"
        ],
        "newest revision first, then by name"
    );
    let messages: Vec<&str> = d
        .events
        .iter()
        .filter_map(|e| e.message.as_deref())
        .collect();
    assert_eq!(messages, ["svc", "up", "old"]);
    assert_eq!(d.revisions[1].pods_text(), "2/2");
    assert_eq!(d.revisions[0].pods_text(), "1/1");
    assert!(d.revisions.iter().all(|r| r.why.is_none()));
}

#[test]
fn spec_traffic_following_latest_counts_for_the_latest_ready_revision() {
    let mut svc = service(Value::Null);
    if let Some(status) = svc.status.as_mut() {
        status.traffic = None;
    }
    svc.spec.traffic =
        serde_json::from_value(json!([{"latestRevision": true, "percent": 100}])).expect("traffic");
    let revs = [
        ready_revision("cart-00001", "2025-01-02T03:00:00Z"),
        failing(serde_json::from_str(NOT_READY).expect("json")),
    ];
    let d = FunctionDetail::build(&svc, &revs, &[], &[]);
    assert_eq!(d.traffic[0].revision, None);
    let percents: Vec<u32> = d.revisions.iter().map(|r| r.traffic_percent).collect();
    assert_eq!(percents, [0, 100]);
}
