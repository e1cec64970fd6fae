//! Planning a traffic change (`fn traffic`, the detail's traffic editor): percentages per
//! revision or `@latest`, tags set and removed, checked here before anything reaches the server,
//! and previewed as the split before and after. The rules the server would apply anyway
//! (Knative's webhook) are checked with the same words, so a refusal is precise and early.

mod parse;

use crate::condition::ConditionStatus;
use crate::knative::{Service, TrafficTarget};
use crate::revisions::RevisionSummary;

pub use crate::function::traffic::LATEST;
pub use parse::{parse_percent, parse_share, parse_tag_assignment, validate_tag};

use super::rollback::Split;

/// Where a share or a tag goes: one revision, pinned, or whichever revision is the latest ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Revision(String),
    Latest,
}

impl Target {
    fn label(&self) -> &str {
        match self {
            Target::Revision(name) => name,
            Target::Latest => LATEST,
        }
    }
}

/// What the user asked for, as typed: `REV=PCT` (REV a revision, a tag, or `@latest`),
/// `--tag REV=TAG`, `--untag TAG`. Names are resolved against the function when planning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrafficChange {
    pub shares: Vec<(String, u32)>,
    pub tags: Vec<(String, String)>,
    pub untags: Vec<String>,
}

/// Why a change cannot be planned. An unknown name is its own case so the CLI can find out
/// whether it is another function's revision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrafficError {
    #[error("{message}")]
    Unknown { name: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrafficPlan {
    /// `spec.traffic` now and after, as the user reads them (`@latest` for a target that
    /// follows the latest ready revision).
    pub before: Vec<Split>,
    pub after: Vec<Split>,
    /// The new `spec.traffic`.
    pub traffic: Vec<TrafficTarget>,
    /// The Service version the plan was made from (a change meanwhile makes the write a 409).
    pub resource_version: Option<String>,
    /// Its generation: a 409 that only a status change caused (same generation) is written
    /// over with the new version, since the spec the plan read is unchanged.
    pub generation: Option<i64>,
}

/// One entry of the spec being built: where, how much, which tag, and any fields funcdeck does
/// not know (kept as they were).
#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    percent: u32,
    tag: Option<String>,
    extra: crate::knative::Extra,
}

/// Plans `change` on `service` with its `revisions`.
pub fn plan_traffic(
    service: &Service,
    revisions: &[RevisionSummary],
    change: &TrafficChange,
) -> Result<TrafficPlan, TrafficError> {
    let name = service.metadata.name.as_deref().unwrap_or_default();
    let current = current_entries(service);
    let resolver = Resolver {
        function: name,
        revisions,
        current: &current,
    };
    let mut entries = current.clone();

    if !change.shares.is_empty() {
        let mut named: Vec<(Target, &str)> = Vec::new();
        for (given, _) in &change.shares {
            let target = resolver.resolve(given)?;
            if let Some((_, first)) = named.iter().find(|(t, _)| *t == target) {
                return Err(TrafficError::Invalid(format!(
                    "{} is named twice (as \"{first}\" and \"{given}\"); give each revision one percentage",
                    target.label()
                )));
            }
            named.push((target, given));
        }
        let sum: u32 = change.shares.iter().map(|(_, p)| p).sum();
        if sum != 100 {
            let listed = change
                .shares
                .iter()
                .map(|(n, p)| format!("{n}={p}"))
                .collect::<Vec<_>>()
                .join(" ");
            return Err(TrafficError::Invalid(format!(
                "the percentages sum to {sum}, not 100 ({listed})"
            )));
        }
        for ((target, given), (_, percent)) in named.iter().zip(&change.shares) {
            if *percent > 0 {
                resolver.check_routable(target, given)?;
            }
        }
        for entry in &mut entries {
            entry.percent = 0;
        }
        for ((target, _), (_, percent)) in named.into_iter().zip(&change.shares) {
            // The target's existing entry takes the share (so its tag and fields stay).
            match entries
                .iter_mut()
                .find(|e| e.target == target && e.percent == 0)
            {
                Some(entry) => entry.percent = *percent,
                None => entries.push(Entry {
                    target,
                    percent: *percent,
                    tag: None,
                    extra: Default::default(),
                }),
            }
        }
        // Shares in the order they were given, then what only carries a tag.
        let rank = |e: &Entry| {
            change
                .shares
                .iter()
                .position(|(given, _)| resolver.resolve(given).ok().as_ref() == Some(&e.target))
                .filter(|_| e.percent > 0)
                .unwrap_or(usize::MAX)
        };
        entries.sort_by_key(rank);
    }

    for (i, tag) in change.untags.iter().enumerate() {
        if change.untags[..i].contains(tag) {
            return Err(TrafficError::Invalid(format!(
                "--untag {tag} is given twice"
            )));
        }
        match entries.iter_mut().find(|e| e.tag.as_deref() == Some(tag)) {
            Some(entry) => entry.tag = None,
            None => {
                return Err(TrafficError::Invalid(format!(
                    "function \"{name}\" has no tag \"{tag}\" to remove ({})",
                    resolver.tags_in_words()
                )));
            }
        }
    }
    for (i, (given, tag)) in change.tags.iter().enumerate() {
        validate_tag(name, tag).map_err(TrafficError::Invalid)?;
        if change.tags[..i].iter().any(|(_, t)| t == tag) {
            return Err(TrafficError::Invalid(format!(
                "tag \"{tag}\" is given twice; a tag names one revision"
            )));
        }
        if let Some(holder) = entries.iter().find(|e| e.tag.as_deref() == Some(tag)) {
            return Err(TrafficError::Invalid(format!(
                "tag \"{tag}\" already names {}; remove it with --untag {tag} to move it",
                holder.target.label()
            )));
        }
        let target = resolver.resolve(given)?;
        match entries
            .iter_mut()
            .find(|e| e.target == target && e.tag.is_none())
        {
            Some(entry) => entry.tag = Some(tag.clone()),
            None => entries.push(Entry {
                target,
                percent: 0,
                tag: Some(tag.clone()),
                extra: Default::default(),
            }),
        }
    }
    // A target with neither traffic nor a tag does nothing; Knative would only keep it around.
    entries.retain(|e| e.percent > 0 || e.tag.is_some());

    let traffic: Vec<TrafficTarget> = entries.iter().map(to_target).collect();
    let before = splits(&current);
    let after = splits(&entries);
    if before == after {
        return Err(TrafficError::Invalid(format!(
            "nothing to change: the traffic is already {}",
            super::rollback::describe_split(name, &before)
        )));
    }
    Ok(TrafficPlan {
        before,
        after,
        traffic,
        resource_version: service.metadata.resource_version.clone(),
        generation: service.metadata.generation,
    })
}

