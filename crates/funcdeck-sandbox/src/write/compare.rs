//! In-place object comparisons (no clones: they run on every write).

use serde_json::Value;

/// Whether two objects differ outside metadata and status: a spec change for `generation`.
/// Compares in place (no clones): this runs on every write.
pub(super) fn spec_changed(a: &Value, b: &Value) -> bool {
    const SKIP: &[&str] = &["metadata", "status", "apiVersion", "kind"];
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a != b;
    };
    let differs = |x: &serde_json::Map<String, Value>, y: &serde_json::Map<String, Value>| {
        x.iter()
            .filter(|(k, _)| !SKIP.contains(&k.as_str()))
            .any(|(k, v)| y.get(k) != Some(v))
    };
    differs(a, b) || differs(b, a)
}

/// True when `new` differs from `old` only in `status` (and resourceVersion).
/// Compares in place: the controllers call this for every event.
pub fn only_status_changed(old: &Value, new: &Value) -> bool {
    !spec_changed(old, new)
        && same_metadata(
            old.get("metadata"),
            new.get("metadata"),
            &["resourceVersion", "managedFields"],
        )
}

fn same_metadata(v: Option<&Value>, w: Option<&Value>, ignored: &[&str]) -> bool {
    match (v.and_then(Value::as_object), w.and_then(Value::as_object)) {
        (Some(m), Some(n)) => {
            let keys = |x: &serde_json::Map<String, Value>| {
                x.iter()
                    .filter(|(k, _)| !ignored.contains(&k.as_str()))
                    .count()
            };
            keys(m) == keys(n)
                && m.iter()
                    .filter(|(k, _)| !ignored.contains(&k.as_str()))
                    .all(|(k, x)| n.get(k) == Some(x))
        }
        _ => v == w,
    }
}

/// Equal apart from `metadata.resourceVersion`.
pub(super) fn same_ignoring_rv(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    if a.len() != b.len() {
        return false;
    }
    a.iter().all(|(k, v)| {
        let Some(w) = b.get(k) else {
            return false;
        };
        if k != "metadata" {
            return v == w;
        }
        same_metadata(Some(v), Some(w), &["resourceVersion"])
    })
}
