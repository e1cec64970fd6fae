//! The sandbox's Jaeger through the apiserver's service proxy, as a client on a real cluster
//! reaches it (`observability/jaeger-query:16686`): the real kubectl, every name form, the
//! proxy's refusals, traces of the real data plane (a cold start exactly after a scale from
//! zero, the queue-proxy service being the real pod's name in the 1.18 era), a request through
//! the gateway found by the trace id the function received, and a slow Jaeger.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{Env, eventually, get, get_json, ready, request, send_json, svc};
use funcdeck_sandbox::{MetricsEra, Sandbox, SandboxConfig, Scenario};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PROXY: &str = "/api/v1/namespaces/observability/services/jaeger-query:16686/proxy";
const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces/default/services";

async fn start(era: MetricsEra, jaeger: bool) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        kubeconfig_out: Some(dir.path().join("kubeconfig")),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(50),
        idle_window: Duration::from_millis(800),
        cold_start: Duration::from_millis(300),
        metrics_era: era,
        jaeger,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    Env { sandbox, dir }
}

async fn deploy(env: &Env, name: &str) {
    // Pinned idle first: a new service's seeded profile may be busy.
    env.sandbox.control().set_load("default", name, Some(0.0));
    let r = send_json(
        env.addr(),
        "POST",
        KSVC,
        "application/json",
        &svc(name, "ghcr.io/acme/hello:1"),
    )
    .await;
    assert_eq!(r.status, 201);
    let a = env.addr();
    eventually(20, || async move {
        let s = get_json(a, &format!("{KSVC}/{name}")).await;
        (ready(&s).map(|(st, _)| st) == Some("True".into())).then_some(())
    })
    .await;
}

