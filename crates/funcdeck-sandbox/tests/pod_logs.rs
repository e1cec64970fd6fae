//! Pod logs through the Kubernetes API (`pods/NAME/log`), as `kubectl logs` reads them: the
//! default container from the pod's annotation, `-c`, `--tail`, `--timestamps`, `--since`,
//! `--limit-bytes`, `--previous` of a crash-looping container, `-f`, the apiserver's and
//! kubelet's refusals, RBAC on `pods/log`, hostile bytes passed through untouched, and the same
//! lines as the Elasticsearch documents.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{Env, eventually, get, get_json, message, ready, request, send_json, svc};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces/default/services";
const ES: &str = "/api/v1/namespaces/logging/services/elasticsearch:9200/proxy";

async fn start() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(50),
        idle_window: Duration::from_secs(60),
        cold_start: Duration::from_millis(200),
        crash_every: Duration::from_millis(100),
        ..SandboxConfig::default()
    };
    Env {
        sandbox: Sandbox::start(config).await.unwrap(),
        dir,
    }
}

/// Deploys `name` with min-scale 1 and returns its Running pod.
async fn running_pod(env: &Env, name: &str, image: &str) -> String {
    env.sandbox.control().set_load("default", name, Some(0.0));
    let mut s = svc(name, image);
    s["spec"]["template"]["metadata"] =
        json!({"annotations": {"autoscaling.knative.dev/min-scale": "1"}});
    let r = send_json(env.addr(), "POST", KSVC, "application/json", &s).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let a = env.addr();
    let name = name.to_string();
    eventually(20, || {
        let name = name.clone();
        async move {
            let s = get_json(a, &format!("{KSVC}/{name}")).await;
            ready(&s).filter(|(st, _)| st == "True")?;
            pods(a, &name)
                .await
                .into_iter()
                .find(|p| {
                    p["status"]["phase"] == "Running"
                        && p["status"]["containerStatuses"][0]["ready"] == true
                })
                .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        }
    })
    .await
}

