//! The apiserver's impersonation filter (`endpoints/filters/impersonation.go`): every requested
//! user, service account, group, extra and uid is its own `impersonate` check against the real
//! caller, in upstream's order, and the first denial is a 403 naming that request. Groups, uid or
//! extras without a user are a 500 with upstream's (sanitised) text.

use super::attrs::{Attrs, forbidden};
use super::evaluate::authorize;
use crate::identity::{
    AUTHENTICATED, Identity, Impersonation, service_account_groups, split_service_account,
};
use crate::status::ApiError;
use crate::store::Txn;

const AUTHN_GROUP: &str = "authentication.k8s.io";

/// One impersonation request, like upstream's `ObjectReference` list.
struct Ask {
    kind: &'static str,
    namespace: String,
    name: String,
    api_version: &'static str,
    field_path: String,
}

impl Ask {
    fn go_debug(&self) -> String {
        format!(
            "{{{} {} {}  {}  {}}}",
            self.kind, self.namespace, self.name, self.api_version, self.field_path
        )
    }

    fn attrs(&self) -> Attrs {
        let (group, resource) = match self.kind {
            "ServiceAccount" => ("", "serviceaccounts".to_string()),
            "User" => ("", "users".to_string()),
            "Group" => ("", "groups".to_string()),
            "UID" => (AUTHN_GROUP, "uids".to_string()),
            _ => (AUTHN_GROUP, format!("userextras/{}", self.field_path)),
        };
        Attrs::resource("impersonate", group, &resource, &self.namespace, &self.name)
    }
}

fn asks(imp: &Impersonation) -> Vec<Ask> {
    let ask = |kind, namespace: &str, name: &str, api_version, field_path: &str| Ask {
        kind,
        namespace: namespace.into(),
        name: name.into(),
        api_version,
        field_path: field_path.into(),
    };
    let mut out = Vec::new();
    if let Some(u) = imp.user.as_deref().filter(|u| !u.is_empty()) {
        out.push(match split_service_account(u) {
            Some((ns, name)) => ask("ServiceAccount", ns, name, "", ""),
            None => ask("User", "", u, "", ""),
        });
    }
    for (k, v) in &imp.extra {
        out.push(ask("UserExtra", "", v, "authentication.k8s.io/v1", k));
    }
    for g in &imp.groups {
        out.push(ask("Group", "", g, "", ""));
    }
    if let Some(uid) = imp.uid.as_deref().filter(|u| !u.is_empty()) {
        out.push(ask("UID", "", uid, "authentication.k8s.io/v1", ""));
    }
    out
}

pub enum Refusal {
    /// 403 for a request the caller may not impersonate.
    Forbidden(ApiError),
    /// Upstream answers a malformed request with a plain-text 500.
    Malformed(String),
}

/// The identity to authorize the request as.
pub fn resolve(
    t: &Txn<'_>,
    caller: Identity,
    imp: &Impersonation,
    request_uri: &str,
) -> Result<Identity, Refusal> {
    if imp.is_empty() {
        return Ok(caller);
    }
    let asks = asks(imp);
    if imp.user.as_deref().is_none_or(str::is_empty) {
        let list: Vec<String> = asks.iter().map(Ask::go_debug).collect();
        let text = format!(
            "Internal Server Error: {request_uri:?}: requested [{}] without impersonating a user",
            list.join(" ")
        );
        return Err(Refusal::Malformed(sanitize(&text)));
    }
    let mut user = String::new();
    let mut groups: Vec<String> = Vec::new();
    for ask in &asks {
        let a = ask.attrs();
        let d = authorize(t, &caller, &a);
        if !d.allowed {
            return Err(Refusal::Forbidden(forbidden(&caller.user, &a, &d.reason)));
        }
        match ask.kind {
            "ServiceAccount" => {
                user = format!("system:serviceaccount:{}:{}", ask.namespace, ask.name);
                if imp.groups.is_empty() {
                    groups = service_account_groups(&ask.namespace);
                }
            }
            "User" => user = ask.name.clone(),
            "Group" => groups.push(ask.name.clone()),
            _ => {}
        }
    }
    if user == "system:anonymous" {
        if !groups.iter().any(|g| g == "system:unauthenticated") {
            groups.push("system:unauthenticated".into());
        }
        return Ok(Identity {
            user,
            groups,
            internal: false,
        });
    }
    if !groups.iter().any(|g| g == AUTHENTICATED) {
        groups.push(AUTHENTICATED.into());
    }
    Ok(Identity::user(&user, &groups))
}

/// `responsewriters.InternalError`'s HTML-ish escaping.
fn sanitize(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::resources::Res;
    use crate::store::Store;
    use serde_json::json;

    fn imp(user: Option<&str>, groups: &[&str]) -> Impersonation {
        Impersonation {
            user: user.map(str::to_string),
            groups: groups.iter().map(|s| s.to_string()).collect(),
            ..Impersonation::default()
        }
    }

    #[test]
    fn admin_may_impersonate_and_groups_are_completed() {
        let s = Store::new(1, 10);
        let t = s.txn();
        let id = resolve(&t, Identity::admin(), &imp(Some("dev"), &["devs"]), "/").ok();
        assert_eq!(id, Some(Identity::user("dev", &["devs".into()])));
        let sa = resolve(
            &t,
            Identity::admin(),
            &imp(Some("system:serviceaccount:ci:bot"), &[]),
            "/",
        )
        .ok()
        .map(|i| i.groups);
        assert_eq!(
            sa,
            Some(vec![
                "system:serviceaccounts".to_string(),
                "system:serviceaccounts:ci".into(),
                AUTHENTICATED.into()
            ])
        );
    }

    #[test]
    fn unprivileged_callers_and_missing_users_are_refused() {
        let s = Store::new(1, 10);
        let dev = Identity::user("dev", &[]);
        let t = s.txn();
        match resolve(&t, dev.clone(), &imp(Some("alice"), &[]), "/") {
            Err(Refusal::Forbidden(e)) => assert_eq!(
                e.message,
                "users \"alice\" is forbidden: User \"dev\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"
            ),
            _ => panic!("expected 403"),
        }
        match resolve(&t, Identity::admin(), &imp(None, &["devs"]), "/api") {
            Err(Refusal::Malformed(m)) => assert_eq!(
                m,
                "Internal Server Error: &#34;/api&#34;: requested [{Group  devs    }] without impersonating a user"
            ),
            _ => panic!("expected 500"),
        }
        drop(t);
        s.txn().put(
            Res::ClusterRole,
            json!({"metadata": {"name": "imp"}, "rules": [{"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"], "resourceNames": ["alice"]}]}),
        );
        s.txn().put(
            Res::ClusterRoleBinding,
            json!({"metadata": {"name": "imp"}, "roleRef": {"kind": "ClusterRole", "name": "imp"}, "subjects": [{"kind": "User", "name": "dev"}]}),
        );
        let t = s.txn();
        assert!(resolve(&t, dev.clone(), &imp(Some("alice"), &[]), "/").is_ok());
        assert!(matches!(
            resolve(&t, dev, &imp(Some("alice"), &["admins"]), "/"),
            Err(Refusal::Forbidden(e)) if e.message.starts_with("groups \"admins\" is forbidden")
        ));
    }
}
