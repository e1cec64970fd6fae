//! The autoscaler's decisions: load to pods, bounds, the idle window.

use super::*;
use serde_json::json;

#[test]
fn scales_with_load_then_to_zero_after_idle() {
    let cfg = PlaneConfig {
        idle_window: Duration::from_secs(5),
        ..PlaneConfig::default()
    };
    let loads = Loads::default();
    let mut p = Plane::new(cfg, loads.clone());
    let route = json!({"metadata": {"name": "hello"}, "status": {"traffic": [{"revisionName": "hello-00001", "percent": 100}]}});
    p.note_route("ns", &route, false);
    let rev = json!({"metadata": {"name": "hello-00001", "annotations": {MAX_SCALE: "3"}}});
    let t0 = Instant::now();
    assert_eq!(p.replicas("ns", &rev, true, t0), 1);
    loads.set_override("ns", "hello", Some(400.0));
    assert_eq!(p.tick(t0).len(), 1);
    assert_eq!(p.scale[&("ns".into(), "hello-00001".into())].desired, 3);
    assert_eq!(loads.of("ns", "hello-00001"), 400.0);
    loads.set_override("ns", "hello", Some(0.0));
    p.tick(t0 + Duration::from_secs(1));
    assert_eq!(p.scale[&("ns".into(), "hello-00001".into())].desired, 3);
    assert_eq!(loads.of("ns", "hello-00001"), 0.0);
    p.tick(t0 + Duration::from_secs(10));
    assert_eq!(p.scale[&("ns".into(), "hello-00001".into())].desired, 0);
    assert!(p.warm.is_empty());
}

#[test]
fn a_cluster_local_route_gets_no_external_load_and_scales_to_zero() {
    let cfg = PlaneConfig {
        idle_window: Duration::from_secs(5),
        ..PlaneConfig::default()
    };
    let loads = Loads::default();
    let mut p = Plane::new(cfg, loads.clone());
    let mut route = json!({"metadata": {"name": "hello"}, "status": {"traffic": [{"revisionName": "hello-00001", "percent": 100}]}});
    p.note_route("ns", &route, false);
    let rev = json!({"metadata": {"name": "hello-00001", "annotations": {MAX_SCALE: "3"}}});
    let t0 = Instant::now();
    p.replicas("ns", &rev, true, t0);
    loads.set_override("ns", "hello", Some(400.0));
    p.tick(t0);
    assert_eq!(p.scale[&("ns".into(), "hello-00001".into())].desired, 3);
    route["metadata"]["labels"] = json!({VISIBILITY: CLUSTER_LOCAL});
    p.note_route("ns", &route, false);
    p.tick(t0 + Duration::from_secs(1));
    assert_eq!(loads.of("ns", "hello-00001"), 0.0, "no external load");
    assert_eq!(p.rate_of("ns", &rev), 0.0);
    p.tick(t0 + Duration::from_secs(10));
    assert_eq!(p.scale[&("ns".into(), "hello-00001".into())].desired, 0);
    // Visible again: the load comes back.
    route["metadata"]["labels"] = json!({});
    p.note_route("ns", &route, false);
    p.tick(t0 + Duration::from_secs(11));
    assert_eq!(loads.of("ns", "hello-00001"), 400.0);
}
