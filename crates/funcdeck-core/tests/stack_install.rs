//! The stack installed into the simulated cluster end to end: every component from an
//! air-gapped directory, the backends answering through the service proxy once ready, a second
//! run changing nothing, and an uninstall leaving nothing behind (the backends gone again).

mod common;

use common::stack::{options, start, start_config};
use funcdeck_core::stack::KnativeEra;
use funcdeck_core::stack::session::{self, prepare_own};
use funcdeck_core::stack::status::{State, status};
use funcdeck_core::stack::{Action, Component, StepState};
use funcdeck_sandbox::{MetricsEra, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_component_installs_reruns_unchanged_and_uninstalls_to_nothing() {
    let env = start(true, Vec::new()).await;
    let all = options(&Component::ALL);

    // Before: nothing is there, every object is to be created, the backends do not answer.
    let prepared = env.prepare(&all).await;
    let plan = env.plan(&prepared).await;
    assert!(plan.objects.len() > 40, "{} objects", plan.objects.len());
    assert!(
        plan.objects
            .iter()
            .filter(|p| !p.desired.shared && p.desired.reference.kind != "Namespace")
            .all(|p| p.action == Action::Create),
        "a bare cluster has none of the stack"
    );
    assert!(session::preflight(&env.cluster, &plan).await.is_empty());
    for (_, verify) in &prepared.verifies {
        assert!(
            env.cluster.verify(verify).await.is_err(),
            "{verify:?} answers before install"
        );
    }

    let run = env.install(&all).await;
    assert_eq!(run.outcome, Some(Ok(())), "{:#?}", run.log);
    assert!(run.steps.iter().all(|s| matches!(
        s.state,
        StepState::Ready | StepState::Applied | StepState::Kept
    )));
    for (_, verify) in &prepared.verifies {
        env.cluster
            .verify(verify)
            .await
            .expect("the backend answers once installed");
    }
    let own = prepare_own(&env.cluster, &env.bundle, &all)
        .await
        .expect("own");
    let states = status(&env.cluster, &own).await.expect("status");
    assert!(
        states.iter().all(|s| s.state == State::Ready),
        "{states:#?}"
    );

    // Again: the same objects, nothing to write.
    let again = env.plan(&env.prepare(&all).await).await;
    let changed: Vec<String> = again
        .objects
        .iter()
        .filter(|p| !matches!(p.action, Action::Unchanged | Action::Kept))
        .map(|p| format!("{} {:?}", p.desired.reference, p.action))
        .collect();
    assert!(
        changed.is_empty(),
        "a second plan would write: {changed:#?}"
    );
    let rerun = env.install(&all).await;
    assert_eq!(rerun.outcome, Some(Ok(())));
    assert!(
        rerun.log.iter().all(|l| !l.starts_with("applied")),
        "{:#?}",
        rerun.log
    );

    // Uninstalled: nothing of funcdeck's is left, Knative's ConfigMaps keep only their own keys.
    let run = env.uninstall(&all).await;
    assert_eq!(run.outcome, Some(Ok(())), "{:#?}", run.log);
    let left = session::found_for_uninstall(&env.cluster, &own.desired, &own.components)
        .await
        .expect("found");
    assert!(
        left.iter().all(|(_, _, shared)| *shared),
        "left behind: {left:#?}"
    );
    for d in own.desired.iter().filter(|d| !d.shared) {
        assert_eq!(
            env.cluster.get(&d.reference).await.expect("read"),
            None,
            "{} is still there",
            d.reference
        );
    }
    for (_, verify) in &prepared.verifies {
        assert!(
            env.cluster.verify(verify).await.is_err(),
            "{verify:?} still answers"
        );
    }
    let states = status(&env.cluster, &own).await.expect("status");
    assert!(
        states.iter().all(|s| s.state == State::NotInstalled),
        "{states:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wiring_follows_the_knative_release_the_cluster_runs() {
    for (era, release, configmap) in [
        (
            MetricsEra::V118,
            KnativeEra::OpenCensus,
            "ConfigMap knative-serving/config-tracing",
        ),
        (
            MetricsEra::V119,
            KnativeEra::OpenTelemetry,
            "ConfigMap knative-serving/config-observability",
        ),
    ] {
        let env = start_config(SandboxConfig {
            bare: true,
            metrics_era: era,
            ..SandboxConfig::default()
        })
        .await;
        let prepared = env.prepare(&options(&[Component::Wiring])).await;
        assert_eq!(prepared.era, release);
        assert!(
            prepared.era_source.contains(era.release()),
            "{}",
            prepared.era_source
        );
        let objects: Vec<String> = prepared
            .desired
            .iter()
            .map(|d| d.reference.to_string())
            .collect();
        assert_eq!(objects, [configmap]);
        let run = env.install(&options(&[Component::Wiring])).await;
        assert_eq!(run.outcome, Some(Ok(())), "{:#?}", run.log);
        let live = env
            .cluster
            .get(&prepared.desired[0].reference)
            .await
            .expect("read")
            .expect("there");
        assert!(
            live["data"]
                .as_object()
                .expect("data")
                .keys()
                .any(|k| k.contains("endpoint")),
            "{live}"
        );
        // Knative's own keys stay; uninstalling takes only funcdeck's out.
        let before = live["data"].as_object().expect("data").len();
        let run = env.uninstall(&options(&[Component::Wiring])).await;
        assert_eq!(run.outcome, Some(Ok(())), "{:#?}", run.log);
        let after = env
            .cluster
            .get(&prepared.desired[0].reference)
            .await
            .expect("read")
            .expect("kept");
        let keys = after["data"].as_object().map_or(0, |d| d.len());
        assert!(keys < before, "{after}");
        assert!(
            !after["data"]
                .as_object()
                .into_iter()
                .flatten()
                .any(|(k, _)| k.contains("endpoint")),
            "{after}"
        );
    }
}
