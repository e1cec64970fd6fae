//! Where Elasticsearch/OpenSearch is for a kube context: the config's endpoint if there is
//! one, else the first well-known Service that answers `/` through the service proxy.

use super::client::ElasticClient;
use crate::backend::config::EndpointConfig;
use crate::backend::discovery::{WellKnown, endpoint_for};
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
    ready_paths: &["/"],
};

/// The Elasticsearch (or OpenSearch) for a context: from `config` as given, else found through
/// `kube` ([`endpoint_for`]).
pub async fn locate(
    config: Option<&EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<ElasticClient, BackendError> {
    endpoint_for(&WELL_KNOWN, config, kube)
        .await
        .map(ElasticClient::new)
}
