//! The LimitRanger admission plugin for pods: container defaults (`default` → limits,
//! `defaultRequest` → requests, with LimitRange's own defaulting: max → default → defaultRequest,
//! min → defaultRequest) and the per-Container min/max checks with upstream's messages.

use serde_json::{Map, Value, json};

use super::quantity::Quantity;

/// The resource lists of one `type: Container` item after upstream's LimitRangeItem defaulting.
#[derive(Default)]
struct Item {
    default: Map<String, Value>,
    default_request: Map<String, Value>,
    max: Map<String, Value>,
    min: Map<String, Value>,
}

fn list(v: &Value, k: &str) -> Map<String, Value> {
    v.get(k)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn items(limit_range: &Value) -> Vec<Item> {
    let Some(items) = crate::obj::at(limit_range, &["spec", "limits"]).and_then(Value::as_array)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|i| i.get("type").and_then(Value::as_str) == Some("Container"))
        .map(|i| {
            let mut it = Item {
                default: list(i, "default"),
                default_request: list(i, "defaultRequest"),
                max: list(i, "max"),
                min: list(i, "min"),
            };
            for (k, v) in &it.max {
                it.default.entry(k.clone()).or_insert_with(|| v.clone());
            }
            for (k, v) in it.default.clone() {
                it.default_request.entry(k).or_insert(v);
            }
            for (k, v) in &it.min {
                it.default_request
                    .entry(k.clone())
                    .or_insert_with(|| v.clone());
            }
            it
        })
        .collect()
}

/// Upstream defaults a stored LimitRange the same way; show it in the object too.
pub fn default_limit_range(lr: &mut Value) {
    let Some(arr) = lr.pointer_mut("/spec/limits").and_then(Value::as_array_mut) else {
        return;
    };
    for raw in arr.iter_mut() {
        if raw.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let wrapped = json!({"spec": {"limits": [raw.clone()]}});
        if let Some(it) = items(&wrapped).pop() {
            raw["default"] = Value::Object(it.default);
            raw["defaultRequest"] = Value::Object(it.default_request);
        }
    }
}

fn containers_mut(pod: &mut Value) -> Vec<&mut Value> {
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in spec.iter_mut() {
        if (k == "containers" || k == "initContainers")
            && let Some(a) = v.as_array_mut()
        {
            out.extend(a.iter_mut().filter(|c| c.is_object()));
        }
    }
    out
}

fn resources_mut<'a>(c: &'a mut Value, which: &str) -> Option<&'a mut Map<String, Value>> {
    let r = c
        .as_object_mut()?
        .entry("resources")
        .or_insert_with(|| json!({}));
    if !r.is_object() {
        *r = json!({});
    }
    let l = r.as_object_mut()?.entry(which).or_insert_with(|| json!({}));
    if !l.is_object() {
        *l = json!({});
    }
    l.as_object_mut()
}

