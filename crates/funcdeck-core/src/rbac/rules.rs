//! Reading RBAC rules: does a rule allow a request, and a role's rules as a resource × verbs
//! matrix for people.

use std::collections::BTreeMap;

use k8s_openapi::api::rbac::v1::PolicyRule;

/// A resource as RBAC names it: API group ("" for core), plural, optional subresource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    pub group: String,
    /// "pods" or "pods/log".
    pub resource: String,
}

impl ResourceRef {
    /// Reads `pods`, `pods/log`, `services.serving.knative.dev`, and funcdeck's own words for a
    /// function (`function`, `functions`, `ksvc`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "{text:?} is not a resource (e.g. pods, services.serving.knative.dev)"
            ));
        }
        if matches!(text, "function" | "functions" | "ksvc" | "fn") {
            return Ok(ResourceRef {
                group: "serving.knative.dev".into(),
                resource: "services".into(),
            });
        }
        let (head, sub) = match text.split_once('/') {
            Some((head, sub)) => (head, Some(sub)),
            None => (text, None),
        };
        let (plural, group) = match head.split_once('.') {
            Some((plural, group)) => (plural, group),
            None => (head, ""),
        };
        let resource = match sub {
            Some(sub) => format!("{plural}/{sub}"),
            None => plural.to_owned(),
        };
        Ok(ResourceRef {
            group: group.to_owned(),
            resource,
        })
    }
}

impl std::fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (plural, sub) = match self.resource.split_once('/') {
            Some((plural, sub)) => (plural, Some(sub)),
            None => (self.resource.as_str(), None),
        };
        write!(f, "{plural}")?;
        if !self.group.is_empty() {
            write!(f, ".{}", self.group)?;
        }
        if let Some(sub) = sub {
            write!(f, "/{sub}")?;
        }
        Ok(())
    }
}

/// A verb as RBAC spells it (`get`, `deletecollection`, `*`): lower-case letters, or `*`.
pub fn parse_verb(text: &str) -> Result<String, String> {
    if text == "*" || (!text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase())) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "{text:?} is not a verb (get, list, watch, create, update, patch, delete, …)"
        ))
    }
}

fn matches(list: &[String], value: &str) -> bool {
    list.iter().any(|item| item == "*" || item == value)
}

/// Whether `rule` allows `verb` on `resource` (named `name`, if the request names one), as
/// the authorizer decides it: `*` matches any verb, group or resource; `pods/*` any
/// subresource of pods; a rule with resourceNames only allows requests naming one of them.
pub fn rule_allows(
    rule: &PolicyRule,
    verb: &str,
    resource: &ResourceRef,
    name: Option<&str>,
) -> bool {
    let groups = rule.api_groups.as_deref().unwrap_or_default();
    let resources = rule.resources.as_deref().unwrap_or_default();
    if !matches(&rule.verbs, verb) || !matches(groups, &resource.group) {
        return false;
    }
    let resource_ok = resources.iter().any(|r| {
        r == "*"
            || *r == resource.resource
            || resource
                .resource
                .split_once('/')
                .is_some_and(|(plural, _)| *r == format!("{plural}/*"))
    });
    if !resource_ok {
        return false;
    }
    match rule.resource_names.as_deref() {
        None | Some([]) => true,
        Some(names) => name.is_some_and(|name| names.iter().any(|n| n == name)),
    }
}

/// One line of a role's matrix: a resource (with its names, if the rule is limited to some)
/// and the verbs allowed on it, merged across rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatrixRow {
    pub resource: String,
    pub verbs: Vec<String>,
}

