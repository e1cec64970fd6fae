//! Invoking a function over HTTP, the way a user would from outside the cluster: take the
//! function's URL (or a tag's), find the cluster's ingress gateway ([`gateway`]), send the
//! request to the gateway's address with the URL's host in the `Host` header, and report the
//! status, headers, body and latency. Invoking changes nothing in the cluster, so it is not a
//! mutation; it is still a network call with a timeout and typed failures.

pub mod body;
pub mod gateway;
mod send;
mod target;

use std::time::Duration;

pub use body::{Rendered, render_body};
pub use gateway::{Gateway, find_gateway, gateway_of};
pub use send::send;
pub use target::{Destination, destination, known_tags, target_url};

use crate::CoreError;
use crate::cluster::Connection;
use crate::functions::get_function;

/// How long an invocation may take, a cold start included (Knative's activator holds a request
/// for a scaled-to-zero revision until a pod is up).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeRequest {
    pub method: String,
    /// Path and query, starting with `/`.
    pub path: String,
    /// In the order given; repeated names are sent repeatedly.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub tag: Option<String>,
    pub timeout: Duration,
}

impl Default for InvokeRequest {
    fn default() -> Self {
        Self {
            method: "GET".to_owned(),
            path: "/".to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            tag: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeResponse {
    pub status: u16,
    /// The standard reason phrase (`OK`, `Service Unavailable`), empty for unknown codes.
    pub reason: String,
    /// As received, in order (names lower-case).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// From sending the request to the last byte of the body.
    pub latency: Duration,
    pub sent_to: Destination,
}

impl InvokeResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as the screen and the CLI show it.
    pub fn rendered_body(&self) -> Rendered {
        render_body(self.header("content-type"), &self.body)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvokeError {
    #[error("function \"{function}\" has no URL yet (it is not ready); try again once it is")]
    NoUrl { function: String },

    #[error("function \"{function}\" has no tag \"{tag}\" ({})", display_tags(.known))]
    UnknownTag {
        function: String,
        tag: String,
        known: Vec<String>,
    },

    #[error("invalid request: {reason}")]
    BadRequest { reason: String },

    #[error("cannot reach {to}: {reason}")]
    Unreachable { to: String, reason: String },

    #[error("no answer from {to} within {}s", .after.as_secs())]
    Timeout { to: String, after: Duration },

    #[error(transparent)]
    Cluster(#[from] CoreError),
}

impl InvokeError {
    /// A stable one-word label, like [`CoreError::kind_label`].
    pub fn kind_label(&self) -> &'static str {
        match self {
            Self::NoUrl { .. } => "no-url",
            Self::UnknownTag { .. } => "unknown-tag",
            Self::BadRequest { .. } => "bad-request",
            Self::Unreachable { .. } => "unreachable",
            Self::Timeout { .. } => "timeout",
            Self::Cluster(e) => e.kind_label(),
        }
    }
}

fn display_tags(known: &[String]) -> String {
    if known.is_empty() {
        "it has no tags".to_owned()
    } else {
        format!("known tags: {}", known.join(", "))
    }
}

/// Reads function `namespace/name`, works out where to send `req` and sends it.
pub async fn invoke(
    conn: &Connection,
    namespace: &str,
    name: &str,
    req: &InvokeRequest,
) -> Result<InvokeResponse, InvokeError> {
    let service = get_function(conn, namespace, name).await?;
    let url = target_url(&service, name, req.tag.as_deref())?;
    let gateway = find_gateway(conn).await;
    let dest = destination(&url, gateway.as_ref())?;
    send(&dest, req).await
}

/// `Name: value` (curl's `-H` syntax) → `(name, value)`; the name must be a valid header name.
pub fn parse_header(line: &str) -> Result<(String, String), String> {
    let Some((name, value)) = line.split_once(':') else {
        return Err(format!(
            "{line:?} is not a header: write it as 'Name: value'"
        ));
    };
    let name = name.trim();
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid {
        return Err(format!("{name:?} is not a valid header name"));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!(
            "the value of header {name:?} contains control characters"
        ));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::parse_header;

    #[test]
    fn header_lines() {
        assert_eq!(
            parse_header("X-Env:  staging "),
            Ok(("X-Env".to_owned(), "staging".to_owned()))
        );
        assert_eq!(
            parse_header("Accept:"),
            Ok(("Accept".to_owned(), String::new()))
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("bad name: x").is_err());
        assert!(parse_header(": x").is_err());
    }
}
