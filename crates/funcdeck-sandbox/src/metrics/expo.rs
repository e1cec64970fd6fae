//! The Prometheus text exposition (format 0.0.4) of one component's metrics in one era, with
//! the names and labels Knative's exporters use (reference A1/A2). Families are written whole
//! (HELP, TYPE, then every series), as Prometheus expects.

use std::fmt::Write;

use super::hist::{BUCKETS_MS, BUCKETS_S, Hist};
use super::{Era, Key, RevState, State};

/// The scrape targets, one per Knative component (queue-proxy aggregated over every pod, with
/// each pod in its labels, as the per-pod targets would give after relabelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Activator,
    Autoscaler,
    QueueProxy,
}

impl Component {
    pub const ALL: [Component; 3] = [
        Component::Activator,
        Component::Autoscaler,
        Component::QueueProxy,
    ];

    /// The Prometheus job name.
    pub fn job(self) -> &'static str {
        match self {
            Component::Activator => "activator",
            Component::Autoscaler => "autoscaler",
            Component::QueueProxy => "queue-proxy",
        }
    }
}

/// The activator's one pod (its `pod_name`).
pub const ACTIVATOR_POD: &str = "activator-7d4c9b8f6d-q2m7x";
const OTELHTTP: &str = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp";
const OTELHTTP_VERSION: &str = "0.62.0";
/// The target concurrency per pod (config-autoscaler's `container-concurrency-target-default`).
const TARGET_CONCURRENCY: f64 = 100.0;

pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub(crate) fn render(era: Era, c: Component, st: &State) -> String {
    let mut out = Out::default();
    match (era, c) {
        (Era::V118, Component::QueueProxy) => queue_118(&mut out, st),
        (Era::V118, Component::Activator) => activator_118(&mut out, st),
        (Era::V118, Component::Autoscaler) => autoscaler(&mut out, st, &NAMES_118, labels_118),
        (Era::V119, Component::QueueProxy) => queue_119(&mut out, st),
        (Era::V119, Component::Activator) => activator_119(&mut out, st),
        (Era::V119, Component::Autoscaler) => autoscaler(&mut out, st, &NAMES_119, labels_119),
    }
    out.0
}

#[derive(Default)]
struct Out(String);

type Labels = Vec<(&'static str, String)>;

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Out {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}");
        let _ = writeln!(self.0, "# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &Labels, extra: Option<(&str, &str)>, v: f64) {
        let mut parts: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
            .collect();
        if let Some((k, v)) = extra {
            parts.push(format!("{k}=\"{v}\""));
        }
        let _ = writeln!(self.0, "{name}{{{}}} {}", parts.join(","), number(v));
    }

    /// `_bucket`, `_sum`, `_count` of `h`; `seconds` picks the era's bounds and unit.
    fn histogram(&mut self, name: &str, labels: &Labels, h: &Hist, seconds: bool) {
        let (bounds, counts, sum): (&[f64], &[u64], f64) = if seconds {
            (&BUCKETS_S, &h.s, h.sum_ms / 1000.0)
        } else {
            (&BUCKETS_MS, &h.ms, h.sum_ms)
        };
        for (le, n) in h.cumulative(bounds, counts) {
            self.sample(
                &format!("{name}_bucket"),
                labels,
                Some(("le", &le)),
                n as f64,
            );
        }
        self.sample(&format!("{name}_sum"), labels, None, sum);
        self.sample(&format!("{name}_count"), labels, None, h.count as f64);
    }
}

fn class(code: u16) -> String {
    format!("{}xx", code / 100)
}

fn labels_118(key: &Key, r: &RevState) -> Labels {
    vec![
        ("namespace_name", key.0.clone()),
        ("service_name", r.owner.service.clone()),
        ("configuration_name", r.owner.configuration.clone()),
        ("revision_name", key.1.clone()),
    ]
}

fn labels_119(key: &Key, r: &RevState) -> Labels {
    vec![
        ("k8s_namespace_name", key.0.clone()),
        ("kn_service_name", r.owner.service.clone()),
        ("kn_configuration_name", r.owner.configuration.clone()),
        ("kn_revision_name", key.1.clone()),
    ]
}

fn queue_118(out: &mut Out, st: &State) {
    let families = [
        (
            "revision_request",
            "The number of requests that are routed to queue-proxy",
            false,
        ),
        (
            "revision_app_request",
            "The number of requests that are routed to user-container",
            true,
        ),
    ];
    for (base, help, app) in families {
        let series = || {
            st.revs.iter().flat_map(|(k, r)| {
                r.queue.iter().map(move |((pod, code), (q, a))| {
                    let mut l = labels_118(k, r);
                    l.push(("pod_name", pod.clone()));
                    l.push(("container_name", "queue-proxy".into()));
                    l.push(("response_code", code.to_string()));
                    l.push(("response_code_class", class(*code)));
                    (l, if app { a } else { q })
                })
            })
        };
        let count = format!("{base}_count");
        out.family(&count, "counter", help);
        for (l, h) in series() {
            out.sample(&count, &l, None, h.count as f64);
        }
        let lat = format!("{base}_latencies");
        out.family(&lat, "histogram", "The response time in millisecond");
        for (l, h) in series() {
            out.histogram(&lat, &l, h, false);
        }
    }
}

