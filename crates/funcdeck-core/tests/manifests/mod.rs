//! The stack manifests read as the engine reads them: `components.toml` and `upstream.toml` into
//! small local structs, the engine's default options, placeholder rendering, `when`, and the
//! rendered documents of a component.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Components {
    pub component: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub name: String,
    pub title: String,
    pub upstream: Vec<String>,
    pub files: Vec<FileRef>,
    pub verify: Option<Verify>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    pub path: String,
    pub when: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    pub namespace: String,
    pub service: String,
    pub port: u16,
    pub path: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub version: String,
    pub url: String,
    pub sha256: String,
    pub file: String,
}

/// Kinds without a namespace; every other kind the manifests use is listed in `NAMESPACED`, so
/// a new kind must be placed in one list before the scope check can pass.
pub const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];
pub const NAMESPACED: &[&str] = &[
    "ServiceAccount",
    "ConfigMap",
    "Secret",
    "Service",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Role",
    "RoleBinding",
    "OpenTelemetryCollector",
];

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../manifests")
}

pub fn components() -> Vec<Component> {
    let text = std::fs::read_to_string(root().join("components.toml")).expect("components.toml");
    toml::from_str::<Components>(&text)
        .expect("components.toml in the engine's format")
        .component
}

pub fn pins() -> BTreeMap<String, Pin> {
    let text = std::fs::read_to_string(root().join("upstream.toml")).expect("upstream.toml");
    toml::from_str(&text).expect("upstream.toml in the engine's format")
}

/// The engine's defaults, with the two variables it chooses or detects.
pub fn options(log_store: &str, era: &str) -> BTreeMap<&'static str, String> {
    [
        ("metrics_namespace", "monitoring"),
        ("tracing_namespace", "observability"),
        ("logging_namespace", "logging"),
        ("metrics_storage", "10Gi"),
        ("metrics_retention", "15d"),
        ("log_storage", "30Gi"),
        ("log_store", log_store),
        ("sample_rate", "0.1"),
        ("knative_era", era),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

pub fn every_option_set() -> Vec<BTreeMap<&'static str, String>> {
    let mut all = Vec::new();
    for store in ["elasticsearch", "opensearch"] {
        for era in ["1.18", "1.19"] {
            all.push(options(store, era));
        }
    }
    all
}

/// Replaces each `${name}`; a name that is not an option, or an unclosed `${`, is an error.
pub fn render(text: &str, vars: &BTreeMap<&str, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed placeholder at {:?}", &rest[at..]))?;
        let name = &after[..end];
        let value = vars
            .get(name)
            .ok_or_else(|| format!("unknown placeholder ${{{name}}}"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `when = "var=value"`: the file is used only when the option has that value.
pub fn applies(when: Option<&str>, vars: &BTreeMap<&str, String>) -> bool {
    when.is_none_or(|w| {
        let (var, value) = w.split_once('=').expect("when is var=value");
        vars.get(var).expect("when names an option") == value
    })
}

/// The rendered documents of a component's files that apply under `vars`, with their file.
pub fn objects(c: &Component, vars: &BTreeMap<&str, String>) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for f in c.files.iter().filter(|f| applies(f.when.as_deref(), vars)) {
        let text = std::fs::read_to_string(root().join(&f.path)).expect("a listed file");
        let text = render(&text, vars).unwrap_or_else(|e| panic!("{}: {e}", f.path));
        assert!(!text.contains("${"), "{}: a placeholder is left", f.path);
        let docs: Vec<Value> = serde_saphyr::from_multiple(&text)
            .unwrap_or_else(|e| panic!("{}: not YAML: {e}", f.path));
        let docs: Vec<Value> = docs.into_iter().filter(|d| !d.is_null()).collect();
        assert!(!docs.is_empty(), "{}: no documents", f.path);
        all.extend(docs.into_iter().map(|d| (f.path.clone(), d)));
    }
    all
}

pub fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

pub fn find<'a>(objs: &'a [(String, Value)], kind: &str, name: &str) -> Option<&'a Value> {
    objs.iter()
        .map(|(_, o)| o)
        .find(|o| text(o, "/kind") == Some(kind) && text(o, "/metadata/name") == Some(name))
}

pub fn component<'a>(all: &'a [Component], name: &str) -> &'a Component {
    all.iter().find(|c| c.name == name).expect("the component")
}
