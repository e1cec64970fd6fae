//! The Knative validating webhook, for the rules a console user trips over: traffic targets,
//! tags, containers, BYO revision names. Errors are knative/pkg `FieldError`s: grouped by message,
//! sorted, joined by newlines, and wrapped the way the apiserver reports a webhook denial.
//! On update, a BYO revision name that stays while the template changes is refused with a diff
//! (`VerifyNameChange`); the diff lists changed leaves, a simplified form of go-cmp's output.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::admission::Operation;
use crate::obj;
use crate::resources::Res;
use crate::status::ApiError;

/// Keyed by (message, details) like knative/pkg's merge; BTreeMap order = sort by message.
#[derive(Default)]
struct Errors(BTreeMap<(String, String), Vec<String>>);

impl Errors {
    fn add(&mut self, message: String, path: String) {
        self.0
            .entry((message, String::new()))
            .or_default()
            .push(path);
    }

    fn add_details(&mut self, message: String, path: String, details: String) {
        self.0.entry((message, details)).or_default().push(path);
    }

    fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = self
            .0
            .into_iter()
            .map(|((msg, details), mut paths)| {
                paths.sort();
                paths.dedup();
                if details.is_empty() {
                    format!("{msg}: {}", paths.join(", "))
                } else {
                    format!("{msg}: {}\n{details}", paths.join(", "))
                }
            })
            .collect();
        Err(ApiError::bad_request(format!(
            "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: {}",
            lines.join("\n")
        )))
    }
}

pub fn validate(op: Operation, res: Res, old: Option<&Value>, o: &Value) -> Result<(), ApiError> {
    let mut errs = Errors::default();
    match res {
        Res::KService => {
            template(o, "spec.template", &mut errs);
            traffic(o, true, &mut errs);
            byo_name(o, &mut errs);
            if op == Operation::Update {
                name_change(old, o, &mut errs);
            }
        }
        Res::KConfiguration => {
            template(o, "spec.template", &mut errs);
            byo_name(o, &mut errs);
            if op == Operation::Update {
                name_change(old, o, &mut errs);
            }
        }
        Res::KRoute => traffic(o, false, &mut errs),
        _ => {}
    }
    errs.into_result()
}

fn template(o: &Value, at: &str, errs: &mut Errors) {
    let containers =
        obj::at(o, &["spec", "template", "spec", "containers"]).and_then(Value::as_array);
    match containers {
        None => errs.add("missing field(s)".into(), format!("{at}.spec.containers")),
        Some(cs) if cs.is_empty() => {
            errs.add("missing field(s)".into(), format!("{at}.spec.containers"))
        }
        Some(cs) => {
            for (i, c) in cs.iter().enumerate() {
                let image = c.get("image").and_then(Value::as_str).unwrap_or("");
                if image.is_empty() {
                    errs.add(
                        "missing field(s)".into(),
                        format!("{at}.spec.containers[{i}].image"),
                    );
                }
            }
        }
    }
}

fn byo_name(o: &Value, errs: &mut Errors) {
    let Some(byo) = obj::str_at(o, &["spec", "template", "metadata", "name"]) else {
        return;
    };
    let prefix = format!("{}-", obj::name(o));
    if !byo.starts_with(&prefix) {
        errs.add(
            format!("invalid value: \"{byo}\" must have prefix \"{prefix}\""),
            "spec.template.metadata.name".into(),
        );
    }
}

/// `RevisionTemplateSpec.VerifyNameChange`: a kept BYO name with a changed template is refused.
fn name_change(old: Option<&Value>, o: &Value, errs: &mut Errors) {
    let Some(old) = old else {
        return;
    };
    let name = obj::str_at(o, &["spec", "template", "metadata", "name"]).unwrap_or("");
    let old_name = obj::str_at(old, &["spec", "template", "metadata", "name"]).unwrap_or("");
    if name.is_empty() || name != old_name {
        return;
    }
    let (a, b) = (
        obj::at(old, &["spec", "template"]),
        obj::at(o, &["spec", "template"]),
    );
    if a == b {
        return;
    }
    let mut lines = Vec::new();
    diff(
        "{*v1.RevisionTemplateSpec}",
        a.unwrap_or(&Value::Null),
        b.unwrap_or(&Value::Null),
        &mut lines,
    );
    errs.add_details(
        "Saw the following changes without a name change (-old +new)".into(),
        "spec.template.metadata.name".into(),
        lines.join("\n"),
    );
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                if va != vb {
                    diff(&format!("{path}.{k}"), va, vb, out);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if va != vb {
                    diff(&format!("{path}[{i}]"), va, vb, out);
                }
            }
        }
        _ => out.push(format!("{path}:\n\t-: {a}\n\t+: {b}")),
    }
}

/// k8s.io/apimachinery `IsDNS1035Label` messages, printed by Go's `%v` as `[a b]`.
fn dns1035_errors(s: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if s.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !matches_dns1035(s) {
        msgs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string());
    }
    msgs
}

fn matches_dns1035(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && !s.ends_with('-')
}

