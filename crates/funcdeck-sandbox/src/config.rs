//! Sandbox configuration. Defaults give a lively 24-function demo on any free loopback port.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::metrics::Era;
use crate::prometheus::PrometheusMode;
use crate::scenario::Scenario;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where to listen; default 127.0.0.1:0 (any free port).
    pub listen: SocketAddr,
    /// Where to write the kubeconfig (parent directories are created); `None` = don't write.
    pub kubeconfig_out: Option<PathBuf>,
    /// Number of seeded Knative services.
    pub functions: usize,
    /// Same seed ⇒ same names, counts, failures and load.
    pub seed: u64,
    /// How long a new revision stays Unknown/Deploying before it resolves.
    pub ready_delay: Duration,
    /// Retained watch events before a too-old resourceVersion gets 410 Expired.
    pub history_limit: usize,
    /// Failure scenarios in force from the start (`crashloop=shop/cart-sync`, `slow-api=800ms`).
    pub scenarios: Vec<Scenario>,
    /// How often the simulated load advances and the autoscaler decides.
    pub tick: Duration,
    /// A revision without requests for this long scales to its min-scale (0 by default).
    pub idle_window: Duration,
    /// How long a new pod takes from Pending to Running.
    pub cold_start: Duration,
    /// The kubelet's initial container restart back-off (10 s): a crash-looping container is
    /// restarted after it, then after twice as long, up to 30 times it (5 min); it resets after
    /// 60 times it (10 min) of running. Tests shrink it to run the same rhythm fast.
    pub crash_every: Duration,
    /// How long connections are refused during a simulated apiserver restart.
    pub restart_downtime: Duration,
    /// Which Knative release's metric names the `/metrics` exporters speak (default 1.19).
    pub metrics_era: Era,
    /// Where `monitoring/prometheus:9090` comes from. Off by default here (a test sandbox starts
    /// no process); the `funcdeck` command line defaults to `auto`.
    pub prometheus: PrometheusMode,
    /// The scrape (and evaluation) interval of a Prometheus the sandbox starts.
    pub scrape_interval: Duration,
    /// Record traces and serve them as `observability/jaeger-query:16686` (Jaeger's query
    /// APIs, span names of `metrics_era`); on by default, off for a bare cluster.
    pub jaeger: bool,
    /// How many of the most recent traces are kept.
    pub trace_capacity: usize,
    /// Serve the data plane's logs as `logging/elasticsearch:9200` (fluent-bit documents in
    /// `logstash-YYYY.MM.DD`); on by default. Off, the pods still log (`kubectl logs` and
    /// funcdeck's pod-log fallback read them), as on a cluster with no log stack.
    pub elasticsearch: bool,
    /// How many of the most recent log lines are kept (documents and pod logs alike).
    pub log_capacity: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            kubeconfig_out: None,
            functions: 24,
            seed: 1,
            ready_delay: Duration::from_millis(1500),
            history_limit: 10_000,
            scenarios: Vec::new(),
            tick: Duration::from_secs(1),
            idle_window: Duration::from_secs(60),
            cold_start: Duration::from_secs(2),
            crash_every: Duration::from_secs(10),
            restart_downtime: Duration::from_secs(2),
            metrics_era: Era::default(),
            prometheus: PrometheusMode::default(),
            scrape_interval: Duration::from_secs(1),
            jaeger: true,
            trace_capacity: crate::traces::DEFAULT_CAPACITY,
            elasticsearch: true,
            log_capacity: crate::logs::DEFAULT_CAPACITY,
        }
    }
}
