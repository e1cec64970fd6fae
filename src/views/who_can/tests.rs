//! Who-can rows without a terminal: one row per subject with a mark per verb, and only
//! cluster-wide bindings for a cluster-scoped object.

use funcdeck_core::rbac::shipped_roles;
use serde_json::json;

use super::*;

fn rbac() -> RbacSnapshot {
    let binding = |name: &str, role: &str, subject: &str| {
        json!({"metadata": {"name": name, "namespace": "shop"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
               "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": subject}]})
    };
    let admin: funcdeck_core::rbac::ClusterRole = serde_json::from_value(json!({
        "metadata": {"name": "cluster-admin"},
        "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}))
    .expect("a role");
    let mut cluster_roles = shipped_roles();
    cluster_roles.push(admin);
    RbacSnapshot {
        roles: Vec::new(),
        cluster_roles,
        role_bindings: vec![
            serde_json::from_value(binding("v", "funcdeck-viewer", "carol")).expect("binding"),
            serde_json::from_value(binding("d", "funcdeck-developer", "carol")).expect("binding"),
            serde_json::from_value(binding("n", "funcdeck-viewer", "ned")).expect("binding"),
        ],
        cluster_role_bindings: vec![
            serde_json::from_value(binding("root", "cluster-admin", "root")).expect("binding"),
        ],
    }
}

fn marks(rows: &[WhoRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let can: String = r.can.iter().map(|c| if *c { 'y' } else { '-' }).collect();
            format!("{} {} {can} {}", r.kind, r.name, r.through.len())
        })
        .collect()
}

#[test]
fn each_subject_is_one_row_with_a_mark_per_verb() {
    let view = WhoCanView::for_function(&ObjectKey::new("shop", "cart"));
    let rows = rows(&rbac(), "shop", &view.question);
    assert_eq!(
        marks(&rows),
        ["User carol yyy 2", "User ned y-- 1", "User root yyy 1"]
    );
    assert_eq!(
        rows[0].through,
        [
            "RoleBinding shop/d → ClusterRole funcdeck-developer",
            "RoleBinding shop/v → ClusterRole funcdeck-viewer"
        ]
    );
}

#[test]
fn a_namespace_object_counts_only_cluster_wide_bindings() {
    let view = WhoCanView::for_namespace("shop");
    assert!(view.question.cluster_scoped);
    let rows = rows(&rbac(), "shop", &view.question);
    assert_eq!(marks(&rows), ["User root yyy 1"]);
}

#[test]
fn the_cursor_stays_on_a_row() {
    let mut view = WhoCanView::query(
        "get".into(),
        ResourceRef::parse("pods").expect("parses"),
        None,
    );
    view.rows = rows(&rbac(), "shop", &view.question);
    view.cursor = 99;
    view.settle();
    assert_eq!(view.position(), Some((3, 3)));
}
