//! The single write path. Every mutation, from an API client or from the simulated controllers,
//! goes through [`commit`], which runs admission (the Knative webhook, LimitRange and
//! ResourceQuota, the RBAC escalation check) in one place and applies the apiserver's rules:
//! generated names, optimistic concurrency, status
//! subresource separation, generation bumps, no-op detection, finalizers and cascading delete,
//! strict field validation and managedFields bookkeeping.

mod compare;
mod create;
mod delete;
mod names;
mod update;

use std::sync::Arc;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::apply;
use crate::identity::Identity;
use crate::obj;
use crate::patch::{self, PatchType};
use crate::resources::{Res, ResourceDef};
use crate::schema;
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
    /// From a client's DeleteOptions body: unknown policies are rejected like the apiserver does.
    pub fn parse(body: &Value) -> Result<Self, ApiError> {
        match body.get("propagationPolicy") {
            None | Some(Value::Null) => {}
            Some(Value::String(p))
                if matches!(p.as_str(), "Foreground" | "Background" | "Orphan") => {}
            Some(p) => {
                let shown = p
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| p.to_string());
                return Err(ApiError::new(
                    422,
                    "Invalid",
                    format!(
                        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{shown}\": supported values: \"Foreground\", \"Background\", \"Orphan\""
                    ),
                ));
            }
        }
        Ok(Self::from_body(body))
    }

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidation {
    /// The simulation's own writes, and clients that sent `fieldValidation=Ignore`.
    #[default]
    Ignore,
    Warn,
    Strict,
}

impl FieldValidation {
    /// The `fieldValidation` query value; `None` for a value the apiserver rejects.
    pub fn parse(v: Option<&str>) -> Option<Self> {
        match v {
            None | Some("") | Some("Ignore") => Some(FieldValidation::Ignore),
            Some("Warn") => Some(FieldValidation::Warn),
            Some("Strict") => Some(FieldValidation::Strict),
            Some(_) => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct WriteCtx<'a> {
    pub identity: &'a Identity,
    pub dry_run: bool,
    /// Who to record in managedFields; `None` leaves managedFields untouched (the simulation).
    pub field_manager: Option<&'a str>,
    /// `force=true` on an apply patch.
    pub force: bool,
    pub validation: FieldValidation,
    /// Where `fieldValidation=Warn` findings go (sent back as `Warning` headers).
    pub warnings: Option<&'a Mutex<Vec<String>>>,
}

impl<'a> WriteCtx<'a> {
    pub fn new(identity: &'a Identity) -> Self {
        WriteCtx {
            identity,
            dry_run: false,
            field_manager: None,
            force: false,
            validation: FieldValidation::Ignore,
            warnings: None,
        }
    }

    /// Unknown fields: 400 under Strict, a warning under Warn; dropped unless Strict failed.
    /// The simulation's own writes are trusted and skip this.
    fn check_fields(&self, def: &ResourceDef, o: &mut Value) -> Result<(), ApiError> {
        if self.identity.internal {
            return Ok(());
        }
        let unknown = schema::unknown_fields(def, o);
        if unknown.is_empty() {
            return Ok(());
        }
        let items: Vec<String> = unknown
            .iter()
            .map(|f| format!("unknown field \"{f}\""))
            .collect();
        match self.validation {
            FieldValidation::Strict => {
                return Err(ApiError::bad_request(format!(
                    "{} in version \"{}\" cannot be handled as a {}: strict decoding error: {}",
                    def.kind,
                    def.version,
                    def.kind,
                    items.join(", ")
                )));
            }
            FieldValidation::Warn => {
                if let Some(w) = self.warnings
                    && let Ok(mut w) = w.lock()
                {
                    w.extend(items);
                }
            }
            FieldValidation::Ignore => {}
        }
        schema::prune(def, o);
        Ok(())
    }
}

/// The one entry point for mutations.
pub fn commit(store: &Store, ctx: &WriteCtx<'_>, op: WriteOp) -> Result<Outcome, ApiError> {
    let mut t = store.txn();
    match op {
        WriteOp::Create {
            res,
            namespace,
            mut object,
        } => {
            ctx.check_fields(res.def(), &mut object)?;
            create::create(&mut t, ctx, res, &namespace, object)
        }
        WriteOp::Update {
            res,
            namespace,
            name,
            mut object,
            status,
        } => {
            ctx.check_fields(res.def(), &mut object)?;
            update::update(&mut t, ctx, res, &namespace, &name, object, status)
        }
        WriteOp::Patch {
            res,
            namespace,
            name,
            patch_type,
            mut patch,
            status,
        } => {
            let def = res.def();
            let old = t.get(res, namespace_of(def, &namespace), &name);
            if patch_type == PatchType::Apply {
                apply::check_body(def, &name, &patch)?;
                ctx.check_fields(def, &mut patch)?;
                let manager = ctx.field_manager.unwrap_or("");
                let now = obj::format_time(t.now());
                let object = apply::apply(
                    def,
                    old.as_deref(),
                    &patch,
                    manager,
                    ctx.force,
                    status,
                    &now,
                )?;
                // Ownership is settled: the rest of the write path must not record it again.
                let inner = WriteCtx {
                    field_manager: None,
                    ..*ctx
                };
                return match old {
                    None if status => Err(ApiError::not_found(def, &name)),
                    None => create::create(&mut t, &inner, res, &namespace, object),
                    Some(_) => {
                        update::update(&mut t, &inner, res, &namespace, &name, object, status)
                    }
                };
            }
            let Some(old) = old else {
                return Err(ApiError::not_found(def, &name));
            };
            let mut patched = apply_patch(def, &old, patch_type, patch)?;
            ctx.check_fields(def, &mut patched)?;
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
            if !patch.is_object() {
                return Err(ApiError::bad_request(
                    "json: cannot unmarshal array into Go value of type map[string]interface {}",
                ));
            }
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
