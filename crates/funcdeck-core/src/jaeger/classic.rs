//! The classic query API's JSON (`/api/traces`, Jaeger's UI model): a trace is its spans plus a
//! `processes` map that spans point into; times are microseconds; tags are typed, and an int64
//! beyond 2^53 travels as a JSON string.
//!
//! Spans are read one by one: a span that cannot be read (a field missing or of the wrong type,
//! a truncated record) is skipped with a warning on the trace instead of losing the whole trace.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::model::{Event, Span, SpanId, SpanKind, TagValue, Trace, TraceId};
use crate::backend::error::inert;

/// The envelope `{data, total, limit, offset, errors}` every classic answer comes in (errors
/// too, as text/plain).
#[derive(Debug, Deserialize)]
pub struct Envelope {
    #[serde(default)]
    pub data: Value,
    #[serde(default)]
    pub errors: Option<Vec<EnvelopeError>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnvelopeError {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub msg: String,
    #[serde(rename = "traceID", default)]
    pub trace_id: Option<String>,
}

#[derive(Deserialize)]
struct WireTrace {
    /// Required: it is what tells a trace from another list (dependencies, services).
    #[serde(rename = "traceID")]
    trace_id: String,
    #[serde(default)]
    spans: Option<Vec<Value>>,
    #[serde(default)]
    processes: Option<HashMap<String, Value>>,
    #[serde(default)]
    warnings: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct WireSpan {
    #[serde(rename = "traceID", default)]
    trace_id: String,
    #[serde(rename = "spanID")]
    span_id: String,
    #[serde(rename = "operationName", default)]
    operation: String,
    #[serde(default)]
    references: Option<Vec<WireRef>>,
    #[serde(rename = "startTime")]
    start: i64,
    duration: i64,
    #[serde(default)]
    tags: Option<Vec<WireTag>>,
    #[serde(default)]
    logs: Option<Vec<WireLog>>,
    #[serde(rename = "processID", default)]
    process_id: String,
    /// Older answers embed the process in the span.
    #[serde(default)]
    process: Option<WireProcess>,
    #[serde(default)]
    warnings: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct WireRef {
    #[serde(rename = "refType", default)]
    ref_type: String,
    #[serde(rename = "traceID", default)]
    trace_id: String,
    #[serde(rename = "spanID", default)]
    span_id: String,
}

#[derive(Deserialize)]
pub(crate) struct WireTag {
    key: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize)]
struct WireLog {
    #[serde(default)]
    timestamp: i64,
    #[serde(default)]
    fields: Option<Vec<WireTag>>,
}

#[derive(Deserialize)]
struct WireProcess {
    #[serde(rename = "serviceName", default)]
    service: String,
    #[serde(default)]
    tags: Option<Vec<WireTag>>,
}

/// The traces in a classic `data` array (`null` is none). An element that is not a trace
/// becomes an error: nothing of it can be shown.
pub fn traces(data: Value) -> Result<Vec<Trace>, String> {
    match data {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.into_iter().map(trace).collect(),
        other => Err(format!(
            "expected a list of traces, got {}",
            kind_of(&other)
        )),
    }
}

/// One classic trace object.
pub fn trace(value: Value) -> Result<Trace, String> {
    let wire: WireTrace = serde_json::from_value(value)
        .map_err(|e| format!("not a trace: {}", inert(&e.to_string())))?;
    let mut warnings: Vec<String> = wire
        .warnings
        .unwrap_or_default()
        .iter()
        .map(|w| inert(w))
        .collect();
    let mut processes: HashMap<String, Process> = HashMap::new();
    for (id, value) in wire.processes.unwrap_or_default() {
        match serde_json::from_value::<WireProcess>(value) {
            Ok(p) => {
                processes.insert(id, Process::from(p));
            }
            Err(e) => warnings.push(format!(
                "process {} unreadable: {}",
                inert(&id),
                inert(&e.to_string())
            )),
        }
    }
    let trace_id = TraceId::new(&wire.trace_id);
    let raw_spans = wire.spans.unwrap_or_default();
    let mut spans = Vec::with_capacity(raw_spans.len());
    for (i, value) in raw_spans.into_iter().enumerate() {
        match serde_json::from_value::<WireSpan>(value) {
            Ok(w) => spans.push(span(w, &trace_id, &processes, &mut warnings)),
            Err(e) => warnings.push(format!("span #{i} skipped: {}", inert(&e.to_string()))),
        }
    }
    Ok(Trace {
        id: trace_id,
        spans,
        warnings,
    })
}

fn span(
    w: WireSpan,
    trace_id: &TraceId,
    processes: &HashMap<String, Process>,
    warnings: &mut Vec<String>,
) -> Span {
    let span_trace = if w.trace_id.is_empty() {
        trace_id.clone()
    } else {
        TraceId::new(&w.trace_id)
    };
    let parent = parent_of(w.references.as_deref().unwrap_or_default(), &span_trace);
    let embedded;
    let process = match (processes.get(&w.process_id), w.process) {
        (Some(p), _) => p,
        (None, Some(p)) => {
            embedded = Process::from(p);
            &embedded
        }
        (None, None) => &UNKNOWN,
    };
    if process.service.is_empty() {
        warnings.push(format!(
            "span {} has no process {:?}",
            inert(&w.span_id),
            inert(&w.process_id)
        ));
    }
    let tags = tag_list(w.tags);
    let kind = tags
        .iter()
        .find(|(k, _)| k == "span.kind")
        .map(|(_, v)| SpanKind::from_word(&v.to_string()))
        .unwrap_or_default();
    let error = tags.iter().any(|(k, v)| is_error_tag(k, v));
    let events = w
        .logs
        .unwrap_or_default()
        .into_iter()
        .map(|log| {
            let fields = tag_list(log.fields);
            let name = fields
                .iter()
                .find(|(k, _)| k == "event")
                .map(|(_, v)| v.to_string())
                .unwrap_or_default();
            Event {
                time_us: log.timestamp,
                name,
                fields,
            }
        })
        .collect();
    Span {
        id: SpanId::new(&w.span_id),
        parent,
        trace_id: span_trace,
        service: if process.service.is_empty() {
            "unknown".to_owned()
        } else {
            process.service.clone()
        },
        operation: w.operation,
        start_us: w.start,
        duration_us: w.duration.max(0),
        kind,
        error,
        tags,
        events,
        process_tags: process.tags.clone(),
        warnings: w
            .warnings
            .unwrap_or_default()
            .iter()
            .map(|s| inert(s))
            .collect(),
    }
}

/// A process read once per trace, shared by its spans.
struct Process {
    service: String,
    tags: Vec<(String, TagValue)>,
}

static UNKNOWN: Process = Process {
    service: String::new(),
    tags: Vec::new(),
};

impl From<WireProcess> for Process {
    fn from(p: WireProcess) -> Self {
        Self {
            service: p.service,
            tags: tag_list(p.tags),
        }
    }
}

/// The first CHILD_OF reference within the same trace, else the first FOLLOWS_FROM there (a
/// reference into another trace is a link, not a parent).
fn parent_of(refs: &[WireRef], trace: &TraceId) -> Option<SpanId> {
    let same = |r: &&WireRef| r.trace_id.is_empty() || TraceId::new(&r.trace_id).same(trace);
    refs.iter()
        .filter(same)
        .find(|r| r.ref_type == "CHILD_OF")
        .or_else(|| {
            refs.iter()
                .filter(same)
                .find(|r| r.ref_type == "FOLLOWS_FROM")
        })
        .filter(|r| !r.span_id.is_empty())
        .map(|r| SpanId::new(&r.span_id))
}

fn tag_list(tags: Option<Vec<WireTag>>) -> Vec<(String, TagValue)> {
    tags.unwrap_or_default()
        .into_iter()
        .map(|t| {
            let value = tag_value(&t.kind, t.value);
            (t.key, value)
        })
        .collect()
}

/// A classic tag's value as its `type` says; a value that does not fit its type is kept as
/// text rather than dropped.
pub(crate) fn tag_value(kind: &str, value: Value) -> TagValue {
    match (kind, value) {
        ("bool", Value::Bool(b)) => TagValue::Bool(b),
        ("bool", Value::String(s)) if s == "true" || s == "false" => TagValue::Bool(s == "true"),
        ("int64", Value::Number(n)) if n.is_i64() => TagValue::Int(n.as_i64().unwrap_or_default()),
        ("int64", Value::String(s)) => match s.parse::<i64>() {
            Ok(i) => TagValue::Int(i),
            Err(_) => TagValue::Str(s),
        },
        ("float64", Value::Number(n)) => n
            .as_f64()
            .map_or_else(|| TagValue::Str(n.to_string()), TagValue::Float),
        ("float64", Value::String(s)) => s.parse().map_or(TagValue::Str(s), TagValue::Float),
        ("binary", Value::String(s)) => TagValue::Binary(s),
        (_, Value::String(s)) => TagValue::Str(s),
        (_, Value::Bool(b)) => TagValue::Bool(b),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => TagValue::Int(i),
            None => n
                .as_f64()
                .map_or_else(|| TagValue::Str(n.to_string()), TagValue::Float),
        },
        (_, Value::Null) => TagValue::Str(String::new()),
        (_, other) => TagValue::Str(other.to_string()),
    }
}

/// Both eras' ways of saying a span failed: OpenTracing's `error=true` (also from Zipkin's
/// `error` tag, whose value is a message) and OTel's status as Jaeger translates it.
pub(crate) fn is_error_tag(key: &str, value: &TagValue) -> bool {
    match (key, value) {
        ("error", TagValue::Bool(b)) => *b,
        ("error", TagValue::Str(s)) => !s.is_empty() && s != "false",
        ("otel.status_code", TagValue::Str(s)) => s.eq_ignore_ascii_case("error"),
        _ => false,
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
