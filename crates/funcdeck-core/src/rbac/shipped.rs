//! The three ClusterRoles funcdeck ships (viewer ⊂ developer ⊂ admin), kept as YAML next to
//! the crate so they read as what is applied, and whether a cluster has them as shipped.

use k8s_openapi::api::rbac::v1::ClusterRole;

/// The label the shipped roles carry; a custom role with it is listed by `rbac roles` too.
pub const ROLE_LABEL: &str = "funcdeck.dev/role";

const SHIPPED: [&str; 3] = [
    include_str!("../../rbac/funcdeck-viewer.yaml"),
    include_str!("../../rbac/funcdeck-developer.yaml"),
    include_str!("../../rbac/funcdeck-admin.yaml"),
];

/// The shipped roles, viewer first.
pub fn shipped_roles() -> Vec<ClusterRole> {
    SHIPPED
        .iter()
        .map(|text| {
            // The files are part of the build and a unit test parses them; a broken one
            // cannot ship.
            #[allow(clippy::expect_used)]
            serde_saphyr::from_str(text).expect("a shipped role parses")
        })
        .collect()
}

/// Whether `rbac roles` lists a ClusterRole: named `funcdeck-…` or labelled as one of ours.
pub fn is_funcdeck_role(role: &ClusterRole) -> bool {
    role.metadata
        .name
        .as_deref()
        .is_some_and(|n| n.starts_with("funcdeck-"))
        || role
            .metadata
            .labels
            .as_ref()
            .is_some_and(|l| l.get(ROLE_LABEL).is_some_and(|v| v == "true"))
}

/// A shipped role on a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoleState {
    NotInstalled,
    UpToDate,
    /// Installed, but its rules or label are not the shipped ones.
    Differs,
}

impl RoleState {
    pub fn label(self) -> &'static str {
        match self {
            RoleState::NotInstalled => "not installed",
            RoleState::UpToDate => "installed, up to date",
            RoleState::Differs => "installed, differs from shipped",
        }
    }
}

pub fn role_state(shipped: &ClusterRole, installed: Option<&ClusterRole>) -> RoleState {
    let Some(installed) = installed else {
        return RoleState::NotInstalled;
    };
    let empty = Vec::new();
    let rules = |r: &ClusterRole| r.rules.clone().unwrap_or_else(|| empty.clone());
    let labelled = |r: &ClusterRole| {
        r.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(ROLE_LABEL).cloned())
    };
    if rules(shipped) == rules(installed) && labelled(shipped) == labelled(installed) {
        RoleState::UpToDate
    } else {
        RoleState::Differs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::{ResourceRef, rule_allows};

    fn allows(role: &ClusterRole, verb: &str, resource: &str) -> bool {
        let resource = ResourceRef::parse(resource).expect("parses");
        role.rules
            .iter()
            .flatten()
            .any(|r| rule_allows(r, verb, &resource, None))
    }

    #[test]
    fn each_shipped_role_grows_on_the_one_before() {
        let roles = shipped_roles();
        let names: Vec<_> = roles
            .iter()
            .map(|r| r.metadata.name.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            ["funcdeck-viewer", "funcdeck-developer", "funcdeck-admin"]
        );
        let [viewer, developer, admin] = [&roles[0], &roles[1], &roles[2]];
        for role in [viewer, developer, admin] {
            assert!(is_funcdeck_role(role));
            for resource in [
                "ksvc",
                "revisions.serving.knative.dev",
                "pods/log",
                "events",
                "resourcequotas",
            ] {
                assert!(allows(role, "list", resource), "{resource}");
            }
        }
        assert!(!allows(viewer, "delete", "ksvc"));
        assert!(allows(developer, "delete", "ksvc"));
        assert!(!allows(
            developer,
            "create",
            "rolebindings.rbac.authorization.k8s.io"
        ));
        assert!(allows(
            admin,
            "create",
            "rolebindings.rbac.authorization.k8s.io"
        ));
        assert!(allows(admin, "update", "resourcequotas"));
        assert!(!allows(developer, "update", "resourcequotas"));
    }

    #[test]
    fn state_compares_rules_and_label() {
        let viewer = shipped_roles().remove(0);
        assert_eq!(role_state(&viewer, None), RoleState::NotInstalled);
        assert_eq!(role_state(&viewer, Some(&viewer)), RoleState::UpToDate);
        let mut changed = viewer.clone();
        if let Some(rules) = changed.rules.as_mut() {
            rules.pop();
        }
        assert_eq!(role_state(&viewer, Some(&changed)), RoleState::Differs);
    }
}
