//! Editing a function as YAML, the way `kubectl edit` does it but without losing anything.
//!
//! The Service is read whole (untyped, so fields this crate has no struct for still show) and
//! shown without what the server owns (`status`, `managedFields`, `uid`, …). Its
//! `resourceVersion` is kept out of the text and remembered: the write is a JSON merge patch of
//! only what the user changed, sent with that version, so a concurrent change is a 409 instead
//! of being overwritten, and the fields other managers own are left alone.

use crate::merge_patch as patch;
pub mod yaml;

use kube::Api;
use kube::api::{DynamicObject, Patch, PatchParams};
use kube::discovery::ApiResource;
use serde_json::Value;

pub use yaml::Position;

use crate::CoreError;
use crate::cluster::Connection;
use crate::key::ObjectKey;
use crate::knative::Service;

/// Metadata the server writes and a user cannot meaningfully change.
const SERVER_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// The function as the editor opens it.
#[derive(Debug, Clone, PartialEq)]
pub struct Editable {
    pub key: ObjectKey,
    /// The object without server-owned fields: what the user starts from, and the base the
    /// change is computed against.
    pub text: String,
    /// The version `text` was read at; the write is refused (409) if the function moved on.
    pub resource_version: String,
}

impl Editable {
    /// Builds the editable text from a whole object as the server sent it.
    pub fn from_object(key: ObjectKey, mut object: Value) -> Self {
        let resource_version = object
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(map) = object.as_object_mut() {
            map.remove("status");
        }
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in SERVER_METADATA {
                meta.remove(*field);
            }
        }
        Editable {
            key,
            text: yaml::to_text(&object),
            resource_version,
        }
    }
}

/// Why an edited buffer cannot be written, pointing at the line to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("line {}, column {}: {message}", .at.line, .at.column)]
    Syntax { at: Position, message: String },
    #[error("line {}, column {}: {message}", .at.line, .at.column)]
    Field { at: Position, message: String },
}

impl EditError {
    pub fn position(&self) -> &Position {
        match self {
            EditError::Syntax { at, .. } | EditError::Field { at, .. } => at,
        }
    }
}

/// What applying an edit writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The merge patch from the text as loaded to the text as edited (`{}` when unchanged).
    pub patch: Value,
    /// Top-level paths the patch touches (`spec.template`), for the confirmation.
    pub touched: Vec<String>,
}

/// Checks an edited buffer against the text it started from and works out the write.
pub fn plan(base_text: &str, edited_text: &str) -> Result<Plan, EditError> {
    let edited = parse_object(edited_text)?;
    let base = parse_object(base_text)?;
    for path in [
        &["apiVersion"][..],
        &["kind"],
        &["metadata", "name"],
        &["metadata", "namespace"],
    ] {
        let pointer = format!("/{}", path.join("/"));
        let was = base.pointer(&pointer);
        let now = edited.pointer(&pointer);
        if was != now {
            let at = yaml::find_key(edited_text, path)
                .or_else(|| yaml::find_key(edited_text, &path[..1]))
                .unwrap_or(Position { line: 1, column: 1 });
            let show = |v: Option<&Value>| v.map_or("nothing".to_owned(), Value::to_string);
            return Err(EditError::Field {
                at,
                message: format!(
                    "{} cannot change (was {}, now {}); create a new function instead",
                    path.join("."),
                    show(was),
                    show(now)
                ),
            });
        }
    }
    let patch = patch::diff(&base, &edited);
    let touched = touched_paths(&patch);
    Ok(Plan { patch, touched })
}

/// Parses a buffer that must hold one mapping (an object).
pub fn parse_object(text: &str) -> Result<Value, EditError> {
    let value = yaml::parse(text).map_err(|(at, message)| EditError::Syntax { at, message })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(EditError::Syntax {
            at: Position { line: 1, column: 1 },
            message: "the buffer must hold one object (a YAML mapping), like the one loaded".into(),
        })
    }
}

/// Dotted paths down to two levels (`spec.template`, `metadata.labels`), for summaries.
fn touched_paths(patch: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Value::Object(top) = patch {
        for (key, value) in top {
            match value {
                Value::Object(inner) if !inner.is_empty() => {
                    out.extend(inner.keys().map(|k| format!("{key}.{k}")));
                }
                _ => out.push(key.clone()),
            }
        }
    }
    out
}

/// Your edit replayed on the server's newer version, as text to keep editing.
#[derive(Debug, Clone, PartialEq)]
pub struct RebasedEdit {
    /// The server's version, the new base.
    pub theirs: Editable,
    /// The server's version with your change on top.
    pub text: String,
    pub conflicts: Vec<String>,
}

/// Re-bases the edit from `base_text` to `yours_text` onto `theirs` (what the server holds now).
pub fn rebase(
    base_text: &str,
    yours_text: &str,
    theirs: Editable,
) -> Result<RebasedEdit, EditError> {
    let base = parse_object(base_text)?;
    let yours = parse_object(yours_text)?;
    let server = parse_object(&theirs.text)?;
    let rebased = patch::rebase(&base, &yours, &server);
    Ok(RebasedEdit {
        text: yaml::to_text(&rebased.value),
        conflicts: rebased.conflicts,
        theirs,
    })
}

fn api(conn: &Connection, namespace: &str) -> Api<DynamicObject> {
    let resource = ApiResource::erase::<Service>(&());
    Api::namespaced_with(conn.client.clone(), namespace, &resource)
}

/// Reads the function for editing. A missing function is `CoreError::NotFound`.
pub async fn load(conn: &Connection, key: &ObjectKey) -> Result<Editable, CoreError> {
    let object = api(conn, &key.namespace)
        .get(&key.name)
        .await
        .map_err(|e| conn.error(e))?;
    let value = serde_json::to_value(&object).map_err(|e| CoreError::Decode {
        message: e.to_string(),
    })?;
    Ok(Editable::from_object(key.clone(), value))
}

/// Writes a planned edit if the function is still at `resource_version`: a concurrent change is
/// `CoreError::Conflict`, a webhook's refusal comes back with the server's message verbatim.
/// Returns the function's new resourceVersion.
pub async fn apply(
    conn: &Connection,
    key: &ObjectKey,
    patch: &Value,
    resource_version: &str,
) -> Result<String, CoreError> {
    let mut body = patch.clone();
    if let Some(map) = body.as_object_mut() {
        let meta = map
            .entry("metadata")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(meta) = meta.as_object_mut() {
            meta.insert("resourceVersion".into(), resource_version.into());
        }
    }
    let params = PatchParams {
        field_manager: Some("funcdeck".into()),
        ..PatchParams::default()
    };
    let written = api(conn, &key.namespace)
        .patch(&key.name, &params, &Patch::Merge(&body))
        .await
        .map_err(|e| conn.error(e))?;
    Ok(written.metadata.resource_version.unwrap_or_default())
}

#[cfg(test)]
mod tests;
