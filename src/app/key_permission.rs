//! What a key that leads to a change needs before anything is asked for: the permission the
//! change will need, and who words a refusal of it.

use funcdeck_core::access::Permission;

use crate::command::Command;

/// The permission the change a key leads to will need (`None`: the key changes nothing).
pub fn command_permission(command: Command) -> Option<Permission> {
    use Command as C;
    const GROUP: &str = funcdeck_core::knative::GROUP;
    match command {
        C::Delete => Some(Permission::new("delete", GROUP, "services")),
        C::Prune => Some(Permission::new("delete", GROUP, "revisions")),
        C::Create => Some(Permission::new("create", GROUP, "services")),
        C::Edit | C::Update | C::Traffic | C::Rollback | C::ToggleOffline => {
            Some(Permission::new("patch", GROUP, "services"))
        }
        // Tenants are applied server-side: a patch of the namespace first.
        C::CreateTenant => Some(Permission::new("patch", "", "namespaces")),
        // A namespaced grant's binding (cluster-wide ones are left to the server).
        C::Grant | C::Revoke => Some(Permission::new(
            "update",
            "rbac.authorization.k8s.io",
            "rolebindings",
        )),
        C::InstallRoles => Some(Permission::new(
            "patch",
            "rbac.authorization.k8s.io",
            "clusterroles",
        )),
        C::SetQuota => Some(Permission::new("patch", "", "resourcequotas")),
        _ => None,
    }
}

/// Whether a refusal of the key's change is worded where it is handled: by the gate, for keys
/// that ask for their change at once (it names the object), or by the view, for keys whose view
/// checks before it starts (it names the role). The app refuses the other keys itself.
pub fn refuses_itself(command: Command) -> bool {
    use Command as C;
    matches!(
        command,
        C::Delete
            | C::Prune
            | C::Rollback
            | C::ToggleOffline
            | C::Grant
            | C::Revoke
            | C::InstallRoles
            | C::SetQuota
    )
}
