use serde_json::json;

use super::RevisionSummary;
use crate::condition::ConditionStatus;
use crate::knative::Revision;
use crate::testing::fixture_items;

fn revision(value: serde_json::Value) -> Revision {
    serde_json::from_value(value).expect("revision")
}

#[test]
fn a_recorded_ready_revision() {
    let revs: Vec<Revision> = fixture_items("singleServiceRevisionList.json");
    let s = RevisionSummary::from_revision(&revs[0]);
    assert_eq!(s.key.to_string(), "a-serverless-example/example-75w7v");
    assert_eq!(s.function.as_deref(), Some("example"));
    assert_eq!(s.configuration_generation, Some(3));
    assert_eq!(
        s.created.map(|t| t.to_rfc3339()),
        Some("2020-07-23T23:23:04+00:00".into())
    );
    assert_eq!(s.ready, ConditionStatus::True);
    assert_eq!((s.reason.as_deref(), s.message.as_deref()), (None, None));
    assert_eq!(
        s.image.as_deref(),
        Some("quay.io/rhdevelopers/knative-tutorial-greeter:quarkus")
    );
    assert_eq!(s.container_concurrency, Some(0));
    assert_eq!((s.min_scale, s.max_scale), (None, None));
    assert_eq!(
        (s.cpu_request.as_deref(), s.memory_limit.as_deref()),
        (None, None)
    );
    assert_eq!((s.actual_replicas, s.desired_replicas), (None, None));
    let types: Vec<&str> = s.conditions.iter().map(|c| c.type_.as_str()).collect();
    assert_eq!(
        types,
        ["Active", "ContainerHealthy", "Ready", "ResourcesAvailable"]
    );
    assert_eq!(
        s.condition("Active").and_then(|c| c.reason.as_deref()),
        Some("NoTraffic")
    );
}

#[test]
fn a_recorded_failed_revision_keeps_the_ready_reason_and_message() {
    let revs: Vec<Revision> = fixture_items("singleServiceFailedRevisionRevisionList.json");
    let s = RevisionSummary::from_revision(&revs[0]);
    assert_eq!(s.ready, ConditionStatus::False);
    assert_eq!(s.reason.as_deref(), Some("ContainerMissing"));
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.starts_with("Unable to fetch image \"quay.io/rhdevelopers\"")),
        "{:?}",
        s.message
    );
    assert_eq!(
        s.condition("ResourcesAvailable").map(|c| c.status),
        Some(ConditionStatus::Unknown)
    );
}

#[test]
fn scale_bounds_resources_and_replicas() {
    let rev = revision(json!({
        "metadata": {
            "namespace": "shop", "name": "cart-00004",
            "labels": {
                "serving.knative.dev/service": "cart",
                "serving.knative.dev/configurationGeneration": "4"
            },
            "annotations": {
                "autoscaling.knative.dev/min-scale": "1",
                "autoscaling.knative.dev/maxScale": "10"
            }
        },
        "spec": {
            "containerConcurrency": 50,
            "containers": [{
                "image": "ghcr.io/acme/cart:4",
                "resources": {
                    "requests": {"cpu": "100m", "memory": "128Mi"},
                    "limits": {"cpu": 1, "memory": "256Mi"}
                }
            }]
        },
        "status": {
            "actualReplicas": 2, "desiredReplicas": 3,
            "conditions": [{"type": "Ready", "status": "Unknown", "reason": "Deploying"}]
        }
    }));
    let s = RevisionSummary::from_revision(&rev);
    assert_eq!(s.configuration_generation, Some(4));
    assert_eq!(s.container_concurrency, Some(50));
    assert_eq!(
        (s.min_scale, s.max_scale),
        (Some(1), Some(10)),
        "legacy maxScale too"
    );
    assert_eq!(s.cpu_request.as_deref(), Some("100m"));
    assert_eq!(s.cpu_limit.as_deref(), Some("1"), "a number quantity");
    assert_eq!(s.memory_request.as_deref(), Some("128Mi"));
    assert_eq!(s.memory_limit.as_deref(), Some("256Mi"));
    assert_eq!((s.actual_replicas, s.desired_replicas), (Some(2), Some(3)));
    assert_eq!(s.ready, ConditionStatus::Unknown);
    assert_eq!(s.reason.as_deref(), Some("Deploying"));
}

#[test]
fn the_current_annotation_wins_over_the_legacy_one_and_junk_is_ignored() {
    let rev = revision(json!({
        "metadata": {"annotations": {
            "autoscaling.knative.dev/min-scale": "2",
            "autoscaling.knative.dev/minScale": "5",
            "autoscaling.knative.dev/max-scale": "lots"
        }}
    }));
    let s = RevisionSummary::from_revision(&rev);
    assert_eq!((s.min_scale, s.max_scale), (Some(2), None));
    assert_eq!(s.ready, ConditionStatus::Unknown, "no status yet");
    assert!(s.conditions.is_empty());
    assert_eq!(s.function, None);
}

#[test]
fn typed_resources_keep_the_round_trip() {
    let value = json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Revision",
        "metadata": {"name": "x"},
        "spec": {"containerConcurrency": 0, "timeoutSeconds": 300, "containers": [{
            "image": "i", "resources": {"limits": {"cpu": 1}, "claims": [{"name": "gpu"}]}
        }]},
        "status": {"actualReplicas": 0, "imageDigest": "sha256:abc"}
    });
    let rev = revision(value.clone());
    assert_eq!(serde_json::to_value(&rev).expect("serializes"), value);
}