fn activator_118(out: &mut Out, st: &State) {
    let pod = |mut l: Labels| {
        l.push(("pod_name", ACTIVATOR_POD.into()));
        l.push(("container_name", "activator".into()));
        l
    };
    out.family(
        "activator_request_concurrency",
        "gauge",
        "Concurrent requests that are routed to Activator",
    );
    for (k, r) in &st.revs {
        out.sample(
            "activator_request_concurrency",
            &pod(labels_118(k, r)),
            None,
            r.buffered as f64,
        );
    }
    let series = || {
        st.revs.iter().flat_map(|(k, r)| {
            r.activator.iter().map(move |(code, h)| {
                let mut l = pod(labels_118(k, r));
                l.push(("response_code", code.to_string()));
                l.push(("response_code_class", class(*code)));
                (l, h)
            })
        })
    };
    out.family(
        "activator_request_count",
        "counter",
        "The number of requests that are routed to Activator",
    );
    for (l, h) in series() {
        out.sample("activator_request_count", &l, None, h.count as f64);
    }
    out.family(
        "activator_request_latencies",
        "histogram",
        "The response time in millisecond",
    );
    for (l, h) in series() {
        out.histogram("activator_request_latencies", &l, h, false);
    }
}

fn http_labels(mut l: Labels, container: &str, code: u16) -> Labels {
    l.push(("k8s_container_name", container.into()));
    l.push(("http_request_method", "GET".into()));
    l.push(("http_response_status_code", code.to_string()));
    l.push(("network_protocol_name", "http".into()));
    l.push(("network_protocol_version", "1.1".into()));
    l.push(("url_scheme", "http".into()));
    l.push(("otel_scope_name", OTELHTTP.into()));
    l.push(("otel_scope_version", OTELHTTP_VERSION.into()));
    l
}

const HTTP_DURATION: &str = "http_server_request_duration_seconds";

fn queue_119(out: &mut Out, st: &State) {
    out.family(
        HTTP_DURATION,
        "histogram",
        "Duration of HTTP server requests.",
    );
    for (k, r) in &st.revs {
        for ((pod, code), (q, _)) in &r.queue {
            let mut l = labels_119(k, r);
            l.push(("k8s_pod_name", pod.clone()));
            out.histogram(
                HTTP_DURATION,
                &http_labels(l, "queue-proxy", *code),
                q,
                true,
            );
        }
    }
    let name = "kn_serving_invocation_duration_seconds";
    out.family(
        name,
        "histogram",
        "The duration of task execution (the user container's answer).",
    );
    for (k, r) in &st.revs {
        for ((pod, code), (_, a)) in &r.queue {
            let mut l = labels_119(k, r);
            l.push(("k8s_pod_name", pod.clone()));
            l.push(("k8s_container_name", "queue-proxy".into()));
            l.push(("http_response_status_code", code.to_string()));
            l.push(("otel_scope_name", "knative.dev/serving/pkg/queue".into()));
            out.histogram(name, &l, a, true);
        }
    }
}

fn activator_119(out: &mut Out, st: &State) {
    let name = "kn_revision_request_concurrency";
    out.family(
        name,
        "gauge",
        "Concurrent requests that are routed to the activator",
    );
    for (k, r) in &st.revs {
        let mut l = labels_119(k, r);
        l.push(("k8s_pod_name", ACTIVATOR_POD.into()));
        out.sample(name, &l, None, r.buffered as f64);
    }
    out.family(
        HTTP_DURATION,
        "histogram",
        "Duration of HTTP server requests.",
    );
    for (k, r) in &st.revs {
        for (code, h) in &r.activator {
            let mut l = labels_119(k, r);
            l.push(("k8s_pod_name", ACTIVATOR_POD.into()));
            out.histogram(HTTP_DURATION, &http_labels(l, "activator", *code), h, true);
        }
    }
}

/// The autoscaler's gauges, in order: desired, requested, actual, not ready, pending,
/// terminating, stable and panic concurrency, target concurrency, stable and panic rps, panic.
const NAMES_118: [&str; 11] = [
    "autoscaler_desired_pods",
    "autoscaler_requested_pods",
    "autoscaler_actual_pods",
    "autoscaler_not_ready_pods",
    "autoscaler_pending_pods",
    "autoscaler_terminating_pods",
    "autoscaler_stable_request_concurrency",
    "autoscaler_panic_request_concurrency",
    "autoscaler_target_concurrency_per_pod",
    "autoscaler_stable_requests_per_second",
    "autoscaler_panic_mode",
];
const NAMES_119: [&str; 11] = [
    "kn_revision_pods_desired",
    "kn_revision_pods_requested",
    "kn_revision_pods_count",
    "kn_revision_pods_not_ready_count",
    "kn_revision_pods_pending_count",
    "kn_revision_pods_terminating_count",
    "kn_revision_concurrency_stable",
    "kn_revision_concurrency_panic",
    "kn_revision_concurrency_target",
    "kn_revision_rps_stable_per_second",
    "kn_revision_panic_mode",
];

fn autoscaler(
    out: &mut Out,
    st: &State,
    names: &[&str; 11],
    labels: fn(&Key, &RevState) -> Labels,
) {
    for (i, name) in names.iter().enumerate() {
        out.family(name, "gauge", "Knative autoscaler figure for the revision");
        for (k, r) in &st.revs {
            let p = r.pods;
            // Little's law: concurrency = rate × mean latency, averaged over the ready pods.
            let mean_s = r.profile.map_or(0.0, |p| (p.lo_ms + p.hi_ms) / 2000.0);
            let concurrency = r.rps * mean_s / f64::from(p.ready.max(1));
            let v = match i {
                0 | 1 => f64::from(p.desired),
                2 => f64::from(p.ready),
                3 => f64::from(p.not_ready),
                4 => f64::from(p.pending),
                5 => 0.0,
                6 | 7 => concurrency,
                8 => TARGET_CONCURRENCY,
                9 => r.rps,
                _ => 0.0,
            };
            out.sample(name, &labels(k, r), None, v);
        }
    }
}
