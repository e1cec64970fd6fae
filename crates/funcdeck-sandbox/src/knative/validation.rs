//! The Knative validating webhook, for the rules a console user trips over: traffic targets,
//! tags, containers, BYO revision names. Errors are knative/pkg `FieldError`s: grouped by message,
//! sorted, joined by newlines, and wrapped the way the apiserver reports a webhook denial.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::admission::Operation;
use crate::obj;
use crate::resources::Res;
use crate::status::ApiError;

#[derive(Default)]
struct Errors(BTreeMap<String, Vec<String>>);

impl Errors {
    fn add(&mut self, message: String, path: String) {
        self.0.entry(message).or_default().push(path);
    }

    fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = self
            .0
            .into_iter()
            .map(|(msg, mut paths)| {
                paths.sort();
                paths.dedup();
                format!("{msg}: {}", paths.join(", "))
            })
            .collect();
        Err(ApiError::bad_request(format!(
            "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: {}",
            lines.join("\n")
        )))
    }
}

pub fn validate(_op: Operation, res: Res, _old: Option<&Value>, o: &Value) -> Result<(), ApiError> {
    let mut errs = Errors::default();
    match res {
        Res::KService => {
            template(o, "spec.template", &mut errs);
            traffic(o, true, &mut errs);
            byo_name(o, &mut errs);
        }
        Res::KConfiguration => {
            template(o, "spec.template", &mut errs);
            byo_name(o, &mut errs);
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

fn is_dns1035_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && !s.ends_with('-')
}

fn traffic(o: &Value, in_service: bool, errs: &mut Errors) {
    let Some(targets) = obj::at(o, &["spec", "traffic"]).and_then(Value::as_array) else {
        return;
    };
    if targets.is_empty() {
        return;
    }
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
            if !is_dns1035_label(tag) {
                errs.add(
                    "invalid value: not a DNS 1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]".into(),
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
