//! Request dispatch: URL and method → discovery document or resource verb. Resource verbs
//! decode the request (query, Accept, Content-Type, body), call the store's single write path
//! or read from it, and encode the answer in the negotiated format.

use std::sync::Arc;
use std::sync::Mutex;

use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{Value, json};

use crate::discovery;
use crate::http::{self, Body};
use crate::identity::Identity;
use crate::list;
use crate::patch::PatchType;
use crate::request::{self, Format, Query};
use crate::routes::{ResPath, Target, route};
use crate::status::{self, ApiError};
use crate::table::{self, IncludeObject};
use crate::watch::{self, WatchEnv};
use crate::write::{self, DeleteOptions, Outcome, WriteCtx, WriteOp};

pub async fn handle(env: Arc<WatchEnv>, req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let header_str = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let accept = header_str("accept");
    let content_type = header_str("content-type");
    let query = Query::parse(parts.uri.query());
    let request_uri = parts
        .uri
        .path_and_query()
        .map_or(parts.uri.path(), |p| p.as_str());
    let identity = match crate::rbac::gate(
        &env.store,
        &parts.headers,
        parts.method.as_str(),
        parts.uri.path(),
        request_uri,
        &query,
    ) {
        Ok(id) => id,
        Err(refused) => return *refused,
    };
    if crate::proxy::parse(parts.uri.path()).is_some() {
        let body = match http::read_body(body).await {
            Ok(b) => b.to_vec(),
            Err(e) => return http::error(&e),
        };
        return crate::proxy::handle(
            &env.store,
            &env.backends,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query(),
            &parts.headers,
            body,
        )
        .await;
    }
    if let Some((ns, name)) = crate::podlog::parse(parts.uri.path()) {
        return crate::podlog::handle(&env, parts.method.as_str(), ns, name, &query).await;
    }
    let catalog = env.store.catalog();
    let target = route(parts.uri.path(), &catalog);
    tracing::debug!(method = %parts.method, uri = %parts.uri, user = %identity.user, "request");
    let get_only = |r: Response<Body>| {
        if parts.method == Method::GET || parts.method == Method::HEAD {
            r
        } else {
            http::error(&ApiError::method_not_allowed())
        }
    };
    match target {
        Target::Version => get_only(http::ok(&discovery::version())),
        Target::Health => get_only(http::text(200, "ok")),
        Target::Api => get_only(match request::wants_aggregated(accept.as_deref()) {
            Some(ct) => http::json(
                200,
                ct,
                &discovery::aggregated(&catalog, true, api_version_of(ct)),
            ),
            None => http::ok(&discovery::api_versions()),
        }),
        Target::Apis => get_only(match request::wants_aggregated(accept.as_deref()) {
            Some(ct) => http::json(
                200,
                ct,
                &discovery::aggregated(&catalog, false, api_version_of(ct)),
            ),
            None => http::ok(&discovery::api_group_list(&catalog)),
        }),
        Target::ApiV1 => get_only(http::ok(&discovery::resource_list(&catalog, "", "v1"))),
        Target::ApiGroup(g) => {
            let versions = catalog
                .groups()
                .into_iter()
                .find(|(gg, _)| *gg == g)
                .map(|(_, v)| v)
                .unwrap_or_default();
            get_only(http::ok(&discovery::api_group(&g, &versions)))
        }
        Target::ApiGroupVersion(g, v) => {
            get_only(http::ok(&discovery::resource_list(&catalog, &g, &v)))
        }
        Target::OpenApiV3 => get_only(http::ok(&discovery::openapi_v3_root(&catalog))),
        Target::OpenApiV3Doc(p) => get_only(match discovery::openapi_v3_doc(&catalog, &p) {
            Some(doc) => http::ok(&doc),
            None => http::error(&ApiError::no_route()),
        }),
        Target::OpenApiV2 | Target::Unknown => http::error(&ApiError::no_route()),
        Target::Resource(rp) => {
            let manager = request::field_manager(&query, header_str("user-agent").as_deref());
            let warnings = Mutex::new(Vec::new());
            let ctx = Req {
                env: &env,
                rp: &rp,
                query: &query,
                accept: accept.as_deref(),
                content_type: content_type.as_deref(),
                identity: &identity,
                manager: manager.as_deref(),
                warnings: &warnings,
            };
            let resp = match resource(ctx, parts.method.clone(), body).await {
                Ok(r) => r,
                Err(e) => http::error(&e),
            };
            http::with_warnings(
                resp,
                &warnings.lock().map(|w| w.clone()).unwrap_or_default(),
            )
        }
    }
}

