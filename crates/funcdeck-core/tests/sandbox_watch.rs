//! The function watch end to end against the in-process simulated cluster: sync, create,
//! progress and delete events, relists after dropped watches and compacted history, and
//! reporting an unreachable server.

mod common;

use std::time::Duration;

use common::{IMAGE, drain_for, next_matching, services, start};
use funcdeck_core::CoreError;
use funcdeck_core::cluster::probe;
use funcdeck_core::function::{FunctionKey, Readiness};
use funcdeck_core::functions::{FunctionEvent, NamespaceScope, list_services, watch_functions};
use funcdeck_core::knative::Service;
use kube::api::{DeleteParams, PostParams};

#[tokio::test]
async fn watch_sees_sync_create_progress_and_delete() {
    let env = start().await;
    let mut events = watch_functions(&env.conn, NamespaceScope::One("default".into()));
    let synced = next_matching(&mut events, "initial Synced", |e| {
        matches!(e, FunctionEvent::Synced(_))
    })
    .await;
    let FunctionEvent::Synced(initial) = synced else {
        unreachable!()
    };
    let listed = list_services(&env.conn, &NamespaceScope::One("default".into()), None)
        .await
        .expect("list");
    assert_eq!(initial.len(), listed.len());
    assert!(initial.iter().all(|s| s.key.namespace == "default"));

    let key = FunctionKey::new("default", "watched");
    services(&env.conn, "default")
        .create(
            &PostParams::default(),
            &Service::new("default", "watched", IMAGE),
        )
        .await
        .expect("create");

    // Applied events for the new function until it is ready, recording what it went through.
    let mut seen = Vec::new();
    let ready = next_matching(&mut events, "Applied(watched) Ready", |e| match e {
        FunctionEvent::Applied(s) if s.key == key => {
            seen.push(s.readiness);
            s.readiness == Readiness::Ready
        }
        _ => false,
    })
    .await;
    assert!(
        seen.contains(&Readiness::Deploying),
        "went Deploying before Ready: {seen:?}"
    );
    let FunctionEvent::Applied(summary) = ready else {
        unreachable!()
    };
    assert!(summary.latest_ready.is_some());
    assert!(summary.url.is_some());
    assert_ne!(summary.traffic_summary(), "—");

    services(&env.conn, "default")
        .delete("watched", &DeleteParams::default())
        .await
        .expect("delete");
    next_matching(
        &mut events,
        "Deleted(watched)",
        |e| matches!(e, FunctionEvent::Deleted(k) if *k == key),
    )
    .await;
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn watch_relists_after_dropped_watches_and_compacted_history() {
    let env = start().await;
    let mut events = watch_functions(&env.conn, NamespaceScope::All);
    next_matching(&mut events, "initial Synced", |e| {
        matches!(e, FunctionEvent::Synced(_))
    })
    .await;

    drain_for(&mut events, Duration::from_millis(300)).await;

    // The stream is lazy: while we do not poll it, the watcher cannot reconnect, so the
    // change below happens while it is disconnected and its resourceVersion gets compacted.
    env.sandbox.control().drop_watches();
    services(&env.conn, "shop")
        .create(
            &PostParams::default(),
            &Service::new("shop", "after-drop", IMAGE),
        )
        .await
        .expect("create during the outage");
    env.sandbox.control().compact_history();

    let key = FunctionKey::new("shop", "after-drop");
    let mut failures = Vec::new();
    let resynced = next_matching(&mut events, "Synced after the relist", |e| {
        if let FunctionEvent::Failed(err) = e {
            failures.push(err.clone());
        }
        matches!(e, FunctionEvent::Synced(_))
    })
    .await;
    assert!(
        failures.is_empty(),
        "a routine 410 relist is not a failure: {failures:?}"
    );
    let FunctionEvent::Synced(all) = resynced else {
        unreachable!()
    };
    assert!(
        all.iter().any(|s| s.key == key),
        "the relist contains the change made while disconnected"
    );
    assert_eq!(all.len(), 13);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn watch_reports_unreachable_when_the_server_goes_away() {
    let env = start().await;
    let server = env.conn.cluster.clone();
    let mut events = watch_functions(&env.conn, NamespaceScope::All);
    next_matching(&mut events, "initial Synced", |e| {
        matches!(e, FunctionEvent::Synced(_))
    })
    .await;
    env.sandbox.shutdown().await;
    let failed = next_matching(&mut events, "Failed", |e| {
        matches!(e, FunctionEvent::Failed(_))
    })
    .await;
    let FunctionEvent::Failed(err) = failed else {
        unreachable!()
    };
    assert!(
        matches!(&err, CoreError::Unreachable { server: s, .. } if *s == server),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(matches!(
        probe(&env.conn).await,
        Err(CoreError::Unreachable { .. })
    ));
}
