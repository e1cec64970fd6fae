//! The sandbox's metrics seen through a real Prometheus (the `prometheus` binary on PATH, as
//! `.ci/run` installs it): it scrapes the exporters, and a request-rate query through the
//! apiserver's service proxy matches the pinned simulated load, in both Knative metric eras.
//! Also the proxy's refusals (no Service, no endpoints, no permission, unreachable URL) in
//! kube-apiserver's words, and that no Prometheus process outlives its sandbox.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Env, eventually, get, request, send_json, svc};
use funcdeck_sandbox::{MetricsEra, PrometheusMode, PrometheusStatus, Sandbox, SandboxConfig};
use serde_json::Value;

const PROXY: &str = "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy";
const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces/default/services";
/// The pinned load on `default/hello` (all of it on `hello-00001`).
const RPS: f64 = 20.0;
/// Prometheus's rate() against the simulated rate: scrapes (250 ms) and ticks (200 ms) alias by
/// at most one tick's requests over the 3 s window, about 7%.
const TOLERANCE: f64 = 0.15;

async fn start(era: MetricsEra, prometheus: PrometheusMode) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(200),
        cold_start: Duration::from_millis(100),
        metrics_era: era,
        prometheus,
        scrape_interval: Duration::from_millis(250),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    Env { sandbox, dir }
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An instant query through the service proxy; the vector's samples as (labels, value).
async fn query(env: &Env, q: &str) -> Vec<(Value, f64)> {
    let r = get(
        env.addr(),
        &format!("{PROXY}/api/v1/query?query={}", encode(q)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    assert_eq!(v["status"], "success", "{v}");
    v["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let value = s["value"][1].as_str().unwrap().parse().unwrap();
            (s["metric"].clone(), value)
        })
        .collect()
}

/// Deploys `default/hello`, pins its load, and waits for Prometheus to have a full window.
async fn loaded(env: &Env, samples_query: &str) {
    assert!(
        matches!(env.sandbox.prometheus(), PrometheusStatus::Started(_)),
        "the `prometheus` binary must be on PATH (apt-get install prometheus): {:?}",
        env.sandbox.prometheus()
    );
    let r = send_json(
        env.addr(),
        "POST",
        KSVC,
        "application/json",
        &svc("hello", "ghcr.io/acme/hello:1"),
    )
    .await;
    assert_eq!(r.status, 201);
    env.sandbox
        .control()
        .set_load("default", "hello", Some(RPS));
    let c = env.sandbox.control();
    eventually(30, || {
        let c = c.clone();
        async move { c.prometheus_ready().then_some(()) }
    })
    .await;
    // A full 3 s window of scrapes (12 at 250 ms) since the counter started.
    eventually(30, || async {
        let n = query(env, samples_query).await;
        n.first().is_some_and(|(_, v)| *v >= 12.0).then_some(())
    })
    .await;
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= want * TOLERANCE
}

#[tokio::test]
async fn request_rate_matches_the_pinned_load_era_118() {
    let env = start(MetricsEra::V118, PrometheusMode::Auto).await;
    loaded(
        &env,
        r#"count_over_time(revision_request_count{revision_name="hello-00001",response_code="200"}[3s])"#,
    )
    .await;
    let q = r#"sum by (namespace_name, revision_name) (rate(revision_request_count{namespace_name="default"}[3s]))"#;
    let got = query(&env, q).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0["revision_name"], "hello-00001");
    assert!(close(got[0].1, RPS), "rate {} vs {RPS}", got[0].1);
    let pods = query(
        &env,
        r#"autoscaler_actual_pods{revision_name="hello-00001"}"#,
    )
    .await;
    assert_eq!(pods[0].1, 1.0, "{pods:?}");
    assert_eq!(pods[0].0["namespace"], "knative-serving");
    // Relabelled like a cluster's per-pod scrape: the revision's namespace and pod.
    let qp = query(&env, r#"revision_request_count{namespace="default"}"#).await;
    assert!(
        qp.iter()
            .all(|(m, _)| m["pod"] == m["pod_name"] && m["container_name"] == "queue-proxy")
    );
}

#[tokio::test]
async fn request_rate_matches_the_pinned_load_era_119() {
    let env = start(MetricsEra::V119, PrometheusMode::Auto).await;
    loaded(
        &env,
        r#"count_over_time(http_server_request_duration_seconds_count{kn_revision_name="hello-00001",http_response_status_code="200"}[3s])"#,
    )
    .await;
    let q = r#"sum by (k8s_namespace_name, kn_revision_name) (rate(http_server_request_duration_seconds_count{k8s_container_name="queue-proxy",k8s_namespace_name="default"}[3s]))"#;
    let got = query(&env, q).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0["kn_revision_name"], "hello-00001");
    assert!(close(got[0].1, RPS), "rate {} vs {RPS}", got[0].1);
    let p = env
        .sandbox
        .control()
        .revision_profile("default", "hello-00001");
    // An even spread over lo..hi ms: the median is their middle (one bucket's width allowed).
    let q = r#"histogram_quantile(0.5, sum by (le) (rate(kn_serving_invocation_duration_seconds_bucket{kn_revision_name="hello-00001"}[3s])))"#;
    let p50 = query(&env, q).await[0].1 * 1000.0;
    let mid = (p.lo_ms + p.hi_ms) / 2.0 - 1.0;
    assert!(
        (p50 - mid).abs() <= 150.0,
        "p50 {p50} ms vs {mid} ms ({p:?})"
    );
    let pods = query(
        &env,
        r#"kn_revision_pods_desired{kn_revision_name="hello-00001"}"#,
    )
    .await;
    assert_eq!(pods[0].1, 1.0, "{pods:?}");

    // kubectl reaches the same Prometheus through the service proxy.
    let out = env
        .kubectl(&["get", "--raw", &format!("{PROXY}/api/v1/query?query=up")])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let jobs: Vec<&str> = v["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["metric"]["job"].as_str().unwrap())
        .collect();
    for job in ["activator", "autoscaler", "queue-proxy"] {
        assert!(jobs.contains(&job), "{jobs:?}");
    }
}

#[tokio::test]
async fn the_proxy_forwards_posts_and_every_name_form() {
    let env = start(MetricsEra::V119, PrometheusMode::Auto).await;
    let c = env.sandbox.control();
    eventually(30, || {
        let c = c.clone();
        async move { c.prometheus_ready().then_some(()) }
    })
    .await;
    for name in ["prometheus", "prometheus:9090", "http:prometheus:9090"] {
        let path = format!("/api/v1/namespaces/monitoring/services/{name}/proxy/api/v1/query");
        let r = request(
            env.addr(),
            "POST",
            &path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            b"query=1%2B1",
        )
        .await;
        assert_eq!(
            r.status,
            200,
            "{name}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.json()["data"]["result"][1], "2");
    }
    // Prometheus's own errors come back as they are.
    let r = get(env.addr(), &format!("{PROXY}/api/v1/query?query=sum(")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errorType"], "bad_data");
    // A port the Service does not have.
    let r = get(
        env.addr(),
        "/api/v1/namespaces/monitoring/services/prometheus:9091/proxy/",
    )
    .await;
    assert_eq!(r.status, 503);
    assert_eq!(
        r.json()["message"],
        "no service port 9091 found for service \"prometheus\""
    );
    // Everyone signed in may read it; nobody may delete through it.
    let out = env
        .kubectl(&["get", "--raw", &format!("{PROXY}/-/ready"), "--as=viewer"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = request(
        env.addr(),
        "DELETE",
        &format!("{PROXY}/api/v1/admin/tsdb"),
        &[("Impersonate-User", "viewer")],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "services \"prometheus:9090\" is forbidden: User \"viewer\" cannot delete resource \"services/proxy\" in API group \"\" in the namespace \"monitoring\""
    );
}

fn running(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[tokio::test]
async fn a_dead_prometheus_has_no_endpoints_and_none_outlives_the_sandbox() {
    let env = start(MetricsEra::V118, PrometheusMode::Auto).await;
    let c = env.sandbox.control();
    let pid = c.prometheus_pid().expect("a prometheus child");
    assert!(running(pid));
    c.kill_prometheus();
    assert!(!running(pid), "killed and reaped");
    let r = get(env.addr(), &format!("{PROXY}/api/v1/query?query=up")).await;
    assert_eq!(r.status, 503);
    let v = r.json();
    assert_eq!(v["reason"], "ServiceUnavailable");
    assert_eq!(
        v["message"],
        "no endpoints available for service \"prometheus\""
    );

    let env = start(MetricsEra::V118, PrometheusMode::Auto).await;
    let pid = env.sandbox.control().prometheus_pid().unwrap();
    let dir = env.sandbox.prometheus_url().unwrap();
    assert!(dir.starts_with("http://127.0.0.1:"));
    env.sandbox.shutdown().await;
    assert!(!running(pid), "prometheus {pid} outlived its sandbox");
}

#[tokio::test]
async fn without_prometheus_there_is_no_service() {
    let env = start(MetricsEra::V119, PrometheusMode::Off).await;
    assert_eq!(env.sandbox.prometheus(), &PrometheusStatus::Off);
    let out = env
        .kubectl(&["get", "--raw", &format!("{PROXY}/api/v1/query?query=up")])
        .await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("Error from server (NotFound): services \"prometheus\" not found"),
        "{}",
        out.stderr
    );
    // The exporters still serve, for a Prometheus of one's own.
    let urls = env.sandbox.metrics_urls();
    assert_eq!(urls.len(), 3);
}

#[tokio::test]
async fn an_external_url_is_proxied_and_an_unreachable_one_says_so() {
    let a = start(MetricsEra::V119, PrometheusMode::Auto).await;
    let c = a.sandbox.control();
    eventually(30, || {
        let c = c.clone();
        async move { c.prometheus_ready().then_some(()) }
    })
    .await;
    let url = a.sandbox.prometheus_url().unwrap();
    let b = start(MetricsEra::V119, PrometheusMode::Url(url.clone())).await;
    assert_eq!(b.sandbox.prometheus(), &PrometheusStatus::External(url));
    let out = b
        .kubectl(&["get", "--raw", &format!("{PROXY}/-/ready")])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Prometheus Server is Ready."),
        "{}",
        out.stdout
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("http://127.0.0.1:{port}");
    let c = start(MetricsEra::V119, PrometheusMode::Url(dead)).await;
    let r = get(c.addr(), &format!("{PROXY}/-/ready")).await;
    assert_eq!(r.status, 503);
    assert_eq!(
        r.json()["message"],
        format!(
            "error trying to reach service: dial tcp 127.0.0.1:{port}: connect: connection refused"
        )
    );
}

#[test]
fn modes_parse() {
    assert_eq!("auto".parse::<PrometheusMode>(), Ok(PrometheusMode::Auto));
    assert_eq!("off".parse::<PrometheusMode>(), Ok(PrometheusMode::Off));
    assert_eq!(
        "http://127.0.0.1:9090/".parse::<PrometheusMode>(),
        Ok(PrometheusMode::Url("http://127.0.0.1:9090".into()))
    );
    assert!(
        "https://x"
            .parse::<PrometheusMode>()
            .unwrap_err()
            .contains("http:// only")
    );
    assert!(
        "maybe"
            .parse::<PrometheusMode>()
            .unwrap_err()
            .contains("auto, off")
    );
}
