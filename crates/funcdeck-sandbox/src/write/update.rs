//! Update (PUT, and the last step of every patch): optimistic concurrency, immutable metadata,
//! status subresource separation, generation bumps on spec changes, no-op detection, and the
//! final removal once the last finalizer of a deleted object is gone.

use std::sync::Arc;

use serde_json::{Value, json};

use super::compare::{same_ignoring_rv, spec_changed};
use super::delete::remove_cascading;
use super::names::check_namespace;
use super::{Outcome, Propagation, WriteCtx, namespace_of};
use crate::admission::{self, Operation};
use crate::apply::managed;
use crate::obj;
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Txn;

#[allow(clippy::too_many_arguments)]
pub(super) fn update(
    t: &mut Txn<'_>,
    ctx: &WriteCtx<'_>,
    res: Res,
    namespace: &str,
    name: &str,
    mut body: Value,
    status: bool,
) -> Result<Outcome, ApiError> {
    let def = res.def();
    if !body.is_object() {
        return Err(ApiError::bad_request(format!(
            "Object '{}' is not an object",
            def.kind
        )));
    }
    let ns = namespace_of(def, namespace);
    let Some(old) = t.get(res, ns, name) else {
        return Err(ApiError::not_found(def, name));
    };
    if let Some(body_name) = obj::str_at(&body, &["metadata", "name"])
        && body_name != name
    {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({name})"
        )));
    }
    check_namespace(def, namespace, &mut body)?;
    match obj::resource_version(&body) {
        Some(rv) if Some(rv) != obj::resource_version(&old) => {
            return Err(ApiError::conflict(def, name));
        }
        None if def.crd && !ctx.identity.internal => {
            return Err(ApiError::invalid(
                def,
                name,
                &[(
                    "metadata.resourceVersion".into(),
                    "Invalid value: 0x0: must be specified for an update".into(),
                    "FieldValueInvalid",
                )],
            ));
        }
        _ => {}
    }
    let mut merged = if status {
        // Everything but the old status is kept; cloning it only to drop it costs a lot when
        // the controllers settle thousands of objects.
        let mut m: serde_json::Map<String, Value> = old
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| k.as_str() != "status")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(s) = body.get_mut("status") {
            m.insert("status".into(), s.take());
        }
        Value::Object(m)
    } else {
        let mut m = body;
        m["apiVersion"] = json!(def.api_version());
        m["kind"] = json!(def.kind);
        for k in [
            "uid",
            "creationTimestamp",
            "generation",
            "deletionTimestamp",
            "name",
        ] {
            match obj::at(&old, &["metadata", k]) {
                Some(v) => obj::set(&mut m, &["metadata", k], v.clone()),
                None => {
                    obj::remove(&mut m, &["metadata", k]);
                }
            }
        }
        if def.status_subresource {
            match old.get("status") {
                Some(s) => m["status"] = s.clone(),
                None => {
                    obj::remove(&mut m, &["status"]);
                }
            }
        }
        if obj::at(&m, &["metadata", "managedFields"]).is_none()
            && let Some(mf) = obj::at(&old, &["metadata", "managedFields"])
        {
            obj::set(&mut m, &["metadata", "managedFields"], mf.clone());
        }
        admission::admit(ctx.identity, Operation::Update, res, Some(&old), &mut m)?;
        if !ctx.identity.internal {
            admission::external::call(t, res, "UPDATE")?;
        }
        crate::rbac::escalation::check(t, ctx.identity, res, ns, &m)?;
        m
    };
    if let Some(m) = ctx.field_manager {
        let now = obj::format_time(t.now());
        managed::record_update(def, Some(&old), &mut merged, m, status, &now);
    }
    if def.has_generation() && spec_changed(&merged, &old) {
        let g = obj::generation(&old) + 1;
        obj::set(&mut merged, &["metadata", "generation"], json!(g));
    }
    let finalizers_empty = obj::at(&merged, &["metadata", "finalizers"])
        .and_then(Value::as_array)
        .is_none_or(|a| a.is_empty());
    if obj::at(&merged, &["metadata", "deletionTimestamp"]).is_some() && finalizers_empty {
        if ctx.dry_run {
            return Ok(Outcome::Deleted {
                object: Arc::new(merged),
            });
        }
        t.put(res, merged);
        let last = remove_cascading(t, res, ns, name, Propagation::Background);
        return match last {
            Some(object) => Ok(Outcome::Deleted { object }),
            None => Err(ApiError::not_found(def, name)),
        };
    }
    if same_ignoring_rv(&merged, &old) || ctx.dry_run {
        let object = if ctx.dry_run { Arc::new(merged) } else { old };
        return Ok(Outcome::Stored {
            object,
            created: false,
        });
    }
    let stored = t.put(res, merged);
    Ok(Outcome::Stored {
        object: stored,
        created: false,
    })
}
