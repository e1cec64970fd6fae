//! The metrics pane's and `funcdeck metrics`' numbers against the sandbox's known load, through
//! a real Prometheus (the `prometheus` binary, as `.ci/run` installs it) scraping the sandbox's
//! Knative-shaped exporters, found through the API server's service proxy, in both metric eras:
//! the pinned 20 requests/s on `default/hello` comes back within 15% (the scrape and the
//! simulation's ticks alias by about one tick over the short window), with one pod, latency
//! quantiles and no errors; the Functions list's pulse reads the same rate.

mod support;

use std::time::{Duration, Instant};

use funcdeck_core::cluster::{ClusterTarget, connect};
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::{Era, Scope, Selector};
use funcdeck_core::prometheus::pulse::{PulseWindow, read_pulses};
use funcdeck_core::prometheus::{locate, reading, source};
use funcdeck_sandbox::{MetricsEra, PrometheusMode, Sandbox, SandboxConfig};

const RPS: f64 = 20.0;
const TOLERANCE: f64 = 0.15;
/// The window rates are read over: a dozen scrapes at 250 ms.
const WINDOW: Duration = Duration::from_secs(3);

fn close(got: Option<f64>) -> bool {
    got.is_some_and(|v| (v - RPS).abs() <= RPS * TOLERANCE)
}

fn now() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
}

async fn funcdeck(home: &std::path::Path, args: Vec<String>) -> support::Output {
    let home = home.to_path_buf();
    tokio::task::spawn_blocking(move || support::run(support::funcdeck(&home).args(&args)))
        .await
        .expect("the CLI ran")
}

