//! Unit tests of the analysis on hand-built traces; the recorded payloads are read in
//! tests/jaeger_contract.rs.

mod analysis;
mod knative;
mod wire;

use super::model::{Span, SpanId, SpanKind, TagValue, Trace, TraceId};

/// A span of service `svc` named `op` from `start` for `dur` µs, under `parent`.
pub(super) fn span(
    id: &str,
    parent: Option<&str>,
    svc: &str,
    op: &str,
    start: i64,
    dur: i64,
) -> Span {
    Span {
        id: SpanId::new(id),
        parent: parent.map(SpanId::new),
        trace_id: TraceId::new("t1"),
        service: svc.to_owned(),
        operation: op.to_owned(),
        start_us: start,
        duration_us: dur,
        kind: SpanKind::Unspecified,
        error: false,
        tags: Vec::new(),
        events: Vec::new(),
        process_tags: Vec::new(),
        warnings: Vec::new(),
    }
}

pub(super) fn kind(mut s: Span, kind: SpanKind) -> Span {
    s.kind = kind;
    s
}

pub(super) fn tag(mut s: Span, key: &str, value: &str) -> Span {
    s.tags
        .push((key.to_owned(), TagValue::Str(value.to_owned())));
    s
}

pub(super) fn trace(spans: Vec<Span>) -> Trace {
    Trace {
        id: TraceId::new("t1"),
        spans,
        warnings: Vec::new(),
    }
}

/// The operation names of `positions` in `t`.
pub(super) fn ops(t: &Trace, positions: impl IntoIterator<Item = usize>) -> Vec<String> {
    positions
        .into_iter()
        .map(|i| t.spans[i].operation.clone())
        .collect()
}
