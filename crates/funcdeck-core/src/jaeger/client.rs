//! Asking Jaeger, over either transport, in whichever API it speaks.
//!
//! v3 is asked first (the classic search routes are gone from Jaeger's main branch); when its
//! route is not served (404 without v3's error shape, or the UI's HTML page) the same question
//! goes to the classic API, and the API that answered is remembered for every later call of
//! this client and its clones. A failure that is not "route missing" (unreachable, timeout,
//! refused credentials, Jaeger's own error) is reported as is: falling back would only double
//! the wait.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::Deserialize;
use serde_json::Value;

use super::answer::{Outcome, read_classic, read_v3};
use super::model::{Trace, TraceId};
use super::query::TraceQuery;
use super::{classic, otlp};
use crate::backend::transport::{Endpoint, RawRequest};
use crate::backend::{Backend, BackendError, Failure};

/// Which of Jaeger's query APIs a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/api/v3/...`, OTLP JSON.
    V3,
    /// `/api/...`, the UI's JSON.
    Classic,
}

impl Api {
    pub fn label(self) -> &'static str {
        match self {
            Self::V3 => "API v3",
            Self::Classic => "classic API",
        }
    }
}

const UNKNOWN: u8 = 0;
const V3: u8 = 1;
const CLASSIC: u8 = 2;

/// A Jaeger query service to ask. Cheap to clone; clones share what they learnt of the API.
#[derive(Debug, Clone)]
pub struct JaegerClient {
    endpoint: Endpoint,
    api: Arc<AtomicU8>,
}

/// What either API answered, before it is read as the call's type.
enum Got {
    V3(Value),
    Classic(Value, Vec<String>),
}

/// A call's failure: Jaeger's "not found" is the caller's to interpret.
enum Miss {
    NotFound,
    Failed(BackendError),
}

