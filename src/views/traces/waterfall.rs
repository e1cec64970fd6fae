//! One trace's waterfall (Enter on a trace): the span tree with bars on a time ruler, the
//! critical path, collapsible subtrees, a search within the trace, and the selected span's
//! detail beside it. The tree, the rows and the critical path are computed once when the view
//! opens (and the rows again on a collapse); drawing reads only the rows on screen, so a trace
//! of 10,000 spans stays smooth.

use std::cell::Cell;
use std::collections::HashSet;

use funcdeck_core::jaeger::critical::{CriticalPath, critical_path};
use funcdeck_core::jaeger::knative::{ColdStart, cold_start};
use funcdeck_core::jaeger::waterfall::{Row, rows};
use funcdeck_core::jaeger::{SpanId, SpanTree, Trace};

use super::super::{Action, Ctx};
use crate::command::Command;
use crate::keymap::{Key, KeyContext};

pub const HINTS: &[(Command, &str)] = &[
    (Command::ToggleCollapse, "fold"),
    (Command::ExpandAll, "expand all"),
    (Command::Filter, "search"),
    (Command::NextMatch, "next match"),
    (Command::DetailDown, "detail"),
    (Command::Back, "back"),
];

#[derive(Debug)]
pub struct Waterfall {
    pub trace: Trace,
    pub tree: SpanTree,
    pub critical: CriticalPath,
    /// The rows shown, depth first, collapsed subtrees left out.
    pub rows: Vec<Row>,
    /// Per span: the parts of it on the critical path (absolute µs).
    pub on_path: Vec<Vec<(i64, i64)>>,
    /// Per span: its service's place among the trace's services (its colour).
    pub colour: Vec<usize>,
    pub cold: Option<ColdStart>,
    /// What every frame shows of the whole trace, counted once: its start and length (µs),
    /// its services, and its orphans, clock-skewed spans and spans with warnings.
    pub start_us: i64,
    pub duration_us: i64,
    pub services: usize,
    pub trouble: (usize, usize, usize),
    collapsed: HashSet<SpanId>,
    /// Position in `rows`.
    pub cursor: usize,
    /// The first row on screen, kept between frames so the list scrolls, not jumps.
    pub top: Cell<usize>,
    /// How far the span detail is scrolled, and on which span (another starts at the top).
    detail_scroll: (usize, u16),
    /// The furthest the detail can scroll, as last drawn.
    pub detail_most: Cell<u16>,
    /// `Some` while the search is typed.
    pub typing: Option<String>,
    /// The last search and the spans it matched, in trace order.
    pub query: String,
    pub matches: Vec<usize>,
    pub is_match: Vec<bool>,
}

impl Waterfall {
    pub fn new(trace: Trace) -> Self {
        let tree = SpanTree::build(&trace);
        let critical = critical_path(&trace, &tree);
        let mut on_path = vec![Vec::new(); trace.spans.len()];
        for segment in &critical.segments {
            if let Some(parts) = on_path.get_mut(segment.span) {
                parts.push((segment.start_us, segment.end_us));
            }
        }
        let services = trace.services();
        let colour = trace
            .spans
            .iter()
            .map(|s| services.iter().position(|n| *n == s.service).unwrap_or(0))
            .collect();
        let cold = cold_start(&trace, &tree);
        let trouble = (
            tree.orphans().count(),
            tree.skewed().count(),
            trace
                .spans
                .iter()
                .filter(|s| !s.warnings.is_empty())
                .count(),
        );
        let collapsed = HashSet::new();
        let rows = rows(&trace, &tree, &collapsed);
        let is_match = vec![false; trace.spans.len()];
        Waterfall {
            start_us: trace.start_us(),
            duration_us: trace.duration_us(),
            services: services.len(),
            trouble,
            trace,
            tree,
            critical,
            rows,
            on_path,
            colour,
            cold,
            collapsed,
            cursor: 0,
            top: Cell::new(0),
            detail_scroll: (0, 0),
            detail_most: Cell::new(0),
            typing: None,
            query: String::new(),
            matches: Vec::new(),
            is_match,
        }
    }

    pub fn title(&self) -> String {
        let id = self.trace.id.as_str();
        format!("Trace {}", &id[..id.len().min(16)])
    }

