//! What Knative's own spans say about a request: whether it waited for a cold start, and which
//! revision served it. Both eras' names are known (reference section B):
//!
//! | | ≤1.18 (OpenCensus → Zipkin) | ≥1.19 (OpenTelemetry) |
//! |---|---|---|
//! | activator service | `activator-service` | `activator` |
//! | capacity wait | `throttler_try` | `throttler_try` |
//! | queue-proxy service | the pod, `<revision>-deployment-<rs>-<pod>` | the Knative Service |
//!
//! **Cold start.** `throttler_try` measures the activator's wait for capacity, which is the
//! pod's start when the revision scaled from zero: its duration is used directly (the longest
//! one, if the activator retried). Without it, the activator's server span minus the
//! queue-proxy's server span (the remote child of the activator's client span). No activator
//! span means the activator was not on the path: no cold start. A wait shorter than
//! [`COLD_START_THRESHOLD`] is a warm request that went through the activator (Knative's own
//! screenshot shows an 11 µs `throttler_try`), not a cold start.
//!
//! **Revision**, first that applies: a tag (span or process/resource) whose key ends in
//! `serving.knative.dev/revision` (the pod label as a collector's k8s enrichment copies it);
//! a service name shaped like a Knative pod name (≤1.18's queue-proxy); a `k8s.pod.name` or
//! `hostname` tag shaped like one. ≥1.19's queue-proxy names only the Knative Service, so
//! without a label or pod-name tag the revision is unknown (`None`).

use std::time::Duration;

use super::model::{Span, SpanKind, Trace};
use super::tree::SpanTree;

/// The activator's service name in each era.
pub const ACTIVATOR_SERVICES: &[&str] = &["activator-service", "activator"];
pub const THROTTLER_TRY: &str = "throttler_try";
/// Waits shorter than this are warm requests through the activator.
pub const COLD_START_THRESHOLD: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColdStartSource {
    /// The duration of the activator's `throttler_try` span.
    ThrottlerTry,
    /// The activator's server span minus the queue-proxy's server span.
    ActivatorMinusQueueProxy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColdStart {
    pub duration_us: i64,
    pub source: ColdStartSource,
    /// The span it was read from (`throttler_try`, or the activator's server span).
    pub span: usize,
}

impl ColdStart {
    /// Whether the wait was long enough to be a cold start.
    pub fn is_cold(&self, threshold: Duration) -> bool {
        i128::from(self.duration_us) >= i128::try_from(threshold.as_micros()).unwrap_or(i128::MAX)
    }
}

pub fn is_activator(span: &Span) -> bool {
    ACTIVATOR_SERVICES.contains(&span.service.as_str())
}

/// The activator's wait in `trace`, cold or warm; `None` when the activator is not on the
/// path or its spans do not fit either rule.
pub fn cold_start(trace: &Trace, tree: &SpanTree) -> Option<ColdStart> {
    if tree.len() != trace.spans.len() {
        return None;
    }
    let throttler = trace
        .spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.operation == THROTTLER_TRY)
        .max_by_key(|(i, s)| (s.duration_us, std::cmp::Reverse(*i)));
    if let Some((i, s)) = throttler {
        return Some(ColdStart {
            duration_us: s.duration_us,
            source: ColdStartSource::ThrottlerTry,
            span: i,
        });
    }
    let (server, queue_proxy) = activator_and_queue_proxy(trace, tree)?;
    Some(ColdStart {
        duration_us: trace.spans[server]
            .duration_us
            .saturating_sub(trace.spans[queue_proxy].duration_us)
            .max(0),
        source: ColdStartSource::ActivatorMinusQueueProxy,
        span: server,
    })
}

/// The activator's entry span (its server span, or its first span under another service)
/// and the first span of another service below one of its client spans.
fn activator_and_queue_proxy(trace: &Trace, tree: &SpanTree) -> Option<(usize, usize)> {
    let spans = &trace.spans;
    let entry = tree.depth_first().into_iter().map(|(i, _)| i).find(|&i| {
        is_activator(&spans[i])
            && (spans[i].kind == SpanKind::Server
                || tree.parent(i).is_none_or(|p| !is_activator(&spans[p])))
    })?;
    let mut stack = vec![entry];
    while let Some(i) = stack.pop() {
        for &c in tree.children(i) {
            if !is_activator(&spans[c]) {
                // A remote child: the queue-proxy's server span, if its parent is a client
                // span (or, without kinds, any activator span that called out).
                if spans[i].kind == SpanKind::Client || spans[i].kind == SpanKind::Unspecified {
                    return Some((entry, c));
                }
            } else {
                stack.push(c);
            }
        }
    }
    None
}

/// The revision that served the request, when the trace says (see the module doc).
pub fn revision(trace: &Trace) -> Option<String> {
    let tags = trace
        .spans
        .iter()
        .flat_map(|s| s.tags.iter().chain(&s.process_tags));
    for (key, value) in tags.clone() {
        if key.ends_with("serving.knative.dev/revision") {
            let value = value.to_string();
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    if let Some(rev) = trace.spans.iter().find_map(|s| revision_of_pod(&s.service)) {
        return Some(rev);
    }
    tags.filter(|(k, _)| k == "k8s.pod.name" || k == "hostname")
        .find_map(|(_, v)| revision_of_pod(&v.to_string()))
}

impl Trace {
    /// The revision that served the request, when the trace says (see [`revision`]).
    pub fn revision(&self) -> Option<String> {
        revision(self)
    }
}

/// `<revision>-deployment-<replicaset hash>-<pod suffix>` → `<revision>`.
pub fn revision_of_pod(pod: &str) -> Option<String> {
    let at = pod.rfind("-deployment-")?;
    let (rev, rest) = (&pod[..at], &pod[at + "-deployment-".len()..]);
    let mut parts = rest.split('-');
    let hashes_ok = matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(rs), Some(pod), None) if is_hash(rs) && is_hash(pod)
    );
    (hashes_ok && !rev.is_empty()).then(|| rev.to_owned())
}

fn is_hash(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}
