//! One object of the stack: its identity, where it came from, and the order it is applied in.

use std::fmt;

use serde_json::{Value, json};

use super::component::Component;

/// Labels every object funcdeck applies carries: uninstall and status find them by these, and
/// an object without them is someone else's.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
pub const MANAGER: &str = "funcdeck";
pub const COMPONENT_LABEL: &str = "funcdeck.dev/component";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    /// `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn of(object: &Value) -> Result<Self, String> {
        let text = |path: &[&str]| {
            let mut at = object;
            for key in path {
                at = at.get(key)?;
            }
            at.as_str().filter(|s| !s.is_empty()).map(str::to_string)
        };
        let kind = text(&["kind"]).ok_or("an object has no kind")?;
        let name = text(&["metadata", "name"]).ok_or_else(|| format!("a {kind} has no name"))?;
        Ok(ObjectRef {
            api_version: text(&["apiVersion"])
                .ok_or_else(|| format!("{kind} {name} has no apiVersion"))?,
            namespace: text(&["metadata", "namespace"]),
            kind,
            name,
        })
    }

    /// `apps` of `apps/v1`; empty for the core group.
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }

    pub fn version(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or(&self.api_version, |(_, v)| v)
    }

    /// Whether readiness is worth waiting for (the rest is ready once the server took it).
    pub fn is_waitable(&self) -> bool {
        matches!(
            (self.group(), self.kind.as_str()),
            ("apiextensions.k8s.io", "CustomResourceDefinition")
                | ("apps", "Deployment" | "StatefulSet" | "DaemonSet")
        )
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// The wave an object is applied in within its stage: CRDs and namespaces first (everything
/// else may live in them), custom resources last (their CRDs must be established first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wave {
    Foundations,
    Objects,
    CustomResources,
}

/// An object the stack wants, rendered and labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    pub component: Component,
    /// The manifest file or the third-party release it came from.
    pub source: String,
    /// Applied and waited for before the next stage starts (a third-party release, then ours).
    pub stage: usize,
    pub wave: Wave,
    pub reference: ObjectRef,
    pub object: Value,
    /// Knative's own objects (the wiring's ConfigMaps): funcdeck merges its keys in and takes
    /// only those out again; the object itself is never created or deleted by us.
    pub shared: bool,
}

/// The order within a wave: what others refer to first (accounts, roles, config, services),
/// then the workloads, then the webhooks that would otherwise refuse writes before their
/// workload runs.
pub fn rank(reference: &ObjectRef) -> u8 {
    match reference.kind.as_str() {
        "CustomResourceDefinition" => 0,
        "Namespace" => 1,
        "ServiceAccount" => 2,
        "ClusterRole" | "Role" => 3,
        "ClusterRoleBinding" | "RoleBinding" => 4,
        "ConfigMap" | "Secret" => 5,
        "PersistentVolumeClaim" => 6,
        "Service" => 7,
        "Deployment" | "StatefulSet" | "DaemonSet" => 8,
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => 9,
        _ => 10,
    }
}

/// Adds funcdeck's labels (a shared object gets none: it stays Knative's).
pub fn label(object: &mut Value, component: Component) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    let metadata = map.entry("metadata").or_insert_with(|| json!({}));
    if !metadata.is_object() {
        *metadata = json!({});
    }
    let labels = metadata
        .as_object_mut()
        .map(|m| m.entry("labels").or_insert_with(|| json!({})));
    if let Some(labels) = labels {
        if !labels.is_object() {
            *labels = json!({});
        }
        labels[MANAGED_BY] = json!(MANAGER);
        labels[COMPONENT_LABEL] = json!(component.name());
    }
}

/// Whether an object found in the cluster was applied by funcdeck.
pub fn is_ours(object: &Value) -> bool {
    object
        .pointer("/metadata/labels")
        .and_then(|l| l.get(MANAGED_BY))
        .and_then(Value::as_str)
        == Some(MANAGER)
}

/// Who else manages an object, for the message that refuses to take it over.
pub fn owner_of(object: &Value) -> String {
    if let Some(by) = object
        .pointer("/metadata/labels")
        .and_then(|l| l.get(MANAGED_BY))
        .and_then(Value::as_str)
    {
        return by.to_string();
    }
    object
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .and_then(|fields| fields.first())
        .and_then(|f| f.get("manager"))
        .and_then(Value::as_str)
        .map_or_else(|| "another tool".to_string(), str::to_string)
}
