//! Work `update` asks for. The runner performs it and answers with a [`Msg`](super::Msg) carrying
//! the same generation, so an answer that arrives after the user moved on is dropped.

use funcdeck_core::functions::NamespaceScope;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load the kubeconfig and build a client (again, on retry: the user may have fixed the file).
    Connect {
        generation: u64,
    },
    /// Replace any running function watch with one over `scope`.
    WatchFunctions {
        generation: u64,
        scope: NamespaceScope,
    },
    LoadNamespaces {
        generation: u64,
    },
    Probe {
        generation: u64,
    },
}
