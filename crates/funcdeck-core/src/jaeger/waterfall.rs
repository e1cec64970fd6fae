//! The waterfall's rows: the span tree depth first, each span's bar as an offset and a length
//! from the trace's start, and collapsed subtrees left out.
//!
//! Collapse state belongs to the pane (it survives a reload of the same trace), so it comes in
//! as a set of span ids rather than living here.

use std::collections::HashSet;

use super::model::{SpanId, Trace};
use super::tree::{Flags, SpanTree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Position in `trace.spans`.
    pub span: usize,
    pub depth: usize,
    /// From the trace's start to the span's start (negative never: the trace starts with its
    /// earliest span).
    pub offset_us: i64,
    pub duration_us: i64,
    /// How many spans are below it (all levels); a collapsed row hides that many.
    pub descendants: usize,
    pub collapsed: bool,
    pub flags: Flags,
}

impl Row {
    pub fn has_children(&self) -> bool {
        self.descendants > 0
    }
}

/// The rows to draw, in order. `tree` must be built from `trace` (for another trace's tree
/// there are no rows).
pub fn rows(trace: &Trace, tree: &SpanTree, collapsed: &HashSet<SpanId>) -> Vec<Row> {
    if tree.len() != trace.spans.len() {
        return Vec::new();
    }
    let start = trace.start_us();
    let below = descendants(tree);
    let mut out = Vec::with_capacity(tree.len());
    let mut stack: Vec<(usize, usize)> = tree.roots().iter().rev().map(|&r| (r, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        let span = &trace.spans[i];
        let folded = !collapsed.is_empty() && collapsed.contains(&span.id);
        out.push(Row {
            span: i,
            depth,
            offset_us: span.start_us.saturating_sub(start),
            duration_us: span.duration_us,
            descendants: below[i],
            collapsed: folded,
            flags: tree.flags(i),
        });
        if !folded {
            stack.extend(tree.children(i).iter().rev().map(|&c| (c, depth + 1)));
        }
    }
    out
}

/// How many spans each span has below it, counted bottom-up in one pass.
pub fn descendants(tree: &SpanTree) -> Vec<usize> {
    let order = tree.depth_first();
    let mut count = vec![0usize; tree.len()];
    for &(i, _) in order.iter().rev() {
        if let Some(p) = tree.parent(i) {
            count[p] += count[i] + 1;
        }
    }
    count
}
