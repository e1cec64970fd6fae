//! How the connection to the cluster is doing, for the header.

use chrono::{DateTime, Utc};
use funcdeck_core::error::CoreError;

#[derive(Debug, Clone)]
pub enum Health {
    /// Loading the kubeconfig or waiting for the first list.
    Connecting,
    /// The watch is delivering.
    Live,
    /// The watch broke; it retries with backoff and the last good data stays on screen.
    Degraded {
        error: CoreError,
        since: DateTime<Utc>,
    },
    /// We cannot even start (bad kubeconfig, unknown context): only a retry helps.
    Failed { error: CoreError },
}

impl Health {
    pub fn error(&self) -> Option<&CoreError> {
        match self {
            Health::Degraded { error, .. } | Health::Failed { error } => Some(error),
            Health::Connecting | Health::Live => None,
        }
    }
}
