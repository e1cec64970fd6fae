//! The RBAC authorizer (`plugin/pkg/auth/authorizer/rbac`): walk ClusterRoleBindings, then the
//! RoleBindings of the request's namespace, for subjects that match the user, and test each
//! bound rule. Reasons and errors use upstream's wording (`RBAC: allowed by ClusterRoleBinding
//! "x" of ClusterRole "y" to User "z"`), because `kubectl auth can-i` prints them.

use serde_json::Value;

use super::attrs::Attrs;
use super::rules::Rule;
use crate::identity::{Identity, MASTERS};
use crate::resources::Res;
use crate::store::Txn;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}

/// Every rule that applies to `id` in `namespace` (cluster-wide ones included), with the
/// errors met on the way (bindings to roles that do not exist).
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub errors: Vec<String>,
}

fn subject_applies(id: &Identity, subject: &Value, binding_ns: &str) -> bool {
    let s = |k: &str| subject.get(k).and_then(Value::as_str).unwrap_or("");
    match s("kind") {
        "User" => id.user == s("name"),
        "Group" => id.groups.iter().any(|g| g == s("name")),
        "ServiceAccount" => {
            let ns = if s("namespace").is_empty() {
                binding_ns
            } else {
                s("namespace")
            };
            !ns.is_empty() && id.service_account() == Some((ns, s("name")))
        }
        _ => false,
    }
}

fn describe_subject(subject: &Value, binding_ns: &str) -> String {
    let s = |k: &str| subject.get(k).and_then(Value::as_str).unwrap_or("");
    match s("kind") {
        "ServiceAccount" => {
            let ns = if s("namespace").is_empty() {
                binding_ns
            } else {
                s("namespace")
            };
            format!("ServiceAccount {:?}", format!("{}/{}", s("name"), ns))
        }
        kind => format!("{kind} {:?}", s("name")),
    }
}

/// Calls `visit(source description, rules)` for every binding that applies, cluster bindings
/// first; stops when `visit` returns false. Returns the resolution errors.
fn visit(
    t: &Txn<'_>,
    id: &Identity,
    namespace: &str,
    visit: &mut dyn FnMut(&str, &[Rule]) -> bool,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut scopes: Vec<(Res, Option<&str>)> = vec![(Res::ClusterRoleBinding, None)];
    if !namespace.is_empty() {
        scopes.push((Res::RoleBinding, Some(namespace)));
    }
    for (res, ns) in scopes {
        for b in t.list(res, ns) {
            let bns = ns.unwrap_or("");
            let Some(subject) = b
                .get("subjects")
                .and_then(Value::as_array)
                .and_then(|subs| subs.iter().find(|s| subject_applies(id, s, bns)))
            else {
                continue;
            };
            let rk = crate::obj::str_at(&b, &["roleRef", "kind"]).unwrap_or("");
            let rn = crate::obj::str_at(&b, &["roleRef", "name"]).unwrap_or("");
            let role = match rk {
                "ClusterRole" => t.get(Res::ClusterRole, "", rn),
                "Role" if res == Res::RoleBinding => t.get(Res::Role, bns, rn),
                _ => None,
            };
            let Some(role) = role else {
                errors.push(format!(
                    "{}.rbac.authorization.k8s.io {rn:?} not found",
                    rk.to_ascii_lowercase()
                ));
                continue;
            };
            let name = crate::obj::name(&b);
            let source = if res == Res::RoleBinding {
                format!(
                    "RoleBinding {:?} of {rk} {rn:?} to {}",
                    format!("{name}/{bns}"),
                    describe_subject(subject, bns)
                )
            } else {
                format!(
                    "ClusterRoleBinding {name:?} of {rk} {rn:?} to {}",
                    describe_subject(subject, bns)
                )
            };
            if !visit(&source, &Rule::of_role(&role)) {
                return errors;
            }
        }
    }
    errors
}

fn aggregate(errors: &[String]) -> String {
    match errors {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// The authorizer chain: `system:masters` short-circuits (no reason, like upstream's
/// privileged-group authorizer), then RBAC.
pub fn authorize(t: &Txn<'_>, id: &Identity, a: &Attrs) -> Decision {
    if id.groups.iter().any(|g| g == MASTERS) {
        return Decision {
            allowed: true,
            reason: String::new(),
        };
    }
    let mut allowed_by = None;
    let errors = visit(t, id, &a.namespace, &mut |source, rules| {
        if rules.iter().any(|r| r.allows(a)) {
            allowed_by = Some(format!("RBAC: allowed by {source}"));
            return false;
        }
        true
    });
    match allowed_by {
        Some(reason) => Decision {
            allowed: true,
            reason,
        },
        None if errors.is_empty() => Decision {
            allowed: false,
            reason: String::new(),
        },
        None => Decision {
            allowed: false,
            reason: format!("RBAC: {}", aggregate(&errors)),
        },
    }
}

/// What SelfSubjectRulesReview reports for `id` in `namespace`.
pub fn rules_for(t: &Txn<'_>, id: &Identity, namespace: &str) -> RuleSet {
    let mut rules = Vec::new();
    if id.groups.iter().any(|g| g == MASTERS) {
        rules.push(Rule {
            verbs: vec!["*".into()],
            api_groups: vec!["*".into()],
            resources: vec!["*".into()],
            ..Rule::default()
        });
        rules.push(Rule {
            verbs: vec!["*".into()],
            non_resource_urls: vec!["*".into()],
            ..Rule::default()
        });
    }
    let errors = visit(t, id, namespace, &mut |_, rs| {
        rules.extend(rs.iter().cloned());
        true
    });
    RuleSet { rules, errors }
}

pub fn evaluation_error(errors: &[String]) -> String {
    aggregate(errors)
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
