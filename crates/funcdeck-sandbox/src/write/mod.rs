//! The single write path. Every mutation, from an API client or from the simulated controllers,
//! goes through [`commit`], which runs admission (defaulting → validation; RBAC later) in one
//! place and applies the apiserver's rules: generated names, optimistic concurrency, status
//! subresource separation, generation bumps, no-op detection, finalizers and cascading delete.

mod compare;
mod create;
mod delete;
mod names;
mod update;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::identity::Identity;
use crate::obj;
use crate::patch::{self, PatchType};
use crate::resources::{Res, ResourceDef};
use crate::status::ApiError;
use crate::store::Store;

pub use compare::only_status_changed;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub propagation: Propagation,
    pub precondition_uid: Option<String>,
    pub precondition_rv: Option<String>,
}

impl DeleteOptions {
    /// From a DeleteOptions JSON body (missing or empty body = defaults).
    pub fn from_body(body: &Value) -> Self {
        let propagation = match body.get("propagationPolicy").and_then(Value::as_str) {
            Some("Foreground") => Propagation::Foreground,
            Some("Orphan") => Propagation::Orphan,
            _ if body.get("orphanDependents") == Some(&json!(true)) => Propagation::Orphan,
            _ => Propagation::Background,
        };
        let pre = |k: &str| {
            obj::str_at(body, &["preconditions", k])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        DeleteOptions {
            propagation,
            precondition_uid: pre("uid"),
            precondition_rv: pre("resourceVersion"),
        }
    }
}

#[derive(Debug)]
pub enum WriteOp {
    Create {
        res: Res,
        namespace: String,
        object: Value,
    },
    Update {
        res: Res,
        namespace: String,
        name: String,
        object: Value,
        status: bool,
    },
    Patch {
        res: Res,
        namespace: String,
        name: String,
        patch_type: PatchType,
        patch: Value,
        status: bool,
    },
    Delete {
        res: Res,
        namespace: String,
        name: String,
        options: DeleteOptions,
    },
}

#[derive(Debug)]
pub enum Outcome {
    /// Created (`created == true`, HTTP 201) or updated/unchanged (200).
    Stored { object: Arc<Value>, created: bool },
    /// Gone now.
    Deleted { object: Arc<Value> },
    /// Has finalizers: marked with deletionTimestamp and kept.
    Finalizing { object: Arc<Value> },
}

pub struct WriteCtx<'a> {
    pub identity: &'a Identity,
    pub dry_run: bool,
}

impl<'a> WriteCtx<'a> {
    pub fn new(identity: &'a Identity) -> Self {
        WriteCtx {
            identity,
            dry_run: false,
        }
    }
}

/// The one entry point for mutations.
pub fn commit(store: &Store, ctx: &WriteCtx<'_>, op: WriteOp) -> Result<Outcome, ApiError> {
    let mut t = store.txn();
    match op {
        WriteOp::Create {
            res,
            namespace,
            object,
        } => create::create(&mut t, ctx, res, &namespace, object),
        WriteOp::Update {
            res,
            namespace,
            name,
            object,
            status,
        } => update::update(&mut t, ctx, res, &namespace, &name, object, status),
        WriteOp::Patch {
            res,
            namespace,
            name,
            patch_type,
            patch,
            status,
        } => {
            let def = res.def();
            let Some(old) = t.get(res, &namespace, &name) else {
                if patch_type == PatchType::Apply && !status {
                    let mut object = patch;
                    obj::set(&mut object, &["metadata", "name"], json!(name));
                    return create::create(&mut t, ctx, res, &namespace, object);
                }
                return Err(ApiError::not_found(def, &name));
            };
            let patched = apply_patch(def, &old, patch_type, patch)?;
            update::update(&mut t, ctx, res, &namespace, &name, patched, status)
        }
        WriteOp::Delete {
            res,
            namespace,
            name,
            options,
        } => delete::delete(&mut t, ctx, res, &namespace, &name, &options),
    }
}

fn apply_patch(
    def: &ResourceDef,
    old: &Value,
    patch_type: PatchType,
    mut patch: Value,
) -> Result<Value, ApiError> {
    match patch_type {
        PatchType::Merge | PatchType::Apply => {
            let mut out = old.clone();
            patch::merge_patch(&mut out, &patch);
            Ok(out)
        }
        PatchType::Strategic => {
            if def.crd {
                return Err(ApiError::unsupported_media_type(&[
                    "application/json-patch+json",
                    "application/merge-patch+json",
                    "application/apply-patch+yaml",
                ]));
            }
            patch::strip_strategic(&mut patch);
            let mut out = old.clone();
            patch::merge_patch(&mut out, &patch);
            Ok(out)
        }
        PatchType::Json => patch::json_patch(old, &patch).map_err(ApiError::unprocessable),
    }
}

/// The namespace key of an object of `def`: empty for cluster-scoped kinds.
pub(crate) fn namespace_of<'a>(def: &ResourceDef, ns: &'a str) -> &'a str {
    if def.namespaced { ns } else { "" }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
