//! Where Jaeger's query service is for a kube context: the config's endpoint if there is one,
//! else the first well-known Service whose `/api/v3/services` answers through the API
//! server's service proxy — or, where that path is not there (a Jaeger before 1.35, with only
//! the classic API), whose `/api/services` does. v3 comes first because Jaeger's main branch
//! has dropped the classic API.

use super::client::JaegerClient;
use crate::backend::config::EndpointConfig;
use crate::backend::discovery::{WellKnown, endpoint_for};
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
    ready_paths: &["/api/v3/services", "/api/services"],
};

/// The Jaeger for a context: from `config` as given, else found through `kube`
/// ([`endpoint_for`]).
pub async fn locate(
    config: Option<&EndpointConfig>,
    kube: Option<&kube::Client>,
) -> Result<JaegerClient, BackendError> {
    endpoint_for(&WELL_KNOWN, config, kube)
        .await
        .map(JaegerClient::new)
}
