//! SelfSubjectAccessReview and SelfSubjectRulesReview: questions about the caller's own
//! permissions, answered (201) and never stored. kube sends them as JSON; `kubectl auth can-i`
//! only as protobuf (trap 2), so both are read here; the answer is always JSON, which kubectl
//! accepts. Evaluation is the same RBAC code that guards every request.

use hyper::Method;
use hyper::Response;
use hyper::body::Incoming;
use serde_json::{Value, json};

use crate::http::{self, Body};
use crate::identity::Identity;
use crate::rbac::{self, Attrs};
use crate::resources::Res;
use crate::routes::ResPath;
use crate::status::ApiError;
use crate::watch::WatchEnv;

const API_VERSION: &str = "authorization.k8s.io/v1";

pub async fn handle(
    env: &WatchEnv,
    rp: &ResPath,
    identity: &Identity,
    method: &Method,
    content_type: Option<&str>,
    body: Incoming,
) -> Result<Response<Body>, ApiError> {
    if *method != Method::POST || rp.name.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let bytes = http::read_body(body).await?;
    let base = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let spec = match base.as_str() {
        "application/vnd.kubernetes.protobuf" => {
            let (_, kind, spec) = crate::protobuf::decode_review(&bytes).map_err(|e| {
                ApiError::bad_request(format!("unable to decode protobuf body: {e}"))
            })?;
            if kind != rp.res.def().kind {
                return Err(ApiError::bad_request(format!(
                    "the body kind {kind:?} does not match {}",
                    rp.res.def().kind
                )));
            }
            spec
        }
        "" | "application/json" => {
            let v = http::parse_json(&bytes, false, "couldn't get version/kind; json parse error")?;
            v.get("spec").cloned().unwrap_or_else(|| json!({}))
        }
        _ => {
            return Err(ApiError::unsupported_media_type(&[
                "application/json",
                "application/yaml",
                "application/vnd.kubernetes.protobuf",
            ]));
        }
    };
    let t = env.store.txn();
    let answer = match rp.res {
        Res::SelfSubjectRulesReview => rules_review(&t, identity, spec),
        _ => access_review(&t, identity, spec)?,
    };
    Ok(http::json(201, "application/json", &answer))
}

fn attrs_of(spec: &Value) -> Result<Attrs, ApiError> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    match (
        spec.get("resourceAttributes").filter(|v| v.is_object()),
        spec.get("nonResourceAttributes").filter(|v| v.is_object()),
    ) {
        (Some(ra), None) => {
            let mut a = Attrs::resource(
                &s(ra, "verb"),
                &s(ra, "group"),
                &s(ra, "resource"),
                &s(ra, "namespace"),
                &s(ra, "name"),
            );
            a.subresource = s(ra, "subresource");
            a.version = s(ra, "version");
            Ok(a)
        }
        (None, Some(nra)) => Ok(Attrs::non_resource(&s(nra, "verb"), &s(nra, "path"))),
        (ra, _) => {
            let which = if ra.is_some() {
                "nonResourceAttributes"
            } else {
                "resourceAttributes"
            };
            let msg =
                "exactly one of nonResourceAttributes or resourceAttributes must be specified";
            Err(ApiError::new(
                422,
                "Invalid",
                format!(
                    "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.{which}: Invalid value: \"null\": {msg}"
                ),
            )
            .with_details(json!({"group": "authorization.k8s.io", "kind": "SelfSubjectAccessReview",
                "causes": [{"reason": "FieldValueInvalid", "message": msg, "field": format!("spec.{which}")}]})))
        }
    }
}

fn access_review(
    t: &crate::store::Txn<'_>,
    identity: &Identity,
    spec: Value,
) -> Result<Value, ApiError> {
    let a = attrs_of(&spec)?;
    let d = rbac::authorize(t, identity, &a);
    let mut status = json!({"allowed": d.allowed});
    if !d.reason.is_empty() {
        status["reason"] = json!(d.reason);
    }
    Ok(json!({
        "kind": "SelfSubjectAccessReview",
        "apiVersion": API_VERSION,
        "metadata": {},
        "spec": spec,
        "status": status,
    }))
}

fn rules_review(t: &crate::store::Txn<'_>, identity: &Identity, spec: Value) -> Value {
    let ns = spec
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let set = rbac::rules_for(t, identity, &ns);
    let mut resource_rules = Vec::new();
    let mut non_resource_rules = Vec::new();
    for r in &set.rules {
        if r.is_resource_rule() {
            let mut v =
                json!({"verbs": r.verbs, "apiGroups": r.api_groups, "resources": r.resources});
            if !r.resource_names.is_empty() {
                v["resourceNames"] = json!(r.resource_names);
            }
            resource_rules.push(v);
        }
        if !r.non_resource_urls.is_empty() {
            non_resource_rules
                .push(json!({"verbs": r.verbs, "nonResourceURLs": r.non_resource_urls}));
        }
    }
    let mut status = json!({
        "resourceRules": resource_rules,
        "nonResourceRules": non_resource_rules,
        "incomplete": !set.errors.is_empty(),
    });
    if !set.errors.is_empty() {
        status["evaluationError"] = json!(rbac::evaluation_error(&set.errors));
    }
    json!({
        "kind": "SelfSubjectRulesReview",
        "apiVersion": API_VERSION,
        "metadata": {},
        "spec": spec,
        "status": status,
    })
}
