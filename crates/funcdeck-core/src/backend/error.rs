//! Failures of a backend call, named after the backend and where it is.
//!
//! The UI shows them as "Prometheus at X: reason"; a pane also needs to tell *which* failure
//! happened (unreachable vs a bad query vs a proxy refusal), so the reason is an enum. Text
//! that came from the backend is kept short and made inert here, so a hostile answer cannot
//! reach the terminal through an error message.

use std::fmt;
use std::time::Duration;

/// Which backend a failure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Prometheus,
    Jaeger,
    Elasticsearch,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Prometheus => "Prometheus",
            Self::Jaeger => "Jaeger",
            Self::Elasticsearch => "Elasticsearch",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// A request to a known endpoint failed.
    #[error("{backend} at {at}: {reason}")]
    Failed {
        backend: Backend,
        /// Where it was asked: a URL, or a Service through the API server.
        at: String,
        reason: Failure,
    },
    /// No endpoint is configured and none was found in the cluster.
    #[error("{backend} not found: tried {}", display_tried(.tried))]
    NotFound {
        backend: Backend,
        tried: Vec<crate::backend::Attempt>,
    },
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// No connection: refused, no such host, TLS handshake failed, ….
    #[error("unreachable: {reason}")]
    Unreachable { reason: String },
    /// No complete answer within the configured timeout.
    #[error("no answer within {}", display_duration(*.after))]
    Timeout { after: Duration },
    /// The backend (or a proxy in front of it) refused the credentials: 401 or 403.
    #[error("unauthorized ({code}): {message}")]
    Unauthorized { code: u16, message: String },
    /// The query was refused as invalid (Prometheus: 400 `bad_data`).
    #[error("bad query: {message}")]
    BadQuery { message: String },
    /// The query was valid but failed while running (Prometheus: 422 `execution`).
    #[error("query failed: {message}")]
    Execution { message: String },
    /// The backend is up but cannot answer now: not ready, overloaded, query timeout,
    /// canceled, internal error (`kind` is its own word for it, e.g. `timeout`).
    #[error("unavailable ({kind}): {message}")]
    Unavailable {
        code: u16,
        kind: String,
        message: String,
    },
    /// Something answered, but not with this backend's API (an HTML page, another program).
    #[error("the answer ({code}{}) is not its API: {snippet}", display_type(.content_type))]
    NotTheBackend {
        code: u16,
        content_type: String,
        snippet: String,
    },
    /// The API server itself refused to proxy (its own Status, not the backend's answer):
    /// the Service is missing, has no ready endpoints, or the user may not use the proxy.
    #[error("the API server refused the service proxy ({code} {reason}): {message}")]
    ProxyRefused {
        code: u16,
        reason: String,
        message: String,
    },
    /// An answer in the backend's format whose content we could not read.
    #[error("could not decode the answer: {message}")]
    Decode { message: String },
    /// Any other HTTP status.
    #[error("answered {code}: {message}")]
    Http { code: u16, message: String },
    /// The backend answers, but not with what funcdeck needs (Prometheus without any Knative
    /// metric: Knative not installed, or not scraped by it).
    #[error("{what}")]
    NoData { what: String },
    /// The backend holds no such item (Jaeger: a trace id it does not know).
    #[error("{what} not found")]
    NotFound { what: String },
    /// The endpoint cannot be used as configured (bad URL, unreadable CA file, …).
    #[error("bad endpoint configuration: {reason}")]
    Config { reason: String },
}

impl BackendError {
    pub fn failed(backend: Backend, at: impl Into<String>, reason: Failure) -> Self {
        Self::Failed {
            backend,
            at: at.into(),
            reason,
        }
    }

    /// A stable one-word label for status lines and `-o json` error output.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "backend-not-found",
            Self::Failed { reason, .. } => reason.kind_label(),
        }
    }

    /// Whether asking again later may succeed without the user changing anything.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::NotFound { .. } => false,
            Self::Failed { reason, .. } => matches!(
                reason,
                Failure::Unreachable { .. }
                    | Failure::Timeout { .. }
                    | Failure::Unavailable { .. }
                    | Failure::ProxyRefused { code: 503, .. }
            ),
        }
    }
}

impl Failure {
    pub fn kind_label(&self) -> &'static str {
        match self {
            Self::Unreachable { .. } => "backend-unreachable",
            Self::Timeout { .. } => "backend-timeout",
            Self::Unauthorized { .. } => "backend-unauthorized",
            Self::BadQuery { .. } => "bad-query",
            Self::Execution { .. } => "query-failed",
            Self::Unavailable { .. } => "backend-unavailable",
            Self::NotTheBackend { .. } => "not-the-backend",
            Self::ProxyRefused { .. } => "proxy-refused",
            Self::Decode { .. } => "backend-decode",
            Self::Http { .. } => "backend-http",
            Self::Config { .. } => "backend-config",
            Self::NoData { .. } => "no-data",
            Self::NotFound { .. } => "not-found",
        }
    }
}

/// At most this many characters of a backend's body go into a message.
const SNIPPET_CHARS: usize = 200;

/// The start of a body, on one line and inert, for a message.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(SNIPPET_CHARS).collect();
    if one_line.chars().count() > SNIPPET_CHARS {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(empty body)");
    }
    crate::text::sanitize(&out).into_owned()
}

/// A message from a backend (already short), made inert.
pub fn inert(message: &str) -> String {
    crate::text::sanitize(message).into_owned()
}

fn display_tried(tried: &[crate::backend::Attempt]) -> String {
    if tried.is_empty() {
        return "nothing".to_owned();
    }
    tried
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn display_type(content_type: &str) -> String {
    if content_type.is_empty() {
        String::new()
    } else {
        format!(", {content_type}")
    }
}

pub(crate) fn display_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}
