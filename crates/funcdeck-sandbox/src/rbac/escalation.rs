//! RBAC escalation prevention (`registry/rbac/validation`): a user may only create or change a
//! Role/ClusterRole whose rules it already holds (or with `escalate`), and only bind a role
//! whose rules it holds (or with `bind` on that role). Without it, a namespace admin could
//! grant itself cluster-admin, and the console's "grant a role" flow would be untestable.
//! Called from the write path for API writes; the control plane and `system:masters` skip it.

use serde_json::Value;

use super::attrs::{Attrs, forbidden_for};
use super::evaluate::{authorize, rules_for};
use super::rules::Rule;
use crate::identity::{Identity, MASTERS};
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Txn;

const RBAC: &str = "rbac.authorization.k8s.io";

/// One verb on one group/resource (/name), or on one URL: `Covers` works on these.
fn atoms(rule: &Rule) -> Vec<Rule> {
    let one = |s: &String| vec![s.clone()];
    let mut out = Vec::new();
    for v in &rule.verbs {
        for g in &rule.api_groups {
            for r in &rule.resources {
                if rule.resource_names.is_empty() {
                    out.push(Rule {
                        verbs: one(v),
                        api_groups: one(g),
                        resources: one(r),
                        ..Rule::default()
                    });
                }
                for n in &rule.resource_names {
                    out.push(Rule {
                        verbs: one(v),
                        api_groups: one(g),
                        resources: one(r),
                        resource_names: one(n),
                        ..Rule::default()
                    });
                }
            }
        }
        for u in &rule.non_resource_urls {
            out.push(Rule {
                verbs: one(v),
                non_resource_urls: one(u),
                ..Rule::default()
            });
        }
    }
    out
}

fn has(set: &[String], x: &str) -> bool {
    set.iter().any(|s| s == x)
}

fn has_all(set: &[String], xs: &[String]) -> bool {
    xs.iter().all(|x| has(set, x))
}

/// `ruleCovers` for an owner rule and an atom.
fn covers(owner: &Rule, sub: &Rule) -> bool {
    let verbs = has(&owner.verbs, "*") || has_all(&owner.verbs, &sub.verbs);
    let groups = has(&owner.api_groups, "*") || has_all(&owner.api_groups, &sub.api_groups);
    let resources = has(&owner.resources, "*")
        || sub.resources.iter().all(|p| {
            has(&owner.resources, p)
                || p.split_once('/')
                    .is_some_and(|(_, sub)| has(&owner.resources, &format!("*/{sub}")))
        });
    let urls = sub.non_resource_urls.iter().all(|p| {
        owner.non_resource_urls.iter().any(|o| {
            o == "*" || o == p || (o.ends_with('*') && p.starts_with(o.trim_end_matches('*')))
        })
    });
    let names = owner.resource_names.is_empty()
        || (!sub.resource_names.is_empty() && has_all(&owner.resource_names, &sub.resource_names));
    verbs && groups && resources && urls && names
}

fn q(list: &[String]) -> String {
    let parts: Vec<String> = list.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", parts.join(" "))
}

/// `rbacv1helpers.CompactString`.
fn compact_string(r: &Rule) -> String {
    let mut parts = Vec::new();
    for (label, list) in [
        ("APIGroups", &r.api_groups),
        ("Resources", &r.resources),
        ("NonResourceURLs", &r.non_resource_urls),
        ("ResourceNames", &r.resource_names),
        ("Verbs", &r.verbs),
    ] {
        if !list.is_empty() {
            parts.push(format!("{label}:{}", q(list)));
        }
    }
    format!("{{{}}}", parts.join(", "))
}

/// `ConfirmNoEscalation`: the error text when `id` does not hold every rule in `rules`.
fn missing(t: &Txn<'_>, id: &Identity, ns: &str, rules: &[Rule]) -> Option<String> {
    let owner = rules_for(t, id, ns).rules;
    let mut lacking: Vec<Rule> = Vec::new();
    for atom in rules.iter().flat_map(atoms) {
        if owner.iter().any(|o| covers(o, &atom)) {
            continue;
        }
        // CompactRules: merge verbs of atoms on the same group/resource/name.
        match lacking.iter_mut().find(|l| {
            !atom.resources.is_empty()
                && l.api_groups == atom.api_groups
                && l.resources == atom.resources
                && l.resource_names == atom.resource_names
        }) {
            Some(l) => l.verbs.extend(atom.verbs),
            None => lacking.push(atom),
        }
    }
    if lacking.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = lacking.iter().map(compact_string).collect();
    lines.sort();
    lines.dedup();
    Some(format!(
        "user {:?} (groups={}) is attempting to grant RBAC permissions not currently held:\n{}",
        id.user,
        q(&id.groups),
        lines.join("\n")
    ))
}

