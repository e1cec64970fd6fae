//! The apiserver's service proxy (`/api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/…`)
//! for the Services with something behind them in the sandbox: a small registry of
//! (namespace, name) → upstream ([`Backends`]), today `monitoring/prometheus`,
//! `observability/jaeger-query` and `logging/elasticsearch`. A registered upstream only answers
//! while its Service exists and a ready pod matches the Service's selector ([`endpoints`]), so
//! installing or removing the stack's objects turns a backend on and off as on a real cluster.
//! Authorization (`services/proxy`, verb from the method) already happened in the RBAC gate;
//! here the Service is looked up and the request forwarded, with kube-apiserver's answers when
//! it cannot be (`registry/core/service/storage`: 404 for no Service, 503 `no service port …`
//! and `no endpoints available for service …`; `util/proxy/transport.go`: 503 `error trying to
//! reach service: …` when the dial fails).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, header};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

use crate::endpoints::{self, Endpoints};
use crate::http::{self, Body};
use crate::prometheus::Upstream;
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Store;

/// How long the proxy waits for the upstream's answer.
const TIMEOUT: Duration = Duration::from_secs(60);

/// `/api/v1/namespaces/NS/services/NAME/proxy[/REST]` → (ns, name, rest with leading `/`).
pub fn parse(path: &str) -> Option<(&str, &str, String)> {
    let rest = path.strip_prefix("/api/v1/namespaces/")?;
    let (ns, rest) = rest.split_once('/')?;
    let rest = rest.strip_prefix("services/")?;
    let (name, rest) = rest.split_once('/')?;
    let tail = rest.strip_prefix("proxy")?;
    if !(tail.is_empty() || tail.starts_with('/')) || ns.is_empty() || name.is_empty() {
        return None;
    }
    let tail = if tail.is_empty() { "/" } else { tail };
    Some((ns, name, tail.to_string()))
}

/// `[scheme:]name[:port]` → (name, port).
fn split_name(id: &str) -> (&str, &str) {
    let parts: Vec<&str> = id.split(':').collect();
    match parts.as_slice() {
        [name] => (name, ""),
        [name, port] => (name, port),
        [_scheme, name, port, ..] => (name, port),
        _ => (id, ""),
    }
}

pub struct Upstreamed {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// One HTTP/1.1 request to `authority` (`host:port`).
pub async fn forward(
    authority: impl std::fmt::Display,
    method: &str,
    path_and_query: &str,
    content_type: Option<&str>,
    accept: Option<&str>,
    body: Vec<u8>,
) -> Result<Upstreamed, String> {
    let authority = authority.to_string();
    let dial = if authority.contains(':') {
        authority.clone()
    } else {
        format!("{authority}:80")
    };
    let stream = TcpStream::connect(&dial)
        .await
        .map_err(|e| format!("dial tcp {dial}: connect: {}", io_words(&e)))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut req = Request::builder()
        .method(method)
        .uri(path_and_query)
        .header(header::HOST, &authority);
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let resp = tokio::time::timeout(TIMEOUT, sender.send_request(req))
        .await
        .map_err(|_| "net/http: timeout awaiting response headers".to_string())?
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Upstreamed {
        status,
        content_type,
        body,
    })
}

/// Go's wording for the common dial failures.
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        std::io::ErrorKind::TimedOut => "i/o timeout".into(),
        _ => e.to_string(),
    }
}

fn unavailable(message: String) -> Response<Body> {
    http::error(&ApiError::new(503, "ServiceUnavailable", message))
}

/// What serves one Service.
pub enum Backend {
    /// The sandbox's Prometheus (a child process that may not be ready, or a URL).
    Prometheus(Arc<Upstream>),
    /// A server the sandbox runs itself on loopback (the Jaeger query API).
    Loopback(SocketAddr),
}

