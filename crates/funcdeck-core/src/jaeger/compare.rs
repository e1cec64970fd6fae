//! Two traces side by side, span by span.
//!
//! Spans are matched by where they sit, not by id (ids differ between requests): the chain of
//! (service, operation) from the root down to the span, each step with its occurrence among
//! siblings of the same name in start order. So the second `GET /db` under the same parent in
//! A meets the second one in B. Rows follow A's tree; spans only in B follow, in B's order.

use std::collections::HashMap;

use super::model::Trace;
use super::tree::SpanTree;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    pub depth: usize,
    pub service: String,
    pub operation: String,
    /// Position in A's spans, `None` when only B has it.
    pub a: Option<usize>,
    pub b: Option<usize>,
    pub a_us: Option<i64>,
    pub b_us: Option<i64>,
}

impl CompareRow {
    /// B − A, when both have the span.
    pub fn difference_us(&self) -> Option<i64> {
        Some(self.b_us?.saturating_sub(self.a_us?))
    }
}

/// A span's place: (its parent's place, service, operation, occurrence).
type Place<'t> = (usize, &'t str, &'t str, usize);

const TOP: usize = usize::MAX;

/// Each tree must be built from its trace (otherwise there are no rows).
pub fn compare(a: &Trace, a_tree: &SpanTree, b: &Trace, b_tree: &SpanTree) -> Vec<CompareRow> {
    if a_tree.len() != a.spans.len() || b_tree.len() != b.spans.len() {
        return Vec::new();
    }
    let mut places: HashMap<Place<'_>, usize> = HashMap::new();
    let a_keys = keys(a, a_tree, &mut places);
    let b_keys = keys(b, b_tree, &mut places);
    let mut in_b: HashMap<usize, usize> = HashMap::with_capacity(b_keys.len());
    for &(span, _, key) in &b_keys {
        in_b.entry(key).or_insert(span);
    }
    let mut matched = vec![false; b.spans.len()];
    let mut rows = Vec::with_capacity(a_keys.len().max(b_keys.len()));
    for &(span, depth, key) in &a_keys {
        let other = in_b.get(&key).copied();
        if let Some(o) = other {
            matched[o] = true;
        }
        let s = &a.spans[span];
        rows.push(CompareRow {
            depth,
            service: s.service.clone(),
            operation: s.operation.clone(),
            a: Some(span),
            b: other,
            a_us: Some(s.duration_us),
            b_us: other.map(|o| b.spans[o].duration_us),
        });
    }
    for &(span, depth, _) in &b_keys {
        if !matched[span] {
            let s = &b.spans[span];
            rows.push(CompareRow {
                depth,
                service: s.service.clone(),
                operation: s.operation.clone(),
                a: None,
                b: Some(span),
                a_us: None,
                b_us: Some(s.duration_us),
            });
        }
    }
    rows
}

/// Each span of `trace` depth first with its depth and its place's number in `places`.
fn keys<'t>(
    trace: &'t Trace,
    tree: &SpanTree,
    places: &mut HashMap<Place<'t>, usize>,
) -> Vec<(usize, usize, usize)> {
    let mut key_of = vec![TOP; trace.spans.len()];
    let mut out = Vec::with_capacity(trace.spans.len());
    // Occurrences counted per (parent place, service, operation) within this trace.
    let mut seen: HashMap<(usize, &'t str, &'t str), usize> = HashMap::new();
    for (i, depth) in tree.depth_first() {
        let parent = tree.parent(i).map_or(TOP, |p| key_of[p]);
        let s = &trace.spans[i];
        let n = seen.entry((parent, &s.service, &s.operation)).or_insert(0);
        let place = (parent, s.service.as_str(), s.operation.as_str(), *n);
        *n += 1;
        let next = places.len();
        let key = *places.entry(place).or_insert(next);
        key_of[i] = key;
        out.push((i, depth, key));
    }
    out
}
