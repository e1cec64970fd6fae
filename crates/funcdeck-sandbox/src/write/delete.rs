//! Delete: preconditions, finalizers (mark and keep), namespace contents, and the ownerReference
//! garbage collector Knative relies on (background propagation, done at once).

use std::sync::Arc;

use serde_json::{Value, json};

use super::{DeleteOptions, Outcome, Propagation, WriteCtx, namespace_of};
use crate::obj;
use crate::resources::Res;
use crate::status::ApiError;
use crate::store::Txn;

pub(super) fn delete(
    t: &mut Txn<'_>,
    ctx: &WriteCtx<'_>,
    res: Res,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<Outcome, ApiError> {
    let def = res.def();
    let ns = namespace_of(def, namespace);
    let Some(old) = t.get(res, ns, name) else {
        return Err(ApiError::not_found(def, name));
    };
    if let Some(uid) = &options.precondition_uid
        && uid != obj::uid(&old)
    {
        return Err(ApiError::precondition_failed(
            def,
            name,
            &format!(
                "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                obj::uid(&old)
            ),
        ));
    }
    if let Some(rv) = &options.precondition_rv
        && Some(rv.as_str()) != obj::resource_version(&old)
    {
        return Err(ApiError::precondition_failed(
            def,
            name,
            &format!(
                "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {}",
                obj::resource_version(&old).unwrap_or("")
            ),
        ));
    }
    if ctx.dry_run {
        return Ok(Outcome::Deleted { object: old });
    }
    let has_finalizers = obj::at(&old, &["metadata", "finalizers"])
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if has_finalizers {
        if obj::at(&old, &["metadata", "deletionTimestamp"]).is_some() {
            return Ok(Outcome::Finalizing { object: old });
        }
        let mut marked = (*old).clone();
        let now = obj::format_time(t.now());
        obj::set(&mut marked, &["metadata", "deletionTimestamp"], json!(now));
        obj::set(
            &mut marked,
            &["metadata", "deletionGracePeriodSeconds"],
            json!(0),
        );
        let object = t.put(res, marked);
        return Ok(Outcome::Finalizing { object });
    }
    if res == Res::Namespace {
        for r in Res::all().filter(|r| r.def().namespaced) {
            for o in t.list(r, Some(name)) {
                t.remove(r, name, obj::name(&o));
            }
        }
    }
    match remove_cascading(t, res, ns, name, options.propagation) {
        Some(object) => Ok(Outcome::Deleted { object }),
        None => Err(ApiError::not_found(def, name)),
    }
}

/// Removes an object and (unless orphaning) everything that lists it as an owner, transitively:
/// the ownerReference garbage collector Knative relies on.
pub(super) fn remove_cascading(
    t: &mut Txn<'_>,
    res: Res,
    ns: &str,
    name: &str,
    propagation: Propagation,
) -> Option<Arc<Value>> {
    let last = t.remove(res, ns, name)?;
    if propagation != Propagation::Orphan {
        let mut work = vec![obj::uid(&last).to_string()];
        while let Some(uid) = work.pop() {
            for (r, (dns, dname)) in t.dependents(&uid) {
                if let Some(gone) = t.remove(r, &dns, &dname) {
                    work.push(obj::uid(&gone).to_string());
                }
            }
        }
    }
    Some(last)
}
