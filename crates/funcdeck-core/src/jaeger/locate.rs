//! Where Jaeger's query service is for a kube context: the config's endpoint if there is one,
//! else the first well-known Service whose `/api/v3/services` answers through the API
//! server's service proxy.
//!
//! The readiness path is v3's because Jaeger's main branch has dropped the classic
//! `/api/services`; a Jaeger older than v3 (before 1.35) is not found by discovery and has to
//! be named in the config, where it is used as given.

use std::time::Duration;

use super::client::JaegerClient;
use crate::backend::config::{DEFAULT_TIMEOUT, EndpointConfig};
use crate::backend::discovery::{Attempt, WellKnown, locate_service};
use crate::backend::transport::Endpoint;
use crate::backend::{Backend, BackendError};

/// The name the stack wizard installs and the sandbox serves, then the Helm chart's and the
/// operator's (`<instance>-query`) and the all-in-one's (DESIGN.md §4).
pub const WELL_KNOWN: WellKnown = WellKnown {
    backend: Backend::Jaeger,
    exact: &[("observability", "jaeger-query")],
    names: &["jaeger-query", "*-query", "jaeger"],
    namespaces: &[
        "observability",
        "jaeger",
        "tracing",
        "istio-system",
        "monitoring",
    ],
    ports: &["16686", "http-query", "query"],
    ready_path: "/api/v3/services",
};

/// The Jaeger for a context: from `config` as given (not probed: the user said where it is,
/// and its failures are reported by the first query), else found through `kube`.
pub async fn locate(
    config: Option<&EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<JaegerClient, BackendError> {
    if let Some(config) = config {
        return Endpoint::from_config(config, kube)
            .map(JaegerClient::new)
            .map_err(|reason| BackendError::failed(Backend::Jaeger, configured(config), reason));
    }
    let mut tried = vec![Attempt::new("config", "none")];
    let Some(client) = kube else {
        tried.push(Attempt::new("the cluster", "not connected"));
        return Err(BackendError::NotFound {
            backend: Backend::Jaeger,
            tried,
        });
    };
    let located = locate_service(client, &WELL_KNOWN, discovery_timeout(), tried).await?;
    Ok(JaegerClient::new(located.endpoint))
}

fn configured(config: &EndpointConfig) -> String {
    match (&config.url, &config.service) {
        (Some(url), None) => format!("{url} (config)"),
        (None, Some(service)) => format!("service {service} (config)"),
        _ => "the configured endpoint".to_owned(),
    }
}

fn discovery_timeout() -> Duration {
    DEFAULT_TIMEOUT
}
