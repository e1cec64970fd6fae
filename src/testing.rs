//! Building blocks for tests and benchmarks: plausible function summaries without a cluster.
#![allow(dead_code)] // shared by unit tests, integration tests and benchmarks; each uses a part

use chrono::{DateTime, Duration, TimeZone, Utc};
use funcdeck_core::function::{FunctionKey, FunctionSummary, Readiness, TrafficShare};
use funcdeck_core::jaeger::{Span, SpanId, SpanKind, TraceId};

/// A fixed instant so snapshots and ages never depend on the clock.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn summary(namespace: &str, name: &str, readiness: Readiness) -> FunctionSummary {
    let latest = format!("{name}-00002");
    let (reason, message) = match readiness {
        Readiness::Failed => (
            Some("RevisionMissing".to_owned()),
            Some(format!("Revision \"{latest}\" failed to become ready.")),
        ),
        Readiness::Deploying => (Some("Deploying".to_owned()), None),
        Readiness::Ready | Readiness::Unknown => (None, None),
    };
    FunctionSummary {
        key: FunctionKey {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        },
        readiness,
        reason,
        message,
        latest_created: Some(latest.clone()),
        latest_ready: (readiness == Readiness::Ready).then(|| latest.clone()),
        traffic: vec![TrafficShare {
            revision: latest,
            percent: 100,
            tag: None,
            latest: true,
        }],
        url: Some(format!("http://{name}.{namespace}.svc.cluster.local")),
        created: Some(fixed_now() - Duration::hours(26)),
        generation: 2,
        observed_generation: 2,
        offline: false,
    }
}

/// `count` functions spread over a dozen namespaces with a realistic mix of states and ages.
pub fn synthetic(count: usize) -> Vec<FunctionSummary> {
    const NAMESPACES: [&str; 12] = [
        "shop",
        "payments",
        "analytics",
        "ml-inference",
        "platform-tools",
        "default",
        "search",
        "media",
        "identity",
        "billing",
        "notifications",
        "edge",
    ];
    const NAMES: [&str; 10] = [
        "checkout-api",
        "cart-sync",
        "fraud-score",
        "invoice-render",
        "image-resize",
        "recommend-model",
        "email-digest",
        "token-issuer",
        "geo-lookup",
        "report-export",
    ];
    (0..count)
        .map(|i| {
            let readiness = match i % 17 {
                0 => Readiness::Failed,
                5 => Readiness::Deploying,
                _ => Readiness::Ready,
            };
            let mut s = summary(
                NAMESPACES[i % NAMESPACES.len()],
                &format!("{}-{i}", NAMES[(i / NAMESPACES.len()) % NAMES.len()]),
                readiness,
            );
            s.created = Some(fixed_now() - Duration::minutes((i as i64 * 37) % 100_000));
            s
        })
        .collect()
}

/// A server span `id` (under `parent`) of `service`'s `operation`, starting at `start` µs and
/// lasting `us` µs, with nothing else to it: tests add tags, events and errors they need.
pub fn span(
    id: u64,
    parent: Option<u64>,
    service: &str,
    operation: &str,
    start: i64,
    us: i64,
) -> Span {
    Span {
        id: SpanId::new(&format!("{id:016x}")),
        parent: parent.map(|p| SpanId::new(&format!("{p:016x}"))),
        trace_id: TraceId::default(),
        service: service.into(),
        operation: operation.into(),
        start_us: start,
        duration_us: us,
        kind: SpanKind::Server,
        error: false,
        tags: Vec::new(),
        events: Vec::new(),
        process_tags: Vec::new(),
        warnings: Vec::new(),
    }
}
