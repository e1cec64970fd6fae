//! Metering of a namespace or the whole cluster over a period, read the one way both
//! `funcdeck usage` and the console's usage view read it: what Prometheus says each revision
//! did, priced with the requests of the revisions as they are now (a deleted revision's are
//! unknown, so its GB- and CPU-seconds are too). One place, so the two can never disagree.

use std::collections::HashMap;
use std::time::Duration;

use super::PrometheusClient;
use super::dialect::Dialect;
use super::metering::{FunctionUsage, Requests, TenantUsage, meter, revision_requests};
use super::reading;
use crate::CoreError;
use crate::cluster::Connection;
use crate::functions::NamespaceScope;

/// Pods are sampled this often for pod-seconds: fine enough for a bill, cheap over 30 days.
pub const STEP: Duration = Duration::from_secs(60);

/// Per function and per tenant, each sorted by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    pub functions: Vec<FunctionUsage>,
    pub tenants: Vec<TenantUsage>,
}

/// What `scope` used over the `since` before `now` (unix seconds).
pub async fn read_usage(
    conn: &Connection,
    prometheus: &PrometheusClient,
    dialect: &Dialect,
    scope: &NamespaceScope,
    since: Duration,
    now: f64,
) -> Result<Usage, CoreError> {
    let namespace = match scope {
        NamespaceScope::One(ns) => Some(ns.as_str()),
        NamespaceScope::All => None,
    };
    let (activity, revisions) = futures::try_join!(
        reading::activity(prometheus, dialect, namespace, since, STEP, now),
        crate::revisions::list_revisions(conn, scope, None)
    )?;
    let requests: HashMap<(String, String), Requests> = revisions
        .iter()
        .filter_map(|r| {
            let key = (r.metadata.namespace.clone()?, r.metadata.name.clone()?);
            Some((key, revision_requests(r)))
        })
        .collect();
    let (functions, tenants) = meter(&activity, &requests);
    Ok(Usage { functions, tenants })
}
