//! Reading Prometheus' answer envelope `{status, data, errorType, error, warnings}` and
//! turning each kind of failure into a [`Failure`].
//!
//! The HTTP status alone is not enough: Prometheus sends 400 for `bad_data`, 422 for
//! `execution`, 503 for `timeout`/`unavailable`; a 200 that is not the envelope means
//! something else answered (an HTML login page, another program on the port).

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::backend::error::{Failure, inert, snippet};
use crate::backend::transport::RawResponse;

/// A successful answer's data with the warnings Prometheus attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T> {
    pub data: T,
    pub warnings: Vec<String>,
}

#[derive(Deserialize)]
struct Envelope {
    status: String,
    data: Option<serde_json::Value>,
    #[serde(rename = "errorType", default)]
    error_type: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    warnings: Vec<String>,
}

/// Reads an `/api/v1/...` answer as `T`, or says why it cannot.
pub fn read<T: DeserializeOwned>(resp: &RawResponse) -> Result<Answer<T>, Failure> {
    if matches!(resp.status, 401 | 403) {
        return Err(Failure::Unauthorized {
            code: resp.status,
            message: snippet(&resp.body),
        });
    }
    let envelope: Envelope = match serde_json::from_slice(&resp.body) {
        Ok(e) => e,
        Err(_) => return Err(not_an_envelope(resp)),
    };
    match envelope.status.as_str() {
        // "warning" is not sent by Prometheus itself, but some proxies in front of it
        // (and Jaeger's test data) use it; the data is still good.
        "success" | "warning" => {
            let Some(data) = envelope.data else {
                return Err(Failure::Decode {
                    message: "a success without data".to_owned(),
                });
            };
            let data = serde_json::from_value(data).map_err(|e| Failure::Decode {
                message: e.to_string(),
            })?;
            Ok(Answer {
                data,
                warnings: envelope.warnings.iter().map(|w| inert(w)).collect(),
            })
        }
        "error" => Err(error(resp.status, &envelope.error_type, &envelope.error)),
        other => Err(Failure::Decode {
            message: format!("unknown status {:?}", inert(other)),
        }),
    }
}

/// Prometheus' `errorType` → the failure a pane can act on.
pub fn error(code: u16, error_type: &str, message: &str) -> Failure {
    let message = inert(message);
    match error_type {
        "bad_data" => Failure::BadQuery { message },
        "execution" => Failure::Execution { message },
        "timeout" | "canceled" | "unavailable" | "internal" => Failure::Unavailable {
            code,
            kind: error_type.to_owned(),
            message,
        },
        other => Failure::Http {
            code,
            message: if other.is_empty() {
                message
            } else {
                format!("{}: {message}", inert(other))
            },
        },
    }
}

/// An answer that is not Prometheus' JSON envelope.
fn not_an_envelope(resp: &RawResponse) -> Failure {
    match resp.status {
        200..=299 => Failure::NotTheBackend {
            code: resp.status,
            content_type: inert(&resp.content_type),
            snippet: snippet(&resp.body),
        },
        // Prometheus answers plain text while starting or shutting down.
        503 => Failure::Unavailable {
            code: 503,
            kind: "unavailable".to_owned(),
            message: snippet(&resp.body),
        },
        code => Failure::Http {
            code,
            message: snippet(&resp.body),
        },
    }
}

/// Reads `/-/ready` or `/-/healthy`: the text on 200, a failure otherwise.
pub fn read_probe(resp: &RawResponse) -> Result<String, Failure> {
    let text = snippet(&resp.body);
    match resp.status {
        200 => Ok(text),
        401 | 403 => Err(Failure::Unauthorized {
            code: resp.status,
            message: text,
        }),
        503 => Err(Failure::Unavailable {
            code: 503,
            kind: "not ready".to_owned(),
            message: text,
        }),
        code => Err(Failure::Http {
            code,
            message: text,
        }),
    }
}

#[cfg(test)]
mod tests;
