//! The install and uninstall runs driven by hand: a fake clock and scripted outcomes.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::stack::object::{Desired, Wave, label};
use crate::stack::plan::plan;
use crate::stack::readiness::Readiness;

fn desired(component: Component, stage: usize, object: Value) -> Desired {
    let reference = ObjectRef::of(&object).expect("identity");
    let wave = match reference.kind.as_str() {
        "CustomResourceDefinition" | "Namespace" => Wave::Foundations,
        "OpenTelemetryCollector" => Wave::CustomResources,
        _ => Wave::Objects,
    };
    let mut object = object;
    label(&mut object, component);
    Desired {
        component,
        source: "test.yaml".into(),
        stage,
        wave,
        reference,
        object,
        shared: false,
    }
}

fn stack() -> Vec<Desired> {
    vec![
        desired(
            Component::Tracing,
            0,
            json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "opentelemetrycollectors.opentelemetry.io"}}),
        ),
        desired(
            Component::Tracing,
            0,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "observability"}}),
        ),
        desired(
            Component::Tracing,
            0,
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "jaeger", "namespace": "observability"}}),
        ),
        desired(
            Component::Tracing,
            0,
            json!({"apiVersion": "opentelemetry.io/v1beta1", "kind": "OpenTelemetryCollector", "metadata": {"name": "knative", "namespace": "observability"}}),
        ),
    ]
}

fn verify() -> Verify {
    Verify {
        namespace: "observability".into(),
        service: "jaeger-query".into(),
        port: 16686,
        path: "/api/services".into(),
    }
}

fn timing() -> Timing {
    Timing {
        step_timeout: Duration::from_secs(60),
        stall_grace: Duration::from_secs(10),
        poll: Duration::from_secs(1),
    }
}

fn install(observed: &BTreeMap<ObjectRef, Value>) -> Run {
    let plan = plan(&stack(), observed);
    Run::install(&plan, vec![(Component::Tracing, verify())], timing()).expect("no refusal")
}

fn name(run: &Run, next: &Next) -> String {
    let step = |i: &usize| run.steps[*i].reference.to_string();
    match next {
        Next::Apply(i) => format!("apply {}", step(i)),
        Next::Check(i) => format!("check {}", step(i)),
        Next::Delete(i) => format!("delete {}", step(i)),
        Next::Release(i) => format!("release {}", step(i)),
        Next::CheckGone(i) => format!("gone? {}", step(i)),
        Next::Verify(c, _) => format!("verify {c}"),
        Next::Sleep(d) => format!("sleep {}s", d.as_secs()),
        Next::Done => "done".into(),
        Next::Failed => "failed".into(),
    }
}

/// Drives the run, answering every action with `answer`, and returns what it was asked.
fn drive(run: &mut Run, answer: impl Fn(&Run, &Next, Duration) -> Outcome) -> Vec<String> {
    let mut now = Duration::ZERO;
    let mut seen = Vec::new();
    for _ in 0..200 {
        let next = run.next(now);
        seen.push(name(run, &next));
        match &next {
            Next::Done | Next::Failed => break,
            Next::Sleep(d) => now += *d,
            _ => {
                let outcome = answer(run, &next, now);
                run.record(&next, outcome, now);
            }
        }
    }
    seen.retain(|s| s != "sleep 0s");
    seen
}

#[test]
fn an_install_applies_foundations_then_objects_then_custom_resources_and_verifies() {
    let mut run = install(&BTreeMap::new());
    let seen = drive(&mut run, |run, next, _| match next {
        // The first look finds the CRD not established yet.
        Next::Check(i) if run.steps[*i].reference.kind == "CustomResourceDefinition" => {
            if run.steps[*i].state == StepState::Applied {
                Outcome::Readiness(Readiness::Progressing(
                    "waiting for the CRD to be established".into(),
                ))
            } else {
                Outcome::Readiness(Readiness::Ready)
            }
        }
        Next::Check(_) => Outcome::Readiness(Readiness::Ready),
        Next::Verify(..) => Outcome::Verified(Ok(())),
        _ => Outcome::Applied,
    });
    assert_eq!(
        seen,
        [
            "apply CustomResourceDefinition opentelemetrycollectors.opentelemetry.io",
            "apply Namespace observability",
            "check CustomResourceDefinition opentelemetrycollectors.opentelemetry.io",
            "sleep 1s",
            "check CustomResourceDefinition opentelemetrycollectors.opentelemetry.io",
            "apply Deployment observability/jaeger",
            "check Deployment observability/jaeger",
            "apply OpenTelemetryCollector observability/knative",
            "verify tracing",
            "done",
        ]
    );
    assert_eq!(run.outcome, Some(Ok(())));
    assert_eq!(run.progress(), (4, 4));
    assert!(run.left().is_empty());
    assert_eq!(run.log.last().map(String::as_str), Some("installed"));
}

#[test]
fn a_rerun_over_an_installed_stack_writes_nothing_and_only_checks() {
    let observed: BTreeMap<ObjectRef, Value> = stack()
        .into_iter()
        .map(|d| (d.reference, d.object))
        .collect();
    let mut run = install(&observed);
    let seen = drive(&mut run, |_, next, _| match next {
        Next::Verify(..) => Outcome::Verified(Ok(())),
        _ => Outcome::Readiness(Readiness::Ready),
    });
    assert!(seen.iter().all(|s| !s.starts_with("apply")), "{seen:?}");
    assert_eq!(seen.iter().filter(|s| s.starts_with("check")).count(), 2);
    assert_eq!(run.outcome, Some(Ok(())));
}

