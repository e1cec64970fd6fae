//! What the connected user may do in a namespace, from one SelfSubjectRulesReview (the
//! question `kubectl auth can-i --list` asks). The console asks once per namespace and refuses
//! up front what the rules do not allow, naming the missing permission, instead of walking the
//! user through a confirmation the server will then refuse.

use k8s_openapi::api::authorization::v1::{
    ResourceRule, SelfSubjectRulesReview, SelfSubjectRulesReviewSpec,
};
use kube::Api;
use kube::api::PostParams;

use crate::CoreError;
use crate::cluster::Connection;

/// One permission: a verb on a resource of an API group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    pub verb: &'static str,
    pub group: &'static str,
    pub resource: &'static str,
}

impl Permission {
    pub const fn new(verb: &'static str, group: &'static str, resource: &'static str) -> Self {
        Permission {
            verb,
            group,
            resource,
        }
    }
}

impl Permission {
    /// Whether the resource lives outside namespaces (only a ClusterRoleBinding grants it).
    pub fn is_cluster_scoped(&self) -> bool {
        matches!(
            (self.group, self.resource),
            ("", "namespaces")
                | (
                    "rbac.authorization.k8s.io",
                    "clusterroles" | "clusterrolebindings"
                )
        )
    }
}

impl std::fmt::Display for Permission {
    /// `delete services.serving.knative.dev`, as RBAC messages write it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.group.is_empty() {
            write!(f, "{} {}", self.verb, self.resource)
        } else {
            write!(f, "{} {}.{}", self.verb, self.resource, self.group)
        }
    }
}

/// What the rules say about a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Denied,
    /// The server said its list may be incomplete (another authorizer may allow it): the
    /// server decides.
    Unknown,
}

/// The user's rules in one namespace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessRules {
    pub rules: Vec<ResourceRule>,
    /// The server could not list every rule (e.g. a webhook authorizer).
    pub incomplete: bool,
}

fn matches(list: &[String], value: &str) -> bool {
    list.iter().any(|item| item == "*" || item == value)
}

impl AccessRules {
    /// Whether a rule grants `permission` on every object of its kind (a rule limited to some
    /// resource names does not).
    pub fn allows(&self, permission: &Permission) -> bool {
        self.rules.iter().any(|rule| {
            matches(&rule.verbs, permission.verb)
                && matches(
                    rule.api_groups.as_deref().unwrap_or_default(),
                    permission.group,
                )
                && matches(
                    rule.resources.as_deref().unwrap_or_default(),
                    permission.resource,
                )
                && rule
                    .resource_names
                    .as_deref()
                    .unwrap_or_default()
                    .is_empty()
        })
    }

    pub fn verdict(&self, permission: &Permission) -> Verdict {
        match (self.allows(permission), self.incomplete) {
            (true, _) => Verdict::Allowed,
            (false, true) => Verdict::Unknown,
            (false, false) => Verdict::Denied,
        }
    }
}

/// Asks the server for the user's rules in `namespace`.
pub async fn review_access(conn: &Connection, namespace: &str) -> Result<AccessRules, CoreError> {
    let api: Api<SelfSubjectRulesReview> = Api::all(conn.client.clone());
    let review = SelfSubjectRulesReview {
        spec: SelfSubjectRulesReviewSpec {
            namespace: Some(namespace.to_owned()),
        },
        ..SelfSubjectRulesReview::default()
    };
    let answer = api
        .create(&PostParams::default(), &review)
        .await
        .map_err(|e| conn.error(e))?;
    let status = answer.status.unwrap_or_default();
    Ok(AccessRules {
        rules: status.resource_rules,
        incomplete: status.incomplete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verbs: &[&str], groups: &[&str], resources: &[&str], names: &[&str]) -> ResourceRule {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        ResourceRule {
            verbs: owned(verbs),
            api_groups: Some(owned(groups)),
            resources: Some(owned(resources)),
            resource_names: (!names.is_empty()).then(|| owned(names)),
        }
    }

    const DELETE_FN: Permission = Permission::new("delete", "serving.knative.dev", "services");

    #[test]
    fn rules_allow_by_verb_group_and_resource_with_wildcards() {
        let viewer = AccessRules {
            rules: vec![rule(
                &["get", "list", "watch"],
                &["serving.knative.dev"],
                &["*"],
                &[],
            )],
            incomplete: false,
        };
        assert_eq!(viewer.verdict(&DELETE_FN), Verdict::Denied);
        let admin = AccessRules {
            rules: vec![rule(&["*"], &["*"], &["*"], &[])],
            incomplete: false,
        };
        assert_eq!(admin.verdict(&DELETE_FN), Verdict::Allowed);
        let one_name = AccessRules {
            rules: vec![rule(
                &["delete"],
                &["serving.knative.dev"],
                &["services"],
                &["cart"],
            )],
            incomplete: false,
        };
        assert!(!one_name.allows(&DELETE_FN), "limited to one name");
        let partial = AccessRules {
            incomplete: true,
            ..viewer
        };
        assert_eq!(partial.verdict(&DELETE_FN), Verdict::Unknown);
        assert_eq!(DELETE_FN.to_string(), "delete services.serving.knative.dev");
    }
}