/// Pod defaulting (requests default to limits, as decoding does), then every LimitRange's
/// container defaults for what is still missing.
pub fn default_pod(pod: &mut Value, limit_ranges: &[std::sync::Arc<Value>]) {
    let items: Vec<Item> = limit_ranges.iter().flat_map(|lr| items(lr)).collect();
    for c in containers_mut(pod) {
        let limits = resources_mut(c, "limits").cloned().unwrap_or_default();
        if let Some(r) = resources_mut(c, "requests") {
            for (k, v) in &limits {
                r.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for it in &items {
            if let Some(l) = resources_mut(c, "limits") {
                for (k, v) in &it.default {
                    l.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            if let Some(r) = resources_mut(c, "requests") {
                for (k, v) in &it.default_request {
                    r.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        for which in ["limits", "requests"] {
            if let Some(r) = c.get_mut("resources").and_then(Value::as_object_mut)
                && r.get(which)
                    .and_then(Value::as_object)
                    .is_some_and(Map::is_empty)
            {
                r.remove(which);
            }
        }
    }
}

fn quantity(m: Option<&Value>) -> Option<(Quantity, String)> {
    let s = m?.as_str()?;
    Some((Quantity::parse(s)?, s.to_string()))
}

/// Upstream's per-Container min/max errors, in resource order.
pub fn validate_pod(pod: &Value, limit_ranges: &[std::sync::Arc<Value>]) -> Vec<String> {
    let mut errs = Vec::new();
    let containers = ["containers", "initContainers"]
        .iter()
        .filter_map(|k| crate::obj::at(pod, &["spec", k]).and_then(Value::as_array))
        .flatten();
    let items: Vec<Item> = limit_ranges.iter().flat_map(|lr| items(lr)).collect();
    for c in containers {
        let get = |which: &str, k: &str| quantity(crate::obj::at(c, &["resources", which, k]));
        for it in &items {
            for (k, v) in &it.min {
                let Some((min, _)) = quantity(Some(v)) else {
                    continue;
                };
                let min_s = min.canonical();
                match get("requests", k) {
                    None => errs.push(format!(
                        "minimum {k} usage per Container is {min_s}.  No request is specified"
                    )),
                    Some((r, rs)) if r < min => errs.push(format!(
                        "minimum {k} usage per Container is {min_s}, but request is {rs}"
                    )),
                    _ => {}
                }
            }
            for (k, v) in &it.max {
                let Some((max, _)) = quantity(Some(v)) else {
                    continue;
                };
                match get("limits", k) {
                    None => errs.push(format!(
                        "maximum {k} usage per Container is {}.  No limit is specified",
                        max.canonical()
                    )),
                    Some((l, ls)) if l > max => errs.push(format!(
                        "maximum {k} usage per Container is {}, but limit is {ls}",
                        max.canonical()
                    )),
                    _ => {}
                }
            }
        }
    }
    errs
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn lr() -> Vec<Arc<Value>> {
        vec![Arc::new(json!({"spec": {"limits": [{"type": "Container",
            "max": {"cpu": "2", "memory": "4Gi"}, "min": {"cpu": "50m"},
            "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}}))]
    }

    #[test]
    fn defaults_fill_missing_requests_and_limits() {
        let mut pod = json!({"spec": {"containers": [
            {"name": "a"},
            {"name": "b", "resources": {"limits": {"cpu": "1"}}}]}});
        default_pod(&mut pod, &lr());
        assert_eq!(
            pod["spec"]["containers"][0]["resources"],
            json!({"limits": {"cpu": "500m", "memory": "4Gi"}, "requests": {"cpu": "100m", "memory": "128Mi"}})
        );
        assert_eq!(
            pod["spec"]["containers"][1]["resources"]["limits"]["cpu"],
            "1"
        );
        assert!(validate_pod(&pod, &lr()).is_empty());
        let mut no_lr =
            json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1"}}}]}});
        default_pod(&mut no_lr, &[]);
        assert_eq!(
            no_lr["spec"]["containers"][0]["resources"]["requests"]["cpu"],
            "1"
        );
    }

    #[test]
    fn max_and_min_messages() {
        let pod = json!({"spec": {"containers": [{"name": "a", "resources": {
            "limits": {"cpu": "4", "memory": "1Gi"}, "requests": {"cpu": "10m"}}}]}});
        assert_eq!(
            validate_pod(&pod, &lr()),
            vec![
                "minimum cpu usage per Container is 50m, but request is 10m".to_string(),
                "maximum cpu usage per Container is 2, but limit is 4".to_string(),
            ]
        );
        let mut lr_obj = json!({"spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}}]}});
        default_limit_range(&mut lr_obj);
        assert_eq!(lr_obj["spec"]["limits"][0]["default"], json!({"cpu": "2"}));
        assert_eq!(
            lr_obj["spec"]["limits"][0]["defaultRequest"],
            json!({"cpu": "2"})
        );
    }

    #[test]
    fn junk_never_panics() {
        let lrs = vec![Arc::new(json!({"spec": {"limits": [
            "x", {"type": "Container", "max": {"cpu": 5, "memory": "lots"}, "default": [1], "min": {"cpu": "1"}}]}}))];
        for mut pod in [
            json!({"spec": {"containers": [1, "x", {"resources": "str"}, {"resources": {"limits": 3, "requests": {"cpu": {}}}}]}}),
            json!({"spec": {"containers": {"a": 1}}}),
            json!({"spec": 7}),
            json!([]),
        ] {
            default_pod(&mut pod, &lrs);
            let _ = validate_pod(&pod, &lrs);
        }
        let mut weird = json!({"spec": {"limits": [{"type": "Container", "max": "no"}, 4]}});
        default_limit_range(&mut weird);
    }
}
