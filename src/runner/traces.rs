//! A function's traces, read again while the traces pane is open. Jaeger is found once per
//! view (config, else through the cluster's service proxy) and found again after a failure,
//! as Prometheus is for the metrics pane. The summaries (cold starts) are computed here, off
//! the UI thread: a search can bring back many spans.

use std::sync::Arc;
use std::time::Duration;

use funcdeck_core::cluster::Connection;
use funcdeck_core::error::CoreError;
use funcdeck_core::jaeger::function::function_traces;
use funcdeck_core::jaeger::knative::COLD_START_THRESHOLD;
use funcdeck_core::jaeger::{JaegerClient, TraceId, TraceQuery, TraceSummary, locate};
use funcdeck_core::key::ObjectKey;
use tokio::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::Backends;
use super::platform::repeat_every;
use crate::app::{Msg, Reply, Ticket, TraceFilter, TraceSearch};

/// How often the list is read again: new traces arrive with traffic, and a search is one
/// request per service of the function.
const INTERVAL: Duration = Duration::from_secs(15);
/// Traces asked for per search: enough for a scatter worth looking at. The pane's filters
/// (errors, cold starts, minimum duration) work on these, at once and without a new read.
pub const LIMIT: usize = 100;

/// The Jaeger a view reads from, once found.
#[derive(Clone, Default)]
struct Found(Arc<Mutex<Option<JaegerClient>>>);

/// What the pane asks Jaeger for: a function's traces of the last `since` that `filter` keeps.
#[derive(Debug, Clone)]
pub struct Ask {
    pub key: ObjectKey,
    pub since: Duration,
    pub filter: TraceFilter,
}

pub(super) fn poll(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    ask: Ask,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let found = Found::default();
    repeat_every(INTERVAL, ticket, tx, move || {
        let (conn, backends, ask, found) =
            (conn.clone(), backends.clone(), ask.clone(), found.clone());
        async move { Reply::Traces(read(&conn, &backends, &found, &ask).await) }
    })
}

async fn read(
    conn: &Connection,
    backends: &Backends,
    found: &Found,
    ask: &Ask,
) -> Result<TraceSearch, CoreError> {
    let mut slot = found.0.lock().await;
    let client = match slot.as_ref() {
        Some(client) => client.clone(),
        None => jaeger(conn, backends).await?,
    };
    let result = search(&client, ask).await;
    // After a failure Jaeger is looked for again: it may have moved, or a config been fixed.
    *slot = result.is_ok().then_some(client);
    result
}

/// The Jaeger of the connection's context: from the config, else found through the cluster.
async fn jaeger(conn: &Connection, backends: &Backends) -> Result<JaegerClient, CoreError> {
    let config = backends.jaeger_for(&conn.context);
    Ok(locate(config.as_ref(), Some(&conn.client)).await?)
}

/// One trace by its id, and where it came from (a 404 is `Failure::NotFound`, said as such).
pub(super) fn read_trace(
    conn: Option<Connection>,
    backends: Backends,
    ticket: Ticket,
    id: TraceId,
    tx: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match conn {
            Some(conn) => match jaeger(&conn, &backends).await {
                Ok(client) => match client.trace(&id).await {
                    Ok(trace) => Ok((trace, source(&client))),
                    Err(error) => Err(error.into()),
                },
                Err(error) => Err(error),
            },
            None => Err(CoreError::NotConnected),
        };
        let reply = Box::new(Reply::Trace(result));
        let _ = tx.send(Msg::Reply { ticket, reply });
    });
}

/// Where the traces came from: Jaeger's address and the API that answered.
fn source(client: &JaegerClient) -> String {
    match client.api() {
        Some(api) => format!("{} · {}", client.source(), api.label()),
        None => client.source().to_owned(),
    }
}

/// The traces asked for, newest first, with their summaries.
pub async fn search(client: &JaegerClient, ask: &Ask) -> Result<TraceSearch, CoreError> {
    let end = chrono::Utc::now();
    let key = &ask.key;
    let mut query = TraceQuery::recent(&key.name, ask.since, end);
    query.limit = LIMIT;
    query.operation = ask.filter.operation.clone();
    query.min_duration = ask.filter.min_duration;
    query.max_duration = ask.filter.max_duration;
    query.tags = ask.filter.tags.clone();
    let traces = function_traces(client, &key.namespace, &key.name, &query).await?;
    let summaries = traces
        .iter()
        .map(|t| TraceSummary::of(t, COLD_START_THRESHOLD))
        .collect();
    Ok(TraceSearch {
        source: source(client),
        end,
        traces,
        summaries,
    })
}
