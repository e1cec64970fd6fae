//! Reading functions from the cluster: one-shot lists for the CLI, a live watch for the TUI.

mod list;
mod watch;

use kube::Api;

pub use list::{list_namespaces, list_services};
pub use watch::{FunctionEvent, watch_functions};

use crate::knative::Service;

/// Which namespaces a list or watch covers (`-A` or `-n NS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceScope {
    All,
    One(String),
}

fn services_api(client: &kube::Client, scope: &NamespaceScope) -> Api<Service> {
    match scope {
        NamespaceScope::All => Api::all(client.clone()),
        NamespaceScope::One(ns) => Api::namespaced(client.clone(), ns),
    }
}
