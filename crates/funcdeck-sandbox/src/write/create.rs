//! Create: generated names, server-set metadata, namespace existence, status dropped for
//! clients (kept for the simulation's own writes), then admission.

use std::sync::Arc;

use serde_json::{Value, json};

use super::names::{check_namespace, validate_name};
use super::{Outcome, WriteCtx, namespace_of};
use crate::admission::{self, Operation};
use crate::apply::managed;
use crate::obj;
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Txn;

pub(super) fn create(
    t: &mut Txn<'_>,
    ctx: &WriteCtx<'_>,
    res: Res,
    namespace: &str,
    mut object: Value,
) -> Result<Outcome, ApiError> {
    let def = res.def();
    if !object.is_object() {
        return Err(ApiError::bad_request(format!(
            "Object '{}' is not an object",
            def.kind
        )));
    }
    check_namespace(def, namespace, &mut object)?;
    if def.namespaced && t.get(Res::Namespace, "", namespace).is_none() {
        return Err(ApiError::namespace_not_found(namespace));
    }
    let name = match obj::str_at(&object, &["metadata", "name"]).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => match obj::str_at(&object, &["metadata", "generateName"]).filter(|n| !n.is_empty())
        {
            Some(prefix) => {
                let prefix = prefix.to_string();
                let mut candidate = format!("{prefix}{}", t.name_suffix());
                while t
                    .get(res, namespace_of(def, namespace), &candidate)
                    .is_some()
                {
                    candidate = format!("{prefix}{}", t.name_suffix());
                }
                candidate
            }
            None => {
                return Err(ApiError::invalid(
                    def,
                    "",
                    &[(
                        "metadata.name".into(),
                        "Required value: name or generateName is required".into(),
                        "FieldValueRequired",
                    )],
                ));
            }
        },
    };
    validate_name(def, &name)?;
    if t.get(res, namespace_of(def, namespace), &name).is_some() {
        return Err(ApiError::already_exists(def, &name));
    }
    object["apiVersion"] = json!(def.api_version());
    object["kind"] = json!(def.kind);
    obj::set(&mut object, &["metadata", "name"], json!(name));
    let uid = t.uid();
    obj::set(&mut object, &["metadata", "uid"], json!(uid));
    let keep_time =
        ctx.identity.internal && obj::str_at(&object, &["metadata", "creationTimestamp"]).is_some();
    if !keep_time {
        let now = obj::format_time(t.now());
        obj::set(&mut object, &["metadata", "creationTimestamp"], json!(now));
    }
    for k in [
        "resourceVersion",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "selfLink",
    ] {
        obj::remove(&mut object, &["metadata", k]);
    }
    let keep_generation =
        ctx.identity.internal && obj::i64_at(&object, &["metadata", "generation"]).is_some();
    if def.has_generation() && !keep_generation {
        obj::set(&mut object, &["metadata", "generation"], json!(1));
    } else if !def.has_generation() {
        obj::remove(&mut object, &["metadata", "generation"]);
    }
    if def.status_subresource && !ctx.identity.internal {
        obj::remove(&mut object, &["status"]);
    }
    if res == Res::Namespace {
        obj::set(&mut object, &["spec", "finalizers"], json!(["kubernetes"]));
        obj::set(&mut object, &["status", "phase"], json!("Active"));
        obj::set(
            &mut object,
            &["metadata", "labels", "kubernetes.io/metadata.name"],
            json!(name),
        );
    }
    admission::admit(ctx.identity, Operation::Create, res, None, &mut object)?;
    if !ctx.identity.internal {
        admission::external::call(t, res, "CREATE")?;
    }
    if let Some(m) = ctx.field_manager {
        let now = obj::format_time(t.now());
        managed::record_update(def, None, &mut object, m, false, &now);
    }
    crate::quota::admit_create(t, res, namespace, &mut object)?;
    crate::rbac::escalation::check(t, ctx.identity, res, namespace, &object)?;
    if ctx.dry_run {
        return Ok(Outcome::Stored {
            object: Arc::new(object),
            created: true,
        });
    }
    let stored = t.put(res, object);
    Ok(Outcome::Stored {
        object: stored,
        created: true,
    })
}
