//! The ingress gateway (Kourier's stand-in): published as `kourier-system/kourier`, routes by
//! Host like Knative's routes (main host by traffic percent, tag hosts to their revision),
//! answers 404 for unknown and cluster-local hosts, and holds a request for a revision scaled to
//! zero until the data plane has a pod for it (the configured cold start), so a cold request is
//! slower than a warm one.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{Env, eventually, get_json, send_json, svc};
use funcdeck_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const COLD: Duration = Duration::from_millis(600);
const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces/default/services";

async fn start() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(50),
        idle_window: Duration::from_millis(300),
        cold_start: COLD,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    Env { sandbox, dir }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One request to the gateway with `host` as its Host header (what curl's `-H 'Host: …'` does).
async fn call(gw: SocketAddr, method: &str, host: &str, path: &str, body: &[u8]) -> Answer {
    let mut s = TcpStream::connect(gw).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Test: yes\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

async fn create_ready(env: &Env, name: &str) {
    let r = send_json(
        env.addr(),
        "POST",
        KSVC,
        "application/json",
        &svc(name, "ghcr.io/acme/echo:1"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let a = env.addr();
    eventually(20, || async move {
        let s = get_json(a, &format!("{KSVC}/{name}")).await;
        (common::ready(&s).map(|(st, _)| st) == Some("True".into())).then_some(())
    })
    .await;
}

async fn pods_of(a: SocketAddr, rev: &str) -> usize {
    let path = format!(
        "/api/v1/namespaces/default/pods?labelSelector=serving.knative.dev/revision%3D{rev}"
    );
    get_json(a, &path).await["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_is_published_and_routes_by_host() {
    let env = start().await;
    let a = env.addr();
    let gw = env.sandbox.gateway_addr();
    let svc = get_json(a, "/api/v1/namespaces/kourier-system/services/kourier").await;
    assert_eq!(svc["spec"]["type"], "LoadBalancer");
    assert_eq!(svc["spec"]["ports"][0]["name"], "http2");
    assert_eq!(svc["spec"]["ports"][0]["port"], json!(gw.port()));
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 8080);
    assert_eq!(
        svc["status"]["loadBalancer"]["ingress"][0]["ip"],
        "127.0.0.1"
    );

    let out = env.kubectl(&["get", "svc", "-n", "kourier-system"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let row: Vec<&str> = out
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    let ports = format!("{}:31080/TCP", gw.port());
    assert_eq!(
        row[..5],
        [
            "kourier",
            "LoadBalancer",
            "10.96.118.42",
            "127.0.0.1",
            &ports
        ]
    );

    let unknown = call(gw, "GET", "nobody.default.svc.cluster.local", "/", b"").await;
    assert_eq!((unknown.status, unknown.body.len()), (404, 0));

    create_ready(&env, "echo").await;
    let host = "echo.default.svc.cluster.local:80";
    let r = call(gw, "POST", host, "/hello?name=a+b&x=1", br#"{"n": 1}"#).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("x-request-id").is_some());
    let body = r.json();
    assert_eq!(body["revision"], "echo-00001");
    assert_eq!(body["method"], "POST");
    assert_eq!(body["path"], "/hello");
    assert_eq!(body["query"], json!({"name": ["a b"], "x": ["1"]}));
    assert_eq!(body["headers"]["x-test"], "yes");
    assert_eq!(body["body"], json!({"n": 1}));

    // A second revision takes the main host; the tag keeps answering from the first.
    let patch = json!({"spec": {"template": {"spec": {"containers": [{"image": "ghcr.io/acme/echo:2"}]}},
        "traffic": [{"latestRevision": true, "percent": 100}, {"revisionName": "echo-00001", "percent": 0, "tag": "old"}]}});
    let r = send_json(
        a,
        "PATCH",
        &format!("{KSVC}/echo"),
        "application/merge-patch+json",
        &patch,
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    eventually(20, || async move {
        let s = get_json(a, &format!("{KSVC}/echo")).await;
        let ready = common::ready(&s).map(|(st, _)| st) == Some("True".into());
        (ready && s["status"]["latestReadyRevisionName"] == "echo-00002").then_some(())
    })
    .await;
    let main = call(gw, "GET", "echo.default.svc.cluster.local", "/", b"").await;
    assert_eq!(main.json()["revision"], "echo-00002");
    let old = call(gw, "GET", "old-echo.default.svc.cluster.local", "/", b"").await;
    assert_eq!(old.status, 200);
    assert_eq!(old.json()["revision"], "echo-00001");
    assert_eq!(old.json()["body"], Value::Null);

    // Cluster-local services have no external host.
    let label =
        json!({"metadata": {"labels": {"networking.knative.dev/visibility": "cluster-local"}}});
    let r = send_json(
        a,
        "PATCH",
        &format!("{KSVC}/echo"),
        "application/merge-patch+json",
        &label,
    )
    .await;
    assert_eq!(r.status, 200);
    let hidden = call(gw, "GET", "echo.default.svc.cluster.local", "/", b"").await;
    assert_eq!((hidden.status, hidden.body.len()), (404, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_request_waits_for_a_pod_and_the_next_is_warm() {
    let env = start().await;
    let a = env.addr();
    let gw = env.sandbox.gateway_addr();
    create_ready(&env, "sleepy").await;
    // Idle past the window: scaled to zero.
    eventually(20, || async move {
        (pods_of(a, "sleepy-00001").await == 0).then_some(())
    })
    .await;

    let host = "sleepy.default.svc.cluster.local";
    let t = Instant::now();
    let cold = call(gw, "GET", host, "/", b"").await;
    let cold_took = t.elapsed();
    assert_eq!(cold.status, 200, "{}", String::from_utf8_lossy(&cold.body));
    assert!(
        pods_of(a, "sleepy-00001").await >= 1,
        "the request scaled it up"
    );
    let t = Instant::now();
    let warm = call(gw, "GET", host, "/", b"").await;
    let warm_took = t.elapsed();
    assert_eq!(warm.status, 200);
    assert!(
        cold_took >= COLD,
        "cold {cold_took:?} < cold start {COLD:?}"
    );
    assert!(
        warm_took < COLD,
        "warm {warm_took:?} >= cold start {COLD:?}"
    );
    assert!(warm_took < cold_took);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashing_revision_answers_502() {
    let env = start().await;
    let a = env.addr();
    let gw = env.sandbox.gateway_addr();
    create_ready(&env, "boom").await;
    env.sandbox
        .control()
        .start_scenario(&funcdeck_sandbox::Scenario::CrashLoop(
            "default".into(),
            "boom".into(),
        ));
    let r = eventually(20, || async move {
        let r = call(gw, "GET", "boom.default.svc.cluster.local", "/", b"").await;
        (r.status != 200).then_some(r)
    })
    .await;
    assert_eq!(r.status, 502);
    assert!(String::from_utf8_lossy(&r.body).contains("connection refused"));
    let _ = a;
}
