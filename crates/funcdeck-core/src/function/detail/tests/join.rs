//! Which revisions, pods and events belong to the function, and their order.

use super::*;

#[test]
fn pods_and_events_of_other_functions_stay_out_and_events_are_newest_first() {
    let mut other_pod = healthy("cart-api-00001", "z");
    other_pod.function = Some("cart-api".into());
    let pods = [
        healthy("cart-00001", "b"),
        other_pod,
        healthy("cart-00002", "a"),
        healthy("cart-00001", "a"),
    ];
    let events = [
        event(
            "Revision",
            "cart-00001",
            "Normal",
            "Ready",
            "old",
            "2025-01-02T03:00:00Z",
        ),
        event(
            "Pod",
            "cart-api-00001-deployment-1-z",
            "Normal",
            "Started",
            "x",
            "2025-01-02T05:00:00Z",
        ),
        event(
            "Service",
            FN,
            "Normal",
            "Created",
            "svc",
            "2025-01-02T04:30:00Z",
        ),
        event(
            "Deployment",
            "cart-00002-deployment",
            "Normal",
            "ScalingReplicaSet",
            "up",
            "2025-01-02T04:10:00Z",
        ),
    ];
    let d = detail(
        ready_revision("cart-00002", "2025-01-02T04:00:00Z"),
        &pods,
        &events,
    );
    let names: Vec<&str> = d.pods.iter().map(|p| p.key.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cart-00002-deployment-7f9c-a",
            "cart-00001-deployment-7f9c-a",
            "cart-00001-deployment-7f9c-b"
        ],
        "newest revision first, then by name"
    );
    let messages: Vec<&str> = d
        .events
        .iter()
        .filter_map(|e| e.message.as_deref())
        .collect();
    assert_eq!(messages, ["svc", "up", "old"]);
    assert_eq!(d.revisions[1].pods_text(), "2/2");
    assert_eq!(d.revisions[0].pods_text(), "1/1");
    assert!(d.revisions.iter().all(|r| r.why.is_none()));
}

#[test]
fn spec_traffic_following_latest_counts_for_the_latest_ready_revision() {
    let mut svc = service(Value::Null);
    if let Some(status) = svc.status.as_mut() {
        status.traffic = None;
    }
    svc.spec.traffic =
        serde_json::from_value(json!([{"latestRevision": true, "percent": 100}])).expect("traffic");
    let revs = [
        ready_revision("cart-00001", "2025-01-02T03:00:00Z"),
        failing(serde_json::from_str(NOT_READY).expect("json")),
    ];
    let d = FunctionDetail::build(&svc, &revs, &[], &[]);
    assert_eq!(d.traffic[0].revision, None);
    let percents: Vec<u32> = d.revisions.iter().map(|r| r.traffic_percent).collect();
    assert_eq!(percents, [0, 100]);
}
