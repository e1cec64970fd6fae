//! Patch semantics: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and strategic merge
//! patch for built-ins reduced to a merge patch after stripping its `$` directives (our
//! built-ins are map-only where it matters). CRDs reject strategic merge with 415, like upstream.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Json,
    Strategic,
    Apply,
}

impl PatchType {
    pub fn from_content_type(ct: &str) -> Option<Self> {
        let base = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match base.as_str() {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/json-patch+json" => Some(PatchType::Json),
            "application/strategic-merge-patch+json" => Some(PatchType::Strategic),
            "application/apply-patch+yaml" | "application/apply-patch+json" => {
                Some(PatchType::Apply)
            }
            _ => None,
        }
    }
}

/// RFC 7386: objects merge recursively, `null` deletes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Some(t) = target.as_object_mut() else {
        return;
    };
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            let entry = t.entry(k.clone()).or_insert(Value::Null);
            merge_patch(entry, v);
        }
    }
}

/// Drops strategic-merge directives (`$patch`, `$retainKeys`, `$setElementOrder/...`,
/// `$deleteFromPrimitiveList/...`) so the rest can be applied as a merge patch.
pub fn strip_strategic(patch: &mut Value) {
    match patch {
        Value::Object(m) => {
            m.retain(|k, _| !k.starts_with('$'));
            for v in m.values_mut() {
                strip_strategic(v);
            }
        }
        Value::Array(a) => {
            a.retain(|v| {
                !v.as_object()
                    .is_some_and(|m| m.len() == 1 && m.contains_key("$patch"))
            });
            for v in a {
                strip_strategic(v);
            }
        }
        _ => {}
    }
}

fn unescape(tok: &str) -> String {
    tok.replace("~1", "/").replace("~0", "~")
}

fn pointer_parts(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer: {path:?}"));
    };
    Ok(rest.split('/').map(unescape).collect())
}

fn parent_mut<'a>(doc: &'a mut Value, parts: &[String]) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for p in parts {
        cur = match cur {
            Value::Object(m) => m.get_mut(p).ok_or_else(|| format!("missing value: /{p}"))?,
            Value::Array(a) => {
                let i: usize = p.parse().map_err(|_| format!("invalid index: {p}"))?;
                a.get_mut(i)
                    .ok_or_else(|| format!("index out of range: {i}"))?
            }
            _ => return Err(format!("cannot traverse into non-container at {p}")),
        };
    }
    Ok(cur)
}

fn get_at(doc: &Value, path: &str) -> Result<Value, String> {
    doc.pointer(path)
        .cloned()
        .ok_or_else(|| format!("doc is missing path: \"{path}\": missing value"))
}

fn add_at(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let parts = pointer_parts(path)?;
    let Some((last, parents)) = parts.split_last() else {
        *doc = value;
        return Ok(());
    };
    let parent = parent_mut(doc, parents)
        .map_err(|_| format!("doc is missing path: \"{path}\": missing value"))?;
    match parent {
        Value::Object(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(value);
                return Ok(());
            }
            let i: usize = last.parse().map_err(|_| format!("invalid index: {last}"))?;
            if i > a.len() {
                return Err(format!(
                    "add operation does not apply: index out of range: {i}"
                ));
            }
            a.insert(i, value);
            Ok(())
        }
        _ => Err(format!(
            "add operation does not apply: doc is missing path: \"{path}\""
        )),
    }
}

fn remove_at(doc: &mut Value, path: &str) -> Result<Value, String> {
    let parts = pointer_parts(path)?;
    let Some((last, parents)) = parts.split_last() else {
        return Err("remove operation does not apply: cannot remove the root".into());
    };
    let missing = || format!("remove operation does not apply: doc is missing path: \"{path}\"");
    let parent = parent_mut(doc, parents).map_err(|_| missing())?;
    match parent {
        Value::Object(m) => m.remove(last).ok_or_else(missing),
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| missing())?;
            if i >= a.len() {
                return Err(missing());
            }
            Ok(a.remove(i))
        }
        _ => Err(missing()),
    }
}