fn api_version_of(ct: &str) -> &'static str {
    if ct.contains("v2beta1") {
        "apidiscovery.k8s.io/v2beta1"
    } else {
        "apidiscovery.k8s.io/v2"
    }
}

#[derive(Clone, Copy)]
struct Req<'a> {
    env: &'a WatchEnv,
    rp: &'a ResPath,
    query: &'a Query,
    accept: Option<&'a str>,
    content_type: Option<&'a str>,
    identity: &'a Identity,
    /// `fieldManager`, else the user agent's prefix (what managedFields records).
    manager: Option<&'a str>,
    warnings: &'a Mutex<Vec<String>>,
}

impl Req<'_> {
    fn ns(&self) -> String {
        self.rp.namespace.clone().unwrap_or_default()
    }

    fn write_ctx(&self) -> WriteCtx<'_> {
        WriteCtx {
            identity: self.identity,
            dry_run: self.query.get("dryRun").is_some_and(|v| v == "All"),
            field_manager: self.manager,
            force: self.query.flag("force"),
            validation: write::FieldValidation::parse(self.query.get("fieldValidation"))
                .unwrap_or_default(),
            warnings: Some(self.warnings),
        }
    }

    fn commit(&self, op: WriteOp) -> Result<Outcome, ApiError> {
        request::check_write_query(self.query)?;
        write::commit(&self.env.store, &self.write_ctx(), op)
    }
}

