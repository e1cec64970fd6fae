//! Controller transitions driven synchronously (no HTTP, no timers): revision naming from the
//! Configuration's generation, traffic-only edits, failure propagation, BYO names.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::Controller;
use crate::identity::Identity;
use crate::obj;
use crate::resources::Res;
use crate::store::Store;
use crate::write::{self, Outcome, WriteCtx, WriteOp};

fn setup() -> (Arc<Store>, Controller) {
    let store = Arc::new(Store::new(1, 10_000));
    let ctl = Controller::new(store.clone(), Duration::ZERO);
    let id = Identity::admin();
    write::commit(
        &store,
        &WriteCtx::new(&id),
        WriteOp::Create {
            res: Res::Namespace,
            namespace: String::new(),
            object: json!({"metadata": {"name": "default"}}),
        },
    )
    .expect("namespace");
    (store, ctl)
}

fn create(store: &Store, image: &str) {
    let id = Identity::admin();
    let body = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "hello"},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}}});
    let op = WriteOp::Create {
        res: Res::KService,
        namespace: "default".into(),
        object: body,
    };
    assert!(matches!(
        write::commit(store, &WriteCtx::new(&id), op),
        Ok(Outcome::Stored { .. })
    ));
}

fn patch(store: &Store, patch: Value) {
    let id = Identity::admin();
    let op = WriteOp::Patch {
        res: Res::KService,
        namespace: "default".into(),
        name: "hello".into(),
        patch_type: crate::patch::PatchType::Merge,
        patch,
        status: false,
    };
    assert!(write::commit(store, &WriteCtx::new(&id), op).is_ok());
}

fn svc(store: &Store) -> Arc<Value> {
    store
        .get(Res::KService, "default", "hello")
        .expect("service")
}

fn ready(o: &Value) -> (String, String) {
    let c = obj::condition(o, "Ready").cloned().unwrap_or_default();
    (
        c["status"].as_str().unwrap_or("").into(),
        c["reason"].as_str().unwrap_or("").into(),
    )
}

#[test]
fn revisions_follow_configuration_generation_not_service_generation() {
    let (store, mut ctl) = setup();
    create(&store, "ghcr.io/acme/hello:1");
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(ready(&s), ("True".into(), String::new()));
    assert_eq!(s["status"]["latestReadyRevisionName"], "hello-00001");
    // Traffic-only edit: Service generation 2, no new revision.
    patch(
        &store,
        json!({"spec": {"traffic": [{"latestRevision": true, "percent": 100, "tag": "current"}]}}),
    );
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(obj::generation(&s), 2);
    assert!(
        store
            .get(Res::KRevision, "default", "hello-00002")
            .is_none()
    );
    assert_eq!(
        s["status"]["traffic"][0]["url"],
        "http://current-hello.default.svc.cluster.local"
    );
    // Template edit: configuration generation 2 → hello-00002.
    patch(
        &store,
        json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/hello:2"}]}}}}),
    );
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(obj::generation(&s), 3);
    assert_eq!(s["status"]["latestReadyRevisionName"], "hello-00002");
    assert_eq!(s["status"]["observedGeneration"], 3);
    let old = store
        .get(Res::KRevision, "default", "hello-00001")
        .expect("old revision");
    assert_eq!(obj::label(&old, super::L_ROUTING_STATE), Some("reserve"));
    assert_eq!(obj::condition_status(&old, "Active"), Some("False"));
}

#[test]
fn failing_latest_revision_keeps_traffic_and_reports_revision_failed() {
    let (store, mut ctl) = setup();
    create(&store, "ghcr.io/acme/hello:1");
    ctl.run_until_idle();
    patch(
        &store,
        json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/does-not-exist/hello:2"}]}}}}),
    );
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(ready(&s), ("False".into(), "RevisionFailed".into()));
    assert_eq!(s["status"]["traffic"][0]["revisionName"], "hello-00001");
    let rev = store
        .get(Res::KRevision, "default", "hello-00002")
        .expect("rev");
    assert_eq!(ready(&rev), ("False".into(), "ContainerMissing".into()));
    let pods = store.txn().list(Res::Pod, Some("default"));
    let mut states: Vec<(String, String)> = pods
        .iter()
        .map(|p| {
            let rev = obj::label(p, "serving.knative.dev/revision")
                .unwrap_or("")
                .to_string();
            let first = obj::at(p, &["status", "containerStatuses"])
                .and_then(|c| c.get(0))
                .cloned()
                .unwrap_or_default();
            let state = obj::str_at(&first, &["state", "waiting", "reason"])
                .unwrap_or(if first["ready"] == json!(true) {
                    "Ready"
                } else {
                    "?"
                })
                .to_string();
            (rev, state)
        })
        .collect();
    states.sort();
    assert_eq!(
        states,
        vec![
            ("hello-00001".to_string(), "Ready".to_string()),
            ("hello-00002".to_string(), "ImagePullBackOff".to_string())
        ]
    );
}

#[test]
fn a_fix_after_a_failed_revision_rolls_out() {
    let (store, mut ctl) = setup();
    create(&store, "ghcr.io/acme/hello:1");
    ctl.run_until_idle();
    patch(
        &store,
        json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/does-not-exist/hello:2"}]}}}}),
    );
    ctl.run_until_idle();
    assert_eq!(
        ready(&svc(&store)),
        ("False".into(), "RevisionFailed".into())
    );
    patch(
        &store,
        json!({"spec": {"template": {"metadata": {"name": "hello-fixed"},
            "spec": {"containers": [{"image": "ghcr.io/acme/hello:3"}]}}}}),
    );
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(s["status"]["latestCreatedRevisionName"], "hello-fixed");
    assert_eq!(s["status"]["latestReadyRevisionName"], "hello-fixed");
    assert_eq!(ready(&s), ("True".into(), String::new()));
}

#[test]
fn never_ready_service_ends_revision_missing() {
    let (store, mut ctl) = setup();
    create(&store, "ghcr.io/acme/does-not-exist:1");
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(ready(&s), ("False".into(), "RevisionMissing".into()));
    assert_eq!(
        obj::condition(&s, "ConfigurationsReady").and_then(|c| c["reason"].as_str()),
        Some("RevisionFailed")
    );
}

#[test]
fn byo_revision_name_is_used() {
    let (store, mut ctl) = setup();
    create(&store, "ghcr.io/acme/hello:1");
    ctl.run_until_idle();
    patch(
        &store,
        json!({"spec": {"template": {"metadata": {"name": "hello-blue"}, "spec": {"containers": [{"image": "ghcr.io/acme/hello:2"}]}}}}),
    );
    ctl.run_until_idle();
    let s = svc(&store);
    assert_eq!(s["status"]["latestCreatedRevisionName"], "hello-blue");
    let rev = store
        .get(Res::KRevision, "default", "hello-blue")
        .expect("byo revision");
    assert_eq!(obj::label(&rev, super::L_CONFIGURATION_GEN), Some("2"));
}
