//! Run-time switching through `kube-system/funcdeck-sandbox-scenarios`: each key present sets
//! that scenario from its value; a key that was there and is gone (or the ConfigMap deleted)
//! ends it. Keys never written leave start-time scenarios alone. Bad values are logged, not
//! fatal: a typo in a demo must not take the cluster down.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Active, Scenario};

pub const CONFIGMAP: &str = "funcdeck-sandbox-scenarios";
pub const CONFIGMAP_NAMESPACE: &str = "kube-system";
pub const KEYS: &[&str] = &[
    "crashloop",
    "unpullable",
    "slow-api",
    "drop-watches",
    "apiserver-restart",
    "slow-jaeger",
    "slow-elasticsearch",
    "unpullable-workload",
    "pending-pvc",
    "webhook-not-ready",
];

/// The keys whose value is a list of `NAMESPACE/NAME` targets.
const TARGET_LISTS: &[&str] = &[
    "crashloop",
    "unpullable",
    "unpullable-workload",
    "pending-pvc",
    "webhook-not-ready",
];

fn clear(a: &mut Active, key: &str) {
    match key {
        "crashloop" => a.crashloop.clear(),
        "unpullable" => a.unpullable.clear(),
        "slow-api" => a.slow_api = None,
        "drop-watches" => a.drop_watches = None,
        "apiserver-restart" => a.apiserver_restart = None,
        "slow-jaeger" => a.slow_jaeger = None,
        "slow-elasticsearch" => a.slow_elasticsearch = None,
        "unpullable-workload" => a.unpullable_workloads.clear(),
        "pending-pvc" => a.pending_pvc.clear(),
        "webhook-not-ready" => a.webhook_not_ready.clear(),
        _ => {}
    }
}

/// Applies the ConfigMap's `data` (None = deleted); `seen` holds the keys it set before and is
/// updated. Target lists may hold several `ns/svc` separated by commas, spaces or newlines.
pub fn apply(a: &mut Active, data: Option<&Value>, seen: &mut BTreeSet<String>) {
    let now: BTreeSet<String> = KEYS
        .iter()
        .filter(|k| data.and_then(|d| d.get(**k)).is_some())
        .map(|k| k.to_string())
        .collect();
    for gone in seen.difference(&now) {
        clear(a, gone);
    }
    for key in &now {
        let value = data
            .and_then(|d| d.get(key.as_str()))
            .and_then(Value::as_str)
            .unwrap_or("");
        clear(a, key);
        let parts: Vec<&str> = if TARGET_LISTS.contains(&key.as_str()) {
            value
                .split([',', ' ', '\n'])
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            vec![value]
        };
        for part in parts {
            match Scenario::parse_kv(key, part) {
                Ok(s) => a.apply(&s),
                Err(e) => tracing::warn!(key = %key, error = %e, "bad scenario in ConfigMap"),
            }
        }
    }
    *seen = now;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    #[test]
    fn keys_set_and_deleted_keys_end() {
        let mut a = Active {
            drop_watches: Some(Duration::from_secs(5)),
            ..Active::default()
        };
        let mut seen = BTreeSet::new();
        apply(
            &mut a,
            Some(&json!({"crashloop": "shop/a, shop/b", "slow-api": "200ms"})),
            &mut seen,
        );
        assert_eq!(a.crashloop.len(), 2);
        assert_eq!(a.slow_api, Some(Duration::from_millis(200)));
        apply(&mut a, Some(&json!({"crashloop": "shop/a"})), &mut seen);
        assert_eq!(a.crashloop.len(), 1);
        assert_eq!(a.slow_api, None);
        // A start-time scenario whose key was never in the ConfigMap stays.
        assert_eq!(a.drop_watches, Some(Duration::from_secs(5)));
        apply(&mut a, None, &mut seen);
        assert!(a.crashloop.is_empty());
    }
}