async fn resource(r: Req<'_>, method: Method, body: Incoming) -> Result<Response<Body>, ApiError> {
    if r.rp.res.is_review() {
        return crate::authz_review::handle(r.env, r.rp, r.identity, &method, r.content_type, body)
            .await;
    }
    let def = r.rp.res.def();
    let format = Format::negotiate(r.accept).ok_or_else(ApiError::not_acceptable)?;
    let name = r.rp.name.clone();
    match (method, name) {
        (Method::GET, None) => {
            if r.query.flag("watch") {
                watch::serve(r.env, r.rp, r.query, format)
            } else {
                let page = list::page(&r.env.store, r.rp, r.query)?;
                let bytes = list::render_bytes(r.rp, r.query, format, page, chrono::Utc::now());
                Ok(http::bytes(200, format.content_type(true), bytes))
            }
        }
        (Method::GET, Some(name)) => {
            let o = r
                .env
                .store
                .get(r.rp.res, &r.ns(), &name)
                .ok_or_else(|| ApiError::not_found(def, &name))?;
            Ok(render_one(r, format, &o))
        }
        (Method::POST, None) => {
            if def.namespaced && r.rp.namespace.is_none() {
                return Err(ApiError::method_not_allowed());
            }
            let body = decode_object(r, body).await?;
            let out = r.commit(WriteOp::Create {
                res: r.rp.res,
                namespace: r.ns(),
                object: body,
            })?;
            Ok(outcome(r, out))
        }
        (Method::PUT, Some(name)) => {
            let body = decode_object(r, body).await?;
            let out = r.commit(WriteOp::Update {
                res: r.rp.res,
                namespace: r.ns(),
                name,
                object: body,
                status: r.rp.status,
            })?;
            Ok(outcome(r, out))
        }
        (Method::PATCH, Some(name)) => {
            let ct = r.content_type.unwrap_or("");
            let patch_type = PatchType::from_content_type(ct).ok_or_else(|| {
                ApiError::unsupported_media_type(&[
                    "application/json-patch+json",
                    "application/merge-patch+json",
                    "application/apply-patch+yaml",
                ])
            })?;
            check_patch_options(r, patch_type)?;
            let bytes = http::read_body(body).await?;
            let what = if patch_type == PatchType::Apply {
                "error decoding YAML"
            } else {
                "error decoding patch"
            };
            let patch = if patch_type == PatchType::Apply {
                http::parse_yaml(&bytes)?
            } else {
                http::parse_json(&bytes, false, what)?
            };
            let out = r.commit(WriteOp::Patch {
                res: r.rp.res,
                namespace: r.ns(),
                name,
                patch_type,
                patch,
                status: r.rp.status,
            })?;
            Ok(outcome(r, out))
        }
        (Method::DELETE, Some(name)) => {
            let options = delete_options(r, body).await?;
            let out = r.commit(WriteOp::Delete {
                res: r.rp.res,
                namespace: r.ns(),
                name,
                options,
            })?;
            Ok(outcome(r, out))
        }
        (Method::DELETE, None) => {
            let options = delete_options(r, body).await?;
            let page = list::page(&r.env.store, r.rp, r.query)?;
            let mut deleted = Vec::new();
            for o in &page.items {
                let out = r.commit(WriteOp::Delete {
                    res: r.rp.res,
                    namespace: crate::obj::namespace(o).to_string(),
                    name: crate::obj::name(o).to_string(),
                    options: options.clone(),
                });
                match out {
                    Ok(Outcome::Deleted { object } | Outcome::Finalizing { object }) => {
                        deleted.push((*object).clone())
                    }
                    Ok(Outcome::Stored { .. }) | Err(_) => {}
                }
            }
            let rv = r.env.store.resource_version();
            Ok(http::ok(&json!({
                "apiVersion": def.api_version(),
                "kind": def.list_kind,
                "metadata": {"resourceVersion": rv.to_string()},
                "items": deleted,
            })))
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn render_one(r: Req<'_>, format: Format, o: &Value) -> Response<Body> {
    match format {
        Format::Json => http::ok(o),
        Format::Metadata => {
            http::json(200, format.content_type(false), &table::partial_metadata(o))
        }
        Format::Table { v1beta1 } => {
            let include = IncludeObject::from_query(r.query.get("includeObject"));
            let row = table::row(r.rp.res, o, chrono::Utc::now(), include);
            let meta = json!({"resourceVersion": crate::obj::resource_version(o).unwrap_or("")});
            http::json(
                200,
                format.content_type(false),
                &table::table(v1beta1, r.rp.res, vec![row], meta),
            )
        }
    }
}

fn outcome(r: Req<'_>, out: Outcome) -> Response<Body> {
    let def = r.rp.res.def();
    match out {
        Outcome::Stored { object, created } => {
            http::json(if created { 201 } else { 200 }, "application/json", &object)
        }
        Outcome::Finalizing { object } => http::ok(&object),
        Outcome::Deleted { object } => http::ok(&status::delete_success(
            def,
            crate::obj::name(&object),
            crate::obj::uid(&object),
        )),
    }
}

async fn decode_object(r: Req<'_>, body: Incoming) -> Result<Value, ApiError> {
    let base = r
        .content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase());
    let protobuf = base.as_deref() == Some("application/vnd.kubernetes.protobuf");
    match base.as_deref() {
        None | Some("application/json" | "") => {}
        Some(_) if protobuf && !r.rp.res.def().crd => {}
        Some(_) => {
            return Err(ApiError::unsupported_media_type(&[
                "application/json",
                "application/yaml",
                "application/vnd.kubernetes.protobuf",
            ]));
        }
    }
    let bytes = http::read_body(body).await?;
    let v = if protobuf {
        crate::protobuf::decode_object_or_status(&bytes)?
    } else {
        http::parse_json(&bytes, false, "couldn't get version/kind; json parse error")?
    };
    request::check_type_meta(r.rp.res.def(), &v)?;
    Ok(v)
}

fn check_patch_options(r: Req<'_>, patch_type: PatchType) -> Result<(), ApiError> {
    let invalid = |field: &str, msg: &str| {
        ApiError::new(
            422,
            "Invalid",
            format!("PatchOptions.meta.k8s.io \"\" is invalid: {field}: {msg}"),
        )
        .with_details(json!({"group": "meta.k8s.io", "kind": "PatchOptions",
            "causes": [{"reason": "FieldValueRequired", "message": msg, "field": field}]}))
    };
    if patch_type == PatchType::Apply {
        if r.query.get("fieldManager").is_none_or(str::is_empty) {
            return Err(invalid(
                "fieldManager",
                "Required value: is required for apply patch",
            ));
        }
    } else if r.query.get("force").is_some() {
        return Err(invalid(
            "force",
            "Forbidden: may not be specified for non-apply patch",
        ));
    }
    Ok(())
}

async fn delete_options(r: Req<'_>, body: Incoming) -> Result<DeleteOptions, ApiError> {
    let bytes = http::read_body(body).await?;
    let mut v = http::parse_json(&bytes, true, "couldn't get version/kind; json parse error")?;
    let Some(m) = v.as_object_mut() else {
        return Err(ApiError::bad_request(
            "couldn't get version/kind; json parse error: json: cannot unmarshal non-object into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }",
        ));
    };
    if let Some(p) = r.query.get("propagationPolicy") {
        m.insert("propagationPolicy".into(), json!(p));
    }
    DeleteOptions::parse(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_version_names() {
        assert_eq!(
            api_version_of(request::AGGREGATED_DISCOVERY),
            "apidiscovery.k8s.io/v2"
        );
        assert_eq!(
            api_version_of(request::AGGREGATED_DISCOVERY_V2BETA1),
            "apidiscovery.k8s.io/v2beta1"
        );
    }
}
