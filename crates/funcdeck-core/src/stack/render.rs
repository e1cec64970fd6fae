//! From manifests and options to the objects the stack wants: placeholders filled, documents
//! parsed, funcdeck's labels added, and each object given its stage and wave.

use std::collections::BTreeMap;

use serde_json::Value;

use super::bundle::Bundle;
use super::component::Component;
use super::object::{Desired, ObjectRef, Wave, label, rank};

/// API groups Kubernetes serves itself; any other group is a custom resource, applied after
/// the CRDs of its stage are established.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "policy",
    "autoscaling",
    "rbac.authorization.k8s.io",
    "apiextensions.k8s.io",
    "admissionregistration.k8s.io",
    "apiregistration.k8s.io",
    "networking.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "certificates.k8s.io",
];

/// Replaces every `${name}`; an unknown name or an unclosed `${` is an error naming it.
pub fn substitute(text: &str, vars: &BTreeMap<&'static str, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| "an unclosed ${ placeholder".to_string())?;
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

/// The objects of a multi-document YAML text (empty documents skipped; `List`s unpacked).
pub fn documents(text: &str) -> Result<Vec<Value>, String> {
    let docs: Vec<Value> =
        serde_saphyr::from_multiple(text).map_err(|e| e.without_snippet().to_string())?;
    let mut objects = Vec::new();
    for doc in docs {
        match doc {
            Value::Null => {}
            Value::Object(_) if doc.get("kind").and_then(Value::as_str) == Some("List") => {
                if let Some(items) = doc.get("items").and_then(Value::as_array) {
                    objects.extend(items.iter().cloned());
                }
            }
            Value::Object(_) => objects.push(doc),
            _ => return Err("a document is not an object".into()),
        }
    }
    Ok(objects)
}

/// Everything the chosen components want, in apply order. `upstream` holds the third-party
/// releases' texts by pin name (already checked against their SHA-256); without it only
/// funcdeck's own manifests are rendered.
pub fn desired(
    bundle: &Bundle,
    components: &[Component],
    vars: &BTreeMap<&'static str, String>,
    upstream: Option<&BTreeMap<String, String>>,
) -> Result<Vec<Desired>, String> {
    let mut all = Vec::new();
    let mut stage = 0;
    for &component in components {
        let spec = bundle
            .spec(component)
            .ok_or_else(|| format!("the manifests have no {component} component"))?;
        for name in spec.upstream.iter().filter(|_| upstream.is_some()) {
            let text = upstream
                .and_then(|u| u.get(name))
                .ok_or_else(|| format!("the {name} release manifest was not obtained"))?;
            let objects = documents(text).map_err(|e| format!("{name} release manifest: {e}"))?;
            push(&mut all, component, name, stage, objects)?;
            stage += 1;
        }
        let mut own = Vec::new();
        for file in spec.files.iter().filter(|f| f.applies(vars)) {
            let text = bundle
                .file(&file.path)
                .ok_or_else(|| format!("manifests/{} is missing", file.path))?;
            let text =
                substitute(text, vars).map_err(|e| format!("manifests/{}: {e}", file.path))?;
            let objects = documents(&text).map_err(|e| format!("manifests/{}: {e}", file.path))?;
            own.extend(objects.into_iter().map(|o| (file.path.clone(), o)));
        }
        if !own.is_empty() {
            for (source, object) in own {
                push(&mut all, component, &source, stage, vec![object])?;
            }
            stage += 1;
        }
    }
    all.sort_by_key(|d| (d.stage, d.wave, rank(&d.reference)));
    Ok(all)
}

fn push(
    all: &mut Vec<Desired>,
    component: Component,
    source: &str,
    stage: usize,
    objects: Vec<Value>,
) -> Result<(), String> {
    for mut object in objects {
        let reference = ObjectRef::of(&object).map_err(|e| format!("{source}: {e}"))?;
        if all.iter().any(|d| d.reference == reference) {
            return Err(format!("{source}: {reference} is defined twice"));
        }
        let shared = component == Component::Wiring;
        if !shared {
            label(&mut object, component);
        }
        let wave = if matches!(
            reference.kind.as_str(),
            "CustomResourceDefinition" | "Namespace"
        ) {
            Wave::Foundations
        } else if BUILT_IN_GROUPS.contains(&reference.group()) {
            Wave::Objects
        } else {
            Wave::CustomResources
        };
        all.push(Desired {
            component,
            source: source.to_string(),
            stage,
            wave,
            reference,
            object,
            shared,
        });
    }
    Ok(())
}
