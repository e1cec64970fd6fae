//! `funcdeck sandbox`'s flags, and the on/off switch it (and `--sandbox`) takes for a backend.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Where to write the kubeconfig (default: <state dir>/sandbox/kubeconfig)
    #[arg(long, value_name = "PATH")]
    pub kubeconfig_out: Option<PathBuf>,

    /// Number of demo functions to seed
    #[arg(long, default_value_t = 24, value_name = "N")]
    pub functions: usize,

    /// Seed for the demo content: the same seed gives the same cluster
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,

    /// Failure scenario to start with (repeatable): crashloop=NS/SVC, unpullable=NS/SVC,
    /// slow-api=800ms, drop-watches=30s, apiserver-restart=60s, unpullable-workload=NS/NAME,
    /// pending-pvc=NS/NAME, webhook-not-ready=NS/NAME. Switch at run time with the ConfigMap
    /// kube-system/funcdeck-sandbox-scenarios (same keys).
    #[arg(long = "scenario", value_name = "SPEC")]
    pub scenarios: Vec<funcdeck_sandbox::Scenario>,

    /// The Knative metric names the /metrics exporters speak: 1.18 (OpenCensus) or 1.19
    /// (OpenTelemetry)
    #[arg(long, default_value = "1.19", value_name = "1.18|1.19")]
    pub metrics_era: funcdeck_sandbox::MetricsEra,

    /// The Prometheus served as monitoring/prometheus:9090: auto (start the `prometheus` on
    /// PATH, scraping the sandbox), off, or the http:// URL of one to proxy to
    #[arg(long, default_value = "auto", value_name = "auto|off|URL")]
    pub prometheus: funcdeck_sandbox::PrometheusMode,

    /// Serve the pods' logs as logging/elasticsearch:9200 (on), or not (off: a cluster with no
    /// log backend, where `funcdeck logs` reads the pods)
    #[arg(long, default_value = "on", value_name = "on|off")]
    pub elasticsearch: Switch,

    /// Start without the observability stack (no Prometheus, Jaeger or Elasticsearch
    /// namespaces, Services or workloads): what `funcdeck stack install` starts from
    #[arg(long)]
    pub bare: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn on(self) -> bool {
        self == Self::On
    }
}
