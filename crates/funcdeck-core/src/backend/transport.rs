//! One request to a backend, either straight to a URL (reqwest) or through the Kubernetes
//! API server's service proxy (kube, so the kubeconfig's credentials and impersonation apply).
//!
//! Callers build a [`RawRequest`] (path, query, optional form body) and get the status and
//! bytes back; reading the backend's wire format is theirs. What only a transport can know
//! is decided here: no connection, no answer in time, and the API server refusing to proxy.

mod direct;
mod proxy;

use std::time::Duration;

use super::config::{EndpointConfig, Target};
use super::error::{Failure, display_duration};
use super::service::ServiceRef;

pub use direct::{Direct, DirectAuth};
pub use proxy::ServiceProxy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    /// With a form-encoded body (long PromQL does not fit a URL), or a JSON one.
    Post,
    /// Elasticsearch closes a point in time with a DELETE carrying a JSON body.
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    pub method: Method,
    /// Under the backend's root, e.g. `/api/v1/query`.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Sent form-encoded as the body of a POST.
    pub form: Vec<(String, String)>,
    /// A read that is a POST only so that long parameters fit (a PromQL query): a transport
    /// may send it as a GET with the form in the URL instead (see the service proxy).
    pub read: bool,
    /// A JSON body (Elasticsearch's query DSL); when set it is the body instead of `form`.
    pub json: Option<String>,
}

impl RawRequest {
    pub fn get(path: &str) -> Self {
        Self {
            method: Method::Get,
            path: path.to_owned(),
            query: Vec::new(),
            form: Vec::new(),
            read: false,
            json: None,
        }
    }

    /// A POST with a JSON body. Not a `read`: the body cannot move into the URL.
    pub fn post_json(path: &str, body: &serde_json::Value) -> Self {
        Self {
            json: Some(body.to_string()),
            ..Self::post_form(path, Vec::new())
        }
    }

    /// A DELETE with a JSON body.
    pub fn delete_json(path: &str, body: &serde_json::Value) -> Self {
        Self {
            method: Method::Delete,
            ..Self::post_json(path, body)
        }
    }

    /// The Content-Type of the body, if there is one.
    pub fn content_type(&self) -> Option<&'static str> {
        match (&self.json, self.method) {
            (Some(_), _) => Some("application/json"),
            (None, Method::Post) => Some("application/x-www-form-urlencoded"),
            (None, _) => None,
        }
    }

    /// A read with possibly long parameters, sent as a form POST (or as a GET when short,
    /// by a transport that prefers it).
    pub fn read_form(path: &str, form: Vec<(String, String)>) -> Self {
        Self {
            read: true,
            ..Self::post_form(path, form)
        }
    }

    pub fn post_form(path: &str, form: Vec<(String, String)>) -> Self {
        Self {
            method: Method::Post,
            path: path.to_owned(),
            query: Vec::new(),
            form,
            read: false,
            json: None,
        }
    }

    pub fn with_query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// `path[?query]` with the query form-encoded.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, encode(&self.query))
        }
    }

    /// The same read as a GET with the form in the URL.
    pub(crate) fn as_get(&self) -> Self {
        let mut query = self.query.clone();
        query.extend(self.form.iter().cloned());
        Self {
            method: Method::Get,
            path: self.path.clone(),
            query,
            form: Vec::new(),
            read: self.read,
            json: None,
        }
    }

    pub(crate) fn body(&self) -> Vec<u8> {
        match (&self.json, self.method) {
            (Some(json), _) => json.clone().into_bytes(),
            (None, Method::Post) => encode(&self.form).into_bytes(),
            (None, _) => Vec::new(),
        }
    }
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    /// The Content-Type header, or empty.
    pub content_type: String,
    pub body: Vec<u8>,
}

/// How requests travel. Cheap to clone (clients share their connection pools).
#[derive(Clone)]
pub enum Transport {
    Direct(Direct),
    ServiceProxy(ServiceProxy),
}

impl Transport {
    /// Where requests go, for messages: the URL, or the Service through the API server.
    pub fn at(&self) -> String {
        match self {
            Self::Direct(d) => d.base().to_owned(),
            Self::ServiceProxy(p) => format!("service {} via the API server", p.service()),
        }
    }
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.at())
    }
}

/// A backend to talk to: how, with which per-request timeout, and a human account of where
/// it came from for pane titles and `source` fields.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub transport: Transport,
    pub timeout: Duration,
    /// E.g. `http://prom:9090 (config)` or `service monitoring/prometheus:9090 via the API server`.
    pub source: String,
}

impl Endpoint {
    /// Straight to `url`.
    pub fn direct(
        url: &str,
        auth: DirectAuth,
        ca_pem: Option<&[u8]>,
        insecure_skip_verify: bool,
        timeout: Duration,
    ) -> Result<Self, Failure> {
        let direct = direct::Direct::new(url, auth, ca_pem, insecure_skip_verify)?;
        let transport = Transport::Direct(direct);
        Ok(Self {
            source: transport.at(),
            transport,
            timeout,
        })
    }

    /// Through the API server's service proxy to `service`.
    pub fn service(client: kube::Client, service: ServiceRef, timeout: Duration) -> Self {
        let transport = Transport::ServiceProxy(proxy::ServiceProxy::new(client, service));
        Self {
            source: transport.at(),
            transport,
            timeout,
        }
    }

    /// The endpoint a config table names. A `service` needs a cluster connection (`kube`).
    /// Files (CA, token) are read now, so a bad path is reported before the first query.
    pub fn from_config(
        config: &EndpointConfig,
        kube: Option<&kube::Client>,
    ) -> Result<Self, Failure> {
        let bad = |reason: String| Failure::Config { reason };
        let timeout = config.timeout().map_err(bad)?;
        let mut endpoint = match config.target().map_err(bad)? {
            Target::Url(url) => {
                let auth = DirectAuth::from_config(&config.auth).map_err(bad)?;
                let ca = match &config.ca {
                    None => None,
                    Some(path) => Some(std::fs::read(path).map_err(|e| {
                        bad(format!("cannot read the CA file {}: {e}", path.display()))
                    })?),
                };
                Self::direct(
                    &url,
                    auth,
                    ca.as_deref(),
                    config.insecure_skip_verify,
                    timeout,
                )?
            }
            Target::Service(service) => {
                let Some(client) = kube else {
                    return Err(bad(format!(
                        "service {service} needs a cluster connection, and there is none"
                    )));
                };
                Self::service(client.clone(), service, timeout)
            }
        };
        if config.insecure_skip_verify && config.url.is_some() {
            endpoint
                .source
                .push_str(" (config, certificate not verified)");
        } else {
            endpoint.source.push_str(" (config)");
        }
        Ok(endpoint)
    }

    /// Where requests go, for error messages.
    pub fn at(&self) -> String {
        self.transport.at()
    }

    /// Sends `req` and reads the whole answer within the endpoint's timeout.
    pub async fn send(&self, req: &RawRequest) -> Result<RawResponse, Failure> {
        let work = async {
            match &self.transport {
                Transport::Direct(d) => d.send(req).await,
                Transport::ServiceProxy(p) => p.send(req).await,
            }
        };
        match tokio::time::timeout(self.timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(Failure::Timeout {
                after: self.timeout,
            }),
        }
    }
}

/// Human text for a timeout value (`10s`, `1500ms`).
pub fn timeout_text(d: Duration) -> String {
    display_duration(d)
}

/// The innermost cause (reqwest's and hyper's own text is just "error sending request").
pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests;
