//! What the logs pane asks the runner for and what comes back: whose logs, the first read
//! (lines, histogram, fields), then batches from the live tail.
//!
//! A tail can be fast (DESIGN.md §3: streams arrive batched on a bounded channel). The runner's
//! tail holds a [`Credit`] for each batch it sends and may have only a few out at once; a credit
//! comes back when the UI has dropped the batch (taken its lines), so a UI that falls behind
//! slows the polling down instead of piling batches up in the message queue.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use funcdeck_core::elastic::{Histogram, LogLine, TopValues};
use funcdeck_core::key::ObjectKey;

/// Whose logs: a function, one of its revisions, or one of its pods.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LogTarget {
    pub key: ObjectKey,
    pub revision: Option<String>,
    pub pod: Option<String>,
}

impl LogTarget {
    pub fn function(key: ObjectKey) -> Self {
        LogTarget {
            key,
            revision: None,
            pod: None,
        }
    }

    /// The Elasticsearch scope (pod labels as fluent-bit writes them).
    pub fn scope(&self) -> funcdeck_core::elastic::Scope {
        let mut scope =
            funcdeck_core::elastic::Scope::function(&self.key.namespace, &self.key.name);
        scope.revision.clone_from(&self.revision);
        scope.pod.clone_from(&self.pod);
        scope
    }

    /// For titles: `default/greeter`, `default/greeter · revision greeter-00002`, ….
    pub fn words(&self) -> String {
        let mut words = self.key.to_string();
        if let Some(revision) = &self.revision {
            words.push_str(&format!(" · revision {revision}"));
        }
        if let Some(pod) = &self.pod {
            words.push_str(&format!(" · pod {pod}"));
        }
        funcdeck_core::text::sanitize(&words).into_owned()
    }
}

/// The fields the fields panel counts values of (as the document names them).
pub const PANEL_FIELDS: &[&str] = &[
    funcdeck_core::elastic::fields::POD,
    funcdeck_core::elastic::fields::CONTAINER,
    funcdeck_core::elastic::fields::STREAM,
    funcdeck_core::elastic::fields::REVISION,
];

/// What one read of the logs brought.
#[derive(Debug, Clone)]
pub enum LogFeed {
    /// The first read for a query: where from, the newest lines (oldest first), counts over
    /// the window and the fields panel. Replaces what the pane showed.
    Opened(Box<LogsOpened>),
    /// New lines from the live tail, oldest first.
    Tail { lines: Vec<LogLine>, credit: Credit },
    /// The histogram and fields panel read again (the window moves with the clock).
    Summary(Box<LogSummary>),
}

#[derive(Debug, Clone)]
pub struct LogsOpened {
    /// Where Elasticsearch is (`Elasticsearch 8.15.0 at logging/elasticsearch:9200 …`).
    pub source: String,
    pub lines: Vec<LogLine>,
    pub summary: LogSummary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogSummary {
    /// The window's right edge when read.
    pub end: DateTime<Utc>,
    pub histogram: Histogram,
    pub fields: Vec<TopValues>,
}

/// A batch's place in the tail's bounded queue (see the module doc); cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct Credit {
    /// Held only to be dropped with the batch.
    _permit: Option<Arc<tokio::sync::OwnedSemaphorePermit>>,
}

impl Credit {
    pub fn new(permit: tokio::sync::OwnedSemaphorePermit) -> Self {
        Credit {
            _permit: Some(Arc::new(permit)),
        }
    }
}

/// The server's reason when it refused the query itself (a Lucene syntax error, an unknown
/// field type): worth showing as is, and not worth asking again.
pub fn refusal(error: &funcdeck_core::error::CoreError) -> Option<&str> {
    use funcdeck_core::backend::{BackendError, Failure};
    match error {
        funcdeck_core::error::CoreError::Backend(BackendError::Failed {
            reason: Failure::BadQuery { message },
            ..
        }) => Some(message),
        _ => None,
    }
}
