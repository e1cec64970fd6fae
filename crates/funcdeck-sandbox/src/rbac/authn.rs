//! Authentication of the real caller. Over http kubectl sends no token (trap 3), so a request
//! without `Authorization` is the *configured caller* (by default `sandbox-admin` in
//! `system:masters`). Raw HTTP and kube clients may send `Authorization: Bearer <token>`; tokens
//! are looked up like the apiserver's `--token-auth-file` (`token,user,uid,"group1,group2"`).
//! Both live in the ConfigMap `kube-system/sandbox-authentication`, so they can be changed at
//! runtime through the API (by an admin) and are seeded with one token per demo persona.

use hyper::HeaderMap;
use serde_json::Value;

use crate::identity::{ADMIN_USER, AUTHENTICATED, Identity, MASTERS};
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Store;

pub const CONFIG_NAMESPACE: &str = "kube-system";
pub const CONFIG_NAME: &str = "sandbox-authentication";

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

/// One line of a token file: `token,user,uid,"g1,g2"` (the group field is optional).
fn parse_token_line(line: &str) -> Option<(&str, &str, Vec<String>)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut it = line.splitn(4, ',');
    let token = it.next()?.trim();
    let user = it.next()?.trim();
    let _uid = it.next();
    let groups = it.next().map(|g| split_list(g.trim().trim_matches('"')));
    (!token.is_empty() && !user.is_empty()).then(|| (token, user, groups.unwrap_or_default()))
}

fn config(store: &Store) -> Option<std::sync::Arc<Value>> {
    store.get(Res::ConfigMap, CONFIG_NAMESPACE, CONFIG_NAME)
}

fn data<'a>(cm: &'a Value, key: &str) -> Option<&'a str> {
    crate::obj::str_at(cm, &["data", key])
}

/// Who sent this request, before impersonation.
pub fn caller(store: &Store, headers: &HeaderMap) -> Result<Identity, ApiError> {
    let cm = config(store);
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    if let Some(token) = bearer {
        let tokens = cm.as_deref().and_then(|c| data(c, "tokens")).unwrap_or("");
        return tokens
            .lines()
            .filter_map(parse_token_line)
            .find(|(t, _, _)| *t == token)
            .map(|(_, user, groups)| Identity::user(user, &groups))
            .ok_or_else(unauthorized);
    }
    let Some(cm) = cm else {
        return Ok(Identity::admin());
    };
    let user = data(&cm, "caller-user")
        .filter(|u| !u.is_empty())
        .unwrap_or(ADMIN_USER);
    let groups = match data(&cm, "caller-groups") {
        Some(g) => split_list(g),
        None => vec![MASTERS.into(), AUTHENTICATED.into()],
    };
    Ok(Identity::user(user, &groups))
}

pub fn unauthorized() -> ApiError {
    ApiError::new(401, "Unauthorized", "Unauthorized")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn token_lines() {
        assert_eq!(
            parse_token_line("dev-token,dev,1002,\"devs,shop\""),
            Some(("dev-token", "dev", vec!["devs".into(), "shop".into()]))
        );
        assert_eq!(
            parse_token_line("t,u,3"),
            Some(("t", "u", Vec::<String>::new()))
        );
        assert_eq!(parse_token_line("# comment"), None);
        assert_eq!(parse_token_line("only-token"), None);
    }

    #[test]
    fn caller_defaults_to_admin_and_rejects_unknown_tokens() {
        let s = Store::new(1, 10);
        assert_eq!(caller(&s, &HeaderMap::new()), Ok(Identity::admin()));
        let mut h = HeaderMap::new();
        h.insert("authorization", "Bearer nope".parse().unwrap());
        assert_eq!(caller(&s, &h).map_err(|e| e.code), Err(401));
        s.txn().put(
            Res::ConfigMap,
            serde_json::json!({"metadata": {"namespace": CONFIG_NAMESPACE, "name": CONFIG_NAME},
                "data": {"tokens": "nope,dev,1,\"devs\"\n", "caller-user": "viewer", "caller-groups": ""}}),
        );
        assert_eq!(caller(&s, &h), Ok(Identity::user("dev", &["devs".into()])));
        assert_eq!(
            caller(&s, &HeaderMap::new()),
            Ok(Identity::user("viewer", &[]))
        );
    }
}
