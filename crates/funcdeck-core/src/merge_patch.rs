//! JSON merge patches (RFC 7386) computed from two versions of an object (the YAML editor,
//! `fn update`), applied, and replayed onto a third version for a re-base.
//!
//! Writing only the difference between the text as loaded and the text as edited leaves every
//! field the user did not touch to whoever owns it (kubectl apply, server-side apply, kn, the
//! Knative webhook's defaults): a full replace would take them over or wipe them.

use serde_json::{Map, Value};

/// The merge patch that turns `from` into `to`: changed keys with their new value, removed
/// keys as `null`, lists replaced whole (merge patches cannot address list items).
pub fn diff(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut patch = Map::new();
            for (key, old) in a {
                match b.get(key) {
                    None => {
                        patch.insert(key.clone(), Value::Null);
                    }
                    Some(new) if new != old => {
                        let inner = match (old, new) {
                            (Value::Object(_), Value::Object(_)) => diff(old, new),
                            _ => new.clone(),
                        };
                        patch.insert(key.clone(), inner);
                    }
                    Some(_) => {}
                }
            }
            for (key, new) in b {
                if !a.contains_key(key) {
                    patch.insert(key.clone(), new.clone());
                }
            }
            Value::Object(patch)
        }
        _ => to.clone(),
    }
}

/// Whether a patch changes nothing.
pub fn is_empty(patch: &Value) -> bool {
    patch.as_object().is_some_and(Map::is_empty)
}

/// Applies a merge patch to `target`, as the API server does.
pub fn apply(target: &Value, patch: &Value) -> Value {
    let Value::Object(changes) = patch else {
        return patch.clone();
    };
    let mut out = match target {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    for (key, change) in changes {
        if change.is_null() {
            out.remove(key);
        } else {
            let merged = apply(out.get(key).unwrap_or(&Value::Null), change);
            out.insert(key.clone(), merged);
        }
    }
    Value::Object(out)
}

/// Your change replayed onto the server's newer version.
#[derive(Debug, Clone, PartialEq)]
pub struct Rebased {
    /// The server's version with your change on top (yours wins where both changed a field).
    pub value: Value,
    /// Fields both you and the other writer changed, to different values, as dotted paths
    /// (`spec.template.spec.containers`); empty when the two changes do not overlap.
    pub conflicts: Vec<String>,
}

/// Replays the change from `base` to `yours` onto `theirs` (the server's version, written by
/// someone else since `base` was read).
pub fn rebase(base: &Value, yours: &Value, theirs: &Value) -> Rebased {
    let mine = diff(base, yours);
    let other = diff(base, theirs);
    let mut conflicts = Vec::new();
    overlaps(&mine, &other, &mut Vec::new(), &mut conflicts);
    Rebased {
        value: apply(theirs, &mine),
        conflicts,
    }
}

fn overlaps(mine: &Value, other: &Value, path: &mut Vec<String>, out: &mut Vec<String>) {
    let (Value::Object(a), Value::Object(b)) = (mine, other) else {
        if mine != other {
            out.push(path.join("."));
        }
        return;
    };
    for (key, change) in a {
        if let Some(their_change) = b.get(key) {
            path.push(key.clone());
            overlaps(change, their_change, path, out);
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_changes_are_sent() {
        let before = json!({"a": 1, "b": {"c": [1, 2], "d": "x"}, "gone": true});
        let after = json!({"a": 1, "b": {"c": [1, 3], "d": "x", "e": null}, "new": {"k": 1}});
        assert_eq!(
            diff(&before, &after),
            json!({"b": {"c": [1, 3], "e": null}, "gone": null, "new": {"k": 1}})
        );
        assert!(is_empty(&diff(&before, &before)));
        assert_eq!(
            diff(&json!({"a": {"b": 1}}), &json!({"a": 2})),
            json!({"a": 2})
        );
    }
}
