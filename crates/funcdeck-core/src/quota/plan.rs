//! `quota set`: from what the namespace's quotas say now and the values given, the quota
//! `funcdeck` to apply, before → after in words, and a warning for each value below what is
//! already in use (the server accepts it, then refuses every new pod or function).

use k8s_openapi::api::core::v1::ResourceQuota;
use serde_json::{Map, Value, json};

use super::{QUOTA_NAME, TRACKED};
use crate::function::Quantity;

/// The values given on the command line; `None` leaves that resource as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaChange {
    /// `requests.cpu`
    pub cpu: Option<String>,
    /// `requests.memory`
    pub memory: Option<String>,
    /// `requests.nvidia.com/gpu`
    pub gpu: Option<u64>,
    pub pods: Option<u64>,
    /// `count/services.serving.knative.dev`
    pub functions: Option<u64>,
}

impl QuotaChange {
    /// (quota key, value) for each value given.
    fn entries(&self) -> Vec<(&'static str, String)> {
        let number = |n: &Option<u64>| n.map(|n| n.to_string());
        [
            ("requests.cpu", self.cpu.clone()),
            ("requests.memory", self.memory.clone()),
            ("requests.nvidia.com/gpu", number(&self.gpu)),
            ("pods", number(&self.pods)),
            (
                "count/services.serving.knative.dev",
                number(&self.functions),
            ),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect()
    }
}

/// What `quota set` will write.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaPlan {
    /// `cpu requests (requests.cpu): 8 → 2 (used 3)`, one per value given.
    pub lines: Vec<String>,
    /// One per value below current usage.
    pub warnings: Vec<String>,
    /// The server-side apply body: the whole `spec.hard` of the quota `funcdeck`.
    pub body: Value,
}

/// Plans the change; `Err` says why there is nothing sensible to write.
pub fn plan_set(
    namespace: &str,
    quotas: &[ResourceQuota],
    change: &QuotaChange,
) -> Result<QuotaPlan, String> {
    let entries = change.entries();
    if entries.is_empty() {
        return Err(
            "nothing to set: pass at least one of --cpu, --memory, --gpu, --pods, --functions"
                .into(),
        );
    }
    let ours = quotas
        .iter()
        .find(|q| q.metadata.name.as_deref() == Some(QUOTA_NAME));
    // Applying replaces what this manager owns: keep the values already in our quota.
    let mut hard: Map<String, Value> = ours
        .and_then(|q| q.spec.as_ref()?.hard.as_ref())
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), json!(v.0)))
        .collect();
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    for (key, value) in entries {
        let new = Quantity::parse(&value).map_err(|e| format!("{key}: {e}"))?;
        let label = TRACKED
            .iter()
            .find(|(_, k, _)| *k == key)
            .map_or(key, |(label, _, _)| label);
        let before = hard
            .get(key)
            .and_then(Value::as_str)
            .map_or_else(|| "none".to_owned(), str::to_owned);
        let used = used_of(quotas, key);
        let used_text = used
            .as_ref()
            .map_or_else(String::new, |(text, _)| format!(" (used {text})"));
        lines.push(format!("{label} ({key}): {before} → {value}{used_text}"));
        if let Some((text, used)) = used
            && new < used
        {
            warnings.push(format!(
                "{label}: {value} is below the {text} already in use in {namespace}; \
                 new pods and functions are refused until usage falls"
            ));
        }
        hard.insert(key.to_owned(), json!(value));
    }
    let body = json!({
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": QUOTA_NAME, "namespace": namespace},
        "spec": {"hard": hard},
    });
    Ok(QuotaPlan {
        lines,
        warnings,
        body,
    })
}

/// The largest usage any quota reports for `key` (or its older alias): all quotas of a
/// namespace count the same objects, but one may not have been counted yet.
fn used_of(quotas: &[ResourceQuota], key: &str) -> Option<(String, Quantity)> {
    let alias = TRACKED
        .iter()
        .find(|(_, k, _)| *k == key)
        .and_then(|(_, _, alias)| *alias);
    quotas
        .iter()
        .filter_map(|q| q.status.as_ref()?.used.as_ref())
        .flat_map(|used| {
            [Some(key), alias]
                .into_iter()
                .flatten()
                .filter_map(|k| used.get(k))
        })
        .filter_map(|q| Some((q.0.clone(), Quantity::parse(&q.0).ok()?)))
        .max_by_key(|(_, q)| *q)
}
