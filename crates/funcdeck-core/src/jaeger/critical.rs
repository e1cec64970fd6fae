//! The critical path: the parts of spans that the request's end time waited on, found as
//! Jaeger's UI finds it.
//!
//! Start at the root's end and walk back. At each span, take the child that finished last
//! before the cursor: the stretch from that child's end to the cursor belongs to the span
//! itself; continue inside the child from its end. A span without such a child owns the
//! stretch from its start to the cursor, and the cursor moves to its start in the parent.
//! Children are clipped to their parent's time first (a child overrunning its parent, or
//! starting before it under clock skew, only counts inside the parent; one wholly outside it
//! does not count at all). FOLLOWS_FROM children
//! are walked like CHILD_OF ones (the model keeps one parent link).

use super::model::Trace;
use super::tree::SpanTree;

/// A stretch of one span's own time on the critical path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub span: usize,
    pub start_us: i64,
    pub end_us: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriticalPath {
    /// From the latest to the earliest.
    pub segments: Vec<Segment>,
    on_path: Vec<bool>,
}

impl CriticalPath {
    pub fn contains(&self, span: usize) -> bool {
        self.on_path.get(span).copied().unwrap_or(false)
    }

    /// The spans on the path, in trace order.
    pub fn spans(&self) -> impl Iterator<Item = usize> + '_ {
        self.on_path
            .iter()
            .enumerate()
            .filter_map(|(i, on)| on.then_some(i))
    }

    /// The stretches of `span` on the path.
    pub fn segments_of(&self, span: usize) -> impl Iterator<Item = &Segment> + '_ {
        self.segments.iter().filter(move |s| s.span == span)
    }
}

/// The critical path from the tree's root (empty without spans).
/// `tree` must be built from `trace`; for another trace's tree the path is empty.
pub fn critical_path(trace: &Trace, tree: &SpanTree) -> CriticalPath {
    let mut path = CriticalPath {
        segments: Vec::new(),
        on_path: vec![false; trace.spans.len()],
    };
    let Some(root) = tree.root().filter(|_| tree.len() == trace.spans.len()) else {
        return path;
    };
    // Each span's time clipped to its parent's (already clipped) time, top down; a span
    // wholly outside its parent's time (or below such a span) takes no part, as in Jaeger.
    let mut window = vec![(0i64, 0i64); trace.spans.len()];
    let mut outside = vec![false; trace.spans.len()];
    for (i, _) in tree.depth_first() {
        let span = &trace.spans[i];
        // A hand-built span may have a negative duration: never end before the start.
        let (mut start, mut end) = (span.start_us, span.end_us().max(span.start_us));
        if let Some(p) = tree.parent(i) {
            let (ps, pe) = window[p];
            // Touching the parent only at one instant, with a length of its own: outside.
            let touches = end > start && (start == pe || end == ps);
            outside[i] = outside[p] || start > pe || end < ps || touches;
            start = start.clamp(ps, pe);
            end = end.clamp(start, pe);
        }
        window[i] = (start, end);
    }
    // Each visited span's children by clipped end, latest first, and how many of them the
    // cursor has already passed: the cursor only moves back in time within a span, so the
    // search for "the last child to end before it" never rescans (wide fan-outs stay linear).
    let mut by_end: Vec<Option<(Vec<usize>, usize)>> = vec![None; trace.spans.len()];
    let mut span = root;
    let mut cursor = window[root].1;
    // Coming back from a child, only children that end strictly before the cursor count, so
    // the cursor falls at every step and the walk ends.
    let mut returning = false;
    loop {
        let (order, passed) = by_end[span].get_or_insert_with(|| {
            let mut order: Vec<usize> = tree
                .children(span)
                .iter()
                .copied()
                .filter(|&c| !outside[c])
                .collect();
            // Latest end first; of two that end together, the longer one (it holds more of
            // the wait), then trace order.
            order.sort_by(|&x, &y| {
                let (xs, xe) = window[x];
                let (ys, ye) = window[y];
                ye.cmp(&xe).then(xs.cmp(&ys)).then(x.cmp(&y))
            });
            (order, 0)
        });
        while let Some(&c) = order.get(*passed) {
            let end = window[c].1;
            if end < cursor || (!returning && end == cursor) {
                break;
            }
            *passed += 1;
        }
        match order.get(*passed).copied() {
            Some(child) => {
                let child_end = window[child].1;
                push(&mut path, span, child_end, cursor);
                span = child;
                cursor = child_end;
                returning = false;
            }
            None => {
                let start = window[span].0;
                push(&mut path, span, start, cursor);
                match tree.parent(span) {
                    Some(parent) if span != root => {
                        cursor = start;
                        span = parent;
                        returning = true;
                    }
                    _ => break,
                }
            }
        }
    }
    path
}

fn push(path: &mut CriticalPath, span: usize, start_us: i64, end_us: i64) {
    path.on_path[span] = true;
    if end_us > start_us {
        path.segments.push(Segment {
            span,
            start_us,
            end_us,
        });
    }
}
