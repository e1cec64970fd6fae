//! Where Elasticsearch/OpenSearch is for a kube context: the config's endpoint if there is
//! one, else the first well-known Service that answers `/` through the service proxy.

use std::time::Duration;

use super::client::ElasticClient;
use crate::backend::config::{DEFAULT_TIMEOUT, EndpointConfig};
use crate::backend::discovery::{Attempt, WellKnown, locate_service};
use crate::backend::transport::Endpoint;
use crate::backend::{Backend, BackendError};

/// The name the stack wizard installs and the sandbox serves first, then the Elastic Helm
/// chart's, ECK's (`NAME-es-http`) and OpenSearch's Helm chart's (DESIGN.md §4).
pub const WELL_KNOWN: WellKnown = WellKnown {
    backend: Backend::Elasticsearch,
    exact: &[("logging", "elasticsearch")],
    names: &[
        "elasticsearch",
        "elasticsearch-master",
        "*-es-http",
        "opensearch-cluster-master",
        "opensearch",
    ],
    namespaces: &[
        "logging",
        "elastic-system",
        "elasticsearch",
        "opensearch",
        "observability",
        "monitoring",
        "kube-system",
    ],
    ports: &["9200", "http", "https"],
    ready_path: "/",
};

/// The log backend for a context: from `config` as given (not probed: its failures are
/// reported by the first search), else found through `kube`. `indices` overrides
/// [`super::DEFAULT_INDICES`] when given.
pub async fn locate(
    config: Option<&EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<ElasticClient, BackendError> {
    if let Some(config) = config {
        return Endpoint::from_config(config, kube)
            .map(ElasticClient::new)
            .map_err(|reason| {
                BackendError::failed(Backend::Elasticsearch, configured(config), reason)
            });
    }
    let mut tried = vec![Attempt::new("config", "none")];
    let Some(client) = kube else {
        tried.push(Attempt::new("the cluster", "not connected"));
        return Err(BackendError::NotFound {
            backend: Backend::Elasticsearch,
            tried,
        });
    };
    let located = locate_service(client, &WELL_KNOWN, discovery_timeout(), tried).await?;
    Ok(ElasticClient::new(located.endpoint))
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
