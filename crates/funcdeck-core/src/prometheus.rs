//! Prometheus: the dialects of Knative's metrics.

pub mod dialect;
pub mod figures;
pub mod metering;
