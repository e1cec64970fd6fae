//! A function's logs straight from its pods, for clusters without a log backend: what
//! `kubectl logs` gives for one container, for every container of every pod of a function
//! (or of one revision), the way stern follows them — pods are picked up as the function
//! scales out and let go as it scales in.
//!
//! Lines are [`LogLine`]s, the same shape the Elasticsearch path gives (level and trace id
//! detected alike), so a pane or `funcdeck logs` shows either without caring which. The
//! kubelet is asked for `timestamps=true` and the RFC3339 prefix becomes the line's time;
//! the kubelet does not say which stream a line came from, so `stream` is empty. Messages
//! stay raw (escape sequences and all; invalid UTF-8 replaced) for display-time
//! [`crate::text::reveal`]; a huge line is cut at [`MESSAGE_LIMIT`] with the same marker.
//!
//! Two ways in:
//! - [`read`]: one-shot. Every started container's log (`sinceSeconds`, `tailLines`), merged
//!   by time, the newest [`PodLogRequest::tail`] kept.
//! - [`follow`]: a live stream for a pane or `-f`. It returns a [`PodLogFollow`]: a bounded
//!   `tokio::sync::mpsc::Receiver<PodLogEvent>` of batches (at most [`BATCH`] lines each,
//!   [`CHANNEL`] batches queued: a slow reader slows the pods' streams, nothing piles up) and
//!   a [`FollowHandle`] that stops everything — the pod watch and every per-container task —
//!   when dropped. Pods present when it starts get `tail` lines of history each; pods that
//!   appear later are read from their start. At most [`MAX_STREAMS`] containers are followed
//!   at once. A stream cut short (a read timeout on a quiet container, a network blip) is
//!   resumed from its last line's time, without repeating lines, while the container runs.
//!
//! ```ignore
//! let mut live = podlogs::follow(&conn, PodLogRequest::function("shop", "cart"));
//! while let Some(event) = live.events.recv().await {
//!     if let PodLogEvent::Lines(batch) = event { /* append to the pane's LogBuffer */ }
//! }
//! // dropping `live` (or `live.handle`) ends the watch and every stream
//! ```

mod filter;
mod follow;
mod once;
mod reader;

use std::time::Duration;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Pod;

use crate::elastic::{LineParser, LogLine, MESSAGE_LIMIT, PodSource};

pub use filter::TextFilter;
pub use follow::{BATCH, CHANNEL, FollowHandle, MAX_STREAMS, PodLogEvent, PodLogFollow, follow};
pub use once::{PodLogs, read};
pub use reader::{LineReader, RawLine, split_timestamp};

/// Lines per container when a request names no tail: a bound, not a choice.
pub const DEFAULT_TAIL: usize = 10_000;

/// Whose logs, from when, how many.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodLogRequest {
    pub namespace: String,
    /// The Knative Service (`serving.knative.dev/service`).
    pub function: String,
    /// Only this revision's pods (`serving.knative.dev/revision`).
    pub revision: Option<String>,
    /// Only this container (default: every container: `user-container`, `queue-proxy`, …).
    pub container: Option<String>,
    /// Only lines this recent (`sinceSeconds`).
    pub since: Option<Duration>,
    /// [`read`]: the newest this many lines in all. [`follow`]: this many lines of history
    /// per container present at the start (`tailLines`). Default [`DEFAULT_TAIL`].
    pub tail: Option<usize>,
}

impl PodLogRequest {
    pub fn function(namespace: &str, function: &str) -> Self {
        Self {
            namespace: namespace.to_owned(),
            function: function.to_owned(),
            ..Self::default()
        }
    }

    /// The pods' label selector.
    pub fn selector(&self) -> String {
        let mut selector = crate::labels::function_selector(&self.function);
        if let Some(revision) = &self.revision {
            selector.push_str(&format!(",{}={revision}", crate::labels::REVISION));
        }
        selector
    }

    fn since_seconds(&self) -> Option<i64> {
        self.since
            .map(|d| i64::try_from(d.as_secs().max(1)).unwrap_or(i64::MAX))
    }

    fn tail_lines(&self) -> usize {
        self.tail.unwrap_or(DEFAULT_TAIL).max(1)
    }
}

/// A container of a pod whose log can be read now: it has started at least once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Started {
    pub pod: String,
    pub container: String,
    /// Its restart count: which run the kubelet serves.
    pub run: i32,
    pub running: bool,
}

/// The containers of `pod` (in spec order, narrowed to `only` when given) that have a log.
pub(crate) fn started(pod: &Pod, only: Option<&str>) -> Vec<Started> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let statuses = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or_default();
    let spec = pod.spec.as_ref().map(|s| s.containers.as_slice());
    spec.unwrap_or_default()
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.name))
        .filter_map(|c| {
            let status = statuses.iter().find(|s| s.name == c.name)?;
            let state = status.state.as_ref();
            let running = state.is_some_and(|s| s.running.is_some());
            let ran = state.is_some_and(|s| s.terminated.is_some())
                || status
                    .last_state
                    .as_ref()
                    .is_some_and(|s| s.terminated.is_some());
            (running || ran).then(|| Started {
                pod: name.clone(),
                container: c.name.clone(),
                run: status.restart_count,
                running,
            })
        })
        .collect()
}

/// Turns raw lines of one container into [`LogLine`]s.
pub(crate) struct Lines<'a> {
    pub namespace: &'a str,
    pub from: &'a Started,
    pub parser: LineParser,
    pub seq: u64,
    /// The last time seen: a line without a readable prefix borrows it.
    pub last: Option<DateTime<Utc>>,
}

impl<'a> Lines<'a> {
    pub fn new(namespace: &'a str, from: &'a Started) -> Self {
        Self {
            namespace,
            from,
            parser: LineParser::new(MESSAGE_LIMIT),
            seq: 0,
            last: None,
        }
    }

    pub fn line(&mut self, raw: &RawLine) -> LogLine {
        let (at, text) = split_timestamp(&raw.bytes);
        let timestamp = at.or(self.last).unwrap_or_else(Utc::now);
        self.last = Some(timestamp);
        self.seq += 1;
        let id = format!(
            "{}/{}/{}/{}",
            self.from.pod, self.from.container, self.from.run, self.seq
        );
        let source = PodSource {
            namespace: self.namespace,
            pod: &self.from.pod,
            container: &self.from.container,
            timestamp,
        };
        let text = String::from_utf8_lossy(text);
        self.parser.parse_pod(id, &source, &text, raw.dropped)
    }
}

/// Oldest first; equal times keep pod, container, then read order.
pub fn merge(lines: &mut [LogLine]) {
    lines.sort_by(|a, b| {
        (a.timestamp, &a.pod, &a.container).cmp(&(b.timestamp, &b.pod, &b.container))
    });
}

#[cfg(test)]
mod tests;
