//! Metering: what each function and tenant used over a period. Invocations are requests
//! counted by Knative; GB-seconds and CPU-seconds are *allocated*, the way serverless platforms
//! bill: each revision's memory (GB = 1024 MiB, as AWS Lambda counts) and cpu requests times
//! the seconds its pods ran. A revision whose requests are not known (none set on its
//! container) has no GB- or CPU-seconds (`None`), rather than a guess.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

/// What Prometheus says one revision did over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionActivity {
    pub namespace: String,
    pub function: String,
    pub revision: String,
    pub invocations: f64,
    pub pod_seconds: f64,
}

/// One revision's container requests, from its spec.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Requests {
    pub memory_bytes: Option<f64>,
    pub cpu_cores: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionUsage {
    pub namespace: String,
    pub function: String,
    pub invocations: f64,
    pub pod_seconds: f64,
    pub gb_seconds: Option<f64>,
    pub cpu_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantUsage {
    pub namespace: String,
    pub functions: usize,
    pub invocations: f64,
    pub pod_seconds: f64,
    pub gb_seconds: Option<f64>,
    pub cpu_seconds: Option<f64>,
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// What a revision's pods request: the sum over its containers; unknown when one of them sets
/// no request for it (the pod's request is then not in the spec).
pub fn revision_requests(revision: &crate::knative::Revision) -> Requests {
    let containers = revision.spec.containers.as_deref().unwrap_or_default();
    let total = |resource: &str| -> Option<f64> {
        if containers.is_empty() {
            return None;
        }
        containers.iter().try_fold(0.0, |sum, c| {
            let text = c.resources.as_ref()?.request(resource)?;
            Some(sum + crate::function::Quantity::parse(&text).ok()?.as_f64())
        })
    };
    Requests {
        memory_bytes: total("memory"),
        cpu_cores: total("cpu"),
    }
}

/// Adds `part` to a total that stays unknown once any part is.
fn add(total: &mut Option<f64>, part: Option<f64>) {
    *total = match (*total, part) {
        (Some(t), Some(p)) => Some(t + p),
        _ => None,
    };
}

/// Per function (by namespace and name) and per tenant (namespace), each sorted by name.
/// `requests` is keyed by (namespace, revision).
pub fn meter(
    activity: &[RevisionActivity],
    requests: &HashMap<(String, String), Requests>,
) -> (Vec<FunctionUsage>, Vec<TenantUsage>) {
    let mut functions: BTreeMap<(String, String), FunctionUsage> = BTreeMap::new();
    for a in activity {
        let wanted = requests
            .get(&(a.namespace.clone(), a.revision.clone()))
            .copied()
            .unwrap_or_default();
        let usage = functions
            .entry((a.namespace.clone(), a.function.clone()))
            .or_insert_with(|| FunctionUsage {
                namespace: a.namespace.clone(),
                function: a.function.clone(),
                invocations: 0.0,
                pod_seconds: 0.0,
                gb_seconds: Some(0.0),
                cpu_seconds: Some(0.0),
            });
        usage.invocations += a.invocations;
        usage.pod_seconds += a.pod_seconds;
        // A revision that never ran costs nothing, whatever it would have asked for.
        let ran = a.pod_seconds > 0.0;
        let gb = |bytes: f64| bytes / GIB * a.pod_seconds;
        add(
            &mut usage.gb_seconds,
            if ran {
                wanted.memory_bytes.map(gb)
            } else {
                Some(0.0)
            },
        );
        add(
            &mut usage.cpu_seconds,
            if ran {
                wanted.cpu_cores.map(|cores| cores * a.pod_seconds)
            } else {
                Some(0.0)
            },
        );
    }
    let mut tenants: BTreeMap<String, TenantUsage> = BTreeMap::new();
    for f in functions.values() {
        let tenant = tenants
            .entry(f.namespace.clone())
            .or_insert_with(|| TenantUsage {
                namespace: f.namespace.clone(),
                functions: 0,
                invocations: 0.0,
                pod_seconds: 0.0,
                gb_seconds: Some(0.0),
                cpu_seconds: Some(0.0),
            });
        tenant.functions += 1;
        tenant.invocations += f.invocations;
        tenant.pod_seconds += f.pod_seconds;
        add(&mut tenant.gb_seconds, f.gb_seconds);
        add(&mut tenant.cpu_seconds, f.cpu_seconds);
    }
    (
        functions.into_values().collect(),
        tenants.into_values().collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(
        ns: &str,
        function: &str,
        revision: &str,
        calls: f64,
        pod_s: f64,
    ) -> RevisionActivity {
        RevisionActivity {
            namespace: ns.into(),
            function: function.into(),
            revision: revision.into(),
            invocations: calls,
            pod_seconds: pod_s,
        }
    }

    fn key(ns: &str, revision: &str) -> (String, String) {
        (ns.into(), revision.into())
    }

    #[test]
    fn allocated_gb_and_cpu_seconds_add_up_per_function_and_tenant() {
        let requests = HashMap::from([
            (
                key("shop", "cart-00001"),
                Requests {
                    memory_bytes: Some(512.0 * 1024.0 * 1024.0),
                    cpu_cores: Some(0.25),
                },
            ),
            (
                key("shop", "cart-00002"),
                Requests {
                    memory_bytes: Some(GIB),
                    cpu_cores: Some(0.5),
                },
            ),
            (
                key("shop", "search-00001"),
                Requests {
                    memory_bytes: Some(GIB),
                    cpu_cores: Some(1.0),
                },
            ),
        ]);
        let (functions, tenants) = meter(
            &[
                activity("shop", "cart", "cart-00001", 100.0, 3600.0),
                activity("shop", "cart", "cart-00002", 50.0, 600.0),
                activity("shop", "search", "search-00001", 7.0, 60.0),
            ],
            &requests,
        );
        let cart = &functions[0];
        assert_eq!((cart.function.as_str(), cart.invocations), ("cart", 150.0));
        assert_eq!(cart.pod_seconds, 4200.0);
        assert_eq!(cart.gb_seconds, Some(0.5 * 3600.0 + 600.0));
        assert_eq!(cart.cpu_seconds, Some(0.25 * 3600.0 + 0.5 * 600.0));
        assert_eq!(tenants.len(), 1);
        assert_eq!(tenants[0].functions, 2);
        assert_eq!(tenants[0].invocations, 157.0);
        assert_eq!(tenants[0].gb_seconds, Some(2400.0 + 60.0));
    }

    #[test]
    fn a_revisions_requests_add_up_over_its_containers() {
        let revision: crate::knative::Revision = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "cart-00001", "namespace": "shop"},
            "spec": {"containers": [
                {"image": "a", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}},
                {"image": "b", "resources": {"requests": {"cpu": 1, "memory": "512Mi"}}}
            ]}
        }))
        .expect("a revision");
        let wanted = revision_requests(&revision);
        assert_eq!(wanted.cpu_cores, Some(1.25));
        assert_eq!(wanted.memory_bytes, Some(GIB));
        let bare: crate::knative::Revision = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "x"}, "spec": {"containers": [{"image": "a"}]}
        }))
        .expect("a revision");
        assert_eq!(revision_requests(&bare), Requests::default());
    }

    #[test]
    fn unknown_requests_make_the_figure_unknown_unless_the_revision_never_ran() {
        let (functions, tenants) = meter(
            &[
                activity("a", "f", "f-00001", 10.0, 100.0),
                activity("b", "g", "g-00001", 0.0, 0.0),
            ],
            &HashMap::new(),
        );
        assert_eq!(functions[0].gb_seconds, None);
        assert_eq!(functions[0].cpu_seconds, None);
        assert_eq!(
            functions[1].gb_seconds,
            Some(0.0),
            "never ran: costs nothing"
        );
        assert_eq!(tenants[0].gb_seconds, None);
        assert_eq!(tenants[1].cpu_seconds, Some(0.0));
    }
}
