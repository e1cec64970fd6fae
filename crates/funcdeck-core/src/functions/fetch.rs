//! Everything about one function at once, for `fn get`: the Service, then its revisions, pods
//! and events side by side.
//!
//! Only the Service is essential. A user allowed to read functions but not pods (or events)
//! still gets the rest: each part carries its own result, so the caller can say which part is
//! missing and quote the server's reason.

use k8s_openapi::api::core::v1::{Event, Pod};
use kube::Api;

use super::NamespaceScope;
use crate::CoreError;
use crate::cluster::Connection;
use crate::events::{EventSummary, relates_to_function};
use crate::knative::{Revision, Service};
use crate::labels::function_selector;
use crate::paged::{list_all, params};
use crate::pods::PodSummary;
use crate::revisions::RevisionSummary;

/// A function and what could be read about it.
#[derive(Debug, Clone)]
pub struct FunctionParts {
    pub service: Service,
    pub revisions: Result<Vec<RevisionSummary>, CoreError>,
    pub pods: Result<Vec<PodSummary>, CoreError>,
    /// Only the events that concern the function (see
    /// [`relates_to_function`](crate::events::relates_to_function)).
    pub events: Result<Vec<EventSummary>, CoreError>,
}

/// Reads function `name` in `namespace` and its parts. A missing function is
/// `CoreError::NotFound` naming it; failures to read the other parts stay in their fields.
pub async fn fetch_function(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> Result<FunctionParts, CoreError> {
    let service = get_function(conn, namespace, name).await?;
    let scope = NamespaceScope::One(namespace.to_owned());
    let selector = function_selector(name);
    let revision_api: Api<Revision> = scope.api(&conn.client);
    let pod_api: Api<Pod> = scope.api(&conn.client);
    let event_api: Api<Event> = scope.api(&conn.client);
    let (revisions, pods, events) = futures::join!(
        list_all(conn, &revision_api, params(Some(&selector))),
        list_all(conn, &pod_api, params(Some(&selector))),
        list_all(conn, &event_api, params(None)),
    );
    let revisions: Result<Vec<RevisionSummary>, CoreError> =
        revisions.map(|rs| rs.iter().map(RevisionSummary::from_revision).collect());

    // Events name revisions, not functions; without the revision list, fall back to the
    // names the Service itself mentions.
    let mut revision_names: Vec<String> = match &revisions {
        Ok(rs) => rs.iter().map(|r| r.key.name.clone()).collect(),
        Err(_) => named_revisions(&service),
    };
    revision_names.sort();
    revision_names.dedup();
    let names: Vec<&str> = revision_names.iter().map(String::as_str).collect();
    let events = events.map(|es| {
        es.iter()
            .map(EventSummary::from_event)
            .filter(|e| relates_to_function(e, name, &names))
            .collect()
    });
    Ok(FunctionParts {
        revisions,
        pods: pods.map(|ps| ps.iter().map(PodSummary::from_pod).collect()),
        events,
        service,
    })
}

/// A function and its revisions only: what a change to its traffic or revisions is planned from
/// (no pods or events to list for that).
pub async fn fetch_revisions(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> Result<(Service, Vec<RevisionSummary>), CoreError> {
    let service = get_function(conn, namespace, name).await?;
    let api: Api<Revision> = Api::namespaced(conn.client.clone(), namespace);
    let revisions = list_all(conn, &api, params(Some(&function_selector(name)))).await?;
    Ok((
        service,
        revisions
            .iter()
            .map(RevisionSummary::from_revision)
            .collect(),
    ))
}

/// The Service; a missing one is `CoreError::NotFound` naming the function.
pub async fn get_function(
    conn: &Connection,
    namespace: &str,
    name: &str,
) -> Result<Service, CoreError> {
    let services: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    match services.get(name).await.map_err(|e| conn.error(e)) {
        Err(CoreError::NotFound { .. }) => Err(CoreError::NotFound {
            message: format!("function \"{name}\" not found in namespace \"{namespace}\""),
        }),
        other => other,
    }
}

/// Revision names the Service's status and traffic mention.
fn named_revisions(svc: &Service) -> Vec<String> {
    let Some(status) = &svc.status else {
        return Vec::new();
    };
    let traffic = status
        .traffic
        .iter()
        .chain(svc.spec.traffic.iter())
        .flatten()
        .filter_map(|t| t.revision_name.clone());
    [
        status.latest_created_revision_name.clone(),
        status.latest_ready_revision_name.clone(),
    ]
    .into_iter()
    .flatten()
    .chain(traffic)
    .filter(|n| !n.is_empty())
    .collect()
}
