//! Roles, bindings and "who can": funcdeck's shipped ClusterRoles (data in `rbac/*.yaml`), the
//! pure reading of RBAC rules the way the API server's authorizer reads them, and the few
//! reads and writes the `rbac` commands make.

mod binding;
mod client;
mod listing;
mod rules;
mod shipped;
mod who_can;

pub use binding::{BindingScope, Grant, SubjectRef, binding_name, with_subject, without_subject};
pub use client::{
    RbacSnapshot, apply_binding, apply_role, delete_binding, list_cluster_roles, read_binding,
    read_cluster_role, snapshot,
};
pub use listing::{ListedRole, VERB_COLUMNS, install_change, listing};
pub use rules::{MatrixRow, ResourceRef, matrix, parse_verb, rule_allows};
pub use shipped::{ROLE_LABEL, RoleState, is_funcdeck_role, role_state, shipped_roles};
pub use who_can::{Holder, who_can};

/// The rbac/v1 types the binary handles, so it needs no k8s-openapi of its own.
pub use k8s_openapi::api::rbac::v1::{ClusterRole, PolicyRule, Subject};
