//! Timestamps from the API as chrono times, the one type the rest of funcdeck uses.

use chrono::{DateTime, Utc};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};

pub(crate) fn from_time(t: &Time) -> Option<DateTime<Utc>> {
    i64::try_from(t.0.as_nanosecond())
        .ok()
        .map(DateTime::from_timestamp_nanos)
}

pub(crate) fn from_micro(t: &MicroTime) -> Option<DateTime<Utc>> {
    i64::try_from(t.0.as_nanosecond())
        .ok()
        .map(DateTime::from_timestamp_nanos)
}

/// Times kept as text in the typed Knative structs (conditions).
pub(crate) fn parse_rfc3339(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
