//! Where Prometheus is for a kube context: the config's endpoint if there is one, else the
//! first well-known Service that answers `/-/ready` through the API server's service proxy.

use super::client::PrometheusClient;
use crate::backend::config::EndpointConfig;
use crate::backend::discovery::{WellKnown, endpoint_for};
use crate::backend::{Backend, BackendError};

/// The names the stack wizard installs and the sandbox serves first, then the common Helm and
/// operator names (DESIGN.md §4).
pub const WELL_KNOWN: WellKnown = WellKnown {
    backend: Backend::Prometheus,
    exact: &[
        ("monitoring", "prometheus"),
        ("knative-monitoring", "prometheus-system-np"),
    ],
    names: &[
        "prometheus-server",
        "prometheus-operated",
        "*-kube-prometheus-prometheus",
    ],
    namespaces: &[
        "monitoring",
        "prometheus",
        "observability",
        "kube-prometheus",
        "kube-system",
    ],
    ports: &["9090", "web", "http-web", "http", "80"],
    ready_paths: &["/-/ready"],
};

/// The Prometheus for a context: from `config` as given, else found through `kube`
/// ([`endpoint_for`]).
pub async fn locate(
    config: Option<&EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<PrometheusClient, BackendError> {
    endpoint_for(&WELL_KNOWN, config, kube)
        .await
        .map(PrometheusClient::new)
}