fn traffic(o: &Value, in_service: bool, errs: &mut Errors) {
    // A Route with no traffic sums to 0 (the Service's defaulting never leaves it empty).
    let empty = Vec::new();
    let targets = obj::at(o, &["spec", "traffic"])
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let mut sum: i64 = 0;
    let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        let p = format!("spec.traffic[{i}]");
        let rev = t.get("revisionName").and_then(Value::as_str).unwrap_or("");
        let cfg = t
            .get("configurationName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let latest = t.get("latestRevision").and_then(Value::as_bool);
        let percent = t.get("percent").and_then(Value::as_i64).unwrap_or(0);
        if !(0..=100).contains(&percent) {
            errs.add(
                format!("expected 0 <= {percent} <= 100"),
                format!("{p}.percent"),
            );
        }
        sum += percent;
        if in_service && !cfg.is_empty() {
            errs.add(
                "must not set the field(s)".into(),
                format!("{p}.configurationName"),
            );
        }
        if t.get("url").is_some() {
            errs.add("must not set the field(s)".into(), format!("{p}.url"));
        }
        if !in_service {
            match (rev.is_empty(), cfg.is_empty()) {
                (false, false) => {
                    errs.add(
                        "expected exactly one, got both".into(),
                        format!("{p}.configurationName"),
                    );
                    errs.add(
                        "expected exactly one, got both".into(),
                        format!("{p}.revisionName"),
                    );
                }
                (true, true) => {
                    errs.add(
                        "expected exactly one, got neither".into(),
                        format!("{p}.configurationName"),
                    );
                    errs.add(
                        "expected exactly one, got neither".into(),
                        format!("{p}.revisionName"),
                    );
                }
                _ => {}
            }
        }
        match latest {
            Some(true) if !rev.is_empty() => errs.add(
                format!("may not set revisionName \"{rev}\" when latestRevision is true"),
                format!("{p}.latestRevision"),
            ),
            Some(false) if rev.is_empty() => errs.add(
                "may not set revisionName \"\" when latestRevision is false".into(),
                format!("{p}.latestRevision"),
            ),
            _ => {}
        }
        if let Some(tag) = t
            .get("tag")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            let msgs = dns1035_errors(tag);
            if !msgs.is_empty() {
                errs.add(
                    format!("invalid value: not a DNS 1035 label: [{}]", msgs.join(" ")),
                    format!("{p}.tag"),
                );
            }
            tags.entry(tag.to_string())
                .or_default()
                .push(format!("{p}.tag"));
        }
    }
    for (tag, paths) in tags {
        if paths.len() > 1 {
            for path in paths {
                errs.add(format!("Multiple definitions for \"{tag}\""), path);
            }
        }
    }
    if sum != 100 {
        errs.add(
            format!("Traffic targets sum to {sum}, want 100"),
            "spec.traffic".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc(traffic: Value) -> Value {
        json!({"metadata": {"name": "hello"}, "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}, "traffic": traffic}})
    }

    fn msg(o: &Value, res: Res) -> String {
        validate(Operation::Create, res, None, o)
            .expect_err("invalid")
            .message
            .replace(
                "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: ",
                "",
            )
    }

    #[test]
    fn traffic_rules() {
        assert!(
            validate(
                Operation::Create,
                Res::KService,
                None,
                &svc(json!([{"latestRevision": true, "percent": 100}]))
            )
            .is_ok()
        );
        assert_eq!(
            msg(
                &svc(json!([{"latestRevision": true, "percent": 90}])),
                Res::KService
            ),
            "Traffic targets sum to 90, want 100: spec.traffic"
        );
        assert_eq!(
            msg(
                &svc(
                    json!([{"latestRevision": true, "percent": 100, "revisionName": "hello-00001"}])
                ),
                Res::KService
            ),
            "may not set revisionName \"hello-00001\" when latestRevision is true: spec.traffic[0].latestRevision"
        );
        assert_eq!(
            msg(
                &svc(
                    json!([{"latestRevision": true, "percent": 50, "tag": "a"}, {"revisionName": "hello-1", "latestRevision": false, "percent": 50, "tag": "a"}])
                ),
                Res::KService
            ),
            "Multiple definitions for \"a\": spec.traffic[0].tag, spec.traffic[1].tag"
        );
        assert_eq!(
            msg(
                &svc(
                    json!([{"latestRevision": true, "percent": 110}, {"latestRevision": true, "percent": -10}])
                ),
                Res::KService
            ),
            "expected 0 <= -10 <= 100: spec.traffic[1].percent\nexpected 0 <= 110 <= 100: spec.traffic[0].percent"
        );
        let route = json!({"metadata": {"name": "r"}, "spec": {"traffic": [{"configurationName": "c", "revisionName": "r", "percent": 100}]}});
        assert_eq!(
            msg(&route, Res::KRoute),
            "expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName"
        );
    }

    #[test]
    fn template_rules() {
        let o = json!({"metadata": {"name": "hello"}, "spec": {"template": {"metadata": {"name": "foo-v2"}, "spec": {"containers": [{}]}}}});
        assert_eq!(
            msg(&o, Res::KConfiguration),
            "invalid value: \"foo-v2\" must have prefix \"hello-\": spec.template.metadata.name\nmissing field(s): spec.template.spec.containers[0].image"
        );
    }
}
