//! Which cluster to talk to, and a ready-to-use client for it.
//!
//! Resolution follows kubectl (explicit file, then the `KUBECONFIG` list merged first-wins,
//! then `~/.kube/config`) so funcdeck opens on the same cluster the user's other tools do.
//! Connecting never touches the network: the TUI opens instantly and reports health from
//! [`probe`] and the watchers.

mod connect;
mod kubeconfig;

use std::path::PathBuf;

pub use connect::{Connection, connect, probe};
pub use kubeconfig::{LoadedKubeconfig, ResolvedContext, kubeconfig_paths, load_kubeconfig};

/// Where to find the cluster: both fields fall back to kubectl's defaults when `None`.
#[derive(Debug, Clone, Default)]
pub struct ClusterTarget {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}
