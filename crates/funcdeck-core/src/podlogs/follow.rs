//! The live side: a pod watch that starts and stops one task per container log, every task
//! sending batches into one bounded channel. One supervisor task owns the watch and a
//! `JoinSet` of the streams, so aborting it (dropping the [`FollowHandle`]) ends them all.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::{FutureExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::LogParams;
use kube::runtime::{WatchStreamExt, watcher};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};

use super::{LineReader, Lines, PodLogRequest, Started, started};
use crate::cluster::Connection;
use crate::elastic::{LogLine, MESSAGE_LIMIT};

/// Lines per batch at most.
pub const BATCH: usize = 512;
/// Batches queued at most before the streams wait for the reader.
pub const CHANNEL: usize = 64;
/// Containers followed at once at most (a function scaled to hundreds of pods is sampled).
pub const MAX_STREAMS: usize = 64;
/// Wait before resuming a stream that was cut short.
const RESUME_AFTER: Duration = Duration::from_secs(1);
/// Resumes in a row without a line before a stream is given up.
const MAX_RESUMES: u32 = 5;

#[derive(Debug, Clone, PartialEq)]
pub enum PodLogEvent {
    /// New lines of one container, oldest first.
    Lines(Vec<LogLine>),
    /// A container's log is followed from now on.
    Started { pod: String, container: String },
    /// A container's log ended: it stopped, its pod went (`reason` `None`), or it failed.
    Ended {
        pod: String,
        container: String,
        reason: Option<String>,
    },
    /// Worth saying, not fatal: the pod watch failing (it retries), too many containers.
    Notice(String),
}

/// What [`follow`] gives: the events, and the handle that keeps them coming.
pub struct PodLogFollow {
    pub events: mpsc::Receiver<PodLogEvent>,
    pub handle: FollowHandle,
}

/// Stops the pod watch and every container stream when dropped.
#[derive(Debug)]
pub struct FollowHandle {
    supervisor: AbortHandle,
}

impl Drop for FollowHandle {
    fn drop(&mut self) {
        self.supervisor.abort();
    }
}

/// Follows the logs `request` names (see the module doc). Must be called on a tokio runtime.
pub fn follow(conn: &Connection, request: PodLogRequest) -> PodLogFollow {
    let (tx, events) = mpsc::channel(CHANNEL);
    let task = tokio::spawn(supervise(conn.clone(), request, tx));
    PodLogFollow {
        events,
        handle: FollowHandle {
            supervisor: task.abort_handle(),
        },
    }
}

type Key = (String, String, i32);

async fn supervise(conn: Connection, request: PodLogRequest, tx: mpsc::Sender<PodLogEvent>) {
    let api: Api<Pod> = Api::namespaced(conn.watch_client.clone(), &request.namespace);
    let config = watcher::Config::default().labels(&request.selector());
    let mut pods = watcher(api, config).default_backoff().boxed();
    let mut tasks: JoinSet<Option<String>> = JoinSet::new();
    // Every run seen, so a finished one is not read again; the live ones have a handle.
    let mut runs: HashMap<Key, Option<AbortHandle>> = HashMap::new();
    let mut by_task: HashMap<tokio::task::Id, Key> = HashMap::new();
    // Pods of the first list get their history; later ones are new and read whole.
    let mut history = true;
    let mut warned = false;
    loop {
        let event = tokio::select! {
            event = pods.next() => event,
            Some(done) = tasks.join_next_with_id() => {
                let (id, reason) = match done {
                    Ok((id, reason)) => (id, reason),
                    Err(e) => (e.id(), None),
                };
                if let Some(key) = by_task.remove(&id) {
                    if let Some(slot) = runs.get_mut(&key) {
                        *slot = None;
                    }
                    let (pod, container, _) = key;
                    let ended = PodLogEvent::Ended { pod, container, reason };
                    if tx.send(ended).await.is_err() {
                        return;
                    }
                }
                continue;
            }
            () = tx.closed() => return,
        };
        let notice = match event {
            None => return,
            Some(Ok(watcher::Event::Apply(pod) | watcher::Event::InitApply(pod))) => {
                for from in started(&pod, request.container.as_deref()) {
                    let key = (from.pod.clone(), from.container.clone(), from.run);
                    if runs.contains_key(&key) {
                        continue;
                    }
                    if by_task.len() >= MAX_STREAMS {
                        if !warned {
                            warned = true;
                            let note = format!(
                                "following the first {MAX_STREAMS} containers only; name a revision to narrow it"
                            );
                            let _ = tx.send(PodLogEvent::Notice(note)).await;
                        }
                        continue;
                    }
                    let (tail, since) = match history {
                        true => (Some(request.tail_lines()), request.since_seconds()),
                        false => (None, None),
                    };
                    let started = PodLogEvent::Started {
                        pod: from.pod.clone(),
                        container: from.container.clone(),
                    };
                    let stream = stream_one(
                        conn.clone(),
                        request.namespace.clone(),
                        from,
                        tail,
                        since,
                        tx.clone(),
                    );
                    let handle = tasks.spawn(stream);
                    by_task.insert(handle.id(), key.clone());
                    runs.insert(key, Some(handle));
                    if tx.send(started).await.is_err() {
                        return;
                    }
                }
                None
            }
            Some(Ok(watcher::Event::Delete(pod))) => {
                let name = pod.metadata.name.unwrap_or_default();
                runs.retain(|(p, _, _), handle| {
                    if *p == name
                        && let Some(h) = handle
                    {
                        h.abort();
                    }
                    *p != name
                });
                None
            }
            Some(Ok(watcher::Event::Init)) => None,
            Some(Ok(watcher::Event::InitDone)) => {
                let first = std::mem::replace(&mut history, false);
                (first && runs.is_empty()).then(|| {
                    "no pods with a log now; waiting for the function to scale up".to_owned()
                })
            }
            Some(Err(e)) => Some(format!("watching the pods failed (retrying): {e}")),
        };
        if let Some(note) = notice
            && tx.send(PodLogEvent::Notice(note)).await.is_err()
        {
            return;
        }
    }
}

