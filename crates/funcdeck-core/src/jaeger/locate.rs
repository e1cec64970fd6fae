//! Where Jaeger's query service is for a kube context: the config's endpoint if there is one,
//! else the first well-known Service whose `/api/v3/services` answers through the API
//! server's service proxy.
//!
//! The readiness path is v3's because Jaeger's main branch has dropped the classic
//! `/api/services`; a Jaeger older than v3 (before 1.35) is not found by discovery and has to
//! be named in the config, where it is used as given.

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
    ready_path: "/api/v3/services",
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
