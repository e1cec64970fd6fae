//! Small helpers for reading and writing `serde_json::Value` objects. The sandbox deliberately
//! works on untyped JSON (it shares no model with funcdeck-core), so these keep that readable.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

pub fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    Some(cur)
}

pub fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

pub fn i64_at(v: &Value, path: &[&str]) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

/// Sets `path` to `value`, creating (or replacing non-object) intermediate maps.
pub fn set(v: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *v = value;
        return;
    };
    let mut cur = v;
    for p in parents {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Some(map) = cur.as_object_mut() else {
            return;
        };
        cur = map
            .entry(p.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    if let Some(map) = cur.as_object_mut() {
        map.insert(last.to_string(), value);
    }
}

pub fn remove(v: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut cur = v;
    for p in parents {
        cur = cur.get_mut(p)?;
    }
    cur.as_object_mut()?.remove(*last)
}

pub fn name(v: &Value) -> &str {
    str_at(v, &["metadata", "name"]).unwrap_or("")
}

pub fn namespace(v: &Value) -> &str {
    str_at(v, &["metadata", "namespace"]).unwrap_or("")
}

pub fn uid(v: &Value) -> &str {
    str_at(v, &["metadata", "uid"]).unwrap_or("")
}

pub fn label<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    at(v, &["metadata", "labels", key]).and_then(Value::as_str)
}

pub fn generation(v: &Value) -> i64 {
    i64_at(v, &["metadata", "generation"]).unwrap_or(0)
}

pub fn resource_version(v: &Value) -> Option<&str> {
    str_at(v, &["metadata", "resourceVersion"]).filter(|s| !s.is_empty())
}

/// The `{type, status, reason, message}` condition of `type` in `status.conditions`.
pub fn condition<'a>(v: &'a Value, ctype: &str) -> Option<&'a Value> {
    at(v, &["status", "conditions"])?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(ctype))
}

pub fn condition_status<'a>(v: &'a Value, ctype: &str) -> Option<&'a str> {
    condition(v, ctype)?.get("status")?.as_str()
}

pub fn is_ready(v: &Value) -> bool {
    condition_status(v, "Ready") == Some("True")
}

/// UIDs of every ownerReference.
pub fn owner_uids(v: &Value) -> Vec<String> {
    at(v, &["metadata", "ownerReferences"])
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter()
                .filter_map(|r| r.get("uid").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The `controller: true` ownerReference pointing at `owner`.
pub fn controller_ref(owner: &Value) -> Value {
    serde_json::json!({
        "apiVersion": owner.get("apiVersion").cloned().unwrap_or(Value::Null),
        "kind": owner.get("kind").cloned().unwrap_or(Value::Null),
        "name": name(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_creates_parents_and_remove_works() {
        let mut v = json!({"a": 1});
        set(&mut v, &["metadata", "labels", "x"], json!("y"));
        assert_eq!(label(&v, "x"), Some("y"));
        assert_eq!(
            remove(&mut v, &["metadata", "labels", "x"]),
            Some(json!("y"))
        );
        assert_eq!(label(&v, "x"), None);
        set(&mut v, &["a", "b"], json!(2));
        assert_eq!(at(&v, &["a", "b"]), Some(&json!(2)));
    }

    #[test]
    fn conditions() {
        let v = json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        assert!(is_ready(&v));
        assert_eq!(condition_status(&v, "Other"), None);
    }
}
