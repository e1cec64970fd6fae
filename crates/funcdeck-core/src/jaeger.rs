//! Jaeger: both query APIs' wire formats read into one trace model, a client that speaks v3
//! and falls back to the classic API, how the endpoint is found, and what funcdeck reads in a
//! trace: the span tree, waterfall rows, the critical path, Knative cold starts, a comparison
//! of two traces and a search within one. The analysis is pure (no I/O), so the TUI and the
//! CLI share it and tests run without a server.
//!
//! Text in the model (service and operation names, tags) is kept as the backend sent it; the
//! display sanitizes it (`crate::text::sanitize`), `-o json` prints it escaped.
//! Failures are [`BackendError`]s naming Jaeger and where it is.

pub mod answer;
pub mod classic;
pub mod client;
pub mod compare;
pub mod critical;
pub mod find;
pub mod function;
pub mod knative;
pub mod locate;
pub mod model;
pub mod otlp;
pub mod query;
pub mod summary;
pub mod tree;
pub mod waterfall;

pub use crate::backend::{Backend, BackendError, Failure};
pub use client::{Api, JaegerClient};
pub use locate::{WELL_KNOWN, locate};
pub use model::{Event, Span, SpanId, SpanKind, TagValue, Trace, TraceId};
pub use query::TraceQuery;
pub use summary::{ColdStartStats, TraceSummary, TracesReport};
pub use tree::SpanTree;

#[cfg(test)]
mod tests;
