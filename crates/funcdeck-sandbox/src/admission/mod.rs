//! Admission, in the apiserver's order: mutating (the Knative defaulting webhook) → validating
//! (the Knative validating webhook). `write::commit` runs it for every writer, API clients and
//! controllers alike, then LimitRange/ResourceQuota (`quota`) and the RBAC escalation check;
//! authorization itself happened before, in `rbac::gate`.
//!
//! Dependency direction: `write` → `admission` (→ `webhook`); the controllers in `knative/` and
//! `dataplane/` call `write`, and nothing here may call them.

mod defaults;
pub mod external;
pub mod webhook;

use serde_json::Value;

use crate::identity::Identity;
use crate::resources::Res;
use crate::status::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
}

pub fn admit(
    identity: &Identity,
    op: Operation,
    res: Res,
    old: Option<&Value>,
    object: &mut Value,
) -> Result<(), ApiError> {
    defaults::apply(res, object);
    if res == Res::CustomResourceDefinition {
        crate::crd::validate(object)?;
    }
    webhook::admit(identity, op, res, old, object)
}
