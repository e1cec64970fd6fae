//! "Who can VERB RESOURCE [NAME] in NS": every subject of a RoleBinding in the namespace or
//! of a ClusterRoleBinding whose role has a rule allowing it, with the binding it holds it
//! through. Aggregated ClusterRoles are read as the server filled them in (their rules).

use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};

use super::client::RbacSnapshot;
use super::rules::{ResourceRef, rule_allows};

/// One subject that can, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Holder {
    /// User, Group or ServiceAccount.
    pub kind: String,
    /// `NS/NAME` for a service account.
    pub name: String,
    /// "RoleBinding shop/x" or "ClusterRoleBinding x".
    pub binding: String,
    /// "ClusterRole funcdeck-developer" or "Role shop/r".
    pub role: String,
}

fn role_rules<'a>(rbac: &'a RbacSnapshot, role_ref: &RoleRef) -> Option<&'a [PolicyRule]> {
    let name = Some(role_ref.name.as_str());
    match role_ref.kind.as_str() {
        "Role" => rbac
            .roles
            .iter()
            .find(|r| r.metadata.name.as_deref() == name)
            .map(|r| r.rules.as_deref().unwrap_or_default()),
        "ClusterRole" => rbac
            .cluster_roles
            .iter()
            .find(|r| r.metadata.name.as_deref() == name)
            .map(|r| r.rules.as_deref().unwrap_or_default()),
        _ => None,
    }
}

fn subject_name(subject: &Subject) -> String {
    match (&subject.namespace, subject.kind.as_str()) {
        (Some(ns), "ServiceAccount") => format!("{ns}/{}", subject.name),
        _ => subject.name.clone(),
    }
}

/// The holders, sorted by kind and name, each once per binding. `rbac.roles` and
/// `rbac.role_bindings` are those of `namespace`.
pub fn who_can(
    rbac: &RbacSnapshot,
    namespace: &str,
    verb: &str,
    resource: &ResourceRef,
    name: Option<&str>,
) -> Vec<Holder> {
    let allows = |rules: &[PolicyRule]| rules.iter().any(|r| rule_allows(r, verb, resource, name));
    let mut holders = Vec::new();
    let bindings = rbac
        .role_bindings
        .iter()
        .map(|b| {
            let label = format!(
                "RoleBinding {namespace}/{}",
                b.metadata.name.as_deref().unwrap_or_default()
            );
            (
                label,
                &b.role_ref,
                b.subjects.as_deref().unwrap_or_default(),
            )
        })
        .chain(rbac.cluster_role_bindings.iter().map(|b| {
            let label = format!(
                "ClusterRoleBinding {}",
                b.metadata.name.as_deref().unwrap_or_default()
            );
            (
                label,
                &b.role_ref,
                b.subjects.as_deref().unwrap_or_default(),
            )
        }));
    for (label, role_ref, subjects) in bindings {
        if !role_rules(rbac, role_ref).is_some_and(allows) {
            continue;
        }
        let role = if role_ref.kind == "Role" {
            format!("Role {namespace}/{}", role_ref.name)
        } else {
            format!("{} {}", role_ref.kind, role_ref.name)
        };
        for subject in subjects {
            holders.push(Holder {
                kind: subject.kind.clone(),
                name: subject_name(subject),
                binding: label.clone(),
                role: role.clone(),
            });
        }
    }
    holders.sort_by(|a, b| (&a.kind, &a.name, &a.binding).cmp(&(&b.kind, &b.name, &b.binding)));
    holders.dedup();
    holders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::{BindingScope, Grant, SubjectRef, shipped_roles};
    use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, Role, RoleBinding};

    fn snapshot() -> RbacSnapshot {
        let grant = |role: &str, subject: SubjectRef, scope| Grant {
            role: role.into(),
            subject,
            scope,
        };
        let dev = grant(
            "funcdeck-developer",
            SubjectRef::User("alice".into()),
            BindingScope::Namespace("shop".into()),
        );
        let viewers = grant(
            "funcdeck-viewer",
            SubjectRef::Group("auditors".into()),
            BindingScope::Cluster,
        );
        let rb: RoleBinding = serde_json::from_value(dev.binding(&[dev.subject.to_subject()]))
            .expect("a role binding");
        let crb: ClusterRoleBinding =
            serde_json::from_value(viewers.binding(&[viewers.subject.to_subject()]))
                .expect("a cluster role binding");
        let role: Role = serde_json::from_value(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "cart-only", "namespace": "shop"},
            "rules": [{"apiGroups": ["serving.knative.dev"], "resources": ["services"],
                       "resourceNames": ["cart"], "verbs": ["delete"]}]}))
        .expect("a role");
        let by_role: RoleBinding = serde_json::from_value(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "cart-deleters", "namespace": "shop"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "cart-only"},
            "subjects": [{"kind": "ServiceAccount", "namespace": "ci", "name": "bot"}]}))
        .expect("a role binding");
        RbacSnapshot {
            roles: vec![role],
            cluster_roles: shipped_roles(),
            role_bindings: vec![rb, by_role],
            cluster_role_bindings: vec![crb],
        }
    }

    fn who(verb: &str, resource: &str, name: Option<&str>) -> Vec<String> {
        let resource = ResourceRef::parse(resource).expect("parses");
        who_can(&snapshot(), "shop", verb, &resource, name)
            .into_iter()
            .map(|h| format!("{} {} via {} ({})", h.kind, h.name, h.binding, h.role))
            .collect()
    }

    #[test]
    fn readers_come_through_both_kinds_of_binding() {
        assert_eq!(
            who("list", "functions", None),
            [
                "Group auditors via ClusterRoleBinding funcdeck:funcdeck-viewer:group:auditors (ClusterRole funcdeck-viewer)",
                "User alice via RoleBinding shop/funcdeck:funcdeck-developer:user:alice (ClusterRole funcdeck-developer)",
            ]
        );
    }

    #[test]
    fn resource_names_limit_a_role_to_the_objects_it_names() {
        let cart = who("delete", "ksvc", Some("cart"));
        assert_eq!(cart.len(), 2, "{cart:?}");
        assert!(cart[0].starts_with(
            "ServiceAccount ci/bot via RoleBinding shop/cart-deleters (Role shop/cart-only)"
        ));
        assert_eq!(who("delete", "ksvc", Some("orders")).len(), 1, "only alice");
        assert!(who("create", "rolebindings.rbac.authorization.k8s.io", None).is_empty());
    }
}
