//! `funcdeck traces` and `funcdeck trace` against the sandbox's Jaeger, found through the
//! cluster's service proxy, in both Knative eras (the function's traces are under its own
//! service name from 1.19, under its pods' names before): warm traces with their revision, a
//! cold start exactly when the function scaled back from zero (the sandbox holds it 300 ms),
//! the cold-start figures, one trace as a text waterfall and as JSON, a trace that is not
//! there, and no Jaeger at all.

mod support;

use std::path::Path;
use std::time::Duration;

use funcdeck_sandbox::{MetricsEra, Sandbox, SandboxConfig};
use serde_json::Value;
use support::metered::funcdeck;

const COLD_START: Duration = Duration::from_millis(300);

async fn start(kubeconfig: &Path, era: MetricsEra, jaeger: bool) -> Sandbox {
    Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(kubeconfig.to_path_buf()),
        functions: 0,
        ready_delay: Duration::from_millis(50),
        tick: Duration::from_millis(50),
        idle_window: Duration::from_millis(800),
        cold_start: COLD_START,
        metrics_era: era,
        jaeger,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

/// `hello`'s running pods, as kubectl lists them.
async fn pods(kubeconfig: &Path) -> usize {
    let mut kubectl = std::process::Command::new("kubectl");
    kubectl
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["get", "pods", "-n", "default", "-l"])
        .arg("serving.knative.dev/service=hello")
        .args(["--field-selector=status.phase=Running", "-o", "name"]);
    let out = tokio::task::spawn_blocking(move || support::run(&mut kubectl))
        .await
        .expect("kubectl ran");
    assert_eq!(out.status, 0, "{}", out.stderr);
    out.stdout.lines().count()
}

/// Polls `read` every 250 ms until it gives something, for at most 30 s.
async fn eventually<T, F: Future<Output = Option<T>>>(what: &str, read: impl Fn() -> F) -> T {
    for _ in 0..120 {
        if let Some(found) = read().await {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{what} in time");
}

async fn traces_json(home: &Path, kubeconfig: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "traces", "hello", "-n", "default", "-o", "json", "--limit", "200",
    ];
    args.extend(extra);
    let out = funcdeck(home, kubeconfig, &args).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

async fn check(era: MetricsEra) {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = start(&kubeconfig, era, true).await;
    let (home, kc) = (home.path(), kubeconfig.as_path());
    // Idle at first (a new function's seeded profile may be busy), then steady load.
    sandbox.control().set_load("default", "hello", Some(0.0));
    let create = [
        "fn",
        "create",
        "hello",
        "--image",
        "ghcr.io/acme/hello:1",
        "-n",
        "default",
    ];
    let out = funcdeck(home, kc, &create).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    eventually("a running pod", || async {
        (pods(kc).await > 0).then_some(())
    })
    .await;
    sandbox.control().set_load("default", "hello", Some(20.0));
    let warm = eventually("warm traces", || async {
        let json = traces_json(home, kc, &[]).await;
        (json["traces"].as_array()?.len() >= 5).then_some(json)
    })
    .await;
    assert_eq!(warm["function"], "hello");
    assert_eq!(warm["source"]["api"], "v3");
    for t in warm["traces"].as_array().expect("traces") {
        assert_eq!(t["revision"], "hello-00001", "{t}");
        assert_eq!(t["span_count"], 7, "{t}");
        assert_eq!(t["errors"], 0, "{t}");
        assert!(t["cold_start_ms"].is_null(), "warm: {t}");
        assert!(t["duration_ms"].as_f64().is_some_and(|d| d > 0.0), "{t}");
    }
    assert_eq!(warm["cold_starts"]["count"], 0);
    // Sub-second durations, as the issue writes them: Jaeger keeps only traces that long.
    let long = traces_json(home, kc, &["--min-duration", "500ms"]).await;
    for t in long["traces"].as_array().expect("traces") {
        assert!(t["duration_ms"].as_f64() >= Some(500.0), "{t}");
    }

    // Idle until scaled to zero, then load again: the first request waits for a pod.
    sandbox.control().set_load("default", "hello", Some(0.0));
    eventually("a scale to zero", || async {
        (pods(kc).await == 0).then_some(())
    })
    .await;
    sandbox.control().set_load("default", "hello", Some(20.0));
    let cold = eventually("a cold start", || async {
        let json = traces_json(home, kc, &["--cold-starts"]).await;
        (!json["traces"].as_array()?.is_empty()).then_some(json)
    })
    .await;
    let first = &cold["traces"][0];
    let waited = first["cold_start_ms"].as_f64().expect("a cold start");
    // The sandbox holds the request while the pod starts: about its cold-start time.
    assert!(
        waited >= 100.0 && waited <= COLD_START.as_millis() as f64 * 3.0,
        "{first}"
    );
    assert!(cold["cold_starts"]["count"].as_u64() >= Some(1), "{cold}");
    assert!(cold["cold_starts"]["p50_ms"].as_f64().is_some(), "{cold}");
    assert!(
        cold["traces"]
            .as_array()
            .expect("traces")
            .iter()
            .all(|t| !t["cold_start_ms"].is_null()),
        "--cold-starts keeps the cold ones: {cold}"
    );

    // That trace as a text waterfall and as JSON.
    let id = first["trace_id"].as_str().expect("an id");
    let out = funcdeck(home, kc, &["trace", id]).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let throttler = out
        .stdout
        .lines()
        .find(|l| l.contains("throttler_try"))
        .unwrap_or_else(|| panic!("a throttler_try row:\n{}", out.stdout));
    assert!(
        throttler.contains('❄'),
        "the cold start is marked:\n{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(&format!("trace {id} · 7 spans")),
        "{}",
        out.stderr
    );
    let out = funcdeck(home, kc, &["trace", id, "-o", "json"]).await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["trace_id"], id);
    let spans = json["spans"].as_array().expect("spans");
    assert_eq!(spans.len(), 7);
    assert!(spans.iter().any(|s| s["operation"] == "throttler_try"));
    assert!(spans.iter().all(|s| s["span_id"].is_string()));

    let out = funcdeck(home, kc, &["trace", "0000beef"]).await;
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("trace 0000beef not found"),
        "{}",
        out.stderr
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_and_cold_starts_era_118() {
    check(MetricsEra::V118).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_and_cold_starts_era_119() {
    check(MetricsEra::V119).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_jaeger_traces_says_what_was_tried_and_how_to_get_one() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = start(&kubeconfig, MetricsEra::V119, false).await;
    let (home, kc) = (home.path(), kubeconfig.as_path());
    let create = [
        "fn",
        "create",
        "hello",
        "--image",
        "ghcr.io/acme/hello:1",
        "-n",
        "default",
    ];
    assert_eq!(funcdeck(home, kc, &create).await.status, 0);
    let out = funcdeck(home, kc, &["traces", "hello", "-n", "default"]).await;
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("Jaeger not found: tried config (none), service observability/jaeger-query"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("[jaeger]"),
        "how to get one: {}",
        out.stderr
    );
    let out = funcdeck(home, kc, &["traces", "nope", "-n", "default"]).await;
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("not found"), "{}", out.stderr);
    sandbox.shutdown().await;
}
