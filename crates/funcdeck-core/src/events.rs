//! Kubernetes events (`core/v1`): what the controllers and the kubelet said about a function's
//! objects, as summaries, and which of them concern a given function.
//!
//! Events name the object they are about (`involvedObject`) but carry no function label, so
//! tying them to a function is done by names: see [`relates_to_function`].

mod relates;
mod summary;

use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::Event;
use kube::Api;

pub use relates::{relates_to_function, relates_to_revision};
pub use summary::EventSummary;

use crate::CoreError;
use crate::cluster::Connection;
use crate::functions::NamespaceScope;
use crate::paged::{list_all, params};
use crate::revisions::selector_config;
use crate::watch::{WatchEvent, watch_mapped};

/// Every Event in scope.
pub async fn list_events(
    conn: &Connection,
    scope: &NamespaceScope,
) -> Result<Vec<Event>, CoreError> {
    let api: Api<Event> = scope.api(&conn.client);
    list_all(conn, &api, params(None)).await
}

/// Watches events in scope as summaries. The stream never ends on its own; drop it to stop.
pub fn watch_events(
    conn: &Connection,
    scope: &NamespaceScope,
) -> BoxStream<'static, WatchEvent<EventSummary>> {
    watch_mapped(
        scope.api(&conn.watch_client),
        selector_config(None),
        EventSummary::from_event,
        conn.cluster.clone(),
    )
}

#[cfg(test)]
mod tests;