/// The revision's pods that are Running and ready.
async fn running_pods(a: SocketAddr, rev: &str) -> Vec<String> {
    let path = format!(
        "/api/v1/namespaces/default/pods?labelSelector=serving.knative.dev/revision%3D{rev}"
    );
    get_json(a, &path).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"]["containerStatuses"][0]["ready"] == true)
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

/// Classic search through the proxy; the traces.
async fn classic(a: SocketAddr, query: &str) -> Vec<Value> {
    let r = get(a, &format!("{PROXY}/api/traces?{query}")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["data"].as_array().unwrap().clone()
}

fn span<'a>(trace: &'a Value, op: &str) -> &'a Value {
    trace["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["operationName"] == op)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_reaches_jaeger_through_the_service_proxy() {
    let env = start(MetricsEra::V119, true).await;
    deploy(&env, "hello").await;
    env.sandbox
        .control()
        .set_load("default", "hello", Some(20.0));
    let c = env.sandbox.control();
    eventually(20, || {
        let c = c.clone();
        async move { (c.trace_count() > 0).then_some(()) }
    })
    .await;
    let out = env
        .kubectl(&["get", "--raw", &format!("{PROXY}/api/services")])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["data"], serde_json::json!(["activator", "hello"]), "{v}");
    assert_eq!(v["total"], 2);

    let out = env
        .kubectl(&[
            "get",
            "svc",
            "jaeger-query",
            "-n",
            "observability",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(s["spec"]["ports"][0]["name"], "http-query");
    assert_eq!(s["spec"]["ports"][0]["port"], 16686);

    // Every name form kube-apiserver accepts reaches the same server.
    for id in [
        "jaeger-query",
        "jaeger-query:16686",
        "http:jaeger-query:16686",
        "jaeger-query:http-query",
    ] {
        let path = format!("/api/v1/namespaces/observability/services/{id}/proxy/api/v3/services");
        let r = get(env.addr(), &path).await;
        assert_eq!(r.status, 200, "{id}");
        assert_eq!(
            r.json()["services"],
            serde_json::json!(["activator", "hello"]),
            "{id}"
        );
    }
    // Someone signed in without any other role may use it too (like the metrics).
    let r = request(
        env.addr(),
        "GET",
        &format!("{PROXY}/api/v3/services"),
        &[("Impersonate-User", "dev@acme.io")],
        b"",
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // A trace found by search is fetched by id in both APIs.
    let found = classic(env.addr(), "service=hello&limit=1").await;
    let id = found[0]["traceID"].as_str().unwrap();
    let r = get(env.addr(), &format!("{PROXY}/api/v3/traces/{id}")).await;
    assert_eq!(r.status, 200);
    let rs = r.json()["result"]["resourceSpans"].clone();
    assert_eq!(
        rs[1]["resource"]["attributes"][0]["value"]["stringValue"],
        "hello"
    );
    // Errors pass through with Jaeger's status and body.
    let r = get(
        env.addr(),
        &format!("{PROXY}/api/traces/{}", "0".repeat(32)),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(r.json()["errors"][0]["msg"], "trace not found");
    let r = get(
        env.addr(),
        &format!("{PROXY}/api/v3/traces?query.service_name=hello"),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["httpCode"], 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_refuses_like_kube_apiserver() {
    let env = start(MetricsEra::V119, true).await;
    let a = env.addr();
    let r = get(
        a,
        "/api/v1/namespaces/observability/services/jaeger-query:9999/proxy/api/services",
    )
    .await;
    assert_eq!(r.status, 503);
    assert_eq!(
        r.json()["message"],
        "no service port 9999 found for service \"jaeger-query\""
    );
    let r = get(
        a,
        "/api/v1/namespaces/observability/services/jaeger:16686/proxy/api/services",
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["message"], "services \"jaeger\" not found");
    // Uninstalled: the Service goes, and so does the way to Jaeger.
    let out = env
        .kubectl(&["delete", "svc", "jaeger-query", "-n", "observability"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = get(a, &format!("{PROXY}/api/services")).await;
    assert_eq!(r.status, 404);

    let bare = start(MetricsEra::V119, false).await;
    assert_eq!(bare.sandbox.jaeger_url(), None);
    let r = get(bare.addr(), &format!("{PROXY}/api/services")).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        get(bare.addr(), "/api/v1/namespaces/observability")
            .await
            .status,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_start_shows_exactly_after_a_scale_from_zero_era_118() {
    let env = start(MetricsEra::V118, true).await;
    let a = env.addr();
    let c = env.sandbox.control();
    deploy(&env, "hello").await;
    let pods = eventually(20, || async move {
        Some(running_pods(a, "hello-00001").await).filter(|p| !p.is_empty())
    })
    .await;
    c.set_load("default", "hello", Some(20.0));
    let warm = eventually(20, || async move {
        Some(classic(a, "service=activator-service&limit=1000").await).filter(|t| t.len() >= 5)
    })
    .await;
    for t in &warm {
        assert!(
            span(t, "throttler_try")["duration"].as_i64().unwrap() < 1000,
            "{t}"
        );
        // ≤ 1.18: queue-proxy's service is the pod's name.
        let qp = span(t, "queue_proxy")["processID"].as_str().unwrap();
        assert!(
            pods.contains(
                &t["processes"][qp]["serviceName"]
                    .as_str()
                    .unwrap()
                    .to_string()
            )
        );
    }
    assert!(
        classic(
            a,
            "service=activator-service&operation=throttler_try&minDuration=1ms"
        )
        .await
        .is_empty()
    );

    // Idle: scaled to zero after the idle window; then load again → one held request is cold.
    c.set_load("default", "hello", Some(0.0));
    eventually(20, || async move {
        running_pods(a, "hello-00001")
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    let before = c.trace_count();
    c.set_load("default", "hello", Some(20.0));
    let cold = eventually(20, || async move {
        let t = classic(
            a,
            "service=activator-service&operation=throttler_try&minDuration=1ms",
        )
        .await;
        (!t.is_empty()).then_some(t)
    })
    .await;
    assert!(c.trace_count() > before);
    let t = &cold[0];
    let wait = span(t, "throttler_try")["duration"].as_i64().unwrap();
    let root = span(t, "/");
    assert!(root["references"].as_array().unwrap().is_empty());
    assert!(root["duration"].as_i64().unwrap() > wait);
    let qp = span(t, "queue_proxy")["processID"].as_str().unwrap();
    let pod = t["processes"][qp]["serviceName"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(pod.starts_with("hello-00001-deployment-"), "{pod}");
}

/// One request through the ingress gateway; the echoed body.
async fn invoke(gw: SocketAddr, host: &str, path: &str) -> Value {
    let mut s = TcpStream::connect(gw).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert!(
        raw.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    serde_json::from_slice(&raw[split + 4..]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_request_is_traced_under_the_id_the_function_received() {
    let env = start(MetricsEra::V119, true).await;
    deploy(&env, "hello").await;
    let echo = invoke(
        env.sandbox.gateway_addr(),
        "hello.default.svc.cluster.local",
        "/greet",
    )
    .await;
    let tp = echo["headers"]["traceparent"].as_str().unwrap().to_string();
    let parts: Vec<&str> = tp.split('-').collect();
    assert_eq!(
        (parts[0], parts[1].len(), parts[2].len(), parts[3]),
        ("00", 32, 16, "01")
    );
    let r = get(env.addr(), &format!("{PROXY}/api/v3/traces/{}", parts[1])).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let spans: Vec<Value> = v["result"]["resourceSpans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|rs| rs["scopeSpans"].as_array().unwrap().clone())
        .flat_map(|ss| ss["spans"].as_array().unwrap().clone())
        .collect();
    let user = spans.iter().find(|s| s["name"] == "HTTP GET").unwrap();
    // The function's caller is queue-proxy's span into it.
    assert_eq!(user["spanId"], parts[2]);
    let client = spans.iter().find(|s| s["name"] == "GET /greet").unwrap();
    assert!(client["attributes"].as_array().unwrap().iter().any(|a| {
        a["key"] == "url.full"
            && a["value"]["stringValue"]
                .as_str()
                .unwrap()
                .ends_with(":8012/greet")
    }));
}

#[tokio::test]
async fn a_slow_jaeger_answers_late() {
    let env = start(MetricsEra::V119, true).await;
    let c = env.sandbox.control();
    c.set_jaeger_delay(Duration::from_millis(400));
    assert_eq!(c.jaeger_delay(), Duration::from_millis(400));
    assert_eq!(
        c.scenarios(),
        [Scenario::SlowJaeger(Duration::from_millis(400))]
    );
    let asked = Instant::now();
    let r = get(env.addr(), &format!("{PROXY}/api/v3/services")).await;
    assert_eq!(r.status, 200);
    assert!(asked.elapsed() >= Duration::from_millis(400));
    c.set_jaeger_delay(Duration::ZERO);
    assert_eq!(c.jaeger_delay(), Duration::ZERO);
    assert!(c.scenarios().is_empty());
    let direct = get_json(
        env.sandbox
            .jaeger_url()
            .unwrap()
            .trim_start_matches("http://")
            .parse()
            .unwrap(),
        "/api/v3/services",
    )
    .await;
    assert_eq!(direct["services"], serde_json::json!([]));
}
