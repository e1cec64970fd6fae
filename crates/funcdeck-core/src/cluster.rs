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

/// The context `target` names (or the kubeconfig's current one), read without connecting;
/// `None` when the kubeconfig cannot be read or the context does not exist.
pub fn context_name(target: &ClusterTarget) -> Option<String> {
    let env = std::env::var_os("KUBECONFIG");
    let home = std::env::home_dir();
    let loaded = load_kubeconfig(
        target.kubeconfig.as_deref(),
        env.as_deref(),
        home.as_deref(),
    )
    .ok()?;
    loaded
        .resolve(target.context.as_deref())
        .ok()
        .map(|resolved| resolved.context)
}

/// Where to find the cluster: both fields fall back to kubectl's defaults when `None`.
#[derive(Debug, Clone, Default)]
pub struct ClusterTarget {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}
