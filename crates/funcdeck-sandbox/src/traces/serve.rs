//! The Jaeger query server on loopback: the routes of jaeger-query's HTTP handler and API v3
//! gateway, behind the apiserver's service proxy as `observability/jaeger-query:16686`. A slow
//! Jaeger (the `slow-jaeger` failure scenario) waits before every answer.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::{Traces, classic, otlp};
use crate::http::{Body, full};
use crate::request::{Query as Params, percent_decode};
use crate::scenario::Scenarios;

/// An answer before it becomes a hyper response (so handlers are plain functions to test).
#[derive(Debug)]
pub struct Reply {
    pub code: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(code: u16, v: &Value) -> Reply {
        Reply {
            code,
            content_type: "application/json",
            body: serde_json::to_vec(v).unwrap_or_default(),
        }
    }

    /// Go's `http.Error`: the text (here a JSON document) under `text/plain`, with a newline.
    pub fn go_error(code: u16, text: &str) -> Reply {
        let mut body = text.as_bytes().to_vec();
        body.push(b'\n');
        Reply {
            code,
            content_type: "text/plain; charset=utf-8",
            body,
        }
    }

    fn text(code: u16, text: &str) -> Reply {
        Reply {
            code,
            content_type: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
        }
    }

    #[cfg(test)]
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Routes one request (path still percent-encoded, as gorilla/mux's `UseEncodedPath` sees it).
pub fn answer(t: &Traces, method: &Method, path: &str, query: Option<&str>) -> Reply {
    if method != Method::GET && method != Method::HEAD {
        return Reply::text(405, "Method Not Allowed\n");
    }
    let p = Params::parse(query);
    let Some(ring) = t.ring() else {
        return Reply::text(500, "internal error\n");
    };
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["api", "services"] => classic::services(&ring),
        ["api", "services", svc, "operations"] if !svc.is_empty() => {
            classic::operations_legacy(&ring, &percent_decode(svc))
        }
        ["api", "operations"] => classic::operations(&ring, &p),
        ["api", "traces"] => classic::search(&ring, t.era, &p),
        ["api", "traces", id] if !id.is_empty() => classic::trace(&ring, t.era, id),
        ["api", "v3", "services"] => otlp::services(&ring),
        ["api", "v3", "operations"] => otlp::operations(&ring, &p),
        ["api", "v3", "traces"] => otlp::find(&ring, t.era, &p),
        ["api", "v3", "traces", id] if !id.is_empty() => otlp::trace(&ring, t.era, id),
        _ => Reply::text(404, "404 page not found\n"),
    }
}

async fn respond<B>(t: &Traces, scenarios: &Scenarios, req: &Request<B>) -> Response<Body> {
    if let Some(delay) = scenarios.slow_jaeger() {
        tokio::time::sleep(delay).await;
    }
    let r = answer(t, req.method(), req.uri().path(), req.uri().query());
    let mut resp = Response::new(full(r.body));
    *resp.status_mut() = StatusCode::from_u16(r.code).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(r.content_type),
    );
    resp
}

pub async fn serve(
    listener: TcpListener,
    traces: Traces,
    scenarios: Arc<Scenarios>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let t = traces.clone();
                    let sc = scenarios.clone();
                    let mut stop = shutdown.clone();
                    conns.spawn(async move {
                        let svc = service_fn(move |req| {
                            let (t, sc) = (t.clone(), sc.clone());
                            async move { Ok::<_, Infallible>(respond(&t, &sc, &req).await) }
                        });
                        let conn = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(Duration::from_secs(10))
                            .serve_connection(TokioIo::new(stream), svc);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => {}
                            _ = stop.changed() => conn.as_mut().graceful_shutdown(),
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "jaeger accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    conns.abort_all();
}
