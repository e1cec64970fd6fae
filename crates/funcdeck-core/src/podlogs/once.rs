//! One read of every started container's log, merged by time.

use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::LogParams;

use super::{LineReader, Lines, PodLogRequest, Started, merge, started};
use crate::CoreError;
use crate::cluster::Connection;
use crate::elastic::{LogLine, MESSAGE_LIMIT};
use crate::functions::NamespaceScope;

/// Containers read at the same time.
const PARALLEL: usize = 8;
/// Time allowed for one container's whole log.
const READ_WITHIN: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodLogs {
    /// Oldest first, at most the request's tail.
    pub lines: Vec<LogLine>,
    /// How many pods matched.
    pub pods: usize,
    /// Containers that could not be read, and why (`pod/container: reason`); the rest
    /// are still given.
    pub notes: Vec<String>,
}

/// Reads the logs `request` names (see the module doc).
pub async fn read(conn: &Connection, request: &PodLogRequest) -> Result<PodLogs, CoreError> {
    let selector = request.selector();
    let scope = NamespaceScope::One(request.namespace.clone());
    let mut pods: Vec<Pod> = crate::pods::list_pods(conn, &scope, Some(&selector)).await?;
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let containers: Vec<Started> = pods
        .iter()
        .flat_map(|p| started(p, request.container.as_deref()))
        .collect();
    let api: Api<Pod> = Api::namespaced(conn.client.clone(), &request.namespace);
    let reads = futures::stream::iter(containers.iter())
        .map(|c| read_one(conn, &api, request, c))
        .buffered(PARALLEL)
        .collect::<Vec<_>>()
        .await;
    let mut out = PodLogs {
        pods: pods.len(),
        ..PodLogs::default()
    };
    for (from, result) in containers.iter().zip(reads) {
        match result {
            Ok(lines) => out.lines.extend(lines),
            Err(reason) => out
                .notes
                .push(format!("{}/{}: {reason}", from.pod, from.container)),
        }
    }
    merge(&mut out.lines);
    let keep = request.tail_lines();
    out.lines.drain(..out.lines.len().saturating_sub(keep));
    Ok(out)
}

async fn read_one(
    conn: &Connection,
    api: &Api<Pod>,
    request: &PodLogRequest,
    from: &Started,
) -> Result<Vec<LogLine>, String> {
    let params = LogParams {
        container: Some(from.container.clone()),
        timestamps: true,
        since_seconds: request.since_seconds(),
        tail_lines: Some(request.tail_lines() as i64),
        ..LogParams::default()
    };
    let work = async {
        let stream = api
            .log_stream(&from.pod, &params)
            .await
            .map_err(|e| conn.error(e).to_string())?;
        let mut stream = Box::pin(stream);
        let mut reader = LineReader::new(MESSAGE_LIMIT);
        let mut lines = Lines::new(&request.namespace, from);
        let mut out = Vec::new();
        while let Some(raw) = reader
            .next_line(&mut stream)
            .await
            .map_err(|e| format!("reading the log: {e}"))?
        {
            out.push(lines.line(&raw));
        }
        Ok(out)
    };
    tokio::time::timeout(READ_WITHIN, work)
        .await
        .unwrap_or_else(|_| Err(format!("no end within {}s", READ_WITHIN.as_secs())))
}
