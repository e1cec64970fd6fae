use super::*;
use crate::key::ObjectKey;
use crate::knative::Revision;

fn service(labels: Value, annotations: Value) -> Service {
    serde_json::from_value(json!({
        "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": "9",
                     "labels": labels, "annotations": annotations},
        "spec": {"traffic": [{"latestRevision": true, "percent": 100}]},
        "status": {"traffic": [{"revisionName": "cart-00002", "latestRevision": true, "percent": 100}]}
    }))
    .expect("a service")
}

fn at_noon() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z")
        .expect("a time")
        .with_timezone(&Utc)
}

fn plan(outcome: VisibilityOutcome) -> VisibilityPlan {
    match outcome {
        VisibilityOutcome::Plan(plan) => plan,
        VisibilityOutcome::AlreadyDone(why) => panic!("no plan: {why}"),
    }
}

#[test]
fn offline_writes_the_label_and_a_record_and_nothing_else() {
    let svc = service(json!({"app": "shop"}), json!({}));
    let p = plan(plan_offline(&svc, &[], at_noon()));
    assert_eq!(
        p.patch,
        json!({"metadata": {
            "resourceVersion": "9",
            "labels": {"networking.knative.dev/visibility": "cluster-local"},
            "annotations": {"funcdeck.dev/offline": "{\"since\":\"2026-11-29T12:00:00Z\"}"}
        }})
    );
    assert_eq!(
        p.writes,
        vec![
            "label networking.knative.dev/visibility=cluster-local".to_owned(),
            "annotation funcdeck.dev/offline={\"since\":\"2026-11-29T12:00:00Z\"}".to_owned()
        ]
    );
    assert!(p.warnings.is_empty());
}

#[test]
fn online_removes_exactly_what_offline_wrote() {
    let offline = service(
        json!({"app": "shop", VISIBILITY_LABEL: CLUSTER_LOCAL}),
        json!({OFFLINE_ANNOTATION: "{\"since\":\"2026-11-29T12:00:00Z\"}"}),
    );
    assert_eq!(
        reachability(&offline),
        Reachability::Offline {
            since: Some("2026-11-29T12:00:00Z".into())
        }
    );
    let p = plan(plan_online(&offline));
    assert_eq!(
        p.patch,
        json!({"metadata": {
            "resourceVersion": "9",
            "labels": {"networking.knative.dev/visibility": null},
            "annotations": {"funcdeck.dev/offline": null}
        }})
    );
}

#[test]
fn a_previous_visibility_is_recorded_and_restored() {
    // Some ingress setups use other values; offline keeps it to put back.
    let svc = service(json!({VISIBILITY_LABEL: "external-ip"}), json!({}));
    let p = plan(plan_offline(&svc, &[], at_noon()));
    let record = p.patch["metadata"]["annotations"][OFFLINE_ANNOTATION]
        .as_str()
        .expect("a record")
        .to_owned();
    assert_eq!(
        record,
        "{\"previousVisibility\":\"external-ip\",\"since\":\"2026-11-29T12:00:00Z\"}"
    );
    let offline = service(
        json!({VISIBILITY_LABEL: CLUSTER_LOCAL}),
        json!({OFFLINE_ANNOTATION: record}),
    );
    let p = plan(plan_online(&offline));
    assert_eq!(
        p.patch["metadata"]["labels"],
        json!({VISIBILITY_LABEL: "external-ip"})
    );
}

#[test]
fn already_offline_online_or_cluster_local_is_a_no_op() {
    let online = service(json!({}), json!({}));
    assert_eq!(
        plan_online(&online),
        VisibilityOutcome::AlreadyDone(
            "function \"cart\" is already online; nothing was written".into()
        )
    );
    let local = service(json!({VISIBILITY_LABEL: CLUSTER_LOCAL}), json!({}));
    assert_eq!(reachability(&local), Reachability::ClusterLocal);
    assert!(matches!(
        plan_offline(&local, &[], at_noon()),
        VisibilityOutcome::AlreadyDone(w) if w.contains("already cluster-local")
    ));
    assert!(matches!(
        plan_online(&local),
        VisibilityOutcome::AlreadyDone(w) if w.contains("not taken offline by funcdeck")
    ));
    let offline = service(
        json!({VISIBILITY_LABEL: CLUSTER_LOCAL}),
        json!({OFFLINE_ANNOTATION: "{\"since\":\"x\"}"}),
    );
    assert_eq!(
        plan_offline(&offline, &[], at_noon()),
        VisibilityOutcome::AlreadyDone(
            "function \"cart\" is already offline; nothing was written".into()
        )
    );
}

#[test]
fn a_label_changed_meanwhile_is_left_alone() {
    let changed = service(
        json!({VISIBILITY_LABEL: "something-else"}),
        json!({OFFLINE_ANNOTATION: "{\"since\":\"x\"}"}),
    );
    let p = plan(plan_online(&changed));
    assert_eq!(
        p.patch,
        json!({"metadata": {"resourceVersion": "9", "annotations": {OFFLINE_ANNOTATION: null}}})
    );
    assert_eq!(p.warnings.len(), 1);
}

#[test]
fn a_routed_revision_with_min_scale_is_warned_about() {
    let svc = service(json!({}), json!({}));
    let mut pinned = RevisionSummary::from_revision(&Revision::default());
    pinned.key = ObjectKey::new("shop", "cart-00002");
    pinned.min_scale = Some(2);
    let mut unrouted = pinned.clone();
    unrouted.key = ObjectKey::new("shop", "cart-00001");
    let p = plan(plan_offline(&svc, &[pinned, unrouted], at_noon()));
    assert_eq!(
        p.warnings,
        vec![
            "revision cart-00002 keeps 2 pods running without traffic \
             (autoscaling.knative.dev/min-scale: 2)"
                .to_owned()
        ]
    );
}
