//! The Knative Serving admission webhook (defaulting, then validation) for the
//! `serving.knative.dev` kinds. It is part of the write path's admission chain, so it must not
//! depend on the controllers in `knative/`: they write through `write::commit`, which calls
//! admission, which calls this.

pub mod defaults;
pub mod validation;

use serde_json::Value;

use super::Operation;
use crate::identity::Identity;
use crate::resources::Res;
use crate::status::ApiError;

/// The mutating then the validating webhook, for a Knative kind; other kinds pass untouched.
pub fn admit(
    identity: &Identity,
    op: Operation,
    res: Res,
    old: Option<&Value>,
    object: &mut Value,
) -> Result<(), ApiError> {
    match res {
        Res::KService | Res::KConfiguration | Res::KRoute | Res::KRevision => {
            defaults::apply(identity, op, res, old, object);
            validation::validate(op, res, old, object)
        }
        _ => Ok(()),
    }
}
