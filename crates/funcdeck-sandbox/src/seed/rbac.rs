//! Access control content: the bootstrap roles every real cluster has (cluster-admin,
//! system:discovery, system:basic-user, …, so discovery and self-reviews work for everyone as
//! upstream), the shipped funcdeck roles (viewer / developer / admin), the demo personas
//! (alice, dev, viewer), default service accounts, the sandbox's authentication settings, and
//! a GPU quota with a limit range in `ml-inference` sized so the seed itself fits comfortably.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Seeder;
use super::plan::{SYSTEM, TENANTS};
use crate::quota::quantity::{Form, Quantity};
use crate::rbac::authn;
use crate::resources::Res;

const KN: &str = "serving.knative.dev";
/// The workloads Knative makes for each revision (Deployment → ReplicaSet → pods).
const APPS_RES: [&str; 2] = ["deployments", "replicasets"];
const READ: [&str; 3] = ["get", "list", "watch"];
const WRITE: [&str; 5] = ["create", "update", "patch", "delete", "deletecollection"];
const QUOTA_NS: &str = "ml-inference";

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

fn urls(urls: &[&str], verbs: &[&str]) -> Value {
    json!({"nonResourceURLs": urls, "verbs": verbs})
}

pub(super) fn subject(kind: &str, name: &str) -> Value {
    if kind == "User" || kind == "Group" {
        json!({"kind": kind, "apiGroup": "rbac.authorization.k8s.io", "name": name})
    } else {
        json!({"kind": kind, "name": name})
    }
}

fn binding(name: &str, ns: Option<&str>, role: &str, subjects: Vec<Value>) -> Value {
    let mut meta = json!({"name": name});
    if let Some(ns) = ns {
        meta["namespace"] = json!(ns);
    }
    json!({"metadata": meta, "subjects": subjects,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role}})
}

/// funcdeck's three roles exactly as it ships them (the files `rbac roles install` applies), so
/// a fresh sandbox shows them installed and up to date. Only the data is shared with the
/// client crate, never code: the sandbox reads the YAML with its own parser.
const SHIPPED_ROLES: [&str; 3] = [
    include_str!("../../../funcdeck-core/rbac/funcdeck-viewer.yaml"),
    include_str!("../../../funcdeck-core/rbac/funcdeck-developer.yaml"),
    include_str!("../../../funcdeck-core/rbac/funcdeck-admin.yaml"),
];

fn shipped_roles() -> Vec<Value> {
    SHIPPED_ROLES
        .iter()
        .filter_map(|text| serde_saphyr::from_str::<Value>(text).ok())
        .collect()
}

fn cluster_roles() -> Vec<(&'static str, Vec<Value>)> {
    let core_read = [
        "configmaps",
        "endpoints",
        "events",
        "limitranges",
        "namespaces",
        "namespaces/status",
        "pods",
        "pods/log",
        "pods/status",
        "resourcequotas",
        "resourcequotas/status",
        "serviceaccounts",
        "services",
    ];
    let core_write = ["configmaps", "pods", "serviceaccounts", "services"];
    let view = vec![
        rule(&[""], &core_read, &READ),
        rule(&["apps"], &APPS_RES, &READ),
        rule(&[KN], &["*"], &READ),
    ];
    let mut edit = view.clone();
    edit.push(rule(&[""], &core_write, &WRITE));
    edit.push(rule(&["apps"], &APPS_RES, &WRITE));
    edit.push(rule(&[KN], &["*"], &WRITE));
    let mut admin = edit.clone();
    admin.push(rule(
        &["rbac.authorization.k8s.io"],
        &["roles", "rolebindings"],
        &["*"],
    ));
    admin.push(rule(&[""], &["resourcequotas", "limitranges"], &READ));
    vec![
        (
            "cluster-admin",
            vec![rule(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])],
        ),
        (
            "system:discovery",
            vec![urls(
                &[
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                    "/healthz",
                    "/livez",
                    "/openapi",
                    "/openapi/*",
                    "/readyz",
                    "/version",
                    "/version/",
                ],
                &["get"],
            )],
        ),
        (
            "system:public-info-viewer",
            vec![urls(
                &["/healthz", "/livez", "/readyz", "/version", "/version/"],
                &["get"],
            )],
        ),
        (
            "system:basic-user",
            vec![rule(
                &["authorization.k8s.io"],
                &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                &["create"],
            )],
        ),
        ("view", view),
        ("edit", edit),
        ("admin", admin),
    ]
}

fn cluster_bindings() -> Vec<Value> {
    vec![
        binding(
            "cluster-admin",
            None,
            "cluster-admin",
            vec![subject("Group", "system:masters")],
        ),
        binding(
            "system:discovery",
            None,
            "system:discovery",
            vec![subject("Group", "system:authenticated")],
        ),
        binding(
            "system:public-info-viewer",
            None,
            "system:public-info-viewer",
            vec![
                subject("Group", "system:authenticated"),
                subject("Group", "system:unauthenticated"),
            ],
        ),
        binding(
            "system:basic-user",
            None,
            "system:basic-user",
            vec![subject("Group", "system:authenticated")],
        ),
        binding(
            "funcdeck:platform-admins",
            None,
            "cluster-admin",
            vec![subject("Group", "platform-admins")],
        ),
        binding(
            "funcdeck-viewer",
            None,
            "funcdeck-viewer",
            vec![subject("User", "viewer")],
        ),
    ]
}

