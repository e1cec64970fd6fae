//! What fields each served kind has, and how its lists merge. The apiserver knows this from
//! OpenAPI (built-ins) and CRD schemas; we keep a compact tree of field names per kind (the
//! `*.tree` files, derived from the upstream Knative CRDs) because two things need it:
//! `fieldValidation=Strict|Warn` (unknown-field detection) and server-side apply (which lists
//! are maps keyed by `name`, which are atomic). Kinds without a tree accept anything.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::resources::ResourceDef;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ListType {
    #[default]
    Atomic,
    Map(Vec<String>),
    Set,
}

#[derive(Debug, Default)]
pub struct Node {
    pub children: BTreeMap<String, Node>,
    /// Anything below is allowed (preserve-unknown-fields, or a free-form map).
    pub any: bool,
    /// Set for list fields.
    pub list: Option<ListType>,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.get(name)
    }
}

/// ObjectMeta's fields: the apiserver decodes metadata strictly for every kind.
const OBJECT_META: &str = "
 metadata
  annotations {}
  creationTimestamp
  deletionGracePeriodSeconds
  deletionTimestamp
  finalizers [set]
  generateName
  generation
  labels {}
  managedFields ~ []
  name
  namespace
  ownerReferences [uid]
   apiVersion
   blockOwnerDeletion
   controller
   kind
   name
   uid
  resourceVersion
  selfLink
  uid
";

fn parse(text: &str, into: &mut BTreeMap<String, Node>) {
    let mut current: Option<String> = None;
    let mut lines: Vec<&str> = Vec::new();
    let mut flush = |kind: Option<String>, lines: &mut Vec<&str>| {
        if let Some(kind) = kind {
            let mut root = Node::default();
            let body: Vec<&str> = OBJECT_META.lines().chain(lines.iter().copied()).collect();
            build(&mut root, &body, &mut 0, 1);
            for f in ["apiVersion", "kind"] {
                root.children.insert(f.into(), Node::default());
            }
            into.insert(kind, root);
        }
        lines.clear();
    };
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(kind) = line.strip_prefix('=') {
            flush(current.take(), &mut lines);
            current = Some(kind.trim().to_string());
        } else {
            lines.push(line);
        }
    }
    flush(current, &mut lines);
}

/// Reads lines at indentation `depth` into `node`'s children, recursing into deeper lines.
fn build(node: &mut Node, lines: &[&str], i: &mut usize, depth: usize) {
    while let Some(line) = lines.get(*i) {
        if line.trim().is_empty() {
            *i += 1;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent < depth {
            return;
        }
        *i += 1;
        let mut parts = line.split_whitespace();
        let Some(name) = parts.next() else { continue };
        let mut child = Node::default();
        for mark in parts {
            match mark {
                "~" | "{}" => child.any = true,
                "[]" => child.list = Some(ListType::Atomic),
                "[set]" => child.list = Some(ListType::Set),
                m if m.starts_with('[') => {
                    let keys = m.trim_matches(|c| c == '[' || c == ']');
                    child.list = Some(ListType::Map(keys.split(',').map(str::to_string).collect()));
                }
                _ => {}
            }
        }
        build(&mut child, lines, i, indent + 1);
        node.children.insert(name.to_string(), child);
    }
}

fn trees() -> &'static BTreeMap<String, Node> {
    static TREES: OnceLock<BTreeMap<String, Node>> = OnceLock::new();
    TREES.get_or_init(|| {
        let mut m = BTreeMap::new();
        let mut knative = BTreeMap::new();
        parse(include_str!("knative.tree"), &mut knative);
        for (k, v) in knative {
            m.insert(format!("serving.knative.dev/{k}"), v);
        }
        let mut core = BTreeMap::new();
        parse(include_str!("core.tree"), &mut core);
        for (k, v) in core {
            m.insert(format!("/{k}"), v);
        }
        m
    })
}

/// The schema tree of a kind, if we know it.
pub fn of(def: &ResourceDef) -> Option<&'static Node> {
    trees().get(&format!("{}/{}", def.group, def.kind))
}

/// Paths (`spec.foo`, `spec.containers[0].bar`) of fields the schema does not declare.
pub fn unknown_fields(def: &ResourceDef, obj: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(root) = of(def) {
        walk(root, obj, "", &mut out);
    }
    out
}

/// Drops fields the schema does not declare, as the apiserver's decoder (built-ins) and CRD
/// structural pruning do when validation is not Strict.
pub fn prune(def: &ResourceDef, obj: &mut Value) {
    if let Some(root) = of(def) {
        prune_node(root, obj);
    }
}

fn prune_node(node: &Node, v: &mut Value) {
    if node.any || node.children.is_empty() {
        return;
    }
    match v {
        Value::Object(m) if node.list.is_none() => {
            m.retain(|k, _| node.children.contains_key(k));
            for (k, c) in m.iter_mut() {
                if let Some(n) = node.child(k) {
                    prune_node(n, c);
                }
            }
        }
        Value::Array(items) if node.list.is_some() => {
            for item in items {
                if let Value::Object(m) = item {
                    m.retain(|k, _| node.children.contains_key(k));
                    for (k, c) in m.iter_mut() {
                        if let Some(n) = node.child(k) {
                            prune_node(n, c);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn walk(node: &Node, v: &Value, path: &str, out: &mut Vec<String>) {
    if node.any {
        return;
    }
    match v {
        Value::Object(m) if node.list.is_none() => {
            for (k, child) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match node.child(k) {
                    Some(n) => walk(n, child, &p, out),
                    None if node.children.is_empty() => {}
                    None => out.push(p),
                }
            }
        }
        Value::Array(items) if node.list.is_some() && !node.children.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if let Value::Object(m) = item {
                    for (k, child) in m {
                        let p = format!("{path}[{i}].{k}");
                        match node.child(k) {
                            Some(n) => walk(n, child, &p, out),
                            None => out.push(p),
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Res;
    use serde_json::json;

    #[test]
    fn knative_service_unknown_fields() {
        let def = Res::KService.def();
        let ok = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "x", "labels": {"a": "b"}},
            "spec": {"template": {"metadata": {"anything": 1}, "spec": {"containers": [
                {"image": "i", "env": [{"name": "A", "value": "1"}]}]}},
                "traffic": [{"latestRevision": true, "percent": 100}]}});
        assert!(unknown_fields(def, &ok).is_empty());
        let bad = json!({"metadata": {"name": "x", "colour": 1}, "spec": {"foo": 1,
            "template": {"spec": {"containers": [{"image": "i", "imagee": "j"}]}}}});
        assert_eq!(
            unknown_fields(def, &bad),
            vec![
                "metadata.colour",
                "spec.foo",
                "spec.template.spec.containers[0].imagee"
            ]
        );
        let env = of(def)
            .and_then(|n| n.child("spec"))
            .and_then(|n| n.child("template"))
            .and_then(|n| n.child("spec"))
            .and_then(|n| n.child("containers"))
            .and_then(|n| n.child("env"))
            .and_then(|n| n.list.clone());
        assert_eq!(env, Some(ListType::Map(vec!["name".into()])));
    }

    #[test]
    fn core_kinds() {
        let def = Res::ConfigMap.def();
        assert!(unknown_fields(def, &json!({"data": {"k": "v"}})).is_empty());
        assert_eq!(unknown_fields(def, &json!({"dta": {}})), vec!["dta"]);
    }
}
