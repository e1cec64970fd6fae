//! Quota and limit range admission on a bare store.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;

fn store() -> Store {
    let s = Store::new(1, 100);
    let mut t = s.txn();
    t.put(
        Res::ResourceQuota,
        json!({"metadata": {"namespace": "ml", "name": "gpu"},
            "spec": {"hard": {"count/services.serving.knative.dev": "2", "requests.nvidia.com/gpu": "2", "limits.cpu": "4"}}}),
    );
    for n in ["a", "b"] {
        t.put(
            Res::KService,
            json!({"metadata": {"namespace": "ml", "name": n}}),
        );
    }
    drop(t);
    s
}

#[test]
fn count_quota_message_is_upstreams() {
    let s = store();
    let t = s.txn();
    let mut ksvc = json!({"metadata": {"namespace": "ml", "name": "c"}});
    let e = admit_create(&t, Res::KService, "ml", &mut ksvc)
        .err()
        .map(|e| (e.code, e.message));
    assert_eq!(
        e,
        Some((403, "services.serving.knative.dev \"c\" is forbidden: exceeded quota: gpu, requested: count/services.serving.knative.dev=1, used: count/services.serving.knative.dev=2, limited: count/services.serving.knative.dev=2".into()))
    );
    let mut other_ns = json!({"metadata": {"namespace": "shop", "name": "c"}});
    assert!(admit_create(&t, Res::KService, "shop", &mut other_ns).is_ok());
}

#[test]
fn pods_must_state_tracked_limits_and_fit() {
    let s = store();
    let t = s.txn();
    let pod = |gpu: &str, cpu: Option<&str>| {
        let mut limits = json!({});
        if let Some(c) = cpu {
            limits["cpu"] = json!(c);
        }
        json!({"metadata": {"namespace": "ml", "name": "p"}, "spec": {"containers": [{"name": "user-container",
            "resources": {"requests": {"nvidia.com/gpu": gpu, "cpu": "100m"}, "limits": limits}}]}})
    };
    let err = |mut p: Value| {
        admit_create(&t, Res::Pod, "ml", &mut p)
            .err()
            .map(|e| e.message)
    };
    assert_eq!(
        err(pod("1", None)),
        Some("pods \"p\" is forbidden: failed quota: gpu: must specify limits.cpu for: user-container".into())
    );
    assert_eq!(err(pod("2", Some("1"))), None);
    assert_eq!(
        err(pod("3", Some("1"))),
        Some("pods \"p\" is forbidden: exceeded quota: gpu, requested: requests.nvidia.com/gpu=3, used: requests.nvidia.com/gpu=0, limited: requests.nvidia.com/gpu=2".into())
    );
}

#[test]
fn limit_ranges_default_then_validate() {
    let s = Store::new(1, 10);
    s.txn().put(
        Res::LimitRange,
        json!({"metadata": {"namespace": "ml", "name": "lr"}, "spec": {"limits": [{"type": "Container",
            "max": {"cpu": "2"}, "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "100m"}}]}}),
    );
    let t = s.txn();
    let mut ok = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}});
    assert!(admit_create(&t, Res::Pod, "ml", &mut ok).is_ok());
    assert_eq!(
        ok["spec"]["containers"][0]["resources"],
        json!({"limits": {"cpu": "500m"}, "requests": {"cpu": "100m"}})
    );
    let mut big = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "4"}}}]}});
    assert_eq!(
        admit_create(&t, Res::Pod, "ml", &mut big)
            .err()
            .map(|e| e.message),
        Some(
            "pods \"p\" is forbidden: maximum cpu usage per Container is 2, but limit is 4".into()
        )
    );
}

#[test]
fn quota_status_is_computed_on_create() {
    let s = store();
    let t = s.txn();
    let mut q = json!({"metadata": {"namespace": "ml", "name": "q2"}, "spec": {"hard": {"count/services.serving.knative.dev": "10", "requests.memory": "1Gi"}}});
    assert!(admit_create(&t, Res::ResourceQuota, "ml", &mut q).is_ok());
    assert_eq!(
        q["status"],
        json!({"hard": {"count/services.serving.knative.dev": "10", "requests.memory": "1Gi"},
            "used": {"count/services.serving.knative.dev": "2", "requests.memory": "0"}})
    );
}
