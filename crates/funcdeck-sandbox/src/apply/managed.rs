//! `metadata.managedFields`: one entry per (manager, operation, subresource), read into field
//! sets and written back. Non-apply writes record `operation: Update` for the fields they
//! changed and take those fields from every other manager (updates never conflict).

use serde_json::{Map, Value, json};

use super::fieldset::{FieldSet, of_members};
use crate::obj;
use crate::resources::ResourceDef;
use crate::schema;

#[derive(Debug, Clone)]
pub struct Entry {
    pub manager: String,
    pub operation: String,
    pub subresource: String,
    pub api_version: String,
    pub time: String,
    pub set: FieldSet,
}

impl Entry {
    pub fn is(&self, manager: &str, operation: &str, subresource: &str) -> bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }

    /// How a conflict names this manager (apimachinery `printManager`).
    pub fn describe(&self) -> String {
        let mut s = format!("{:?}", self.manager);
        if !self.subresource.is_empty() {
            s.push_str(&format!(" with subresource {:?}", self.subresource));
        }
        if self.operation == "Update" {
            s.push_str(&format!(" using {}", self.api_version));
        }
        s
    }
}

pub fn read(o: &Value) -> Vec<Entry> {
    let Some(items) = obj::at(o, &["metadata", "managedFields"]).and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|e| {
            let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            Entry {
                manager: s("manager"),
                operation: s("operation"),
                subresource: s("subresource"),
                api_version: s("apiVersion"),
                time: s("time"),
                set: e
                    .get("fieldsV1")
                    .map(FieldSet::from_json)
                    .unwrap_or_default(),
            }
        })
        .collect()
}

pub fn write(o: &mut Value, entries: &[Entry]) {
    let items: Vec<Value> = entries
        .iter()
        .filter(|e| !e.set.is_empty())
        .map(|e| {
            let mut m = Map::new();
            m.insert("manager".into(), json!(e.manager));
            m.insert("operation".into(), json!(e.operation));
            m.insert("apiVersion".into(), json!(e.api_version));
            m.insert("time".into(), json!(e.time));
            m.insert("fieldsType".into(), json!("FieldsV1"));
            m.insert("fieldsV1".into(), e.set.to_json());
            if !e.subresource.is_empty() {
                m.insert("subresource".into(), json!(e.subresource));
            }
            Value::Object(m)
        })
        .collect();
    if items.is_empty() {
        obj::remove(o, &["metadata", "managedFields"]);
    } else {
        obj::set(o, &["metadata", "managedFields"], Value::Array(items));
    }
}

/// Metadata the server owns: never part of anyone's field set.
const SYSTEM_META: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// The part of an object field ownership is tracked for: status for the status subresource,
/// everything else (minus server-owned metadata) for the main resource.
pub fn tracked(def: &ResourceDef, o: &Value, status: bool) -> Value {
    let mut out = Map::new();
    let Some(m) = o.as_object() else {
        return Value::Object(out);
    };
    for (k, v) in m {
        let keep = match k.as_str() {
            "apiVersion" | "kind" => false,
            "status" => status || !def.status_subresource,
            _ => !status,
        };
        if !keep {
            continue;
        }
        if k == "metadata" {
            let meta: Map<String, Value> = v
                .as_object()
                .map(|mm| {
                    mm.iter()
                        .filter(|(k, _)| !SYSTEM_META.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            if !meta.is_empty() {
                out.insert(k.clone(), Value::Object(meta));
            }
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

pub fn set_of(def: &ResourceDef, tracked: &Value) -> FieldSet {
    FieldSet {
        own: false,
        children: of_members(tracked, schema::of(def)),
    }
}

/// Paths whose value in `new` differs from `old` (added or changed).
fn changed(def: &ResourceDef, old: &Value, new: &Value) -> FieldSet {
    let mut all = set_of(def, new);
    let mut same = FieldSet::default();
    for p in all.paths() {
        if all.leaf_at(&p) && super::fieldset::get(old, &p) == super::fieldset::get(new, &p) {
            let mut s = &mut same;
            for e in &p {
                s = s.children.entry(e.clone()).or_default();
            }
            s.own = true;
        }
    }
    all.subtract(&same);
    // Map-list items that already existed are not "changed" by themselves.
    let old_set = set_of(def, old);
    strip_existing_items(&mut all, &old_set);
    all
}

fn strip_existing_items(s: &mut FieldSet, old: &FieldSet) {
    if old.own && !old.children.is_empty() {
        s.own = false;
    }
    for (k, c) in s.children.iter_mut() {
        if let Some(o) = old.children.get(k) {
            strip_existing_items(c, o);
        }
    }
    s.children.retain(|_, c| !c.is_empty());
}

/// Records a non-apply write by `manager` on `new` (whose managedFields start as `old`'s).
pub fn record_update(
    def: &ResourceDef,
    old: Option<&Value>,
    new: &mut Value,
    manager: &str,
    status: bool,
    now: &str,
) {
    let new_t = tracked(def, new, status);
    let old_t = old.map(|o| tracked(def, o, status)).unwrap_or(json!({}));
    let changed = changed(def, &old_t, &new_t);
    let mut removed = set_of(def, &old_t);
    removed.subtract(&set_of(def, &new_t));
    let sub = if status { "status" } else { "" };
    let mut entries = read(new);
    for e in entries.iter_mut() {
        if !e.is(manager, "Update", sub) {
            e.set.subtract(&changed);
        }
        e.set.subtract(&removed);
    }
    match entries.iter_mut().find(|e| e.is(manager, "Update", sub)) {
        Some(e) => {
            if !changed.is_empty() {
                e.time = now.to_string();
            }
            e.set.union(&changed);
        }
        None if !changed.is_empty() => entries.push(Entry {
            manager: manager.to_string(),
            operation: "Update".into(),
            subresource: sub.into(),
            api_version: def.api_version().to_string(),
            time: now.to_string(),
            set: changed,
        }),
        None => {}
    }
    write(new, &entries);
}
