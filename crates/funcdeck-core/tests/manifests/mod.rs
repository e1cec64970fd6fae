//! The stack manifests read as the engine reads them: `components.toml` and `upstream.toml` into
//! small local structs, the engine's default options, placeholder rendering, `when`, and the
//! rendered documents of a component.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use funcdeck_core::stack::bundle::{Bundle, ComponentSpec};
use funcdeck_core::stack::render::{documents, substitute};
use funcdeck_core::stack::{KnativeEra, LogStore, Options, Pin};
use serde_json::Value;

/// A component as `components.toml` lists it (the engine's own type).
pub type Component = ComponentSpec;

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

/// The manifests as the binary embeds them, read by the engine (unknown keys refused).
fn bundle() -> Bundle {
    Bundle::embedded().expect("the manifests load")
}

pub fn components() -> Vec<Component> {
    bundle().components
}

pub fn pins() -> BTreeMap<String, Pin> {
    bundle().upstream
}

/// The engine's default options with this log store, as rendered for this Knative era.
pub fn options(log_store: &str, era: &str) -> BTreeMap<&'static str, String> {
    let options = Options {
        log_store: LogStore::parse(log_store).expect("a log store"),
        ..Options::default()
    };
    let era = KnativeEra::from_version(era).expect("an era");
    options.vars(era)
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

/// The engine's placeholder filling.
pub fn render(text: &str, vars: &BTreeMap<&'static str, String>) -> Result<String, String> {
    substitute(text, vars)
}

/// The rendered documents of a component's files that apply under `vars`, with their file.
pub fn objects(c: &Component, vars: &BTreeMap<&'static str, String>) -> Vec<(String, Value)> {
    let bundle = bundle();
    let mut all = Vec::new();
    for f in c.files.iter().filter(|f| f.applies(vars)) {
        let text = bundle.file(&f.path).expect("a listed file");
        let text = render(text, vars).unwrap_or_else(|e| panic!("{}: {e}", f.path));
        assert!(!text.contains("${"), "{}: a placeholder is left", f.path);
        let docs = documents(&text).unwrap_or_else(|e| panic!("{}: not YAML: {e}", f.path));
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
