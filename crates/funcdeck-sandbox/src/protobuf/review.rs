//! SelfSubjectAccessReview (`2 spec{1 resourceAttributes{1 namespace, 2 verb, 3 group,
//! 4 version, 5 resource, 6 subresource, 7 name}, 2 nonResourceAttributes{1 path, 2 verb}}`) and
//! SelfSubjectRulesReview (`2 spec{1 namespace}`) specs, as `kubectl auth can-i` sends them.

use serde_json::{Value, json};

use super::{fields, first, strings, unwrap_envelope};

/// `(apiVersion, kind, spec)` of an SSAR or SSRR in the protobuf envelope.
pub fn decode_review(body: &[u8]) -> Result<(String, String, Value), String> {
    let (api_version, kind, raw) = unwrap_envelope(body)?;
    let raw = fields(raw)?;
    let spec_fields = fields(first(&raw, 2).unwrap_or_default())?;
    let spec = match kind.as_str() {
        "SelfSubjectAccessReview" => {
            let mut spec = json!({});
            if let Some(ra) = first(&spec_fields, 1) {
                spec["resourceAttributes"] = strings(
                    ra,
                    &[
                        "namespace",
                        "verb",
                        "group",
                        "version",
                        "resource",
                        "subresource",
                        "name",
                    ],
                )?;
            }
            if let Some(nra) = first(&spec_fields, 2) {
                spec["nonResourceAttributes"] = strings(nra, &["path", "verb"])?;
            }
            spec
        }
        "SelfSubjectRulesReview" => {
            let ns = first(&spec_fields, 1).unwrap_or_default();
            json!({"namespace": String::from_utf8_lossy(ns)})
        }
        other => return Err(format!("unexpected kind {other:?}")),
    };
    Ok((api_version, kind, spec))
}
