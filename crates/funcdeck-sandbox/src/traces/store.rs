//! The ring of recent traces, the services and operations seen (kept past the ring, as Jaeger's
//! storage keeps them past its traces), and the search over them with Jaeger's semantics: a
//! trace matches when one of its spans has the service, the operation, a duration in range and
//! every tag (span tags, its process's tags, and the `span.kind`/`error` tags Jaeger shows).

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::sync::Arc;

use super::Recorded;
use super::spans::{self, Span, Trace, Val};
use crate::metrics::Era;

/// Strings kept for sharing between records; cleared past this (records keep theirs alive).
const INTERN_MAX: usize = 50_000;
/// Operations kept per service: gateway paths are the caller's, so ≤ 1.18's path-named spans
/// could grow without end.
const OPS_MAX: usize = 1_000;

pub struct Ring {
    capacity: usize,
    traces: VecDeque<Recorded>,
    strings: HashSet<Arc<str>>,
    /// service → (operation, span kind or "").
    ops: BTreeMap<String, BTreeSet<(String, &'static str)>>,
}

/// A search, in µs (times since the epoch, durations).
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub service: Option<String>,
    pub operation: Option<String>,
    pub tags: Vec<(String, String)>,
    pub start_min: i64,
    pub start_max: i64,
    pub dur_min: Option<i64>,
    pub dur_max: Option<i64>,
    pub limit: usize,
}

impl Ring {
    pub fn new(capacity: usize) -> Self {
        Ring {
            capacity: capacity.max(1),
            traces: VecDeque::new(),
            strings: HashSet::new(),
            ops: BTreeMap::new(),
        }
    }

    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strings.get(s) {
            return a.clone();
        }
        if self.strings.len() >= INTERN_MAX {
            self.strings.clear();
        }
        let a: Arc<str> = Arc::from(s);
        self.strings.insert(a.clone());
        a
    }

    pub fn push(&mut self, era: Era, r: Recorded) {
        let (act, qp) = spans::services(era, &r);
        for (role, name, kind) in spans::operations(era, &r) {
            let service = if role == 0 { act } else { qp.as_str() };
            let set = self.ops.entry(service.to_string()).or_default();
            if set.len() < OPS_MAX {
                set.insert((name, kind.map_or("", |k| k.as_str())));
            }
        }
        if self.traces.len() >= self.capacity {
            self.traces.pop_front();
        }
        self.traces.push_back(r);
    }

    pub fn len(&self) -> usize {
        self.traces.len()
    }

    pub fn services(&self) -> Vec<String> {
        self.ops.keys().cloned().collect()
    }

    /// The service's operations, of one span kind if asked (`""` = any).
    pub fn operations(&self, service: &str, kind: &str) -> Vec<(String, &'static str)> {
        self.ops
            .get(service)
            .into_iter()
            .flatten()
            .filter(|(_, k)| kind.is_empty() || *k == kind)
            .cloned()
            .collect()
    }

    pub fn find(&self, id: u128) -> Option<&Recorded> {
        self.traces.iter().rev().find(|r| r.id == id)
    }

    pub fn get(&self, era: Era, id: u128) -> Option<Trace> {
        self.find(id).map(|r| spans::build(era, r))
    }

    /// The newest traces matching `q`, at most `q.limit`.
    pub fn search(&self, era: Era, q: &Query) -> Vec<Trace> {
        let mut out = Vec::new();
        for r in self.traces.iter().rev() {
            if out.len() >= q.limit {
                break;
            }
            // No span outlasts the root: a trace too short for `dur_min` needs no building.
            if r.start_us < q.start_min
                || r.start_us > q.start_max
                || q.dur_min.is_some_and(|m| spans::duration_us(r) < m)
            {
                continue;
            }
            if let Some(svc) = &q.service {
                let (act, qp) = spans::services(era, r);
                if act != svc && qp != *svc {
                    continue;
                }
            }
            let t = spans::build(era, r);
            if t.spans.iter().any(|s| span_matches(&t, s, q)) {
                out.push(t);
            }
        }
        out
    }
}

fn span_matches(t: &Trace, s: &Span, q: &Query) -> bool {
    let process = &t.processes[s.process];
    if q.service.as_ref().is_some_and(|v| *v != process.service)
        || q.operation.as_ref().is_some_and(|o| *o != s.name)
        || q.dur_min.is_some_and(|m| s.dur_us < m)
        || q.dur_max.is_some_and(|m| s.dur_us > m)
    {
        return false;
    }
    q.tags.iter().all(|(k, v)| {
        shown_tags(s)
            .into_iter()
            .chain(process.tags.iter().map(|(k, v)| (*k, v.clone())))
            .any(|(tk, tv)| tk == k && tv.text() == *v)
    })
}

/// A span's tags as the classic API shows them: its own, then what Jaeger adds for its kind,
/// scope and status.
pub fn shown_tags(s: &Span) -> Vec<(&'static str, Val)> {
    let mut tags = s.tags.clone();
    if let Some(scope) = s.scope {
        tags.push(("otel.scope.name", Val::Str(scope.into())));
    }
    if let Some(k) = s.kind {
        tags.push(("span.kind", Val::Str(k.as_str().into())));
    }
    if s.error {
        if s.scope.is_some() {
            tags.push(("otel.status_code", Val::Str("ERROR".into())));
        }
        tags.push(("error", Val::Bool(true)));
    }
    tags
}
