//! Which revisions of a function can go: those no route sends traffic to or names with a tag,
//! that are neither the latest created nor the latest ready one (the `@latest` target), keeping
//! the `keep` newest of them. Pure, so the CLI and the TUI preview exactly what will be deleted.

use std::collections::BTreeSet;

use crate::knative::Service;
use crate::revisions::RevisionSummary;

/// The revisions to delete, newest first.
pub fn prunable(service: &Service, revisions: &[RevisionSummary], keep: usize) -> Vec<String> {
    let mut referenced: BTreeSet<&str> = BTreeSet::new();
    let status = service.status.as_ref();
    let traffic = status
        .and_then(|s| s.traffic.as_deref())
        .into_iter()
        .chain(service.spec.traffic.as_deref())
        .flatten();
    for target in traffic {
        if let Some(name) = target.revision_name.as_deref() {
            referenced.insert(name);
        }
    }
    if let Some(status) = status {
        referenced.extend(status.latest_created_revision_name.as_deref());
        referenced.extend(status.latest_ready_revision_name.as_deref());
    }
    let mut candidates: Vec<&RevisionSummary> = revisions
        .iter()
        .filter(|r| !referenced.contains(r.key.name.as_str()))
        .collect();
    candidates.sort_by(RevisionSummary::newest_first);
    candidates
        .into_iter()
        .skip(keep)
        .map(|r| r.key.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::ObjectKey;

    fn revision(name: &str, generation: i64) -> RevisionSummary {
        let mut r = RevisionSummary::from_revision(&crate::knative::Revision::default());
        r.key = ObjectKey::new("shop", name);
        r.configuration_generation = Some(generation);
        r
    }

    fn service(traffic: serde_json::Value, latest_created: &str, latest_ready: &str) -> Service {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "cart", "namespace": "shop"},
            "status": {
                "latestCreatedRevisionName": latest_created,
                "latestReadyRevisionName": latest_ready,
                "traffic": traffic,
            }
        }))
        .expect("a service")
    }

    #[test]
    fn routed_tagged_and_latest_revisions_stay() {
        let revisions: Vec<RevisionSummary> = (1..=6)
            .map(|g| revision(&format!("cart-0000{g}"), g))
            .collect();
        let svc = service(
            serde_json::json!([
                {"revisionName": "cart-00005", "percent": 90},
                {"revisionName": "cart-00002", "percent": 10},
                {"revisionName": "cart-00001", "percent": 0, "tag": "old"},
            ]),
            "cart-00006",
            "cart-00005",
        );
        assert_eq!(
            prunable(&svc, &revisions, 0),
            ["cart-00004", "cart-00003"],
            "newest first; routed (5, 2), tagged (1) and latest created (6) stay"
        );
        assert_eq!(prunable(&svc, &revisions, 1), ["cart-00003"]);
        assert!(prunable(&svc, &revisions, 5).is_empty());
    }
}
