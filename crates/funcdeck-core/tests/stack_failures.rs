//! The stack installer when things go wrong, against the simulated cluster: a tampered or
//! missing release file, an image that cannot be pulled, a claim no volume binds, a webhook
//! that never gets ready, someone else's Prometheus in the way, a user who may not create
//! CRDs, and an install cut short — each with its reason, nothing written behind the user's
//! back, and a second install finishing what the first left.

mod common;

use std::time::Duration;

use common::stack::{options, start, timing};
use funcdeck_core::stack::session::{self, prepare_own};
use funcdeck_core::stack::status::{State, status};
use funcdeck_core::stack::{Action, Component, ObjectRef, Outcome, Run, StepState, Timing};
use funcdeck_sandbox::Scenario;

fn scenario(text: &str) -> Scenario {
    text.parse().expect("a scenario")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_or_missing_release_file_is_refused_before_anything_is_written() {
    let env = start(true, Vec::new()).await;
    let tracing = options(&[Component::Tracing]);
    std::fs::write(
        env.from.path().join("cert-manager.yaml"),
        "kind: Namespace\n# changed\n",
    )
    .expect("tamper");
    let err = session::prepare(&env.cluster, &env.bundle, &tracing, Some(env.from.path()))
        .await
        .expect_err("tampered");
    assert!(
        err.contains("cert-manager v0.0.0-test: SHA-256 mismatch for"),
        "{err}"
    );
    assert!(err.contains("was not used"), "{err}");

    std::fs::remove_file(env.from.path().join("cert-manager.yaml")).expect("remove");
    let err = session::prepare(&env.cluster, &env.bundle, &tracing, Some(env.from.path()))
        .await
        .expect_err("missing");
    assert!(err.contains("cert-manager.yaml is not in"), "{err}");
    assert!(err.contains("its SHA-256 must be"), "{err}");
    let own = prepare_own(&env.cluster, &env.bundle, &tracing)
        .await
        .expect("own");
    let states = status(&env.cluster, &own).await.expect("status");
    assert_eq!(states[0].state, State::NotInstalled, "{states:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpullable_image_fails_with_its_reason_and_a_retry_finishes_once_it_pulls() {
    let pull = scenario("unpullable-workload=monitoring/prometheus");
    let env = start(true, vec![pull.clone()]).await;
    let metrics = options(&[Component::Metrics]);
    let run = env.install(&metrics).await;
    let Some(Err(reason)) = &run.outcome else {
        panic!("installed with an unpullable image: {:#?}", run.log)
    };
    assert!(
        reason.starts_with("Deployment monitoring/prometheus: pod prometheus-"),
        "{reason}"
    );
    assert!(
        reason.contains("ImagePullBackOff") || reason.contains("ErrImagePull"),
        "{reason}"
    );
    assert!(
        run.left()
            .iter()
            .any(|r| r.to_string() == "Deployment monitoring/prometheus")
    );

    let own = prepare_own(&env.cluster, &env.bundle, &metrics)
        .await
        .expect("own");
    let states = status(&env.cluster, &own).await.expect("status");
    assert_eq!(states[0].state, State::Failed, "{states:?}");
    assert!(
        states[0].reason.contains("monitoring/prometheus"),
        "{states:?}"
    );

    env.sandbox.control().end_scenario(&pull);
    let retry = env.install(&metrics).await;
    assert_eq!(retry.outcome, Some(Ok(())), "{:#?}", retry.log);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unbound_claim_fails_the_log_store_with_the_schedulers_message() {
    let env = start(
        true,
        vec![scenario("pending-pvc=logging/elasticsearch-master")],
    )
    .await;
    let run = env.install(&options(&[Component::Logging])).await;
    let Some(Err(reason)) = &run.outcome else {
        panic!("installed with an unbound claim: {:#?}", run.log)
    };
    assert!(
        reason.starts_with("StatefulSet logging/elasticsearch-master: pod elasticsearch-master-0:"),
        "{reason}"
    );
    assert!(reason.contains("Unschedulable"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_that_never_gets_ready_stops_the_install_at_its_stage() {
    let env = start(
        true,
        vec![scenario(
            "webhook-not-ready=cert-manager/cert-manager-webhook",
        )],
    )
    .await;
    let short = Timing {
        step_timeout: Duration::from_secs(3),
        ..timing()
    };
    let run = env
        .install_with(&options(&[Component::Tracing]), short)
        .await;
    let Some(Err(reason)) = &run.outcome else {
        panic!("installed past a webhook that is not ready: {:#?}", run.log)
    };
    assert!(
        reason.starts_with("Deployment cert-manager/cert-manager-webhook not ready within 3s"),
        "{reason}"
    );
    // Nothing of the next stages was written.
    assert!(
        run.steps
            .iter()
            .filter(|s| s.reference.namespace.as_deref() == Some("observability"))
            .all(|s| s.state == StepState::Pending),
        "{:#?}",
        run.log
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_prometheus_is_not_taken_over() {
    // A seeded sandbox has a Prometheus funcdeck did not install.
    let env = start(false, Vec::new()).await;
    let metrics = options(&[Component::Metrics]);
    let plan = env.plan(&env.prepare(&metrics).await).await;
    let deployment = plan
        .objects
        .iter()
        .find(|p| p.desired.reference.to_string() == "Deployment monitoring/prometheus")
        .expect("planned");
    assert!(
        matches!(deployment.action, Action::Foreign { .. }),
        "{:?}",
        deployment.action
    );
    assert!(
        plan.objects.iter().any(|p| p.action == Action::Kept),
        "the namespace is kept"
    );
    let refusals = Run::install(&plan, Vec::new(), timing()).expect_err("refused");
    assert!(
        refusals
            .iter()
            .any(|r| r
                .starts_with("Deployment monitoring/prometheus already exists and is managed by")),
        "{refusals:?}"
    );

    let own = prepare_own(&env.cluster, &env.bundle, &metrics)
        .await
        .expect("own");
    let states = status(&env.cluster, &own).await.expect("status");
    assert_eq!(states[0].state, State::NotInstalled, "{states:?}");
    assert!(
        states[0].reason.contains("not installed by funcdeck"),
        "{states:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_may_not_create_crds_is_told_before_anything_is_written() {
    let env = start(true, Vec::new()).await;
    let tracing = options(&[Component::Tracing]);
    // A developer may not even read CRDs: the plan says so and what it takes.
    let developer = env.as_context("sandbox-developer").await;
    let prepared = session::prepare(&developer, &env.bundle, &tracing, Some(env.from.path()))
        .await
        .expect("prepared");
    let err = session::plan_for(&developer, &prepared)
        .await
        .expect_err("forbidden");
    assert!(err.starts_with("cannot read CustomResourceDefinition certificates.cert-manager.io to plan the stack (forbidden:"), "{err}");
    assert!(err.contains("a cluster administrator's rights"), "{err}");

    // A viewer who may read everything and write nothing: every write is named before the first.
    for object in [
        serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "reads-everything"},
            "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list"]}]}),
        serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": "viewer-reads-everything"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "reads-everything"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer"}]}),
    ] {
        let reference = ObjectRef::of(&object).expect("identity");
        assert_eq!(
            env.cluster.apply(&reference, &object).await,
            Outcome::Applied
        );
    }
    let viewer = env.as_context("sandbox-viewer").await;
    let prepared = session::prepare(&viewer, &env.bundle, &tracing, Some(env.from.path()))
        .await
        .expect("prepared");
    let plan = session::plan_for(&viewer, &prepared)
        .await
        .expect("planned");
    let denied = session::preflight(&viewer, &plan).await;
    assert!(
        denied.iter().any(|d| d.starts_with("you may not create customresourcedefinitions.apiextensions.k8s.io cluster-wide (needed for CustomResourceDefinition")),
        "{denied:#?}"
    );
    assert!(
        denied
            .iter()
            .any(|d| d.contains("in namespace observability")),
        "{denied:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_install_shows_as_progressing_and_a_second_one_finishes_it() {
    let env = start(true, Vec::new()).await;
    let metrics = options(&[Component::Metrics]);
    let prepared = env.prepare(&metrics).await;
    let plan = env.plan(&prepared).await;
    let mut run = Run::install(&plan, prepared.verifies.clone(), timing()).expect("run");
    // Cut short after five objects are written (as Ctrl-C or a lost connection would).
    session::drive_until(&mut run, &env.cluster, |_| {}, |r| r.log.len() >= 5).await;
    assert_eq!(run.outcome, Some(Err("interrupted".into())));
    assert_eq!(run.left().len(), plan.objects.len() - 5, "{:#?}", run.log);

    let own = prepare_own(&env.cluster, &env.bundle, &metrics)
        .await
        .expect("own");
    let states = status(&env.cluster, &own).await.expect("status");
    assert_eq!(states[0].state, State::Progressing, "{states:?}");
    assert!(states[0].reason.contains("objects missing"), "{states:?}");
    assert!(
        states[0]
            .reason
            .contains("`funcdeck stack install` finishes it"),
        "{states:?}"
    );

    let finished = env.install(&metrics).await;
    assert_eq!(finished.outcome, Some(Ok(())), "{:#?}", finished.log);
    let states = status(&env.cluster, &own).await.expect("status");
    assert_eq!(states[0].state, State::Ready, "{states:?}");
}
