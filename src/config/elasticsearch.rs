//! `[elasticsearch]`: an endpoint like every backend's, plus which indices hold the logs.
//!
//! The endpoint keys are [`EndpointConfig`]'s; `indices` only makes sense here, so it is read
//! through a table of its own (unknown keys still refused) rather than added to every backend.

use std::path::PathBuf;

use funcdeck_core::backend::EndpointConfig;
use funcdeck_core::backend::config::AuthConfig;

/// `[elasticsearch]` or `[contexts.NAME.elasticsearch]`.
///
/// ```toml
/// service = "logging/elasticsearch:9200"
/// indices = "logstash-*,fluent-bit*"   # the default; comma-separated, wildcards allowed
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(from = "Table")]
pub struct ElasticsearchConfig {
    pub endpoint: EndpointConfig,
    /// The indices searched; `None`: [`funcdeck_core::elastic::DEFAULT_INDICES`].
    pub indices: Option<String>,
}

impl ElasticsearchConfig {
    /// The indices to search: the configured ones, or the default.
    pub fn indices(&self) -> &str {
        self.indices
            .as_deref()
            .filter(|i| !i.trim().is_empty())
            .unwrap_or(funcdeck_core::elastic::DEFAULT_INDICES)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    url: Option<String>,
    service: Option<String>,
    #[serde(default)]
    auth: AuthConfig,
    ca: Option<PathBuf>,
    #[serde(default)]
    insecure_skip_verify: bool,
    timeout: Option<String>,
    indices: Option<String>,
}

impl From<Table> for ElasticsearchConfig {
    fn from(t: Table) -> Self {
        Self {
            endpoint: EndpointConfig {
                url: t.url,
                service: t.service,
                auth: t.auth,
                ca: t.ca,
                insecure_skip_verify: t.insecure_skip_verify,
                timeout: t.timeout,
            },
            indices: t.indices,
        }
    }
}
