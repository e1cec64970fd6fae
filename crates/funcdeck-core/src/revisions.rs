//! A function's revisions: one-shot lists and live watches, as summaries for tables or as full
//! objects for the detail view (which shows a revision's whole spec and diffs two of them).

mod summary;

use futures::stream::BoxStream;
use kube::Api;
use kube::runtime::watcher;

pub use summary::RevisionSummary;

use crate::CoreError;
use crate::cluster::Connection;
use crate::functions::NamespaceScope;
use crate::knative::Revision;
use crate::labels::function_selector;
use crate::paged::{list_all, params};
use crate::watch::{WatchEvent, watch_mapped};

/// Every Revision in scope, optionally filtered by a label selector
/// (`serving.knative.dev/service=NAME` for one function: [`function_selector`]).
pub async fn list_revisions(
    conn: &Connection,
    scope: &NamespaceScope,
    label_selector: Option<&str>,
) -> Result<Vec<Revision>, CoreError> {
    let api: Api<Revision> = scope.api(&conn.client);
    list_all(conn, &api, params(label_selector)).await
}

/// Watches revisions in scope as summaries. The stream never ends on its own; drop it to stop.
pub fn watch_revisions(
    conn: &Connection,
    scope: &NamespaceScope,
    label_selector: Option<&str>,
) -> BoxStream<'static, WatchEvent<RevisionSummary>> {
    watch_mapped(
        scope.api(&conn.watch_client),
        selector_config(label_selector),
        RevisionSummary::from_revision,
        conn.cluster.clone(),
    )
}

/// Watches the full Revision objects of one function.
pub fn watch_function_revisions(
    conn: &Connection,
    namespace: &str,
    function: &str,
) -> BoxStream<'static, WatchEvent<Revision>> {
    watch_mapped(
        Api::namespaced(conn.watch_client.clone(), namespace),
        watcher::Config::default().labels(&function_selector(function)),
        Revision::clone,
        conn.cluster.clone(),
    )
}

/// A watcher config with an optional label selector (empty means none).
pub(crate) fn selector_config(label_selector: Option<&str>) -> watcher::Config {
    match label_selector.filter(|s| !s.is_empty()) {
        Some(selector) => watcher::Config::default().labels(selector),
        None => watcher::Config::default(),
    }
}

/// Deletes one revision (its Deployment and pods are garbage-collected). A missing one is
/// `CoreError::NotFound`, a refusal the server's own message.
pub async fn delete_revision(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> Result<(), CoreError> {
    let api: Api<Revision> = Api::namespaced(conn.client.clone(), namespace);
    api.delete(name, &kube::api::DeleteParams::background())
        .await
        .map(|_| ())
        .map_err(|e| conn.error(e))
}

/// One revision by name, for saying whose it is when a command names another function's.
pub async fn get_revision(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> Result<Revision, CoreError> {
    let api: Api<Revision> = Api::namespaced(conn.client.clone(), namespace);
    api.get(name).await.map_err(|e| conn.error(e))
}
