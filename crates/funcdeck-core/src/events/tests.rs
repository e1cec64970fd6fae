use k8s_openapi::api::core::v1::Event;
use serde_json::{Value, json};

use super::{EventSummary, relates_to_function};

fn event(value: Value) -> EventSummary {
    let e: Event = serde_json::from_value(value).expect("event");
    EventSummary::from_event(&e)
}

/// As client-go's recorder writes a `core/v1` event (the kubelet, the deployment controller).
fn legacy(kind: &str, name: &str, reason: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"namespace": "shop", "name": format!("{name}.17f3a"),
                     "creationTimestamp": "2025-01-02T03:00:00Z"},
        "involvedObject": {"kind": kind, "name": name, "namespace": "shop", "apiVersion": "v1"},
        "reason": reason, "message": "m", "type": "Normal",
        "count": 4,
        "firstTimestamp": "2025-01-02T03:00:00Z", "lastTimestamp": "2025-01-02T03:05:00Z",
        "source": {"component": "kubelet", "host": "node-1"}
    })
}

#[test]
fn a_legacy_event_with_count_and_timestamps() {
    let mut v = legacy("Pod", "cart-00002-deployment-5d8f-abcde", "BackOff");
    v["type"] = json!("Warning");
    v["message"] = json!("Back-off restarting failed container user-container");
    let s = event(v);
    assert_eq!(
        s.key.to_string(),
        "shop/cart-00002-deployment-5d8f-abcde.17f3a"
    );
    assert_eq!(s.type_.as_deref(), Some("Warning"));
    assert!(s.is_warning());
    assert_eq!(s.reason.as_deref(), Some("BackOff"));
    assert_eq!(s.object, "Pod/cart-00002-deployment-5d8f-abcde");
    assert_eq!(
        (s.involved_kind.as_str(), s.involved_namespace.as_deref()),
        ("Pod", Some("shop"))
    );
    assert_eq!(s.count, 4);
    assert_eq!(
        s.first_seen.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:00:00+00:00".into())
    );
    assert_eq!(
        s.last_seen.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:05:00+00:00".into())
    );
    assert_eq!(s.source.as_deref(), Some("kubelet"));
}

#[test]
fn a_series_event_uses_the_series_count_and_last_observed_time() {
    // As the events.k8s.io/v1 recorder writes it, read through core/v1.
    let s = event(json!({
        "metadata": {"namespace": "shop", "name": "e", "creationTimestamp": "2025-01-02T03:00:00Z"},
        "involvedObject": {"kind": "ReplicaSet", "name": "cart-00002-deployment-5d8f"},
        "reason": "FailedCreate", "type": "Warning",
        "eventTime": "2025-01-02T03:00:01.123456Z",
        "series": {"count": 9, "lastObservedTime": "2025-01-02T03:09:00.000000Z"},
        "count": 2,
        "reportingComponent": "replicaset-controller"
    }));
    assert_eq!(s.count, 9);
    assert_eq!(
        s.first_seen.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:00:01.123456+00:00".into())
    );
    assert_eq!(
        s.last_seen.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:09:00+00:00".into())
    );
    assert_eq!(s.source.as_deref(), Some("replicaset-controller"));
    assert_eq!(s.message, None);
}

#[test]
fn last_seen_falls_back_to_event_time_then_creation() {
    let s = event(json!({
        "metadata": {"name": "e", "creationTimestamp": "2025-01-02T03:00:00Z"},
        "involvedObject": {"kind": "Pod", "name": "p"},
        "eventTime": "2025-01-02T03:00:05.000000Z"
    }));
    assert_eq!(
        s.last_seen.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:00:05+00:00".into())
    );
    assert_eq!(s.count, 1, "no count is once");
    let s = event(json!({
        "metadata": {"name": "e", "creationTimestamp": "2025-01-02T03:00:00Z"},
        "involvedObject": {"kind": "Pod", "name": "p"}, "count": 0
    }));
    assert_eq!(
        s.last_seen.map(|t| t.to_rfc3339()),
        Some("2025-01-02T03:00:00+00:00".into())
    );
    assert_eq!(s.count, 1);
}

#[test]
fn events_of_the_function_its_revisions_and_their_workloads_relate() {
    let revs = ["cart-00001", "cart-00002"];
    let relates = |kind: &str, name: &str| {
        relates_to_function(&event(legacy(kind, name, "R")), "cart", &revs)
    };
    for (kind, name) in [
        ("Service", "cart"),
        ("Configuration", "cart"),
        ("Route", "cart"),
        ("Revision", "cart-00002"),
        ("Deployment", "cart-00001-deployment"),
        ("ReplicaSet", "cart-00002-deployment-5d8f9c"),
        ("Pod", "cart-00002-deployment-5d8f9c-abcde"),
        ("PodAutoscaler", "cart-00001"),
    ] {
        assert!(relates(kind, name), "{kind}/{name} relates");
    }
    for (kind, name) in [
        ("Service", "cart-api"),
        ("Configuration", "cartography"),
        ("Revision", "cart-00003"),
        ("Revision", "cart-api-00001"),
        ("Deployment", "cart-00001-deployment-x"),
        ("ReplicaSet", "cart-00002-deployment-"),
        ("Pod", "cart-000010-deployment-1-a"),
        ("Pod", "cart-api-00001-deployment-1-a"),
        ("Node", "cart"),
        ("Pod", ""),
    ] {
        assert!(!relates(kind, name), "{kind}/{name} does not relate");
    }
}
