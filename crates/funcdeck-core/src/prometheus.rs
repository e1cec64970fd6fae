//! Prometheus: its HTTP API's wire format, a client for the queries funcdeck makes, and how
//! the endpoint is found (config first, then the well-known Services in the cluster).
//!
//! Failures are [`BackendError`]s naming Prometheus and where it is; the Knative dialects
//! (metric names and PromQL per era) are built on top of this module, not in it.

pub mod client;
pub mod envelope;
pub mod locate;
pub mod wire;

pub use crate::backend::{Backend, BackendError, Failure};
pub use client::{Answer, PrometheusClient};
pub use locate::{WELL_KNOWN, locate};
pub use wire::{
    HistogramBucket, HistogramPoint, InstantSeries, Labels, QueryData, RangeSeries, Sample,
    StringSample,
};
