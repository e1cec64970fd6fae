//! Reading functions from the cluster: one-shot lists for the CLI, a live watch for the TUI,
//! and everything about one function at once for `fn get`.

mod fetch;
mod list;
mod write;

use futures::stream::BoxStream;
use kube::Api;
use kube::runtime::watcher;

pub use fetch::{FunctionParts, fetch_function, fetch_revisions, get_function};
pub use list::{list_namespaces, list_services};
pub use write::{FIELD_MANAGER, Updated, create_function, patch_for, update_function};

use crate::CoreError;
use crate::cluster::Connection;
use crate::function::FunctionSummary;
use crate::knative::Service;
use crate::watch::{WatchEvent, watch_mapped};

/// What the function table's watch delivers.
pub type FunctionEvent = WatchEvent<FunctionSummary>;

/// Which namespaces a list or watch covers (`-A` or `-n NS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceScope {
    All,
    One(String),
}

impl NamespaceScope {
    /// An `Api` for kind `K` over this scope.
    pub fn api<K>(&self, client: &kube::Client) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        K::DynamicType: Default,
    {
        match self {
            Self::All => Api::all(client.clone()),
            Self::One(ns) => Api::namespaced(client.clone(), ns),
        }
    }

    /// The one namespace, or `None` for all.
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Self::All => None,
            Self::One(ns) => Some(ns),
        }
    }
}

/// Watches Knative Services in scope. The stream never ends on its own; drop it to stop.
pub fn watch_functions(
    conn: &Connection,
    scope: NamespaceScope,
) -> BoxStream<'static, FunctionEvent> {
    let api: Api<Service> = scope.api(&conn.watch_client);
    watch_mapped(
        api,
        watcher::Config::default(),
        FunctionSummary::from_service,
        conn.cluster.clone(),
    )
}

/// Watches one function's Service (a field selector on its name), for its detail view: every
/// change arrives whole, and a deletion arrives as `Deleted`.
pub fn watch_function(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> BoxStream<'static, WatchEvent<Service>> {
    watch_mapped(
        Api::namespaced(conn.watch_client.clone(), namespace),
        watcher::Config::default().fields(&format!("metadata.name={name}")),
        Service::clone,
        conn.cluster.clone(),
    )
}

/// Deletes function `name`; Kubernetes garbage-collects its revisions, routes and pods. A
/// missing function is `CoreError::NotFound`, a refusal the server's own message.
pub async fn delete_function(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> Result<(), CoreError> {
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    api.delete(name, &kube::api::DeleteParams::background())
        .await
        .map(|_| ())
        .map_err(|e| conn.error(e))
}

/// Replaces `spec.traffic` and nothing else (a JSON merge patch replaces the list whole and
/// leaves every other field, and its manager, alone). With `resource_version` the write fails
/// with `CoreError::Conflict` if the function changed since it was read; but when only its
/// status moved (Knative reconciling the last change bumps the version too) and `generation`
/// shows the spec is the one the plan read, the write is made again with the new version.
pub async fn set_traffic(
    conn: &Connection,
    namespace: &str,
    name: &str,
    traffic: &[crate::knative::TrafficTarget],
    resource_version: Option<&str>,
    generation: Option<i64>,
) -> Result<Service, CoreError> {
    const RETRIES: usize = 3;
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    let params = kube::api::PatchParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..kube::api::PatchParams::default()
    };
    let mut version = resource_version.map(str::to_owned);
    let mut attempt = 0;
    loop {
        let mut patch = serde_json::json!({ "spec": { "traffic": traffic } });
        if let Some(rv) = &version {
            patch["metadata"] = serde_json::json!({ "resourceVersion": rv });
        }
        let error = match api
            .patch(name, &params, &kube::api::Patch::Merge(&patch))
            .await
        {
            Ok(service) => return Ok(service),
            Err(error) => conn.error(error),
        };
        attempt += 1;
        if !matches!(error, CoreError::Conflict { .. }) || generation.is_none() || attempt > RETRIES
        {
            return Err(error);
        }
        let fresh = api.get(name).await.map_err(|e| conn.error(e))?;
        if fresh.metadata.generation != generation {
            return Err(error);
        }
        version = fresh.metadata.resource_version;
    }
}

/// Writes a metadata merge patch planned by `function::visibility` (offline / online): labels
/// and annotations only, so neither the split nor the template (a new revision) changes. The
/// patch carries the resourceVersion read: a change made meanwhile is `CoreError::Conflict`.
pub async fn patch_metadata(
    conn: &Connection,
    namespace: &str,
    name: &str,
    patch: &serde_json::Value,
) -> Result<Service, CoreError> {
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    let params = kube::api::PatchParams {
        field_manager: Some("funcdeck".into()),
        ..kube::api::PatchParams::default()
    };
    api.patch(name, &params, &kube::api::Patch::Merge(patch))
        .await
        .map_err(|e| conn.error(e))
}