/// `max(floor, 3 × used)` rounded up to a whole unit, so growth in the demo still fits.
fn roomy(used: Quantity, floor: &str) -> String {
    let floor = Quantity::parse(floor).unwrap_or(Quantity::ZERO);
    let want = Quantity {
        milli: used.milli.saturating_mul(3),
        form: floor.form,
    };
    let q = want.max(floor);
    let unit: i128 = if floor.form == Form::Binary {
        1000 << 30
    } else {
        1000
    };
    Quantity {
        milli: (q.milli + unit - 1) / unit * unit,
        form: floor.form,
    }
    .canonical()
}

impl Seeder<'_> {
    /// Everything access-related; runs after the services so the quota can be sized to them.
    pub(super) fn access(&mut self, now: DateTime<Utc>) {
        self.at(now - chrono::Duration::days(45));
        for (name, rules) in cluster_roles() {
            let labels = json!({"kubernetes.io/bootstrapping": "rbac-defaults"});
            self.internal(
                Res::ClusterRole,
                "",
                json!({"metadata": {"name": name, "labels": labels}, "rules": rules}),
            );
        }
        for role in shipped_roles() {
            self.internal(Res::ClusterRole, "", role);
        }
        for b in cluster_bindings() {
            self.internal(Res::ClusterRoleBinding, "", b);
        }
        self.internal(
            Res::RoleBinding,
            "shop",
            binding(
                "dev-developer",
                Some("shop"),
                "funcdeck-developer",
                vec![subject("User", "dev")],
            ),
        );
        // Anyone signed in may read the ingress gateway's Service, as many platforms allow, so
        // every persona can find where to send a function's requests.
        let gateway = crate::gateway::NAMESPACE;
        self.internal(
            Res::Role,
            gateway,
            json!({"metadata": {"name": "gateway-reader"}, "rules": [{"apiGroups": [""],
                "resources": ["services"], "resourceNames": [crate::gateway::SERVICE], "verbs": ["get"]}]}),
        );
        self.internal(
            Res::RoleBinding,
            gateway,
            json!({"metadata": {"name": "gateway-reader"},
                "subjects": [subject("Group", "system:authenticated")],
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "gateway-reader"}}),
        );
        for ns in SYSTEM.iter().chain(TENANTS) {
            self.internal(
                Res::ServiceAccount,
                ns,
                json!({"metadata": {"name": "default"}}),
            );
        }
        self.internal(
            Res::ServiceAccount,
            "knative-serving",
            json!({"metadata": {"name": "controller"}}),
        );
        self.internal(
            Res::ConfigMap,
            authn::CONFIG_NAMESPACE,
            json!({"metadata": {"name": authn::CONFIG_NAME}, "data": {
                "caller-user": crate::identity::ADMIN_USER,
                "caller-groups": "system:masters,system:authenticated",
                "tokens": "alice-token,alice,1001,\"platform-admins\"\ndev-token,dev,1002,\nviewer-token,viewer,1003,\n",
            }}),
        );
        self.at(now - chrono::Duration::days(10));
        self.internal(
            Res::LimitRange,
            QUOTA_NS,
            json!({"metadata": {"name": "container-defaults"}, "spec": {"limits": [{"type": "Container",
                "default": {"cpu": "1", "memory": "512Mi"},
                "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                "max": {"cpu": "4", "memory": "8Gi"},
                "min": {"cpu": "10m"}}]}}),
        );
        self.quota();
    }

    fn quota(&mut self) {
        let keys: Vec<String> = [
            "pods",
            "requests.cpu",
            "requests.memory",
            "limits.cpu",
            "limits.memory",
            "requests.nvidia.com/gpu",
            "count/services.serving.knative.dev",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let used = {
            let t = self.store.txn();
            crate::quota::usage_in(&t, QUOTA_NS, keys.iter())
        };
        let u = |k: &str| used.get(k).copied().unwrap_or(Quantity::ZERO);
        let hard = json!({
            "pods": roomy(u("pods"), "20"),
            "requests.cpu": roomy(u("requests.cpu"), "8"),
            "requests.memory": roomy(u("requests.memory"), "16Gi"),
            "limits.cpu": roomy(u("limits.cpu"), "16"),
            "limits.memory": roomy(u("limits.memory"), "32Gi"),
            "requests.nvidia.com/gpu": roomy(u("requests.nvidia.com/gpu"), "4"),
            "count/services.serving.knative.dev": roomy(u("count/services.serving.knative.dev"), "12"),
        });
        self.internal(
            Res::ResourceQuota,
            QUOTA_NS,
            json!({"metadata": {"name": "gpu-and-functions"}, "spec": {"hard": hard}}),
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn roomy_rounds_up_to_whole_units() {
        let q = |s: &str| Quantity::parse(s).unwrap_or(Quantity::ZERO);
        assert_eq!(roomy(q("0"), "4"), "4");
        assert_eq!(roomy(q("3"), "4"), "9");
        assert_eq!(roomy(q("2500m"), "4"), "8");
        assert_eq!(roomy(q("6Gi"), "16Gi"), "18Gi");
        assert_eq!(roomy(q("100Mi"), "16Gi"), "16Gi");
    }
}
