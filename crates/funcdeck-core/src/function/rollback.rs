//! Rolling a function back: all traffic to the previous ready revision (or a chosen one), as a
//! plan that says what the split is now and what it will be, so the change is previewed before
//! anything is written. Tags stay (at 0%), so tag URLs keep answering.

use crate::condition::ConditionStatus;
use crate::function::traffic::targets;
use crate::knative::{Service, TrafficTarget};
use crate::revisions::RevisionSummary;

/// Traffic as the user reads it: revision (or `@latest`), percent, tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub revision: String,
    pub percent: u32,
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RollbackPlan {
    pub to: String,
    pub before: Vec<Split>,
    pub after: Vec<Split>,
    /// The new `spec.traffic`.
    pub traffic: Vec<TrafficTarget>,
    /// The Service version the plan was made from; writing with it fails (409) if someone
    /// changed the function meanwhile, instead of overwriting their change.
    pub resource_version: Option<String>,
    /// Its generation: a 409 that only a status change caused (same generation) is written
    /// over with the new version, since the spec the plan read is unchanged.
    pub generation: Option<i64>,
}

/// Plans the rollback; the error says why there is nothing sensible to roll back to.
pub fn plan_rollback(
    service: &Service,
    revisions: &[RevisionSummary],
    to: Option<&str>,
) -> Result<RollbackPlan, String> {
    let current = targets(service);
    let latest_ready = service
        .status
        .as_ref()
        .and_then(|s| s.latest_ready_revision_name.as_deref());
    let resolve = |t: &TrafficTarget| -> Option<String> {
        t.revision_name
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| latest_ready.map(str::to_owned))
    };
    let routed: Vec<String> = current
        .iter()
        .filter(|t| t.percent.unwrap_or(0) > 0)
        .filter_map(resolve)
        .collect();
    let mut ready: Vec<&RevisionSummary> = revisions
        .iter()
        .filter(|r| r.ready == ConditionStatus::True)
        .collect();
    ready.sort_by(RevisionSummary::newest_first);
    let target = match to {
        Some(name) => {
            let Some(found) = revisions.iter().find(|r| r.key.name == name) else {
                return Err(format!("no revision \"{name}\" in this function"));
            };
            if found.ready != ConditionStatus::True {
                return Err(format!(
                    "revision \"{name}\" is not ready; traffic cannot go to it"
                ));
            }
            found.key.name.clone()
        }
        None => {
            // The newest ready revision older than the newest one taking traffic now.
            let newest_routed = ready.iter().position(|r| routed.contains(&r.key.name));
            let Some(position) = newest_routed else {
                return Err("no traffic goes to a ready revision now; pass --to REV".into());
            };
            match ready.get(position + 1) {
                Some(previous) => previous.key.name.clone(),
                None => {
                    return Err("there is no earlier ready revision to roll back to".into());
                }
            }
        }
    };
    if routed.len() == 1 && routed[0] == target && current.iter().all(|t| t.revision_name.is_some())
    {
        return Err(format!("all traffic already goes to {target}"));
    }
    let mut traffic = vec![TrafficTarget {
        revision_name: Some(target.clone()),
        latest_revision: Some(false),
        percent: Some(100),
        ..TrafficTarget::default()
    }];
    // Keep every tag where the user pointed it (the spec's intent: a tag may follow @latest),
    // at 0%, so tag URLs keep answering.
    let spec_targets = service.spec.traffic.as_deref().unwrap_or(&[]);
    for t in spec_targets
        .iter()
        .filter(|t| t.tag.as_deref().is_some_and(|tag| !tag.is_empty()))
    {
        let follows_latest = t.latest_revision.unwrap_or(t.revision_name.is_none());
        traffic.push(TrafficTarget {
            revision_name: if follows_latest {
                None
            } else {
                t.revision_name.clone()
            },
            latest_revision: Some(follows_latest),
            percent: Some(0),
            tag: t.tag.clone(),
            ..TrafficTarget::default()
        });
    }
    let split = |targets: &[TrafficTarget]| -> Vec<Split> {
        targets
            .iter()
            .map(|t| Split {
                revision: t
                    .revision_name
                    .clone()
                    .or_else(|| latest_ready.map(str::to_owned))
                    .unwrap_or_else(|| "@latest".to_owned()),
                percent: u32::try_from(t.percent.unwrap_or(0).clamp(0, 100)).unwrap_or(0),
                tag: t.tag.clone(),
            })
            .collect()
    };
    Ok(RollbackPlan {
        to: target,
        before: split(current),
        after: split(&traffic),
        traffic,
        resource_version: service.metadata.resource_version.clone(),
        generation: service.metadata.generation,
    })
}

/// `00003 90% · 00002 10% #canary` style, for previews.
pub fn describe_split(name: &str, split: &[Split]) -> String {
    let prefix = format!("{name}-");
    split
        .iter()
        .map(|s| {
            let short = s.revision.strip_prefix(&prefix).unwrap_or(&s.revision);
            match &s.tag {
                Some(tag) => format!("{short} {}% #{tag}", s.percent),
                None => format!("{short} {}%", s.percent),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests;
