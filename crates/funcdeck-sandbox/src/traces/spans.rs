//! How Knative traces one request, per era (the wire-format reference, section B): the
//! activator's server span, `throttler_try` (the wait for capacity: a cold start's pod start-up,
//! microseconds when warm), `activator_proxy`, the activator's call to the pod, queue-proxy's
//! server span, its internal proxy span, and its call into the user container. A [`Recorded`]
//! request holds only what happened; the spans are derived from it when asked for, so the ring
//! of recent requests stays small.
//!
//! Durations follow the metrics: queue-proxy's server span is exactly the latency queue-proxy's
//! histograms observe, the call into the user container exactly the app latency (1 ms less),
//! and the activator adds its wait plus a quarter of a millisecond of hops around them.

use super::Recorded;
use crate::metrics::Era;
use crate::metrics::expo::ACTIVATOR_POD;
use crate::rng::Rng;

/// The OpenTelemetry span kinds the sandbox's spans have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Server,
    Client,
    Internal,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Server => "server",
            Kind::Client => "client",
            Kind::Internal => "internal",
        }
    }

    /// OTLP's `SpanKind` number.
    pub fn otlp(self) -> i64 {
        match self {
            Kind::Internal => 1,
            Kind::Server => 2,
            Kind::Client => 3,
        }
    }
}

/// A tag (attribute) value, typed as Jaeger's model types them.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl Val {
    /// The value as a tag search compares it (Jaeger matches the string form).
    pub fn text(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::Int(i) => i.to_string(),
            Val::Bool(b) => b.to_string(),
        }
    }
}

