//! Kubernetes `Status` error objects with the apiserver's exact reasons and messages. Clients
//! (kubectl, kube's `handle_api_errors`) parse these, so the wording is part of the contract.

use serde_json::{Value, json};

use crate::resources::ResourceDef;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

fn details(def: &ResourceDef, name: &str) -> Value {
    let mut d = json!({"name": name, "kind": def.plural});
    if !def.group.is_empty() {
        d["group"] = json!(def.group);
    }
    d
}

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn not_found(def: &ResourceDef, name: &str) -> Self {
        ApiError::new(
            404,
            "NotFound",
            format!("{} \"{}\" not found", def.qualified(), name),
        )
        .with_details(details(def, name))
    }

    pub fn namespace_not_found(ns: &str) -> Self {
        ApiError::new(404, "NotFound", format!("namespaces \"{ns}\" not found"))
            .with_details(json!({"name": ns, "kind": "namespaces"}))
    }

    /// An unknown URL: the apiserver's generic 404.
    pub fn no_route() -> Self {
        ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
        .with_details(json!({}))
    }

    pub fn already_exists(def: &ResourceDef, name: &str) -> Self {
        ApiError::new(
            409,
            "AlreadyExists",
            format!("{} \"{}\" already exists", def.qualified(), name),
        )
        .with_details(details(def, name))
    }

    pub fn conflict(def: &ResourceDef, name: &str) -> Self {
        ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
                def.qualified(),
                name
            ),
        )
        .with_details(details(def, name))
    }

    pub fn precondition_failed(def: &ResourceDef, name: &str, what: &str) -> Self {
        ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{}\": {what}",
                def.qualified(),
                name
            ),
        )
        .with_details(details(def, name))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, "BadRequest", message)
    }

    pub fn method_not_allowed() -> Self {
        ApiError::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
        .with_details(json!({}))
    }

    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: {}",
                accepted.join(", ")
            ),
        )
    }

    pub fn not_acceptable() -> Self {
        ApiError::new(
            406,
            "NotAcceptable",
            "only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io",
        )
    }

    pub fn too_large(limit: usize) -> Self {
        ApiError::new(
            413,
            "RequestEntityTooLarge",
            format!("Request entity too large: limit is {limit}"),
        )
    }

    /// 422 Invalid with one cause per `(field, message, reason)`.
    pub fn invalid(def: &ResourceDef, name: &str, causes: &[(String, String, &str)]) -> Self {
        let summary: Vec<String> = causes
            .iter()
            .map(|(field, msg, _)| format!("{field}: {msg}"))
            .collect();
        let summary = if summary.len() == 1 {
            summary.join("")
        } else {
            format!("[{}]", summary.join(", "))
        };
        let causes: Vec<Value> = causes
            .iter()
            .map(|(field, msg, reason)| json!({"reason": reason, "message": msg, "field": field}))
            .collect();
        let mut d = json!({"name": name, "kind": def.kind, "causes": causes});
        if !def.group.is_empty() {
            d["group"] = json!(def.group);
        }
        ApiError::new(
            422,
            "Invalid",
            format!(
                "{} \"{}\" is invalid: {}",
                def.qualified_kind(),
                name,
                summary
            ),
        )
        .with_details(d)
    }

    /// 422 for a patch that could not be applied.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        ApiError::new(422, "Invalid", message)
    }

    pub fn expired(message: impl Into<String>) -> Self {
        ApiError::new(410, "Expired", message)
    }

    pub fn to_status(&self) -> Value {
        let mut v = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            v["details"] = d.clone();
        }
        v
    }
}

/// The Success status returned by a delete without finalizers.
pub fn delete_success(def: &ResourceDef, name: &str, uid: &str) -> Value {
    let mut d = details(def, name);
    d["uid"] = json!(uid);
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Res;

    #[test]
    fn not_found_shape() {
        let s = ApiError::not_found(Res::KService.def(), "k1").to_status();
        assert_eq!(s["code"], 404);
        assert_eq!(
            s["message"],
            "services.serving.knative.dev \"k1\" not found"
        );
        assert_eq!(s["details"]["group"], "serving.knative.dev");
        assert_eq!(s["details"]["kind"], "services");
        let p = ApiError::not_found(Res::Pod.def(), "p").to_status();
        assert!(p["details"].get("group").is_none());
    }

    #[test]
    fn invalid_message() {
        let e = ApiError::invalid(
            Res::KService.def(),
            "",
            &[(
                "metadata.name".into(),
                "Required value: name or generateName is required".into(),
                "FieldValueRequired",
            )],
        );
        assert_eq!(
            e.message,
            "Service.serving.knative.dev \"\" is invalid: metadata.name: Required value: name or generateName is required"
        );
    }
}
