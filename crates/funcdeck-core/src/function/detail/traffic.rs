//! The traffic table of a function: every target, with its tag URL.

use serde::Serialize;

use crate::knative::{Service, TrafficTarget};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficRow {
    /// The revision, or `None` for a spec target that follows the latest ready revision
    /// before the controller has resolved it.
    pub revision: Option<String>,
    pub percent: u32,
    pub tag: Option<String>,
    /// The tag's own URL (status only).
    pub url: Option<String>,
    /// Follows the latest ready revision.
    pub latest: bool,
}

/// Status traffic (resolved names) when the controller has published it, else the spec.
pub(super) fn rows(svc: &Service) -> Vec<TrafficRow> {
    crate::function::traffic::targets(svc)
        .iter()
        .map(row)
        .collect()
}

fn row(t: &TrafficTarget) -> TrafficRow {
    let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    TrafficRow {
        revision: non_empty(&t.revision_name),
        percent: u32::try_from(t.percent.unwrap_or(0).clamp(0, 100)).unwrap_or(0),
        tag: non_empty(&t.tag),
        url: non_empty(&t.url),
        latest: t.latest_revision.unwrap_or(t.revision_name.is_none()),
    }
}
