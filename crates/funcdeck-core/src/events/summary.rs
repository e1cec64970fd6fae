//! `EventSummary`: one row of an event table, like `kubectl get events`.

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Event;
use serde::Serialize;

use crate::condition::non_empty;
use crate::key::ObjectKey;
use crate::time::{from_micro, from_time};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventSummary {
    pub key: ObjectKey,
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub reason: Option<String>,
    /// `Kind/name` of the object the event is about.
    pub object: String,
    pub involved_kind: String,
    pub involved_name: String,
    pub involved_namespace: Option<String>,
    pub message: Option<String>,
    /// How many times it happened (`series.count`, else `count`, else 1).
    pub count: u32,
    pub first_seen: Option<DateTime<Utc>>,
    /// `lastTimestamp`, else `series.lastObservedTime`, else `eventTime`, else creation.
    pub last_seen: Option<DateTime<Utc>>,
    /// `source.component`, else `reportingController`.
    pub source: Option<String>,
}

impl EventSummary {
    /// Never panics: any missing part of a partial object just leaves its field empty.
    pub fn from_event(e: &Event) -> Self {
        let involved = &e.involved_object;
        let kind = involved.kind.clone().unwrap_or_default();
        let name = involved.name.clone().unwrap_or_default();
        let series = e.series.as_ref();
        let count = series
            .and_then(|s| s.count)
            .or(e.count)
            .and_then(|c| u32::try_from(c).ok())
            .filter(|c| *c > 0)
            .unwrap_or(1);
        let event_time = e.event_time.as_ref().and_then(from_micro);
        let created = e.metadata.creation_timestamp.as_ref().and_then(from_time);
        Self {
            key: ObjectKey::of(e),
            type_: non_empty(e.type_.as_deref()),
            reason: non_empty(e.reason.as_deref()),
            object: format!("{kind}/{name}"),
            involved_kind: kind,
            involved_name: name,
            involved_namespace: non_empty(involved.namespace.as_deref()),
            message: non_empty(e.message.as_deref()),
            count,
            first_seen: e
                .first_timestamp
                .as_ref()
                .and_then(from_time)
                .or(event_time)
                .or(created),
            last_seen: e
                .last_timestamp
                .as_ref()
                .and_then(from_time)
                .or_else(|| {
                    series
                        .and_then(|s| s.last_observed_time.as_ref())
                        .and_then(from_micro)
                })
                .or(event_time)
                .or(created),
            source: e
                .source
                .as_ref()
                .and_then(|s| non_empty(s.component.as_deref()))
                .or_else(|| non_empty(e.reporting_component.as_deref())),
        }
    }

    pub fn is_warning(&self) -> bool {
        self.type_.as_deref() == Some("Warning")
    }
}
