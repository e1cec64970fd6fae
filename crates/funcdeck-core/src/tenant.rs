//! Tenants: namespaces that host functions or are labelled as tenants, with their owner,
//! function count, quota usage and the roles bound in them; and the objects `tenant create`
//! applies from a preset (shipped as data in `tenant/presets.toml`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, ResourceQuota};
use k8s_openapi::api::rbac::v1::RoleBinding;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, ListParams, Patch, PatchParams};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::cluster::Connection;
use crate::error::CoreError;
use crate::quota::{QUOTA_NAME, usage_rows};
use crate::rbac::{BindingScope, Grant, SubjectRef};

/// The label that makes a namespace a tenant even before it hosts a function.
pub const TENANT_LABEL: &str = "funcdeck.dev/tenant";
/// Who a tenant belongs to.
pub const OWNER_LABEL: &str = "funcdeck.dev/owner";
const FIELD_MANAGER: &str = "funcdeck";
const PRESETS: &str = include_str!("tenant/presets.toml");

/// A preset's quota and per-container limits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Preset {
    pub description: String,
    pub quota: BTreeMap<String, String>,
    pub limits: Limits,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub default: BTreeMap<String, String>,
    pub default_request: BTreeMap<String, String>,
    pub max: BTreeMap<String, String>,
}

/// The shipped presets by name (small, medium, large).
pub fn presets() -> BTreeMap<String, Preset> {
    // The file is part of the binary and checked by a test: it always parses.
    toml::from_str(PRESETS).unwrap_or_default()
}

/// The role a tenant's owner is given in it.
pub const OWNER_ROLE: &str = "funcdeck-admin";

/// A tenant to create (or bring back to its preset): what the preview says, one line per
/// object, and the objects themselves as server-side apply bodies, in the order they apply.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantPlan {
    pub name: String,
    pub preset: String,
    pub lines: Vec<String>,
    pub objects: Vec<Value>,
}

/// A labelled namespace, the quota and limit range of the preset, and — with an owner — a
/// RoleBinding of `funcdeck-admin` to that user (named as `rbac grant` names it, so `rbac
/// revoke` undoes it). The owner is recorded on the namespace as an annotation, and as a label
/// too when the name is a valid label value (`kubectl get ns -l funcdeck.dev/owner=alice`).
pub fn plan_tenant(
    name: &str,
    preset_name: &str,
    preset: &Preset,
    owner: Option<&str>,
) -> TenantPlan {
    let mut labels = json!({TENANT_LABEL: "true"});
    let mut metadata = json!({"name": name, "labels": labels});
    if let Some(owner) = owner {
        if crate::function::check_label_value(owner).is_ok() {
            labels[OWNER_LABEL] = json!(owner);
            metadata["labels"] = labels;
        }
        metadata["annotations"] = json!({OWNER_LABEL: owner});
    }
    let mut objects = vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": metadata}),
        json!({"apiVersion": "v1", "kind": "ResourceQuota",
            "metadata": {"name": QUOTA_NAME, "namespace": name},
            "spec": {"hard": preset.quota}}),
        json!({"apiVersion": "v1", "kind": "LimitRange",
            "metadata": {"name": QUOTA_NAME, "namespace": name},
            "spec": {"limits": [{"type": "Container",
                "default": preset.limits.default,
                "defaultRequest": preset.limits.default_request,
                "max": preset.limits.max}]}}),
    ];
    let pairs = |m: &BTreeMap<String, String>| {
        m.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![
        match owner {
            Some(owner) => format!("namespace {name} labelled {TENANT_LABEL}=true, owner {owner}"),
            None => format!("namespace {name} labelled {TENANT_LABEL}=true"),
        },
        format!("quota {QUOTA_NAME}: {}", pairs(&preset.quota)),
        format!(
            "limit range {QUOTA_NAME}, per container: default {}; default request {}; max {}",
            pairs(&preset.limits.default),
            pairs(&preset.limits.default_request),
            pairs(&preset.limits.max)
        ),
    ];
    match owner {
        Some(owner) => {
            let grant = Grant {
                role: OWNER_ROLE.to_owned(),
                subject: SubjectRef::User(owner.to_owned()),
                scope: BindingScope::Namespace(name.to_owned()),
            };
            lines.push(format!(
                "role binding {}: {OWNER_ROLE} to user {owner} in {name}",
                grant.binding_name()
            ));
            objects.push(grant.binding(&[grant.subject.to_subject()]));
        }
        None => lines.push("no role binding (no owner given; grant roles in it later)".into()),
    }
    TenantPlan {
        name: name.to_owned(),
        preset: preset_name.to_owned(),
        lines,
        objects,
    }
}

/// Applies the objects in order (the namespace first: the others live in it), each
/// idempotently, under the `funcdeck` field manager.
pub async fn apply_tenant(conn: &Connection, objects: &[Value]) -> Result<(), CoreError> {
    let params = PatchParams::apply(FIELD_MANAGER).force();
    for object in objects {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let (group, version) = match text(&object["apiVersion"]).split_once('/') {
            Some((group, version)) => (group.to_owned(), version.to_owned()),
            None => (String::new(), text(&object["apiVersion"])),
        };
        let gvk = GroupVersionKind::gvk(&group, &version, &text(&object["kind"]));
        let resource = ApiResource::from_gvk(&gvk);
        let namespace = text(&object["metadata"]["namespace"]);
        let api: Api<DynamicObject> = if namespace.is_empty() {
            Api::all_with(conn.client.clone(), &resource)
        } else {
            Api::namespaced_with(conn.client.clone(), &namespace, &resource)
        };
        api.patch(
            &text(&object["metadata"]["name"]),
            &params,
            &Patch::Apply(object),
        )
        .await
        .map_err(|e| conn.error(e))?;
    }
    Ok(())
}

