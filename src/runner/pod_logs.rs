//! A logs pane on a cluster without Elasticsearch: the pods' own logs, followed stern-style
//! (`funcdeck_core::podlogs`: every container of every pod of the function, pods picked up as
//! it scales out), each batch sent as a tail batch under the same bounded credits as the
//! Elasticsearch tail. There is no index to count over: the histogram and fields stay empty,
//! and the typed query is plain text matched in each line (as `funcdeck logs -q` does).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use funcdeck_core::cluster::Connection;
use funcdeck_core::elastic::Histogram;
use funcdeck_core::podlogs::{self, PodLogEvent, PodLogRequest, TextFilter};
use tokio::sync::Semaphore;

use super::logs::{FIRST_PAGE, IN_FLIGHT};
use crate::app::{Credit, LogFeed, LogSummary, LogTarget, LogsOpened, Reply};

/// Follows `target`'s pods until the pane is gone (a send fails) or the task is aborted.
pub(super) async fn follow(
    conn: &Connection,
    target: &LogTarget,
    text: &str,
    since: Duration,
    send: impl Fn(Reply) -> bool,
) {
    let request = PodLogRequest {
        revision: target.revision.clone(),
        since: Some(since),
        tail: Some(FIRST_PAGE),
        ..PodLogRequest::function(&target.key.namespace, &target.key.name)
    };
    let opened = LogsOpened {
        source: "the pods' logs (no Elasticsearch found)".to_owned(),
        lines: Vec::new(),
        summary: LogSummary {
            end: Utc::now(),
            histogram: Histogram {
                interval_s: 60,
                buckets: Vec::new(),
            },
            fields: Vec::new(),
        },
    };
    if !send(Reply::Logs(Ok(LogFeed::Opened(Box::new(opened))))) {
        return;
    }
    let filter = TextFilter::new(text);
    let mut live = podlogs::follow(conn, request);
    let credits = Arc::new(Semaphore::new(IN_FLIGHT));
    while let Some(event) = live.events.recv().await {
        let PodLogEvent::Lines(lines) = event else {
            continue;
        };
        let lines: Vec<_> = lines
            .into_iter()
            .filter(|line| target.pod.as_ref().is_none_or(|pod| line.pod == *pod))
            .filter(|line| filter.matches(line))
            .collect();
        if lines.is_empty() {
            continue;
        }
        // Waits here while the UI has IN_FLIGHT batches it has not taken yet.
        let Ok(permit) = Arc::clone(&credits).acquire_owned().await else {
            return;
        };
        let batch = LogFeed::Tail {
            lines,
            credit: Credit::new(permit),
        };
        if !send(Reply::Logs(Ok(batch))) {
            return;
        }
    }
}