pub type Tags = Vec<(&'static str, Val)>;

pub struct Process {
    pub service: String,
    pub tags: Tags,
}

pub struct Span {
    pub id: u64,
    pub parent: Option<u64>,
    pub name: String,
    /// `None`: OpenCensus's internal spans carry no kind (Zipkin has none for them).
    pub kind: Option<Kind>,
    pub start_us: i64,
    pub dur_us: i64,
    pub process: usize,
    /// The instrumentation scope (OTel era only).
    pub scope: Option<&'static str>,
    pub tags: Tags,
    pub error: bool,
}

pub struct Trace {
    pub id: u128,
    pub processes: Vec<Process>,
    pub spans: Vec<Span>,
}

/// Network time of one hop, and what proxying adds on each side of it (µs).
const NET_US: i64 = 100;
const HOP_US: i64 = 20;
const LEAD_US: i64 = 5;
/// What queue-proxy adds around the user container (as the metrics say: 1 ms).
const QUEUE_OVERHEAD_US: i64 = 1000;
const OTELHTTP: &str = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp";
const SCOPE_ACTIVATOR: &str = "knative.dev/serving/pkg/activator";
const SCOPE_QUEUE: &str = "knative.dev/serving/pkg/queue";
pub const USER_AGENT: &str = "Go-http-client/1.1";

/// The activator's and queue-proxy's service names for a request.
pub fn services(era: Era, r: &Recorded) -> (&'static str, String) {
    match era {
        Era::V118 => ("activator-service", r.pod.to_string()),
        // Knative Service name, else configuration (then revision) name.
        Era::V119 if r.service.as_ref() != "unknown" => ("activator", r.service.to_string()),
        Era::V119 => ("activator", r.configuration.to_string()),
    }
}

/// Every (role, operation, kind) a request of this era produces: role 0 is the activator, 1 is
/// queue-proxy.
pub fn operations(era: Era, r: &Recorded) -> Vec<(usize, String, Option<Kind>)> {
    let path = r.path.to_string();
    match era {
        Era::V118 => vec![
            (0, path.clone(), Some(Kind::Server)),
            (0, "throttler_try".into(), None),
            (0, "activator_proxy".into(), None),
            (0, path.clone(), Some(Kind::Client)),
            (1, path.clone(), Some(Kind::Server)),
            (1, "queue_proxy".into(), None),
            (1, path, Some(Kind::Client)),
        ],
        Era::V119 => vec![
            (0, "handle".into(), Some(Kind::Server)),
            (0, "throttler_try".into(), Some(Kind::Internal)),
            (0, "activator_proxy".into(), Some(Kind::Internal)),
            (0, format!("{} {path}", r.method), Some(Kind::Client)),
            (1, "queue".into(), Some(Kind::Server)),
            (1, "kn.queueproxy.proxy".into(), Some(Kind::Internal)),
            (1, format!("HTTP {}", r.method), Some(Kind::Client)),
        ],
    }
}

/// The whole trace's duration (the activator's server span), without building it.
pub fn duration_us(r: &Recorded) -> i64 {
    wait_us(r) + r.latency_us as i64 + 2 * NET_US + 2 * HOP_US + 3 * LEAD_US
}

fn wait_us(r: &Recorded) -> i64 {
    r.waited_us.unwrap_or(u64::from(r.warm_us)) as i64
}

/// The span ids of trace `id`, in the order of [`operations`] (a function of the trace id, so
/// the ring need not keep them).
pub fn span_ids(id: u128, n: usize) -> Vec<u64> {
    let mut rng = Rng::new((id >> 64) as u64 ^ id as u64);
    (0..n).map(|_| rng.next_u64()).collect()
}

/// The W3C `traceparent` the user container receives: queue-proxy's call into it is the parent.
pub fn traceparent(id: u128) -> String {
    let span = span_ids(id, 7).last().copied().unwrap_or(0);
    format!("00-{id:032x}-{span:016x}-01")
}

/// A pod's IP as the data plane gives it (the same one `kubectl get pod -o wide` shows).
fn ip_of(pod: &str) -> String {
    crate::dataplane::pod_ip(pod)
}

pub fn build(era: Era, r: &Recorded) -> Trace {
    let (act_svc, qp_svc) = services(era, r);
    let ops = operations(era, r);
    let id = span_ids(r.id, ops.len());
    let l = r.latency_us as i64;
    let app = (l - QUEUE_OVERHEAD_US).max(0);
    let gap = (l - app) / 2;
    let t0 = r.start_us;
    let try_start = t0 + LEAD_US;
    let proxy_start = try_start + wait_us(r) + LEAD_US;
    let client_start = proxy_start + HOP_US;
    let q0 = client_start + NET_US;
    // (start, duration, parent index) of each span, in the order of `operations`.
    let layout: [(i64, i64, Option<usize>); 7] = [
        (t0, duration_us(r), None),
        (try_start, wait_us(r), Some(0)),
        (proxy_start, l + 2 * NET_US + 2 * HOP_US, Some(0)),
        (client_start, l + 2 * NET_US, Some(2)),
        (q0, l, Some(3)),
        (q0 + gap / 4, l - gap / 2, Some(4)),
        (q0 + gap, app, Some(5)),
    ];
    let error = r.code >= 500;
    let host = format!("{}.{}.{}", r.service, r.ns, crate::knative::DOMAIN);
    let pod_ip = ip_of(&r.pod);
    let spans = ops
        .into_iter()
        .zip(layout)
        .enumerate()
        .map(|(i, ((role, name, kind), (start, dur, parent)))| {
            let (tags, scope) = match (era, kind) {
                (_, Some(Kind::Server)) => (server_tags(era, r, &host), Some(OTELHTTP)),
                (_, Some(Kind::Client)) => {
                    let to = if role == 0 {
                        format!("{pod_ip}:8012")
                    } else {
                        "127.0.0.1:8080".into()
                    };
                    (client_tags(era, r, &to), Some(OTELHTTP))
                }
                _ if role == 0 => (Vec::new(), Some(SCOPE_ACTIVATOR)),
                _ => (Vec::new(), Some(SCOPE_QUEUE)),
            };
            Span {
                id: id[i],
                parent: parent.map(|p| id[p]),
                name,
                kind,
                start_us: start,
                dur_us: dur,
                process: role,
                scope: scope.filter(|_| era == Era::V119),
                tags,
                error: error && matches!(kind, Some(Kind::Server | Kind::Client)),
            }
        })
        .collect();
    Trace {
        id: r.id,
        processes: vec![
            Process {
                service: act_svc.to_string(),
                tags: activator_process(era),
            },
            Process {
                service: qp_svc,
                tags: queue_process(era, r, &pod_ip),
            },
        ],
        spans,
    }
}

fn s(v: impl Into<String>) -> Val {
    Val::Str(v.into())
}

/// What the HTTP server instrumentation records: ochttp's names (≤ 1.18), otelhttp's stable
/// semantic conventions (1.19+).
fn server_tags(era: Era, r: &Recorded, host: &str) -> Tags {
    let code = Val::Int(i64::from(r.code));
    match era {
        Era::V118 => vec![
            ("http.host", s(host)),
            ("http.method", s(r.method.as_ref())),
            ("http.path", s(r.path.as_ref())),
            ("http.url", s(r.path.as_ref())),
            ("http.user_agent", s(USER_AGENT)),
            ("http.status_code", code),
        ],
        Era::V119 => vec![
            ("http.request.method", s(r.method.as_ref())),
            ("url.scheme", s("http")),
            ("url.path", s(r.path.as_ref())),
            ("server.address", s(host)),
            ("network.protocol.version", s("1.1")),
            ("user_agent.original", s(USER_AGENT)),
            ("http.response.status_code", code),
        ],
    }
}

fn client_tags(era: Era, r: &Recorded, to: &str) -> Tags {
    let code = Val::Int(i64::from(r.code));
    let url = format!("http://{to}{}", r.path);
    match era {
        Era::V118 => vec![
            ("http.host", s(to)),
            ("http.method", s(r.method.as_ref())),
            ("http.path", s(r.path.as_ref())),
            ("http.url", s(url)),
            ("http.status_code", code),
        ],
        Era::V119 => {
            let (addr, port) = to.split_once(':').unwrap_or((to, "80"));
            vec![
                ("http.request.method", s(r.method.as_ref())),
                ("url.full", s(url)),
                ("server.address", s(addr)),
                ("server.port", Val::Int(port.parse().unwrap_or(80))),
                ("network.protocol.version", s("1.1")),
                ("http.response.status_code", code),
            ]
        }
    }
}

fn sdk() -> Tags {
    vec![
        ("telemetry.sdk.language", s("go")),
        ("telemetry.sdk.name", s("opentelemetry")),
        ("telemetry.sdk.version", s("1.37.0")),
    ]
}

fn activator_process(era: Era) -> Tags {
    let ip = s(ip_of(ACTIVATOR_POD));
    match era {
        // What a Zipkin local endpoint becomes in Jaeger, plus the host it ran on.
        Era::V118 => vec![("hostname", s(ACTIVATOR_POD)), ("ip", ip)],
        Era::V119 => {
            let mut t = vec![
                ("host.name", s(ACTIVATOR_POD)),
                ("k8s.namespace.name", s("knative-serving")),
                ("k8s.pod.name", s(ACTIVATOR_POD)),
            ];
            t.extend(sdk());
            t
        }
    }
}

/// queue-proxy's resource: in 1.19+ it names the revision (`pkg/queue/sharedmain/otel.go`).
fn queue_process(era: Era, r: &Recorded, ip: &str) -> Tags {
    match era {
        Era::V118 => vec![("hostname", s(r.pod.as_ref())), ("ip", s(ip))],
        Era::V119 => {
            let mut t = vec![
                ("host.name", s(r.pod.as_ref())),
                ("k8s.container.name", s("queue-proxy")),
                ("k8s.namespace.name", s(r.ns.as_ref())),
                ("k8s.pod.name", s(r.pod.as_ref())),
                ("kn.service.name", s(r.service.as_ref())),
                ("kn.configuration.name", s(r.configuration.as_ref())),
                ("kn.revision.name", s(r.revision.as_ref())),
            ];
            t.extend(sdk());
            t
        }
    }
}
