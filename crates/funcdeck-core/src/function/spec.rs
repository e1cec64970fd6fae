//! A change to a function's configuration as a person states it (the create/update form, the
//! `fn create`/`fn update` flags): only what is set is written, onto a new Service or onto the
//! live one, so an update changes exactly the fields the user touched and nothing a kubectl
//! apply, kn or a controller wrote elsewhere in the object.

use serde_json::{Map, Value, json};

use super::spec_check::{FieldError, check_change};

pub const MIN_SCALE: &str = "autoscaling.knative.dev/min-scale";
pub const MAX_SCALE: &str = "autoscaling.knative.dev/max-scale";
pub const INITIAL_SCALE: &str = "autoscaling.knative.dev/initial-scale";
pub const TARGET: &str = "autoscaling.knative.dev/target";
/// The extended resource name of an NVIDIA GPU.
pub const GPU: &str = "nvidia.com/gpu";

/// Which form field (or flag) a value belongs to, so a refusal can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Image,
    Env,
    Requests,
    Limits,
    Concurrency,
    MinScale,
    MaxScale,
    InitialScale,
    Target,
    Timeout,
    Port,
    Labels,
    Annotations,
    RevisionName,
}

impl Field {
    /// The label the form shows and errors start with.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Image => "image",
            Field::Env => "env",
            Field::Requests => "requests",
            Field::Limits => "limits",
            Field::Concurrency => "concurrency",
            Field::MinScale => "min scale",
            Field::MaxScale => "max scale",
            Field::InitialScale => "initial scale",
            Field::Target => "autoscaling target",
            Field::Timeout => "timeout",
            Field::Port => "port",
            Field::Labels => "labels",
            Field::Annotations => "annotations",
            Field::RevisionName => "revision name",
        }
    }
}

/// `None` leaves a field as it is; in the key/value lists a `None` value removes the key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecChange {
    pub image: Option<String>,
    pub env: Vec<(String, Option<String>)>,
    /// Resource name (`cpu`, `memory`, [`GPU`]) and quantity; `None` removes it.
    pub requests: Vec<(String, Option<String>)>,
    pub limits: Vec<(String, Option<String>)>,
    pub concurrency: Option<u32>,
    pub min_scale: Option<u32>,
    pub max_scale: Option<u32>,
    pub initial_scale: Option<u32>,
    /// The autoscaler's per-pod concurrency target.
    pub target: Option<u32>,
    pub timeout_seconds: Option<u32>,
    pub port: Option<u16>,
    /// Set on the Service and on its revision template, as `kn --label` does.
    pub labels: Vec<(String, Option<String>)>,
    pub annotations: Vec<(String, Option<String>)>,
    /// A name for the new revision; without the `NAME-` prefix Knative requires, it is added.
    pub revision_name: Option<String>,
}

impl SpecChange {
    /// Every problem in the change, each at its field.
    pub fn check(&self) -> Vec<FieldError> {
        check_change(self)
    }

    /// What a change sets, in one line: `image ghcr.io/x:2, env +A -B, cpu request 250m`.
    pub fn summary(&self) -> String {
        let change = self;
        let mut parts = Vec::new();
        if let Some(image) = &change.image {
            parts.push(format!("image {image}"));
        }
        let pairs = |list: &[(String, Option<String>)]| -> String {
            list.iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}={v}"),
                    None => format!("-{k}"),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        for (label, list) in [
            ("env", &change.env),
            ("requests", &change.requests),
            ("limits", &change.limits),
            ("labels", &change.labels),
            ("annotations", &change.annotations),
        ] {
            if !list.is_empty() {
                parts.push(format!("{label} {}", pairs(list)));
            }
        }
        let numbers = [
            ("concurrency", change.concurrency),
            ("min scale", change.min_scale),
            ("max scale", change.max_scale),
            ("initial scale", change.initial_scale),
            ("target", change.target),
            ("timeout", change.timeout_seconds),
            ("port", change.port.map(u32::from)),
        ];
        for (label, value) in numbers {
            if let Some(value) = value {
                parts.push(format!("{label} {value}"));
            }
        }
        if let Some(name) = &change.revision_name {
            parts.push(format!("revision {name}"));
        }
        parts.join(", ")
    }

    /// The revision name Knative will be asked for, prefixed with the function's name.
    pub fn full_revision_name(&self, function: &str) -> Option<String> {
        self.revision_name.as_ref().map(|n| {
            if n.starts_with(&format!("{function}-")) {
                n.clone()
            } else {
                format!("{function}-{n}")
            }
        })
    }
}

/// A new Service `namespace/name` with `change` applied (the image is required by the caller's
/// check: a function cannot be created without one).
pub fn new_service(namespace: &str, name: &str, change: &SpecChange) -> Value {
    let mut service = json!({
        "apiVersion": crate::knative::API_VERSION,
        "kind": "Service",
        "metadata": { "name": name, "namespace": namespace },
        "spec": { "template": { "spec": { "containers": [ {} ] } } },
    });
    apply_change(&mut service, name, change);
    service
}

