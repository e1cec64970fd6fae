//! A large synthetic trace for the trace benchmarks: Knative's shape at the top (activator →
//! throttler_try → queue-proxy → user container) and below it a service call graph generated
//! breadth first with 1–6 calls per span (about 7 levels deep), children partly overlapping in
//! time, a few clock-skewed. The same trace every run.

use std::collections::VecDeque;

use funcdeck_core::jaeger::{Span, SpanId, SpanKind, Trace, TraceId};

const SERVICES: &[&str] = &[
    "cart",
    "catalog",
    "checkout",
    "payments",
    "users",
    "search",
    "inventory",
    "shipping",
    "pricing",
    "auth",
    "recommendations",
    "mail",
];
const OPERATIONS: &[&str] = &[
    "GET /items",
    "POST /order",
    "query",
    "cache.get",
    "publish",
    "render",
];

/// A small deterministic generator (no dependency, same trace every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn span(
    i: usize,
    parent: Option<usize>,
    service: &str,
    operation: &str,
    start: i64,
    dur: i64,
) -> Span {
    Span {
        id: SpanId::new(&format!("{i:016x}")),
        parent: parent.map(|p| SpanId::new(&format!("{p:016x}"))),
        trace_id: TraceId::new("00000000000000000000000000c0ffee"),
        service: service.to_owned(),
        operation: operation.to_owned(),
        start_us: start,
        duration_us: dur,
        kind: SpanKind::Server,
        error: false,
        tags: Vec::new(),
        events: Vec::new(),
        process_tags: Vec::new(),
        warnings: Vec::new(),
    }
}

pub fn synthetic(n: usize) -> Trace {
    let t0 = 1_795_740_580_000_000;
    let knative = [
        ("activator", "GET", 0, 3_000_000),
        ("activator", "throttler_try", 10, 2_000_000),
        ("activator", "GET /", 2_000_050, 990_000),
        ("hello", "GET", 2_000_100, 980_000),
        ("hello", "kn.queueproxy.proxy", 2_000_150, 970_000),
        ("hello", "HTTP GET", 2_000_200, 960_000),
    ];
    let mut spans = Vec::with_capacity(n);
    for (i, (svc, op, start, dur)) in knative.into_iter().enumerate() {
        let parent = match i {
            0 => None,
            1 | 2 => Some(0),
            _ => Some(i - 1),
        };
        spans.push(span(i, parent, svc, op, t0 + start, dur));
    }
    let mut rng = Lcg(7);
    let mut queue = VecDeque::from([spans.len() - 1]);
    while spans.len() < n {
        let Some(p) = queue.pop_front() else { break };
        let (ps, pd) = (spans[p].start_us, spans[p].duration_us);
        let calls = 1 + rng.next(6) as usize;
        let slot = (pd / (calls as i64 + 1)).max(1);
        for k in 0..calls {
            if spans.len() >= n {
                break;
            }
            let i = spans.len();
            // One in fifty starts a little before its parent (clock skew between hosts).
            let skew = if rng.next(50) == 0 {
                -((rng.next(200)) as i64)
            } else {
                0
            };
            let start = ps + slot * k as i64 + rng.next(slot as u64 / 2 + 1) as i64 + skew;
            let dur = (slot as f64 * (0.5 + rng.next(100) as f64 / 100.0)) as i64;
            let svc = SERVICES[rng.next(SERVICES.len() as u64) as usize];
            let op = OPERATIONS[rng.next(OPERATIONS.len() as u64) as usize];
            spans.push(span(i, Some(p), svc, op, start, dur.max(1)));
            queue.push_back(i);
        }
    }
    Trace {
        id: TraceId::new("00000000000000000000000000c0ffee"),
        spans,
        warnings: Vec::new(),
    }
}
