//! Metering for the Usage view: a period's invocations, pod-, GB- and CPU-seconds per function
//! and tenant, read from Prometheus as `funcdeck usage` reads them. Over 30 days that is an
//! expensive query, so it is read again only once a minute; a failed read (Prometheus not up
//! yet, or not scraping Knative yet) is tried again sooner.

use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::functions::NamespaceScope;
use funcdeck_core::prometheus::usage::read_usage;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::Backends;
use super::metrics::{Found, now};
use super::platform::repeat_paced;
use crate::app::{Metered, Msg, Reply, Ticket};

/// How often an open Usage view reads again: a bill does not change by the second.
const INTERVAL: Duration = Duration::from_secs(60);
/// How soon a failed read is tried again.
const RETRY: Duration = Duration::from_secs(10);

fn pace(reply: &Reply) -> Duration {
    match reply {
        Reply::Usage(Err(_)) => RETRY,
        _ => INTERVAL,
    }
}

pub(super) fn poll(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    scope: NamespaceScope,
    since: Duration,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let found = Found::default();
    repeat_paced(pace, ticket, tx, move || {
        let (conn, backends, scope, found) =
            (conn.clone(), backends.clone(), scope.clone(), found.clone());
        async move {
            let read = found
                .read(&conn, &backends, async |prometheus, dialect| {
                    let usage =
                        read_usage(&conn, prometheus, dialect, &scope, since, now()).await?;
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

#[cfg(test)]
mod tests {
    use funcdeck_core::error::CoreError;

    use super::*;

    #[test]
    fn a_failed_read_is_tried_again_sooner_than_a_good_one_is_refreshed() {
        assert_eq!(pace(&Reply::Usage(Err(CoreError::NotConnected))), RETRY);
        assert_eq!(
            pace(&Reply::Usage(Ok(Metered {
                source: "s".into(),
                era: funcdeck_core::prometheus::dialect::Era::OpenTelemetry,
                usage: Default::default(),
            }))),
            INTERVAL
        );
        assert!(RETRY < INTERVAL);
    }
}
