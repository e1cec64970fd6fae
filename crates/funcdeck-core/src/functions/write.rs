//! Creating and updating functions. A create posts the whole new Service; an update sends a
//! JSON merge patch of only what the change touched, guarded by the resourceVersion it was
//! computed from. On a conflict the change is recomputed on the fresh object and tried again
//! (it is stated as "set the image to X", not as a whole object, so re-applying it is safe),
//! which keeps every field another tool or controller wrote.

use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use serde_json::Value;

use crate::CoreError;
use crate::cluster::Connection;
use crate::function::{SpecChange, apply_change};
use crate::knative::Service;
use crate::merge_patch;

/// The field manager funcdeck's writes are recorded under.
pub const FIELD_MANAGER: &str = "funcdeck";

/// How often an update is recomputed after a conflict before giving up.
const CONFLICT_RETRIES: usize = 3;

/// Creates the Service `service` (a whole object, e.g. from `function::new_service`).
pub async fn create_function(
    conn: &Connection,
    namespace: &str,
    service: &Value,
) -> Result<Service, CoreError> {
    let typed: Service =
        serde_json::from_value(service.clone()).map_err(|e| CoreError::Decode {
            message: e.to_string(),
        })?;
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    let params = PostParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..PostParams::default()
    };
    api.create(&params, &typed).await.map_err(|e| conn.error(e))
}

/// What an update did.
#[derive(Debug, Clone)]
pub enum Updated {
    /// The patch that was sent and the Service the server returned.
    Changed { patch: Value, service: Box<Service> },
    /// The function already was as asked; nothing was written.
    Unchanged(Box<Service>),
}

/// Applies `change` to function `name`, writing only what it alters.
pub async fn update_function(
    conn: &Connection,
    namespace: &str,
    name: &str,
    change: &SpecChange,
) -> Result<Updated, CoreError> {
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..PatchParams::default()
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let live = api.get(name).await.map_err(|e| conn.error(e))?;
        let Some(patch) = patch_for(&live, name, change)? else {
            return Ok(Updated::Unchanged(Box::new(live)));
        };
        match api.patch(name, &params, &Patch::Merge(&patch)).await {
            Ok(service) => {
                return Ok(Updated::Changed {
                    patch,
                    service: Box::new(service),
                });
            }
            Err(error) => {
                let error = conn.error(error);
                if !matches!(error, CoreError::Conflict { .. }) || attempt >= CONFLICT_RETRIES {
                    return Err(error);
                }
                tracing::info!("function {namespace}/{name} changed meanwhile; recomputing");
            }
        }
    }
}

/// The merge patch taking `live` to `live` + `change`, carrying its resourceVersion; `None`
/// when the change alters nothing.
pub fn patch_for(
    live: &Service,
    name: &str,
    change: &SpecChange,
) -> Result<Option<Value>, CoreError> {
    let before = serde_json::to_value(live).map_err(|e| CoreError::Decode {
        message: e.to_string(),
    })?;
    let mut after = before.clone();
    apply_change(&mut after, name, change);
    let mut patch = merge_patch::diff(&before, &after);
    if merge_patch::is_empty(&patch) {
        return Ok(None);
    }
    if let Some(rv) = &live.metadata.resource_version {
        patch["metadata"]["resourceVersion"] = Value::String(rv.clone());
    }
    Ok(Some(patch))
}
