//! Admission, in the apiserver's order: mutating (defaulting webhooks) → validating. RBAC
//! authorization will sit in front of this in `write::commit` when personas arrive; keeping it
//! one function means every verb and every writer (clients and controllers) gets the same rules.

use serde_json::Value;

use crate::identity::Identity;
use crate::knative;
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
    match res {
        Res::KService | Res::KConfiguration | Res::KRoute | Res::KRevision => {
            knative::defaults::apply(identity, op, res, old, object);
            knative::validation::validate(op, res, old, object)
        }
        _ => Ok(()),
    }
}