/// Writes `change` into `service` (a whole Service object). A template change without a new
/// revision name drops the old one, because Knative refuses a changed template under an old
/// name (kn does the same).
pub fn apply_change(service: &mut Value, name: &str, change: &SpecChange) {
    let template_before = service.pointer("/spec/template").cloned();
    for (key, value) in &change.labels {
        set_key(object_at(service, &["metadata", "labels"]), key, value);
        set_key(
            object_at(service, &["spec", "template", "metadata", "labels"]),
            key,
            value,
        );
    }
    for (key, value) in &change.annotations {
        set_key(object_at(service, &["metadata", "annotations"]), key, value);
        set_key(
            object_at(service, &["spec", "template", "metadata", "annotations"]),
            key,
            value,
        );
    }
    let scale = [
        (MIN_SCALE, change.min_scale),
        (MAX_SCALE, change.max_scale),
        (INITIAL_SCALE, change.initial_scale),
        (TARGET, change.target),
    ];
    for (key, value) in scale {
        if let Some(value) = value {
            object_at(service, &["spec", "template", "metadata", "annotations"])
                .insert(key.into(), json!(value.to_string()));
        }
    }
    let spec = object_at(service, &["spec", "template", "spec"]);
    if let Some(concurrency) = change.concurrency {
        spec.insert("containerConcurrency".into(), json!(concurrency));
    }
    if let Some(timeout) = change.timeout_seconds {
        spec.insert("timeoutSeconds".into(), json!(timeout));
    }
    let container = serving_container(spec);
    if let Some(image) = &change.image {
        container.insert("image".into(), json!(image));
    }
    if let Some(port) = change.port {
        container.insert("ports".into(), json!([{ "containerPort": port }]));
    }
    apply_env(container, &change.env);
    for (kind, list) in [("requests", &change.requests), ("limits", &change.limits)] {
        for (resource, quantity) in list {
            let map = object_in(object_in(container, "resources"), kind);
            set_key(map, resource, quantity);
        }
    }
    prune_empty(container, "resources");
    let template_changed = service.pointer("/spec/template").cloned() != template_before;
    let metadata = object_at(service, &["spec", "template", "metadata"]);
    match change.full_revision_name(name) {
        Some(revision) => {
            metadata.insert("name".into(), json!(revision));
        }
        None if template_changed => {
            metadata.remove("name");
        }
        None => {}
    }
    if metadata.is_empty() {
        template_object(service).remove("metadata");
    }
}

fn template_object(service: &mut Value) -> &mut Map<String, Value> {
    object_at(service, &["spec", "template"])
}

/// The container that serves requests: the one declaring a port, else the first.
fn serving_container(spec: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let containers = spec
        .entry("containers")
        .or_insert_with(|| json!([{}]))
        .as_array_mut();
    let Some(containers) = containers else {
        unreachable!("containers was just made an array if missing")
    };
    if containers.is_empty() {
        containers.push(json!({}));
    }
    let index = containers
        .iter()
        .position(|c| c.get("ports").is_some())
        .unwrap_or(0);
    if !containers[index].is_object() {
        containers[index] = json!({});
    }
    match containers[index].as_object_mut() {
        Some(container) => container,
        None => unreachable!("made an object above"),
    }
}

fn apply_env(container: &mut Map<String, Value>, env: &[(String, Option<String>)]) {
    if env.is_empty() {
        return;
    }
    let list = container.entry("env").or_insert_with(|| json!([]));
    if !list.is_array() {
        *list = json!([]);
    }
    let Some(list) = list.as_array_mut() else {
        return;
    };
    for (name, value) in env {
        let at = list
            .iter()
            .position(|e| e.get("name").and_then(Value::as_str) == Some(name));
        match (at, value) {
            (Some(i), Some(value)) => list[i] = json!({ "name": name, "value": value }),
            (None, Some(value)) => list.push(json!({ "name": name, "value": value })),
            (Some(i), None) => {
                list.remove(i);
            }
            (None, None) => {}
        }
    }
    if list.is_empty() {
        container.remove("env");
    }
}

fn set_key(map: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    match value {
        Some(value) => {
            map.insert(key.into(), json!(value));
        }
        None => {
            map.remove(key);
        }
    }
}

/// Drops `resources` (and its `requests`/`limits`) when a removal left it empty.
fn prune_empty(container: &mut Map<String, Value>, key: &str) {
    if let Some(Value::Object(resources)) = container.get_mut(key) {
        resources.retain(|_, v| !matches!(v, Value::Object(m) if m.is_empty()));
        if resources.is_empty() {
            container.remove(key);
        }
    }
}

/// The object at `path` inside `value`, made (replacing a non-object) where missing.
fn object_at<'a>(value: &'a mut Value, path: &[&str]) -> &'a mut Map<String, Value> {
    if !value.is_object() {
        *value = json!({});
    }
    let Some(mut map) = value.as_object_mut() else {
        unreachable!("made an object above")
    };
    for key in path {
        map = object_in(map, key);
    }
    map
}

fn object_in<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = map.entry(key).or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    match entry.as_object_mut() {
        Some(map) => map,
        None => unreachable!("made an object above"),
    }
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
