//! A namespace's ResourceQuotas and LimitRanges as funcdeck shows and sets them: the usage of
//! the resources a function platform cares about (cpu, memory, GPUs, pods, functions), with
//! quantities compared exactly, and the plan of a `quota set` before it is written.

mod estimate;
mod line;
mod plan;

use std::collections::BTreeMap;

pub use k8s_openapi::api::core::v1::{LimitRange, ResourceQuota};
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams};
use serde::Serialize;

use crate::cluster::Connection;
use crate::error::CoreError;
use crate::function::Quantity;

pub use estimate::{Demand, Shortfall, shortfalls, unspecified};
pub use line::{WORDS, current_line, parse_count, parse_quantity};
pub use plan::{QuotaChange, QuotaPlan, plan_set};

/// The quota funcdeck writes (`quota set`), one per namespace.
pub const QUOTA_NAME: &str = "funcdeck";
const FIELD_MANAGER: &str = "funcdeck";

/// The resources shown, in order: (what the table calls it, the quota key, the older key the
/// server treats as the same).
pub const TRACKED: [(&str, &str, Option<&str>); 7] = [
    ("cpu requests", "requests.cpu", Some("cpu")),
    ("cpu limits", "limits.cpu", None),
    ("memory requests", "requests.memory", Some("memory")),
    ("memory limits", "limits.memory", None),
    ("gpus", "requests.nvidia.com/gpu", None),
    ("pods", "pods", None),
    ("functions", "count/services.serving.knative.dev", None),
];

/// One tracked resource of one quota: used of hard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageRow {
    pub quota: String,
    pub resource: String,
    pub key: String,
    /// As the server wrote it (`status.used`); `None` before the quota controller has counted.
    pub used: Option<String>,
    pub hard: String,
    /// Whole percent of hard used; `None` when used is not known or not a quantity.
    pub percent: Option<u64>,
}

/// The tracked resources each quota limits, in `TRACKED` order, quotas by name.
pub fn usage_rows(quotas: &[ResourceQuota]) -> Vec<UsageRow> {
    let mut rows = Vec::new();
    for quota in quotas {
        let name = quota.metadata.name.clone().unwrap_or_default();
        let hard = quota.spec.as_ref().and_then(|s| s.hard.as_ref());
        let used = quota.status.as_ref().and_then(|s| s.used.as_ref());
        for (resource, key, alias) in TRACKED {
            let Some((key, hard)) = [Some(key), alias]
                .into_iter()
                .flatten()
                .find_map(|k| Some((k, hard?.get(k)?)))
            else {
                continue;
            };
            let used = used.and_then(|u| u.get(key)).map(|q| q.0.clone());
            let percent = used.as_deref().and_then(|u| {
                Some(
                    Quantity::parse(u)
                        .ok()?
                        .percent_of(Quantity::parse(&hard.0).ok()?),
                )
            });
            rows.push(UsageRow {
                quota: name.clone(),
                resource: resource.to_owned(),
                key: key.to_owned(),
                used,
                hard: hard.0.clone(),
                percent,
            });
        }
    }
    rows
}

/// `████░░░░ 50%`: `width` cells, full at 100% (and beyond).
pub fn usage_bar(percent: u64, width: usize) -> String {
    let filled = usize::try_from(percent.min(100))
        .unwrap_or(100)
        .saturating_mul(width)
        .div_ceil(100)
        .min(width);
    // A little use still shows as no bar only at 0%.
    let filled = if percent > 0 { filled.max(1) } else { 0 };
    format!(
        "{}{} {percent}%",
        "█".repeat(filled),
        "░".repeat(width - filled)
    )
}

/// One resource of one LimitRange item (per container, per pod…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitRow {
    pub limit_range: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub resource: String,
    pub default: Option<String>,
    pub default_request: Option<String>,
    pub max: Option<String>,
}

/// The defaults and maxima each LimitRange sets, one row per type and resource.
pub fn limit_rows(ranges: &[LimitRange]) -> Vec<LimitRow> {
    let mut rows = Vec::new();
    for range in ranges {
        let name = range.metadata.name.clone().unwrap_or_default();
        for item in range.spec.iter().flat_map(|s| &s.limits) {
            let maps = [&item.default, &item.default_request, &item.max];
            let mut resources: Vec<&String> = maps
                .iter()
                .filter_map(|m| m.as_ref())
                .flat_map(BTreeMap::keys)
                .collect();
            resources.sort();
            resources.dedup();
            for resource in resources {
                let value = |m: &Option<
                    BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
                >| {
                    m.as_ref()
                        .and_then(|m| m.get(resource))
                        .map(|q| q.0.clone())
                };
                rows.push(LimitRow {
                    limit_range: name.clone(),
                    kind: item.type_.clone(),
                    resource: resource.clone(),
                    default: value(&item.default),
                    default_request: value(&item.default_request),
                    max: value(&item.max),
                });
            }
        }
    }
    rows
}

/// The namespace's quotas and limit ranges, each sorted by name.
pub async fn read_quotas(
    conn: &Connection,
    namespace: &str,
) -> Result<(Vec<ResourceQuota>, Vec<LimitRange>), CoreError> {
    let quotas: Api<ResourceQuota> = Api::namespaced(conn.client.clone(), namespace);
    let ranges: Api<LimitRange> = Api::namespaced(conn.client.clone(), namespace);
    let params = ListParams::default();
    let mut quotas = quotas.list(&params).await.map_err(|e| conn.error(e))?.items;
    let mut ranges = ranges.list(&params).await.map_err(|e| conn.error(e))?.items;
    quotas.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    ranges.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    Ok((quotas, ranges))
}

/// Writes the planned quota by server-side apply under the `funcdeck` field manager. Forced:
/// the user saw before → after and asked for these values, so a field another manager set is
/// taken over rather than refused.
pub async fn apply_quota(
    conn: &Connection,
    namespace: &str,
    body: &serde_json::Value,
) -> Result<ResourceQuota, CoreError> {
    let api: Api<ResourceQuota> = Api::namespaced(conn.client.clone(), namespace);
    let params = PatchParams::apply(FIELD_MANAGER).force();
    api.patch(QUOTA_NAME, &params, &Patch::Apply(body))
        .await
        .map_err(|e| conn.error(e))
}

#[cfg(test)]
mod tests;
