//! Where Prometheus is for a kube context: the config's endpoint if there is one, else the
//! first well-known Service that answers `/-/ready` through the API server's service proxy.

use std::time::Duration;

use super::client::PrometheusClient;
use crate::backend::config::{DEFAULT_TIMEOUT, EndpointConfig};
use crate::backend::discovery::{Attempt, WellKnown, locate_service};
use crate::backend::transport::Endpoint;
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
    ready_path: "/-/ready",
};

/// The Prometheus for a context: from `config` as given (not probed: the user said where it
/// is, and its failures are reported by the first query), else found through `kube`.
/// Without either, a [`BackendError::NotFound`] that says so.
pub async fn locate(
    config: Option<&EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<PrometheusClient, BackendError> {
    if let Some(config) = config {
        return Endpoint::from_config(config, kube)
            .map(PrometheusClient::new)
            .map_err(|reason| {
                BackendError::failed(Backend::Prometheus, configured(config), reason)
            });
    }
    let tried = vec![Attempt::new("config", "none")];
    let Some(client) = kube else {
        let mut tried = tried;
        tried.push(Attempt::new("the cluster", "not connected"));
        return Err(BackendError::NotFound {
            backend: Backend::Prometheus,
            tried,
        });
    };
    let located = locate_service(client, &WELL_KNOWN, discovery_timeout(), tried).await?;
    Ok(PrometheusClient::new(located.endpoint))
}

/// Where a config points, for an error about it.
fn configured(config: &EndpointConfig) -> String {
    match (&config.url, &config.service) {
        (Some(url), None) => format!("{url} (config)"),
        (None, Some(service)) => format!("service {service} (config)"),
        _ => "the configured endpoint".to_owned(),
    }
}

/// Each discovery step (a GET, a list, a readiness probe) gets this long.
fn discovery_timeout() -> Duration {
    DEFAULT_TIMEOUT
}
