//! Unit tests for the RBAC evaluator on a bare store.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;
use crate::store::Store;

fn policy() -> Store {
    let s = Store::new(1, 100);
    let mut t = s.txn();
    t.put(
        Res::ClusterRole,
        json!({"metadata": {"name": "dev"}, "rules": [
            {"apiGroups": ["serving.knative.dev"], "resources": ["services"], "verbs": ["get", "create"]},
            {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]}),
    );
    t.put(
        Res::Role,
        json!({"metadata": {"name": "cm-reader", "namespace": "shop"}, "rules": [
            {"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["app"], "verbs": ["get"]}]}),
    );
    t.put(
        Res::RoleBinding,
        json!({"metadata": {"name": "devs", "namespace": "shop"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "dev"},
            "subjects": [{"kind": "User", "name": "dev"}, {"kind": "ServiceAccount", "name": "ci"}]}),
    );
    t.put(
        Res::RoleBinding,
        json!({"metadata": {"name": "cm", "namespace": "shop"},
            "roleRef": {"kind": "Role", "name": "cm-reader"},
            "subjects": [{"kind": "Group", "name": "readers"}]}),
    );
    t.put(
        Res::ClusterRoleBinding,
        json!({"metadata": {"name": "ops"}, "roleRef": {"kind": "ClusterRole", "name": "dev"},
            "subjects": [{"kind": "Group", "name": "ops"}]}),
    );
    t.put(
        Res::ClusterRoleBinding,
        json!({"metadata": {"name": "dangling"}, "roleRef": {"kind": "ClusterRole", "name": "gone"},
            "subjects": [{"kind": "User", "name": "dev"}]}),
    );
    drop(t);
    s
}

fn ksvc(verb: &str, ns: &str) -> Attrs {
    Attrs::resource(verb, "serving.knative.dev", "services", ns, "")
}

#[test]
fn role_binding_grants_only_in_its_namespace() {
    let s = policy();
    let t = s.txn();
    let dev = Identity::user("dev", &[]);
    let d = authorize(&t, &dev, &ksvc("create", "shop"));
    assert!(d.allowed);
    assert_eq!(
        d.reason,
        "RBAC: allowed by RoleBinding \"devs/shop\" of ClusterRole \"dev\" to User \"dev\""
    );
    let no = authorize(&t, &dev, &ksvc("create", "payments"));
    assert!(!no.allowed);
    assert_eq!(
        no.reason,
        "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found"
    );
    assert!(!authorize(&t, &dev, &ksvc("delete", "shop")).allowed);
    assert!(
        !authorize(&t, &dev, &Attrs::non_resource("get", "/metrics")).allowed,
        "non-resource rules only count from cluster role bindings"
    );
}

#[test]
fn groups_service_accounts_and_masters() {
    let s = policy();
    let t = s.txn();
    let ops = Identity::user("carol", &["ops".into()]);
    let d = authorize(&t, &ops, &ksvc("get", "anywhere"));
    assert_eq!(
        d.reason,
        "RBAC: allowed by ClusterRoleBinding \"ops\" of ClusterRole \"dev\" to Group \"ops\""
    );
    assert!(authorize(&t, &ops, &Attrs::non_resource("get", "/metrics")).allowed);
    let sa = Identity::user(
        "system:serviceaccount:shop:ci",
        &crate::identity::service_account_groups("shop"),
    );
    let d = authorize(&t, &sa, &ksvc("get", "shop"));
    assert!(d.reason.ends_with("to ServiceAccount \"ci/shop\""), "{d:?}");
    let other_sa = Identity::user("system:serviceaccount:payments:ci", &[]);
    assert!(!authorize(&t, &other_sa, &ksvc("get", "shop")).allowed);
    let reader = Identity::user("r", &["readers".into()]);
    let cm = |name: &str| Attrs::resource("get", "", "configmaps", "shop", name);
    assert!(authorize(&t, &reader, &cm("app")).allowed);
    assert!(!authorize(&t, &reader, &cm("secret-ish")).allowed);
    let admin = Identity::admin();
    let d = authorize(&t, &admin, &Attrs::resource("delete", "x", "y", "", ""));
    assert!(d.allowed && d.reason.is_empty());
    assert!(!authorize(&t, &Identity::user("nobody", &[]), &ksvc("get", "shop")).allowed);
}

#[test]
fn rules_for_collects_cluster_and_namespace_rules() {
    let s = policy();
    let t = s.txn();
    let dev = Identity::user("dev", &[]);
    let shop = rules_for(&t, &dev, "shop");
    assert_eq!(shop.rules.len(), 2);
    assert_eq!(shop.errors.len(), 1);
    let pay = rules_for(&t, &dev, "payments");
    assert!(pay.rules.is_empty());
    let admin = rules_for(&t, &Identity::admin(), "shop");
    assert_eq!(admin.rules[0].verbs, vec!["*"]);
}
