//! Through the API server's service proxy with the cluster's kube client, so the kubeconfig's
//! credentials, TLS and impersonation apply and no port-forward is needed.
//!
//! The proxy passes the backend's answers through unchanged; an answer that is a Kubernetes
//! `Status` object is the API server's own (no such Service, no ready endpoints, forbidden),
//! and is reported as such rather than as the backend's.

use http::header::CONTENT_TYPE;
use kube::client::Body;

use super::{Method, RawRequest, RawResponse};
use crate::CoreError;
use crate::backend::error::{Failure, inert};
use crate::backend::service::ServiceRef;

/// A read form up to this long goes as a GET. The API server authorizes a proxied GET as `get`
/// on `services/proxy` but a POST as `create`, which read-only roles rarely have; only a query
/// too long for a comfortable URL needs the POST.
const GET_MAX_URI: usize = 4096;

#[derive(Clone)]
pub struct ServiceProxy {
    client: kube::Client,
    service: ServiceRef,
}

impl ServiceProxy {
    pub fn new(client: kube::Client, service: ServiceRef) -> Self {
        Self { client, service }
    }

    pub fn service(&self) -> &ServiceRef {
        &self.service
    }

    /// The API server path of `req` (with its query).
    pub fn uri(&self, req: &RawRequest) -> String {
        self.service.proxy_path(&req.path_and_query())
    }

    /// What is sent for `req`: a short read form becomes a GET (see [`GET_MAX_URI`]).
    pub fn effective(&self, req: &RawRequest) -> RawRequest {
        if req.read && req.method == Method::Post && req.json.is_none() {
            let get = req.as_get();
            if self.uri(&get).len() <= GET_MAX_URI {
                return get;
            }
        }
        req.clone()
    }

    pub async fn send(&self, req: &RawRequest) -> Result<RawResponse, Failure> {
        let req = &self.effective(req);
        let builder = http::Request::builder().uri(self.uri(req));
        let builder = builder.method(match req.method {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
        });
        let builder = match req.content_type() {
            Some(content_type) => builder.header(CONTENT_TYPE, content_type),
            None => builder,
        };
        let request = builder
            .body(Body::from(req.body()))
            .map_err(|e| Failure::Config {
                reason: format!("cannot build the proxy request: {e}"),
            })?;
        let unreachable = |e: kube::Error| Failure::Unreachable {
            reason: match CoreError::from(e) {
                CoreError::Unreachable { reason, .. } => format!("the API server: {reason}"),
                other => other.to_string(),
            },
        };
        let resp = self.client.send(request).await.map_err(unreachable)?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = resp
            .into_body()
            .collect_bytes()
            .await
            .map_err(unreachable)?
            .to_vec();
        if let Some(refusal) = api_server_refusal(status, &body) {
            return Err(refusal);
        }
        Ok(RawResponse {
            status,
            content_type,
            body,
        })
    }
}

/// The API server's own error (a `Status` object) on a failed status, if the body is one.
pub(crate) fn api_server_refusal(status: u16, body: &[u8]) -> Option<Failure> {
    #[derive(serde::Deserialize)]
    struct Status {
        kind: String,
        #[serde(rename = "apiVersion")]
        api_version: String,
        #[serde(default)]
        reason: String,
        #[serde(default)]
        message: String,
    }
    if status < 400 {
        return None;
    }
    let s: Status = serde_json::from_slice(body).ok()?;
    (s.kind == "Status" && s.api_version == "v1").then(|| Failure::ProxyRefused {
        code: status,
        reason: inert(&s.reason),
        message: inert(&s.message),
    })
}
