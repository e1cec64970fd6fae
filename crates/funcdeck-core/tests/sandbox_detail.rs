//! A function's whole story against the in-process simulated cluster: revisions, pods and
//! events listed and watched, `fetch_function` for ready, crash-looping and unpullable
//! functions, a missing function, and a user who may read functions but not pods or events.

mod common;

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use common::{Env, IMAGE, WAIT, next_matching, services, start};
use funcdeck_core::CoreError;
use funcdeck_core::cluster::{ClusterTarget, connect};
use funcdeck_core::condition::ConditionStatus;
use funcdeck_core::events::watch_events;
use funcdeck_core::function::FunctionDetail;
use funcdeck_core::functions::{FunctionParts, NamespaceScope, fetch_function};
use funcdeck_core::knative::{RevisionTemplate, Service, TemplateMetadata};
use funcdeck_core::labels::function_selector;
use funcdeck_core::pods::{list_pods, watch_pods};
use funcdeck_core::revisions::{list_revisions, watch_function_revisions, watch_revisions};
use funcdeck_core::watch::WatchEvent;
use funcdeck_sandbox::Scenario;
use k8s_openapi::api::rbac::v1::{ClusterRole, RoleBinding};
use kube::Api;
use kube::api::{DeleteParams, PostParams};
use serde_json::json;

const NS: &str = "default";

/// A function with `min-scale: 1`, so it keeps a pod while the test looks.
fn warm(name: &str, image: &str) -> Service {
    let mut svc = Service::new(NS, name, image);
    let template = svc
        .spec
        .template
        .get_or_insert_with(RevisionTemplate::default);
    template.metadata = Some(TemplateMetadata {
        annotations: Some(BTreeMap::from([(
            "autoscaling.knative.dev/min-scale".to_owned(),
            "1".to_owned(),
        )])),
        ..TemplateMetadata::default()
    });
    svc
}

async fn create(env: &Env, svc: &Service) {
    services(&env.conn, NS)
        .create(&PostParams::default(), svc)
        .await
        .expect("create");
}

