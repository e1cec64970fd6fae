//! DESIGN.md §9 budget: the trace waterfall's layout for a 10,000-span trace ≤ 10 ms — the
//! span tree, every waterfall row, and the critical path, as the traces pane computes them
//! when a trace arrives.
//!
//! The trace has Knative's shape at the top (activator → throttler_try → queue-proxy → user
//! container) and below it a service call graph generated breadth first with 1–6 calls per
//! span (about 7 levels deep), children partly overlapping in time, a few clock-skewed.

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use funcdeck_core::jaeger::SpanTree;
use funcdeck_core::jaeger::critical::critical_path;
use funcdeck_core::jaeger::waterfall::rows;

const SPANS: usize = 10_000;

#[path = "support/traces.rs"]
mod traces;

use traces::synthetic;

fn layout(c: &mut Criterion) {
    let trace = synthetic(SPANS);
    assert_eq!(trace.spans.len(), SPANS);
    let collapsed = HashSet::new();
    let tree = SpanTree::build(&trace);
    let depth = tree
        .depth_first()
        .iter()
        .map(|(_, d)| *d)
        .max()
        .unwrap_or(0);
    eprintln!("trace_layout: {SPANS} spans, {depth} levels deep");
    c.bench_function(
        "trace layout 10k spans (tree + rows + critical path)",
        |b| {
            b.iter(|| {
                let tree = SpanTree::build(black_box(&trace));
                let rows = rows(&trace, &tree, &collapsed);
                let path = critical_path(&trace, &tree);
                black_box((rows.len(), path.segments.len()))
            });
        },
    );
}

criterion_group!(benches, layout);
criterion_main!(benches);
