//! Prometheus: its HTTP API's wire format, a client for the queries funcdeck makes, and how
//! the endpoint is found (config first, then the well-known Services in the cluster); on top,
//! Knative's metrics in both eras (`dialect`), and what funcdeck reads with them: a function's
//! charts and figures, and metering (`usage`: a period of it for a namespace or the cluster).
//!
//! Failures are [`BackendError`]s naming Prometheus and where it is.

pub mod client;
pub mod dialect;
pub mod envelope;
pub mod figures;
pub mod locate;
pub mod metering;
pub mod pulse;
pub mod reading;
pub mod series;
pub mod source;
pub mod usage;
pub mod wire;

pub use crate::backend::{Backend, BackendError, Failure};
pub use client::{Answer, PrometheusClient};
pub use locate::{WELL_KNOWN, locate};
pub use wire::{
    HistogramBucket, HistogramPoint, InstantSeries, Labels, QueryData, RangeSeries, Sample,
    StringSample,
};