/// Follows one run of one container until it ends; the reason when it failed.
async fn stream_one(
    conn: Connection,
    namespace: String,
    from: Started,
    tail: Option<usize>,
    since: Option<i64>,
    tx: mpsc::Sender<PodLogEvent>,
) -> Option<String> {
    let api: Api<Pod> = Api::namespaced(conn.watch_client.clone(), &namespace);
    let mut lines = Lines::new(&namespace, &from);
    let mut last: Option<DateTime<Utc>> = None;
    let mut resumes = 0;
    loop {
        let mut params = LogParams {
            container: Some(from.container.clone()),
            follow: true,
            timestamps: true,
            ..LogParams::default()
        };
        match last {
            None => {
                params.tail_lines = tail.map(|t| t as i64);
                params.since_seconds = since;
            }
            // A second more than needed, and the lines already given skipped by time.
            Some(t) => params.since_seconds = Some((Utc::now() - t).num_seconds().max(0) + 2),
        }
        let before = last;
        let reason = match api.log_stream(&from.pod, &params).await {
            Err(e) => Some(conn.error(e).to_string()),
            Ok(stream) => pump(stream, &mut lines, &mut last, &tx).await,
        };
        if tx.is_closed() || !still_running(&conn, &namespace, &from).await {
            return reason;
        }
        resumes = if last == before { resumes + 1 } else { 1 };
        if resumes > MAX_RESUMES {
            return Some(reason.unwrap_or_else(|| "the log stream keeps ending".to_owned()));
        }
        tokio::time::sleep(RESUME_AFTER).await;
    }
}

/// Reads a stream to its end, sending what is there in batches; the error that ended it.
async fn pump(
    stream: impl futures::io::AsyncBufRead,
    lines: &mut Lines<'_>,
    last: &mut Option<DateTime<Utc>>,
    tx: &mpsc::Sender<PodLogEvent>,
) -> Option<String> {
    let mut stream = Box::pin(stream);
    let mut reader = LineReader::new(MESSAGE_LIMIT);
    // On a resumed stream, what was given before.
    let floor = *last;
    loop {
        let mut batch = Vec::new();
        let mut end = None;
        let mut next = reader.next_line(&mut stream).await;
        loop {
            match next {
                Ok(Some(raw)) => {
                    let line = lines.line(&raw);
                    if floor.is_none_or(|f| line.timestamp > f) {
                        *last = Some(line.timestamp);
                        batch.push(line);
                    }
                }
                Ok(None) => end = Some(None),
                Err(e) => end = Some(Some(format!("reading the log: {e}"))),
            }
            if end.is_some() || batch.len() >= BATCH {
                break;
            }
            // Whatever is already buffered goes in this batch; then send.
            match reader.next_line(&mut stream).now_or_never() {
                Some(more) => next = more,
                None => break,
            }
        }
        if !batch.is_empty() && tx.send(PodLogEvent::Lines(batch)).await.is_err() {
            return None;
        }
        if let Some(reason) = end {
            return reason;
        }
    }
}

/// The same run of the container still runs (a stream that ended was cut, not finished).
async fn still_running(conn: &Connection, namespace: &str, from: &Started) -> bool {
    let api: Api<Pod> = Api::namespaced(conn.client.clone(), namespace);
    match api.get_opt(&from.pod).await {
        Ok(Some(pod)) => started(&pod, Some(&from.container))
            .iter()
            .any(|c| c.run == from.run && c.running),
        Ok(None) => false,
        // Unknown: try again, bounded by the resume count.
        Err(_) => true,
    }
}
