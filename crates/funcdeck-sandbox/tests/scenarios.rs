//! Failure scenarios, each observed the way a client would: crash loops with a rising
//! restartCount (kubectl), unpullable images, a slow API (a lower bound on latency, never an
//! upper one), watch streams that end, and an apiserver restart that refuses connections and
//! comes back with the same store and increasing resourceVersions.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Env, eventually, get, get_json, ready, request, send_json, try_get_json, watch};
use funcdeck_sandbox::{Sandbox, SandboxConfig, Scenario};
use serde_json::{Value, json};

const K: &str = "/apis/serving.knative.dev/v1/namespaces/default";

async fn start(scenarios: Vec<Scenario>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 1,
        ready_delay: Duration::from_millis(100),
        tick: Duration::from_millis(50),
        cold_start: Duration::from_millis(100),
        crash_every: Duration::from_millis(200),
        restart_downtime: Duration::from_millis(1500),
        scenarios,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    Env { sandbox, dir }
}

async fn service(env: &Env, name: &str) {
    let body = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"template": {"spec": {"containers": [{"image": format!("ghcr.io/acme/{name}:1")}]}}}});
    let r = send_json(
        env.addr(),
        "POST",
        &format!("{K}/services"),
        "application/json",
        &body,
    )
    .await;
    assert_eq!(r.status, 201);
}

async fn revision_ready(env: &Env, rev: &str, want: (&str, &str)) -> Value {
    let path = format!("{K}/revisions/{rev}");
    let a = env.addr();
    eventually(10, || async {
        let o = try_get_json(a, &path).await?;
        ready(&o)
            .filter(|(s, r)| s == want.0 && r == want.1)
            .map(|_| o)
    })
    .await
}

