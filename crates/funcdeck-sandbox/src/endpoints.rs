//! Whether a Service has somewhere to send traffic: the endpoints controller's view, computed on
//! demand. A Service's endpoints are the Ready, not terminating pods in its namespace whose labels
//! carry every key of `spec.selector` (a Service without a selector has none here: nobody
//! writes manual Endpoints in the sandbox). The service proxy and the admission webhooks use it,
//! so a backend or a webhook answers exactly while a ready workload stands behind its Service.

use std::sync::Arc;

use serde_json::Value;

use crate::obj;
use crate::resources::Res;
use crate::store::Txn;

pub enum Endpoints {
    NoService,
    /// The Service exists but no ready pod matches its selector.
    None(Arc<Value>),
    Ready(Arc<Value>),
}

/// Whether `pod` is selected by the Service selector `selector` (a `matchLabels`-style map).
pub fn selects(selector: &serde_json::Map<String, Value>, pod: &Value) -> bool {
    !selector.is_empty()
        && selector
            .iter()
            .all(|(k, v)| v.as_str().is_some_and(|v| obj::label(pod, k) == Some(v)))
}

fn ready(pod: &Value) -> bool {
    obj::at(pod, &["metadata", "deletionTimestamp"]).is_none()
        && obj::condition_status(pod, "Ready") == Some("True")
}

pub fn of(t: &Txn<'_>, ns: &str, service: &str) -> Endpoints {
    let Some(svc) = t.get(Res::Service, ns, service) else {
        return Endpoints::NoService;
    };
    let Some(selector) = obj::at(&svc, &["spec", "selector"]).and_then(Value::as_object) else {
        return Endpoints::None(svc);
    };
    let any = t
        .list(Res::Pod, Some(ns))
        .iter()
        .any(|p| ready(p) && selects(selector, p));
    if any {
        Endpoints::Ready(svc)
    } else {
        Endpoints::None(svc)
    }
}

/// The Service's cluster IP, or a stable made-up one when it has none (the sandbox does not
/// allocate them): what a caller inside the cluster would dial.
pub fn cluster_ip(svc: &Value) -> String {
    match obj::str_at(svc, &["spec", "clusterIP"]) {
        Some(ip) if !ip.is_empty() && ip != "None" => ip.to_string(),
        _ => {
            let h = crate::rng::fnv64(&format!("{}/{}", obj::namespace(svc), obj::name(svc)));
            format!("10.96.{}.{}", (h >> 8) % 256, h % 254 + 1)
        }
    }
}