/// One tenant as `tenant list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantSummary {
    pub name: String,
    pub owner: Option<String>,
    pub functions: usize,
    /// `used/hard` of cpu requests, memory requests and functions, where a quota limits them;
    /// `None` when the caller may not read quotas (unknown, not "no quota").
    pub quota: Option<BTreeMap<String, String>>,
    /// `role (n subjects)` per RoleBinding in the namespace; `None` when the caller may not read
    /// role bindings.
    pub roles: Option<Vec<String>>,
}

/// What `tenant list` reads, cluster-wide.
#[derive(Debug, Default)]
pub struct TenantInputs {
    pub namespaces: Vec<Namespace>,
    /// Functions per namespace.
    pub functions: BTreeMap<String, usize>,
    /// `None`: the caller may not list them.
    pub quotas: Option<Vec<ResourceQuota>>,
    /// `None`: the caller may not list them.
    pub bindings: Option<Vec<RoleBinding>>,
}

/// Tenants are the namespaces labelled as such or hosting a function, by name.
pub fn summarize(inputs: &TenantInputs) -> Vec<TenantSummary> {
    let mut tenants = Vec::new();
    for ns in &inputs.namespaces {
        let Some(name) = ns.metadata.name.clone() else {
            continue;
        };
        let labels = ns.metadata.labels.as_ref();
        let label = |key: &str| labels.and_then(|l| l.get(key)).cloned();
        // The annotation holds owners whose names cannot be label values (alice@example.com).
        let owner = label(OWNER_LABEL).or_else(|| {
            ns.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(OWNER_LABEL))
                .cloned()
        });
        let functions = inputs.functions.get(&name).copied().unwrap_or(0);
        if functions == 0 && label(TENANT_LABEL).as_deref() != Some("true") {
            continue;
        }
        let in_ns = |namespace: &Option<String>| namespace.as_deref() == Some(name.as_str());
        let quota = inputs.quotas.as_ref().map(|quotas| {
            let quotas: Vec<ResourceQuota> = quotas
                .iter()
                .filter(|q| in_ns(&q.metadata.namespace))
                .cloned()
                .collect();
            let mut quota = BTreeMap::new();
            for row in usage_rows(&quotas) {
                if ["cpu requests", "memory requests", "functions"].contains(&row.resource.as_str())
                {
                    let used = row.used.unwrap_or_else(|| "?".into());
                    // The first (by quota name) limit shown; they all count the same usage.
                    quota
                        .entry(row.resource)
                        .or_insert(format!("{used}/{}", row.hard));
                }
            }
            quota
        });
        let roles = inputs.bindings.as_ref().map(|bindings| {
            let mut roles: Vec<String> = bindings
                .iter()
                .filter(|b| in_ns(&b.metadata.namespace))
                .map(|b| {
                    let n = b.subjects.as_ref().map_or(0, Vec::len);
                    format!(
                        "{} ({n} subject{})",
                        b.role_ref.name,
                        if n == 1 { "" } else { "s" }
                    )
                })
                .collect();
            roles.sort();
            roles
        });
        tenants.push(TenantSummary {
            owner,
            name,
            functions,
            quota,
            roles,
        });
    }
    tenants.sort_by(|a, b| a.name.cmp(&b.name));
    tenants
}

/// Namespaces, functions per namespace, and (when the caller may read them) quotas and role
/// bindings; each of the last two that is refused comes back as the error, the rest still shown.
pub async fn read_tenants(
    conn: &Connection,
) -> Result<(TenantInputs, Vec<(&'static str, CoreError)>), CoreError> {
    let params = ListParams::default();
    let namespaces = Api::<Namespace>::all(conn.client.clone())
        .list(&params)
        .await
        .map_err(|e| conn.error(e))?
        .items;
    let services =
        crate::functions::list_services(conn, &crate::functions::NamespaceScope::All, None).await?;
    let mut functions = BTreeMap::new();
    for s in &services {
        if let Some(ns) = &s.metadata.namespace {
            *functions.entry(ns.clone()).or_insert(0) += 1;
        }
    }
    let mut missing = Vec::new();
    let quotas = match Api::<ResourceQuota>::all(conn.client.clone())
        .list(&params)
        .await
    {
        Ok(list) => Some(list.items),
        Err(e) => {
            missing.push(("quotas", conn.error(e)));
            None
        }
    };
    let bindings = match Api::<RoleBinding>::all(conn.client.clone())
        .list(&params)
        .await
    {
        Ok(list) => Some(list.items),
        Err(e) => {
            missing.push(("role bindings", conn.error(e)));
            None
        }
    };
    let inputs = TenantInputs {
        namespaces,
        functions,
        quotas,
        bindings,
    };
    Ok((inputs, missing))
}

#[cfg(test)]
mod tests;
