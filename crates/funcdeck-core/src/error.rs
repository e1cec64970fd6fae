//! Typed failures of the core crate.
//!
//! The UI keeps errors in its state and says *which* failure happened (unreachable, forbidden,
//! conflict, …), so the enum is `Clone`, carries the server's message verbatim, and renders as a
//! short lower-case sentence naming the cause and, where there is one, what to do.

mod from_kube;

pub(crate) use from_kube::is_gone;

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    #[error("no kubeconfig found (looked in {}); set KUBECONFIG or pass --kubeconfig", display_paths(.searched))]
    KubeconfigMissing { searched: Vec<PathBuf> },

    #[error("kubeconfig {} is invalid: {reason}", .path.display())]
    KubeconfigInvalid { path: PathBuf, reason: String },

    #[error("context {context:?} not found in kubeconfig ({})", display_available(.available))]
    UnknownContext {
        context: String,
        available: Vec<String>,
    },

    #[error("cannot reach the API server{}: {reason}", display_server(.server))]
    Unreachable { server: String, reason: String },

    #[error("unauthorized: {message}; check the credentials in your kubeconfig")]
    Unauthorized { message: String },

    #[error("forbidden: {message}")]
    Forbidden { message: String },

    #[error("not found: {message}")]
    NotFound { message: String },

    #[error("conflict: {message}")]
    Conflict { message: String },

    #[error("{}", display_api(*.code, .reason, .message))]
    Api {
        code: u16,
        reason: String,
        message: String,
    },

    #[error("could not decode the server's response: {message}")]
    Decode { message: String },

    /// Asked for data before a connection to the cluster exists (the kubeconfig did not load,
    /// or connecting is still under way); not an answer from any server.
    #[error("not connected to a cluster")]
    NotConnected,

    /// A stack install or uninstall that stopped: the step and its reason, said as they are.
    #[error("{message}")]
    Stack { message: String },

    /// An observability backend (Prometheus, …) failed or was not found; says which and where.
    #[error(transparent)]
    Backend(#[from] crate::backend::BackendError),
}

