//! The span tree of a trace, built once and addressed by span position (`usize` into
//! `trace.spans`), so layout, critical path and comparison never look ids up again.
//!
//! Real traces are not always trees. A span whose parent is not in the trace (dropped,
//! sampled out, still in flight) becomes a root and is flagged an orphan. Parent links that go
//! round in a circle cannot loop here: every span is placed exactly once, and a span that is
//! unreachable from any root is made a root and flagged. A child that starts before its
//! parent (clock skew between hosts) is flagged, never shifted: the user sees what was
//! recorded. Children are ordered by start time.

use std::collections::HashMap;

use super::model::{SpanId, Trace};

#[derive(Debug, Clone, Default)]
pub struct SpanTree {
    /// In start order: first the spans without a parent, then orphans and cycle breakers.
    roots: Vec<usize>,
    children: Vec<Vec<usize>>,
    parent: Vec<Option<usize>>,
    flags: Vec<Flags>,
    index: HashMap<SpanId, usize>,
}

/// What is odd about a span's place in the tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// Names a parent that is not in the trace.
    pub orphan: bool,
    /// Starts before its parent does.
    pub skewed: bool,
    /// Shares its id with an earlier span (children attach to the earlier one).
    pub duplicate: bool,
    /// Its parent links went round in a circle; it was made a root to break it.
    pub cycle: bool,
}

impl SpanTree {
    pub fn build(trace: &Trace) -> Self {
        let n = trace.spans.len();
        let mut index: HashMap<SpanId, usize> = HashMap::with_capacity(n);
        let mut flags = vec![Flags::default(); n];
        for (i, span) in trace.spans.iter().enumerate() {
            if index.contains_key(&span.id) {
                flags[i].duplicate = true;
            } else {
                index.insert(span.id.clone(), i);
            }
        }
        let mut parent = vec![None; n];
        let mut children = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, span) in trace.spans.iter().enumerate() {
            match span.parent.as_ref().map(|p| index.get(p).copied()) {
                None => roots.push(i),
                Some(Some(p)) if p != i => {
                    parent[i] = Some(p);
                    children[p].push(i);
                }
                // Its own parent: a one-span circle.
                Some(Some(_)) => {
                    flags[i].cycle = true;
                    roots.push(i);
                }
                Some(None) => {
                    flags[i].orphan = true;
                    roots.push(i);
                }
            }
        }
        let by_start = |a: &usize, b: &usize| {
            (trace.spans[*a].start_us, *a).cmp(&(trace.spans[*b].start_us, *b))
        };
        for list in &mut children {
            list.sort_by(by_start);
        }
        // Orphans after true roots: the first root is the request's entry.
        roots.sort_by(|a, b| flags[*a].orphan.cmp(&flags[*b].orphan).then(by_start(a, b)));
        let mut tree = Self {
            roots,
            children,
            parent,
            flags,
            index,
        };
        tree.break_cycles(trace);
        for i in 0..n {
            if let Some(p) = tree.parent[i] {
                tree.flags[i].skewed = trace.spans[i].start_us < trace.spans[p].start_us;
            }
        }
        tree
    }

    /// Spans no root reaches sit on a circle of parent links: cut each circle at its
    /// earliest span, which becomes a root.
    fn break_cycles(&mut self, trace: &Trace) {
        let mut seen = vec![false; self.parent.len()];
        for &root in &self.roots.clone() {
            self.mark(root, &mut seen);
        }
        loop {
            let stray = (0..seen.len())
                .filter(|&i| !seen[i])
                .min_by_key(|&i| (trace.spans[i].start_us, i));
            let Some(cut) = stray else { break };
            if let Some(p) = self.parent[cut].take() {
                self.children[p].retain(|&c| c != cut);
            }
            self.flags[cut].cycle = true;
            self.roots.push(cut);
            self.mark(cut, &mut seen);
        }
    }

    fn mark(&self, from: usize, seen: &mut [bool]) {
        let mut stack = vec![from];
        while let Some(i) = stack.pop() {
            if !seen[i] {
                seen[i] = true;
                stack.extend(self.children[i].iter().copied());
            }
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// The request's entry: the earliest span without a parent, else the earliest orphan.
    pub fn root(&self) -> Option<usize> {
        self.roots.first().copied()
    }

    pub fn children(&self, span: usize) -> &[usize] {
        self.children.get(span).map_or(&[], Vec::as_slice)
    }

    pub fn parent(&self, span: usize) -> Option<usize> {
        self.parent.get(span).copied().flatten()
    }

    pub fn flags(&self, span: usize) -> Flags {
        self.flags.get(span).copied().unwrap_or_default()
    }

    /// The position of the (first) span with `id`.
    pub fn position(&self, id: &SpanId) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn orphans(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.flags[i].orphan)
    }

    pub fn skewed(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.flags[i].skewed)
    }

    /// Every span once, depth first from each root, children in start order, with its depth.
    pub fn depth_first(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(self.len());
        let mut stack: Vec<(usize, usize)> = self.roots.iter().rev().map(|&r| (r, 0)).collect();
        while let Some((i, depth)) = stack.pop() {
            out.push((i, depth));
            stack.extend(self.children[i].iter().rev().map(|&c| (c, depth + 1)));
        }
        out
    }
}