impl JaegerClient {
    pub fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            api: Arc::new(AtomicU8::new(UNKNOWN)),
        }
    }

    /// A client that asks only `api` (a config that knows, or a test).
    pub fn with_api(endpoint: Endpoint, api: Api) -> Self {
        let client = Self::new(endpoint);
        client.remember(api);
        client
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Where the data comes from, for pane titles and `source` fields.
    pub fn source(&self) -> &str {
        &self.endpoint.source
    }

    /// The API that answered so far, if any call did.
    pub fn api(&self) -> Option<Api> {
        match self.api.load(Ordering::Relaxed) {
            V3 => Some(Api::V3),
            CLASSIC => Some(Api::Classic),
            _ => None,
        }
    }

    /// The services Jaeger has traces of, sorted.
    pub async fn services(&self) -> Result<Vec<String>, BackendError> {
        let got = self
            .get(
                &RawRequest::get("/api/v3/services"),
                &RawRequest::get("/api/services"),
            )
            .await;
        let names = match got {
            Ok(Got::V3(v)) => decode::<Services>(v).map(|s| s.services),
            Ok(Got::Classic(data, _)) => {
                decode::<Option<Vec<String>>>(data).map(Option::unwrap_or_default)
            }
            Err(Miss::NotFound) => Ok(Vec::new()),
            Err(Miss::Failed(e)) => return Err(e),
        };
        self.sorted(names)
    }

    /// `service`'s operation names, sorted.
    pub async fn operations(&self, service: &str) -> Result<Vec<String>, BackendError> {
        let v3 = RawRequest::get("/api/v3/operations").with_query("service", service);
        let classic = RawRequest::get(&format!(
            "/api/services/{}/operations",
            path_segment(service)
        ));
        let names = match self.get(&v3, &classic).await {
            Ok(Got::V3(v)) => decode::<Operations>(v).map(|o| {
                o.operations
                    .unwrap_or_default()
                    .into_iter()
                    .map(|op| op.name)
                    .collect()
            }),
            Ok(Got::Classic(data, _)) => {
                decode::<Option<Vec<String>>>(data).map(Option::unwrap_or_default)
            }
            Err(Miss::NotFound) => Ok(Vec::new()),
            Err(Miss::Failed(e)) => return Err(e),
        };
        self.sorted(names)
    }

    /// The traces matching `query`, as the backend ordered them. The backend's warnings
    /// about traces it could not return go on the first trace.
    pub async fn search(&self, query: &TraceQuery) -> Result<Vec<Trace>, BackendError> {
        let mut traces = match self
            .get(&query.v3_request(), &query.classic_request())
            .await
        {
            Ok(Got::V3(v)) => otlp::result(v).map_err(|m| self.decode_failure(m))?,
            Ok(Got::Classic(data, errors)) => {
                let mut traces = classic::traces(data).map_err(|m| self.decode_failure(m))?;
                if let Some(first) = traces.first_mut() {
                    first.warnings.extend(errors);
                }
                traces
            }
            // v3 says "No traces found" with a 404.
            Err(Miss::NotFound) => Vec::new(),
            Err(Miss::Failed(e)) => return Err(e),
        };
        if query.errors_only {
            traces.retain(|t| t.error_count() > 0);
        }
        Ok(traces)
    }

    /// One trace by id (16 or 32 hex digits).
    pub async fn trace(&self, id: &TraceId) -> Result<Trace, BackendError> {
        if !id.is_hex() {
            return Err(self.fail(Failure::BadQuery {
                message: format!(
                    "{:?} is not a trace id (hex digits)",
                    crate::text::sanitize(id.as_str())
                ),
            }));
        }
        let v3 = RawRequest::get(&format!("/api/v3/traces/{id}"));
        let classic = RawRequest::get(&format!("/api/traces/{id}"));
        let mut traces = match self.get(&v3, &classic).await {
            Ok(Got::V3(v)) => otlp::result(v).map_err(|m| self.decode_failure(m))?,
            Ok(Got::Classic(data, _)) => {
                classic::traces(data).map_err(|m| self.decode_failure(m))?
            }
            Err(Miss::NotFound) => Vec::new(),
            Err(Miss::Failed(e)) => return Err(e),
        };
        let pick = traces
            .iter()
            .position(|t| !t.spans.is_empty() && t.id.same(id))
            .or_else(|| traces.iter().position(|t| !t.spans.is_empty()));
        match pick {
            Some(i) => Ok(traces.swap_remove(i)),
            None => {
                let warnings: Vec<String> = traces.into_iter().flat_map(|t| t.warnings).collect();
                Err(self.fail(if warnings.is_empty() {
                    Failure::NotFound {
                        what: format!("trace {id}"),
                    }
                } else {
                    Failure::Decode {
                        message: warnings.join("; "),
                    }
                }))
            }
        }
    }

    async fn get(&self, v3: &RawRequest, classic: &RawRequest) -> Result<Got, Miss> {
        let known = self.api();
        if known != Some(Api::Classic) {
            match read_v3(&self.send(v3).await?) {
                Outcome::Ok(v) => {
                    self.remember(Api::V3);
                    return Ok(Got::V3(v));
                }
                Outcome::NotFound(_) => {
                    self.remember(Api::V3);
                    return Err(Miss::NotFound);
                }
                Outcome::Failed(f) => return Err(Miss::Failed(self.fail(f))),
                Outcome::Absent(f) if known == Some(Api::V3) => {
                    return Err(Miss::Failed(self.fail(f)));
                }
                Outcome::Absent(_) => {}
            }
        }
        match read_classic(&self.send(classic).await?) {
            Outcome::Ok((data, errors)) => {
                self.remember(Api::Classic);
                Ok(Got::Classic(data, errors))
            }
            Outcome::NotFound(_) => {
                self.remember(Api::Classic);
                Err(Miss::NotFound)
            }
            Outcome::Failed(f) | Outcome::Absent(f) => Err(Miss::Failed(self.fail(f))),
        }
    }

    async fn send(&self, req: &RawRequest) -> Result<crate::backend::RawResponse, Miss> {
        self.endpoint
            .send(req)
            .await
            .map_err(|f| Miss::Failed(self.fail(f)))
    }

    fn remember(&self, api: Api) {
        let code = match api {
            Api::V3 => V3,
            Api::Classic => CLASSIC,
        };
        self.api.store(code, Ordering::Relaxed);
    }

    fn sorted(&self, names: Result<Vec<String>, String>) -> Result<Vec<String>, BackendError> {
        let mut names = names.map_err(|m| self.decode_failure(m))?;
        names.sort();
        names.dedup();
        Ok(names)
    }

    fn decode_failure(&self, message: String) -> BackendError {
        self.fail(Failure::Decode { message })
    }

    fn fail(&self, reason: Failure) -> BackendError {
        BackendError::failed(Backend::Jaeger, self.endpoint.at(), reason)
    }
}

#[derive(Deserialize)]
struct Services {
    #[serde(default)]
    services: Vec<String>,
}

#[derive(Deserialize)]
struct Operations {
    #[serde(default)]
    operations: Option<Vec<Operation>>,
}

#[derive(Deserialize)]
struct Operation {
    name: String,
}

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| crate::backend::error::inert(&e.to_string()))
}

/// `s` as one URL path segment: everything but unreserved characters percent-encoded.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_service_name_stays_one_path_segment() {
        assert_eq!(super::path_segment("hello-world.v1"), "hello-world.v1");
        assert_eq!(super::path_segment("a/../b c"), "a%2F..%2Fb%20c");
    }
}
