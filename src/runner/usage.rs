//! Metering for the Usage view: a period's invocations, pod-, GB- and CPU-seconds per function
//! and tenant, read from Prometheus as `funcdeck usage` reads them. Over 30 days that is an
//! expensive query, so it is read again only once a minute.

use std::sync::Arc;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::prometheus::usage::read_usage;
use tokio::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::Backends;
use super::metrics::{Found, now_seconds, with_prometheus};
use super::platform::repeat_every;
use crate::app::{Metered, Msg, Reply, Ticket};

/// How often an open Usage view reads again: a bill does not change by the second.
const INTERVAL: Duration = Duration::from_secs(60);

pub(super) fn poll(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    scope: NamespaceScope,
    since: Duration,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let found: Found = Arc::new(Mutex::new(None));
    repeat_every(INTERVAL, ticket, tx, move || {
        let (conn, backends, scope, found) = (
            conn.clone(),
            backends.clone(),
            scope.clone(),
            Arc::clone(&found),
        );
        async move {
            let read = with_prometheus(&conn, &backends, &found, async |prometheus, dialect| {
                let usage =
                    read_usage(&conn, prometheus, dialect, &scope, since, now_seconds()).await?;
                Ok(Metered {
                    source: prometheus.source().to_owned(),
                    era: dialect.era,
                    usage,
                })
            })
            .await;
            Reply::Usage(read)
        }
    })
}
