//! Discovery documents, legacy (`APIVersions`, `APIGroupList`, `APIResourceList`) and aggregated
//! (`APIGroupDiscoveryList` v2, which needs its exact Content-Type: trap 1), plus `/version` and
//! the minimal OpenAPI v3 that lets kubectl's Strict field validation pass (reference §1).

use serde_json::{Value, json};

use crate::resources::{Catalog, ResourceDef, STATUS_VERBS};

pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "32",
        "gitVersion": "v1.32.4",
        "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",
        "gitTreeState": "clean",
        "buildDate": "2025-04-22T16:02:27Z",
        "goVersion": "go1.23.6",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

pub fn api_versions() -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]
    })
}

fn group_version(g: &str, v: &str) -> Value {
    json!({"groupVersion": format!("{g}/{v}"), "version": v})
}

/// `versions`: most preferred first.
fn group_entry(g: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions.iter().map(|v| group_version(g, v)).collect();
    let preferred = versions
        .first()
        .map_or(Value::Null, |v| group_version(g, v));
    json!({"name": g, "versions": vs, "preferredVersion": preferred})
}

pub fn api_group(g: &str, versions: &[String]) -> Value {
    let mut out = json!({"kind": "APIGroup", "apiVersion": "v1"});
    if let (Some(o), Value::Object(e)) = (out.as_object_mut(), group_entry(g, versions)) {
        o.extend(e);
    }
    out
}

