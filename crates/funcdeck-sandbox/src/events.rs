//! `v1` Event objects, as controllers and the kubelet record them, so `kubectl get events` and a
//! console's event pane have something true to say about what the simulation did.
//! Events are not garbage-collected (the real ones expire after an hour); a demo session is short.
//! Repeats coalesce like client-go's event correlator: the same object, reason, message and
//! source bump `count` and `lastTimestamp` of one Event instead of creating another.

use serde_json::{Value, json};

use crate::knative::Controller;
use crate::obj;
use crate::resources::Res;
use crate::rng::fnv64;

pub fn record(
    ctl: &Controller,
    involved: &Value,
    etype: &str,
    reason: &str,
    message: &str,
    component: &str,
) {
    let ns = obj::namespace(involved);
    if ns.is_empty() {
        return;
    }
    // The apiserver keeps events for an hour (--event-ttl); seeded history older than that
    // would long have expired, and skipping it keeps large seeds fast.
    if ctl.store.now() < chrono::Utc::now() - chrono::Duration::hours(1) {
        return;
    }
    let now = ctl.now_str();
    let salt = format!("{}/{reason}/{message}/{component}", obj::uid(involved));
    let name = format!("{}.{:016x}", obj::name(involved), fnv64(&salt));
    if let Some(existing) = ctl.store.get(Res::Event, ns, &name) {
        let mut e = (*existing).clone();
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(1);
        e["count"] = json!(count + 1);
        e["lastTimestamp"] = json!(now);
        ctl.update(Res::Event, e);
        return;
    }
    let event = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {
            "apiVersion": involved.get("apiVersion").cloned().unwrap_or(Value::Null),
            "kind": involved.get("kind").cloned().unwrap_or(Value::Null),
            "name": obj::name(involved),
            "namespace": ns,
            "uid": obj::uid(involved),
            "resourceVersion": obj::resource_version(involved).unwrap_or(""),
        },
        "reason": reason,
        "message": message,
        "type": etype,
        "count": 1,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "eventTime": null,
        "source": {"component": component},
        "reportingComponent": component,
        "reportingInstance": "",
    });
    ctl.create(Res::Event, ns, event);
}
