//! The Knative defaulting webhook (`pkg/apis/serving/v1/*_defaults.go`): container names,
//! timeouts, probes, traffic defaults and the creator/lastModifier annotations.

use serde_json::{Value, json};

use crate::admission::Operation;
use crate::identity::Identity;
use crate::obj;
use crate::resources::Res;

pub const CREATOR: &str = "serving.knative.dev/creator";
pub const LAST_MODIFIER: &str = "serving.knative.dev/lastModifier";

pub fn apply(identity: &Identity, op: Operation, res: Res, old: Option<&Value>, o: &mut Value) {
    match res {
        Res::KService => {
            if let Some(spec) = o.pointer_mut("/spec/template/spec") {
                revision_spec(spec);
            }
            let traffic = o.pointer_mut("/spec/traffic");
            match traffic {
                Some(Value::Array(a)) if !a.is_empty() => a.iter_mut().for_each(target),
                _ => obj::set(
                    o,
                    &["spec", "traffic"],
                    json!([{"latestRevision": true, "percent": 100}]),
                ),
            }
            user_info(identity, op, old, o);
        }
        Res::KConfiguration => {
            if let Some(spec) = o.pointer_mut("/spec/template/spec") {
                revision_spec(spec);
            }
            user_info(identity, op, old, o);
        }
        Res::KRoute => {
            if let Some(Value::Array(a)) = o.pointer_mut("/spec/traffic") {
                a.iter_mut().for_each(target);
            }
            user_info(identity, op, old, o);
        }
        Res::KRevision => {
            if let Some(spec) = o.pointer_mut("/spec") {
                revision_spec(spec);
            }
        }
        _ => {}
    }
}

fn target(t: &mut Value) {
    let Some(m) = t.as_object_mut() else {
        return;
    };
    if !m.contains_key("latestRevision") {
        let pinned = m
            .get("revisionName")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        m.insert("latestRevision".into(), json!(!pinned));
    }
    if !m.contains_key("percent") {
        m.insert("percent".into(), json!(0));
    }
}

/// RevisionSpec defaults; idempotent, so controllers can write defaulted specs back unchanged.
pub fn revision_spec(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else {
        return;
    };
    m.entry("timeoutSeconds").or_insert(json!(300));
    m.entry("containerConcurrency").or_insert(json!(0));
    m.entry("enableServiceLinks").or_insert(json!(false));
    let Some(Value::Array(containers)) = m.get_mut("containers") else {
        return;
    };
    let mut taken: Vec<String> = containers
        .iter()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let several = containers.len() > 1;
    let mut next = 0;
    for c in containers.iter_mut() {
        let Some(cm) = c.as_object_mut() else {
            continue;
        };
        let unnamed = cm
            .get("name")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if unnamed {
            let mut name = "user-container".to_string();
            if several || taken.contains(&name) {
                loop {
                    name = format!("user-container-{next}");
                    next += 1;
                    if !taken.contains(&name) {
                        break;
                    }
                }
            }
            taken.push(name.clone());
            cm.insert("name".into(), json!(name));
        }
        cm.entry("resources").or_insert(json!({}));
        let probe = cm
            .entry("readinessProbe")
            .or_insert(json!({"tcpSocket": {"port": 0}}));
        if let Some(p) = probe.as_object_mut() {
            p.entry("successThreshold").or_insert(json!(1));
        }
    }
}

fn user_info(identity: &Identity, op: Operation, old: Option<&Value>, o: &mut Value) {
    let user = identity.user.clone();
    match op {
        Operation::Create => {
            if !identity.internal || obj::at(o, &["metadata", "annotations", CREATOR]).is_none() {
                obj::set(o, &["metadata", "annotations", CREATOR], json!(user));
                obj::set(o, &["metadata", "annotations", LAST_MODIFIER], json!(user));
            }
        }
        Operation::Update => {
            let old_ann = old.and_then(|v| obj::at(v, &["metadata", "annotations", CREATOR]));
            if let Some(c) = old_ann {
                obj::set(o, &["metadata", "annotations", CREATOR], c.clone());
            }
            let spec_changed = old.is_some_and(|v| v.get("spec") != o.get("spec"));
            if spec_changed && !identity.internal {
                obj::set(o, &["metadata", "annotations", LAST_MODIFIER], json!(user));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_defaults() {
        let mut s = json!({"metadata": {"name": "hello"}, "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}});
        apply(
            &Identity::admin(),
            Operation::Create,
            Res::KService,
            None,
            &mut s,
        );
        let spec = &s["spec"]["template"]["spec"];
        assert_eq!(spec["containers"][0]["name"], "user-container");
        assert_eq!(spec["timeoutSeconds"], 300);
        assert_eq!(spec["containerConcurrency"], 0);
        assert_eq!(
            spec["containers"][0]["readinessProbe"]["successThreshold"],
            1
        );
        assert_eq!(
            s["spec"]["traffic"],
            json!([{"latestRevision": true, "percent": 100}])
        );
        assert_eq!(s["metadata"]["annotations"][CREATOR], "sandbox-admin");
        let again = s.clone();
        apply(
            &Identity::admin(),
            Operation::Update,
            Res::KService,
            Some(&again),
            &mut s,
        );
        assert_eq!(s, again);
    }

    #[test]
    fn several_containers_and_targets() {
        let mut spec = json!({"containers": [{"image": "a"}, {"image": "b", "name": "user-container-0"}, {"image": "c"}]});
        revision_spec(&mut spec);
        let names: Vec<&str> = spec["containers"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            names,
            vec!["user-container-1", "user-container-0", "user-container-2"]
        );
        let mut t = json!({"revisionName": "x-00001", "percent": 10});
        target(&mut t);
        assert_eq!(t["latestRevision"], false);
    }
}