/// Checks a create or update of an RBAC object by `id` in `ns`.
pub fn check(
    t: &Txn<'_>,
    id: &Identity,
    res: Res,
    ns: &str,
    object: &Value,
) -> Result<(), ApiError> {
    if id.internal || id.groups.iter().any(|g| g == MASTERS) {
        return Ok(());
    }
    let def = res.def();
    let name = crate::obj::name(object);
    let refuse = |msg: &str| forbidden_for(def.group, def.plural, name, msg);
    match res {
        Res::Role | Res::ClusterRole => {
            let plural = def.plural;
            let esc = Attrs::resource("escalate", RBAC, plural, ns, name);
            if authorize(t, id, &esc).allowed {
                return Ok(());
            }
            match missing(t, id, ns, &Rule::of_role(object)) {
                Some(msg) => Err(refuse(&msg)),
                None => Ok(()),
            }
        }
        Res::RoleBinding | Res::ClusterRoleBinding => {
            let kind = crate::obj::str_at(object, &["roleRef", "kind"]).unwrap_or("");
            let role = crate::obj::str_at(object, &["roleRef", "name"]).unwrap_or("");
            let (role_res, role_ns) = match kind {
                "Role" if res == Res::RoleBinding => (Res::Role, ns),
                _ => (Res::ClusterRole, ""),
            };
            let bind = Attrs::resource("bind", RBAC, role_res.def().plural, ns, role);
            if authorize(t, id, &bind).allowed {
                return Ok(());
            }
            let Some(role_obj) = t.get(role_res, role_ns, role) else {
                return Err(ApiError::not_found(role_res.def(), role));
            };
            match missing(t, id, ns, &Rule::of_role(&role_obj)) {
                Some(msg) => Err(refuse(&msg)),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::json;

    fn store() -> Store {
        let s = Store::new(1, 10);
        let mut t = s.txn();
        t.put(
            Res::ClusterRole,
            json!({"metadata": {"name": "dev"}, "rules": [
                {"apiGroups": ["serving.knative.dev"], "resources": ["services", "services/status"], "verbs": ["get", "create"]}]}),
        );
        t.put(
            Res::ClusterRole,
            json!({"metadata": {"name": "big"}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}),
        );
        t.put(
            Res::RoleBinding,
            json!({"metadata": {"name": "dev", "namespace": "shop"}, "roleRef": {"kind": "ClusterRole", "name": "dev"},
                "subjects": [{"kind": "User", "name": "dev"}]}),
        );
        drop(t);
        s
    }

    #[test]
    fn holders_may_grant_what_they_hold_only() {
        let s = store();
        let t = s.txn();
        let dev = Identity::user("dev", &[]);
        let same =
            json!({"metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "dev"}});
        assert!(check(&t, &dev, Res::RoleBinding, "shop", &same).is_ok());
        let big =
            json!({"metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "big"}});
        let e = check(&t, &dev, Res::RoleBinding, "shop", &big).unwrap_err();
        assert_eq!(
            e.message,
            "rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user \"dev\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}"
        );
        assert!(
            check(&t, &dev, Res::RoleBinding, "payments", &same).is_err(),
            "held only in shop"
        );
        let role = json!({"metadata": {"name": "r", "namespace": "shop"}, "rules": [
            {"apiGroups": ["serving.knative.dev"], "resources": ["services"], "verbs": ["get", "delete", "patch"]}]});
        let e = check(&t, &dev, Res::Role, "shop", &role).unwrap_err();
        assert!(
            e.message.ends_with(
                "{APIGroups:[\"serving.knative.dev\"], Resources:[\"services\"], Verbs:[\"delete\" \"patch\"]}"
            ),
            "{}",
            e.message
        );
        let missing_role =
            json!({"metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "nope"}});
        assert_eq!(
            check(&t, &dev, Res::RoleBinding, "shop", &missing_role)
                .unwrap_err()
                .code,
            404
        );
        assert!(check(&t, &Identity::admin(), Res::ClusterRoleBinding, "", &big).is_ok());
    }

    #[test]
    fn subresource_wildcards_cover() {
        let owner = Rule::from_value(
            &json!({"apiGroups": [""], "resources": ["*/status"], "verbs": ["get"]}),
        );
        let sub = Rule::from_value(
            &json!({"apiGroups": [""], "resources": ["pods/status"], "verbs": ["get"]}),
        );
        assert!(covers(&owner, &sub));
        let named = Rule::from_value(
            &json!({"apiGroups": [""], "resources": ["pods"], "resourceNames": ["a"], "verbs": ["get"]}),
        );
        let any =
            Rule::from_value(&json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}));
        assert!(!covers(&named, &any));
        assert!(covers(&any, &atoms(&named)[0]));
        let url = Rule::from_value(&json!({"nonResourceURLs": ["/apis/*"], "verbs": ["get"]}));
        let want = Rule::from_value(&json!({"nonResourceURLs": ["/apis/x"], "verbs": ["get"]}));
        assert!(covers(&url, &want));
    }
}