/// RFC 6902. Errors carry the message to put in a 422.
pub fn json_patch(doc: &Value, ops: &Value) -> Result<Value, String> {
    let ops = ops
        .as_array()
        .ok_or_else(|| "json patch must be an array of operations".to_string())?;
    let mut doc = doc.clone();
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("operation {kind:?} is missing path"))?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("{kind} operation is missing value"))
        };
        let from = || {
            op.get("from")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{kind} operation is missing from"))
        };
        match kind {
            "add" => add_at(&mut doc, path, value()?)?,
            "remove" => {
                remove_at(&mut doc, path)?;
            }
            "replace" => {
                if doc.pointer(path).is_none() {
                    return Err(format!(
                        "replace operation does not apply: doc is missing key: {path}: missing value"
                    ));
                }
                if path.is_empty() {
                    doc = value()?;
                } else {
                    remove_at(&mut doc, path)?;
                    add_at(&mut doc, path, value()?)?;
                }
            }
            "move" => {
                let from = from()?;
                let v = remove_at(&mut doc, from)?;
                add_at(&mut doc, path, v)?;
            }
            "copy" => {
                let v = get_at(&doc, from()?)?;
                add_at(&mut doc, path, v)?;
            }
            "test" => {
                let want = value()?;
                if doc.pointer(path) != Some(&want) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_rfc7386_examples() {
        let mut t = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(
            &mut t,
            &json!({"a": "z", "c": {"f": null}, "l": [3], "n": {"x": 1}}),
        );
        assert_eq!(
            t,
            json!({"a": "z", "c": {"d": "e"}, "l": [3], "n": {"x": 1}})
        );
        let mut s = json!({"a": 1});
        merge_patch(&mut s, &json!(["x"]));
        assert_eq!(s, json!(["x"]));
    }

    #[test]
    fn strategic_directives_are_stripped() {
        let mut p = json!({"$setElementOrder/containers": [{"name": "a"}], "data": {"k": null, "$retainKeys": ["x"]},
            "list": [{"$patch": "delete"}, {"a": 1}], "$patch": "merge"});
        strip_strategic(&mut p);
        assert_eq!(p, json!({"data": {"k": null}, "list": [{"a": 1}]}));
    }

    #[test]
    fn json_patch_ops() {
        let doc = json!({"spec": {"a": 1, "l": ["x"]}, "metadata": {"labels": {"k/v": "1"}}});
        let out = json_patch(
            &doc,
            &json!([
                {"op": "add", "path": "/spec/b", "value": 2},
                {"op": "add", "path": "/spec/l/-", "value": "y"},
                {"op": "add", "path": "/spec/l/0", "value": "w"},
                {"op": "replace", "path": "/spec/a", "value": 10},
                {"op": "remove", "path": "/metadata/labels/k~1v"},
                {"op": "copy", "from": "/spec/a", "path": "/spec/c"},
                {"op": "move", "from": "/spec/b", "path": "/spec/d"},
                {"op": "test", "path": "/spec/d", "value": 2}
            ]),
        )
        .expect("applies");
        assert_eq!(
            out,
            json!({"spec": {"a": 10, "c": 10, "d": 2, "l": ["w", "x", "y"]}, "metadata": {"labels": {}}})
        );
    }

    #[test]
    fn json_patch_failures() {
        let doc = json!({"a": 1});
        assert!(json_patch(&doc, &json!([{"op": "test", "path": "/a", "value": 2}])).is_err());
        assert!(json_patch(&doc, &json!([{"op": "replace", "path": "/b", "value": 2}])).is_err());
        assert!(json_patch(&doc, &json!([{"op": "remove", "path": "/b"}])).is_err());
        assert!(json_patch(&doc, &json!([{"op": "bogus", "path": "/a"}])).is_err());
        assert!(json_patch(&doc, &json!({"op": "add"})).is_err());
    }

    #[test]
    fn content_types() {
        assert_eq!(
            PatchType::from_content_type("application/merge-patch+json; charset=utf-8"),
            Some(PatchType::Merge)
        );
        assert_eq!(PatchType::from_content_type("application/json"), None);
    }
}