impl Backend {
    /// `(authority, path prefix)` to forward to, or `None` while nothing can answer.
    fn target(&self) -> Option<(String, String)> {
        match self {
            Backend::Prometheus(up) => match &**up {
                Upstream::Child(c) if c.ready() => Some((c.addr.to_string(), String::new())),
                Upstream::Url { authority, prefix } => Some((authority.clone(), prefix.clone())),
                _ => None,
            },
            Backend::Loopback(addr) => Some((addr.to_string(), String::new())),
        }
    }
}

/// The Services the proxy can reach, by (namespace, name).
#[derive(Default)]
pub struct Backends(Vec<((String, String), Backend)>);

impl Backends {
    pub fn add(&mut self, ns: &str, name: &str, b: Backend) {
        self.0.push(((ns.to_string(), name.to_string()), b));
    }

    fn get(&self, ns: &str, name: &str) -> Option<&Backend> {
        self.0
            .iter()
            .find(|((n, s), _)| n == ns && s == name)
            .map(|(_, b)| b)
    }
}

/// Answers a service-proxy request (already authorized).
pub async fn handle(
    store: &Store,
    backends: &Backends,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &hyper::HeaderMap,
    body: Vec<u8>,
) -> Response<Body> {
    let Some((ns, id, rest)) = parse(path) else {
        return http::error(&ApiError::no_route());
    };
    let (name, port) = split_name(id);
    let (svc, has_endpoints) = match endpoints::of(&store.txn(), ns, name) {
        Endpoints::NoService => {
            return http::error(&ApiError::not_found(Res::Service.def(), name));
        }
        Endpoints::None(svc) => (svc, false),
        Endpoints::Ready(svc) => (svc, true),
    };
    if let Ok(n) = port.parse::<u64>() {
        let declared = svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .is_some_and(|ps| {
                ps.iter()
                    .any(|p| p.get("port").and_then(Value::as_u64) == Some(n))
            });
        if !declared {
            return unavailable(format!("no service port {n} found for service \"{name}\""));
        }
    }
    let no_endpoints = || unavailable(format!("no endpoints available for service \"{name}\""));
    // Like a real cluster: nothing answers until a ready pod stands behind the Service.
    let target = backends.get(ns, name).and_then(Backend::target);
    let Some((authority, prefix)) = target.filter(|_| has_endpoints) else {
        return no_endpoints();
    };
    let path_and_query = match query {
        Some(q) => format!("{prefix}{rest}?{q}"),
        None => format!("{prefix}{rest}"),
    };
    let h = |n: header::HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
    match forward(
        &authority,
        method,
        &path_and_query,
        h(header::CONTENT_TYPE),
        h(header::ACCEPT),
        body,
    )
    .await
    {
        Ok(r) => {
            let mut resp = Response::new(http::full(r.body));
            *resp.status_mut() =
                hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
            if let Some(ct) = r
                .content_type
                .and_then(|c| header::HeaderValue::from_str(&c).ok())
            {
                resp.headers_mut().insert(header::CONTENT_TYPE, ct);
            }
            resp
        }
        Err(e) => unavailable(format!("error trying to reach service: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_names() {
        let p = "/api/v1/namespaces/monitoring/services/http:prometheus:9090/proxy/api/v1/query";
        assert_eq!(
            parse(p),
            Some(("monitoring", "http:prometheus:9090", "/api/v1/query".into()))
        );
        assert_eq!(
            parse("/api/v1/namespaces/monitoring/services/prometheus/proxy"),
            Some(("monitoring", "prometheus", "/".into()))
        );
        assert_eq!(parse("/api/v1/namespaces/m/services/p/proxyx"), None);
        assert_eq!(parse("/api/v1/namespaces/m/services/p"), None);
        assert_eq!(split_name("http:prometheus:9090"), ("prometheus", "9090"));
        assert_eq!(split_name("prometheus:9090"), ("prometheus", "9090"));
        assert_eq!(split_name("prometheus"), ("prometheus", ""));
        assert_eq!(split_name("https:prometheus:"), ("prometheus", ""));
    }
}
