//! funcdeck's roles as `rbac roles` and the console's `:roles` list them: the shipped ones
//! first (in their order, whether installed or not), then the cluster's other funcdeck roles,
//! each with its rules as a resource × verbs matrix. One listing, so both say the same.

use k8s_openapi::api::rbac::v1::ClusterRole;

use super::rules::{MatrixRow, matrix};
use super::shipped::{RoleState, is_funcdeck_role, role_state, shipped_roles};

/// The verbs the matrix gives a column each, in reading order (`*` is every verb).
pub const VERB_COLUMNS: [&str; 8] = [
    "get", "list", "watch", "create", "update", "patch", "delete", "*",
];

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListedRole {
    pub name: String,
    pub shipped: bool,
    /// For a shipped role: not-installed, up-to-date or differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<RoleState>,
    pub rules: Vec<MatrixRow>,
}

impl ListedRole {
    /// "shipped; installed, up to date" or "custom".
    pub fn describe(&self) -> String {
        match self.state {
            Some(state) => format!("shipped; {}", state.label()),
            None => "custom".into(),
        }
    }
}

impl MatrixRow {
    /// Whether the row has this verb itself (not through `*`).
    pub fn has(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }

    /// The verbs with no column of their own (bind, escalate, deletecollection, …).
    pub fn other_verbs(&self) -> Vec<&str> {
        self.verbs
            .iter()
            .map(String::as_str)
            .filter(|v| !VERB_COLUMNS.contains(v))
            .collect()
    }
}

fn name_of(role: &ClusterRole) -> &str {
    role.metadata.name.as_deref().unwrap_or_default()
}

/// Shipped roles first (with the installed rules when there are some), then the cluster's
/// other funcdeck roles by name.
pub fn listing(installed: &[ClusterRole]) -> Vec<ListedRole> {
    let shipped = shipped_roles();
    let find = |name: &str| installed.iter().find(|r| name_of(r) == name);
    let mut out: Vec<ListedRole> = shipped
        .iter()
        .map(|role| {
            let on_cluster = find(name_of(role));
            let shown = on_cluster.unwrap_or(role);
            ListedRole {
                name: name_of(role).to_owned(),
                shipped: true,
                state: Some(role_state(role, on_cluster)),
                rules: matrix(shown.rules.as_deref().unwrap_or_default()),
            }
        })
        .collect();
    let mut custom: Vec<&ClusterRole> = installed
        .iter()
        .filter(|r| is_funcdeck_role(r) && !shipped.iter().any(|s| name_of(s) == name_of(r)))
        .collect();
    custom.sort_by(|a, b| name_of(a).cmp(name_of(b)));
    out.extend(custom.into_iter().map(|role| ListedRole {
        name: name_of(role).to_owned(),
        shipped: false,
        state: None,
        rules: matrix(role.rules.as_deref().unwrap_or_default()),
    }));
    out
}

/// What installing a shipped role does to the cluster, `None` when it is there as shipped:
/// the plan `rbac roles install` prints and the console's confirmation shows.
pub fn install_change(shipped: &ClusterRole, installed: Option<&ClusterRole>) -> Option<String> {
    let name = name_of(shipped);
    match role_state(shipped, installed) {
        RoleState::UpToDate => None,
        RoleState::NotInstalled => Some(format!("create ClusterRole {name}")),
        RoleState::Differs => Some(format!("update ClusterRole {name} to the shipped rules")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_roles_are_listed_even_when_absent_and_custom_ones_follow() {
        let custom: ClusterRole = serde_json::from_value(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "team-x", "labels": {"funcdeck.dev/role": "true"}},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "bind"]}]}))
        .expect("a role");
        let viewer = shipped_roles().remove(0);
        let listed = listing(&[custom, viewer]);
        let names: Vec<_> = listed.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "funcdeck-viewer",
                "funcdeck-developer",
                "funcdeck-admin",
                "team-x"
            ]
        );
        assert_eq!(listed[0].state, Some(RoleState::UpToDate));
        assert_eq!(listed[1].state, Some(RoleState::NotInstalled));
        assert!(!listed[1].rules.is_empty(), "the shipped rules show");
        assert_eq!(listed[3].describe(), "custom");
        let pods = &listed[3].rules[0];
        assert!(pods.has("get") && !pods.has("list"));
        assert_eq!(pods.other_verbs(), ["bind"]);
    }
}