    pub fn key_chain(&self) -> &'static [KeyContext] {
        if self.typing.is_some() {
            &[KeyContext::Input]
        } else {
            &[KeyContext::Trace]
        }
    }

    /// The span under the cursor.
    pub fn selected(&self) -> Option<usize> {
        self.rows.get(self.cursor).map(|r| r.span)
    }

    /// How far the selected span's detail is scrolled.
    pub fn detail_offset(&self) -> u16 {
        match self.selected() {
            Some(span) if span == self.detail_scroll.0 => self.detail_scroll.1,
            _ => 0,
        }
    }

    fn scroll_detail(&mut self, down: bool) {
        let Some(span) = self.selected() else { return };
        let at = self.detail_offset().min(self.detail_most.get());
        let at = if down {
            (at + 1).min(self.detail_most.get())
        } else {
            at.saturating_sub(1)
        };
        self.detail_scroll = (span, at);
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        (!self.rows.is_empty()).then(|| (self.cursor + 1, self.rows.len()))
    }

    pub fn on_command(&mut self, command: Command, _ctx: &Ctx<'_>) -> Option<Vec<Action>> {
        if let Some(text) = &mut self.typing {
            match command {
                Command::Confirm => {
                    self.query = std::mem::take(text);
                    self.typing = None;
                    self.search();
                }
                Command::Cancel | Command::Back => self.typing = None,
                Command::DeleteChar => {
                    text.pop();
                }
                _ => {}
            }
            return Some(Vec::new());
        }
        let last = self.rows.len().saturating_sub(1);
        match command {
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(last),
            Command::PageUp => self.cursor = self.cursor.saturating_sub(20),
            Command::PageDown => self.cursor = (self.cursor + 20).min(last),
            Command::Top => self.cursor = 0,
            Command::Bottom => self.cursor = last,
            Command::ToggleCollapse => {
                if let Some(row) = self.rows.get(self.cursor).copied() {
                    self.fold(row, !row.collapsed);
                }
            }
            Command::Collapse => {
                if let Some(row) = self.rows.get(self.cursor).copied() {
                    if row.has_children() && !row.collapsed {
                        self.fold(row, true);
                    } else if let Some(parent) = self.tree.parent(row.span) {
                        self.go_to(parent);
                    }
                }
            }
            Command::Expand => {
                if let Some(row) = self.rows.get(self.cursor).copied() {
                    self.fold(row, false);
                }
            }
            Command::ExpandAll => {
                let span = self.selected();
                self.collapsed.clear();
                self.rebuild();
                if let Some(span) = span {
                    self.go_to(span);
                }
            }
            Command::Filter => self.typing = Some(self.query.clone()),
            Command::DetailDown => self.scroll_detail(true),
            Command::DetailUp => self.scroll_detail(false),
            Command::NextMatch => self.step_match(true),
            Command::PreviousMatch => self.step_match(false),
            _ => return None,
        }
        Some(Vec::new())
    }

    pub fn on_key(&mut self, key: Key) {
        if let (Some(text), Some(c)) = (&mut self.typing, key.typed_char()) {
            text.push(c);
        }
    }

    fn fold(&mut self, row: Row, collapse: bool) {
        if !row.has_children() || row.collapsed == collapse {
            return;
        }
        let id = self.trace.spans[row.span].id.clone();
        if collapse {
            self.collapsed.insert(id);
        } else {
            self.collapsed.remove(&id);
        }
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.rows = rows(&self.trace, &self.tree, &self.collapsed);
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    /// The cursor on span `i`, expanding what hides it.
    fn go_to(&mut self, span: usize) {
        let mut hidden = false;
        let mut at = self.tree.parent(span);
        while let Some(p) = at {
            hidden |= self.collapsed.remove(&self.trace.spans[p].id);
            at = self.tree.parent(p);
        }
        if hidden {
            self.rebuild();
        }
        if let Some(row) = self.rows.iter().position(|r| r.span == span) {
            self.cursor = row;
        }
    }

    fn search(&mut self) {
        self.matches = funcdeck_core::jaeger::find::find(&self.trace, &self.query);
        self.is_match = vec![false; self.trace.spans.len()];
        for &i in &self.matches {
            self.is_match[i] = true;
        }
        if let Some(&first) = self.matches.first() {
            self.go_to(first);
        }
    }

    /// The next (or previous) match in row order from the cursor, wrapping around.
    fn step_match(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        // Matches are in trace order; rows are in tree order: walk the tree's order instead.
        let order: Vec<usize> = self
            .tree
            .depth_first()
            .into_iter()
            .map(|(i, _)| i)
            .filter(|&i| self.is_match[i])
            .collect();
        let here = self.selected();
        let at = here.and_then(|s| order.iter().position(|&i| i == s));
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % order.len(),
            (Some(i), false) => (i + order.len() - 1) % order.len(),
            (None, true) => 0,
            (None, false) => order.len() - 1,
        };
        self.go_to(order[next]);
    }
}
