use super::*;
use crate::key::ObjectKey;
use crate::knative::Revision;

fn revision(number: i64, ready: bool) -> RevisionSummary {
    let mut r = RevisionSummary::from_revision(&Revision::default());
    r.key = ObjectKey::new("shop", format!("cart-0000{number}"));
    r.configuration_generation = Some(number);
    r.ready = if ready {
        ConditionStatus::True
    } else {
        ConditionStatus::False
    };
    r
}

/// A service whose spec traffic is `traffic` and whose status has resolved it.
fn service(traffic: serde_json::Value, latest_ready: &str) -> Service {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": "42"},
        "spec": {"traffic": traffic},
        "status": {"latestReadyRevisionName": latest_ready, "traffic": traffic}
    }))
    .expect("a service")
}

#[test]
fn rolls_back_to_the_previous_ready_revision_keeping_tags() {
    // 00004 failed; 00003 takes all traffic through @latest; 00002 is tagged.
    let revisions = [
        revision(1, true),
        revision(2, true),
        revision(3, true),
        revision(4, false),
    ];
    let svc = service(
        serde_json::json!([
            {"revisionName": "cart-00003", "latestRevision": true, "percent": 100},
            {"revisionName": "cart-00002", "latestRevision": false, "percent": 0, "tag": "blue"},
        ]),
        "cart-00003",
    );
    let plan = plan_rollback(&svc, &revisions, None).expect("a plan");
    assert_eq!(plan.to, "cart-00002");
    assert_eq!(
        describe_split("cart", &plan.before),
        "00003 100% · 00002 0% #blue"
    );
    assert_eq!(
        describe_split("cart", &plan.after),
        "00002 100% · 00002 0% #blue"
    );
    assert_eq!(plan.resource_version.as_deref(), Some("42"));
    assert_eq!(
        plan.traffic[0].latest_revision,
        Some(false),
        "pinned, not @latest"
    );
}

#[test]
fn a_chosen_revision_must_exist_be_ready_and_change_something() {
    let revisions = [revision(1, true), revision(2, false), revision(3, true)];
    let svc = service(
        serde_json::json!([{"revisionName": "cart-00003", "percent": 100}]),
        "cart-00003",
    );
    assert_eq!(
        plan_rollback(&svc, &revisions, Some("cart-00009")).map(|p| p.to),
        Err("no revision \"cart-00009\" in this function".into())
    );
    assert_eq!(
        plan_rollback(&svc, &revisions, Some("cart-00002")).map(|p| p.to),
        Err("revision \"cart-00002\" is not ready; traffic cannot go to it".into())
    );
    assert_eq!(
        plan_rollback(&svc, &revisions, Some("cart-00003")).map(|p| p.to),
        Err("all traffic already goes to cart-00003".into())
    );
    assert_eq!(
        plan_rollback(&svc, &revisions, None).map(|p| p.to),
        Ok("cart-00001".into()),
        "the failed 00002 is skipped"
    );
    let first_only = [revision(1, true)];
    let svc = service(
        serde_json::json!([{"revisionName": "cart-00001", "percent": 100}]),
        "cart-00001",
    );
    assert_eq!(
        plan_rollback(&svc, &first_only, None).map(|p| p.to),
        Err("there is no earlier ready revision to roll back to".into())
    );
}

#[test]
fn a_tag_that_follows_latest_keeps_following_it() {
    let revisions = [revision(1, true), revision(2, true)];
    let mut svc = service(
        serde_json::json!([
            {"revisionName": "cart-00001", "percent": 80},
            {"revisionName": "cart-00002", "latestRevision": true, "percent": 20, "tag": "canary"},
        ]),
        "cart-00002",
    );
    // As the user wrote it: the canary tag follows @latest, no revision named.
    svc.spec.traffic = Some(
        serde_json::from_value(serde_json::json!([
            {"revisionName": "cart-00001", "percent": 80},
            {"latestRevision": true, "percent": 20, "tag": "canary"},
        ]))
        .expect("targets"),
    );
    let plan = plan_rollback(&svc, &revisions, None).expect("a plan");
    assert_eq!(plan.to, "cart-00001");
    let tag = &plan.traffic[1];
    assert_eq!(
        (
            tag.revision_name.as_deref(),
            tag.latest_revision,
            tag.tag.as_deref(),
            tag.percent
        ),
        (None, Some(true), Some("canary"), Some(0)),
        "Knative refuses a revisionName with latestRevision: true"
    );
    assert_eq!(
        describe_split("cart", &plan.after),
        "00001 100% · 00002 0% #canary"
    );
}
