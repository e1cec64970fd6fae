//! One-shot lists of functions and namespaces, paged.

use k8s_openapi::api::core::v1::Namespace;
use kube::Api;

use super::NamespaceScope;
use crate::CoreError;
use crate::cluster::Connection;
use crate::knative::Service;
use crate::paged::{list_all, params};

/// Every Service in scope, optionally filtered by a label selector.
pub async fn list_services(
    conn: &Connection,
    scope: &NamespaceScope,
    label_selector: Option<&str>,
) -> Result<Vec<Service>, CoreError> {
    let api: Api<Service> = scope.api(&conn.client);
    list_all(conn, &api, params(label_selector)).await
}

/// Namespace names, sorted.
pub async fn list_namespaces(conn: &Connection) -> Result<Vec<String>, CoreError> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let mut names: Vec<String> = list_all(conn, &api, params(None))
        .await?
        .into_iter()
        .filter_map(|ns| ns.metadata.name)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}
