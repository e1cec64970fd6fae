//! Server-side apply (`application/apply-patch+yaml`) and the field ownership it rests on
//! (reference §3): conflicts with the exact apimachinery message, `force` moving ownership,
//! removal of fields the applier stopped applying, schema-aware merging (map lists by key,
//! other lists atomic), and `operation: Update` bookkeeping for every other write.

pub mod fieldset;
pub mod last_applied;
pub mod managed;

use serde_json::{Value, json};

use fieldset::{FieldSet, path_string};
use managed::{Entry, read, set_of, tracked, write};

use crate::obj;
use crate::resources::ResourceDef;
use crate::schema::{self, ListType, Node};
use crate::status::ApiError;

/// Checks an apply body against the URL (apiVersion, kind, name; no managedFields).
pub fn check_body(def: &ResourceDef, name: &str, cfg: &Value) -> Result<(), ApiError> {
    if !cfg.is_object() {
        return Err(ApiError::bad_request(
            "error decoding YAML: the body is not an object",
        ));
    }
    let version = cfg.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if version != def.api_version() {
        return Err(ApiError::bad_request(format!(
            "Incorrect version specified in apply patch. Specified patch version: {version}, expected: {}",
            def.api_version()
        )));
    }
    let kind = cfg.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind != def.kind {
        return Err(ApiError::bad_request(format!(
            "the kind in the data ({kind}) does not match the expected kind ({})",
            def.kind
        )));
    }
    match obj::str_at(cfg, &["metadata", "name"]) {
        Some(n) if n == name => {}
        Some(n) => {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({n}) does not match the name on the URL ({name})"
            )));
        }
        None => {
            return Err(ApiError::bad_request(
                "metadata.name: Required value: name is required",
            ));
        }
    }
    if obj::at(cfg, &["metadata", "managedFields"]).is_some() {
        return Err(ApiError::bad_request("metadata.managedFields must be nil"));
    }
    Ok(())
}

/// The object after `manager` applies `cfg` onto `live` (`None`: the object is created).
pub fn apply(
    def: &ResourceDef,
    live: Option<&Value>,
    cfg: &Value,
    manager: &str,
    force: bool,
    status: bool,
    now: &str,
) -> Result<Value, ApiError> {
    let sub = if status { "status" } else { "" };
    let cfg_t = tracked(def, cfg, status);
    let new_set = set_of(def, &cfg_t);
    let mut entries = live.map(read).unwrap_or_default();
    let live_t = live.map(|l| tracked(def, l, status)).unwrap_or(json!({}));
    let mut conflicts: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.is(manager, "Apply", sub) {
            continue;
        }
        for p in new_set.paths() {
            if new_set.leaf_at(&p)
                && e.set.contains(&p)
                && fieldset::get(&live_t, &p) != fieldset::get(&cfg_t, &p)
            {
                conflicts.push((i, p));
            }
        }
    }
    if !conflicts.is_empty() && !force {
        let left = if manager == last_applied::UPGRADING_MANAGER {
            last_applied::remaining(def, live, &live_t, status, &conflicts)
        } else {
            conflicts.clone()
        };
        if !left.is_empty() {
            return Err(conflict_error(&entries, &left));
        }
    }
    for (i, p) in &conflicts {
        if let Some(e) = entries.get_mut(*i) {
            let mut one = FieldSet::default();
            let mut s = &mut one;
            for el in p {
                s = s.children.entry(el.clone()).or_default();
            }
            s.own = true;
            e.set.subtract(&one);
        }
    }
    let mut others = FieldSet::default();
    for e in entries.iter().filter(|e| !e.is(manager, "Apply", sub)) {
        others.union(&e.set);
    }
    let mut out = live.cloned().unwrap_or_else(|| json!({}));
    if let Some(prev) = entries.iter().find(|e| e.is(manager, "Apply", sub)) {
        let mut gone = prev.set.clone();
        gone.subtract(&new_set);
        gone.subtract(&others);
        for p in gone.paths().iter().rev() {
            fieldset::remove(&mut out, p);
        }
    }
    merge(&mut out, cfg, schema::of(def));
    // An apply that changes no ownership keeps its timestamp, so a repeated apply is a no-op
    // (no new resourceVersion), as upstream ignores managedFields timestamps for that.
    let time = match entries.iter().find(|e| e.is(manager, "Apply", sub)) {
        Some(prev) if prev.set == new_set && conflicts.is_empty() => prev.time.clone(),
        _ => now.to_string(),
    };
    let position = entries.iter().position(|e| e.is(manager, "Apply", sub));
    let entry = Entry {
        manager: manager.to_string(),
        operation: "Apply".into(),
        subresource: sub.into(),
        api_version: def.api_version().to_string(),
        time,
        set: new_set,
    };
    match position.and_then(|i| entries.get_mut(i)) {
        Some(slot) => *slot = entry,
        None => entries.push(entry),
    }
    write(&mut out, &entries);
    Ok(out)
}

/// Merges an applied configuration: maps by member, map lists by key, the rest replaced.
fn merge(t: &mut Value, s: &Value, node: Option<&Node>) {
    let node = node.filter(|n| !n.any);
    match (t, s) {
        (Value::Object(tm), Value::Object(sm)) => {
            for (k, sv) in sm {
                let child = node.and_then(|n| n.child(k));
                if sv.is_null() {
                    tm.remove(k);
                    continue;
                }
                match tm.get_mut(k) {
                    Some(tv) => merge(tv, sv, child),
                    None => {
                        tm.insert(k.clone(), sv.clone());
                    }
                }
            }
        }
        (Value::Array(ta), Value::Array(sa))
            if matches!(node.and_then(|n| n.list.as_ref()), Some(ListType::Map(_))) =>
        {
            let Some(ListType::Map(keys)) = node.and_then(|n| n.list.as_ref()) else {
                return;
            };
            for item in sa {
                let key = fieldset::item_key(item, keys);
                let found = ta
                    .iter_mut()
                    .find(|x| key.is_some() && fieldset::item_key(x, keys) == key);
                match found {
                    Some(x) => merge(x, item, node),
                    None => ta.push(item.clone()),
                }
            }
        }
        (t, s) => *t = s.clone(),
    }
}

/// 409 with apimachinery's wording (`managedfields/internal/conflict.go`).
fn conflict_error(entries: &[Entry], conflicts: &[(usize, Vec<String>)]) -> ApiError {
    let who = |i: usize| entries.get(i).map(Entry::describe).unwrap_or_default();
    let causes: Vec<Value> = conflicts
        .iter()
        .map(|(i, p)| {
            json!({"reason": "FieldManagerConflict", "message": format!("conflict with {}", who(*i)), "field": path_string(p)})
        })
        .collect();
    let message = if let [(i, p)] = conflicts {
        format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            who(*i),
            path_string(p)
        )
    } else {
        let mut by: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (i, p) in conflicts {
            by.entry(who(*i)).or_default().push(path_string(p));
        }
        let mut lines = Vec::new();
        for (m, paths) in by {
            lines.push(format!("conflicts with {m}:"));
            lines.extend(paths.into_iter().map(|p| format!("- {p}")));
        }
        format!(
            "Apply failed with {} conflicts: {}",
            conflicts.len(),
            lines.join("\n")
        )
    };
    ApiError::new(409, "Conflict", message).with_details(json!({"causes": causes}))
}

#[cfg(test)]
mod tests;
