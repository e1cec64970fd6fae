use serde_json::{Value, json};

use crate::function::{FunctionSummary, Readiness, TrafficShare};
use crate::knative::Service;

fn svc(value: Value) -> Service {
    serde_json::from_value(value).expect("valid service json")
}

fn with_status(generation: i64, status: Value) -> Service {
    svc(json!({
        "metadata": {"name": "hello", "namespace": "default", "generation": generation},
        "status": status
    }))
}

fn ready(status: &str) -> Value {
    json!({"type": "Ready", "status": status, "reason": "Why", "message": "because"})
}

#[test]
fn readiness_follows_the_ready_condition() {
    let cases = [
        ("True", Readiness::Ready),
        ("False", Readiness::Failed),
        ("Unknown", Readiness::Deploying),
    ];
    for (status, want) in cases {
        let s = FunctionSummary::from_service(&with_status(
            2,
            json!({"observedGeneration": 2, "conditions": [ready(status)]}),
        ));
        assert_eq!(s.readiness, want, "Ready={status}");
        assert_eq!(s.reason.as_deref(), Some("Why"));
        assert_eq!(s.message.as_deref(), Some("because"));
    }
}

#[test]
fn an_unobserved_generation_is_deploying_even_if_ready_says_true() {
    let s = FunctionSummary::from_service(&with_status(
        3,
        json!({"observedGeneration": 2, "conditions": [ready("True")]}),
    ));
    assert_eq!(s.readiness, Readiness::Deploying);
    assert_eq!((s.generation, s.observed_generation), (3, 2));
}

#[test]
fn no_status_or_no_ready_condition_is_unknown() {
    let bare =
        FunctionSummary::from_service(&svc(json!({"metadata": {"name": "a", "generation": 1}})));
    assert_eq!(bare.readiness, Readiness::Unknown);
    let no_ready = FunctionSummary::from_service(&with_status(
        1,
        json!({"observedGeneration": 1, "conditions": [{"type": "RoutesReady", "status": "True"}]}),
    ));
    assert_eq!(no_ready.readiness, Readiness::Unknown);
    assert_eq!(no_ready.reason, None);
}

#[test]
fn a_completely_empty_object_does_not_panic() {
    let s = FunctionSummary::from_service(&Service::default());
    assert_eq!(s.key.name, "");
    assert_eq!(s.readiness, Readiness::Unknown);
    assert_eq!(s.latest_revision(), None);
    assert_eq!(s.traffic_summary(), "—");
    assert_eq!(s.created, None);
}

#[test]
fn latest_revision_prefers_latest_created() {
    let s = FunctionSummary::from_service(&with_status(
        1,
        json!({"latestCreatedRevisionName": "hello-00002", "latestReadyRevisionName": "hello-00001"}),
    ));
    assert_eq!(s.latest_revision(), Some("hello-00002"));
    let s = FunctionSummary::from_service(&with_status(
        1,
        json!({"latestReadyRevisionName": "hello-00001"}),
    ));
    assert_eq!(s.latest_revision(), Some("hello-00001"));
}

#[test]
fn created_comes_from_creation_timestamp() {
    let s = FunctionSummary::from_service(&svc(json!({
        "metadata": {"name": "a", "creationTimestamp": "2020-07-23T22:53:04Z"}
    })));
    assert_eq!(
        s.created.map(|t| t.to_rfc3339()),
        Some("2020-07-23T22:53:04+00:00".to_owned())
    );
}

fn summary_of(status_traffic: Value) -> String {
    FunctionSummary::from_service(&with_status(1, json!({"traffic": status_traffic})))
        .traffic_summary()
}

#[test]
fn traffic_summary_single_revision() {
    assert_eq!(
        summary_of(
            json!([{"revisionName": "hello-00003", "latestRevision": true, "percent": 100}])
        ),
        "00003 100%"
    );
}

#[test]
fn traffic_summary_split_with_canary_tag_largest_first() {
    assert_eq!(
        summary_of(json!([
            {"revisionName": "hello-00002", "latestRevision": false, "percent": 10, "tag": "canary"},
            {"revisionName": "hello-00003", "latestRevision": true, "percent": 90}
        ])),
        "00003 90% · 00002 10% (canary)"
    );
}

#[test]
fn traffic_summary_keeps_tagged_zero_targets_and_drops_untagged_zero_ones() {
    assert_eq!(
        summary_of(json!([
            {"revisionName": "hello-00003", "latestRevision": true, "percent": 100},
            {"revisionName": "hello-00001", "latestRevision": false, "percent": 0},
            {"revisionName": "hello-00002", "latestRevision": false, "percent": 0, "tag": "prev"}
        ])),
        "00003 100% · 00002 0% (prev)"
    );
}

#[test]
fn traffic_summary_merges_targets_of_the_same_revision() {
    assert_eq!(
        summary_of(json!([
            {"revisionName": "hello-00003", "latestRevision": true, "percent": 100},
            {"revisionName": "hello-00003", "latestRevision": false, "percent": 0, "tag": "current"}
        ])),
        "00003 100% (current)"
    );
}

#[test]
fn traffic_summary_keeps_foreign_names_and_handles_none() {
    assert_eq!(
        summary_of(json!([{"revisionName": "other-00001", "percent": 100}])),
        "other-00001 100%"
    );
    // The name itself followed by "-" but nothing else is not stripped to an empty string.
    assert_eq!(
        summary_of(json!([{"revisionName": "hello-", "percent": 100}])),
        "hello- 100%"
    );
    assert_eq!(summary_of(json!([])), "—");
    assert_eq!(
        summary_of(json!([{"revisionName": "hello-00001", "percent": 0}])),
        "—"
    );
}

#[test]
fn spec_traffic_is_used_until_status_has_some_and_latest_is_unresolved() {
    let s = FunctionSummary::from_service(&svc(json!({
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"traffic": [
            {"latestRevision": true, "percent": 80},
            {"revisionName": "hello-00001", "latestRevision": false, "percent": 20}
        ]}
    })));
    assert_eq!(
        s.traffic,
        vec![
            TrafficShare {
                revision: "@latest".into(),
                percent: 80,
                tag: None,
                latest: true
            },
            TrafficShare {
                revision: "hello-00001".into(),
                percent: 20,
                tag: None,
                latest: false
            },
        ]
    );
    assert_eq!(s.traffic_summary(), "@latest 80% · 00001 20%");
}

#[test]
fn out_of_range_percents_are_clamped() {
    assert_eq!(
        summary_of(json!([{"revisionName": "hello-00001", "percent": -5, "tag": "t"}])),
        "00001 0% (t)"
    );
}