/// `spec.traffic` as entries; an empty one means what Knative defaults it to (all to @latest).
fn current_entries(service: &Service) -> Vec<Entry> {
    let spec = service.spec.traffic.as_deref().unwrap_or(&[]);
    if spec.is_empty() {
        return vec![Entry {
            target: Target::Latest,
            percent: 100,
            tag: None,
            extra: Default::default(),
        }];
    }
    spec.iter()
        .map(|t| {
            let pinned = t.revision_name.clone().filter(|n| !n.is_empty());
            let follows_latest = t.latest_revision.unwrap_or(pinned.is_none());
            Entry {
                target: match pinned {
                    Some(name) if !follows_latest => Target::Revision(name),
                    _ => Target::Latest,
                },
                percent: u32::try_from(t.percent.unwrap_or(0).clamp(0, 100)).unwrap_or(0),
                tag: t.tag.clone().filter(|s| !s.is_empty()),
                extra: t.extra.clone(),
            }
        })
        .collect()
}

fn to_target(entry: &Entry) -> TrafficTarget {
    let (revision_name, latest) = match &entry.target {
        Target::Revision(name) => (Some(name.clone()), false),
        // Knative refuses a revisionName beside latestRevision: true.
        Target::Latest => (None, true),
    };
    TrafficTarget {
        revision_name,
        latest_revision: Some(latest),
        percent: Some(i64::from(entry.percent)),
        tag: entry.tag.clone(),
        extra: entry.extra.clone(),
        ..TrafficTarget::default()
    }
}

fn splits(entries: &[Entry]) -> Vec<Split> {
    entries
        .iter()
        .map(|e| Split {
            revision: e.target.label().to_owned(),
            percent: e.percent,
            tag: e.tag.clone(),
        })
        .collect()
}

struct Resolver<'a> {
    function: &'a str,
    revisions: &'a [RevisionSummary],
    current: &'a [Entry],
}

impl Resolver<'_> {
    /// A revision of this function, `@latest`, or a tag (meaning what it tags now).
    fn resolve(&self, given: &str) -> Result<Target, TrafficError> {
        if given == LATEST {
            return Ok(Target::Latest);
        }
        if self.revisions.iter().any(|r| r.key.name == given) {
            return Ok(Target::Revision(given.to_owned()));
        }
        if let Some(tagged) = self
            .current
            .iter()
            .find(|e| e.tag.as_deref() == Some(given))
        {
            return Ok(tagged.target.clone());
        }
        let mut names: Vec<&RevisionSummary> = self.revisions.iter().collect();
        names.sort_by(RevisionSummary::newest_first);
        let names: Vec<&str> = names.iter().map(|r| r.key.name.as_str()).collect();
        let revisions = if names.is_empty() {
            "it has no revisions".to_owned()
        } else {
            format!("its revisions: {}", names.join(", "))
        };
        Err(TrafficError::Unknown {
            name: given.to_owned(),
            message: format!(
                "no revision or tag \"{given}\" in function \"{}\" ({revisions}; {})",
                self.function,
                self.tags_in_words()
            ),
        })
    }

    /// Traffic may not go to a revision that has failed (the route would fail with it).
    fn check_routable(&self, target: &Target, given: &str) -> Result<(), TrafficError> {
        let Target::Revision(name) = target else {
            return Ok(());
        };
        match self.revisions.iter().find(|r| &r.key.name == name) {
            Some(r) if r.ready == ConditionStatus::False => {
                let via = if given == name {
                    String::new()
                } else {
                    format!(" (tagged \"{given}\")")
                };
                Err(TrafficError::Invalid(format!(
                    "revision {name}{via} is not ready ({}); traffic cannot go to it",
                    r.reason.as_deref().unwrap_or("failed")
                )))
            }
            _ => Ok(()),
        }
    }

    fn tags_in_words(&self) -> String {
        let tags: Vec<&str> = self
            .current
            .iter()
            .filter_map(|e| e.tag.as_deref())
            .collect();
        if tags.is_empty() {
            "no tags".to_owned()
        } else {
            format!("tags: {}", tags.join(", "))
        }
    }
}

#[cfg(test)]
mod tests;