fn restarts(kubectl_line: &str) -> u64 {
    // NAME READY STATUS RESTARTS AGE
    kubectl_line
        .split_whitespace()
        .nth(3)
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crashloop_from_the_configmap_raises_restart_count_until_the_key_is_deleted() {
    let env = start(vec![]).await;
    service(&env, "cart").await;
    revision_ready(&env, "cart-00001", ("True", "")).await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "funcdeck-sandbox-scenarios", "namespace": "kube-system"},
        "data": {"crashloop": "default/cart"}});
    let file = env.file("cm.json", &cm.to_string());
    let out = env.kubectl(&["apply", "-f", file.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rev = revision_ready(&env, "cart-00001", ("False", "ExitCode1")).await;
    assert!(
        rev["status"]["conditions"]
            .to_string()
            .contains("Container failed with: ")
    );
    let line = || async {
        let out = env
            .kubectl(&[
                "get",
                "pods",
                "-n",
                "default",
                "-l",
                "serving.knative.dev/service=cart",
            ])
            .await;
        out.stdout
            .lines()
            .find(|l| l.contains("CrashLoopBackOff"))
            .map(str::to_string)
    };
    let first = eventually(10, &line).await;
    let n0 = restarts(&first);
    let later = eventually(10, || async {
        line().await.filter(|l| restarts(l) >= n0 + 2)
    })
    .await;
    assert!(later.starts_with("cart-00001-deployment-"), "{later}");
    let events = env
        .kubectl(&[
            "get",
            "events",
            "-n",
            "default",
            "--field-selector",
            "reason=BackOff",
            "-o",
            "json",
        ])
        .await;
    let ev: Value = serde_json::from_str(&events.stdout).unwrap();
    assert!(
        ev["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["count"].as_i64().unwrap() >= 2),
        "BackOff events coalesce with a count"
    );
    // Deleting the key ends the scenario.
    let r = send_json(
        env.addr(),
        "PATCH",
        "/api/v1/namespaces/kube-system/configmaps/funcdeck-sandbox-scenarios",
        "application/json-patch+json",
        &json!([{"op": "remove", "path": "/data/crashloop"}]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    revision_ready(&env, "cart-00001", ("True", "")).await;
    assert!(env.sandbox.control().scenarios().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpullable_from_the_control_api_and_crashloop_from_the_start() {
    let env = start(vec!["crashloop=default/boom".parse().unwrap()]).await;
    service(&env, "boom").await;
    service(&env, "fraud").await;
    revision_ready(&env, "boom-00001", ("False", "ExitCode1")).await;
    revision_ready(&env, "fraud-00001", ("True", "")).await;
    let ctl = env.sandbox.control();
    let s = Scenario::Unpullable("default".into(), "fraud".into());
    ctl.start_scenario(&s);
    let rev = revision_ready(&env, "fraud-00001", ("False", "ContainerMissing")).await;
    assert!(
        rev["status"]["conditions"]
            .to_string()
            .contains("Unable to fetch image")
    );
    let a = env.addr();
    eventually(10, || async {
        let pods = get_json(
            a,
            "/api/v1/namespaces/default/pods?labelSelector=serving.knative.dev%2Fservice%3Dfraud",
        )
        .await;
        pods.to_string().contains("ImagePullBackOff").then_some(())
    })
    .await;
    ctl.end_scenario(&s);
    revision_ready(&env, "fraud-00001", ("True", "")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_api_delays_every_request() {
    let env = start(vec!["slow-api=300ms".parse().unwrap()]).await;
    let a = env.addr();
    for path in ["/version", "/api/v1/namespaces", &format!("{K}/services")] {
        let t = Instant::now();
        assert_eq!(get(a, path).await.status, 200);
        assert!(
            t.elapsed() >= Duration::from_millis(300),
            "{path}: {:?}",
            t.elapsed()
        );
    }
    env.sandbox
        .control()
        .end_scenario(&Scenario::SlowApi(Duration::ZERO));
    // Back to normal: the request is served (no timing assertion on speed).
    assert_eq!(get(a, "/version").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_watch_streams_end() {
    let env = start(vec!["drop-watches=300ms".parse().unwrap()]).await;
    let mut w = watch(env.addr(), "/api/v1/namespaces?watch=true", &[]).await;
    assert_eq!(w.status, 200);
    let _ = w.rest(Duration::from_secs(5)).await;
    assert!(w.ended(), "the server closed the watch stream");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apiserver_restart_refuses_then_recovers_with_rvs_increasing() {
    let env = start(vec![]).await;
    let a = env.addr();
    let before = get_json(a, "/api/v1/namespaces").await["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    let mut w = watch(
        a,
        &format!("/api/v1/namespaces?watch=true&resourceVersion={before}"),
        &[],
    )
    .await;
    env.sandbox.control().restart_apiserver();
    let _ = w.rest(Duration::from_secs(5)).await;
    assert!(w.ended(), "watch streams are cut by the restart");
    let refused = eventually(5, || async {
        tokio::net::TcpStream::connect(a)
            .await
            .err()
            .map(|e| e.kind())
    })
    .await;
    assert_eq!(refused, std::io::ErrorKind::ConnectionRefused);
    // Back on the same address with the same store.
    let ns = eventually(10, || async {
        match tokio::net::TcpStream::connect(a).await {
            Ok(_) => Some(get_json(a, "/api/v1/namespaces/default").await),
            Err(_) => None,
        }
    })
    .await;
    assert_eq!(ns["metadata"]["name"], "default");
    let r = send_json(
        a,
        "POST",
        "/api/v1/namespaces",
        "application/json",
        &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "after-restart"}}),
    )
    .await;
    assert_eq!(r.status, 201);
    let rv: u64 = r.json()["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(rv > before, "{rv} > {before}");
    // A watcher resumes from its last resourceVersion and sees what happened meanwhile.
    let mut w = watch(
        a,
        &format!("/api/v1/namespaces?watch=true&resourceVersion={before}"),
        &[],
    )
    .await;
    let ev = w.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(ev["object"]["metadata"]["name"], "after-restart");
    let d = request(a, "DELETE", "/api/v1/namespaces/after-restart", &[], b"").await;
    assert_eq!(d.status, 200);
}