#[test]
fn a_pod_stuck_past_the_stall_grace_fails_the_install_with_its_reason_and_what_is_left() {
    let mut run = install(&BTreeMap::new());
    drive(&mut run, |run, next, _| match next {
        Next::Check(i) if run.steps[*i].reference.kind == "Deployment" => Outcome::Readiness(
            Readiness::Stalled("pod jaeger-1: ImagePullBackOff: Back-off pulling image".into()),
        ),
        Next::Check(_) => Outcome::Readiness(Readiness::Ready),
        _ => Outcome::Applied,
    });
    assert_eq!(
        run.outcome,
        Some(Err(
            "Deployment observability/jaeger: pod jaeger-1: ImagePullBackOff: Back-off pulling image".into()
        ))
    );
    let left: Vec<String> = run.left().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        left,
        [
            "Deployment observability/jaeger",
            "OpenTelemetryCollector observability/knative"
        ]
    );
}

#[test]
fn a_webhook_refusal_is_retried_until_it_passes_but_a_forbidden_write_fails_at_once() {
    let mut run = install(&BTreeMap::new());
    let seen = drive(&mut run, |_, next, now| match next {
        Next::Apply(_) if now < Duration::from_secs(3) => Outcome::Refused {
            reason: "failed calling webhook".into(),
            retryable: true,
        },
        Next::Verify(..) => Outcome::Verified(Ok(())),
        Next::Check(_) => Outcome::Readiness(Readiness::Ready),
        _ => Outcome::Applied,
    });
    assert_eq!(seen.iter().filter(|s| s.starts_with("sleep 1s")).count(), 3);
    assert_eq!(run.outcome, Some(Ok(())));
    assert_eq!(
        run.log.iter().filter(|l| l.contains("(retrying)")).count(),
        1,
        "one log line for a refusal repeated: {:?}",
        run.log
    );

    let mut run = install(&BTreeMap::new());
    drive(&mut run, |_, _, _| Outcome::Refused {
        reason: "forbidden: cannot create customresourcedefinitions".into(),
        retryable: false,
    });
    assert!(matches!(&run.outcome, Some(Err(r)) if r.contains("forbidden")));
    assert_eq!(run.left().len(), 4);
}

#[test]
fn a_backend_that_never_answers_times_out_naming_it_and_the_last_reason() {
    let mut run = install(&BTreeMap::new());
    drive(&mut run, |_, next, _| match next {
        Next::Verify(..) => Outcome::Verified(Err("503 Service Unavailable".into())),
        Next::Check(_) => Outcome::Readiness(Readiness::Ready),
        _ => Outcome::Applied,
    });
    assert_eq!(
        run.outcome,
        Some(Err(
            "tracing: observability/jaeger-query:16686 did not answer within 1m: 503 Service Unavailable".into()
        ))
    );
}

#[test]
fn someone_elses_object_refuses_the_install_and_an_existing_namespace_is_kept() {
    let mut observed = BTreeMap::new();
    for d in stack() {
        if matches!(d.reference.kind.as_str(), "Deployment" | "Namespace") {
            observed.insert(
                d.reference.clone(),
                json!({"metadata": {"name": d.reference.name, "labels": {"app.kubernetes.io/managed-by": "Helm"}}}),
            );
        }
    }
    let plan = plan(&stack(), &observed);
    assert_eq!(plan.objects[1].action, Action::Kept);
    let refusals = Run::install(&plan, vec![], timing()).expect_err("refused");
    assert_eq!(
        refusals,
        ["Deployment observability/jaeger already exists and is managed by Helm, not funcdeck"]
    );
}

#[test]
fn an_uninstall_releases_the_wiring_first_and_deletes_namespaces_and_crds_last() {
    let r = |kind: &str, ns: Option<&str>, name: &str| ObjectRef {
        api_version: "v1".into(),
        kind: kind.into(),
        namespace: ns.map(str::to_string),
        name: name.into(),
    };
    let found = vec![
        (
            r("Namespace", None, "observability"),
            Component::Tracing,
            false,
        ),
        (
            r("Deployment", Some("observability"), "jaeger"),
            Component::Tracing,
            false,
        ),
        (
            r("CustomResourceDefinition", None, "x.io"),
            Component::Tracing,
            false,
        ),
        (
            r("ConfigMap", Some("knative-serving"), "config-tracing"),
            Component::Wiring,
            true,
        ),
        (
            r("Deployment", Some("monitoring"), "prometheus"),
            Component::Metrics,
            false,
        ),
    ];
    let mut run = Run::uninstall(found, timing());
    let seen = drive(&mut run, |_, next, _| match next {
        Next::CheckGone(_) => Outcome::Present(false),
        Next::Delete(_) => Outcome::Deleted,
        _ => Outcome::Applied,
    });
    assert_eq!(
        seen,
        [
            "release ConfigMap knative-serving/config-tracing",
            "delete Deployment observability/jaeger",
            "gone? Deployment observability/jaeger",
            "delete Namespace observability",
            "delete CustomResourceDefinition x.io",
            "gone? Namespace observability",
            "gone? CustomResourceDefinition x.io",
            "delete Deployment monitoring/prometheus",
            "gone? Deployment monitoring/prometheus",
            "done",
        ]
    );
    assert_eq!(run.outcome, Some(Ok(())));
}
