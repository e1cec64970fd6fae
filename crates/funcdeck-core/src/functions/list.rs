//! Paged lists (`limit`/`continue`), so a 5,000-function cluster never arrives as one
//! giant response.

use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use kube::api::ListParams;
use serde::de::DeserializeOwned;

use super::{NamespaceScope, services_api};
use crate::CoreError;
use crate::cluster::Connection;
use crate::knative::Service;

const PAGE_SIZE: u32 = 500;

/// Every Service in scope, optionally filtered by a label selector.
pub async fn list_services(
    conn: &Connection,
    scope: &NamespaceScope,
    label_selector: Option<&str>,
) -> Result<Vec<Service>, CoreError> {
    let api = services_api(&conn.client, scope);
    let mut params = ListParams::default().limit(PAGE_SIZE);
    if let Some(selector) = label_selector.filter(|s| !s.is_empty()) {
        params = params.labels(selector);
    }
    list_all(conn, &api, params).await
}

/// Namespace names, sorted.
pub async fn list_namespaces(conn: &Connection) -> Result<Vec<String>, CoreError> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let params = ListParams::default().limit(PAGE_SIZE);
    let mut names: Vec<String> = list_all(conn, &api, params)
        .await?
        .into_iter()
        .filter_map(|ns| ns.metadata.name)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

async fn list_all<K>(
    conn: &Connection,
    api: &Api<K>,
    params: ListParams,
) -> Result<Vec<K>, CoreError>
where
    K: Clone + DeserializeOwned + std::fmt::Debug,
{
    let mut items = Vec::new();
    let mut params = params;
    loop {
        let page = api.list(&params).await.map_err(|e| conn.error(e))?;
        items.extend(page.items);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(items),
        }
    }
}
