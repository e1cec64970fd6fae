//! Who is making a request. Over plain http kubectl sends no bearer token (trap 3), so the real
//! caller is a configurable admin (see `rbac::authn`) and personas travel in impersonation
//! headers (reference §4). This module only *reads* those headers; whether the caller may
//! impersonate is decided by `rbac::impersonate`, like the apiserver's impersonation filter.

use hyper::HeaderMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub groups: Vec<String>,
    /// Writes made by the simulated controllers and the seeder, not by an API client.
    pub internal: bool,
}

pub const ADMIN_USER: &str = "sandbox-admin";
pub const AUTHENTICATED: &str = "system:authenticated";
pub const MASTERS: &str = "system:masters";
pub const SA_PREFIX: &str = "system:serviceaccount:";

impl Identity {
    pub fn admin() -> Self {
        Identity {
            user: ADMIN_USER.to_string(),
            groups: vec![MASTERS.into(), AUTHENTICATED.into()],
            internal: false,
        }
    }

    pub fn controller() -> Self {
        Identity {
            user: "system:serviceaccount:knative-serving:controller".to_string(),
            groups: vec![
                "system:serviceaccounts".into(),
                "system:serviceaccounts:knative-serving".into(),
                AUTHENTICATED.into(),
            ],
            internal: true,
        }
    }

    /// A user with its groups; `system:authenticated` is always added, as the apiserver does.
    pub fn user(user: &str, groups: &[String]) -> Self {
        let mut groups = groups.to_vec();
        if !groups.iter().any(|g| g == AUTHENTICATED) {
            groups.push(AUTHENTICATED.into());
        }
        Identity {
            user: user.to_string(),
            groups,
            internal: false,
        }
    }

    /// `Some((namespace, name))` for `system:serviceaccount:<ns>:<name>`.
    pub fn service_account(&self) -> Option<(&str, &str)> {
        split_service_account(&self.user)
    }
}

pub fn split_service_account(user: &str) -> Option<(&str, &str)> {
    let rest = user.strip_prefix(SA_PREFIX)?;
    let (ns, name) = rest.split_once(':')?;
    (!ns.is_empty() && !name.is_empty() && !name.contains(':')).then_some((ns, name))
}

/// The `system:serviceaccounts` groups a service account user belongs to.
pub fn service_account_groups(ns: &str) -> Vec<String> {
    vec![
        "system:serviceaccounts".into(),
        format!("system:serviceaccounts:{ns}"),
    ]
}

/// The impersonation headers of one request, undecided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impersonation {
    pub user: Option<String>,
    pub groups: Vec<String>,
    pub uid: Option<String>,
    /// `(key, value)` from `Impersonate-Extra-<key>: value` (key percent-decoded, lower case).
    pub extra: Vec<(String, String)>,
}

impl Impersonation {
    pub fn from_headers(h: &HeaderMap) -> Self {
        let text = |v: &hyper::header::HeaderValue| v.to_str().ok().map(str::to_string);
        let mut out = Impersonation {
            user: h.get("impersonate-user").and_then(text),
            groups: h
                .get_all("impersonate-group")
                .iter()
                .filter_map(text)
                .collect(),
            uid: h.get("impersonate-uid").and_then(text),
            extra: Vec::new(),
        };
        for (name, value) in h {
            if let Some(key) = name.as_str().strip_prefix("impersonate-extra-")
                && let Some(v) = text(value)
            {
                let key = crate::request::percent_decode(key).to_ascii_lowercase();
                out.extra.push((key, v));
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.user.is_none() && self.groups.is_empty() && self.uid.is_none() && self.extra.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_repeated_and_decoded() {
        let mut h = HeaderMap::new();
        h.insert("impersonate-user", "dev".parse().unwrap());
        h.append("impersonate-group", "a".parse().unwrap());
        h.append("impersonate-group", "b".parse().unwrap());
        h.insert("impersonate-uid", "42".parse().unwrap());
        h.insert("impersonate-extra-scopes%2Fx", "view".parse().unwrap());
        let i = Impersonation::from_headers(&h);
        assert_eq!(i.user.as_deref(), Some("dev"));
        assert_eq!(i.groups, vec!["a", "b"]);
        assert_eq!(i.uid.as_deref(), Some("42"));
        assert_eq!(i.extra, vec![("scopes/x".to_string(), "view".to_string())]);
        assert!(Impersonation::from_headers(&HeaderMap::new()).is_empty());
    }

    #[test]
    fn service_account_names() {
        assert_eq!(
            split_service_account("system:serviceaccount:ci:deployer"),
            Some(("ci", "deployer"))
        );
        assert_eq!(split_service_account("system:serviceaccount:ci"), None);
        assert_eq!(split_service_account("alice"), None);
        let id = Identity::user("alice", &["devs".into()]);
        assert_eq!(id.groups, vec!["devs", AUTHENTICATED]);
    }
}
