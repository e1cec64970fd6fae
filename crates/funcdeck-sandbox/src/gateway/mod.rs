//! The external ingress gateway, modelled on Kourier (Envoy programmed from Knative's Routes):
//! a second listener on the sandbox's loopback host, published like a real cluster publishes
//! its gateway (Service `kourier-system/kourier`, type LoadBalancer). Requests are routed by
//! their `Host` header ([`route`]); the answering revision's fate decides the answer; a
//! revision scaled to zero holds the request while the data plane brings a pod up, as the
//! activator does, so a cold request really is slower. Every request counts as load.

mod answer;
pub mod route;

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::dataplane::{PodState, state_of};
use crate::http::Body;
use crate::knative::L_REVISION;
use crate::knative::revision::{ImageFate, fate_in};
use crate::load::Loads;
use crate::metrics::{Metrics, Served, owner_of};
use crate::obj;
use crate::resources::Res;
use crate::rng::Rng;
use crate::scenario::Scenarios;
use crate::store::Store;

use answer::Echo;
use route::Target;

pub const NAMESPACE: &str = "kourier-system";
pub const SERVICE: &str = "kourier";
/// The port the gateway's pods listen on (the Service's `targetPort`).
pub const TARGET_PORT: u16 = 8080;
/// Request bodies above this are refused with 413 (a function is not an upload server).
pub const MAX_BODY: usize = 4 * 1024 * 1024;
/// How long a request may wait for its revision to get a ready pod (Envoy then gives up, 504).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a held request looks for a ready pod.
const POLL: Duration = Duration::from_millis(20);

pub struct Gateway {
    pub store: Arc<Store>,
    pub loads: Loads,
    pub scenarios: Arc<Scenarios>,
    /// Where answered requests are counted for `/metrics` (queue-proxy, and the activator for
    /// a request it held).
    pub metrics: Option<Metrics>,
    rng: Mutex<Rng>,
}

impl Gateway {
    pub fn new(store: Arc<Store>, loads: Loads, scenarios: Arc<Scenarios>, seed: u64) -> Self {
        Gateway {
            store,
            loads,
            scenarios,
            metrics: None,
            rng: Mutex::new(Rng::new(seed.wrapping_add(0x6a7e))),
        }
    }

    fn roll(&self) -> (u64, String) {
        match self.rng.lock() {
            Ok(mut r) => (r.below(100), r.uuid()),
            Err(_) => (0, String::new()),
        }
    }

    /// Ready (Running) pods of revision `ns/rev`, by name.
    fn ready_pods(&self, ns: &str, rev: &str) -> Vec<String> {
        let pods = self.store.txn().list(Res::Pod, Some(ns));
        let mut names: Vec<String> = pods
            .iter()
            .filter(|p| obj::label(p, L_REVISION) == Some(rev))
            .filter(|p| obj::at(p, &["metadata", "deletionTimestamp"]).is_none())
            .filter(|p| state_of(p) == Some(PodState::Running))
            .map(|p| obj::name(p).to_string())
            .collect();
        names.sort();
        names
    }

    /// Counts an answered request for the exporters and traces it; returns the trace id.
    fn meter(
        &self,
        (ns, rev): (&str, &str),
        pod: String,
        (latency, waited): (Duration, Option<Duration>),
        call: (&str, &str),
    ) -> Option<u128> {
        let m = self.metrics.as_ref()?;
        let r = self.store.get(Res::KRevision, ns, rev)?;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let served = Served {
            pod,
            code: 200,
            latency_ms: ms(latency),
            waited_ms: waited.map(ms),
        };
        m.served(
            &(ns.to_string(), rev.to_string()),
            &owner_of(&r),
            &served,
            call,
        )
    }

    /// Why revision `ns/rev` cannot answer now, as the path would say it; `None` = it can.
    fn refusal(&self, ns: &str, rev: &str) -> Option<(u16, &'static str)> {
        let Some(r) = self.store.get(Res::KRevision, ns, rev) else {
            return Some((503, "no healthy upstream"));
        };
        match fate_in(&self.scenarios.current(), &r) {
            // queue-proxy is up but nothing listens behind it.
            ImageFate::Crash => Some((502, "dial tcp 127.0.0.1:8080: connect: connection refused")),
            ImageFate::Missing => Some((503, "no healthy upstream")),
            ImageFate::Ok if obj::condition_status(&r, "Ready") == Some("False") => {
                Some((503, "no healthy upstream"))
            }
            ImageFate::Ok => None,
        }
    }