/// Polls `fetch` until `check` passes on what it returns; panics with the last value after `WAIT`.
async fn until<T: std::fmt::Debug, F: Future<Output = T>>(
    what: &str,
    mut fetch: impl FnMut() -> F,
    check: impl Fn(&T) -> bool,
) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let value = fetch().await;
        if check(&value) {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("no {what} within {WAIT:?}; last: {value:#?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn detail(parts: &FunctionParts) -> FunctionDetail {
    FunctionDetail::build(
        &parts.service,
        parts.revisions.as_deref().unwrap_or_default(),
        parts.pods.as_deref().unwrap_or_default(),
        parts.events.as_deref().unwrap_or_default(),
    )
}

async fn fetched_detail(env: &Env, name: &str) -> FunctionDetail {
    detail(&fetch_function(&env.conn, NS, name).await.expect("fetch"))
}

#[tokio::test]
async fn fetch_reads_a_ready_function_with_its_revision_pods_and_events() {
    let env = start().await;
    create(&env, &warm("detail-ok", IMAGE)).await;
    let d = until(
        "detail-ok ready with a ready pod",
        || fetched_detail(&env, "detail-ok"),
        |d| {
            d.ready == ConditionStatus::True
                && d.revisions.first().is_some_and(|r| r.pods_ready == 1)
        },
    )
    .await;
    assert!(
        d.url.as_deref().is_some_and(|u| u.contains("detail-ok")),
        "{:?}",
        d.url
    );
    assert!(d.conditions.iter().any(|c| c.type_ == "RoutesReady"));
    assert_eq!(d.revisions.len(), 1);
    let row = &d.revisions[0];
    assert_eq!(row.revision.key.name, "detail-ok-00001");
    assert_eq!(row.revision.ready, ConditionStatus::True);
    assert_eq!(row.revision.image.as_deref(), Some(IMAGE));
    assert_eq!(row.revision.min_scale, Some(1));
    assert_eq!(row.revision.configuration_generation, Some(1));
    assert_eq!(row.traffic_percent, 100);
    assert_eq!(row.why, None);
    assert_eq!(d.traffic.len(), 1);
    assert_eq!(d.traffic[0].revision.as_deref(), Some("detail-ok-00001"));
    assert_eq!(d.pods.len(), 1);
    let pod = &d.pods[0];
    assert!(
        pod.key.name.starts_with("detail-ok-00001-deployment-"),
        "{}",
        pod.key.name
    );
    assert_eq!(pod.status, "Running");
    assert_eq!(pod.revision.as_deref(), Some("detail-ok-00001"));
    assert!(pod.node.is_some());
    assert!(
        d.events
            .iter()
            .any(|e| e.object == format!("Pod/{}", pod.key.name)
                && e.reason.as_deref() == Some("Scheduled")),
        "{:#?}",
        d.events
    );
    assert!(
        d.events
            .iter()
            .all(|e| e.involved_name.starts_with("detail-ok")),
        "only this function's events: {:#?}",
        d.events
    );

    // The same revision and pods through the plain lists and the function's selector.
    let scope = NamespaceScope::One(NS.into());
    let selector = function_selector("detail-ok");
    let revisions = list_revisions(&env.conn, &scope, Some(&selector))
        .await
        .expect("revisions");
    assert_eq!(revisions.len(), 1);
    let pods = list_pods(&env.conn, &scope, Some(&selector))
        .await
        .expect("pods");
    assert_eq!(pods.len(), 1);
    let all_revisions = list_revisions(&env.conn, &NamespaceScope::All, None)
        .await
        .expect("all");
    assert!(
        all_revisions.len() > revisions.len(),
        "the seeded functions have revisions too"
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn fetch_explains_a_crash_loop_from_the_scenario() {
    let env = start().await;
    env.sandbox
        .control()
        .start_scenario(&Scenario::CrashLoop(NS.into(), "crashy".into()));
    create(&env, &warm("crashy", IMAGE)).await;
    let d = until(
        "crashy's revision explained",
        || fetched_detail(&env, "crashy"),
        |d| {
            d.revisions.first().is_some_and(|r| {
                r.why
                    .as_deref()
                    .is_some_and(|w| w.contains("keeps crashing"))
            })
        },
    )
    .await;
    assert_eq!(d.ready, ConditionStatus::False);
    let why = d.revisions[0].why.as_deref().unwrap_or_default();
    assert!(
        why.starts_with("user-container keeps crashing: exit code 1, restarted "),
        "{why}"
    );
    assert!(why.ends_with("; last: Error"), "{why}");
    assert_eq!(d.pods[0].status, "CrashLoopBackOff");
    assert!(d.pods[0].restarts > 0);
    assert!(
        d.events
            .iter()
            .any(|e| e.is_warning() && e.reason.as_deref() == Some("BackOff")),
        "{:#?}",
        d.events
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn fetch_explains_an_image_that_cannot_be_pulled() {
    let env = start().await;
    let image = "ghcr.io/funcdeck/does-not-exist:1";
    create(&env, &warm("unpullable", image)).await;
    let d = until(
        "unpullable's revision explained by its pod",
        || fetched_detail(&env, "unpullable"),
        |d| {
            d.revisions
                .first()
                .is_some_and(|r| r.pods_total > 0 && r.why.is_some())
        },
    )
    .await;
    let why = d.revisions[0].why.as_deref().unwrap_or_default();
    assert!(
        why.starts_with(&format!("image {image} cannot be pulled: ")),
        "{why}"
    );
    assert_eq!(d.pods[0].status, "ImagePullBackOff");
    assert_eq!(
        d.revisions[0].revision.reason.as_deref(),
        Some("ContainerMissing")
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_missing_function_is_not_found_by_name() {
    let env = start().await;
    let err = fetch_function(&env.conn, NS, "no-such-fn")
        .await
        .expect_err("missing");
    assert_eq!(
        err,
        CoreError::NotFound {
            message: "function \"no-such-fn\" not found in namespace \"default\"".into()
        }
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_user_who_cannot_read_pods_or_events_still_gets_the_function() {
    let env = start().await;
    create(&env, &warm("partial", IMAGE)).await;

    // A role that reads Knative objects and nothing else, bound to user `kn-only` in default.
    let role: ClusterRole = serde_json::from_value(json!({
        "metadata": {"name": "knative-reader"},
        "rules": [{"apiGroups": ["serving.knative.dev"], "resources": ["*"],
                   "verbs": ["get", "list", "watch"]}]
    }))
    .expect("role");
    Api::<ClusterRole>::all(env.conn.client.clone())
        .create(&PostParams::default(), &role)
        .await
        .expect("create role");
    let binding: RoleBinding = serde_json::from_value(json!({
        "metadata": {"name": "kn-only", "namespace": NS},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "knative-reader"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "kn-only"}]
    }))
    .expect("binding");
    Api::<RoleBinding>::namespaced(env.conn.client.clone(), NS)
        .create(&PostParams::default(), &binding)
        .await
        .expect("create binding");

    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kn-only");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n\
             contexts:\n- name: kn-only\n  context:\n    cluster: c\n    user: kn-only\n    namespace: {NS}\n\
             current-context: kn-only\nusers:\n- name: kn-only\n  user:\n    as: kn-only\n",
            env.conn.cluster
        ),
    )
    .expect("write kubeconfig");
    let limited = connect(&ClusterTarget {
        kubeconfig: Some(kubeconfig),
        context: None,
    })
    .await
    .expect("connect as kn-only");

    let parts = fetch_function(&limited, NS, "partial")
        .await
        .expect("the function itself");
    assert_eq!(parts.service.metadata.name.as_deref(), Some("partial"));
    assert!(parts.revisions.is_ok(), "{:?}", parts.revisions);
    for (part, resource) in [
        (parts.pods.as_ref().err(), "pods"),
        (parts.events.as_ref().err(), "events"),
    ] {
        match part {
            Some(CoreError::Forbidden { message }) => assert!(
                message.contains("\"kn-only\"") && message.contains(resource),
                "{message}"
            ),
            other => panic!("{resource}: expected forbidden, got {other:?}"),
        }
    }
    // The admin sees every part.
    let all = fetch_function(&env.conn, NS, "partial")
        .await
        .expect("admin");
    assert!(all.pods.is_ok() && all.events.is_ok());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn revisions_pods_and_events_are_watched_as_a_function_comes_and_goes() {
    let env = start().await;
    let scope = NamespaceScope::One(NS.into());
    let selector = function_selector("watched");
    let mut revisions = watch_revisions(&env.conn, &scope, Some(&selector));
    let mut objects = watch_function_revisions(&env.conn, NS, "watched");
    let mut pods = watch_pods(&env.conn, &scope, Some(&selector));
    let mut events = watch_events(&env.conn, &scope);
    for synced in [
        matches!(next_matching(&mut revisions, "revisions Synced", |e| matches!(e, WatchEvent::Synced(_))).await, WatchEvent::Synced(v) if v.is_empty()),
        matches!(next_matching(&mut objects, "objects Synced", |e| matches!(e, WatchEvent::Synced(_))).await, WatchEvent::Synced(v) if v.is_empty()),
        matches!(next_matching(&mut pods, "pods Synced", |e| matches!(e, WatchEvent::Synced(_))).await, WatchEvent::Synced(v) if v.is_empty()),
    ] {
        assert!(synced, "nothing of `watched` exists yet");
    }
    next_matching(&mut events, "events Synced", |e| {
        matches!(e, WatchEvent::Synced(_))
    })
    .await;

    create(&env, &warm("watched", IMAGE)).await;
    next_matching(&mut revisions, "the revision Ready", |e| {
        matches!(e, WatchEvent::Applied(r)
            if r.key.name == "watched-00001" && r.ready == ConditionStatus::True)
    })
    .await;
    let WatchEvent::Applied(object) = next_matching(&mut objects, "the full revision", |e| {
        matches!(e, WatchEvent::Applied(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(
        object.spec.image(),
        Some(IMAGE),
        "the whole object, spec included"
    );
    let WatchEvent::Applied(pod) = next_matching(
        &mut pods,
        "a running pod",
        |e| matches!(e, WatchEvent::Applied(p) if p.status == "Running"),
    )
    .await
    else {
        unreachable!()
    };
    assert_eq!(pod.function.as_deref(), Some("watched"));
    next_matching(
        &mut events,
        "an event about the pod",
        |e| matches!(e, WatchEvent::Applied(ev) if ev.involved_name == pod.key.name),
    )
    .await;

    services(&env.conn, NS)
        .delete("watched", &DeleteParams::default())
        .await
        .expect("delete");
    next_matching(
        &mut revisions,
        "the revision Deleted",
        |e| matches!(e, WatchEvent::Deleted(k) if k.name == "watched-00001"),
    )
    .await;
    next_matching(
        &mut pods,
        "the pod Deleted",
        |e| matches!(e, WatchEvent::Deleted(k) if *k == pod.key),
    )
    .await;
    env.sandbox.shutdown().await;
}