async fn pods(a: SocketAddr, svc: &str) -> Vec<Value> {
    let path = format!(
        "/api/v1/namespaces/default/pods?labelSelector=serving.knative.dev/service%3D{svc}"
    );
    get_json(a, &path).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn log_path(pod: &str, query: &str) -> String {
    format!("/api/v1/namespaces/default/pods/{pod}/log?{query}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_log_options_and_refusals() {
    let env = start().await;
    let a = env.addr();
    let pod = running_pod(&env, "hello", "ghcr.io/acme/hello:1").await;
    let c = env.sandbox.control();

    // Two containers and no choice: the apiserver's refusal names them.
    let r = get(a, &log_path(&pod, "")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        message(&r),
        format!(
            "a container name must be specified for pod {pod}, choose one of: [user-container queue-proxy]"
        )
    );
    let r = get(a, &log_path(&pod, "container=nope")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        message(&r),
        format!("container nope is not valid for pod {pod}")
    );
    let r = get(a, &log_path(&pod, "container=user-container&previous=true")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        message(&r),
        format!("previous terminated container \"user-container\" in pod \"{pod}\" not found")
    );
    for (q, why) in [
        ("tailLines=-1", "tailLines"),
        ("limitBytes=0", "limitBytes"),
        ("sinceSeconds=0", "sinceSeconds"),
    ] {
        let r = get(a, &log_path(&pod, &format!("container=user-container&{q}"))).await;
        assert_eq!(r.status, 422, "{q}");
        assert!(message(&r).contains(why), "{}", message(&r));
    }
    let r = get(
        a,
        "/api/v1/namespaces/default/pods/nope/log?container=user-container",
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(message(&r), "pods \"nope\" not found");

    // Start-up lines, then what the test writes: hostile bytes arrive as they were written.
    let hostile: &[u8] = b"\x1b[31mred\x1b[0m \x1b]0;title\x07 bell\x07 cr\rX \xff\xfe end";
    assert!(c.write_log("default", &pod, "user-container", true, hostile));
    for i in 0..10 {
        assert!(c.write_log(
            "default",
            &pod,
            "user-container",
            false,
            format!("INFO line {i}").as_bytes()
        ));
    }
    let r = get(a, &log_path(&pod, "container=user-container")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .starts_with(b"INFO starting server\nINFO Listening on port 8080\n"),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(r.body.windows(hostile.len()).any(|w| w == hostile));
    assert!(r.body.ends_with(b"INFO line 9\n"));
    let r = get(a, &log_path(&pod, "container=user-container&tailLines=3")).await;
    assert_eq!(r.body, b"INFO line 7\nINFO line 8\nINFO line 9\n");
    let r = get(
        a,
        &log_path(&pod, "container=user-container&tailLines=2&timestamps=true"),
    )
    .await;
    let text = String::from_utf8(r.body).unwrap();
    for (l, n) in text.lines().zip([8, 9]) {
        let (ts, rest) = l.split_once(' ').unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(ts).is_ok(), "{ts}");
        assert_eq!(rest, format!("INFO line {n}"));
    }
    let r = get(a, &log_path(&pod, "container=user-container&limitBytes=10")).await;
    assert_eq!(r.body, b"INFO start");
    let r = get(a, &log_path(&pod, "container=queue-proxy&tailLines=50")).await;
    let text = String::from_utf8(r.body).unwrap();
    assert!(
        text.lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok()),
        "{text}"
    );
    assert!(text.contains("Starting queue-proxy"));

    // The same lines as the documents: the user container's log = its documents.
    let q = json!({"size": 100, "sort": [{"@timestamp": "asc"}, {"_doc": "asc"}], "query": {"bool": {"filter": [
        {"term": {"kubernetes.pod_name.keyword": pod}},
        {"term": {"kubernetes.container_name.keyword": "user-container"}}]}}});
    let r = request(
        a,
        "POST",
        &format!("{ES}/logstash-*/_search"),
        &[("Content-Type", "application/json")],
        &serde_json::to_vec(&q).unwrap(),
    )
    .await;
    let docs: Vec<String> = r.json()["hits"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["_source"]["log"].as_str().unwrap().to_string())
        .collect();
    let log = get(a, &log_path(&pod, "container=user-container"))
        .await
        .body;
    assert_eq!(docs.concat(), String::from_utf8_lossy(&log));
    assert!(
        docs.iter()
            .any(|d| d.contains("\u{fffd}") && d.contains("\u{1b}]0;title"))
    );

    // RBAC: reading logs is `get` on `pods/log`.
    let r = request(
        a,
        "GET",
        &log_path(&pod, "container=user-container"),
        &[("Impersonate-User", "dev@acme.io")],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    assert!(
        message(&r).contains("cannot get resource \"pods/log\""),
        "{}",
        message(&r)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_output_and_previous_runs() {
    let env = start().await;
    let a = env.addr();
    let r = send_json(
        a,
        "POST",
        KSVC,
        "application/json",
        &svc("boom", "ghcr.io/acme/boom:crashloop"),
    )
    .await;
    assert_eq!(r.status, 201);
    let pod = eventually(20, || async move {
        pods(a, "boom")
            .await
            .into_iter()
            .find(|p| {
                let c = &p["status"]["containerStatuses"][0];
                c["state"]["waiting"]["reason"] == "CrashLoopBackOff"
                    && c["lastState"]["terminated"].is_object()
            })
            .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
    })
    .await;
    let crash = get_json(a, &format!("/api/v1/namespaces/default/pods/{pod}")).await["status"]["containerStatuses"][0]["lastState"]["terminated"]["message"].as_str().unwrap().to_string();
    for q in [
        "container=user-container",
        "container=user-container&previous=true",
    ] {
        let r = get(a, &log_path(&pod, q)).await;
        assert_eq!(r.status, 200, "{q}");
        let text = String::from_utf8(r.body).unwrap();
        assert_eq!(text, format!("INFO starting server\n{crash}\n"), "{q}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_logs() {
    let env = start().await;
    let pod = running_pod(&env, "hello", "ghcr.io/acme/hello:1").await;
    let c = env.sandbox.control();
    for i in 0..8 {
        c.write_log(
            "default",
            &pod,
            "user-container",
            false,
            format!("INFO kubectl {i}").as_bytes(),
        );
    }
    // The pod's default-container annotation picks the user's container.
    let out = env.kubectl(&["logs", &pod, "-n", "default"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("INFO starting server\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.ends_with("INFO kubectl 7\n"));
    let out = env
        .kubectl(&["logs", &pod, "-n", "default", "-c", "queue-proxy"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\"message\":\"Starting queue-proxy\""),
        "{}",
        out.stdout
    );
    let out = env
        .kubectl(&["logs", &pod, "-n", "default", "--tail=5"])
        .await;
    assert_eq!(out.stdout.lines().count(), 5, "{}", out.stdout);
    assert_eq!(out.stdout.lines().next(), Some("INFO kubectl 3"));
    let out = env
        .kubectl(&["logs", &pod, "-n", "default", "--tail=1", "--timestamps"])
        .await;
    let (ts, rest) = out.stdout.trim_end().split_once(' ').unwrap();
    assert!(ts.ends_with('Z') && ts.contains('T'), "{ts}");
    assert_eq!(rest, "INFO kubectl 7");
    let out = env
        .kubectl(&["logs", &pod, "-n", "default", "-c", "nope"])
        .await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains(&format!("container nope is not valid for pod {pod}")),
        "{}",
        out.stderr
    );

    // -f: the stream stays open and carries what the container writes next (read line by line,
    // so the test waits for what it expects rather than for a fixed time).
    let mut child = env.kubectl_spawn(&["logs", &pod, "-n", "default", "-f", "--tail=1"]);
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let next = || rx.recv_timeout(Duration::from_secs(20)).unwrap();
    assert_eq!(next(), "INFO kubectl 7");
    c.write_log("default", &pod, "user-container", false, b"INFO followed");
    assert_eq!(next(), "INFO followed");
    assert!(
        child.try_wait().unwrap().is_none(),
        "kubectl logs -f ended early"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
