//! Delete: preconditions, finalizers (mark and keep), namespace contents, and the ownerReference
//! garbage collector Knative relies on: Background (dependents go at once), Foreground (the
//! owner shows `foregroundDeletion` until they are gone) and Orphan (their ownerReferences go).

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
    if has_finalizers(&old) {
        if obj::at(&old, &["metadata", "deletionTimestamp"]).is_some() {
            return Ok(Outcome::Finalizing { object: old });
        }
        let object = t.put(res, mark_deleted(t, &old, None));
        return Ok(Outcome::Finalizing { object });
    }
    if res == Res::Namespace {
        for r in t.catalog().all().into_iter().filter(|r| r.def().namespaced) {
            for o in t.list(r, Some(name)) {
                t.remove(r, name, obj::name(&o));
            }
        }
    }
    let has_dependents = !t.dependents(obj::uid(&old)).is_empty();
    match options.propagation {
        Propagation::Foreground if has_dependents => {
            // The owner is visibly "deleting" (foregroundDeletion) until its dependents are
            // gone; our garbage collector finishes at once, inside this one transaction.
            let marked = t.put(res, mark_deleted(t, &old, Some("foregroundDeletion")));
            collect_dependents(t, obj::uid(&old));
            let mut done = (*marked).clone();
            obj::remove(&mut done, &["metadata", "finalizers"]);
            t.put(res, done);
            t.remove(res, ns, name);
            Ok(Outcome::Finalizing { object: marked })
        }
        Propagation::Orphan => {
            orphan_dependents(t, obj::uid(&old));
            match t.remove(res, ns, name) {
                Some(object) => Ok(Outcome::Deleted { object }),
                None => Err(ApiError::not_found(def, name)),
            }
        }
        _ => match remove_cascading(t, res, ns, name, Propagation::Background) {
            Some(object) => Ok(Outcome::Deleted { object }),
            None => Err(ApiError::not_found(def, name)),
        },
    }
}

fn has_finalizers(o: &Value) -> bool {
    obj::at(o, &["metadata", "finalizers"])
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// `o` with deletionTimestamp (and grace 0) set, plus an extra finalizer if given.
fn mark_deleted(t: &Txn<'_>, o: &Value, finalizer: Option<&str>) -> Value {
    let mut marked = o.clone();
    let now = obj::format_time(t.now());
    obj::set(&mut marked, &["metadata", "deletionTimestamp"], json!(now));
    obj::set(
        &mut marked,
        &["metadata", "deletionGracePeriodSeconds"],
        json!(0),
    );
    if let Some(f) = finalizer {
        let mut list: Vec<Value> = obj::at(o, &["metadata", "finalizers"])
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        list.push(json!(f));
        obj::set(&mut marked, &["metadata", "finalizers"], Value::Array(list));
    }
    marked
}

/// Orphan propagation: dependents stay, minus their ownerReferences to `owner_uid`.
fn orphan_dependents(t: &mut Txn<'_>, owner_uid: &str) {
    for (r, (dns, dname)) in t.dependents(owner_uid) {
        let Some(child) = t.get(r, &dns, &dname) else {
            continue;
        };
        let mut c = (*child).clone();
        if let Some(refs) = obj::at(&c, &["metadata", "ownerReferences"])
            .and_then(Value::as_array)
            .cloned()
        {
            let kept: Vec<Value> = refs
                .into_iter()
                .filter(|r| r.get("uid").and_then(Value::as_str) != Some(owner_uid))
                .collect();
            if kept.is_empty() {
                obj::remove(&mut c, &["metadata", "ownerReferences"]);
            } else {
                obj::set(&mut c, &["metadata", "ownerReferences"], Value::Array(kept));
            }
        }
        t.put(r, c);
    }
}

/// Deletes everything that lists `owner_uid` as an owner, transitively. A dependent with
/// finalizers is only marked (deletionTimestamp) and keeps its own dependents for now.
fn collect_dependents(t: &mut Txn<'_>, owner_uid: &str) {
    let mut work = vec![owner_uid.to_string()];
    while let Some(uid) = work.pop() {
        for (r, (dns, dname)) in t.dependents(&uid) {
            let Some(child) = t.get(r, &dns, &dname) else {
                continue;
            };
            if has_finalizers(&child) {
                if obj::at(&child, &["metadata", "deletionTimestamp"]).is_none() {
                    let marked = mark_deleted(t, &child, None);
                    t.put(r, marked);
                }
                continue;
            }
            if let Some(gone) = t.remove(r, &dns, &dname) {
                work.push(obj::uid(&gone).to_string());
            }
        }
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
        collect_dependents(t, obj::uid(&last));
    }
    Some(last)
}
