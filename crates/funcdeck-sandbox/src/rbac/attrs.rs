//! Request attributes, parsed from the URL like the apiserver's `RequestInfoFactory`
//! (apiserver `endpoints/request/requestinfo.go`) rather than from our own routes, so that paths
//! the sandbox does not serve are authorized exactly as a real cluster would (403 before 404),
//! and the denial text is `responsewriters.forbiddenMessage` wrapped by `NewForbidden`.

use serde_json::json;

use crate::request::Query;
use crate::status::ApiError;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attrs {
    pub verb: String,
    /// False for non-resource requests (`/version`, `/healthz`, `/apis`, `/metrics`).
    pub resource_request: bool,
    pub path: String,
    pub group: String,
    pub version: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
}

impl Attrs {
    pub fn resource(verb: &str, group: &str, resource: &str, namespace: &str, name: &str) -> Self {
        let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
        Attrs {
            verb: verb.into(),
            resource_request: true,
            group: group.into(),
            resource: resource.into(),
            subresource: subresource.into(),
            namespace: namespace.into(),
            name: name.into(),
            ..Attrs::default()
        }
    }

    pub fn non_resource(verb: &str, path: &str) -> Self {
        Attrs {
            verb: verb.into(),
            path: path.into(),
            ..Attrs::default()
        }
    }

    /// `services` or `services/status`: what rules' `resources` are matched against.
    pub fn combined_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }

    pub fn from_request(method: &str, path: &str, query: &Query) -> Self {
        let mut a = Attrs::non_resource(&method.to_ascii_lowercase(), path);
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut cur: &[&str] = &parts;
        match cur {
            ["api", _, _, ..] => cur = &cur[1..],
            ["apis", g, _, _, ..] => {
                a.group = g.to_string();
                cur = &cur[2..];
            }
            _ => return a,
        }
        a.resource_request = true;
        a.version = cur[0].to_string();
        cur = &cur[1..];
        a.verb = match method {
            "POST" => "create",
            "GET" | "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        }
        .to_string();
        if let ["namespaces", ns, rest @ ..] = cur {
            a.namespace = ns.to_string();
            if !rest.is_empty() && !matches!(rest[0], "status" | "finalize") {
                cur = rest;
            }
        }
        if let Some(r) = cur.first() {
            a.resource = r.to_string();
        }
        if let Some(n) = cur.get(1) {
            a.name = n.to_string();
        }
        if let Some(s) = cur.get(2) {
            a.subresource = s.to_string();
        }
        if a.name.is_empty() && a.verb == "get" {
            a.verb = if query.flag("watch") { "watch" } else { "list" }.into();
            if let Some(name) = exact_name(query.get("fieldSelector")) {
                a.name = name;
            }
        }
        if a.name.is_empty() && a.verb == "delete" {
            a.verb = "deletecollection".into();
        }
        a
    }
}

/// `metadata.name=x` (or `==`) as the only term of a field selector.
fn exact_name(sel: Option<&str>) -> Option<String> {
    let sel = sel?;
    if sel.contains(',') {
        return None;
    }
    let (k, v) = sel.split_once("==").or_else(|| sel.split_once('='))?;
    (k.trim() == "metadata.name" && !v.is_empty() && !v.contains('/') && !k.ends_with('!'))
        .then(|| v.trim().to_string())
}

/// The 403 the apiserver writes for a denied request (`reason` is appended after `: `).
pub fn forbidden(user: &str, a: &Attrs, reason: &str) -> ApiError {
    let msg = if !a.resource_request {
        format!("User {user:?} cannot {} path {:?}", a.verb, a.path)
    } else if !a.namespace.is_empty() {
        format!(
            "User {user:?} cannot {} resource {:?} in API group {:?} in the namespace {:?}",
            a.verb,
            a.combined_resource(),
            a.group,
            a.namespace
        )
    } else {
        format!(
            "User {user:?} cannot {} resource {:?} in API group {:?} at the cluster scope",
            a.verb,
            a.combined_resource(),
            a.group
        )
    };
    let err = if reason.is_empty() {
        msg
    } else {
        format!("{msg}: {reason}")
    };
    forbidden_for(&a.group, &a.resource, &a.name, &err)
}