pub fn api_group_list(catalog: &Catalog) -> Value {
    let groups: Vec<Value> = catalog
        .groups()
        .iter()
        .map(|(g, vs)| group_entry(g, vs))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn legacy_entries(d: &ResourceDef) -> Vec<Value> {
    let mut main = json!({
        "name": d.plural,
        "singularName": d.singular,
        "namespaced": d.namespaced,
        "kind": d.kind,
        "verbs": d.res.verbs(),
        "storageVersionHash": "",
    });
    if !d.short_names.is_empty() {
        main["shortNames"] = json!(d.short_names);
    }
    if !d.categories.is_empty() {
        main["categories"] = json!(d.categories);
    }
    let mut out = vec![main];
    if d.status_subresource {
        out.push(json!({
            "name": format!("{}/status", d.plural),
            "singularName": "",
            "namespaced": d.namespaced,
            "kind": d.kind,
            "verbs": STATUS_VERBS,
        }));
    }
    out
}

pub fn resource_list(catalog: &Catalog, group: &str, version: &str) -> Value {
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let resources: Vec<Value> = catalog
        .in_group(group, version)
        .into_iter()
        .flat_map(legacy_entries)
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}

/// `version`: the one being listed (a custom kind is served in several).
fn aggregated_resource(d: &ResourceDef, version: &str) -> Value {
    let kind = json!({"group": d.group, "version": version, "kind": d.kind});
    let mut r = json!({
        "resource": d.plural,
        "responseKind": kind,
        "scope": if d.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": d.singular,
        "verbs": d.res.verbs(),
    });
    if !d.short_names.is_empty() {
        r["shortNames"] = json!(d.short_names);
    }
    if !d.categories.is_empty() {
        r["categories"] = json!(d.categories);
    }
    if d.status_subresource {
        r["subresources"] =
            json!([{"subresource": "status", "responseKind": kind, "verbs": STATUS_VERBS}]);
    }
    r
}

/// `APIGroupDiscoveryList` for `/api` (`core == true`) or `/apis`.
pub fn aggregated(catalog: &Catalog, core: bool, api_version: &str) -> Value {
    let mut items = Vec::new();
    if core {
        let res: Vec<Value> = catalog
            .in_group("", "v1")
            .into_iter()
            .map(|d| aggregated_resource(d, "v1"))
            .collect();
        items.push(json!({"metadata": {"creationTimestamp": null},
            "versions": [{"version": "v1", "resources": res, "freshness": "Current"}]}));
    } else {
        for (g, vs) in catalog.groups() {
            let versions: Vec<Value> = vs
                .iter()
                .map(|v| {
                    let res: Vec<Value> = catalog
                        .in_group(&g, v)
                        .into_iter()
                        .map(|d| aggregated_resource(d, v))
                        .collect();
                    json!({"version": v, "resources": res, "freshness": "Current"})
                })
                .collect();
            items.push(json!({"metadata": {"name": g, "creationTimestamp": null},
                "versions": versions}));
        }
    }
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": api_version, "metadata": {}, "items": items})
}

fn openapi_path(gv_path: &str) -> String {
    format!(
        "/openapi/v3/{gv_path}?hash={:016X}",
        crate::rng::fnv64(gv_path)
    )
}

fn gv_paths(catalog: &Catalog) -> Vec<String> {
    let mut out = vec!["api/v1".to_string()];
    for (g, vs) in catalog.groups() {
        for ver in vs {
            out.push(format!("apis/{g}/{ver}"));
        }
    }
    out
}

pub fn openapi_v3_root(catalog: &Catalog) -> Value {
    let mut paths = serde_json::Map::new();
    for p in gv_paths(catalog) {
        paths.insert(p.clone(), json!({"serverRelativeURL": openapi_path(&p)}));
    }
    json!({"paths": paths})
}

/// A per-group-version OpenAPI v3 document: one PATCH path per kind carrying
/// `x-kubernetes-group-version-kind` and the `fieldValidation` parameter.
pub fn openapi_v3_doc(catalog: &Catalog, gv_path: &str) -> Option<Value> {
    let (group, version) = match gv_path.split('/').collect::<Vec<_>>().as_slice() {
        ["api", v] => (String::new(), v.to_string()),
        ["apis", g, v] => (g.to_string(), v.to_string()),
        _ => return None,
    };
    let defs = catalog.in_group(&group, &version);
    if defs.is_empty() {
        return None;
    }
    let mut paths = serde_json::Map::new();
    for d in defs {
        let prefix = if d.group.is_empty() {
            "/api/v1".to_string()
        } else {
            format!("/apis/{}/{version}", d.group)
        };
        let path = if d.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", d.plural)
        } else {
            format!("{prefix}/{}/{{name}}", d.plural)
        };
        let op = json!({
            "x-kubernetes-group-version-kind": {"group": d.group, "version": version, "kind": d.kind},
            "parameters": [{"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK"}}
        });
        paths.insert(path, json!({"patch": op.clone(), "put": op}));
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.4"},
        "paths": paths,
        "components": {"schemas": {}}
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregated_has_ksvc_with_status() {
        let c = Catalog::default();
        let a = aggregated(&c, false, "apidiscovery.k8s.io/v2");
        let r = &a["items"][0]["versions"][0]["resources"][0];
        assert_eq!(r["resource"], "services");
        assert_eq!(r["shortNames"], json!(["kservice", "ksvc"]));
        assert_eq!(r["subresources"][0]["subresource"], "status");
        let core = aggregated(&c, true, "apidiscovery.k8s.io/v2");
        assert!(core["items"][0]["metadata"].get("name").is_none());
        assert_eq!(
            core["items"][0]["versions"][0]["resources"][0]["scope"],
            "Cluster"
        );
    }

    #[test]
    fn legacy_lists() {
        let c = Catalog::default();
        let l = resource_list(&c, "serving.knative.dev", "v1");
        assert_eq!(l["groupVersion"], "serving.knative.dev/v1");
        assert_eq!(l["resources"][1]["name"], "services/status");
        assert!(openapi_v3_doc(&c, "apis/serving.knative.dev/v1").is_some());
        assert!(openapi_v3_doc(&c, "apis/batch/v1").is_none());
        assert!(
            openapi_v3_root(&c)["paths"]["api/v1"]["serverRelativeURL"]
                .as_str()
                .is_some_and(|s| s.starts_with("/openapi/v3/api/v1?hash="))
        );
    }
}
