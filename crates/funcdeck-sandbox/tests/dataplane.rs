//! The simulated data plane as `kubectl get pods` shows it: pods appear with load (through a
//! cold start), stay within max-scale, and disappear after the idle window; the revision's
//! replica counts and the published request rate follow.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Env, eventually, get_json, ready, send_json};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

const K: &str = "/apis/serving.knative.dev/v1/namespaces/default";

async fn start() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 1,
        seed: 7,
        ready_delay: Duration::from_millis(100),
        tick: Duration::from_millis(50),
        idle_window: Duration::from_millis(1500),
        cold_start: Duration::from_millis(2000),
        ..SandboxConfig::default()
    };
    Env {
        sandbox: Sandbox::start(config).await.unwrap(),
        dir,
    }
}

async fn pod_lines(env: &Env) -> Vec<String> {
    let out = env
        .kubectl(&[
            "get",
            "pods",
            "-n",
            "default",
            "-l",
            "serving.knative.dev/service=scaler",
            "--no-headers",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.lines().map(str::to_string).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pods_scale_up_with_load_and_to_zero_when_idle() {
    let env = start().await;
    let a = env.addr();
    // Pin the load: the seeded profile of a new service may be busy.
    let ctl = env.sandbox.control();
    ctl.set_load("default", "scaler", Some(0.0));
    let body = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "scaler"},
        "spec": {"template": {"metadata": {"annotations": {"autoscaling.knative.dev/max-scale": "3"}},
                              "spec": {"containers": [{"image": "ghcr.io/acme/scaler:1"}]}}}});
    let r = send_json(
        a,
        "POST",
        &format!("{K}/services"),
        "application/json",
        &body,
    )
    .await;
    assert_eq!(r.status, 201);
    eventually(10, || async {
        let o = get_json(a, &format!("{K}/services/scaler")).await;
        ready(&o).filter(|(s, _)| s == "True").map(|_| ())
    })
    .await;
    // Initial scale 1, then nobody calls: scaled to zero.
    eventually(15, || async {
        pod_lines(&env).await.is_empty().then_some(())
    })
    .await;
    let rev = get_json(a, &format!("{K}/revisions/scaler-00001")).await;
    assert_eq!(rev["status"]["actualReplicas"], 0);
    assert_eq!(rev["status"]["desiredReplicas"], 0);
    let active = rev["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Active")
        .unwrap()
        .clone();
    assert_eq!(active["reason"], "NoTraffic");

    // Load arrives: a cold start, then max-scale pods Running.
    ctl.set_load("default", "scaler", Some(1000.0));
    let cold = eventually(10, || async {
        pod_lines(&env)
            .await
            .into_iter()
            .find(|l| l.contains("Pending") || l.contains("ContainerCreating"))
    })
    .await;
    assert!(cold.starts_with("scaler-00001-deployment-"), "{cold}");
    let running = eventually(15, || async {
        let lines = pod_lines(&env).await;
        (lines.len() == 3
            && lines
                .iter()
                .all(|l| l.contains("2/2") && l.contains("Running")))
        .then_some(lines)
    })
    .await;
    assert_eq!(running.len(), 3, "max-scale caps the pods");
    assert_eq!(ctl.load_of("default", "scaler-00001"), 1000.0);
    let rev = get_json(a, &format!("{K}/revisions/scaler-00001")).await;
    assert_eq!(rev["status"]["desiredReplicas"], 3);
    assert_eq!(rev["status"]["actualReplicas"], 3);
    let pod = get_json(a, "/api/v1/namespaces/default/pods?labelSelector=serving.knative.dev%2Frevision%3Dscaler-00001").await;
    let p = &pod["items"][0];
    assert_eq!(p["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");
    assert_eq!(
        p["metadata"]["labels"]["serving.knative.dev/service"],
        "scaler"
    );
    let events = env
        .kubectl(&[
            "get",
            "events",
            "-n",
            "default",
            "--field-selector",
            "reason=ScalingReplicaSet",
        ])
        .await;
    assert!(
        events
            .stdout
            .contains("Scaled up replica set scaler-00001-deployment-"),
        "{}",
        events.stdout
    );

    // Load stops: after the idle window the pods go away again.
    ctl.set_load("default", "scaler", Some(0.0));
    eventually(5, || async {
        (ctl.load_of("default", "scaler-00001") == 0.0).then_some(())
    })
    .await;
    eventually(15, || async {
        pod_lines(&env).await.is_empty().then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn min_scale_keeps_pods_without_load() {
    let env = start().await;
    let a = env.addr();
    env.sandbox
        .control()
        .set_load("default", "scaler", Some(0.0));
    let body = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "scaler"},
        "spec": {"template": {"metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "2"}},
                              "spec": {"containers": [{"image": "ghcr.io/acme/scaler:1"}]}}}});
    assert_eq!(
        send_json(
            a,
            "POST",
            &format!("{K}/services"),
            "application/json",
            &body
        )
        .await
        .status,
        201
    );
    eventually(15, || async {
        let lines = pod_lines(&env).await;
        (lines.len() == 2 && lines.iter().all(|l| l.contains("Running"))).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        pod_lines(&env).await.len(),
        2,
        "min-scale holds after the idle window"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeded_load_is_deterministic_and_idle_functions_start_at_zero() {
    let seeded = || async {
        let config = SandboxConfig {
            functions: 40,
            seed: 3,
            tick: Duration::from_secs(3600),
            ..SandboxConfig::default()
        };
        let sb = Sandbox::start(config).await.unwrap();
        let v = get_json(sb.addr(), "/api/v1/pods").await;
        let names: Vec<(String, String)> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| {
                p["metadata"]["name"]
                    .as_str()
                    .unwrap()
                    .contains("-deployment-")
            })
            .map(|p| {
                (
                    p["metadata"]["name"].as_str().unwrap().to_string(),
                    p["status"]["phase"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let revs = get_json(sb.addr(), "/apis/serving.knative.dev/v1/revisions").await;
        let ready_active = revs["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["metadata"]["labels"]["serving.knative.dev/routingState"] == "active"
                    && ready(r).is_some_and(|(s, _)| s == "True")
            })
            .count();
        sb.shutdown().await;
        (names, ready_active)
    };
    let (a, active) = seeded().await;
    let (b, _) = seeded().await;
    // Deploying revisions resolve on a timer, so only settled (Running) pods are compared.
    let running_of = |v: &[(String, String)]| -> Vec<String> {
        v.iter()
            .filter(|(_, p)| p == "Running")
            .map(|(n, _)| n.clone())
            .collect()
    };
    assert_eq!(running_of(&a), running_of(&b), "same seed, same pods");
    let running = running_of(&a).len();
    assert!(running > 0, "some functions are busy");
    assert!(
        running < active,
        "idle functions start scaled to zero ({running} of {active})"
    );
}
