//! What an object counts against a ResourceQuota (the quota evaluators): `count/<resource>` for
//! everything, and for pods that are not terminal `pods` plus the summed container requests and
//! limits (`requests.cpu`, `limits.memory`, `requests.nvidia.com/gpu`, …).

use std::collections::BTreeMap;

use serde_json::Value;

use super::quantity::Quantity;
use crate::resources::Res;
use crate::store::Txn;

pub type Usage = BTreeMap<String, Quantity>;

/// `count/services.serving.knative.dev`, `count/pods`.
pub fn count_name(res: Res) -> String {
    format!("count/{}", res.def().qualified())
}

fn add(u: &mut Usage, k: &str, q: Quantity) {
    let cur = u.get(k).copied().unwrap_or(Quantity::ZERO);
    u.insert(k.to_string(), cur.add(q));
}

fn terminal(pod: &Value) -> bool {
    matches!(
        crate::obj::str_at(pod, &["status", "phase"]),
        Some("Succeeded" | "Failed")
    )
}

/// The quota usage of one object.
pub fn of_object(res: Res, o: &Value) -> Usage {
    let mut u = Usage::new();
    u.insert(count_name(res), Quantity::count(1));
    match res {
        Res::ConfigMap => {
            u.insert("configmaps".into(), Quantity::count(1));
        }
        Res::ResourceQuota => {
            u.insert("resourcequotas".into(), Quantity::count(1));
        }
        Res::Pod if !terminal(o) => {
            u.insert("pods".into(), Quantity::count(1));
            let containers = crate::obj::at(o, &["spec", "containers"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            for c in containers {
                for which in ["requests", "limits"] {
                    let list = crate::obj::at(c, &["resources", which]).and_then(Value::as_object);
                    for (k, v) in list.into_iter().flatten() {
                        let Some(q) = v.as_str().and_then(Quantity::parse) else {
                            continue;
                        };
                        let standard = matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage");
                        if which == "requests" && standard {
                            add(&mut u, k, q);
                        }
                        if standard || which == "requests" {
                            add(&mut u, &format!("{which}.{k}"), q);
                        }
                    }
                }
            }
        }
        _ => {}
    }
    u
}

/// Whether objects of `res` can ever count towards `key`.
pub fn produces(res: Res, key: &str) -> bool {
    match res {
        Res::Pod => {
            key == "pods"
                || key == "cpu"
                || key == "memory"
                || key.starts_with("requests.")
                || key.starts_with("limits.")
                || key == count_name(res)
        }
        Res::ConfigMap => key == "configmaps" || key == count_name(res),
        Res::ResourceQuota => key == "resourcequotas" || key == count_name(res),
        r => key == count_name(r),
    }
}

/// Current usage in `ns` for the given quota keys, every key present (zero if unused).
pub fn in_namespace<'k>(t: &Txn<'_>, ns: &str, keys: impl Iterator<Item = &'k String>) -> Usage {
    let keys: Vec<&String> = keys.collect();
    let mut u: Usage = keys
        .iter()
        .map(|k| ((*k).clone(), Quantity::ZERO))
        .collect();
    for res in Res::all().filter(|r| r.def().namespaced && !r.is_review()) {
        if !keys.iter().any(|k| produces(res, k)) {
            continue;
        }
        for o in t.list(res, Some(ns)) {
            for (k, q) in of_object(res, &o) {
                if let Some(cur) = u.get_mut(&k) {
                    *cur = cur.add(q);
                }
            }
        }
    }
    u
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pod_usage_sums_containers() {
        let pod = json!({"spec": {"containers": [
            {"resources": {"requests": {"cpu": "100m", "memory": "128Mi", "nvidia.com/gpu": "1"}, "limits": {"cpu": "1", "nvidia.com/gpu": "1"}}},
            {"resources": {"requests": {"cpu": "25m"}}}]}});
        let u = of_object(Res::Pod, &pod);
        let c = |k: &str| u.get(k).map(|q| q.canonical());
        assert_eq!(c("pods").as_deref(), Some("1"));
        assert_eq!(c("requests.cpu").as_deref(), Some("125m"));
        assert_eq!(c("cpu").as_deref(), Some("125m"));
        assert_eq!(c("limits.cpu").as_deref(), Some("1"));
        assert_eq!(c("requests.memory").as_deref(), Some("128Mi"));
        assert_eq!(c("requests.nvidia.com/gpu").as_deref(), Some("1"));
        assert_eq!(c("limits.nvidia.com/gpu"), None);
        let done = json!({"status": {"phase": "Succeeded"}});
        assert_eq!(of_object(Res::Pod, &done).len(), 1, "only count/pods");
        assert_eq!(
            of_object(Res::KService, &json!({}))
                .keys()
                .collect::<Vec<_>>(),
            vec!["count/services.serving.knative.dev"]
        );
        assert!(produces(
            Res::KService,
            "count/services.serving.knative.dev"
        ));
        assert!(!produces(
            Res::KRevision,
            "count/services.serving.knative.dev"
        ));
    }
}
