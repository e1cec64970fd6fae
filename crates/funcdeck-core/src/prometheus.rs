//! Prometheus: the dialects of Knative's metrics.

pub mod dialect;
pub mod figures;
pub mod metering;
pub mod reading;
pub mod series;