async fn check(era: MetricsEra, expected: Era) {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = support::metered::start(&kubeconfig, era).await;
    let kc = kubeconfig.display().to_string();
    support::metered::pinned_hello(home.path(), &kubeconfig, &sandbox, RPS).await;

    let conn = connect(&ClusterTarget {
        kubeconfig: Some(kubeconfig.clone()),
        context: None,
    })
    .await
    .expect("connected");
    let selector = Selector {
        namespace: "default".into(),
        function: "hello".into(),
        revision: None,
    };
    // Found through the cluster, speaking the sandbox's era; then read until a full window of
    // the pinned load is in.
    let deadline = Instant::now() + Duration::from_secs(40);
    let (prometheus, dialect, total, revisions) = loop {
        let attempt = async {
            let prometheus = locate(None, Some(&conn.client)).await.ok()?;
            let dialect = source::dialect_of(&prometheus, None).await.ok()?;
            let step = Duration::from_secs(1);
            let (total, revisions) =
                reading::function_figures(&prometheus, &dialect, &selector, WINDOW, step, now())
                    .await
                    .ok()?;
            close(total.requests_per_second).then_some((prometheus, dialect, total, revisions))
        };
        if let Some(found) = attempt.await {
            break found;
        }
        assert!(
            Instant::now() < deadline,
            "no {RPS} req/s read back in time"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(dialect.era, expected);
    assert_eq!(
        prometheus.source(),
        "service monitoring/prometheus:9090 via the API server"
    );
    assert_eq!(total.pods.actual, Some(1.0), "{total:?}");
    assert_eq!(total.error_ratio, Some(0.0), "{total:?}");
    let p50 = total.latency_ms.p50.expect("a p50");
    let p99 = total.latency_ms.p99.expect("a p99");
    assert!(p50 > 0.0 && p50 <= p99, "{total:?}");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].name, "hello-00001");
    assert!(
        close(revisions[0].figures.requests_per_second),
        "{revisions:?}"
    );

    // The pane's charts: one line per revision, and both pod counts.
    let charts = reading::function_charts(
        &prometheus,
        &dialect,
        prometheus.source().to_owned(),
        &selector,
        Duration::from_secs(20),
        Duration::from_secs(1),
        now(),
    )
    .await
    .expect("charts");
    let line = &charts.requests_per_second.lines[0];
    assert_eq!(line.name, "hello-00001");
    // Rates over a minute (four steps, at least 1m) of a few seconds of data: rising, above 0.
    assert!(
        !line.points.is_empty() && line.points.iter().all(|p| p.1 > 0.0),
        "{line:?}"
    );
    assert_eq!(
        charts.pods.lines.len(),
        2,
        "desired and actual: {:?}",
        charts.pods
    );

    // The Functions list's pulse: every function of the namespace in two queries, the pinned
    // load at the end of the sparkline (a rate over the same short window as above).
    let window = PulseWindow {
        span: Duration::from_secs(4),
        step: Duration::from_secs(1),
        rate: WINDOW,
    };
    let scope = Scope::functions(Some("default"));
    // Read until the newest point has a full rate window of data behind it.
    let deadline = Instant::now() + Duration::from_secs(20);
    let (pulses, hello) = loop {
        let source = prometheus.source().to_owned();
        let pulses = read_pulses(&prometheus, &dialect, source, &scope, window, now())
            .await
            .expect("pulses");
        let hello = pulses
            .get(&ObjectKey::new("default", "hello"))
            .expect("hello's pulse")
            .clone();
        if close(hello.requests_now()) || Instant::now() > deadline {
            break (pulses, hello);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(hello.requests_per_second.len(), 5);
    assert!(close(hello.requests_now()), "{hello:?}");
    assert!(hello.p99_ms.is_some_and(|ms| ms > 0.0), "{hello:?}");
    assert_eq!(pulses.era, Some(expected));

    // The CLI: one JSON object, the same figures, the source and the era named.
    let out = funcdeck(
        home.path(),
        [
            "metrics",
            "hello",
            "-n",
            "default",
            "--since",
            "3s",
            "-o",
            "json",
            "--kubeconfig",
        ]
        .into_iter()
        .map(String::from)
        .chain([kc])
        .collect(),
    )
    .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["function"], "hello");
    assert_eq!(json["namespace"], "default");
    assert_eq!(json["since"], "3s");
    assert_eq!(
        json["source"]["era"],
        match expected {
            Era::OpenCensus => "1.18",
            Era::OpenTelemetry => "1.19",
        }
    );
    assert!(
        close(json["total"]["requests_per_second"].as_f64()),
        "{json}"
    );
    assert_eq!(json["revisions"][0]["name"], "hello-00001");
    for key in [
        "latency_ms",
        "error_ratio",
        "concurrency",
        "pods",
        "cold_starts",
    ] {
        assert!(json["total"].get(key).is_some(), "{key} in {json}");
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_match_the_pinned_load_era_118() {
    check(MetricsEra::V118, Era::OpenCensus).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_match_the_pinned_load_era_119() {
    check(MetricsEra::V119, Era::OpenTelemetry).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_prometheus_metrics_says_what_was_tried() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = home.path().join("kubeconfig");
    let sandbox = Sandbox::start(SandboxConfig {
        kubeconfig_out: Some(kubeconfig.clone()),
        functions: 4,
        prometheus: PrometheusMode::Off,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let out = funcdeck(
        home.path(),
        vec![
            "fn".into(),
            "list".into(),
            "-A".into(),
            "-o".into(),
            "json".into(),
            "--kubeconfig".into(),
            kubeconfig.display().to_string(),
        ],
    )
    .await;
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let first = list["items"]
        .as_array()
        .and_then(|a| a.first())
        .cloned()
        .expect("a seeded function");
    let (ns, name) = (
        first["metadata"]["namespace"]
            .as_str()
            .expect("ns")
            .to_owned(),
        first["metadata"]["name"].as_str().expect("name").to_owned(),
    );
    let out = funcdeck(
        home.path(),
        vec![
            "metrics".into(),
            name,
            "-n".into(),
            ns,
            "--kubeconfig".into(),
            kubeconfig.display().to_string(),
        ],
    )
    .await;
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("Prometheus not found: tried config (none), service monitoring/prometheus"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("apt-get install prometheus"),
        "says how to get one: {}",
        out.stderr
    );
    sandbox.shutdown().await;
}
