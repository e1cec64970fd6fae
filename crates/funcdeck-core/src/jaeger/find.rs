//! Search within a trace: the spans whose operation, service, or a tag (`key=value`) contains
//! the text, ignoring case.

use super::model::{Span, TagValue, Trace};

/// Positions of the matching spans, in trace order; an empty query matches nothing.
pub fn find(trace: &Trace, query: &str) -> Vec<usize> {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    trace
        .spans
        .iter()
        .enumerate()
        .filter(|(_, s)| matches(s, &needle))
        .map(|(i, _)| i)
        .collect()
}

fn matches(span: &Span, needle: &str) -> bool {
    let has = |text: &str| text.to_lowercase().contains(needle);
    has(&span.operation)
        || has(&span.service)
        || has(span.id.as_str())
        || span
            .tags
            .iter()
            .chain(&span.process_tags)
            .any(|(k, v)| has(&tag_text(k, v)))
}

fn tag_text(key: &str, value: &TagValue) -> String {
    format!("{key}={value}")
}
