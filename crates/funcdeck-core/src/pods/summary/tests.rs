use k8s_openapi::api::core::v1::Pod;
use serde_json::{Value, json};

use super::{PodSummary, Termination};

const REV: &str = "cart-00002";

/// A Knative pod as the kubelet reports it: `user-container` plus `queue-proxy`.
fn pod(name: &str, phase: &str, user: Value, queue: Value) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "namespace": "shop", "name": name,
            "creationTimestamp": "2025-01-02T03:04:05Z",
            "labels": {
                "serving.knative.dev/service": "cart",
                "serving.knative.dev/revision": REV,
                "app": REV
            }
        },
        "spec": {
            "nodeName": "sandbox-worker",
            "containers": [
                {"name": "user-container", "image": "ghcr.io/acme/cart@sha256:1"},
                {"name": "queue-proxy", "image": "gcr.io/knative-releases/queue"}
            ]
        },
        "status": {"phase": phase, "containerStatuses": [user, queue]}
    }))
    .expect("pod")
}

fn running(name: &str, ready: bool, restarts: i32) -> Value {
    json!({"name": name, "image": "img", "imageID": "", "ready": ready,
           "restartCount": restarts, "state": {"running": {"startedAt": "2025-01-02T03:04:07Z"}}})
}

#[test]
fn a_running_pod() {
    let p = pod(
        "cart-00002-deployment-5d8f-abcde",
        "Running",
        running("user-container", true, 0),
        running("queue-proxy", true, 0),
    );
    let s = PodSummary::from_pod(&p);
    assert_eq!(s.key.to_string(), "shop/cart-00002-deployment-5d8f-abcde");
    assert_eq!(s.function.as_deref(), Some("cart"));
    assert_eq!(s.revision.as_deref(), Some(REV));
    assert_eq!(s.phase.as_deref(), Some("Running"));
    assert_eq!(s.ready_text(), "2/2");
    assert_eq!(s.restarts, 0);
    assert_eq!(s.status, "Running");
    assert_eq!(s.waiting, None);
    assert_eq!(s.last_termination, None);
    assert_eq!(s.node.as_deref(), Some("sandbox-worker"));
    assert_eq!(
        s.created.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:04:05+00:00".into())
    );
}

#[test]
fn a_crash_looping_pod_names_the_container_its_exit_code_and_restarts() {
    let user = json!({
        "name": "user-container", "image": "img", "imageID": "", "ready": false, "restartCount": 7,
        "state": {"waiting": {"reason": "CrashLoopBackOff",
            "message": "back-off 5m0s restarting failed container=user-container pod=p_shop(u)"}},
        "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
            "message": "panic: failed to connect to database"}}
    });
    let p = pod("p", "Running", user, running("queue-proxy", false, 1));
    let s = PodSummary::from_pod(&p);
    assert_eq!(s.status, "CrashLoopBackOff");
    assert_eq!(s.ready_text(), "0/2");
    assert_eq!(s.restarts, 8, "summed over containers");
    assert_eq!(
        s.last_termination,
        Some(Termination {
            container: "user-container".into(),
            reason: Some("Error".into()),
            exit_code: 1,
            signal: None,
            message: Some("panic: failed to connect to database".into()),
            restarts: 7,
        })
    );
    let waiting = s.waiting.expect("waiting");
    assert_eq!(waiting.reason.as_deref(), Some("CrashLoopBackOff"));
    assert!(
        waiting
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("back-off 5m0s"))
    );
}

#[test]
fn an_unpullable_image_keeps_the_image_and_the_kubelet_message() {
    for reason in ["ImagePullBackOff", "ErrImagePull"] {
        let user = json!({
            "name": "user-container", "image": "ghcr.io/acme/does-not-exist:1", "imageID": "",
            "ready": false, "restartCount": 0,
            "state": {"waiting": {"reason": reason,
                "message": "Back-off pulling image \"ghcr.io/acme/does-not-exist:1\""}}
        });
        let p = pod("p", "Pending", user, running("queue-proxy", false, 0));
        let s = PodSummary::from_pod(&p);
        assert_eq!(s.status, reason);
        assert_eq!(s.phase.as_deref(), Some("Pending"));
        let w = s.waiting.expect("waiting");
        assert_eq!(w.container, "user-container");
        assert_eq!(w.image.as_deref(), Some("ghcr.io/acme/does-not-exist:1"));
        assert_eq!(
            w.message.as_deref(),
            Some("Back-off pulling image \"ghcr.io/acme/does-not-exist:1\"")
        );
        assert_eq!(s.last_termination, None);
    }
}

#[test]
fn a_pod_being_created_and_one_being_deleted() {
    let creating = json!({"name": "user-container", "image": "", "imageID": "", "ready": false,
        "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}});
    let mut p = pod("p", "Pending", creating.clone(), creating);
    let s = PodSummary::from_pod(&p);
    assert_eq!(s.status, "ContainerCreating");
    assert_eq!(
        s.waiting.and_then(|w| w.image),
        Some("ghcr.io/acme/cart@sha256:1".into()),
        "the spec's image when the status has none"
    );

    p.metadata.deletion_timestamp = p.metadata.creation_timestamp.clone();
    assert_eq!(PodSummary::from_pod(&p).status, "Terminating");
}

#[test]
fn a_container_that_exited_without_a_reason_shows_its_exit_code() {
    let user = json!({"name": "user-container", "image": "img", "imageID": "", "ready": false,
        "restartCount": 0, "state": {"terminated": {"exitCode": 137}}});
    let p = pod("p", "Running", user, running("queue-proxy", true, 0));
    let s = PodSummary::from_pod(&p);
    assert_eq!(s.status, "ExitCode:137");
    assert_eq!(s.last_termination.map(|t| t.exit_code), Some(137));
}

#[test]
fn init_containers_at_work_show_as_init() {
    let mut p = pod(
        "p",
        "Pending",
        json!({"name": "user-container", "image": "img", "imageID": "", "ready": false,
               "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}),
        running("queue-proxy", false, 0),
    );
    let status = p.status.as_mut().expect("status");
    status.init_container_statuses = Some(vec![
        serde_json::from_value(json!({"name": "migrate", "image": "m", "imageID": "",
            "ready": false, "restartCount": 2,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}}}))
        .expect("status"),
    ]);
    let s = PodSummary::from_pod(&p);
    assert_eq!(s.status, "Init:CrashLoopBackOff");
    assert_eq!(s.restarts, 2);
}

#[test]
fn an_empty_pod_is_unknown_not_a_panic() {
    let s = PodSummary::from_pod(&Pod::default());
    assert_eq!(s.status, "Unknown");
    assert_eq!(s.ready_text(), "0/0");
    assert_eq!((s.function, s.revision), (None, None));
}
