//! The pods that run a function's revisions: lists and live watches as summaries.
//!
//! Knative labels every pod with its function and revision, so one label selector
//! (`serving.knative.dev/service=NAME`) finds them without walking Deployments and ReplicaSets.

mod summary;

use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;

pub use summary::{ContainerWaiting, PodSummary, Termination};

use crate::CoreError;
use crate::cluster::Connection;
use crate::functions::NamespaceScope;
use crate::paged::{list_all, params};
use crate::revisions::selector_config;
use crate::watch::{WatchEvent, watch_mapped};

/// Every Pod in scope, optionally filtered by a label selector.
pub async fn list_pods(
    conn: &Connection,
    scope: &NamespaceScope,
    label_selector: Option<&str>,
) -> Result<Vec<Pod>, CoreError> {
    let api: Api<Pod> = scope.api(&conn.client);
    list_all(conn, &api, params(label_selector)).await
}

/// Watches pods in scope as summaries. The stream never ends on its own; drop it to stop.
pub fn watch_pods(
    conn: &Connection,
    scope: &NamespaceScope,
    label_selector: Option<&str>,
) -> BoxStream<'static, WatchEvent<PodSummary>> {
    watch_mapped(
        scope.api(&conn.watch_client),
        selector_config(label_selector),
        PodSummary::from_pod,
        conn.cluster.clone(),
    )
}
