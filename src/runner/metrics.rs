//! A function's charts for the metrics pane, read again every few seconds: Prometheus is found
//! (config, else through the cluster) and its dialect read once per view, and found again after
//! a failure, so a Prometheus that moves or comes up later is picked up without a reconnect.

use std::sync::Arc;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::{Dialect, Selector};
use funcdeck_core::prometheus::series::FunctionCharts;
use funcdeck_core::prometheus::{PrometheusClient, locate, reading, source};
use tokio::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::Backends;
use super::platform::repeat_every;
use crate::app::{Msg, Reply, Ticket};

/// How often the pane's charts are read again: fresh enough for a live view, and a read is a
/// handful of queries.
const INTERVAL: Duration = Duration::from_secs(10);
/// Points across a chart.
const POINTS: u64 = 120;
/// Never finer than Prometheus' usual scrape interval allows.
const MIN_STEP: u64 = 15;

/// The Prometheus a view reads and the dialect it speaks; none until found, or after a failure.
pub(super) type Found = Arc<Mutex<Option<(PrometheusClient, Dialect)>>>;

pub(super) fn poll(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    key: ObjectKey,
    range: Duration,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let found: Found = Arc::new(Mutex::new(None));
    repeat_every(INTERVAL, ticket, tx, move || {
        let (conn, backends, key, found) = (
            conn.clone(),
            backends.clone(),
            key.clone(),
            Arc::clone(&found),
        );
        async move { Reply::Metrics(read(&conn, &backends, &key, range, &found).await) }
    })
}

async fn read(
    conn: &Connection,
    backends: &Backends,
    key: &ObjectKey,
    range: Duration,
    found: &Found,
) -> Result<FunctionCharts, CoreError> {
    let step = Duration::from_secs((range.as_secs() / POINTS).max(MIN_STEP));
    let selector = Selector {
        namespace: key.namespace.clone(),
        function: key.name.clone(),
        revision: None,
    };
    with_prometheus(conn, backends, found, async |prometheus, dialect| {
        reading::function_charts(
            prometheus,
            dialect,
            prometheus.source().to_owned(),
            &selector,
            range,
            step,
            now_seconds(),
        )
        .await
    })
    .await
}

pub(super) fn now_seconds() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
}

/// Runs `read` on the Prometheus found for the view, finding it first when there is none yet.
/// A failed read forgets it, so the next one looks again: it may have moved, or a config been
/// fixed.
pub(super) async fn with_prometheus<T>(
    conn: &Connection,
    backends: &Backends,
    found: &Found,
    read: impl AsyncFnOnce(&PrometheusClient, &Dialect) -> Result<T, CoreError>,
) -> Result<T, CoreError> {
    let mut slot = found.lock().await;
    if slot.is_none() {
        *slot = Some(connect(conn, backends).await?);
    }
    let Some((prometheus, dialect)) = slot.as_ref() else {
        return Err(CoreError::NotConnected);
    };
    let result = read(prometheus, dialect).await;
    if result.is_err() {
        *slot = None;
    }
    result
}

/// The context's Prometheus and the dialect it speaks.
async fn connect(
    conn: &Connection,
    backends: &Backends,
) -> Result<(PrometheusClient, Dialect), CoreError> {
    let config = backends.prometheus_for(&conn.context);
    let prometheus = locate(config.as_ref(), Some(&conn.client)).await?;
    let dialect = source::dialect_of(&prometheus, backends.era_for(&conn.context)).await?;
    Ok((prometheus, dialect))
}
