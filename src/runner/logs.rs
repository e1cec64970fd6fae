//! A logs pane's reads: Elasticsearch found (config, else through the service proxy), the first
//! read (the newest lines, counts over the window, the fields panel's top values, at once),
//! then a live tail polled every couple of seconds with `search_after` (no line twice, none
//! skipped: see `funcdeck_core::elastic::tail`), the histogram and fields read again now and
//! then. A failed poll is said (the pane goes stale) and the tail goes on from where it was, so
//! nothing is lost across the failure. A query Elasticsearch refuses is not asked again: it
//! waits for the user to change it. Where no Elasticsearch is found at all, the pane follows
//! the pods' own logs instead (`pod_logs`).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use funcdeck_core::backend::BackendError;
use funcdeck_core::cluster::Connection;
use funcdeck_core::elastic::{ElasticClient, LineParser, LogPage, LogQuery, Tail, locate};
use funcdeck_core::error::CoreError;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::Backends;
use crate::app::logs::PANEL_FIELDS;
use crate::app::{Credit, LogFeed, LogSummary, LogTarget, LogsOpened, Msg, Reply, Ticket};

/// How often the tail asks for new lines: what `kubectl logs -f` users are used to seeing.
pub const TAIL_EVERY: Duration = Duration::from_secs(2);
/// The histogram and fields are read again every this many polls (they move slowly).
const SUMMARY_EVERY: u32 = 8;
/// After a failure to find or open, the next try.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// Lines of the first read: the newest of the window.
pub const FIRST_PAGE: usize = 1000;
/// Histogram bars over the window.
const BUCKETS: usize = 60;
/// Values per field in the fields panel.
const TOP: usize = 5;
/// Tail batches the UI may have not yet taken (see `app::logs`).
pub(super) const IN_FLIGHT: usize = 2;

pub(super) fn poll(
    conn: Connection,
    backends: Backends,
    ticket: Ticket,
    target: LogTarget,
    text: String,
    since: Duration,
    tx: UnboundedSender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let send = |reply: Reply| {
            tx.send(Msg::Reply {
                ticket,
                reply: Box::new(reply),
            })
            .is_ok()
        };
        let base = LogQuery::new(target.scope()).with_text(&text);
        loop {
            match open(&conn, &backends, &base, since).await {
                Ok(open) => {
                    let Open {
                        client,
                        tail,
                        parser,
                        opened,
                    } = open;
                    if send(Reply::Logs(Ok(LogFeed::Opened(Box::new(opened))))) {
                        follow(client, tail, parser, &base, since, send).await;
                    }
                    return;
                }
                Err(CoreError::Backend(BackendError::NotFound { .. })) => {
                    super::pod_logs::follow(&conn, &target, &text, since, send).await;
                    return;
                }
                Err(error) => {
                    let refused = is_bad_query(&error);
                    if !send(Reply::Logs(Err(error))) || refused {
                        return;
                    }
                }
            }
            tokio::time::sleep(RETRY_AFTER).await;
        }
    })
}

struct Open {
    client: ElasticClient,
    tail: Tail,
    parser: LineParser,
    opened: LogsOpened,
}

async fn open(
    conn: &Connection,
    backends: &Backends,
    base: &LogQuery,
    since: Duration,
) -> Result<Open, CoreError> {
    let config = backends.elasticsearch_for(&conn.context);
    let client = locate(config.as_ref(), Some(&conn.client))
        .await?
        .with_indices(backends.elasticsearch_indices_for(&conn.context));
    client.ready().await?;
    let end = Utc::now();
    let from = end - chrono::Duration::from_std(since).unwrap_or(chrono::Duration::hours(1));
    let window = base
        .clone()
        .with_range(Some(from), Some(end))
        .with_size(FIRST_PAGE);
    let mut parser = LineParser::default();
    let (page, histogram, fields) = tokio::try_join!(
        client.search_with(&window, &mut parser),
        client.histogram(&window, BUCKETS),
        client.top_values(&window, PANEL_FIELDS, TOP),
    )?;
    // The tail starts at the window's start and knows the first page's lines, so its first
    // poll (from the newest of them less its overlap) brings none of them again.
    let mut tail = Tail::new(from);
    let mut lines = tail.accept(LogPage { next: None, ..page }).lines;
    lines.reverse();
    Ok(Open {
        opened: LogsOpened {
            source: client.source(),
            lines,
            summary: LogSummary {
                end,
                histogram,
                fields,
            },
        },
        client,
        tail,
        parser,
    })
}

/// Polls until the pane is gone (a send fails) or the task is aborted.
async fn follow(
    client: ElasticClient,
    mut tail: Tail,
    mut parser: LineParser,
    base: &LogQuery,
    since: Duration,
    send: impl Fn(Reply) -> bool,
) {
    let credits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut failing = false;
    for polls in 1u32.. {
        tokio::time::sleep(TAIL_EVERY).await;
        // Waits here while the UI has IN_FLIGHT batches it has not taken yet.
        let Ok(permit) = Arc::clone(&credits).acquire_owned().await else {
            return;
        };
        let reply = match client.poll(&mut tail, base, &mut parser).await {
            // Nothing new and nothing to clear: no message, no redraw.
            Ok(lines) if lines.is_empty() && !failing => None,
            Ok(lines) => Some(Ok(LogFeed::Tail {
                lines,
                credit: Credit::new(permit),
            })),
            Err(error) => Some(Err(error.into())),
        };
        if let Some(reply) = reply {
            failing = reply.is_err();
            if !send(Reply::Logs(reply)) {
                return;
            }
        }
        if polls % SUMMARY_EVERY == 0 && !failing {
            let reply = summary(&client, base, since)
                .await
                .map(|s| LogFeed::Summary(Box::new(s)));
            if !send(Reply::Logs(reply)) {
                return;
            }
        }
    }
}

async fn summary(
    client: &ElasticClient,
    base: &LogQuery,
    since: Duration,
) -> Result<LogSummary, CoreError> {
    let end = Utc::now();
    let from = end - chrono::Duration::from_std(since).unwrap_or(chrono::Duration::hours(1));
    let window = base.clone().with_range(Some(from), Some(end));
    let (histogram, fields) = tokio::try_join!(
        client.histogram(&window, BUCKETS),
        client.top_values(&window, PANEL_FIELDS, TOP),
    )?;
    Ok(LogSummary {
        end,
        histogram,
        fields,
    })
}

/// Elasticsearch refused the query itself: asking again would only be refused again.
fn is_bad_query(error: &CoreError) -> bool {
    crate::app::logs::refusal(error).is_some()
}
