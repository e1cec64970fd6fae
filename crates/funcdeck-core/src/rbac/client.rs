//! The reads and writes behind the `rbac` commands. Roles are applied server-side (field
//! manager `funcdeck`), so a second install changes nothing; bindings are read, changed by one
//! subject and written back only if nobody changed them meanwhile (resourceVersion).

use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding, Subject};
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams, Patch,
    PatchParams, PostParams,
};

use super::binding::{BindingScope, Grant};
use crate::CoreError;
use crate::cluster::Connection;

const FIELD_MANAGER: &str = "funcdeck";

/// Everything "who can" reads for one namespace.
#[derive(Debug, Clone, Default)]
pub struct RbacSnapshot {
    pub roles: Vec<Role>,
    pub cluster_roles: Vec<ClusterRole>,
    pub role_bindings: Vec<RoleBinding>,
    pub cluster_role_bindings: Vec<ClusterRoleBinding>,
}

pub async fn snapshot(conn: &Connection, namespace: &str) -> Result<RbacSnapshot, CoreError> {
    let lp = ListParams::default();
    let c = || conn.client.clone();
    let err = |e| conn.error(e);
    Ok(RbacSnapshot {
        roles: Api::<Role>::namespaced(c(), namespace)
            .list(&lp)
            .await
            .map_err(err)?
            .items,
        cluster_roles: list_cluster_roles(conn).await?,
        role_bindings: Api::<RoleBinding>::namespaced(c(), namespace)
            .list(&lp)
            .await
            .map_err(err)?
            .items,
        cluster_role_bindings: Api::<ClusterRoleBinding>::all(c())
            .list(&lp)
            .await
            .map_err(err)?
            .items,
    })
}

pub async fn list_cluster_roles(conn: &Connection) -> Result<Vec<ClusterRole>, CoreError> {
    Api::<ClusterRole>::all(conn.client.clone())
        .list(&ListParams::default())
        .await
        .map(|l| l.items)
        .map_err(|e| conn.error(e))
}

pub async fn read_cluster_role(
    conn: &Connection,
    name: &str,
) -> Result<Option<ClusterRole>, CoreError> {
    Api::<ClusterRole>::all(conn.client.clone())
        .get_opt(name)
        .await
        .map_err(|e| conn.error(e))
}

/// Server-side apply of a shipped role: the fields funcdeck owns become the shipped ones.
pub async fn apply_role(conn: &Connection, role: &ClusterRole) -> Result<ClusterRole, CoreError> {
    let name = role.metadata.name.clone().unwrap_or_default();
    Api::<ClusterRole>::all(conn.client.clone())
        .patch(
            &name,
            &PatchParams::apply(FIELD_MANAGER),
            &Patch::Apply(role),
        )
        .await
        .map_err(|e| conn.error(e))
}

fn binding_api(conn: &Connection, grant: &Grant) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("rbac.authorization.k8s.io", "v1", grant.kind());
    match &grant.scope {
        BindingScope::Namespace(ns) => {
            let ar = ApiResource::from_gvk_with_plural(&gvk, "rolebindings");
            Api::namespaced_with(conn.client.clone(), ns, &ar)
        }
        BindingScope::Cluster => {
            let ar = ApiResource::from_gvk_with_plural(&gvk, "clusterrolebindings");
            Api::all_with(conn.client.clone(), &ar)
        }
    }
}

/// The grant's binding as it is now: its subjects and resourceVersion, `None` if absent.
pub async fn read_binding(
    conn: &Connection,
    grant: &Grant,
) -> Result<Option<(Vec<Subject>, Option<String>)>, CoreError> {
    let Some(found) = binding_api(conn, grant)
        .get_opt(&grant.binding_name())
        .await
        .map_err(|e| conn.error(e))?
    else {
        return Ok(None);
    };
    let subjects = found
        .data
        .get("subjects")
        .cloned()
        .map(serde_json::from_value::<Vec<Subject>>)
        .transpose()
        .map_err(|e| CoreError::Decode {
            message: format!("the subjects of {}: {e}", grant.binding_name()),
        })?
        .unwrap_or_default();
    Ok(Some((subjects, found.metadata.resource_version)))
}

/// Creates the binding (`resource_version` None) or replaces it if still at that version.
pub async fn apply_binding(
    conn: &Connection,
    grant: &Grant,
    subjects: &[Subject],
    resource_version: Option<&str>,
) -> Result<(), CoreError> {
    let mut object: DynamicObject =
        serde_json::from_value(grant.binding(subjects)).map_err(|e| CoreError::Decode {
            message: e.to_string(),
        })?;
    let api = binding_api(conn, grant);
    let pp = PostParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..PostParams::default()
    };
    let result = match resource_version {
        None => api.create(&pp, &object).await,
        Some(version) => {
            object.metadata.resource_version = Some(version.to_owned());
            api.replace(&grant.binding_name(), &pp, &object).await
        }
    };
    result.map(|_| ()).map_err(|e| conn.error(e))
}

pub async fn delete_binding(conn: &Connection, grant: &Grant) -> Result<(), CoreError> {
    binding_api(conn, grant)
        .delete(&grant.binding_name(), &DeleteParams::default())
        .await
        .map(|_| ())
        .map_err(|e| conn.error(e))
}
