//! The one trace model both Jaeger APIs are read into, and what every pane and command works on.
//!
//! Times are microseconds since the epoch (the classic API's unit; OTLP nanoseconds are divided
//! down, which loses nothing a waterfall can show). Ids are lowercase hex as sent. A span keeps
//! its parent as an id; [`super::tree::SpanTree`] resolves ids to positions once per trace.
//!
//! The model serializes as `funcdeck trace -o json` prints it: snake_case fields, tags as
//! `[{key, value}]` in the backend's order, the kind as a word (`null` when unspecified).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A span id as the backend sent it, lowercased (hex in both APIs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SpanId(String);

/// A trace id as the backend sent it, lowercased. The classic API may send 16 hex digits where
/// v3 sends 32 with leading zeros; [`TraceId::same`] compares them as numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TraceId(String);

macro_rules! hex_id {
    ($name:ident) => {
        impl $name {
            pub fn new(id: &str) -> Self {
                Self(id.trim().to_ascii_lowercase())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether it is hex digits only (what a URL path may carry unescaped).
            pub fn is_hex(&self) -> bool {
                !self.0.is_empty() && self.0.bytes().all(|b| b.is_ascii_hexdigit())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
    };
}

hex_id!(SpanId);
hex_id!(TraceId);

impl TraceId {
    /// The same trace, whether written with 16 or 32 digits.
    pub fn same(&self, other: &TraceId) -> bool {
        self.0.trim_start_matches('0') == other.0.trim_start_matches('0')
    }
}

/// A tag (classic) or attribute (OTLP) value, typed as the backend typed it. In JSON: the
/// value itself (a non-finite float becomes `null`, a map an object).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TagValue {
    Str(String),
    Bool(bool),
    /// int64, also when it travelled as a JSON string (beyond 2^53).
    Int(i64),
    Float(f64),
    /// Base64 as sent.
    Binary(String),
    Array(Vec<TagValue>),
    /// An OTLP `kvlistValue`.
    Map(#[serde(serialize_with = "as_object")] Vec<(String, TagValue)>),
}

impl fmt::Display for TagValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Str(s) | Self::Binary(s) => f.write_str(s),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) => write!(f, "{x}"),
            Self::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Self::Map(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// OTLP's span kinds; the classic API carries them as the `span.kind` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SpanKind {
    #[default]
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl SpanKind {
    /// OTLP's enum number (`kind` in OTLP JSON).
    pub fn from_otlp(n: i64) -> Self {
        match n {
            1 => Self::Internal,
            2 => Self::Server,
            3 => Self::Client,
            4 => Self::Producer,
            5 => Self::Consumer,
            _ => Self::Unspecified,
        }
    }

    /// The classic `span.kind` tag, or OTLP's enum name (`SPAN_KIND_SERVER`).
    pub fn from_word(word: &str) -> Self {
        let word = word.to_ascii_lowercase();
        match word.strip_prefix("span_kind_").unwrap_or(&word) {
            "internal" => Self::Internal,
            "server" => Self::Server,
            "client" => Self::Client,
            "producer" => Self::Producer,
            "consumer" => Self::Consumer,
            _ => Self::Unspecified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unspecified => "",
            Self::Internal => "internal",
            Self::Server => "server",
            Self::Client => "client",
            Self::Producer => "producer",
            Self::Consumer => "consumer",
        }
    }
}

/// A classic log or an OTLP event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub time_us: i64,
    /// OTLP's event name, or the classic log's `event` field; may be empty.
    pub name: String,
    #[serde(serialize_with = "key_values")]
    pub fields: Vec<(String, TagValue)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    #[serde(rename = "span_id")]
    pub id: SpanId,
    /// The CHILD_OF reference in the same trace (else the first FOLLOWS_FROM), or OTLP's
    /// `parentSpanId`. The span it names may be missing from the trace (an orphan).
    #[serde(rename = "parent_id")]
    pub parent: Option<SpanId>,
    pub trace_id: TraceId,
    pub service: String,
    pub operation: String,
    pub start_us: i64,
    /// Never negative.
    pub duration_us: i64,
    #[serde(serialize_with = "kind_word")]
    pub kind: SpanKind,
    /// An `error=true` tag, `otel.status_code=ERROR`, or OTLP status code 2.
    pub error: bool,
    #[serde(serialize_with = "key_values")]
    pub tags: Vec<(String, TagValue)>,
    pub events: Vec<Event>,
    /// The process (classic) or resource (OTLP) attributes, `service.name` left out.
    #[serde(serialize_with = "key_values")]
    pub process_tags: Vec<(String, TagValue)>,
    /// Warnings the backend attached to the span.
    pub warnings: Vec<String>,
}

impl Span {
    pub fn end_us(&self) -> i64 {
        self.start_us.saturating_add(self.duration_us)
    }

    pub fn start(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_micros(self.start_us)
    }

    /// The span's own tag `key`, else its process tag.
    pub fn tag(&self, key: &str) -> Option<&TagValue> {
        self.tags
            .iter()
            .chain(&self.process_tags)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Trace {
    #[serde(rename = "trace_id")]
    pub id: TraceId,
    pub spans: Vec<Span>,
    /// The backend's warnings and ours (spans skipped as unreadable, with the reason).
    pub warnings: Vec<String>,
}

impl Trace {
    /// The earliest span start (0 without spans).
    pub fn start_us(&self) -> i64 {
        self.spans.iter().map(|s| s.start_us).min().unwrap_or(0)
    }

    pub fn end_us(&self) -> i64 {
        self.spans.iter().map(Span::end_us).max().unwrap_or(0)
    }

    /// From the first span's start to the last span's end.
    pub fn duration_us(&self) -> i64 {
        self.end_us().saturating_sub(self.start_us()).max(0)
    }

    pub fn start(&self) -> Option<DateTime<Utc>> {
        (!self.spans.is_empty())
            .then(|| DateTime::from_timestamp_micros(self.start_us()))
            .flatten()
    }

    /// The span with no parent that starts first; without one (every span names a parent),
    /// the span whose parent is missing that starts first.
    pub fn root(&self) -> Option<&Span> {
        let earliest = |a: &&Span, b: &&Span| a.start_us.cmp(&b.start_us);
        self.spans
            .iter()
            .filter(|s| s.parent.is_none())
            .min_by(earliest)
            .or_else(|| {
                let ids: std::collections::HashSet<&SpanId> =
                    self.spans.iter().map(|s| &s.id).collect();
                self.spans
                    .iter()
                    .filter(|s| s.parent.as_ref().is_some_and(|p| !ids.contains(p)))
                    .min_by(earliest)
            })
    }

    pub fn has_span(&self, id: &SpanId) -> bool {
        self.spans.iter().any(|s| &s.id == id)
    }

    /// How many spans are marked as errors.
    pub fn error_count(&self) -> usize {
        self.spans.iter().filter(|s| s.error).count()
    }

    /// The services in order of first appearance.
    pub fn services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for span in &self.spans {
            if !out.contains(&span.service.as_str()) {
                out.push(&span.service);
            }
        }
        out
    }
}

/// Tags as `[{"key": …, "value": …}]`: keys may repeat, and order is the backend's.
fn key_values<S: Serializer>(pairs: &[(String, TagValue)], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct KeyValue<'a> {
        key: &'a str,
        value: &'a TagValue,
    }
    let mut seq = s.serialize_seq(Some(pairs.len()))?;
    for (key, value) in pairs {
        seq.serialize_element(&KeyValue { key, value })?;
    }
    seq.end()
}

fn as_object<S: Serializer>(pairs: &[(String, TagValue)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (key, value) in pairs {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

fn kind_word<S: Serializer>(kind: &SpanKind, s: S) -> Result<S::Ok, S::Error> {
    match kind {
        SpanKind::Unspecified => s.serialize_none(),
        other => s.serialize_str(other.as_str()),
    }
}