/// apimachinery `errors.NewForbidden(groupResource, name, err)`.
pub fn forbidden_for(group: &str, resource: &str, name: &str, err: &str) -> ApiError {
    let gr = if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    };
    let message = if gr.is_empty() {
        format!("forbidden: {err}")
    } else if name.is_empty() {
        format!("{gr} is forbidden: {err}")
    } else {
        format!("{gr} {name:?} is forbidden: {err}")
    };
    let mut details = json!({});
    for (k, v) in [("name", name), ("group", group), ("kind", resource)] {
        if !v.is_empty() {
            details[k] = json!(v);
        }
    }
    ApiError::new(403, "Forbidden", message).with_details(details)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn attrs(method: &str, path: &str, q: &str) -> Attrs {
        Attrs::from_request(method, path, &Query::parse(Some(q)))
    }

    #[test]
    fn parses_like_request_info() {
        let a = attrs(
            "DELETE",
            "/apis/serving.knative.dev/v1/namespaces/default/services/hello",
            "",
        );
        assert_eq!(
            a,
            Attrs {
                path: a.path.clone(),
                version: "v1".into(),
                ..Attrs::resource(
                    "delete",
                    "serving.knative.dev",
                    "services",
                    "default",
                    "hello"
                )
            }
        );
        let w = attrs("GET", "/api/v1/namespaces/shop/pods", "watch=true");
        assert_eq!((w.verb.as_str(), w.resource.as_str()), ("watch", "pods"));
        let l = attrs("GET", "/api/v1/pods", "fieldSelector=metadata.name%3Dp1");
        assert_eq!((l.verb.as_str(), l.name.as_str()), ("list", "p1"));
        let ns = attrs("GET", "/api/v1/namespaces/shop", "");
        assert_eq!(
            (
                ns.resource.as_str(),
                ns.name.as_str(),
                ns.namespace.as_str()
            ),
            ("namespaces", "shop", "shop")
        );
        let st = attrs("PUT", "/api/v1/namespaces/shop/status", "");
        assert_eq!(st.subresource, "status");
        let log = attrs("GET", "/api/v1/namespaces/shop/pods/p/log", "");
        assert_eq!(log.combined_resource(), "pods/log");
        assert_eq!(
            attrs("DELETE", "/api/v1/namespaces/shop/pods", "").verb,
            "deletecollection"
        );
        for p in [
            "/apis",
            "/api/v1",
            "/apis/serving.knative.dev/v1",
            "/metrics",
        ] {
            assert!(!attrs("GET", p, "").resource_request, "{p}");
        }
    }

    #[test]
    fn messages_are_the_apiservers() {
        let a = Attrs::resource(
            "delete",
            "serving.knative.dev",
            "services",
            "default",
            "hello",
        );
        assert_eq!(
            forbidden("alice", &a, "").message,
            "services.serving.knative.dev \"hello\" is forbidden: User \"alice\" cannot delete resource \"services\" in API group \"serving.knative.dev\" in the namespace \"default\""
        );
        let l = Attrs::resource("list", "serving.knative.dev", "services", "shop", "");
        assert_eq!(
            forbidden("x", &l, "").message,
            "services.serving.knative.dev is forbidden: User \"x\" cannot list resource \"services\" in API group \"serving.knative.dev\" in the namespace \"shop\""
        );
        let c = Attrs::resource("list", "", "namespaces", "", "");
        assert_eq!(
            forbidden("x", &c, "").message,
            "namespaces is forbidden: User \"x\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope"
        );
        let m = Attrs::non_resource("get", "/metrics");
        let e = forbidden("alice", &m, "");
        assert_eq!(
            e.message,
            "forbidden: User \"alice\" cannot get path \"/metrics\""
        );
        assert_eq!(e.code, 403);
    }
}
