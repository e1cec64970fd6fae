//! Traffic shares and their one-cell summary.

use serde::Serialize;

use crate::knative::{Service, TrafficTarget};

/// Where a slice of a function's traffic goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficShare {
    /// The revision name, or `"@latest"` when it follows the latest ready revision and the
    /// status has not resolved it (spec traffic).
    pub revision: String,
    pub percent: u32,
    pub tag: Option<String>,
    /// Follows the latest ready revision.
    pub latest: bool,
}

pub const LATEST: &str = "@latest";

/// Status traffic (resolved names) when the controller has published it, else the spec.
pub(super) fn targets(svc: &Service) -> &[TrafficTarget] {
    match svc.status.as_ref().and_then(|s| s.traffic.as_ref()) {
        Some(t) if !t.is_empty() => t,
        _ => svc.spec.traffic.as_deref().unwrap_or(&[]),
    }
}

pub(super) fn shares(svc: &Service) -> Vec<TrafficShare> {
    targets(svc).iter().map(share).collect()
}

fn share(t: &TrafficTarget) -> TrafficShare {
    let revision = t
        .revision_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| LATEST.to_owned());
    TrafficShare {
        latest: t.latest_revision.unwrap_or(t.revision_name.is_none()),
        percent: u32::try_from(t.percent.unwrap_or(0).clamp(0, 100)).unwrap_or(0),
        tag: t.tag.clone().filter(|s| !s.is_empty()),
        revision,
    }
}

/// `"00003 90% · 00002 10% (canary)"`: targets that receive traffic or carry a tag, the same
/// revision merged, largest share first, revision names without the `<function>-` prefix.
pub(super) fn summary(name: &str, shares: &[TrafficShare]) -> String {
    struct Row<'a> {
        revision: &'a str,
        percent: u32,
        tags: Vec<&'a str>,
    }
    let mut rows: Vec<Row<'_>> = Vec::new();
    for s in shares.iter().filter(|s| s.percent > 0 || s.tag.is_some()) {
        let idx = match rows.iter().position(|r| r.revision == s.revision) {
            Some(i) => i,
            None => {
                rows.push(Row {
                    revision: &s.revision,
                    percent: 0,
                    tags: Vec::new(),
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[idx];
        row.percent += s.percent;
        if let Some(tag) = &s.tag {
            row.tags.push(tag);
        }
    }
    if rows.is_empty() {
        return "—".to_owned();
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.percent));
    let prefix = format!("{name}-");
    rows.iter()
        .map(|r| {
            let short = r
                .revision
                .strip_prefix(&prefix)
                .filter(|rest| !rest.is_empty())
                .unwrap_or(r.revision);
            if r.tags.is_empty() {
                format!("{short} {}%", r.percent)
            } else {
                format!("{short} {}% ({})", r.percent, r.tags.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
