//! Whether a function change fits the namespace's quotas, checked before the server is asked,
//! so the function form can warn while the user types. It is an estimate and a lower bound:
//! the new revision's first pods times the container's requests and limits (the limit range's
//! defaults where the form leaves one out), plus one function for a create. Knative's
//! queue-proxy sidecar adds its own requests to every pod, so the real need is higher; the
//! server still decides.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{LimitRange, LimitRangeItem, ResourceQuota};

use super::TRACKED;
use crate::function::Quantity;
use crate::function::spec::GPU;

type Quantities = BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>;

/// What a function change will take from the quotas, at least.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demand {
    /// Functions added: 1 for a create, 0 for an update.
    pub functions: u64,
    /// Pods the new revision starts with.
    pub pods: u64,
    /// One pod's requests and limits by resource name (`cpu`, `memory`, `nvidia.com/gpu`).
    pub requests: BTreeMap<String, Quantity>,
    pub limits: BTreeMap<String, Quantity>,
}

impl Demand {
    /// From the form's values: `min_scale`/`initial_scale` as typed, the container's requests
    /// and limits, and the namespace's limit ranges (their container defaults fill gaps).
    /// A new revision starts with max(min-scale, initial-scale, 1) pods.
    pub fn new(
        create: bool,
        min_scale: Option<u32>,
        initial_scale: Option<u32>,
        requests: &[(String, Option<String>)],
        limits: &[(String, Option<String>)],
        ranges: &[LimitRange],
    ) -> Demand {
        let pods = u64::from(
            min_scale
                .unwrap_or(0)
                .max(initial_scale.unwrap_or(0))
                .max(1),
        );
        let given = |pairs: &[(String, Option<String>)]| -> BTreeMap<String, Quantity> {
            pairs
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), Quantity::parse(v.as_deref()?).ok()?)))
                .collect()
        };
        let (requests, limits) = (given(requests), given(limits));
        let default = |pick: fn(&LimitRangeItem) -> Option<&Quantities>,
                       resource: &str|
         -> Option<Quantity> {
            ranges
                .iter()
                .flat_map(|r| r.spec.iter().flat_map(|s| &s.limits))
                .filter(|item| item.type_ == "Container")
                .find_map(|item| Quantity::parse(&pick(item)?.get(resource)?.0).ok())
        };
        let mut demand = Demand {
            functions: u64::from(create),
            pods,
            ..Demand::default()
        };
        for resource in ["cpu", "memory", GPU] {
            // As the API server fills them in: a missing limit takes the range's default; a
            // missing request takes the limit, else the range's default request.
            let limit = limits
                .get(resource)
                .copied()
                .or_else(|| default(|i| i.default.as_ref(), resource));
            let request = requests
                .get(resource)
                .copied()
                .or_else(|| limits.get(resource).copied())
                .or_else(|| default(|i| i.default_request.as_ref(), resource))
                .or(limit);
            if let Some(limit) = limit {
                demand.limits.insert(resource.to_owned(), limit);
            }
            if let Some(request) = request {
                demand.requests.insert(resource.to_owned(), request);
            }
        }
        demand
    }

    /// What the change needs of a quota key, in total.
    fn need(&self, key: &str) -> Option<Quantity> {
        let per_pod = |map: &BTreeMap<String, Quantity>, resource: &str| {
            map.get(resource).map(|q| q.times(self.pods))
        };
        match key {
            "requests.cpu" | "cpu" => per_pod(&self.requests, "cpu"),
            "requests.memory" | "memory" => per_pod(&self.requests, "memory"),
            "limits.cpu" => per_pod(&self.limits, "cpu"),
            "limits.memory" => per_pod(&self.limits, "memory"),
            "requests.nvidia.com/gpu" => per_pod(&self.requests, GPU),
            "pods" => Some(Quantity::whole(self.pods)),
            "count/services.serving.knative.dev" => Some(Quantity::whole(self.functions)),
            _ => None,
        }
    }
}

/// One quota the change would not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// `cpu requests`, as the quota table calls it.
    pub resource: &'static str,
    pub key: String,
    pub quota: String,
    /// At least this much is needed…
    pub need: String,
    /// …and only this much is left (hard less used)…
    pub left: String,
    /// …of this.
    pub hard: String,
}

/// The quota keys the demand would exceed, in the quota table's order, each with the quota
/// that has least left of it.
pub fn shortfalls(quotas: &[ResourceQuota], demand: &Demand) -> Vec<Shortfall> {
    let mut found: Vec<(Quantity, Shortfall)> = Vec::new();
    for (resource, key, alias) in TRACKED {
        for quota in quotas {
            let hard = quota.spec.as_ref().and_then(|s| s.hard.as_ref());
            let Some((key, hard)) = [Some(key), alias]
                .into_iter()
                .flatten()
                .find_map(|k| Some((k, hard?.get(k)?)))
            else {
                continue;
            };
            let (Some(need), Ok(hard_q)) = (demand.need(key), Quantity::parse(&hard.0)) else {
                continue;
            };
            if need == Quantity::ZERO {
                continue;
            }
            // Not counted yet: nothing is known to be used.
            let used = quota
                .status
                .as_ref()
                .and_then(|s| s.used.as_ref()?.get(key))
                .and_then(|u| Quantity::parse(&u.0).ok())
                .unwrap_or(Quantity::ZERO);
            let left = hard_q.minus(used);
            if need <= left {
                continue;
            }
            let shortfall = Shortfall {
                resource,
                key: key.to_owned(),
                quota: quota.metadata.name.clone().unwrap_or_default(),
                need: need.text(),
                left: left.text(),
                hard: hard.0.clone(),
            };
            match found.iter_mut().find(|(_, s)| s.resource == resource) {
                Some(slot) if left < slot.0 => *slot = (left, shortfall),
                Some(_) => {}
                None => found.push((left, shortfall)),
            }
        }
    }
    found.into_iter().map(|(_, s)| s).collect()
}

/// The quota keys on cpu and memory that the demand sets nothing for (no request or limit,
/// none from a limit range): the API server refuses such a pod ("must specify …") whenever a
/// quota counts that key. In the quota table's order, each once.
pub fn unspecified(quotas: &[ResourceQuota], demand: &Demand) -> Vec<(&'static str, String)> {
    const COMPUTE: [&str; 6] = [
        "requests.cpu",
        "cpu",
        "limits.cpu",
        "requests.memory",
        "memory",
        "limits.memory",
    ];
    let mut found: Vec<(&'static str, String)> = Vec::new();
    for (resource, key, alias) in TRACKED {
        let counted = [Some(key), alias].into_iter().flatten().find(|k| {
            COMPUTE.contains(k)
                && quotas.iter().any(|q| {
                    q.spec
                        .as_ref()
                        .and_then(|s| s.hard.as_ref())
                        .is_some_and(|h| h.contains_key(*k))
                })
        });
        if let Some(k) = counted
            && demand.need(k).is_none()
            && !found.iter().any(|(r, _)| *r == resource)
        {
            found.push((resource, k.to_owned()));
        }
    }
    found
}

#[cfg(test)]
mod tests;
