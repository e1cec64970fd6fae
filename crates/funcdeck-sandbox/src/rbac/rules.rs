//! PolicyRule matching, as `rbac/authorizer.go` `RuleAllows` and the `rbacv1helpers` matchers:
//! verbs, apiGroups, resources (with `resource/subresource` and `*/subresource`), resourceNames,
//! and nonResourceURLs with a trailing `*` prefix wildcard.

use serde_json::Value;
#[cfg(test)]
use serde_json::json;

use super::attrs::Attrs;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Rule {
    pub fn from_value(v: &Value) -> Self {
        Rule {
            verbs: strings(v, "verbs"),
            api_groups: strings(v, "apiGroups"),
            resources: strings(v, "resources"),
            resource_names: strings(v, "resourceNames"),
            non_resource_urls: strings(v, "nonResourceURLs"),
        }
    }

    /// The rules of a Role or ClusterRole object.
    pub fn of_role(role: &Value) -> Vec<Rule> {
        role.get("rules")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(Rule::from_value).collect())
            .unwrap_or_default()
    }

    pub fn is_resource_rule(&self) -> bool {
        !self.resources.is_empty()
    }

    pub fn allows(&self, a: &Attrs) -> bool {
        let verb = has(&self.verbs, &a.verb);
        if !a.resource_request {
            return verb && self.url_matches(&a.path);
        }
        verb && has(&self.api_groups, &a.group)
            && self.resource_matches(&a.combined_resource(), &a.subresource)
            && (self.resource_names.is_empty() || self.resource_names.contains(&a.name))
    }

    fn resource_matches(&self, combined: &str, sub: &str) -> bool {
        self.resources.iter().any(|r| {
            r == "*"
                || r == combined
                || (!sub.is_empty()
                    && r.len() == sub.len() + 2
                    && r.starts_with("*/")
                    && r.ends_with(sub))
        })
    }

    fn url_matches(&self, path: &str) -> bool {
        self.non_resource_urls.iter().any(|u| {
            u == "*" || u == path || (u.ends_with('*') && path.starts_with(u.trim_end_matches('*')))
        })
    }
}

fn has(list: &[String], want: &str) -> bool {
    list.iter().any(|x| x == "*" || x == want)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rule(v: Value) -> Rule {
        Rule::from_value(&v)
    }

    #[test]
    fn verbs_groups_resources() {
        let r = rule(
            json!({"apiGroups": ["serving.knative.dev"], "resources": ["services"], "verbs": ["get", "list"]}),
        );
        let get = Attrs::resource("get", "serving.knative.dev", "services", "shop", "a");
        assert!(r.allows(&get));
        assert!(!r.allows(&Attrs {
            verb: "delete".into(),
            ..get.clone()
        }));
        assert!(!r.allows(&Attrs {
            group: "".into(),
            ..get.clone()
        }));
        assert!(
            !r.allows(&Attrs::resource(
                "get",
                "serving.knative.dev",
                "services/status",
                "shop",
                "a"
            )),
            "a subresource needs its own rule"
        );
        let all = rule(json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}));
        assert!(all.allows(&Attrs::resource("deletecollection", "x.io", "y/z", "", "")));
        assert!(!all.allows(&Attrs::non_resource("get", "/metrics")));
    }

    #[test]
    fn subresources_and_names() {
        let st = rule(json!({"apiGroups": [""], "resources": ["*/status"], "verbs": ["update"]}));
        assert!(st.allows(&Attrs::resource("update", "", "pods/status", "a", "p")));
        assert!(!st.allows(&Attrs::resource("update", "", "pods", "a", "p")));
        let log = rule(json!({"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}));
        assert!(log.allows(&Attrs::resource("get", "", "pods/log", "a", "p")));
        let named = rule(
            json!({"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["cfg"], "verbs": ["get"]}),
        );
        assert!(named.allows(&Attrs::resource("get", "", "configmaps", "a", "cfg")));
        assert!(!named.allows(&Attrs::resource("get", "", "configmaps", "a", "other")));
        assert!(!named.allows(&Attrs::resource("list", "", "configmaps", "a", "")));
    }

    #[test]
    fn non_resource_urls() {
        let r = rule(json!({"nonResourceURLs": ["/apis/*", "/version"], "verbs": ["get"]}));
        assert!(r.allows(&Attrs::non_resource("get", "/apis/serving.knative.dev/v1")));
        assert!(r.allows(&Attrs::non_resource("get", "/version")));
        assert!(!r.allows(&Attrs::non_resource("get", "/version/x")));
        assert!(!r.allows(&Attrs::non_resource("post", "/version")));
        assert!(!r.allows(&Attrs::resource("get", "", "pods", "", "")));
    }
}
