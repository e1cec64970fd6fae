//! Paged lists (`limit`/`continue`), so a namespace with thousands of objects never arrives as
//! one giant response, with a bound on the whole list so a CLI call cannot hang forever even
//! when every page answers just inside the per-read timeout.

use std::time::Duration;

use kube::Api;
use kube::api::ListParams;
use serde::de::DeserializeOwned;

use crate::CoreError;
use crate::cluster::Connection;

pub(crate) const PAGE_SIZE: u32 = 500;
/// Time allowed for a whole paged list.
const LIST_TIMEOUT: Duration = Duration::from_secs(60);

/// List parameters for one page, with an optional label selector (empty means none).
pub(crate) fn params(label_selector: Option<&str>) -> ListParams {
    let params = ListParams::default().limit(PAGE_SIZE);
    match label_selector.filter(|s| !s.is_empty()) {
        Some(selector) => params.labels(selector),
        None => params,
    }
}

/// Every object `api` lists with `params`, following continue tokens.
pub(crate) async fn list_all<K>(
    conn: &Connection,
    api: &Api<K>,
    params: ListParams,
) -> Result<Vec<K>, CoreError>
where
    K: Clone + DeserializeOwned + std::fmt::Debug,
{
    let pages = async {
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
    };
    match tokio::time::timeout(LIST_TIMEOUT, pages).await {
        Ok(result) => result,
        Err(_) => Err(CoreError::Unreachable {
            server: conn.cluster.clone(),
            reason: format!("the list took longer than {}s", LIST_TIMEOUT.as_secs()),
        }),
    }
}