/// A role's rules as resource × verbs, one row per resource in name order; verbs in the
/// order people read them (get list watch create update patch delete, then the rest).
pub fn matrix(rules: &[PolicyRule]) -> Vec<MatrixRow> {
    const ORDER: [&str; 8] = [
        "*", "get", "list", "watch", "create", "update", "patch", "delete",
    ];
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rule in rules {
        let mut keys = Vec::new();
        if let Some(urls) = &rule.non_resource_urls {
            keys.extend(urls.iter().map(|u| format!("url {u}")));
        }
        for group in rule.api_groups.as_deref().unwrap_or_default() {
            for resource in rule.resources.as_deref().unwrap_or_default() {
                let mut key = ResourceRef {
                    group: group.clone(),
                    resource: resource.clone(),
                }
                .to_string();
                if let Some(names) = rule.resource_names.as_deref().filter(|n| !n.is_empty()) {
                    key = format!("{key} [{}]", names.join(","));
                }
                keys.push(key);
            }
        }
        for key in keys {
            let verbs = rows.entry(key).or_default();
            for verb in &rule.verbs {
                if !verbs.contains(verb) {
                    verbs.push(verb.clone());
                }
            }
        }
    }
    rows.into_iter()
        .map(|(resource, mut verbs)| {
            let rank = |v: &String| ORDER.iter().position(|o| o == v).unwrap_or(ORDER.len());
            verbs.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
            MatrixRow { resource, verbs }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]) -> PolicyRule {
        let owned = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        PolicyRule {
            api_groups: Some(owned(groups)),
            resources: Some(owned(resources)),
            verbs: owned(verbs),
            resource_names: (!names.is_empty()).then(|| owned(names)),
            non_resource_urls: None,
        }
    }

    fn res(text: &str) -> ResourceRef {
        ResourceRef::parse(text).expect("parses")
    }

    #[test]
    fn resources_parse_with_groups_subresources_and_function_words() {
        assert_eq!(res("pods/log").to_string(), "pods/log");
        assert_eq!(res("pods/log").group, "");
        let ksvc = res("services.serving.knative.dev");
        assert_eq!(
            (ksvc.group.as_str(), ksvc.resource.as_str()),
            ("serving.knative.dev", "services")
        );
        assert_eq!(res("functions"), ksvc);
        assert_eq!(res("ksvc").to_string(), "services.serving.knative.dev");
        assert!(ResourceRef::parse("").is_err());
        assert!(ResourceRef::parse("po ds").is_err());
        assert_eq!(parse_verb("delete"), Ok("delete".into()));
        assert_eq!(parse_verb("*"), Ok("*".into()));
        for bad in ["", "Get", "de lete", "**", "get\u{1b}"] {
            assert!(parse_verb(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn wildcards_subresources_and_resource_names_are_honoured() {
        let any = rule(&["*"], &["*"], &["*"], &[]);
        assert!(rule_allows(&any, "delete", &res("ksvc"), Some("cart")));
        let pods = rule(&[""], &["pods/*"], &["get"], &[]);
        assert!(rule_allows(&pods, "get", &res("pods/log"), None));
        assert!(
            !rule_allows(&pods, "get", &res("pods"), None),
            "pods/* is not pods"
        );
        assert!(
            !rule_allows(&pods, "get", &res("pods.apps/log"), None),
            "wrong group"
        );
        let named = rule(
            &["serving.knative.dev"],
            &["services"],
            &["update"],
            &["cart"],
        );
        assert!(rule_allows(&named, "update", &res("ksvc"), Some("cart")));
        assert!(!rule_allows(&named, "update", &res("ksvc"), Some("shop")));
        assert!(
            !rule_allows(&named, "update", &res("ksvc"), None),
            "names need a name"
        );
        assert!(!rule_allows(&named, "delete", &res("ksvc"), Some("cart")));
    }

    #[test]
    fn the_matrix_merges_rules_per_resource_in_reading_order() {
        let rows = matrix(&[
            rule(
                &["serving.knative.dev"],
                &["services"],
                &["delete", "get"],
                &[],
            ),
            rule(
                &["serving.knative.dev"],
                &["services"],
                &["list", "get"],
                &[],
            ),
            rule(&[""], &["pods"], &["watch"], &["a", "b"]),
        ]);
        assert_eq!(
            rows,
            vec![
                MatrixRow {
                    resource: "pods [a,b]".into(),
                    verbs: vec!["watch".into()]
                },
                MatrixRow {
                    resource: "services.serving.knative.dev".into(),
                    verbs: vec!["get".into(), "list".into(), "delete".into()]
                },
            ]
        );
    }
}