impl CoreError {
    /// A stable one-word label for status lines, logs and `-o json` error output.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Self::KubeconfigMissing { .. } => "kubeconfig-missing",
            Self::KubeconfigInvalid { .. } => "kubeconfig-invalid",
            Self::UnknownContext { .. } => "unknown-context",
            Self::Unreachable { .. } => "unreachable",
            Self::Unauthorized { .. } => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound { .. } => "not-found",
            Self::Conflict { .. } => "conflict",
            Self::Api { .. } => "api",
            Self::Decode { .. } => "decode",
            Self::NotConnected => "not-connected",
            Self::Stack { .. } => "stack",
            Self::Backend(e) => e.kind_label(),
        }
    }

    /// Whether trying the same request again later may succeed without the user changing
    /// anything (network trouble, an overloaded or restarting server).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Api { code, .. } => matches!(code, 408 | 429 | 500 | 502 | 503 | 504),
            Self::Backend(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// Fills in the server URL of an [`CoreError::Unreachable`] that was built without one
    /// (the `From<kube::Error>` conversion cannot know it).
    pub fn with_server(self, server: &str) -> Self {
        match self {
            Self::Unreachable { server: s, reason } if s.is_empty() => Self::Unreachable {
                server: server.to_owned(),
                reason,
            },
            other => other,
        }
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "no candidate paths".to_owned();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn display_available(available: &[String]) -> String {
    if available.is_empty() {
        "it defines no contexts".to_owned()
    } else {
        format!("available: {}", available.join(", "))
    }
}

fn display_server(server: &str) -> String {
    if server.is_empty() {
        String::new()
    } else {
        format!(" at {server}")
    }
}

fn display_api(code: u16, reason: &str, message: &str) -> String {
    let head = match (code, reason.is_empty()) {
        (0, true) => "request failed".to_owned(),
        (0, false) => format!("request failed ({reason})"),
        (c, true) => format!("server answered {c}"),
        (c, false) => format!("server answered {c} {reason}"),
    };
    if message.is_empty() {
        head
    } else {
        format!("{head}: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::CoreError;
    use std::path::PathBuf;

    #[test]
    fn messages_are_short_and_name_the_cause() {
        let e = CoreError::Unreachable {
            server: "http://127.0.0.1:6443".into(),
            reason: "connection refused".into(),
        };
        assert_eq!(
            e.to_string(),
            "cannot reach the API server at http://127.0.0.1:6443: connection refused"
        );
        let e = CoreError::UnknownContext {
            context: "prod".into(),
            available: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            e.to_string(),
            "context \"prod\" not found in kubeconfig (available: a, b)"
        );
        let e = CoreError::KubeconfigMissing {
            searched: vec![PathBuf::from("/home/u/.kube/config")],
        };
        assert_eq!(
            e.to_string(),
            "no kubeconfig found (looked in /home/u/.kube/config); set KUBECONFIG or pass --kubeconfig"
        );
        let e = CoreError::Api {
            code: 422,
            reason: "Invalid".into(),
            message: "spec.traffic: bad".into(),
        };
        assert_eq!(
            e.to_string(),
            "server answered 422 Invalid: spec.traffic: bad"
        );
    }

    #[test]
    fn unreachable_without_server_omits_the_at() {
        let e = CoreError::Unreachable {
            server: String::new(),
            reason: "timed out".into(),
        };
        assert_eq!(e.to_string(), "cannot reach the API server: timed out");
        assert_eq!(
            e.with_server("https://k:6443").to_string(),
            "cannot reach the API server at https://k:6443: timed out"
        );
    }

    #[test]
    fn with_server_keeps_an_existing_server_and_other_kinds() {
        let e = CoreError::Unreachable {
            server: "a".into(),
            reason: "r".into(),
        };
        assert_eq!(e.clone().with_server("b"), e);
        let f = CoreError::Forbidden {
            message: "m".into(),
        };
        assert_eq!(f.clone().with_server("b"), f);
    }

    #[test]
    fn retryable_only_for_transient_failures() {
        let api = |code| CoreError::Api {
            code,
            reason: String::new(),
            message: String::new(),
        };
        assert!(
            CoreError::Unreachable {
                server: String::new(),
                reason: String::new()
            }
            .is_retryable()
        );
        assert!(api(503).is_retryable());
        assert!(api(429).is_retryable());
        assert!(!api(422).is_retryable());
        assert!(
            !CoreError::Conflict {
                message: String::new()
            }
            .is_retryable()
        );
        assert!(
            !CoreError::Forbidden {
                message: String::new()
            }
            .is_retryable()
        );
    }

    #[test]
    fn kind_labels_are_distinct() {
        let all = [
            CoreError::KubeconfigMissing { searched: vec![] },
            CoreError::KubeconfigInvalid {
                path: PathBuf::new(),
                reason: String::new(),
            },
            CoreError::UnknownContext {
                context: String::new(),
                available: vec![],
            },
            CoreError::Unreachable {
                server: String::new(),
                reason: String::new(),
            },
            CoreError::Unauthorized {
                message: String::new(),
            },
            CoreError::Forbidden {
                message: String::new(),
            },
            CoreError::NotFound {
                message: String::new(),
            },
            CoreError::Conflict {
                message: String::new(),
            },
            CoreError::Api {
                code: 0,
                reason: String::new(),
                message: String::new(),
            },
            CoreError::Decode {
                message: String::new(),
            },
            CoreError::NotConnected,
            CoreError::Backend(crate::backend::BackendError::NotFound {
                backend: crate::backend::Backend::Prometheus,
                tried: vec![],
            }),
        ];
        let labels: std::collections::BTreeSet<_> = all.iter().map(CoreError::kind_label).collect();
        assert_eq!(labels.len(), all.len());
        assert_eq!(all[3].kind_label(), "unreachable");
        assert_eq!(all[5].kind_label(), "forbidden");
    }

    #[test]
    fn backend_failures_keep_their_own_message_and_label() {
        use crate::backend::{Backend, BackendError, Failure};
        let e = CoreError::from(BackendError::failed(
            Backend::Prometheus,
            "http://127.0.0.1:9090",
            Failure::BadQuery {
                message: "parse error".into(),
            },
        ));
        assert_eq!(
            e.to_string(),
            "Prometheus at http://127.0.0.1:9090: bad query: parse error"
        );
        assert_eq!(e.kind_label(), "bad-query");
        assert!(!e.is_retryable());
        let down = CoreError::from(BackendError::failed(
            Backend::Prometheus,
            "x",
            Failure::Unreachable {
                reason: "connection refused".into(),
            },
        ));
        assert!(down.is_retryable());
    }
}
