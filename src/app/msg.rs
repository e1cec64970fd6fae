//! Everything that can happen to the app: input, time, and answers from background work.

use chrono::{DateTime, Utc};
use funcdeck_core::error::CoreError;
use funcdeck_core::functions::FunctionEvent;

use crate::keymap::Key;

/// Which cluster we are talking to, as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextInfo {
    pub context: String,
    pub server: String,
    pub default_namespace: String,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(Key),
    Resize {
        width: u16,
        height: u16,
    },
    Tick(DateTime<Utc>),
    /// The kubeconfig was (re)loaded. Answers to an older generation are ignored.
    Connected {
        generation: u64,
        result: Result<ContextInfo, CoreError>,
    },
    Functions {
        generation: u64,
        event: FunctionEvent,
    },
    Namespaces {
        generation: u64,
        result: Result<Vec<String>, CoreError>,
    },
    /// A reachability check while the watch is interrupted.
    Probed {
        generation: u64,
        result: Result<String, CoreError>,
    },
}
