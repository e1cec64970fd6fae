//! Elasticsearch / OpenSearch: the logs fluent-bit ships from Knative's pods.
//!
//! `query` builds `_search` bodies (time range, scope as pod labels, the user's Lucene text),
//! `client` sends them (PIT paging when the server has it), `answer` reads every answer and
//! error shape, `line` turns a fluent-bit document into a [`LogLine`] (level, trace id,
//! fields), `tail` makes successive polls into a stream with no duplicates and no gaps, and
//! `buffer` keeps a pane's lines bounded. Failures are [`BackendError`]s naming Elasticsearch
//! and where it is.

pub mod answer;
pub mod buffer;
pub mod client;
pub mod fields;
pub mod flatten;
pub mod level;
pub mod line;
pub mod locate;
pub mod page;
pub mod query;
pub mod tail;
pub mod trace;

pub use crate::backend::{Backend, BackendError, Failure};
pub use answer::{Product, ServerInfo, Total};
pub use buffer::{DEFAULT_CAPACITY, LogBuffer};
pub use client::{DEFAULT_INDICES, ElasticClient, PitSupport};
pub use level::Level;
pub use line::{LineParser, LogLine, MESSAGE_LIMIT, PodSource};
pub use locate::{WELL_KNOWN, locate};
pub use page::{Histogram, LogPage, TopValues};
pub use query::{LogQuery, Order, Scope};
pub use tail::{Step, Tail};
