//! Sandbox configuration. Defaults give a lively 24-function demo on any free loopback port.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where to listen; default 127.0.0.1:0 (any free port).
    pub listen: SocketAddr,
    /// Where to write the kubeconfig (parent directories are created); `None` = don't write.
    pub kubeconfig_out: Option<PathBuf>,
    /// Number of seeded Knative services.
    pub functions: usize,
    /// Same seed ⇒ same names, counts and failures.
    pub seed: u64,
    /// How long a new revision stays Unknown/Deploying before it resolves.
    pub ready_delay: Duration,
    /// Retained watch events before a too-old resourceVersion gets 410 Expired.
    pub history_limit: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            kubeconfig_out: None,
            functions: 24,
            seed: 1,
            ready_delay: Duration::from_millis(1500),
            history_limit: 10_000,
        }
    }
}