    async fn handle(&self, req: Request<Incoming>) -> Response<Body> {
        let started = Instant::now();
        let (pick, request_id) = self.roll();
        let (parts, body) = req.into_parts();
        let body = match Limited::new(body, MAX_BODY).collect().await {
            Ok(c) => c.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return answer::text(413, "payload too large", &request_id);
            }
            Err(_) => return answer::text(400, "bad request", &request_id),
        };
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.host())
            .unwrap_or("");
        let (namespace, service, revision) = match route::resolve(&self.store, host, pick) {
            Target::NotFound => return answer::not_found(),
            Target::NoUpstream => return answer::text(503, "no healthy upstream", &request_id),
            Target::Revision {
                namespace,
                service,
                revision,
                ..
            } => (namespace, service, revision),
        };
        if let Some((code, text)) = self.refusal(&namespace, &revision) {
            return answer::text(code, text, &request_id);
        }
        self.loads.hit(&namespace, &revision);
        // The activator's part: hold the request until the revision has a ready pod.
        let _held = self.loads.hold(&namespace, &revision);
        let mut waited = None;
        let pod = loop {
            if let Some(p) = self.ready_pods(&namespace, &revision).into_iter().next() {
                break p;
            }
            waited.get_or_insert(started);
            if started.elapsed() >= REQUEST_TIMEOUT {
                return answer::text(504, "upstream request timeout", &request_id);
            }
            if let Some((code, text)) = self.refusal(&namespace, &revision) {
                return answer::text(code, text, &request_id);
            }
            tokio::time::sleep(POLL).await;
        };
        let waited = waited.map(|w| w.elapsed());
        let upstream = started.elapsed();
        let at_pod = upstream.saturating_sub(waited.unwrap_or_default());
        let call = (parts.method.as_str(), parts.uri.path());
        let traced = self.meter((&namespace, &revision), pod, (at_pod, waited), call);
        // What the activator and queue-proxy propagate to the function (W3C trace context).
        let mut headers = parts.headers.clone();
        if let Some(id) = traced
            && let Ok(v) = header::HeaderValue::from_str(&crate::traces::spans::traceparent(id))
        {
            headers.insert("traceparent", v);
        }
        answer::echo(&Echo {
            revision: &revision,
            service: &service,
            namespace: &namespace,
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &headers,
            body: &body,
            request_id: &request_id,
            upstream,
        })
    }
}

/// The gateway's Service, as Kourier's install creates it and a cloud load balancer fills in.
pub fn service_object(port: u16, created: &str) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": SERVICE,
            "namespace": NAMESPACE,
            "creationTimestamp": created,
            "labels": {
                "networking.knative.dev/ingress-provider": "kourier",
                "app.kubernetes.io/component": "net-kourier",
                "app.kubernetes.io/name": "knative-serving",
            },
        },
        "spec": {
            "type": "LoadBalancer",
            "selector": {"app": "3scale-kourier-gateway"},
            "clusterIP": "10.96.118.42",
            "clusterIPs": ["10.96.118.42"],
            "ports": [
                {"name": "http2", "port": port, "protocol": "TCP", "targetPort": TARGET_PORT, "nodePort": 31080},
            ],
            "sessionAffinity": "None",
            "externalTrafficPolicy": "Cluster",
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "127.0.0.1", "ipMode": "VIP"}]}},
    })
}

pub async fn serve(listener: TcpListener, gw: Arc<Gateway>, mut shutdown: watch::Receiver<bool>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let gw = gw.clone();
                    let mut stop = shutdown.clone();
                    conns.spawn(async move {
                        let _ = stream.set_nodelay(true);
                        let svc = service_fn(move |req| {
                            let gw = gw.clone();
                            async move { Ok::<_, Infallible>(gw.handle(req).await) }
                        });
                        let conn = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(Duration::from_secs(10))
                            .serve_connection(TokioIo::new(stream), svc);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => {}
                            _ = stop.changed() => {
                                conn.as_mut().graceful_shutdown();
                                let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                            }
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "gateway accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(3), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}
