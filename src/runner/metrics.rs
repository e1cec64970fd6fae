//! Reads from Prometheus that repeat while a view is open: a function's charts for the metrics
//! pane, and every function's pulse for the Functions list. Prometheus is found (config, else
//! through the cluster) and its dialect read once per view, and found again after a failure,
//! so a Prometheus that moves or comes up later is picked up without a reconnect.

use std::sync::Arc;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::error::CoreError;
use funcdeck_core::key::ObjectKey;
use funcdeck_core::prometheus::dialect::{Dialect, Scope, Selector};
use funcdeck_core::prometheus::pulse::{PulseWindow, Pulses, read_pulses};
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
/// How often the list's pulse is read again: its points are a minute apart.
const PULSE_INTERVAL: Duration = Duration::from_secs(15);
/// Points across a chart.
const POINTS: u64 = 120;
/// Never finer than Prometheus' usual scrape interval allows.
const MIN_STEP: u64 = 15;

/// The Prometheus a view reads from, once found.
#[derive(Clone, Default)]
pub(super) struct Found(Arc<Mutex<Option<(PrometheusClient, Dialect)>>>);

impl Found {
    /// Runs `read` on the Prometheus (finding it first if need be); after a failure it is
    /// looked for again next time: it may have moved, or a config been fixed.
    pub(super) async fn read<T, F>(
        &self,
        conn: &Connection,
        backends: &Backends,
        read: F,
    ) -> Result<T, CoreError>
    where
        F: AsyncFnOnce(&PrometheusClient, &Dialect) -> Result<T, CoreError>,
    {
        let mut slot = self.0.lock().await;
        let result = match slot.as_ref() {
            Some((prometheus, dialect)) => read(prometheus, dialect).await,
            None => match connect(conn, backends).await {
                Ok(found) => {
                    let result = read(&found.0, &found.1).await;
                    *slot = Some(found);
                    result
                }
                Err(error) => Err(error),
            },
        };
        if result.is_err() {
            *slot = None;
        }
        result
    }
}

pub(super) fn poll(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    (key, revision): (ObjectKey, Option<String>),
    range: Duration,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let found = Found::default();
    let selector = Selector {
        namespace: key.namespace,
        function: key.name,
        revision,
    };
    repeat_every(INTERVAL, ticket, tx, move || {
        let (conn, backends, selector, found) = (
            conn.clone(),
            backends.clone(),
            selector.clone(),
            found.clone(),
        );
        async move {
            let charts = found
                .read(&conn, &backends, async |prometheus, dialect| {
                    charts(prometheus, dialect, &selector, range).await
                })
                .await;
            Reply::Metrics(charts)
        }
    })
}

async fn charts(
    prometheus: &PrometheusClient,
    dialect: &Dialect,
    selector: &Selector,
    range: Duration,
) -> Result<FunctionCharts, CoreError> {
    let step = Duration::from_secs((range.as_secs() / POINTS).max(MIN_STEP));
    reading::function_charts(
        prometheus,
        dialect,
        prometheus.source().to_owned(),
        selector,
        range,
        step,
        now(),
    )
    .await
}

/// Reads the pulse of every function (or revision) in `scope` now and every
/// [`PULSE_INTERVAL`].
pub(super) fn poll_pulse(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    scope: Scope,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let found = Found::default();
    repeat_every(PULSE_INTERVAL, ticket, tx, move || {
        let (conn, backends, scope, found) =
            (conn.clone(), backends.clone(), scope.clone(), found.clone());
        async move {
            let pulses = found
                .read(&conn, &backends, async |prometheus, dialect| {
                    pulses(prometheus, dialect, &scope).await
                })
                .await;
            Reply::Pulse(pulses)
        }
    })
}

async fn pulses(
    prometheus: &PrometheusClient,
    dialect: &Dialect,
    scope: &Scope,
) -> Result<Pulses, CoreError> {
    let source = prometheus.source().to_owned();
    read_pulses(
        prometheus,
        dialect,
        source,
        scope,
        PulseWindow::default(),
        now(),
    )
    .await
}

/// Now, in unix seconds.
pub(super) fn now() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
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
