//! Object name and namespace checks with the apiserver's messages.

use serde_json::{Value, json};

use crate::obj;
use crate::resources::{Res, ResourceDef};
use crate::status::ApiError;

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

pub(super) fn validate_name(def: &ResourceDef, name: &str) -> Result<(), ApiError> {
    let (ok, msg) = if def.res == Res::Namespace {
        (is_dns_label(name), LABEL_MSG)
    } else if def.group == "rbac.authorization.k8s.io" {
        // RBAC names are path segments (`system:discovery`): apimachinery ValidatePathSegmentName.
        match name {
            "." => (false, "may not be '.'"),
            ".." => (false, "may not be '..'"),
            n if n.contains('/') => (false, "may not contain '/'"),
            n if n.contains('%') => (false, "may not contain '%'"),
            n => (!n.is_empty(), SUBDOMAIN_MSG),
        }
    } else {
        (is_dns_subdomain(name), SUBDOMAIN_MSG)
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            def,
            name,
            &[(
                "metadata.name".into(),
                format!("Invalid value: \"{name}\": {msg}"),
                "FieldValueInvalid",
            )],
        ))
    }
}

pub(super) fn check_namespace(
    def: &ResourceDef,
    url_ns: &str,
    object: &mut Value,
) -> Result<(), ApiError> {
    if !def.namespaced {
        obj::remove(object, &["metadata", "namespace"]);
        return Ok(());
    }
    match obj::str_at(object, &["metadata", "namespace"]) {
        Some(ns) if !ns.is_empty() && ns != url_ns => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => {
            obj::set(object, &["metadata", "namespace"], json!(url_ns));
            Ok(())
        }
    }
}
