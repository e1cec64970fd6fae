//! JSON merge patches (RFC 7386) computed between two versions of an object, so a write sends
//! only what changed: keys another tool owns are not in the patch and stay as they are.

use serde_json::{Map, Value};

/// The merge patch that turns `before` into `after`; `None` when they are equal. Lists are
/// replaced whole (merge patches have no other way), objects key by key, a removed key is
/// `null`.
pub fn diff(before: &Value, after: &Value) -> Option<Value> {
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => {
            let mut patch = Map::new();
            for (key, old) in before {
                match after.get(key) {
                    None => {
                        patch.insert(key.clone(), Value::Null);
                    }
                    Some(new) => {
                        if let Some(inner) = diff(old, new) {
                            patch.insert(key.clone(), inner);
                        }
                    }
                }
            }
            for (key, new) in after {
                if !before.contains_key(key) {
                    patch.insert(key.clone(), new.clone());
                }
            }
            (!patch.is_empty()).then_some(Value::Object(patch))
        }
        _ if before == after => None,
        _ => Some(after.clone()),
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
            Some(json!({"b": {"c": [1, 3], "e": null}, "gone": null, "new": {"k": 1}}))
        );
        assert_eq!(diff(&before, &before), None);
        assert_eq!(
            diff(&json!({"a": {"b": 1}}), &json!({"a": 2})),
            Some(json!({"a": 2}))
        );
    }
}
