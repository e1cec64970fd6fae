//! Why a revision is not ready, in words, for each kind of evidence.

use super::*;

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
