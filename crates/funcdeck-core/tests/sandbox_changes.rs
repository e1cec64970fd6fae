//! Traffic and visibility writes against the in-process sandbox: a change planned from a read
//! that someone else's write has overtaken is refused (409) and writes nothing.

mod common;

use std::collections::BTreeMap;

use common::{IMAGE, services, start};
use funcdeck_core::CoreError;
use funcdeck_core::function::traffic_plan::{TrafficChange, plan_traffic};
use funcdeck_core::function::visibility::{VisibilityOutcome, plan_offline};
use funcdeck_core::functions::{fetch_revisions, patch_metadata, set_traffic};
use funcdeck_core::knative::Service;
use kube::api::PostParams;

#[tokio::test]
async fn a_change_planned_before_someone_elses_write_is_a_conflict_and_writes_nothing() {
    let env = start().await;
    let api = services(&env.conn, "default");
    api.create(
        &PostParams::default(),
        &Service::new("default", "raced", IMAGE),
    )
    .await
    .expect("create");
    let (read, revisions) = fetch_revisions(&env.conn, "default", "raced")
        .await
        .expect("read");
    let change = TrafficChange {
        tags: vec![("@latest".into(), "current".into())],
        ..TrafficChange::default()
    };
    let traffic = plan_traffic(&read, &revisions, &change).expect("a plan");
    let offline = match plan_offline(&read, &revisions, chrono::Utc::now()) {
        VisibilityOutcome::Plan(plan) => plan,
        VisibilityOutcome::AlreadyDone(why) => panic!("{why}"),
    };

    // Someone else changes the spec meanwhile (a new generation).
    let theirs = api
        .patch(
            "raced",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(serde_json::json!({"spec": {"template": {"metadata":
                {"annotations": {"edited-by": "someone"}}}}})),
        )
        .await
        .expect("their write");

    let err = set_traffic(
        &env.conn,
        "default",
        "raced",
        &traffic.traffic,
        traffic.resource_version.as_deref(),
        traffic.generation,
    )
    .await
    .expect_err("planned from an old read");
    assert!(matches!(err, CoreError::Conflict { .. }), "{err:?}");
    let err = patch_metadata(&env.conn, "default", "raced", &offline.patch)
        .await
        .expect_err("planned from an old read");
    assert!(matches!(err, CoreError::Conflict { .. }), "{err:?}");

    // (Knative reconciles their change, so the version moves on; the split must not.)
    let now = api.get("raced").await.expect("get");
    assert_eq!(now.spec.traffic, theirs.spec.traffic, "nothing was written");

    // Only metadata (or status) moves meanwhile: the spec the plan read still stands, so the
    // split is written over the new version.
    let (read, revisions) = fetch_revisions(&env.conn, "default", "raced")
        .await
        .expect("read");
    let traffic = plan_traffic(&read, &revisions, &change).expect("a plan");
    let mut theirs = api.get("raced").await.expect("get");
    theirs
        .metadata
        .labels
        .get_or_insert_with(BTreeMap::new)
        .insert("edited-by".into(), "someone".into());
    api.replace("raced", &PostParams::default(), &theirs)
        .await
        .expect("their label");
    let written = set_traffic(
        &env.conn,
        "default",
        "raced",
        &traffic.traffic,
        traffic.resource_version.as_deref(),
        traffic.generation,
    )
    .await
    .expect("a label does not invalidate the split");
    assert_eq!(
        written
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("edited-by"))
            .map(String::as_str),
        Some("someone"),
        "their label kept"
    );
    env.sandbox.shutdown().await;
}
