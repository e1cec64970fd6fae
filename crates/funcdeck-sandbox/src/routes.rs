//! URL → what is being asked for. Unknown paths map to the apiserver's generic 404.

use crate::resources::{Catalog, Res};

#[derive(Debug, Clone, PartialEq)]
pub struct ResPath {
    pub res: Res,
    /// `None` for cluster-scoped objects and for all-namespaces collections.
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub status: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Version,
    Health,
    Api,
    ApiV1,
    Apis,
    ApiGroup(String),
    ApiGroupVersion(String, String),
    OpenApiV3,
    OpenApiV3Doc(String),
    OpenApiV2,
    Resource(ResPath),
    Unknown,
}

/// `catalog`: the custom kinds this sandbox serves besides the built-ins.
pub fn route(path: &str, catalog: &Catalog) -> Target {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        ["version"] => Target::Version,
        ["healthz" | "readyz" | "livez", ..] => Target::Health,
        ["api"] => Target::Api,
        ["api", "v1"] => Target::ApiV1,
        ["apis"] => Target::Apis,
        ["openapi", "v3"] => Target::OpenApiV3,
        ["openapi", "v3", rest @ ..] => Target::OpenApiV3Doc(rest.join("/")),
        ["openapi", "v2"] => Target::OpenApiV2,
        ["api", "v1", rest @ ..] => resource(catalog, "", "v1", rest),
        ["apis", g] if catalog.groups().iter().any(|(gg, _)| gg == g) => {
            Target::ApiGroup(g.to_string())
        }
        ["apis", g, v] if !catalog.in_group(g, v).is_empty() => {
            Target::ApiGroupVersion(g.to_string(), v.to_string())
        }
        ["apis", g, v, rest @ ..] => resource(catalog, g, v, rest),
        _ => Target::Unknown,
    }
}

fn resource(catalog: &Catalog, group: &str, version: &str, rest: &[&str]) -> Target {
    let found = |plural: &str| catalog.lookup(group, version, plural);
    let path = |res: Res, namespace: Option<&str>, name: Option<&str>, status: bool| {
        Target::Resource(ResPath {
            res,
            namespace: namespace.map(str::to_string),
            name: name.map(str::to_string),
            status,
        })
    };
    match rest {
        ["namespaces", ns, plural, tail @ ..]
            if found(plural).is_some_and(|r| r.def().namespaced) =>
        {
            let Some(res) = found(plural) else {
                return Target::Unknown;
            };
            match tail {
                [] => path(res, Some(ns), None, false),
                [name] => path(res, Some(ns), Some(name), false),
                [name, "status"] if res.def().status_subresource => {
                    path(res, Some(ns), Some(name), true)
                }
                _ => Target::Unknown,
            }
        }
        [plural, tail @ ..] => {
            let Some(res) = found(plural) else {
                return Target::Unknown;
            };
            let namespaced = res.def().namespaced;
            match tail {
                [] => path(res, None, None, false),
                [name] if !namespaced => path(res, None, Some(name), false),
                [name, "status"] if !namespaced && res.def().status_subresource => {
                    path(res, None, Some(name), true)
                }
                _ => Target::Unknown,
            }
        }
        _ => Target::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rp(res: Res, ns: Option<&str>, name: Option<&str>, status: bool) -> Target {
        Target::Resource(ResPath {
            res,
            namespace: ns.map(str::to_string),
            name: name.map(str::to_string),
            status,
        })
    }

    fn route(path: &str) -> Target {
        super::route(path, &Catalog::default())
    }

    #[test]
    fn routes() {
        assert_eq!(route("/version"), Target::Version);
        assert_eq!(
            route("/apis/serving.knative.dev/v1/services"),
            rp(Res::KService, None, None, false)
        );
        assert_eq!(
            route("/apis/serving.knative.dev/v1/services/"),
            rp(Res::KService, None, None, false)
        );
        assert_eq!(
            route("/apis/serving.knative.dev/v1/namespaces/shop/services/cart/status"),
            rp(Res::KService, Some("shop"), Some("cart"), true)
        );
        assert_eq!(
            route("/api/v1/namespaces"),
            rp(Res::Namespace, None, None, false)
        );
        assert_eq!(
            route("/api/v1/namespaces/shop"),
            rp(Res::Namespace, None, Some("shop"), false)
        );
        assert_eq!(
            route("/api/v1/namespaces/shop/status"),
            rp(Res::Namespace, None, Some("shop"), true)
        );
        assert_eq!(
            route("/api/v1/namespaces/shop/pods"),
            rp(Res::Pod, Some("shop"), None, false)
        );
        assert_eq!(
            route("/api/v1/namespaces/shop/pods/p1/log"),
            Target::Unknown
        );
        assert_eq!(route("/api/v1/pods/p1"), Target::Unknown);
        assert_eq!(route("/apis/batch/v1/jobs"), Target::Unknown);
        assert_eq!(
            route("/apis/serving.knative.dev/v1"),
            Target::ApiGroupVersion("serving.knative.dev".into(), "v1".into())
        );
        assert_eq!(route("/nope"), Target::Unknown);
    }
}
