//! Mapping kube's errors onto [`CoreError`].
//!
//! kube reports a refused connection, a TLS failure and a timeout as nested transport errors
//! and every server answer as a `Status`; the UI needs them as a few actionable kinds with a
//! short reason, so this walks the error chain once here instead of in every caller.

use std::error::Error as StdError;
use std::io;
use std::path::PathBuf;

use kube::core::Status;
use kube::runtime::watcher;

use super::CoreError;

impl From<kube::Error> for CoreError {
    fn from(err: kube::Error) -> Self {
        match err {
            kube::Error::Api(status) => from_status(&status),
            kube::Error::HyperError(e) => unreachable(transport_reason(&e)),
            kube::Error::Service(e) => unreachable(transport_reason(e.as_ref())),
            kube::Error::ReadEvents(e) => unreachable(transport_reason(&e)),
            kube::Error::SerdeError(e) => CoreError::Decode {
                message: e.to_string(),
            },
            kube::Error::FromUtf8(e) => CoreError::Decode {
                message: format!("response is not utf-8: {e}"),
            },
            kube::Error::LinesCodecMaxLineLengthExceeded => CoreError::Decode {
                message: "watch event line too long".to_owned(),
            },
            kube::Error::InferKubeconfig(e) => kubeconfig_invalid(e.to_string()),
            kube::Error::InferConfig(e) => kubeconfig_invalid(e.to_string()),
            kube::Error::RustlsTls(e) => kubeconfig_invalid(format!("tls setup failed: {e}")),
            kube::Error::TlsRequired => {
                kubeconfig_invalid("https server but no tls support compiled in".to_owned())
            }
            kube::Error::ProxyProtocolUnsupported { .. }
            | kube::Error::ProxyProtocolDisabled { .. } => kubeconfig_invalid(err.to_string()),
            kube::Error::Auth(e) => CoreError::Unauthorized {
                message: e.to_string(),
            },
            kube::Error::Discovery(e) => CoreError::NotFound {
                message: e.to_string(),
            },
            kube::Error::HttpError(e) => client_side(e.to_string()),
            kube::Error::BuildRequest(e) => client_side(e.to_string()),
            // Variants behind kube features this crate does not enable (ws, openssl, …) can
            // appear through feature unification in the workspace.
            #[allow(unreachable_patterns)]
            other => client_side(other.to_string()),
        }
    }
}

impl From<watcher::Error> for CoreError {
    fn from(err: watcher::Error) -> Self {
        match err {
            watcher::Error::InitialListFailed(e)
            | watcher::Error::WatchStartFailed(e)
            | watcher::Error::WatchFailed(e) => e.into(),
            watcher::Error::WatchError(status) => from_status(&status),
            watcher::Error::NoResourceVersion => CoreError::Decode {
                message: "the server sent an object without metadata.resourceVersion".to_owned(),
            },
        }
    }
}

/// Whether a watcher error is the routine "410 Gone" that makes kube relist; it is part of
/// normal operation, not a failure worth showing.
pub(crate) fn is_gone(err: &watcher::Error) -> bool {
    match err {
        watcher::Error::WatchError(status) => status.code == 410,
        watcher::Error::InitialListFailed(kube::Error::Api(status))
        | watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::WatchFailed(kube::Error::Api(status)) => status.code == 410,
        _ => false,
    }
}

fn from_status(status: &Status) -> CoreError {
    let message = if status.message.is_empty() {
        status.reason.clone()
    } else {
        status.message.clone()
    };
    match status.code {
        401 => CoreError::Unauthorized { message },
        403 => CoreError::Forbidden { message },
        404 => CoreError::NotFound { message },
        409 => CoreError::Conflict { message },
        code => CoreError::Api {
            code,
            reason: status.reason.clone(),
            message: status.message.clone(),
        },
    }
}

fn unreachable(reason: String) -> CoreError {
    CoreError::Unreachable {
        server: String::new(),
        reason,
    }
}

fn kubeconfig_invalid(reason: String) -> CoreError {
    CoreError::KubeconfigInvalid {
        path: PathBuf::new(),
        reason,
    }
}

fn client_side(message: String) -> CoreError {
    CoreError::Api {
        code: 0,
        reason: "ClientError".to_owned(),
        message,
    }
}

/// A short lower-case reason for a transport failure: the io error kind when there is a
/// well-known one, a TLS failure when rustls reports one, else the innermost message.
pub(crate) fn transport_reason(err: &(dyn StdError + 'static)) -> String {
    let mut current: &(dyn StdError + 'static) = err;
    loop {
        if let Some(io_err) = current.downcast_ref::<io::Error>() {
            if let Some(known) = io_kind_reason(io_err.kind()) {
                return known.to_owned();
            }
            if let Some(inner) = io_err.get_ref() {
                current = inner;
                continue;
            }
        }
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return format!("tls handshake failed: {tls}");
        }
        match current.source() {
            Some(next) => current = next,
            None => return tidy(&current.to_string()),
        }
    }
}

fn io_kind_reason(kind: io::ErrorKind) -> Option<&'static str> {
    use io::ErrorKind as K;
    Some(match kind {
        K::ConnectionRefused => "connection refused",
        K::ConnectionReset => "connection reset by the server",
        K::ConnectionAborted => "connection aborted",
        K::TimedOut => "timed out",
        K::HostUnreachable => "host unreachable",
        K::NetworkUnreachable => "network unreachable",
        K::AddrNotAvailable => "address not available",
        K::UnexpectedEof => "the server closed the connection",
        _ => return None,
    })
}

/// Drops the `(os error N)` suffix and lower-cases the first letter.
fn tidy(message: &str) -> String {
    let trimmed = match message.rfind(" (os error ") {
        Some(i) if message.ends_with(')') => &message[..i],
        _ => message,
    };
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
